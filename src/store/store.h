// A graph's storage: its chunk store and its ref store, opened together.
// On disk both live in one RocksDB database per graph directory, so a synced
// ref write also makes every chunk written before it durable (one shared WAL).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>

#include "store/chunk_store.h"
#include "store/ref_store.h"

namespace omnigraph::store {

struct Store {
  std::unique_ptr<ChunkStore> chunks;
  std::unique_ptr<RefStore> refs;
};

struct RocksDbOptions {
  // Create an empty store when `path` does not exist (or is an empty directory).
  bool create_if_missing = true;
  // Shared LRU block cache for both column families.
  size_t block_cache_bytes = size_t{64} << 20;
  // Memtable size of the chunk column family; larger = fewer, bigger flushes.
  size_t chunk_write_buffer_bytes = size_t{64} << 20;
  int max_background_jobs = 2;
};

// Opens (or creates) the RocksDB store in directory `path`. Throws
// Error(kNotFound) when it does not exist and create_if_missing is false,
// Error(kBadRequest) when `path` holds something that is not an omnigraph
// store, and Error(kInternal) with RocksDB's status text on I/O failures
// (including "in use by another process").
Store open_rocksdb_store(const std::filesystem::path& path, const RocksDbOptions& options = {});

// A fresh in-memory store (tests, benchmarks).
Store open_memory_store();

}  // namespace omnigraph::store
