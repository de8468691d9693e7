// The bearer tokens a server accepts, loaded once at startup (no hot
// reload). Only SHA-256 digests are kept; a request's token is hashed and
// compared in constant time against every digest, so neither the stored
// plaintext nor the comparison timing reveals a token.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/config/env.h"

namespace omnigraph::server::auth {

inline constexpr std::string_view kBearerTokenEnv = "OMNIGRAPH_SERVER_BEARER_TOKEN";
inline constexpr std::string_view kBearerTokensJsonEnv = "OMNIGRAPH_SERVER_BEARER_TOKENS_JSON";
inline constexpr std::string_view kBearerTokensFileEnv = "OMNIGRAPH_SERVER_BEARER_TOKENS_FILE";
inline constexpr std::string_view kBearerTokensAwsSecretEnv =
    "OMNIGRAPH_SERVER_BEARER_TOKENS_AWS_SECRET";

// The outcome of checking one Authorization header.
enum class TokenCheck {
  kMissing,  // no header, not visible ASCII, or no exact `Bearer ` prefix
  kInvalid,  // well-formed but matches no configured token
  kValid,
};

class TokenStore {
 public:
  TokenStore() = default;  // no tokens

  // Loads the token sources of http-contract §4.1:
  //  * OMNIGRAPH_SERVER_BEARER_TOKENS_AWS_SECRET set non-blank: this build
  //    has no AWS Secrets Manager client, so startup fails (message names
  //    the variable and `--features aws`, like a reference build without it);
  //  * otherwise OMNIGRAPH_SERVER_BEARER_TOKEN (trimmed, blank = unset) as
  //    actor `default`, united with OMNIGRAPH_SERVER_BEARER_TOKENS_FILE
  //    (a JSON object file) if set non-blank, else
  //    OMNIGRAPH_SERVER_BEARER_TOKENS_JSON (inline JSON object).
  // Throws Error(kBadRequest) with the reference's startup messages:
  //   `bearer token actor names must not be blank`,
  //   `bearer token for actor '<a>' must not be blank`,
  //   `duplicate bearer token actor '<a>'`,
  //   `duplicate bearer token value configured`,
  //   `OMNIGRAPH_SERVER_BEARER_TOKENS_JSON must be a JSON object of actor->token`,
  //   `failed to read bearer tokens file at <path>: <os error>`,
  //   `failed to parse bearer tokens file at <path>: <json message>`.
  static TokenStore from_env(const config::EnvLookup& env);

  // From (actor, token) pairs, with the same trimming and validation.
  static TokenStore from_pairs(std::vector<std::pair<std::string, std::string>> pairs);

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }

  // Configured actor ids, sorted.
  std::vector<std::string> actors() const;

  // Where the tokens came from, for the startup log: "none", or the sources
  // joined with '+': "env" (single token), "file:<path>", "json".
  const std::string& source() const { return source_; }

  // Checks an `Authorization` header value (nullopt: header absent). On
  // kValid, `actor` receives the token's actor id.
  TokenCheck check(std::optional<std::string_view> authorization,
                   std::string* actor = nullptr) const;

  // The actor for a header, or nullopt when it is missing or invalid.
  std::optional<std::string> actor_for(std::optional<std::string_view> authorization) const;

 private:
  struct Entry {
    std::string actor;
    std::array<std::uint8_t, 32> digest;
  };
  std::vector<Entry> entries_;  // sorted by actor
  std::string source_ = "none";
};

}  // namespace omnigraph::server::auth
