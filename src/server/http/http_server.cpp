#include "server/http/http_server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <set>
#include <streambuf>
#include <thread>

#include "common/error.h"
#include "common/ulid.h"
#include "server/http/error_output.h"

namespace omnigraph::server::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using net::awaitable;
using net::use_awaitable;
// Connections run on their own io_context; naming its executor type instead
// of the type-erased any_io_executor spares every suspension and completion
// the erased executor's copies and virtual calls.
using IoExecutor = net::io_context::executor_type;
template <class T>
using Task = net::awaitable<T, IoExecutor>;
constexpr net::use_awaitable_t<IoExecutor> use_task;
using Socket = tcp::socket::rebind_executor<IoExecutor>::other;
using Stream = beast::basic_stream<tcp, IoExecutor>;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(75);
constexpr auto kBodyTimeout = std::chrono::seconds(300);
// A client that accepts no response bytes for this long is dropped, so a
// stalled reader cannot hold a worker (or a graceful shutdown) forever.
constexpr auto kWriteTimeout = std::chrono::seconds(60);
constexpr std::size_t kHeaderLimit = 64 * 1024;
// After refusing an oversized body the rest of it is read and dropped (up to
// this much) so the client sees the 413 instead of a connection reset.
constexpr std::size_t kDrainLimit = 64 * 1024 * 1024;

// A client-supplied X-Request-Id is echoed when it is short and plain;
// otherwise the server makes one.
std::string request_id_for(const std::map<std::string, std::string>& headers) {
  auto it = headers.find("x-request-id");
  if (it != headers.end() && !it->second.empty() && it->second.size() <= 128) {
    bool plain = true;
    for (char c : it->second) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
        plain = false;
    }
    if (plain) return it->second;
  }
  // One generator per I/O thread: request ids need uniqueness, not one global
  // order, and the shared generator's mutex is contended by every request.
  thread_local UlidGenerator generator;
  return generator.next().str();
}

// Producer/consumer buffer between the worker writing a streamed body and
// the connection sending it. The producer blocks when `capacity` chunks are
// waiting (backpressure from a slow client); the consumer is woken by a
// timer cancelled on its own I/O thread, so no I/O thread ever blocks.
struct ChunkChannel : std::enable_shared_from_this<ChunkChannel> {
  ChunkChannel(net::any_io_executor exec, std::size_t capacity)
      : executor(exec), signal(exec), capacity(capacity) {
    signal.expires_at(std::chrono::steady_clock::time_point::max());
  }

  void push(std::string chunk) {
    std::unique_lock lock(mutex);
    space.wait(lock, [&] { return chunks.size() < capacity || cancelled; });
    if (cancelled) throw std::runtime_error("client went away");
    chunks.push_back(std::move(chunk));
    lock.unlock();
    wake();
  }
  void finish(std::exception_ptr failure) {
    {
      std::lock_guard lock(mutex);
      done = true;
      error = std::move(failure);
    }
    wake();
  }
  void cancel() {
    {
      std::lock_guard lock(mutex);
      cancelled = true;
    }
    space.notify_all();
  }
  void wake() {
    net::post(executor, [self = shared_from_this()] { self->signal.cancel(); });
  }

  net::any_io_executor executor;
  net::steady_timer signal;
  std::size_t capacity;
  std::mutex mutex;
  std::condition_variable space;
  std::deque<std::string> chunks;
  bool done = false;
  bool cancelled = false;
  std::exception_ptr error;
};

class ChannelBuf : public std::streambuf {
 public:
  ChannelBuf(ChunkChannel& channel, std::size_t chunk_bytes)
      : channel_(channel), buffer_(chunk_bytes) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  void flush_all() { emit(); }

 protected:
  int_type overflow(int_type ch) override {
    emit();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return 0; }  // chunks go out when full or at the end

