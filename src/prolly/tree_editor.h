// Batch edits of a prolly tree (the engine behind Tree::apply).
//
// Level by level, bottom up: the nodes holding edited keys are re-chunked
// from their first entry (a boundary shared by the old and new trees), merging
// in the edits, and chunking continues into the following old nodes until a
// new boundary falls exactly where an old node ends. From there the old nodes
// are reused as they are. The replaced and new nodes become deletes and puts
// of parent entries, applied the same way one level up. Levels above the old
// root are built afresh and single-entry roots are collapsed, so the result is
// exactly the bulk build of the new entry set.
#pragma once

#include <cstdint>
#include <span>

#include "common/hash.h"
#include "prolly/node_store.h"
#include "prolly/tree.h"

namespace omnigraph::prolly {

// Returns the new root; adds the number of chunks written to *chunks_written
// when it is not null.
Hash apply_edits(NodeStore& nodes, const Hash& root, std::span<const Edit> edits,
                 uint64_t* chunks_written);

}  // namespace omnigraph::prolly
