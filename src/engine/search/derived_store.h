// Where derived search indexes (vector HNSW images, text inverted indexes)
// are persisted, following the storage rules of DESIGN.md §4: the bytes are
// ordinary content-addressed chunks (an image is cut into pieces, and a
// manifest chunk lists them), and the only mutable things are refs in the
// ref store, written by compare-and-swap:
//   derived/<kind>/root/<rows root hex>/<property id> -> manifest chunk
//   derived/<kind>/latest/<table key>/<property id>   -> rows root
// The first names the image built for exactly one rows tree; the second the
// last rows root persisted for a (table, property), a starting point to move
// from by diff. Refs outside `branch/` never show up as branches.
// Graph::cleanup keeps the refs (and their chunks) whose rows root is still
// read by a retained commit and removes the others.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash.h"
#include "store/chunk_store.h"
#include "store/ref_store.h"

namespace omnigraph::engine::search {

inline constexpr std::string_view kDerivedRefPrefix = "derived/";

// One persisted index: its kind ("vector", "text"), table and property.
struct DerivedSlot {
  std::string kind;
  std::string table_key;
  uint32_t property_id = 0;
};

// Writes `image` as chunks and points the slot's root ref for `rows_root`
// and its latest ref at them. Not synced beyond the ref write: losing an
// image only costs a rebuild.
void store_derived_image(store::ChunkStore& chunks, store::RefStore& refs, const DerivedSlot& slot,
                         const Hash& rows_root, std::string_view image);

// The image persisted for exactly `rows_root`, or nullopt (never persisted,
// or its chunks were collected since).
std::optional<std::string> load_derived_image(store::ChunkStore& chunks, store::RefStore& refs,
                                              const DerivedSlot& slot, const Hash& rows_root);

// The rows root last persisted for the slot.
std::optional<Hash> latest_derived_root(store::RefStore& refs, const DerivedSlot& slot);

// ---- for Graph::cleanup ----------------------------------------------------

// What a ref under kDerivedRefPrefix says: the rows root it belongs to (for
// a root ref, parsed from the name; for a latest ref, its value). nullopt
// for a name that is not a well-formed derived ref.
struct DerivedRef {
  bool latest = false;
  Hash rows_root;
};
std::optional<DerivedRef> parse_derived_ref(std::string_view name, const Hash& value);

// The chunks of the image whose manifest is `manifest` (the manifest and
// its pieces); just the manifest when it is missing or unreadable.
std::vector<Hash> derived_image_chunks(store::ChunkStore& chunks, const Hash& manifest);

}  // namespace omnigraph::engine::search
