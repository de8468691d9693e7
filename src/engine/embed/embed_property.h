// Filling `@embed("source")` Vector properties (languages.md §1 schema
// annotations): when a row is loaded or inserted without the target but
// with its String source, the target is the source's embedding at the
// property's dimension (embedder.h decides which embedder).
#pragma once

#include <string>

#include "compiler/catalog/catalog.h"
#include "engine/value.h"

namespace omnigraph::engine::embed {

// The embedding of `text` as the value of `target` (a Vector(d) @embed
// property; `owner` names its type in error messages, may be empty).
Value embed_property(const std::string& owner, const compiler::Property& target,
                     const std::string& text);

}  // namespace omnigraph::engine::embed
