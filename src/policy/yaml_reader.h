// Typed reads from a yaml-cpp tree for the policy files. Every shape error
// names the offending field by path (`rules[0].allow.actions[1]`) and its
// position, so users can find the mistake without guessing.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::policy::yaml {

// Parses one YAML document; syntax errors become kBadRequest errors.
YAML::Node parse_document(std::string_view text);

// Reads a whole file; `what` names it in the error ("policy file").
std::string read_file(const std::filesystem::path& path, std::string_view what);

// Throws kBadRequest "<path>: <problem> at line L column C".
[[noreturn]] void fail(const YAML::Node& node, std::string_view path, std::string_view problem);

std::string child_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, std::size_t index);

// A missing or null node reads as an empty mapping / sequence.
void expect_map(const YAML::Node& node, std::string_view path);
void expect_sequence(const YAML::Node& node, std::string_view path);

// Rejects keys outside `allowed` (a typo in a rule must not silently widen
// access) and repeated keys.
void check_keys(const YAML::Node& map, std::string_view path,
                std::initializer_list<std::string_view> allowed);

// Rejects repeated keys only; other keys are left to the caller.
void check_no_duplicate_keys(const YAML::Node& map, std::string_view path);

// The value of `key` in `map`, or an undefined node when absent.
YAML::Node get(const YAML::Node& map, std::string_view key);

// A required field: absent -> "missing field `key`".
YAML::Node require(const YAML::Node& map, std::string_view path, std::string_view key);

// A scalar as text; null reads as "" so blank checks report it.
std::string as_string(const YAML::Node& node, std::string_view path);

// Absent or null -> nullopt.
std::optional<std::string> as_optional_string(const YAML::Node& node, std::string_view path);

std::uint32_t as_u32(const YAML::Node& node, std::string_view path);

std::vector<std::string> as_string_list(const YAML::Node& node, std::string_view path);

}  // namespace omnigraph::policy::yaml
