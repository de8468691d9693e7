// Black-box auth tests against the real omnigraph-server binary: the three
// token sources, actor attribution (spoofed actor headers ignored), the
// three runtime states and the startup refusals, and admission 429s.
// Each test starts its own server on a free loopback port with a fixed
// environment (nothing inherited from the test process).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace omnigraph::http_auth_test {
namespace {

namespace fs = std::filesystem;

const fs::path kBinDir = fs::path(OG_BINARY_DIR) / "bin";

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  rapidjson::Document json() const {
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    EXPECT_FALSE(doc.HasParseError()) << body;
    return doc;
  }
  std::string error() const {
    auto doc = json();
    return doc.IsObject() && doc.HasMember("error") ? doc["error"].GetString() : "";
  }
  std::string code() const {
    auto doc = json();
    return doc.IsObject() && doc.HasMember("code") ? doc["code"].GetString() : "";
  }
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string dechunk(const std::string& body) {
  std::string out;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t eol = body.find("\r\n", pos);
    if (eol == std::string::npos) break;
    std::size_t size = std::stoul(body.substr(pos, eol - pos), nullptr, 16);
    if (size == 0) break;
    out += body.substr(eol + 2, size);
    pos = eol + 2 + size + 2;
  }
  return out;
}

// One HTTP/1.1 request with `Connection: close`; the response is read to EOF.
Response request(int port, const std::string& method, const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers = {},
                 const std::optional<std::string>& json_body = std::nullopt) {
  int fd = connect_to(port);
  EXPECT_GE(fd, 0) << "connect to port " << port;
  if (fd < 0) return {};
  std::string text =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) text += name + ": " + value + "\r\n";
  if (json_body) {
    text +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(json_body->size()) +
        "\r\n\r\n" + *json_body;
  } else {
    text += "\r\n";
  }
  std::size_t sent = 0;
  while (sent < text.size()) {
    ssize_t n = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);

  Response response;
  std::size_t head_end = raw.find("\r\n\r\n");
  EXPECT_NE(head_end, std::string::npos) << raw;
  if (head_end == std::string::npos) return response;
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  response.status = std::stoi(line.substr(line.find(' ') + 1, 3));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    response.headers[lower(line.substr(0, colon))] = value;
  }
  response.body = raw.substr(head_end + 4);
  if (lower(response.headers["transfer-encoding"]) == "chunked") {
    response.body = dechunk(response.body);
  }
  return response;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

using Env = std::map<std::string, std::string>;

const char* kSchema = R"(node Person {
    name: String @key
    age: I32
}
)";

const char* kInsert =
    "query add($name: String, $age: I32) { insert Person { name: $name, age: $age } }";

std::string insert_body(const std::string& name) {
  return std::string(R"({"query_source":")") + kInsert + R"(","params":{"name":")" + name +
         R"(","age":30}})";
}

