// The schema planner (engine.md §4.2): compares the accepted catalog of a
// branch with a desired `.pg` and lists the migration steps, in the
// reference's order and with its reasons and codes. It reads no rows.
//
// It also gives the desired catalog the ids the apply will store: a type or
// property matched by name or by @rename_from keeps the accepted id (rows
// are keyed by property id, so a rename rewrites nothing), and a new one
// takes its name hash, or the next free id when that hash is already held.
#pragma once

#include <memory>

#include "compiler/catalog/catalog.h"
#include "omnigraph/schema_migration.h"

namespace omnigraph::engine {

struct PlannedSchema {
  SchemaPlan plan;
  // The desired schema with its ids assigned (see above).
  std::shared_ptr<const compiler::Catalog> catalog;
};

// With allow_data_loss every soft drop is planned hard.
PlannedSchema plan_schema_change(const compiler::Catalog& accepted,
                                 const compiler::Catalog& desired, bool allow_data_loss);

// `[<code>] <reason>`, or the bare reason when the step has no code.
std::string unsupported_message(const SchemaStep& step);

// One line per step, like the reference CLI (`add node type 'T'`, ...).
std::string render_step(const SchemaStep& step);

}  // namespace omnigraph::engine
