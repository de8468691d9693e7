// Black-box HTTP test helpers: start the real omnigraph-server binary on a
// free loopback port (readiness by polling /healthz, never fixed sleeps),
// talk HTTP/1.1 to it with a small Beast client, stop it with a signal and
// collect its exit status, and build the reference fixture graph with the
// omnigraph CLI.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
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

#include "../reference_fixture.h"

namespace omnigraph::http_test {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

inline std::string bin(const std::string& name) {
  return std::string(OG_BINARY_DIR) + "/bin/" + name;
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << "not JSON: " << text;
  return doc;
}

// JSON string literal of `s` (for building request bodies).
inline std::string jstr(const std::string& s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  return buffer.GetString();
}

// A fresh directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "og-http-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    path_ = mkdtemp(buf.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// A port nobody listens on right now (the kernel picks it).
inline int free_port() {
  net::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

struct HttpResult {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  bool complete = true;  // false when the body was cut short (stream aborted)

  rapidjson::Document json() const { return parse_json(body); }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// One keep-alive connection.
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port), stream_(io_) {}

  HttpResult request(const std::string& method, const std::string& target,
                     const std::string& body = "",
                     std::map<std::string, std::string> headers = {}) {
    if (!connected_) {
      stream_.connect(
          tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)));
      connected_ = true;
    }
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    if (!body.empty() && !headers.count("Content-Type"))
      req.set(bhttp::field::content_type, "application/json");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    bhttp::write(stream_, req);
    return read_response();
  }

  // Skips interim 1xx responses (100 Continue).
  HttpResult read_response() {
    HttpResult result = read_one();
    while (result.status >= 100 && result.status < 200) result = read_one();
    return result;
  }

  HttpResult read_one() {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    beast::error_code ec;
    bhttp::read(stream_, buffer_, parser, ec);
    HttpResult result;
    if (ec && !parser.is_header_done()) throw std::runtime_error("no response: " + ec.message());
    result.complete = !ec;
    const auto& res = parser.get();
    result.status = res.result_int();
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      result.headers[name] = std::string(field.value());
    }
    result.body = res.body();
    if (ec || !res.keep_alive()) close();
    return result;
  }

  beast::tcp_stream& stream() { return stream_; }
  void close() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    connected_ = false;
  }

 private:
  int port_;
  net::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

// One request on a fresh connection.
inline HttpResult http_call(int port, const std::string& method, const std::string& target,
                            const std::string& body = "",
                            std::map<std::string, std::string> headers = {}) {
  HttpClient client(port);
  return client.request(method, target, body, std::move(headers));
}

// The omnigraph-server binary running in the background.
class ServerProcess {
 public:
  // `args` follow the binary name; `--bind 127.0.0.1:<port>` is added.
  ServerProcess(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                fs::path cwd = fs::current_path(), fs::path log = {})
      : port_(free_port()) {
    if (log.empty()) {
      log = fs::temp_directory_path() / ("og-http-server-" + std::to_string(port_) + ".log");
      owns_log_ = true;
    }
    log_ = log;
    args.push_back("--bind");
    args.push_back("127.0.0.1:" + std::to_string(port_));
    pid_ = fork();
    if (pid_ == 0) {
      if (chdir(cwd.c_str()) != 0) _exit(126);
      FILE* out = std::freopen(log.c_str(), "w", stderr);
      if (out == nullptr) _exit(126);
      dup2(fileno(stderr), STDOUT_FILENO);
      for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
      std::string program = bin("omnigraph-server");
      std::vector<char*> argv;
      argv.push_back(program.data());
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(program.c_str(), argv.data());
      _exit(127);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    if (owns_log_ && !::testing::Test::HasFailure()) fs::remove(log_, ec);  // kept for failed tests
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return read_file(log_); }

  // Polls /healthz until it answers 200; false when the process exits first
  // or the deadline passes.
  bool wait_ready(std::chrono::seconds deadline = std::chrono::seconds(30)) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
      if (has_exited()) return false;
      try {
        if (http_call(port_, "GET", "/healthz").status == 200) return true;
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(
          std::chrono::milliseconds(20));  // poll interval, not a synchronisation
    }
    return false;
  }

  bool has_exited() {
    if (exited_) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return exited_;
  }

  // Sends `signal` and waits for the exit; returns the exit code (128+signal when killed).
  int stop(int signal = SIGTERM) {
    if (!exited_) kill(pid_, signal);
    return wait_exit();
  }
  int wait_exit() {
    if (!exited_) {
      int status = 0;
      waitpid(pid_, &status, 0);
      exited_ = true;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return exit_code_;
  }

 private:
  int port_;
  fs::path log_;
  bool owns_log_ = false;
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_code_ = -1;
};

// ---- The reference fixture (http-contract §7) ------------------------------

inline const char* kSchema = omnigraph::test_fixture::kReferenceSchema;

inline const char* kData = R"({"type":"Person","data":{"name":"Alice","age":30}}
{"type":"Person","data":{"name":"Bob","age":25}}
{"type":"Person","data":{"name":"Charlie","age":35}}
{"type":"Person","data":{"name":"Diana","age":28}}
{"type":"Company","data":{"name":"Acme"}}
{"type":"Company","data":{"name":"Globex"}}
{"edge":"Knows","from":"Alice","to":"Bob"}
{"edge":"Knows","from":"Alice","to":"Charlie"}
{"edge":"Knows","from":"Bob","to":"Diana"}
{"edge":"WorksAt","from":"Alice","to":"Acme"}
{"edge":"WorksAt","from":"Bob","to":"Globex"}
)";

inline const char* kGetPerson = R"(query get_person($name: String) {
    match {
        $p: Person { name: $name }
    }
    return { $p.name, $p.age }
}
)";

inline const char* kAllPeople = R"(query people() {
    match {
        $p: Person
    }
    return { $p.name }
    order { $p.name asc }
}
)";

inline const char* kMutations = R"(query insert_person($name: String, $age: I32) {
    insert Person { name: $name, age: $age }
}

query set_age($name: String, $age: I32) {
    update Person set { age: $age } where name = $name
}
)";

// Runs the omnigraph CLI; returns its exit status (output goes to `log`).
inline int run_cli(const std::vector<std::string>& args, const fs::path& log) {
  std::string command = "'" + bin("omnigraph") + "'";
  for (const auto& arg : args) command += " '" + arg + "'";
  command += " >'" + log.string() + "' 2>&1";
  int raw = std::system(command.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

// Creates the fixture graph at `dir / name` (schema + data) with the CLI.
inline fs::path make_fixture_graph(const fs::path& dir, const std::string& name = "server.og",
                                   const std::string& data = kData) {
  write_file(dir / "test.pg", kSchema);
  write_file(dir / (name + ".jsonl"), data);
  fs::path graph = dir / name;
  fs::path log = dir / "cli.log";
  EXPECT_EQ(run_cli({"init", "--schema", (dir / "test.pg").string(), graph.string()}, log), 0)
      << read_file(log);
  if (!data.empty()) {
    EXPECT_EQ(run_cli({"load", "--data", (dir / (name + ".jsonl")).string(), graph.string()}, log),
              0)
        << read_file(log);
  }
  return graph;
}

// Body helpers.
inline std::string read_body(const std::string& source, const std::string& name,
                             const std::string& params, const std::string& extra = "") {
  std::string body = "{\"query_source\":" + jstr(source);
  if (!name.empty()) body += ",\"query_name\":" + jstr(name);
  if (!params.empty()) body += ",\"params\":" + params;
  return body + extra + "}";
}

}  // namespace omnigraph::http_test
