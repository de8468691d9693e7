// Refs in the "refs" column family (key = ref name, value = 32 raw hash
// bytes), updated by compare-and-swap with group commit.
//
// Every CAS must be durable when it returns, and a synced write costs an
// fsync. Calls are queued; one caller at a time is the leader: it takes the
// whole queue, decides each call against the current values (and the
// decisions before it in the same batch), writes all winners in one synced
// WriteBatch and wakes the others. Calls that arrive while that write is in
// flight form the next batch, so N concurrent writers cost about one fsync
// per batch instead of N. Only one batch is ever being decided or written,
// which serializes all ref updates in this process (RocksDB's LOCK file
// keeps other processes out).
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <unordered_map>

#include "common/error.h"
#include "store/rocksdb_db.h"

namespace omnigraph::store::rocksdb_detail {
namespace {

// One call: a single CAS/delete, or an all-or-nothing group of them.
struct Operation {
  Operation(const RefUpdate* u, size_t n) : updates(u), count(n) {}

  const RefUpdate* updates;
  size_t count;
  bool won = false;
  bool done = false;
  std::exception_ptr error;
};

class RocksDbRefStore final : public RefStore {
 public:
  explicit RocksDbRefStore(std::shared_ptr<RocksDb> db) : db_(std::move(db)) {}

  std::optional<Hash> get(const std::string& name) override { return read(name); }

  bool compare_and_swap(const std::string& name, const std::optional<Hash>& expected,
                        const Hash& desired) override {
    RefUpdate update{name, expected, desired};
    Operation op{&update, 1};
    return submit(op);
  }

  bool compare_and_delete(const std::string& name, const Hash& expected) override {
    RefUpdate update{name, expected, std::nullopt};
    Operation op{&update, 1};
    return submit(op);
  }

  bool update_all(const std::vector<RefUpdate>& updates) override {
    if (updates.empty()) return true;
    Operation op{updates.data(), updates.size()};
    return submit(op);
  }

  std::map<std::string, Hash> list(const std::string& prefix) override {
    std::map<std::string, Hash> out;
    std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(rocksdb::ReadOptions(), db_->refs));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      rocksdb::Slice key = it->key();
      if (!key.starts_with(prefix)) break;
      std::string name = key.ToString();
      out.emplace(name, decode(name, it->value()));
    }
    if (!it->status().ok()) throw_rocksdb(*db_, "listing refs '" + prefix + "*'", it->status());
    return out;
  }

  GroupCommitStats stats() {
    std::lock_guard lock(mutex_);
    GroupCommitStats s = stats_;
    s.queued = queue_.size();
    return s;
  }

  void set_hook(std::function<void()> hook) {
    std::lock_guard lock(mutex_);
    hook_ = std::move(hook);
  }

 private:
  Hash decode(const std::string& name, const rocksdb::Slice& value) const {
    if (value.size() != Hash::kSize) {
      throw_internal("store '" + db_->path + "': corrupt ref '" + name + "' (" +
                     std::to_string(value.size()) + " bytes, expected 32)");
    }
    return Hash::from_bytes(std::string_view(value.data(), value.size()));
  }

  std::optional<Hash> read(const std::string& name) {
    rocksdb::PinnableSlice value;
    rocksdb::Status s = db_->db->Get(rocksdb::ReadOptions(), db_->refs, name, &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) throw_rocksdb(*db_, "reading ref '" + name + "'", s);
    return decode(name, value);
  }

  bool submit(Operation& op) {
    std::unique_lock lock(mutex_);
    queue_.push_back(&op);
    while (!op.done) {
      if (leader_active_) {
        cv_.wait(lock);
        continue;
      }
      leader_active_ = true;
      std::vector<Operation*> batch(queue_.begin(), queue_.end());
      queue_.clear();
      std::function<void()> hook = hook_;
      lock.unlock();
      decide_and_write(batch, hook);
      lock.lock();
      leader_active_ = false;
      stats_.operations += batch.size();
      for (Operation* o : batch) o->done = true;
      cv_.notify_all();
    }
    if (op.error) std::rethrow_exception(op.error);
    return op.won;
  }

  // Runs without the mutex held, so the next batch can queue meanwhile.
  void decide_and_write(const std::vector<Operation*>& batch, const std::function<void()>& hook) {
    try {
      // Values as the batch has changed them so far: a later call on the
      // same ref in this batch compares against an earlier winner's value.
      std::unordered_map<std::string, std::optional<Hash>> pending;
      rocksdb::WriteBatch wb;
      auto current = [&](const std::string& name) -> std::optional<Hash> {
        auto it = pending.find(name);
        return it != pending.end() ? it->second : read(name);
      };
      for (Operation* op : batch) {
        bool all_match = true;
        for (size_t i = 0; i < op->count && all_match; ++i) {
          all_match = current(op->updates[i].name) == op->updates[i].expected;
        }
        if (!all_match) continue;
        for (size_t i = 0; i < op->count; ++i) {
          const RefUpdate& update = op->updates[i];
          rocksdb::Status s = update.desired ? wb.Put(db_->refs, update.name, update.desired->raw())
                                             : wb.Delete(db_->refs, update.name);
          if (!s.ok()) throw_rocksdb(*db_, "batching ref '" + update.name + "'", s);
          pending[update.name] = update.desired;
        }
        op->won = true;
      }
      if (wb.Count() == 0) return;
      if (hook) hook();
      rocksdb::WriteOptions write_options;
      write_options.sync = true;
      rocksdb::Status s = db_->db->Write(write_options, &wb);
      if (!s.ok()) throw_rocksdb(*db_, "writing refs", s);
      std::lock_guard lock(mutex_);
      ++stats_.synced_writes;
    } catch (...) {
      // Decisions in a failed batch may rest on writes that never happened:
      // every caller in it gets the error, none a result.
      std::exception_ptr error = std::current_exception();
      for (Operation* op : batch) {
        op->won = false;
        op->error = error;
      }
    }
  }

  std::shared_ptr<RocksDb> db_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Operation*> queue_;
  bool leader_active_ = false;
  GroupCommitStats stats_;
  std::function<void()> hook_;
};

RocksDbRefStore& as_rocksdb(RefStore& refs) {
  auto* r = dynamic_cast<RocksDbRefStore*>(&refs);
  if (!r) throw_internal("not a RocksDB ref store");
  return *r;
}

}  // namespace

std::unique_ptr<RefStore> make_rocksdb_ref_store(std::shared_ptr<RocksDb> db) {
  return std::make_unique<RocksDbRefStore>(std::move(db));
}

GroupCommitStats group_commit_stats(RefStore& refs) {
  return as_rocksdb(refs).stats();
}

void set_before_sync_write_hook(RefStore& refs, std::function<void()> hook) {
  as_rocksdb(refs).set_hook(std::move(hook));
}

}  // namespace omnigraph::store::rocksdb_detail
