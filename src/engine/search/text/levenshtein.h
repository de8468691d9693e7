// Edit distance for fuzzy matching (languages.md §4.5): insertions,
// deletions and substitutions of Unicode code points, each costing 1.
#pragma once

#include <cstdint>
#include <string_view>

namespace omnigraph::engine::search::text {

// The Levenshtein distance between two UTF-8 strings when it is at most
// `max`, else max + 1 (the computation stops early).
uint32_t bounded_levenshtein(std::string_view a, std::string_view b, uint32_t max);

}  // namespace omnigraph::engine::search::text
