#include "cli/env_file.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/error.h"

namespace omnigraph::cli {
namespace {

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  std::size_t begin = s.find_first_not_of(ws);
  if (begin == std::string_view::npos) return {};
  std::size_t end = s.find_last_not_of(ws);
  return s.substr(begin, end - begin + 1);
}

// Every assignment in the file, in order; nothing when it does not exist.
std::vector<std::pair<std::string, std::string>> read_assignments(
    const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return {};
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_bad_request("cannot read env file '" + file.string() + "'");
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string line; std::getline(in, line);) {
    if (auto assignment = parse_env_assignment(line)) out.push_back(std::move(*assignment));
  }
  return out;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> parse_env_assignment(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.front() == '#') return std::nullopt;
  if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
  std::size_t eq = line.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  std::string_view name = trim(line.substr(0, eq));
  if (name.empty()) return std::nullopt;
  std::string_view value = trim(line.substr(eq + 1));
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return std::make_pair(std::string(name), std::string(value));
}

std::optional<std::string> normalize_token(std::optional<std::string> value) {
  if (!value) return std::nullopt;
  std::string_view trimmed = trim(*value);
  if (trimmed.empty()) return std::nullopt;
  return std::string(trimmed);
}

std::optional<std::string> env_file_value(const std::filesystem::path& file,
                                          std::string_view name) {
  for (auto& [key, value] : read_assignments(file)) {
    if (key == name) return normalize_token(std::move(value));
  }
  return std::nullopt;
}

void load_env_file_into_process(const std::filesystem::path& file) {
  for (const auto& [key, value] : read_assignments(file)) {
    ::setenv(key.c_str(), value.c_str(), /*overwrite=*/0);
  }
}

}  // namespace omnigraph::cli