 private:
  void emit() {
    std::size_t n = static_cast<std::size_t>(pptr() - pbase());
    if (n > 0) channel_.push(std::string(pbase(), n));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  ChunkChannel& channel_;
  std::vector<char> buffer_;
};

// Shared between a session and begin_shutdown(). `executor` is fixed at
// creation; `stream` and `busy` are only touched on the session's I/O thread.
struct SessionState {
  net::any_io_executor executor;
  Stream* stream = nullptr;  // null once the session ended
  bool busy = false;         // a request is being read or served
};

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions opts, Dispatcher& d)
      : options(std::move(opts)),
        dispatcher(d),
        contexts(make_contexts(options.io_threads)),
        io(*contexts.front()),
        workers(std::max<std::size_t>(2, options.worker_threads)),
        acceptor(io),
        signals(io) {
    for (std::size_t i = 1; i < contexts.size(); ++i)
      idle_guards.emplace_back(contexts[i]->get_executor());
  }

  // One single-threaded io_context per I/O thread, connections spread round
  // robin: a connection's handlers always run on the thread that owns it, so
  // there is no strand, no cross-thread wake-up per completion and little
  // lock traffic in the scheduler (GET /healthz: 1.45x the requests/s of one
  // shared context, docs/performance.md).
  static std::vector<std::unique_ptr<net::io_context>> make_contexts(std::size_t n) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, n); ++i)
      out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }

  HttpServerOptions options;
  Dispatcher& dispatcher;
  std::vector<std::unique_ptr<net::io_context>> contexts;
  net::io_context& io;  // contexts[0]: also runs the acceptor and signals
  // Keep the other contexts running while they have no connection yet;
  // dropped at shutdown so each returns once its connections are done.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> idle_guards;
  std::size_t next_context = 0;  // accept loop only
  net::thread_pool workers;
  tcp::acceptor acceptor;
  net::signal_set signals;
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::set<std::shared_ptr<SessionState>> sessions;

  void listen();
  awaitable<void> accept_loop();
  Task<void> session(Socket socket);
  Task<bool> write_response(Stream& stream, Response& response, const std::string& request_id,
                            unsigned version, bool keep_alive, std::uint64_t& bytes_sent);
  Task<bool> write_streamed(Stream& stream, Response& response, const std::string& request_id,
                            unsigned version, bool keep_alive, std::uint64_t& bytes_sent,
                            unsigned& status);
  void begin_shutdown();
};

