// Embeddings: the reference's mock (bit-exact), the environment switch, and
// the OpenAI-compatible HTTP client against a canned local server.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bit>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "engine/embed/embedder.h"
#include "engine/embed/http_embedder.h"

namespace omnigraph::engine::embed {
namespace {

std::vector<uint32_t> bits(const std::vector<float>& v) {
  std::vector<uint32_t> out;
  for (float f : v) out.push_back(std::bit_cast<uint32_t>(f));
  return out;
}

// Pins computed by an independent implementation of languages.md §4.6.
TEST(MockEmbedding, IsBitExact) {
  EXPECT_EQ(bits(mock_embedding("hello", 4)),
            (std::vector<uint32_t>{0xbeb4a40b, 0x3f130a77, 0x3efba5f9, 0xbf0d285d}));
  EXPECT_EQ(bits(mock_embedding("alpha", 4)),
            (std::vector<uint32_t>{0xbf0ac3b6, 0xbef18fb2, 0x3e24c44d, 0x3f2d3151}));
  EXPECT_EQ(bits(mock_embedding("", 4)),
            (std::vector<uint32_t>{0xbeddaa50, 0xbf43a6a4, 0xbea724c4, 0x3eb2c1ff}));
}

TEST(MockEmbedding, IsDeterministicAndNormalised) {
  auto a = mock_embedding("some text", 64);
  EXPECT_EQ(a, mock_embedding("some text", 64));
  EXPECT_NE(a, mock_embedding("some text!", 64));
  double sum = 0;
  for (float v : a) sum += double(v) * v;
  EXPECT_NEAR(sum, 1.0, 1e-5);
  // A prefix of a longer embedding before normalisation: same direction.
  MockEmbedder mock;
  auto batch = mock.embed({"x", "y"}, 8);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0], mock_embedding("x", 8));
  EXPECT_EQ(batch[1], mock_embedding("y", 8));
}

class EnvGuard {
 public:
  EnvGuard(std::initializer_list<std::pair<const char*, const char*>> vars) {
    for (auto [name, value] : vars) {
      const char* old = std::getenv(name);
      saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
      if (value) {
        setenv(name, value, 1);
      } else {
        unsetenv(name);
      }
    }
  }
  ~EnvGuard() {
    for (auto& [name, value] : saved_) {
      if (value) {
        setenv(name, value->c_str(), 1);
      } else {
        unsetenv(name);
      }
    }
  }

 private:
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

TEST(EmbedderFromEnv, MockSwitchAcceptsTheReferenceSpellings) {
  for (const char* on : {"1", "true", "YES", " on "}) {
    EnvGuard env{{"OMNIGRAPH_EMBEDDINGS_MOCK", on}};
    EXPECT_TRUE(mock_requested()) << on;
    auto e = embedder_from_env("test");
    EXPECT_EQ(e->embed_one("hello", 4), mock_embedding("hello", 4));
  }
  for (const char* off : {"0", "false", "", "maybe"}) {
    EnvGuard env{{"OMNIGRAPH_EMBEDDINGS_MOCK", off}};
    EXPECT_FALSE(mock_requested()) << off;
  }
}

TEST(EmbedderFromEnv, WithoutKeyOrMockIsAClearError) {
  EnvGuard env({{"OMNIGRAPH_EMBEDDINGS_MOCK", nullptr},
                {"OMNIGRAPH_EMBEDDINGS_API_KEY", nullptr},
                {"OPENAI_API_KEY", nullptr}});
  try {
    embedder_from_env("nearest() needs a string embedding");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    EXPECT_NE(std::string(e.what()).find(
                  "OPENAI_API_KEY) is required when nearest() needs a string embedding"),
              std::string::npos)
        << e.what();
  }
}

TEST(EmbedderFromEnv, KeySelectsTheHttpClient) {
  EnvGuard env({{"OMNIGRAPH_EMBEDDINGS_MOCK", nullptr},
                {"OMNIGRAPH_EMBEDDINGS_API_KEY", nullptr},
                {"OPENAI_API_KEY", "sk-test"}});
  auto e = embedder_from_env("test");
  EXPECT_NE(dynamic_cast<HttpEmbedder*>(e.get()), nullptr);
}

// A one-thread HTTP server on 127.0.0.1 that answers each connection with
// the next canned response and records the requests it saw.
class CannedServer {
 public:
  explicit CannedServer(std::vector<std::string> responses)
      : responses_(responses.begin(), responses.end()) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  static std::string response(int status, const std::string& body,
                              const std::string& extra_headers = "") {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
           extra_headers + "Content-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
  }

