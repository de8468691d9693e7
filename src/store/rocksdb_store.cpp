// Opening a graph directory's RocksDB database: option choices and the
// "is this really a store?" checks.
#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/error.h"
#include "store/rocksdb_db.h"
#include "store/store.h"

namespace omnigraph::store {
namespace rocksdb_detail {

RocksDb::~RocksDb() {
  if (!db) return;
  for (rocksdb::ColumnFamilyHandle* h : handles) db->DestroyColumnFamilyHandle(h);
  // Close() flushes nothing we need (the WAL already holds every write) but
  // reports background errors; there is no one left to tell, so ignore it.
  db->Close().PermitUncheckedError();
}

void throw_rocksdb(const RocksDb& db, std::string_view what, const rocksdb::Status& status) {
  throw_internal("store '" + db.path + "': " + std::string(what) + " failed: " + status.ToString());
}

}  // namespace rocksdb_detail

namespace {

namespace fs = std::filesystem;
using rocksdb_detail::kChunksFamily;
using rocksdb_detail::kRefsFamily;
using rocksdb_detail::RocksDb;

bool supported(rocksdb::CompressionType type) {
  static const std::vector<rocksdb::CompressionType> all = rocksdb::GetSupportedCompressions();
  return std::find(all.begin(), all.end(), type) != all.end();
}

// One fast compression for every level. ZSTD at the bottom level made the
// settled store about a third smaller, but every read that missed the block
// cache then paid a ZSTD decompression (a point lookup on a 1M-node graph
// took twice as long), and compacting a bulk load into it cost three times
// the CPU.
void set_compression(rocksdb::ColumnFamilyOptions& cf) {
  if (supported(rocksdb::kLZ4Compression)) {
    cf.compression = rocksdb::kLZ4Compression;
  } else if (supported(rocksdb::kSnappyCompression)) {
    cf.compression = rocksdb::kSnappyCompression;
  } else {
    cf.compression = rocksdb::kNoCompression;
  }
}

rocksdb::ColumnFamilyOptions chunk_family_options(const RocksDbOptions& options,
                                                  const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Keys are uniformly random hashes, so reads are pure point lookups and
  // has_many() on absent chunks is common: a bloom filter answers most
  // "absent" probes without touching a data block.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.whole_key_filtering = true;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // About one chunk (~4 KiB) per block: a lookup that misses the cache
  // decompresses just the chunk it wants (16 KiB blocks cost a third more
  // per lookup and per traversal step).
  table.block_size = 4 * 1024;
  table.format_version = 5;
  // XXH3 block checksums: the distribution's RocksDB is built without SSE4.2,
  // so its CRC32c runs byte by byte and showed up in load profiles.
  table.checksum = rocksdb::kXXH3;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf.write_buffer_size = options.chunk_write_buffer_bytes;
  cf.memtable_whole_key_filtering = true;
  cf.memtable_prefix_bloom_size_ratio = 0.02;
  cf.level_compaction_dynamic_level_bytes = true;
  set_compression(cf);
  return cf;
}

rocksdb::ColumnFamilyOptions ref_family_options(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.format_version = 5;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // Refs are few and small; a small memtable keeps the WAL short.
  cf.write_buffer_size = size_t{4} << 20;
  set_compression(cf);
  return cf;
}

rocksdb::DBOptions db_options_for(const RocksDbOptions& options) {
  rocksdb::DBOptions db;
  db.max_background_jobs = options.max_background_jobs;
  db.keep_log_file_num = 4;
  db.max_total_wal_size = size_t{256} << 20;
  db.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  // Point-in-time recovery replays the WAL up to the first torn record:
  // every write that completed before a crash is kept, in order.
  db.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  return db;
}

std::vector<rocksdb::ColumnFamilyDescriptor> descriptors_for(const RocksDbOptions& options) {
  std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  return {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {kChunksFamily, chunk_family_options(options, cache)},
      {kRefsFamily, ref_family_options(cache)},
  };
}

std::shared_ptr<RocksDb> open_db(const std::string& where, const RocksDbOptions& options,
                                 bool create) {
  auto db = std::make_shared<RocksDb>();
  db->path = where;
  rocksdb::DBOptions db_options = db_options_for(options);
  db_options.create_if_missing = create;
  db_options.create_missing_column_families = create;
  db_options.error_if_exists = create;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, where, descriptors_for(options), &db->handles, &raw);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      throw_internal("store '" + where +
                     "' is already open (in this or another process): " + s.ToString());
    }
    rocksdb_detail::throw_rocksdb(*db, "opening", s);
  }
  db->db.reset(raw);
  db->chunks = db->handles[1];
  db->refs = db->handles[2];
  return db;
}

