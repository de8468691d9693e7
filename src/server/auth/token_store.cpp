#include "server/auth/token_store.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"

namespace omnigraph::server::auth {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kBlank = " \t\r\n\f\v";
constexpr std::string_view kBearerPrefix = "Bearer ";

std::string trim(std::string_view text) {
  auto begin = text.find_first_not_of(kBlank);
  if (begin == std::string_view::npos) return {};
  return std::string(text.substr(begin, text.find_last_not_of(kBlank) - begin + 1));
}

std::array<std::uint8_t, 32> sha256(std::string_view data) {
  std::array<std::uint8_t, 32> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return digest;
}

constexpr std::string_view kJsonShapeMessage =
    "OMNIGRAPH_SERVER_BEARER_TOKENS_JSON must be a JSON object of actor->token";

// A JSON object whose values are all strings. Keys are kept in file order
// (validation sorts later), duplicates included so they are reported.
Pairs parse_tokens_json(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) throw_bad_request(std::string(kJsonShapeMessage));
  Pairs pairs;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    if (!it->value.IsString()) throw_bad_request(std::string(kJsonShapeMessage));
    pairs.emplace_back(std::string(it->name.GetString(), it->name.GetStringLength()),
                       std::string(it->value.GetString(), it->value.GetStringLength()));
  }
  return pairs;
}

Pairs read_tokens_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_bad_request(
        fmt::format("failed to read bearer tokens file at {}: {}", path, std::strerror(errno)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    throw_bad_request(fmt::format("failed to read bearer tokens file at {}: read error", path));
  }
  try {
    return parse_tokens_json(buffer.str());
  } catch (const Error& error) {
    throw_bad_request(
        fmt::format("failed to parse bearer tokens file at {}: {}", path, error.what()));
  }
}

bool visible_ascii(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u < 0x7f);
  });
}

}  // namespace

TokenStore TokenStore::from_pairs(Pairs pairs) {
  std::set<std::string, std::less<>> actors;
  std::set<std::string, std::less<>> tokens;
  Pairs normalized;
  normalized.reserve(pairs.size());
  for (auto& [raw_actor, raw_token] : pairs) {
    std::string actor = trim(raw_actor);
    if (actor.empty()) throw_bad_request("bearer token actor names must not be blank");
    std::string token = trim(raw_token);
    if (token.empty()) {
      throw_bad_request(fmt::format("bearer token for actor '{}' must not be blank", actor));
    }
    if (!actors.insert(actor).second) {
      throw_bad_request(fmt::format("duplicate bearer token actor '{}'", actor));
    }
    if (!tokens.insert(token).second) throw_bad_request("duplicate bearer token value configured");
    normalized.emplace_back(std::move(actor), std::move(token));
  }
  std::sort(normalized.begin(), normalized.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  TokenStore store;
  store.entries_.reserve(normalized.size());
  for (auto& [actor, token] : normalized) {
    store.entries_.push_back(Entry{std::move(actor), sha256(token)});
    // Drop the plaintext as soon as it is hashed.
    OPENSSL_cleanse(token.data(), token.size());
  }
  return store;
}

TokenStore TokenStore::from_env(const config::EnvLookup& env) {
  if (config::non_blank(env, kBearerTokensAwsSecretEnv)) {
    throw_bad_request(fmt::format(
        "{} is set but this server was built without AWS Secrets Manager support (the reference "
        "needs --features aws); configure {} or {} instead",
        kBearerTokensAwsSecretEnv, kBearerTokensFileEnv, kBearerTokensJsonEnv));
  }
  Pairs pairs;
  std::vector<std::string> sources;
  if (auto token = config::non_blank(env, kBearerTokenEnv)) {
    pairs.emplace_back("default", std::move(*token));
    sources.emplace_back("env");
  }
  if (auto file = config::non_blank(env, kBearerTokensFileEnv)) {
    Pairs from_file = read_tokens_file(*file);
    pairs.insert(pairs.end(), from_file.begin(), from_file.end());
    sources.push_back("file:" + *file);
  } else if (auto json = config::non_blank(env, kBearerTokensJsonEnv)) {
    Pairs from_json = parse_tokens_json(*json);
    pairs.insert(pairs.end(), from_json.begin(), from_json.end());
    sources.emplace_back("json");
  }
  TokenStore store = from_pairs(std::move(pairs));
  if (!sources.empty()) store.source_ = fmt::format("{}", fmt::join(sources, "+"));
  return store;
}

std::vector<std::string> TokenStore::actors() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const Entry& entry : entries_) out.push_back(entry.actor);
  return out;
}

TokenCheck TokenStore::check(std::optional<std::string_view> authorization,
                             std::string* actor) const {
  if (!authorization || !visible_ascii(*authorization) ||
      !authorization->starts_with(kBearerPrefix)) {
    return TokenCheck::kMissing;
  }
  // The remainder is hashed as sent (not trimmed), like the reference.
  auto digest = sha256(authorization->substr(kBearerPrefix.size()));
  // Compare against every digest without stopping early, so the time taken
  // does not depend on which (if any) token matched.
  const Entry* match = nullptr;
  for (const Entry& entry : entries_) {
    bool equal = CRYPTO_memcmp(entry.digest.data(), digest.data(), digest.size()) == 0;
    if (equal && match == nullptr) match = &entry;
  }
  if (match == nullptr) return TokenCheck::kInvalid;
  if (actor != nullptr) *actor = match->actor;
  return TokenCheck::kValid;
}

std::optional<std::string> TokenStore::actor_for(
    std::optional<std::string_view> authorization) const {
  std::string actor;
  if (check(authorization, &actor) != TokenCheck::kValid) return std::nullopt;
  return actor;
}

}  // namespace omnigraph::server::auth
