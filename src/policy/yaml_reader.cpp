#include "policy/yaml_reader.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"

namespace omnigraph::policy::yaml {
namespace {

std::string describe_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Scalar: return fmt::format("scalar `{}`", node.Scalar());
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

}  // namespace

YAML::Node parse_document(std::string_view text) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(ErrorCode::kBadRequest, fmt::format("invalid YAML at line {} column {}: {}",
                                                    e.mark.line + 1, e.mark.column + 1, e.msg));
  }
}

std::string read_file(const std::filesystem::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorCode::kBadRequest, fmt::format("failed to read {} '{}': {}", what,
                                                    path.string(), std::strerror(errno)));
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void fail(const YAML::Node& node, std::string_view path, std::string_view problem) {
  std::string message = path.empty() ? std::string(problem) : fmt::format("{}: {}", path, problem);
  if (node.IsDefined()) {
    const YAML::Mark mark = node.Mark();
    if (mark.line >= 0) {
      message += fmt::format(" at line {} column {}", mark.line + 1, mark.column + 1);
    }
  }
  throw Error(ErrorCode::kBadRequest, std::move(message));
}

std::string child_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string index_path(std::string_view parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

void expect_map(const YAML::Node& node, std::string_view path) {
  if (!node.IsDefined() || node.IsNull() || node.IsMap()) return;
  fail(node, path, fmt::format("invalid type: {}, expected a mapping", describe_kind(node)));
}

void expect_sequence(const YAML::Node& node, std::string_view path) {
  if (!node.IsDefined() || node.IsNull() || node.IsSequence()) return;
  fail(node, path, fmt::format("invalid type: {}, expected a sequence", describe_kind(node)));
}

void check_no_duplicate_keys(const YAML::Node& map, std::string_view path) {
  if (!map.IsMap()) return;
  std::set<std::string> seen;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar()) fail(entry.first, path, "mapping keys must be strings");
    if (!seen.insert(entry.first.Scalar()).second) {
      fail(entry.first, path, fmt::format("duplicate entry with key `{}`", entry.first.Scalar()));
    }
  }
}

void check_keys(const YAML::Node& map, std::string_view path,
                std::initializer_list<std::string_view> allowed) {
  check_no_duplicate_keys(map, path);
  if (!map.IsMap()) return;
  for (const auto& entry : map) {
    const std::string& key = entry.first.Scalar();
    bool known = false;
    for (std::string_view name : allowed) known = known || name == key;
    if (known) continue;
    std::string expected;
    for (std::string_view name : allowed) {
      if (!expected.empty()) expected += ", ";
      expected += fmt::format("`{}`", name);
    }
    fail(entry.first, path, fmt::format("unknown field `{}`, expected one of {}", key, expected));
  }
}

YAML::Node get(const YAML::Node& map, std::string_view key) {
  if (map.IsMap()) {
    for (const auto& entry : map) {
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.second;
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node require(const YAML::Node& map, std::string_view path, std::string_view key) {
  YAML::Node value = get(map, key);
  if (!value.IsDefined()) fail(map, path, fmt::format("missing field `{}`", key));
  return value;
}

std::string as_string(const YAML::Node& node, std::string_view path) {
  if (!node.IsDefined() || node.IsNull()) return {};
  if (!node.IsScalar()) {
    fail(node, path, fmt::format("invalid type: {}, expected a string", describe_kind(node)));
  }
  return node.Scalar();
}

std::optional<std::string> as_optional_string(const YAML::Node& node, std::string_view path) {
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  return as_string(node, path);
}

std::uint32_t as_u32(const YAML::Node& node, std::string_view path) {
  // Only a plain (unquoted) decimal scalar is a number; `"1"` is a string.
  if (node.IsScalar() && node.Tag() != "!") {
    const std::string& text = node.Scalar();
    if (!text.empty() && text.size() <= 10 &&
        text.find_first_not_of("0123456789") == std::string::npos) {
      unsigned long long value = std::stoull(text);
      if (value <= 0xFFFFFFFFull) return static_cast<std::uint32_t>(value);
    }
  }
  fail(node, path,
       fmt::format("invalid type: {}, expected an unsigned integer", describe_kind(node)));
}

std::vector<std::string> as_string_list(const YAML::Node& node, std::string_view path) {
  expect_sequence(node, path);
  std::vector<std::string> out;
  if (!node.IsDefined() || node.IsNull()) return out;
  out.reserve(node.size());
  for (std::size_t i = 0; i < node.size(); ++i)
    out.push_back(as_string(node[i], index_path(path, i)));
  return out;
}

}  // namespace omnigraph::policy::yaml