void fsync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;  // best effort: the rename itself already happened
  ::fsync(fd);
  ::close(fd);
}

// RocksDB creates a database in steps (CURRENT, then one column family at
// a time); a crash in between would leave a directory we could no longer
// tell from someone else's database. So a new store is built complete in a
// hidden sibling directory and renamed into place, which is atomic.
void create_store(const fs::path& path, const RocksDbOptions& options) {
  static std::atomic<uint64_t> counter{0};
  fs::path parent = path.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw_internal("cannot create directory '" + parent.string() + "': " + ec.message());
  fs::path staging = parent / ("." + path.filename().string() + ".creating." +
                               std::to_string(::getpid()) + "." + std::to_string(counter++));
  fs::remove_all(staging, ec);
  open_db(staging.string(), options, /*create=*/true).reset();  // closes it
  // rename(2) also replaces an empty directory the user created for us.
  if (::rename(staging.c_str(), path.c_str()) != 0) {
    int err = errno;
    fs::remove_all(staging, ec);
    if (fs::exists(path / "CURRENT")) return;  // another opener created it first
    throw_internal("cannot create store at '" + path.string() + "': " + std::strerror(err));
  }
  fsync_directory(parent);
}

}  // namespace

Store open_rocksdb_store(const fs::path& requested, const RocksDbOptions& options) {
  fs::path path = fs::absolute(requested).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();  // "dir/" -> "dir"
  const std::string where = requested.string();
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  bool existing_db = false;
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      throw_bad_request("'" + where + "' is not an omnigraph store: it is not a directory");
    }
    if (fs::exists(path / "CURRENT")) {
      existing_db = true;
    } else if (!fs::is_empty(path, ec)) {
      throw_bad_request("'" + where +
                        "' is not an omnigraph store: the directory is not empty and holds no "
                        "database");
    }
  }
  if (!existing_db) {
    if (!options.create_if_missing) throw_not_found("no omnigraph store at '" + where + "'");
    create_store(path, options);
  }

  std::vector<std::string> families;
  rocksdb::Status s =
      rocksdb::DB::ListColumnFamilies(db_options_for(options), path.string(), &families);
  if (!s.ok()) {
    throw_internal("store '" + where + "': listing column families failed: " + s.ToString());
  }
  std::sort(families.begin(), families.end());
  std::vector<std::string> ours = {kChunksFamily, kRefsFamily, rocksdb::kDefaultColumnFamilyName};
  std::sort(ours.begin(), ours.end());
  if (families != ours) {
    std::string found;
    for (const std::string& f : families) found += (found.empty() ? "" : ", ") + f;
    throw_bad_request("'" + where +
                      "' is not an omnigraph store: a RocksDB database whose column families (" +
                      found + ") are not 'chunks' and 'refs'");
  }
  std::shared_ptr<RocksDb> db = open_db(path.string(), options, /*create=*/false);
  db->path = where;
  return Store{rocksdb_detail::make_rocksdb_chunk_store(db),
               rocksdb_detail::make_rocksdb_ref_store(db)};
}

}  // namespace omnigraph::store