 private:
  void serve() {
    for (;;) {
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      std::string request;
      char buffer[4096];
      size_t body_start = std::string::npos, content_length = 0;
      while (true) {
        ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
        if (body_start == std::string::npos) {
          size_t end = request.find("\r\n\r\n");
          if (end == std::string::npos) continue;
          body_start = end + 4;
          std::string lower = request.substr(0, end);
          for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          size_t cl = lower.find("content-length:");
          if (cl != std::string::npos) content_length = std::stoul(lower.substr(cl + 15));
        }
        if (request.size() >= body_start + content_length) break;
      }
      std::string reply;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        if (!responses_.empty()) {
          reply = responses_.front();
          responses_.pop_front();
        } else {
          reply = response(500, "{}");
        }
      }
      ::send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
      ::close(client);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::deque<std::string> responses_;
  std::vector<std::string> requests_;
};

HttpEmbedderConfig config_for(const CannedServer& server) {
  HttpEmbedderConfig config;
  config.base_url = server.base_url();
  config.model = "test-model";
  config.api_key = "sk-test";
  config.timeout_ms = 5000;
  config.max_retries = 2;
  config.initial_backoff_ms = 1;
  config.max_backoff_ms = 5;
  return config;
}

TEST(HttpEmbedder, RetriesA429ThenReadsTheVectors) {
  CannedServer server(
      {CannedServer::response(429, R"({"error":{"message":"slow down"}})"),
       CannedServer::response(200, R"({"object":"list","data":[)"
                                   R"({"object":"embedding","index":1,"embedding":[0,3]},)"
                                   R"({"object":"embedding","index":0,"embedding":[3,4]}]})")});
  HttpEmbedder client(config_for(server));
  auto vectors = client.embed({"first", "second"}, 2);
  ASSERT_EQ(vectors.size(), 2u);
  // Placed by `index`, then L2-normalised.
  EXPECT_EQ(vectors[0], (std::vector<float>{0.6f, 0.8f}));
  EXPECT_EQ(vectors[1], (std::vector<float>{0.0f, 1.0f}));
  EXPECT_EQ(client.requests_sent(), 2u);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].rfind("POST /v1/embeddings ", 0), 0u) << requests[1];
  EXPECT_NE(requests[1].find("Authorization: Bearer sk-test"), std::string::npos);
  EXPECT_NE(requests[1].find(R"("model":"test-model")"), std::string::npos);
  EXPECT_NE(requests[1].find(R"("input":["first","second"])"), std::string::npos);
  EXPECT_NE(requests[1].find(R"("dimensions":2)"), std::string::npos);
}

TEST(HttpEmbedder, GivesUpAfterTheRetriesOnServerErrors) {
  CannedServer server({CannedServer::response(503, "{}"), CannedServer::response(502, "{}"),
                       CannedServer::response(500, R"({"error":{"message":"down"}})")});
  HttpEmbedder client(config_for(server));
  try {
    client.embed({"x"}, 2);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "embeddings request failed with HTTP 500: down");
  }
  EXPECT_EQ(client.requests_sent(), 3u);  // 1 + max_retries
}

TEST(HttpEmbedder, ClientErrorsAreNotRetried) {
  CannedServer server(
      {CannedServer::response(401, R"({"error":{"message":"Incorrect API key provided"}})")});
  HttpEmbedder client(config_for(server));
  try {
    client.embed({"x"}, 2);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    EXPECT_EQ(std::string(e.what()),
              "embeddings request failed with HTTP 401: Incorrect API key provided");
  }
  EXPECT_EQ(client.requests_sent(), 1u);
}

TEST(HttpEmbedder, WrongDimensionIsAnError) {
  CannedServer server(
      {CannedServer::response(200, R"({"data":[{"index":0,"embedding":[1,2,3]}]})")});
  HttpEmbedder client(config_for(server));
  try {
    client.embed({"x"}, 2);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "embedding has 3 dimensions, expected 2");
  }
}

TEST(HttpEmbedder, UnreachableServerIsATransportError) {
  int port;
  {
    CannedServer closed({});
    port = std::stoi(closed.base_url().substr(17));
  }
  HttpEmbedderConfig config;
  config.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  config.api_key = "k";
  config.max_retries = 1;
  config.initial_backoff_ms = 1;
  config.connect_timeout_ms = 2000;
  HttpEmbedder client(config);
  try {
    client.embed({"x"}, 2);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_NE(std::string(e.what()).find("embeddings request to"), std::string::npos);
  }
  EXPECT_EQ(client.requests_sent(), 2u);
}

}  // namespace
}  // namespace omnigraph::engine::embed
