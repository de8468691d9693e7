// Environment access for server startup, behind a function so tests can
// hand in a fixed map instead of mutating the process environment (setenv
// races with other threads and leaks between tests).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace omnigraph::server::config {

// Returns the variable's value, or nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads the real process environment (getenv).
EnvLookup process_env();

// Reads from a fixed map (tests, embedding programs).
EnvLookup map_env(std::map<std::string, std::string, std::less<>> vars);

// The value trimmed of ASCII whitespace; nullopt when unset or blank.
std::optional<std::string> non_blank(const EnvLookup& env, std::string_view name);

}  // namespace omnigraph::server::config
