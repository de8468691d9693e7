#include "engine/constraints.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "common/error.h"

namespace omnigraph::engine {
namespace {

using compiler::ScalarKind;

// Rust's Display for floats (the reference formats its messages with it):
// shortest round-trip digits, never an exponent, no ".0" on whole numbers
// (300, 0.5, 100000000000000000000), NaN, inf.
template <typename F>
std::string rust_float_display(F v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[400];  // fixed notation of the largest double needs ~310 characters
  auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed).ptr;
  return std::string(buf, end);
}

// A numeric value as f64, like the reference's @range check; nullopt for
// anything else (lists, vectors: not checked).
std::optional<double> numeric_value(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kInt: return static_cast<double>(v.as_int());
    case Value::Kind::kUInt: return static_cast<double>(v.as_uint());
    case Value::Kind::kFloat: return v.as_float();
    default: return std::nullopt;
  }
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

void check_range(const compiler::NodeType& type, const Row& row) {
  for (const auto& rc : type.range_constraints) {
    const compiler::Property* p = type.find_property(rc.property);
    if (p == nullptr) continue;
    auto value = numeric_value(row.get(p->id));
    if (!value) continue;  // null (or not a number): skipped
    const std::string where = type.name + "." + rc.property;
    if (std::isnan(*value)) throw_bad_request("@range violation on " + where + ": value is NaN");
    if (rc.min && *value < rc.min->as_double()) {
      throw_bad_request("@range violation on " + where + ": value " + rust_float_display(*value) +
                        " < min " + rust_float_display(rc.min->as_double()));
    }
    if (rc.max && *value > rc.max->as_double()) {
      throw_bad_request("@range violation on " + where + ": value " + rust_float_display(*value) +
                        " > max " + rust_float_display(rc.max->as_double()));
    }
  }
}

void check_enum_value(const std::string& type_name, const compiler::Property& p, const Value& v) {
  if (v.kind() != Value::Kind::kString) return;  // null elements/values are fine
  const auto& allowed = p.type.enum_values;
  if (std::binary_search(allowed.begin(), allowed.end(), v.as_string())) return;
  throw_bad_request("invalid enum value '" + v.as_string() + "' for " + type_name + "." + p.name +
                    " (expected: " + join(allowed, ", ") + ")");
}

void check_enums(const std::string& type_name, const std::vector<compiler::Property>& properties,
                 const Row& row) {
  for (const auto& p : properties) {
    if (!p.type.is_enum()) continue;
    const Value& v = row.get(p.id);
    if (v.kind() == Value::Kind::kList) {
      for (const Value& element : v.as_list()) check_enum_value(type_name, p, element);
    } else {
      check_enum_value(type_name, p, v);
    }
  }
}

}  // namespace

RowValidator::RowValidator(const compiler::Catalog& catalog) {
  for (const auto& type : catalog.node_types()) {
    if (type.check_constraints.empty()) continue;
    auto& compiled = checks_[type.name];
    for (const auto& cc : type.check_constraints) {
      CompiledCheck check;
      check.property = cc.property;
      check.pattern = cc.pattern;
      if (const compiler::Property* p = type.find_property(cc.property)) {
        check.has_column = true;
        check.property_id = p->id;
      }
      RE2::Options options;
      options.set_log_errors(false);  // an invalid pattern is reported per write instead
      auto regex = std::make_shared<const RE2>(cc.pattern, options);
      if (regex->ok()) {
        check.regex = std::move(regex);
      } else {
        check.regex_error = regex->error();
      }
      compiled.push_back(std::move(check));
    }
  }
}

void RowValidator::check_node(const compiler::NodeType& type, const Row& row) const {
  check_range(type, row);
  if (auto it = checks_.find(type.name); it != checks_.end()) {
    for (const auto& check : it->second) {
      if (!check.regex_error.empty()) {
        throw_bad_request("@check on " + type.name + "." + check.property + " has invalid regex '" +
                          check.pattern + "': " + check.regex_error);
      }
      if (!check.has_column) continue;
      const Value& v = row.get(check.property_id);
      // Only plain strings: null is skipped, and the reference never
      // matched list columns either.
      if (v.kind() != Value::Kind::kString) continue;
      if (!RE2::PartialMatch(v.as_string(), *check.regex)) {
        throw_bad_request("@check violation on " + type.name + "." + check.property + ": value '" +
                          v.as_string() + "' does not match pattern '" + check.pattern + "'");
      }
    }
  }
  check_enums(type.name, type.properties, row);
}

void RowValidator::check_edge(const compiler::EdgeType& type, const Row& row) const {
  check_enums(type.name, type.properties, row);
}