void HttpServer::Impl::listen() {
  std::string host = options.bind;
  std::string port = "8080";
  std::size_t colon = options.bind.rfind(':');
  if (colon != std::string::npos) {
    host = options.bind.substr(0, colon);
    port = options.bind.substr(colon + 1);
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  try {
    tcp::resolver resolver(io);
    auto results =
        resolver.resolve(host, port, tcp::resolver::passive | tcp::resolver::numeric_service);
    tcp::endpoint endpoint = results.begin()->endpoint();
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
  } catch (const std::exception& e) {
    throw_internal("bind " + options.bind + ": " + e.what());
  }
}

awaitable<void> HttpServer::Impl::accept_loop() {
  while (!stopping) {
    beast::error_code ec;
    net::io_context& owner = *contexts[next_context++ % contexts.size()];
    Socket socket = co_await acceptor.async_accept(owner, net::redirect_error(use_awaitable, ec));
    if (ec) {
      if (stopping || ec == net::error::operation_aborted) break;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    net::co_spawn(executor, session(std::move(socket)), net::detached);
  }
}

// Moves the body out of `response` (it is sent once).
Task<bool> HttpServer::Impl::write_response(Stream& stream, Response& response,
                                            const std::string& request_id, unsigned version,
                                            bool keep_alive, std::uint64_t& bytes_sent) {
  beast::error_code ec;
  unsigned status = response.status;
  if (version == 11 && response.headers.empty() && status >= 200 && status <= 999 &&
      status != 204 && status != 304) {
    // The common case, formatted directly: the same bytes Beast's serializer
    // writes for these fields (same order, Content-Length last), sent with
    // one gathered write and without building a field list per response.
    beast::string_view reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
    char length[24];
    auto length_end = std::to_chars(length, length + sizeof(length), response.body.size()).ptr;
    std::string head;
    head.reserve(96 + reason.size() + response.content_type.size() + request_id.size());
    head.append("HTTP/1.1 ");
    head.append(std::to_string(status));
    head.push_back(' ');
    head.append(reason.data(), reason.size());
    head.append("\r\nServer: omnigraph-server\r\nContent-Type: ");
    head.append(response.content_type);
    head.append("\r\nX-Request-Id: ");
    head.append(request_id);
    head.append(keep_alive ? "\r\nContent-Length: " : "\r\nConnection: close\r\nContent-Length: ");
    head.append(length, length_end);
    head.append("\r\n\r\n");
    bytes_sent = response.body.size();
    // A small response almost always fits the socket's send buffer: try one
    // non-blocking send first and only fall back to a timed asynchronous write
    // for what is left (no timer, no suspension in the common case).
    std::array<net::const_buffer, 2> buffers{net::buffer(head), net::buffer(response.body)};
    std::size_t written = stream.socket().write_some(buffers, ec);
    if (ec == net::error::would_block || ec == net::error::try_again) {
      ec = {};
      written = 0;
    }
    if (ec) co_return false;
    if (written == head.size() + response.body.size()) co_return true;
    if (written < head.size()) {
      buffers[0] = net::buffer(head) + written;
    } else {
      buffers[0] = net::const_buffer();
      buffers[1] = net::buffer(response.body) + (written - head.size());
    }
    stream.expires_after(kWriteTimeout);
    co_await net::async_write(stream, buffers, net::redirect_error(use_task, ec));
    co_return !ec;
  }
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(response.status), version};
  res.set(bhttp::field::server, "omnigraph-server");
  res.set(bhttp::field::content_type, response.content_type);
  res.set("X-Request-Id", request_id);
  for (const auto& [name, value] : response.headers) res.set(name, value);
  res.keep_alive(keep_alive);
  bytes_sent = response.body.size();
  res.body() = std::move(response.body);
  res.prepare_payload();
  stream.expires_after(kWriteTimeout);
  co_await bhttp::async_write(stream, res, net::redirect_error(use_task, ec));
  co_return !ec;
}

Task<bool> HttpServer::Impl::write_streamed(Stream& stream, Response& response,
                                            const std::string& request_id, unsigned version,
                                            bool keep_alive, std::uint64_t& bytes_sent,
                                            unsigned& status) {
  auto executor = co_await net::this_coro::executor;
  auto channel = std::make_shared<ChunkChannel>(
      executor, std::max<std::size_t>(1, options.stream_buffered_chunks));
  std::size_t chunk_bytes = options.stream_chunk_bytes;
  net::post(workers, [channel, chunk_bytes, producer = std::move(response.stream)] {
    std::exception_ptr failure;
    try {
      ChannelBuf buf(*channel, chunk_bytes);
      std::ostream out(&buf);
      producer(out);
      buf.flush_all();
    } catch (...) {
      failure = std::current_exception();
    }
    channel->finish(failure);
  });

  // Takes the next chunk; nullopt at the end (check channel->error then).
  auto next = [&]() -> Task<std::optional<std::string>> {
    for (;;) {
      {
        std::unique_lock lock(channel->mutex);
        if (!channel->chunks.empty()) {
          std::string chunk = std::move(channel->chunks.front());
          channel->chunks.pop_front();
          lock.unlock();
          channel->space.notify_all();
          co_return chunk;
        }
        if (channel->done) co_return std::nullopt;
      }
      beast::error_code ec;
      channel->signal.expires_at(std::chrono::steady_clock::time_point::max());
      co_await channel->signal.async_wait(net::redirect_error(use_task, ec));
    }
  };

  std::optional<std::string> first = co_await next();
  if (!first && channel->error) {
    // Nothing was sent yet: the failure can still be a proper ErrorOutput.
    Response error;
    try {
      std::rethrow_exception(channel->error);
    } catch (const Error& e) {
      error = error_response(e);
    } catch (const std::exception& e) {
      error = error_response(Error(ErrorCode::kInternal, e.what()));
    }
    status = error.status;
    co_return co_await write_response(stream, error, request_id, version, keep_alive, bytes_sent);
  }

  bhttp::response<bhttp::empty_body> res{bhttp::status::ok, version};
  res.set(bhttp::field::server, "omnigraph-server");
  res.set(bhttp::field::content_type, response.content_type);
  res.set("X-Request-Id", request_id);
  for (const auto& [name, value] : response.headers) res.set(name, value);
  res.keep_alive(keep_alive);
  res.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer{res};
  beast::error_code ec;
  stream.expires_after(kWriteTimeout);
  co_await bhttp::async_write_header(stream, serializer, net::redirect_error(use_task, ec));
  std::optional<std::string> chunk = std::move(first);
  while (!ec && chunk) {
    stream.expires_after(kWriteTimeout);
    co_await net::async_write(stream, bhttp::make_chunk(net::buffer(*chunk)),
                              net::redirect_error(use_task, ec));
    bytes_sent += chunk->size();
    if (ec) break;
    chunk = co_await next();
  }
  if (ec) {
    channel->cancel();
    co_return false;
  }
  if (channel->error) {
    // Headers are out: the only honest signal left is a truncated body
    // (no terminating chunk), which clients report as an incomplete read.
    try {
      std::rethrow_exception(channel->error);
    } catch (const std::exception& e) {
      spdlog::warn("export aborted mid-stream request_id={}: {}", request_id, e.what());
    }
    co_return false;
  }
  stream.expires_after(kWriteTimeout);
  co_await net::async_write(stream, bhttp::make_chunk_last(), net::redirect_error(use_task, ec));
  co_return !ec;
}

Task<void> HttpServer::Impl::session(Socket socket) {
  Stream stream(std::move(socket));
  {
    // write_response tries a direct send before an asynchronous write; it
    // must never block the I/O thread.
    beast::error_code ec;
    stream.socket().non_blocking(true, ec);
    if (ec) co_return;
  }
  beast::flat_buffer buffer;
  auto state = std::make_shared<SessionState>();
  state->stream = &stream;
  state->executor = stream.get_executor();
  {
    std::lock_guard lock(sessions_mutex);
    sessions.insert(state);
  }
  struct Unregister {
    Impl* impl;
    std::shared_ptr<SessionState> state;
    ~Unregister() {
      std::lock_guard lock(impl->sessions_mutex);
      state->stream = nullptr;
      impl->sessions.erase(state);
    }
  } unregister{this, state};

  bool close_abruptly = false;
  for (;;) {
    state->busy = false;
    if (stopping) break;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kHeaderLimit);
    // The route's limit is applied once the path is known (below).
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    beast::error_code ec;
    stream.expires_after(kIdleTimeout);
    co_await bhttp::async_read_header(stream, buffer, parser, net::redirect_error(use_task, ec));
    if (ec) break;  // EOF, idle timeout, shutdown, or garbage
    state->busy = true;
    auto started = spdlog::should_log(spdlog::level::info)
                       ? std::chrono::steady_clock::now()
                       : std::chrono::steady_clock::time_point{};

    IncomingRequest request;
    const auto& header = parser.get();
    request.method = std::string(header.method_string());
    request.target = std::string(header.target());
    std::size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    for (const auto& field : header) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace(std::move(name), std::string(field.value()));
    }
    request.request_id = request_id_for(request.headers);
    unsigned version = header.version();
    bool keep_alive = header.keep_alive();

    std::size_t limit = dispatcher.body_limit(request.method, request.path);
    parser.body_limit(limit);
    auto declared = parser.content_length();
    bool too_large = declared && *declared > limit;
    if (!too_large) {
      auto expect = request.header("expect");
      if (expect &&
          beast::iequals(beast::string_view(expect->data(), expect->size()), "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
        co_await bhttp::async_write(stream, cont, net::redirect_error(use_task, ec));
        if (ec) break;
      }
      // A request without a body is complete after its header; reading it
      // again would only cost a scheduler round trip.
      if (!parser.is_done()) {
        stream.expires_after(kBodyTimeout);
        co_await bhttp::async_read(stream, buffer, parser, net::redirect_error(use_task, ec));
        if (ec == bhttp::error::body_limit) {
          too_large = true;
        } else if (ec) {
          break;
        }
      }
    }
    stream.expires_never();

    Response response;
    std::uint64_t bytes_sent = 0;
    bool ok = true;
    if (too_large) {
      response = error_response(
          413, ErrorCode::kBadRequest,
          "request body exceeds the " + std::to_string(limit) + "-byte limit of this route");
      ok =
          co_await write_response(stream, response, request.request_id, version, false, bytes_sent);
      // Drop what the client still sends so it can read the 413.
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      stream.expires_after(std::chrono::seconds(10));
      std::size_t drained = 0;
      std::vector<char> sink(64 * 1024);
      while (drained < kDrainLimit) {
        std::size_t n = co_await stream.async_read_some(net::buffer(sink),
                                                        net::redirect_error(use_task, ignored));
        if (ignored || n == 0) break;
        drained += n;
      }
      keep_alive = false;
    } else {
      request.body = parser.release().body();
      // Cheap answers skip the two thread hand-offs of the worker pool.
      if (auto answer = dispatcher.handle_inline(request)) {
        response = std::move(*answer);
      } else {
        response = co_await net::co_spawn(
            workers,
            [this, &request]() -> awaitable<Response> { co_return dispatcher.handle(request); },
            use_task);
      }
      keep_alive = keep_alive && !stopping;
      if (response.stream) {
        unsigned status = 200;
        ok = co_await write_streamed(stream, response, request.request_id, version, keep_alive,
                                     bytes_sent, status);
        response.status = status;
        if (!ok) close_abruptly = true;
      } else {
        ok = co_await write_response(stream, response, request.request_id, version, keep_alive,
                                     bytes_sent);
      }
    }
    // key=value fields, one line per request, for log pipelines to parse.
    // Skipped entirely (no clock read, no formatting) below info level.
    if (spdlog::should_log(spdlog::level::info)) {
      auto elapsed =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count();
      spdlog::info(
          "access request_id={} method={} target=\"{}\" status={} bytes={} ms={:.1f} actor={}",
          request.request_id, request.method, request.target, response.status, bytes_sent, elapsed,
          response.actor.empty() ? "-" : response.actor);
    }
    if (!ok || !keep_alive || stopping) break;
  }
  beast::error_code ignored;
  if (close_abruptly) {
    stream.socket().close(ignored);
  } else {
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.socket().close(ignored);
  }
}

