#include "server/config/env.h"

#include <cstdlib>

namespace omnigraph::server::config {

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

EnvLookup map_env(std::map<std::string, std::string, std::less<>> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::optional<std::string> non_blank(const EnvLookup& env, std::string_view name) {
  std::optional<std::string> value = env(name);
  if (!value) return std::nullopt;
  constexpr std::string_view kBlank = " \t\r\n\f\v";
  auto begin = value->find_first_not_of(kBlank);
  if (begin == std::string::npos) return std::nullopt;
  auto end = value->find_last_not_of(kBlank);
  return value->substr(begin, end - begin + 1);
}

}  // namespace omnigraph::server::config