// ---- UniqueTracker --------------------------------------------------------

namespace {

// The text a value is compared by, as the reference does (it keys a map by
// the Arrow value's Display text): strings as-is, numbers in Rust's Display
// form, Date as days and DateTime as milliseconds since the epoch. nullopt
// for values exempt from uniqueness (null, lists, vectors, blobs).
std::optional<std::string> unique_text(const Value& v, bool is_f32) {
  switch (v.kind()) {
    case Value::Kind::kString: return v.as_string();
    case Value::Kind::kInt: return std::to_string(v.as_int());
    case Value::Kind::kUInt: return std::to_string(v.as_uint());
    case Value::Kind::kFloat:
      return is_f32 ? rust_float_display(static_cast<float>(v.as_float()))
                    : rust_float_display(v.as_float());
    case Value::Kind::kBool: return v.as_bool() ? "true" : "false";
    case Value::Kind::kDate: return std::to_string(v.as_date().days);
    case Value::Kind::kDateTime: return std::to_string(v.as_datetime().millis);
    default: return std::nullopt;
  }
}

// Every column named by any @unique (plus extra), sorted and deduplicated:
// the reference checks them one by one in this order.
std::vector<std::string> unique_column_names(const std::vector<std::vector<std::string>>& uniques,
                                             const std::vector<std::string>& extra) {
  std::vector<std::string> names;
  for (const auto& unique : uniques) names.insert(names.end(), unique.begin(), unique.end());
  names.insert(names.end(), extra.begin(), extra.end());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

UniqueTracker::UniqueTracker(const compiler::NodeType& type) : type_name_(type.name) {
  for (auto& name : unique_column_names(type.unique_constraints, type.key)) {
    const compiler::Property* p = type.find_property(name);
    add_column(std::move(name), p, false);
  }
}

UniqueTracker::UniqueTracker(const compiler::EdgeType& type) : type_name_(type.name) {
  for (auto& name : unique_column_names(type.unique_constraints, {})) {
    const compiler::Property* p = type.find_property(name);
    add_column(std::move(name), p, true);
  }
}

void UniqueTracker::add_column(std::string name, const compiler::Property* property, bool is_edge) {
  Column column;
  if (property != nullptr) {
    column.source = Column::Source::kProperty;
    column.property_id = property->id;
    column.is_f32 = property->type.scalar == ScalarKind::kF32 && !property->type.list;
  } else if (is_edge && name == "src") {
    column.source = Column::Source::kSrc;
  } else if (is_edge && name == "dst") {
    column.source = Column::Source::kDst;
  } else {
    return;  // no such column: nothing to check, like the reference
  }
  column.name = std::move(name);
  columns_.push_back(std::move(column));
}

void UniqueTracker::add(const Row& row, size_t row_index) {
  check(row, nullptr, nullptr, row_index);
}

void UniqueTracker::add(const Row& row, std::string_view src, std::string_view dst,
                        size_t row_index) {
  check(row, &src, &dst, row_index);
}

void UniqueTracker::check(const Row& row, const std::string_view* src, const std::string_view* dst,
                          size_t row_index) {
  auto text_of = [&](const Column& column) -> std::optional<std::string> {
    switch (column.source) {
      case Column::Source::kProperty:
        return unique_text(row.get(column.property_id), column.is_f32);
      case Column::Source::kSrc:
        if (src != nullptr) return std::string(*src);
        break;
      case Column::Source::kDst:
        if (dst != nullptr) return std::string(*dst);
        break;
    }
    return std::nullopt;
  };
  auto violation = [&](const Column& column, const std::string& text, size_t first_row) {
    throw_bad_request("@unique violation on " + type_name_ + "." + column.name + ": value '" +
                      text + "' appears in rows " + std::to_string(first_row) + " and " +
                      std::to_string(row_index));
  };
  if (columns_.empty()) return;
  if (columns_.size() == 1) {
    // The common case (a @key alone), one hash lookup: loads call this
    // once per row.
    Column& column = columns_.front();
    std::optional<std::string> text = text_of(column);
    if (!text) return;
    if (auto first = column.seen.insert(*text, row_index)) violation(column, *text, *first);
    return;
  }
  // Find the first repeat before recording anything, so a rejected row
  // leaves the tracker unchanged.
  std::vector<std::optional<std::string>> texts;
  texts.reserve(columns_.size());
  for (auto& column : columns_) {
    std::optional<std::string> text = text_of(column);
    if (text) {
      if (auto first = column.seen.find(*text)) violation(column, *text, *first);
    }
    texts.push_back(std::move(text));
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (texts[i]) columns_[i].seen.insert(*texts[i], row_index);
  }
}

}  // namespace omnigraph::engine
