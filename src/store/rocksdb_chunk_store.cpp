// Chunks in the "chunks" column family, keyed by the 32 raw hash bytes.
#include <rocksdb/convenience.h>
#include <rocksdb/write_batch.h>
#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>
#include <unordered_map>

#include "common/error.h"
#include "store/rocksdb_db.h"

namespace omnigraph::store::rocksdb_detail {
namespace {

rocksdb::Slice key_of(const Hash& hash) {
  return {reinterpret_cast<const char*>(hash.bytes.data()), Hash::kSize};
}

class RocksDbChunkStore final : public ChunkStore {
 public:
  explicit RocksDbChunkStore(std::shared_ptr<RocksDb> db) : db_(std::move(db)) {}

  std::optional<std::string> get(const Hash& hash) override {
    rocksdb::PinnableSlice value;
    rocksdb::Status s = db_->db->Get(rocksdb::ReadOptions(), db_->chunks, key_of(hash), &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) throw_rocksdb(*db_, "reading chunk " + hash.hex(), s);
    return value.ToString();
  }

  std::vector<std::optional<std::string>> get_many(const std::vector<Hash>& hashes) override {
    std::vector<std::optional<std::string>> out(hashes.size());
    multi_get(hashes, [&](size_t i, rocksdb::PinnableSlice& value) { out[i] = value.ToString(); });
    return out;
  }

  void put_many(const std::vector<Chunk>& chunks) override {
    // Not synced: the WAL is shared with the ref family, so the synced ref
    // write that publishes these chunks makes them durable too.
    rocksdb::WriteOptions write_options;
    write_options.sync = false;
    write_chunks(chunks, write_options);
  }

  // Bulk chunks skip the WAL: writing every chunk twice (WAL, then the
  // memtable flush) and checksumming the WAL record cost a sizeable part
  // of a load. persist_unlogged() flushes the chunk family instead, which
  // writes and syncs the SST files before the publishing ref write.
  void put_many_unlogged(const std::vector<Chunk>& chunks) override {
    if (chunks.empty()) return;
    if (!unlogged_.load()) defer_compaction(true);
    rocksdb::WriteOptions write_options;
    write_options.disableWAL = true;
    write_chunks(chunks, write_options);
    // Set after the write: a concurrent persist_unlogged() that cleared
    // the flag before this write then leaves it set for this writer's own.
    unlogged_.store(true);
  }

  void persist_unlogged() override {
    if (!unlogged_.exchange(false)) return;
    rocksdb::FlushOptions flush;
    flush.wait = true;
    flush.allow_write_stall = true;
    rocksdb::Status s = db_->db->Flush(flush, db_->chunks);
    if (!s.ok()) {
      unlogged_.store(true);
      throw_rocksdb(*db_, "flushing bulk chunks", s);
    }
    defer_compaction(false);
  }

  std::vector<bool> has_many(const std::vector<Hash>& hashes) override {
    std::vector<bool> out(hashes.size(), false);
    multi_get(hashes, [&](size_t i, rocksdb::PinnableSlice&) { out[i] = true; });
    return out;
  }

  void for_each_chunk(const std::function<void(const Hash&, size_t)>& visit) override {
    rocksdb::ReadOptions options;
    options.fill_cache = false;  // one pass over everything; keep the cache for queries
    std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(options, db_->chunks));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      rocksdb::Slice key = it->key();
      if (key.size() != Hash::kSize) continue;  // not a chunk key
      Hash hash;
      std::memcpy(hash.bytes.data(), key.data(), Hash::kSize);
      visit(hash, it->value().size());
    }
    if (!it->status().ok()) throw_rocksdb(*db_, "listing chunks", it->status());
  }

  void erase_many(const std::vector<Hash>& hashes) override {
    constexpr size_t kBatch = 4096;
    for (size_t begin = 0; begin < hashes.size(); begin += kBatch) {
      rocksdb::WriteBatch batch;
      const size_t end = std::min(hashes.size(), begin + kBatch);
      for (size_t i = begin; i < end; ++i) {
        rocksdb::Status s = batch.Delete(db_->chunks, key_of(hashes[i]));
        if (!s.ok()) throw_rocksdb(*db_, "batching chunk removal", s);
      }
      rocksdb::WriteOptions write_options;
      write_options.sync = true;
      rocksdb::Status s = db_->db->Write(write_options, &batch);
      if (!s.ok()) throw_rocksdb(*db_, "removing chunks", s);
    }
    // Reclaim the space now rather than at some later compaction.
    rocksdb::CompactRangeOptions compact;
    db_->db->CompactRange(compact, db_->chunks, nullptr, nullptr);
  }

  // The chunk family's L0 compaction trigger and compression (see
  // defer_compaction).
  int l0_compaction_trigger() const {
    return db_->db->GetOptions(db_->chunks).level0_file_num_compaction_trigger;
  }
  rocksdb::CompressionType l0_compression() const {
    const rocksdb::Options options = db_->db->GetOptions(db_->chunks);
    return options.compression_per_level.empty() ? options.compression
                                                 : options.compression_per_level[0];
  }