// A scratch directory with one initialised graph and an omnigraph.yaml.
class AuthHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "og-auth-http-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    write_file(dir_ / "schema.pg", kSchema);
    std::string command = "'" + (kBinDir / "omnigraph").string() + "' init --schema '" +
                          (dir_ / "schema.pg").string() + "' '" + graph().string() +
                          "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  void TearDown() override {
    stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path graph() const { return dir_ / "graph"; }

  // Writes omnigraph.yaml; with a policy its `policy.file` points at it.
  fs::path config(const std::optional<std::string>& policy_yaml) {
    std::string text = "project: { name: auth-test }\n";
    if (policy_yaml) {
      write_file(dir_ / "policy.yaml", *policy_yaml);
      text += "policy:\n  file: policy.yaml\n";
    }
    write_file(dir_ / "omnigraph.yaml", text);
    return dir_ / "omnigraph.yaml";
  }

  // Starts the server; returns false (with the log in `log`) if it exited
  // before accepting connections.
  bool start(Env env, std::vector<std::string> extra_args = {}, std::string* log = nullptr) {
    port_ = free_port();
    log_path_ = dir_ / ("server-" + std::to_string(port_) + ".log");
    // Single mode serves graph() by URI; multi mode only the config's graphs.
    std::vector<std::string> args = {(kBinDir / "omnigraph-server").string()};
    if (!multi_) args.push_back(graph().string());
    args.insert(args.end(), {"--config", (dir_ / "omnigraph.yaml").string(), "--bind",
                             "127.0.0.1:" + std::to_string(port_)});
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    env.emplace("PATH", "/usr/bin:/bin");
    env.emplace("OMNIGRAPH_LOG", "info");
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);

    pid_ = ::fork();
    if (pid_ == 0) {
      int out = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      if (::chdir(dir_.c_str()) != 0) _exit(127);
      std::vector<char*> argv, envp;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      for (auto& e : env_strings) envp.push_back(e.data());
      envp.push_back(nullptr);
      ::execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (log) *log = read_all(log_path_);
        return false;
      }
      int fd = connect_to(port_);
      if (fd >= 0) {
        ::close(fd);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // readiness poll
    }
    ADD_FAILURE() << "server did not accept connections: " << read_all(log_path_);
    return false;
  }

  // Starts a server that must refuse to start; returns its log.
  std::string refused(Env env, std::vector<std::string> extra_args = {}) {
    std::string log;
    EXPECT_FALSE(start(std::move(env), std::move(extra_args), &log)) << "server started";
    EXPECT_NE(exit_status_, 0);
    return log;
  }

  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }

  Response get(const std::string& target,
               std::vector<std::pair<std::string, std::string>> headers = {}) {
    return request(port_, "GET", target, headers);
  }
  Response post(const std::string& target, const std::string& body,
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    return request(port_, "POST", target, headers, body);
  }
  static std::pair<std::string, std::string> bearer(const std::string& token) {
    return {"Authorization", "Bearer " + token};
  }

  // Multi-graph mode: graphs alpha (with `alpha_policy`) and beta (none),
  // served from omnigraph.yaml's `graphs:` map.
  void multi_config(const std::string& alpha_policy) {
    multi_ = true;
    for (std::string id : {"alpha", "beta"}) {
      std::string command = "'" + (kBinDir / "omnigraph").string() + "' init --schema '" +
                            (dir_ / "schema.pg").string() + "' '" + (dir_ / id).string() +
                            "' >/dev/null 2>&1";
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
    write_file(dir_ / "alpha-policy.yaml", alpha_policy);
    write_file(dir_ / "omnigraph.yaml",
               "graphs:\n  alpha:\n    uri: ./alpha\n    policy: { file: alpha-policy.yaml }\n"
               "  beta:\n    uri: ./beta\n");
  }

  bool multi_ = false;
  fs::path dir_;
  fs::path log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
  int exit_status_ = 0;
};

const char* kPolicy = R"(version: 1
groups:
  team: [act-andrew, act-bruno]
  admins: [act-ragnor]
protected_branches: [main]
rules:
  - id: team-read
    allow: { actors: { group: team }, actions: [read], branch_scope: any }
  - id: admins-all
    allow: { actors: { group: admins }, actions: [read, change, export], branch_scope: any }
)";

const char* kTeamTokens =
    R"({"act-andrew":"tok-andrew","act-bruno":"tok-bruno","act-ragnor":"tok-ragnor"})";

// --- token sources -------------------------------------------------------

TEST_F(AuthHttpTest, SingleTokenEnvAuthenticatesActorDefault) {
  config(std::nullopt);
  ASSERT_TRUE(start({{"OMNIGRAPH_SERVER_BEARER_TOKEN", " tok-default "}}));
  EXPECT_EQ(get("/snapshot").status, 401);
  Response ok = get("/snapshot", {bearer("tok-default")});
  EXPECT_EQ(ok.status, 200) << ok.body;
  Response wrong = get("/snapshot", {bearer("tok-other")});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.error(), "invalid bearer token");
  EXPECT_EQ(wrong.code(), "unauthorized");
  EXPECT_EQ(wrong.headers.count("www-authenticate"), 0u);
  // The healthz probe stays open.
  EXPECT_EQ(get("/healthz").status, 200);
}

