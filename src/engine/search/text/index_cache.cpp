#include "engine/search/text/index_cache.h"

#include <algorithm>
#include <thread>

#include "common/error.h"
#include "engine/row_codec.h"
#include "engine/search/derived_store.h"
#include "prolly/diff.h"
#include "prolly/tree.h"

namespace omnigraph::engine::search::text {

namespace {

// The text a row contributes (null or non-string: none).
std::string_view text_of(const Row& row, uint32_t property_id) {
  const Value& v = row.get(property_id);
  return v.kind() == Value::Kind::kString ? std::string_view(v.as_string()) : std::string_view();
}

// Applies the rows-tree diff `from` -> `to` to `index`; false (index left
// half-updated) when more than `max_changes` rows changed.
bool apply_diff(prolly::NodeStore& nodes, const Hash& from, const Hash& to, uint32_t property_id,
                uint64_t max_changes, InvertedIndex& index) {
  prolly::Differ differ(nodes, from, to);
  uint64_t changes = 0;
  while (std::optional<prolly::DiffEntry> d = differ.next()) {
    if (++changes > max_changes) return false;
    if (d->from) {
      Row old_row = decode_row(*d->from);
      index.remove(d->key, text_of(old_row, property_id));
    }
    if (d->to) {
      Row new_row = decode_row(*d->to);
      index.add(d->key, text_of(new_row, property_id));
    }
  }
  return true;
}

}  // namespace

std::shared_ptr<InvertedIndex> build_index(prolly::NodeStore& nodes, const Hash& rows_root,
                                           uint32_t property_id) {
  auto index = std::make_shared<InvertedIndex>();
  unsigned threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  constexpr size_t kBatch = 32768;
  std::vector<InvertedIndex::Document> batch;
  batch.reserve(kBatch);
  prolly::Tree tree(nodes, rows_root);
  tree.scan("", std::nullopt, [&](std::string_view id, std::string_view bytes) {
    Row row = decode_row(bytes);
    batch.push_back({std::string(id), std::string(text_of(row, property_id))});
    if (batch.size() == kBatch) {
      index->add_all(batch, threads);
      batch.clear();
    }
    return true;
  });
  index->add_all(batch, threads);
  return index;
}

IndexCache& IndexCache::global() {
  static IndexCache cache;
  return cache;
}

std::shared_ptr<const InvertedIndex> IndexCache::get(prolly::NodeStore& nodes,
                                                     const std::string& table_key,
                                                     const Hash& rows_root, uint64_t row_count,
                                                     uint32_t property_id, store::RefStore* refs) {
  std::shared_ptr<InvertedIndex> base;
  Hash base_root;
  bool stolen = false;
  {
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->root == rows_root && it->property_id == property_id) {
        ++stats_.hits;
        entries_.splice(entries_.begin(), entries_, it);
        return entries_.front().index;
      }
    }
    // The most recently used index of the same table in the same store.
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->store == &nodes && it->table_key == table_key && it->property_id == property_id) {
        base = it->index;
        base_root = it->root;
        // Nobody else holds it: update it in place instead of copying.
        if (base.use_count() == 2) {
          entries_.erase(it);
          stolen = true;
        }
        break;
      }
    }
  }

  std::shared_ptr<InvertedIndex> index;
  bool updated = false;
  if (base) {
    index = stolen ? std::move(base) : std::make_shared<InvertedIndex>(*base);
    const uint64_t max_changes = static_cast<uint64_t>(
        limits_.max_diff_fraction * static_cast<double>(std::max<uint64_t>(row_count, 1)));
    try {
      updated = apply_diff(nodes, base_root, rows_root, property_id, max_changes, *index);
    } catch (const Error&) {
      updated = false;  // e.g. the old root's chunks are gone: rebuild
    }
  }
  const uint64_t max_changes = static_cast<uint64_t>(
      limits_.max_diff_fraction * static_cast<double>(std::max<uint64_t>(row_count, 1)));
  bool loaded = false;
  const DerivedSlot slot{"text", table_key, property_id};
  auto load = [&](const Hash& root) -> std::shared_ptr<InvertedIndex> {
    auto image = load_derived_image(nodes.chunks(), *refs, slot, root);
    if (!image) return nullptr;
    try {
      return InvertedIndex::deserialize(*image);
    } catch (const Error&) {
      return nullptr;  // an unreadable image is rebuilt, never trusted
    }
  };
  if (!updated && refs != nullptr && !rows_root.is_zero()) {
    if (auto exact = load(rows_root)) {
      index = std::move(exact);
      loaded = true;
    } else if (auto from = latest_derived_root(*refs, slot); from && *from != rows_root) {
      if (auto moved = load(*from)) {
        try {
          updated = apply_diff(nodes, *from, rows_root, property_id, max_changes, *moved);
        } catch (const Error&) {
          updated = false;
        }
        if (updated) {
          index = std::move(moved);
          loaded = true;
        }
      }
    }
  }
  bool persisted = false;
  if (!updated && !loaded) {
    index = build_index(nodes, rows_root, property_id);
    if (refs != nullptr && !rows_root.is_zero()) {
      store_derived_image(nodes.chunks(), *refs, slot, rows_root, index->serialize());
      persisted = true;
    }
  }

  std::lock_guard lock(mutex_);
  if (loaded) ++stats_.loads;
  if (persisted) ++stats_.persists;
  if (updated) {
    ++stats_.diff_updates;
  } else if (!loaded) {
    ++stats_.full_builds;
  }
  // Another query may have built the same index meanwhile: keep one.
  for (const Entry& e : entries_) {
    if (e.root == rows_root && e.property_id == property_id) return e.index;
  }
  insert_locked(Entry{rows_root, property_id, &nodes, table_key, index});
  return index;
}

void IndexCache::insert_locked(Entry entry) {
  entries_.push_front(std::move(entry));
  size_t docs = 0;
  for (const Entry& e : entries_) docs += e.index->doc_count();
  // Evict least recently used entries, never the one just added.
  while (entries_.size() > 1 &&
         (entries_.size() > limits_.max_entries || docs > limits_.max_docs)) {
    docs -= entries_.back().index->doc_count();
    entries_.pop_back();
  }
}

IndexCache::Stats IndexCache::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void IndexCache::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

}  // namespace omnigraph::engine::search::text
