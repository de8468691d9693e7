// `.env` files as the CLI reads them (auth.env_file in omnigraph.yaml):
// one `NAME=value` per line, optionally prefixed with `export `, with `#`
// comments, blank lines and one level of matching single or double quotes
// around the value.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace omnigraph::cli {

// The (name, value) of one line; nullopt for blanks, comments and lines
// without `=` or with an empty name.
std::optional<std::pair<std::string, std::string>> parse_env_assignment(std::string_view line);

// The value assigned to `name` in the file (first assignment wins), trimmed;
// nullopt when the file does not exist, the name is absent or the value is
// blank. An unreadable existing file is Error(kBadRequest).
std::optional<std::string> env_file_value(const std::filesystem::path& file, std::string_view name);

// Sets every variable the file assigns that the process environment does
// not already have, so a real environment variable always wins over the
// file. A missing file is not an error.
void load_env_file_into_process(const std::filesystem::path& file);

// `value` trimmed; nullopt when that leaves nothing.
std::optional<std::string> normalize_token(std::optional<std::string> value);

}  // namespace omnigraph::cli