TEST_F(AuthHttpTest, JsonTokensAuthenticateEveryActor) {
  config(std::nullopt);
  ASSERT_TRUE(start({{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", kTeamTokens}}));
  for (std::string token : {"tok-andrew", "tok-bruno", "tok-ragnor"}) {
    EXPECT_EQ(get("/branches", {bearer(token)}).status, 200) << token;
  }
  Response missing = get("/branches");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.error(), "missing bearer token");
  EXPECT_EQ(get("/branches", {{"Authorization", "bearer tok-andrew"}}).status, 401);
  EXPECT_EQ(get("/branches", {{"Authorization", "Bearer  tok-andrew"}}).error(),
            "invalid bearer token");
}

TEST_F(AuthHttpTest, TokenFileWinsOverJsonAndUnitesWithSingleToken) {
  config(std::nullopt);
  write_file(dir_ / "tokens.json", R"({"act-file":"tok-file"})");
  ASSERT_TRUE(start({{"OMNIGRAPH_SERVER_BEARER_TOKENS_FILE", (dir_ / "tokens.json").string()},
                     {"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", R"({"act-json":"tok-json"})"},
                     {"OMNIGRAPH_SERVER_BEARER_TOKEN", "tok-default"}}));
  EXPECT_EQ(get("/branches", {bearer("tok-file")}).status, 200);
  EXPECT_EQ(get("/branches", {bearer("tok-default")}).status, 200);
  Response json = get("/branches", {bearer("tok-json")});
  EXPECT_EQ(json.status, 401);
  EXPECT_EQ(json.error(), "invalid bearer token");
}

TEST_F(AuthHttpTest, BadTokenConfigurationRefusesToStart) {
  config(std::nullopt);
  EXPECT_NE(refused({{"OMNIGRAPH_SERVER_BEARER_TOKEN", "same"},
                     {"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", R"({"other":"same"})"}})
                .find("duplicate bearer token value configured"),
            std::string::npos);
  EXPECT_NE(refused({{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", "[1]"}})
                .find("OMNIGRAPH_SERVER_BEARER_TOKENS_JSON must be a JSON object of actor->token"),
            std::string::npos);
  EXPECT_NE(refused({{"OMNIGRAPH_SERVER_BEARER_TOKENS_FILE", (dir_ / "absent.json").string()}})
                .find("failed to read bearer tokens file at"),
            std::string::npos);
  EXPECT_NE(refused({{"OMNIGRAPH_SERVER_BEARER_TOKENS_AWS_SECRET", "prod/tokens"},
                     {"OMNIGRAPH_SERVER_BEARER_TOKEN", "t"}})
                .find("--features aws"),
            std::string::npos);
}

// --- actor attribution -----------------------------------------------------

TEST_F(AuthHttpTest, ActorComesFromTheTokenNotFromHeaders) {
  config(kPolicy);
  ASSERT_TRUE(start({{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", kTeamTokens}}));
  // Spoofing up does not grant: andrew claiming to be ragnor is still denied.
  Response up = post(
      "/change", insert_body("Mina"),
      {bearer("tok-andrew"), {"X-Actor-Id", "act-ragnor"}, {"X-Omnigraph-Actor", "act-ragnor"}});
  EXPECT_EQ(up.status, 403);
  EXPECT_EQ(up.error(), "policy denied action 'change' on branch 'main' for actor 'act-andrew'");
  Response empty = post("/change", insert_body("Mina"), {bearer("tok-andrew"), {"X-Actor-Id", ""}});
  EXPECT_EQ(empty.status, 403);
  // Spoofing down does not deny, and the commit carries the token's actor.
  Response down =
      post("/change", insert_body("Mina"), {bearer("tok-ragnor"), {"X-Actor-Id", "act-andrew"}});
  ASSERT_EQ(down.status, 200) << down.body;
  auto doc = down.json();
  ASSERT_TRUE(doc["actor_id"].IsString());
  EXPECT_STREQ(doc["actor_id"].GetString(), "act-ragnor");
}

// --- runtime states -------------------------------------------------------

TEST_F(AuthHttpTest, NoTokensNoPolicyRefusesToStart) {
  config(std::nullopt);
  std::string log = refused({});
  EXPECT_NE(log.find("no bearer tokens and no policy file"), std::string::npos) << log;
  EXPECT_NE(log.find("--unauthenticated"), std::string::npos) << log;
  EXPECT_NE(log.find("OMNIGRAPH_UNAUTHENTICATED=1"), std::string::npos) << log;
  // A falsy opt-in is no opt-in.
  refused({{"OMNIGRAPH_UNAUTHENTICATED", "false"}});
  refused({{"OMNIGRAPH_UNAUTHENTICATED", "0"}});
}

TEST_F(AuthHttpTest, OpenModeWithEnvOptInAllowsEverythingWithoutActor) {
  config(std::nullopt);
  ASSERT_TRUE(start({{"OMNIGRAPH_UNAUTHENTICATED", "yes"}}));
  Response change = post("/change", insert_body("Open"));
  ASSERT_EQ(change.status, 200) << change.body;
  EXPECT_TRUE(change.json()["actor_id"].IsNull());
  // Any header, even an invalid token, is ignored.
  EXPECT_EQ(get("/branches", {bearer("not-a-token")}).status, 200);
  Response spoof = post("/change", insert_body("Open2"), {{"X-Actor-Id", "act-ragnor"}});
  ASSERT_EQ(spoof.status, 200);
  EXPECT_TRUE(spoof.json()["actor_id"].IsNull());
}

TEST_F(AuthHttpTest, OpenModeWithFlag) {
  config(std::nullopt);
  ASSERT_TRUE(start({}, {"--unauthenticated"}));
  EXPECT_EQ(post("/change", insert_body("Flag")).status, 200);
}

TEST_F(AuthHttpTest, DefaultDenyAllowsReadOnly) {
  config(std::nullopt);
  ASSERT_TRUE(start({{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", kTeamTokens}}));
  EXPECT_EQ(get("/snapshot", {bearer("tok-andrew")}).status, 200);
  EXPECT_EQ(get("/schema", {bearer("tok-andrew")}).status, 200);
  Response change = post("/change", insert_body("Nope"), {bearer("tok-ragnor")});
  EXPECT_EQ(change.status, 403);
  EXPECT_EQ(change.code(), "forbidden");
  EXPECT_EQ(change.error(),
            "server runs in default-deny mode (bearer tokens configured but no policy file). Only "
            "`read` actions are permitted; configure `policy.file` in omnigraph.yaml to enable "
            "other actions.");
  EXPECT_EQ(post("/export", "{}", {bearer("tok-ragnor")}).status, 403);
  EXPECT_EQ(post("/branches", R"({"name":"feature"})", {bearer("tok-ragnor")}).status, 403);
  // Still authenticated first.
  EXPECT_EQ(post("/change", insert_body("Nope")).status, 401);
}

TEST_F(AuthHttpTest, PolicyEnabledDistinguishes401From403) {
  config(kPolicy);
  ASSERT_TRUE(start({{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", kTeamTokens}}));
  Response missing = get("/snapshot");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.error(), "missing bearer token");
  EXPECT_EQ(get("/snapshot", {bearer("tok-bruno")}).status, 200);
  Response denied = post("/export", "{}", {bearer("tok-bruno")});
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.error(), "policy denied action 'export' on branch 'main' for actor 'act-bruno'");
  EXPECT_EQ(post("/export", "{}", {bearer("tok-ragnor")}).status, 200);
  // Missing token is 401 even when the body is malformed.
  EXPECT_EQ(post("/change", "{not json").status, 401);
}

TEST_F(AuthHttpTest, PolicyWithoutTokensRefusesToStart) {
  config(kPolicy);
  std::string log = refused({{"OMNIGRAPH_UNAUTHENTICATED", "1"}});
  EXPECT_NE(log.find("policy requires at least one configured bearer token actor"),
            std::string::npos)
      << log;
}

// --- multi-graph mode ---------------------------------------------------

TEST_F(AuthHttpTest, MultiModeGraphPolicyForcesAuthEverywhere) {
  multi_config(kPolicy);
  ASSERT_TRUE(start({{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", kTeamTokens}}));
  // beta has no policy, but a policy on alpha makes bearer auth process-wide.
  Response missing = get("/graphs/beta/snapshot");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.error(), "missing bearer token");
  EXPECT_EQ(get("/graphs", {}).status, 401);
  // A graph without a policy is default-deny for authenticated actors.
  EXPECT_EQ(get("/graphs/beta/snapshot", {bearer("tok-ragnor")}).status, 200);
  Response beta_change = post("/graphs/beta/change", insert_body("B"), {bearer("tok-ragnor")});
  EXPECT_EQ(beta_change.status, 403);
  EXPECT_NE(beta_change.error().find("default-deny"), std::string::npos);
  // alpha's policy decides for alpha.
  EXPECT_EQ(post("/graphs/alpha/change", insert_body("A"), {bearer("tok-ragnor")}).status, 200);
  EXPECT_EQ(post("/graphs/alpha/change", insert_body("A2"), {bearer("tok-andrew")}).status, 403);
  // No server policy: graph_list is default-deny.
  Response list = get("/graphs", {bearer("tok-ragnor")});
  EXPECT_EQ(list.status, 403);
  EXPECT_NE(list.error().find("default-deny"), std::string::npos);
}

TEST_F(AuthHttpTest, MultiModePolicyWithoutTokensStartsButRejectsEveryRequest) {
  multi_config(kPolicy);
  ASSERT_TRUE(start({}));
  EXPECT_EQ(get("/graphs/alpha/snapshot").status, 401);
  EXPECT_EQ(get("/graphs/beta/snapshot").status, 401);
  EXPECT_EQ(get("/graphs/alpha/snapshot", {bearer("anything")}).error(), "invalid bearer token");
  EXPECT_EQ(get("/healthz").status, 200);
}

// --- admission -----------------------------------------------------------

TEST_F(AuthHttpTest, InflightCapZeroRejectsWritesWith429) {
  config(kPolicy);
  ASSERT_TRUE(start({{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", kTeamTokens},
                     {"OMNIGRAPH_PER_ACTOR_INFLIGHT_MAX", "0"}}));
  Response limited = post("/change", insert_body("Capped"), {bearer("tok-ragnor")});
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.code(), "too_many_requests");
  EXPECT_EQ(limited.error(), "actor in-flight count cap 0 exceeded");
  EXPECT_EQ(limited.headers["retry-after"], "60");
  // Authorization runs first: a denied request is 403, never 429.
  EXPECT_EQ(post("/change", insert_body("Capped"), {bearer("tok-andrew")}).status, 403);
  // Reads are not admission-gated.
  EXPECT_EQ(get("/snapshot", {bearer("tok-ragnor")}).status, 200);
}

TEST_F(AuthHttpTest, ByteBudgetRejectsLargeWritesWith429) {
  config(kPolicy);
  ASSERT_TRUE(start({{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", kTeamTokens},
                     {"OMNIGRAPH_PER_ACTOR_BYTES_MAX", "10"}}));
  Response limited = post("/change", insert_body("Big"), {bearer("tok-ragnor")});
  EXPECT_EQ(limited.status, 429);
  std::size_t attempted =
      std::string(kInsert).size() + std::string(R"({"name":"Big","age":30})").size();
  EXPECT_EQ(limited.error(), "actor byte budget exceeded: would use " + std::to_string(attempted) +
                                 " bytes against cap 10");
  EXPECT_EQ(limited.headers["retry-after"], "60");
}

TEST_F(AuthHttpTest, InvalidAdmissionValuesKeepDefaults) {
  config(kPolicy);
  ASSERT_TRUE(start({{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", kTeamTokens},
                     {"OMNIGRAPH_PER_ACTOR_INFLIGHT_MAX", "lots"}}));
  EXPECT_EQ(post("/change", insert_body("Default"), {bearer("tok-ragnor")}).status, 200);
  EXPECT_NE(read_all(log_path_).find("OMNIGRAPH_PER_ACTOR_INFLIGHT_MAX"), std::string::npos);
}

}  // namespace
}  // namespace omnigraph::http_auth_test
