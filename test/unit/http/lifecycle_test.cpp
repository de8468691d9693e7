// Process lifecycle and streaming: graceful SIGTERM/SIGINT (in-flight
// requests complete, exit 0, no new connections), and /export streaming
// with backpressure (a stalled reader does not block the server).
#include "http_test_util.h"

namespace omnigraph::http_test {
namespace {

// Polls `predicate` every 20 ms until it holds or 10 s pass.
template <typename Predicate>
bool eventually(Predicate predicate) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return predicate();
}

bool can_connect(int port) {
  try {
    net::io_context io;
    tcp::socket socket(io);
    socket.connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

class Lifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_ = make_fixture_graph(dir_.path());
    server_ = std::make_unique<ServerProcess>(
        std::vector<std::string>{graph_.string(), "--unauthenticated"},
        std::map<std::string, std::string>{}, dir_.path());
    ASSERT_TRUE(server_->wait_ready()) << server_->log();
  }
  TempDir dir_;
  fs::path graph_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(Lifecycle, SigtermLetsTheInFlightRequestFinishThenExitsZero) {
  std::string body = read_body(kMutations, "insert_person", R"({"name":"Late","age":50})");
  HttpClient client(server_->port());
  client.stream().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                        static_cast<unsigned short>(server_->port())));
  std::string head =
      "POST /change HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
      "application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n\r\n";
  net::write(client.stream(), net::buffer(head));
  // 100 Continue proves the server is inside this request.
  ASSERT_EQ(client.read_one().status, 100u);
  kill(server_->pid(), SIGTERM);
  ASSERT_TRUE(eventually([&] { return server_->log().find("shutting down") != std::string::npos; }))
      << server_->log();
  ASSERT_TRUE(eventually([&] { return !can_connect(server_->port()); }));  // no new connections
  net::write(client.stream(), net::buffer(body));
  auto r = client.read_response();
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["affected_nodes"].GetUint64(), 1u);
  EXPECT_EQ(server_->wait_exit(), 0) << server_->log();
  EXPECT_NE(server_->log().find("graphs closed"), std::string::npos);

  // The write is durable: a new server sees it.
  ServerProcess again({graph_.string(), "--unauthenticated"}, {}, dir_.path());
  ASSERT_TRUE(again.wait_ready()) << again.log();
  auto read =
      http_call(again.port(), "POST", "/read", read_body(kGetPerson, "", R"({"name":"Late"})"));
  EXPECT_EQ(read.json()["row_count"].GetUint64(), 1u);
}

TEST_F(Lifecycle, SigintClosesIdleConnectionsAndExitsZero) {
  HttpClient idle(server_->port());
  ASSERT_EQ(idle.request("GET", "/healthz").status, 200u);  // keep-alive connection left open
  EXPECT_EQ(server_->stop(SIGINT), 0) << server_->log();
}

TEST_F(Lifecycle, ExportStreamsWithBackpressure) {
  std::string lines;
  const int kPeople = 30000;
  for (int i = 0; i < kPeople; ++i) {
    lines += "{\"type\":\"Person\",\"data\":{\"name\":\"person-" + std::to_string(i) +
             "\",\"age\":" + std::to_string(i % 90) + "}}\n";
  }
  auto ingest = http_call(server_->port(), "POST", "/ingest", "{\"data\":" + jstr(lines) + "}");
  ASSERT_EQ(ingest.status, 200u) << ingest.body;

  // A client that reads the headers and then stalls.
  HttpClient slow(server_->port());
  slow.stream().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                      static_cast<unsigned short>(server_->port())));
  std::string request =
      "POST /export HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
      "2\r\n\r\n{}";
  net::write(slow.stream(), net::buffer(request));
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  bhttp::read_header(slow.stream(), buffer, parser);
  EXPECT_EQ(parser.get().result_int(), 200u);
  EXPECT_TRUE(parser.get().chunked());

  // While it stalls, the server keeps serving others (I/O never blocks on it).
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(http_call(server_->port(), "POST", "/read",
                        read_body(kGetPerson, "", R"({"name":"Alice"})"))
                  .status,
              200u);
  }

  bhttp::read(slow.stream(), buffer, parser);
  const std::string& body = parser.get().body();
  EXPECT_EQ(std::count(body.begin(), body.end(), '\n'), kPeople + 11);
  EXPECT_EQ(body.back(), '\n');
  EXPECT_NE(body.find("{\"type\":\"Person\",\"data\":{\"id\":\"person-29999\""), std::string::npos);
}

// A plain (non-streamed) response larger than the socket buffers: the server
// sends what fits at once and the rest asynchronously, so the whole body
// arrives even when the client reads late, the keep-alive connection stays
// usable, and other clients are served meanwhile.
TEST_F(Lifecycle, LargeResponseToALateReaderArrivesWhole) {
  std::string lines;
  const int kPeople = 30000;
  const std::string padding(100, 'x');
  for (int i = 0; i < kPeople; ++i)
    lines += "{\"type\":\"Person\",\"data\":{\"name\":\"person-" + std::to_string(i) + "-" +
             padding + "\"}}\n";
  auto ingest = http_call(server_->port(), "POST", "/ingest", "{\"data\":" + jstr(lines) + "}");
  ASSERT_EQ(ingest.status, 200u) << ingest.body;

  // A small receive window keeps most of the ~3.6 MB body in the server.
  HttpClient late(server_->port());
  tcp::socket& socket = late.stream().socket();
  socket.open(tcp::v4());
  socket.set_option(net::socket_base::receive_buffer_size(4096));
  late.stream().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                      static_cast<unsigned short>(server_->port())));
  std::string body = read_body(kAllPeople, "", "");
  std::string request =
      "POST /read HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  for (int round = 0; round < 2; ++round) {
    net::write(late.stream(), net::buffer(request));
    EXPECT_EQ(http_call(server_->port(), "GET", "/healthz").status, 200u);
    HttpResult result = late.read_response();
    ASSERT_EQ(result.status, 200u);
    EXPECT_TRUE(result.complete);
    EXPECT_EQ(result.header("content-length"), std::to_string(result.body.size()));
    auto json = result.json();
    ASSERT_TRUE(json.HasMember("row_count"));
    EXPECT_EQ(json["row_count"].GetUint64(), static_cast<std::uint64_t>(kPeople + 4));
    EXPECT_NE(result.body.find("person-29999-" + padding), std::string::npos);
  }
}

}  // namespace
}  // namespace omnigraph::http_test