void HttpServer::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  spdlog::info("shutting down: no new connections; finishing in-flight requests");
  net::post(io, [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    for (auto& guard : idle_guards) guard.reset();
  });
  std::lock_guard lock(sessions_mutex);
  for (const auto& state : sessions) {
    // On the session's I/O thread: idle connections are closed now, busy ones
    // close after their response (the loop checks `stopping`).
    net::post(state->executor, [state] {
      if (state->stream != nullptr && !state->busy) state->stream->cancel();
    });
  }
}

HttpServer::HttpServer(HttpServerOptions options, Dispatcher& dispatcher)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher)) {}

HttpServer::~HttpServer() {
  impl_->workers.join();
}

void HttpServer::listen() {
  impl_->listen();
}

std::string HttpServer::local_address() const {
  auto endpoint = impl_->acceptor.local_endpoint();
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

void HttpServer::run(bool install_signal_handlers) {
  if (install_signal_handlers) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.async_wait([this](const beast::error_code& ec, int signal_number) {
      if (ec) return;
      spdlog::info("received signal {}", signal_number);
      impl_->begin_shutdown();
    });
  }
  net::co_spawn(impl_->io, impl_->accept_loop(), net::detached);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->contexts.size(); ++i) {
    threads.emplace_back([this, i] { impl_->contexts[i]->run(); });
  }
  impl_->io.run();
  for (auto& thread : threads) thread.join();
  impl_->workers.join();
}

void HttpServer::stop() {
  impl_->begin_shutdown();
}

}  // namespace omnigraph::server::http
