// What a graph root's schema chunk holds: the `.pg` source and, when a
// schema change gave some type or property an id other than its name hash
// (a rename keeps the old id so no row is rewritten; a new name that
// collides with a kept id gets the next free one), those ids.
//
// A chunk without overrides is the plain source text (what `init` writes),
// so schemas that never renamed anything hash exactly as before. A chunk
// with overrides starts with a NUL byte, which no `.pg` text can.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "compiler/catalog/catalog.h"

namespace omnigraph::engine {

// Ids that differ from the name hash, keyed "node:T", "edge:E",
// "interface:I" (type ids) and "node:T:p", "edge:E:p" (property ids).
using IdOverrides = std::map<std::string, uint32_t>;

struct SchemaRecord {
  std::string source;
  IdOverrides ids;
};

std::string encode_schema_record(const SchemaRecord& record);
SchemaRecord decode_schema_record(std::string_view bytes);  // Error(kInternal) when corrupt

// compile_schema(record.source) with the overridden ids applied.
compiler::Catalog compile_schema_record(const SchemaRecord& record);

// The overrides that reproduce `catalog`'s ids (those that differ from the
// name hash).
IdOverrides id_overrides_of(const compiler::Catalog& catalog);

// A copy of `catalog` with `ids` applied (entries for absent names are ignored).
compiler::Catalog with_ids(const compiler::Catalog& catalog, const IdOverrides& ids);

}  // namespace omnigraph::engine