 private:
  // One MultiGet for all keys (RocksDB batches the block reads); calls
  // `found(i, value)` for each key present.
  template <typename Found>
  void multi_get(const std::vector<Hash>& hashes, Found&& found) {
    const size_t n = hashes.size();
    if (n == 0) return;
    std::vector<rocksdb::Slice> keys;
    keys.reserve(n);
    for (const Hash& h : hashes) keys.push_back(key_of(h));
    std::vector<rocksdb::PinnableSlice> values(n);
    std::vector<rocksdb::Status> statuses(n);
    db_->db->MultiGet(rocksdb::ReadOptions(), db_->chunks, n, keys.data(), values.data(),
                      statuses.data());
    for (size_t i = 0; i < n; ++i) {
      if (statuses[i].IsNotFound()) continue;
      if (!statuses[i].ok()) throw_rocksdb(*db_, "reading chunk " + hashes[i].hex(), statuses[i]);
      found(i, values[i]);
    }
  }

  // While bulk chunks arrive, L0 files may pile up before compaction
  // starts: a load's flushes are compacted together once it is published
  // (in this process if it keeps running, else at the next open). With the
  // usual trigger of four files, a compaction started halfway through a
  // load competed with it for the CPU and, when the loading process then
  // exited, was abandoned and redone. Limits stay finite so a load larger
  // than this many memtables still gets compacted (and never stalls for
  // good). The store's own options are restored on every open.
  void defer_compaction(bool on) {
    static constexpr int kBulkL0Files = 48;
    const rocksdb::ColumnFamilyOptions defaults;
    std::unordered_map<std::string, std::string> options;
    options["level0_file_num_compaction_trigger"] =
        std::to_string(on ? kBulkL0Files : defaults.level0_file_num_compaction_trigger);
    options["level0_slowdown_writes_trigger"] =
        std::to_string(on ? kBulkL0Files * 2 : defaults.level0_slowdown_writes_trigger);
    options["level0_stop_writes_trigger"] =
        std::to_string(on ? kBulkL0Files * 3 : defaults.level0_stop_writes_trigger);
    // L0 also counts as due for compaction once it outgrows the base
    // level's size, which a load reaches after a few flushes.
    const rocksdb::Options current = db_->db->GetOptions(db_->chunks);
    const uint64_t bulk_l0_bytes = kBulkL0Files * current.write_buffer_size;
    // A load's flushes are written uncompressed: they are compacted (and
    // compressed) once, right after it, and compressing them first cost a
    // load a tenth of its CPU. Other writes keep compressed L0 files, which
    // cost their commits less disk traffic.
    std::string compression;
    rocksdb::Status named =
        rocksdb::GetStringFromCompressionType(&compression, current.compression);
    if (!named.ok()) throw_rocksdb(*db_, "naming the compression type", named);
    std::string per_level = on ? "kNoCompression" : compression;
    for (int level = 1; level < current.num_levels; ++level) per_level += ":" + compression;
    options["compression_per_level"] = per_level;
    options["max_bytes_for_level_base"] =
        std::to_string(on ? bulk_l0_bytes : defaults.max_bytes_for_level_base);
    rocksdb::Status s = db_->db->SetOptions(db_->chunks, options);
    if (!s.ok()) throw_rocksdb(*db_, "setting bulk compaction limits", s);
  }

  // All of `chunks` in one write batch.
  void write_chunks(const std::vector<Chunk>& chunks, const rocksdb::WriteOptions& options) {
    if (chunks.empty()) return;
    rocksdb::WriteBatch batch;
    for (const Chunk& c : chunks) {
      rocksdb::Status s = batch.Put(db_->chunks, key_of(c.hash), c.data);
      if (!s.ok()) throw_rocksdb(*db_, "batching chunk " + c.hash.hex(), s);
    }
    rocksdb::Status s = db_->db->Write(options, &batch);
    if (!s.ok()) throw_rocksdb(*db_, "writing " + std::to_string(chunks.size()) + " chunks", s);
  }

  std::shared_ptr<RocksDb> db_;
  std::atomic<bool> unlogged_{false};  // chunks written without the WAL since the last flush
};

}  // namespace

int chunk_l0_compaction_trigger(ChunkStore& chunks) {
  auto* store = dynamic_cast<RocksDbChunkStore*>(&chunks);
  if (store == nullptr) throw_internal("not a RocksDB chunk store");
  return store->l0_compaction_trigger();
}

rocksdb::CompressionType chunk_l0_compression(ChunkStore& chunks) {
  auto* store = dynamic_cast<RocksDbChunkStore*>(&chunks);
  if (store == nullptr) throw_internal("not a RocksDB chunk store");
  return store->l0_compression();
}

std::unique_ptr<ChunkStore> make_rocksdb_chunk_store(std::shared_ptr<RocksDb> db) {
  return std::make_unique<RocksDbChunkStore>(std::move(db));
}

}  // namespace omnigraph::store::rocksdb_detail
