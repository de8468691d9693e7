#include "engine/search/derived_store.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "common/error.h"

namespace omnigraph::engine::search {

namespace {

constexpr std::string_view kManifestMagic = "OGDIM001";
constexpr size_t kPieceBytes = size_t{4} << 20;
constexpr size_t kBatchChunks = 16;

std::string root_ref(const DerivedSlot& slot, const Hash& rows_root) {
  return std::string(kDerivedRefPrefix) + slot.kind + "/root/" + rows_root.hex() + "/" +
         std::to_string(slot.property_id);
}

std::string latest_ref(const DerivedSlot& slot) {
  return std::string(kDerivedRefPrefix) + slot.kind + "/latest/" + slot.table_key + "/" +
         std::to_string(slot.property_id);
}

// Points `name` at `value` whatever it held: derived refs have one writer
// per process at a time and any value they held is equally valid, so a lost
// race just means retrying on the newer value.
void set_ref(store::RefStore& refs, const std::string& name, const Hash& value) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto current = refs.get(name);
    if (current == value) return;
    if (refs.compare_and_swap(name, current, value)) return;
  }
}

// Parses a manifest into its image size and piece hashes.
std::optional<std::pair<uint64_t, std::vector<Hash>>> parse_manifest(std::string_view m) {
  if (m.size() < kManifestMagic.size() + 8 ||
      m.substr(0, kManifestMagic.size()) != kManifestMagic) {
    return std::nullopt;
  }
  m.remove_prefix(kManifestMagic.size());
  uint64_t size;
  std::memcpy(&size, m.data(), 8);
  m.remove_prefix(8);
  if (m.size() % Hash::kSize != 0) return std::nullopt;
  std::vector<Hash> pieces;
  for (size_t i = 0; i < m.size(); i += Hash::kSize) {
    pieces.push_back(Hash::from_bytes(m.substr(i, Hash::kSize)));
  }
  return std::make_pair(size, std::move(pieces));
}

}  // namespace

void store_derived_image(store::ChunkStore& chunks, store::RefStore& refs, const DerivedSlot& slot,
                         const Hash& rows_root, std::string_view image) {
  std::string manifest(kManifestMagic);
  uint64_t size = image.size();
  manifest.append(reinterpret_cast<const char*>(&size), 8);
  std::vector<store::Chunk> batch;
  for (size_t offset = 0; offset < image.size(); offset += kPieceBytes) {
    std::string piece(image.substr(offset, kPieceBytes));
    Hash hash = Hash::of(piece);
    manifest.append(hash.raw());
    batch.push_back({hash, std::move(piece)});
    if (batch.size() >= kBatchChunks) {
      chunks.put_many(batch);
      batch.clear();
    }
  }
  Hash manifest_hash = Hash::of(manifest);
  batch.push_back({manifest_hash, std::move(manifest)});
  chunks.put_many(batch);
  // The chunks are written before the refs name them (and the ref write
  // syncs the shared WAL), so a ref never names a chunk a crash lost.
  set_ref(refs, root_ref(slot, rows_root), manifest_hash);
  set_ref(refs, latest_ref(slot), rows_root);
}

std::optional<std::string> load_derived_image(store::ChunkStore& chunks, store::RefStore& refs,
                                              const DerivedSlot& slot, const Hash& rows_root) {
  auto manifest_hash = refs.get(root_ref(slot, rows_root));
  if (!manifest_hash) return std::nullopt;
  auto manifest = chunks.get(*manifest_hash);
  if (!manifest) return std::nullopt;
  auto parsed = parse_manifest(*manifest);
  if (!parsed) return std::nullopt;
  auto& [size, pieces] = *parsed;
  std::string image;
  image.reserve(size);
  for (size_t i = 0; i < pieces.size(); i += kBatchChunks) {
    std::vector<Hash> part(
        pieces.begin() + static_cast<std::ptrdiff_t>(i),
        pieces.begin() + static_cast<std::ptrdiff_t>(std::min(pieces.size(), i + kBatchChunks)));
    for (auto& piece : chunks.get_many(part)) {
      if (!piece) return std::nullopt;  // collected since: rebuild
      image.append(*piece);
    }
  }
  if (image.size() != size) return std::nullopt;
  return image;
}

std::optional<Hash> latest_derived_root(store::RefStore& refs, const DerivedSlot& slot) {
  return refs.get(latest_ref(slot));
}

std::optional<DerivedRef> parse_derived_ref(std::string_view name, const Hash& value) {
  if (!name.starts_with(kDerivedRefPrefix)) return std::nullopt;
  name.remove_prefix(kDerivedRefPrefix.size());
  size_t kind_end = name.find('/');
  if (kind_end == std::string_view::npos || kind_end == 0) return std::nullopt;
  std::string_view rest = name.substr(kind_end + 1);
  if (rest.starts_with("latest/")) return DerivedRef{true, value};
  if (!rest.starts_with("root/")) return std::nullopt;
  rest.remove_prefix(5);
  size_t hex_end = rest.find('/');
  if (hex_end != Hash::kSize * 2) return std::nullopt;
  try {
    return DerivedRef{false, Hash::from_hex(rest.substr(0, hex_end))};
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::vector<Hash> derived_image_chunks(store::ChunkStore& chunks, const Hash& manifest) {
  std::vector<Hash> out{manifest};
  auto bytes = chunks.get(manifest);
  if (!bytes) return out;
  if (auto parsed = parse_manifest(*bytes)) {
    out.insert(out.end(), parsed->second.begin(), parsed->second.end());
  }
  return out;
}

}  // namespace omnigraph::engine::search
