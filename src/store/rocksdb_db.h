// The RocksDB database behind one graph directory, shared by its chunk store
// and ref store (internal to src/store/).
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "store/chunk_store.h"
#include "store/ref_store.h"

namespace omnigraph::store::rocksdb_detail {

inline constexpr const char* kChunksFamily = "chunks";
inline constexpr const char* kRefsFamily = "refs";

// Owns the DB and its column family handles; closes them when the last
// store using it goes away, so the two stores can be dropped in any order.
struct RocksDb {
  std::string path;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::ColumnFamilyHandle* chunks = nullptr;
  rocksdb::ColumnFamilyHandle* refs = nullptr;

  RocksDb() = default;
  RocksDb(const RocksDb&) = delete;
  RocksDb& operator=(const RocksDb&) = delete;
  ~RocksDb();
};

// Error(kInternal) carrying what we were doing, the store path and RocksDB's status text.
[[noreturn]] void throw_rocksdb(const RocksDb& db, std::string_view what,
                                const rocksdb::Status& status);

std::unique_ptr<ChunkStore> make_rocksdb_chunk_store(std::shared_ptr<RocksDb> db);
std::unique_ptr<RefStore> make_rocksdb_ref_store(std::shared_ptr<RocksDb> db);

// Group commit observability, for tests and benchmarks.
struct GroupCommitStats {
  uint64_t synced_writes = 0;  // WriteBatches written with sync = true
  uint64_t operations = 0;     // CAS/delete calls decided (won or lost)
  uint64_t queued = 0;         // calls currently waiting for the next batch
};
// Throws Error(kInternal) when `refs` is not a RocksDB ref store.
GroupCommitStats group_commit_stats(RefStore& refs);
// Runs `hook` in the leader right before each synced write (nullptr clears
// it). Lets a test hold a write in flight while other calls queue up.
void set_before_sync_write_hook(RefStore& refs, std::function<void()> hook);

// The chunk family's current L0 compaction trigger (raised while bulk
// chunks are unpersisted), for tests. Throws Error(kInternal) when `chunks`
// is not a RocksDB chunk store.
int chunk_l0_compaction_trigger(ChunkStore& chunks);
// How the chunk family compresses level-0 files (uncompressed while bulk
// chunks are unpersisted), for tests.
rocksdb::CompressionType chunk_l0_compression(ChunkStore& chunks);

}  // namespace omnigraph::store::rocksdb_detail
