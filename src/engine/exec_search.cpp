// Search and ranking entry points (spec §4.5, §4.6). Not implemented yet:
// this file is where the search issue plugs in.
#include <string>

#include "common/error.h"
#include "engine/exec_ops.h"

namespace omnigraph::engine::exec {

namespace {

using compiler::ir::Rank;
using compiler::ir::TextSearch;

[[noreturn]] void unsupported(const std::string& fn) {
  throw_bad_request("search functions are not supported yet: " + fn);
}

std::string mode_name(TextSearch::Mode mode) {
  switch (mode) {
    case TextSearch::Mode::kSearch: return "search";
    case TextSearch::Mode::kFuzzy: return "fuzzy";
    case TextSearch::Mode::kMatchText: return "match_text";
  }
  return "search";
}

void check_ops(const std::vector<Op>& ops) {
  for (const Op& op : ops) {
    if (op.kind == Op::Kind::kTextSearch) unsupported(mode_name(op.text_search.mode));
    if (op.kind == Op::Kind::kAntiJoin) check_ops(op.inner);
  }
}

}  // namespace

void check_search_support(const compiler::ir::ReadPlan& plan) {
  if (plan.rank) {
    switch (plan.rank->mode) {
      case Rank::Mode::kNearest: unsupported("nearest");
      case Rank::Mode::kBm25: unsupported("bm25");
      case Rank::Mode::kRrf: unsupported("rrf");
    }
  }
  check_ops(plan.pipeline);
}

void text_search(ExecContext&, const Op& op, std::vector<ExecRow>&) {
  unsupported(mode_name(op.text_search.mode));
}

}  // namespace omnigraph::engine::exec
