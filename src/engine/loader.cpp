// JSONL load entry point: a parser thread reads and parses the input in
// chunks of whole lines (loader_parse.cpp) while the calling thread applies
// the parsed rows (loader_stage.cpp); see loader_state.h.
#include "engine/loader.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "engine/loader_state.h"

namespace omnigraph::engine {

using loader_detail::JsonlLoad;
using loader_detail::ParsedChunk;

LoadMode parse_load_mode(std::string_view text) {
  if (text == "overwrite") return LoadMode::kOverwrite;
  if (text == "append") return LoadMode::kAppend;
  if (text == "merge") return LoadMode::kMerge;
  // The reference's wire text for a bad mode (serde's enum error).
  throw_bad_request("unknown variant `" + std::string(text) +
                    "`, expected one of `overwrite`, `append`, `merge`");
}

std::string_view load_mode_name(LoadMode mode) {
  switch (mode) {
    case LoadMode::kOverwrite: return "overwrite";
    case LoadMode::kAppend: return "append";
    case LoadMode::kMerge: return "merge";
  }
  return "overwrite";
}

namespace {

constexpr uint64_t kProgressBytes = uint64_t{1} << 20;

// Parsed chunks on their way from the parser thread to the calling thread.
// At most kChunksInFlight exist, so the parser runs at most that far ahead
// and memory stays bounded; consumed chunks come back for reuse.
class ChunkPipe {
 public:
  static constexpr size_t kChunksInFlight = 4;

  // Parser side: an empty chunk, or nullptr once the consumer stopped.
  std::unique_ptr<ParsedChunk> take_empty() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || !empty_.empty() || created_ < kChunksInFlight; });
    if (stopped_) return nullptr;
    if (empty_.empty()) {
      ++created_;
      return std::make_unique<ParsedChunk>();
    }
    auto chunk = std::move(empty_.back());
    empty_.pop_back();
    return chunk;
  }
  void put_full(std::unique_ptr<ParsedChunk> chunk) {
    std::lock_guard lock(mutex_);
    full_.push_back(std::move(chunk));
    changed_.notify_all();
  }
  void finish_input() {
    std::lock_guard lock(mutex_);
    input_done_ = true;
    changed_.notify_all();
  }

  // Consumer side: the next parsed chunk, or nullptr after the last one.
  std::unique_ptr<ParsedChunk> take_full() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !full_.empty() || input_done_; });
    if (full_.empty()) return nullptr;
    auto chunk = std::move(full_.front());
    full_.pop_front();
    return chunk;
  }
  void give_back(std::unique_ptr<ParsedChunk> chunk) {
    std::lock_guard lock(mutex_);
    empty_.push_back(std::move(chunk));
    changed_.notify_all();
  }
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<ParsedChunk>> full_;
  std::vector<std::unique_ptr<ParsedChunk>> empty_;
  size_t created_ = 0;
  bool input_done_ = false;
  bool stopped_ = false;
};

// Runs the parser thread; stops and joins it on every way out, so an
// error on the calling thread never leaves it reading.
class ParserThread {
 public:
  ParserThread(std::istream& input, const compiler::Catalog& catalog)
      : thread_([this, &input, &catalog] {
          try {
            loader_detail::parse_input(
                input, catalog, [this] { return pipe_.take_empty(); },
                [this](std::unique_ptr<ParsedChunk> chunk) { pipe_.put_full(std::move(chunk)); });
          } catch (...) {
            // parse_input reports its errors in a chunk; this is only
            // reached when even that failed (out of memory).
            auto chunk = std::make_unique<ParsedChunk>();
            chunk->failure = std::current_exception();
            pipe_.put_full(std::move(chunk));
          }
          pipe_.finish_input();
        }) {}
  ~ParserThread() {
    pipe_.stop();
    thread_.join();
  }
  ParserThread(const ParserThread&) = delete;
  ParserThread& operator=(const ParserThread&) = delete;

  ChunkPipe& pipe() { return pipe_; }

 private:
  ChunkPipe pipe_;  // declared before thread_: it must exist when the thread starts
  std::thread thread_;
};

}  // namespace

// Two threads: the parser thread reads, parses and builds rows (the part
// that does not depend on earlier lines' bookkeeping); this thread applies
// them in input order (ids, staging, writes). Every error still surfaces
// on the line where it did before: a line-level error ends the parser's
// chunk and is rethrown here after the lines before it were applied.
LoadSummary load_jsonl(GraphWriter& writer, std::istream& input, LoadMode mode,
                       const LoadProgress& progress) {
  JsonlLoad load(writer, mode);
  // Rows go into sorted runs and the trees are built once at the end
  // (finish() turns bulk mode off again).
  writer.set_bulk(true);
  uint64_t bytes_read = 0;
  {
    ParserThread parser(input, load.catalog());
    uint64_t reported = 0;
    while (auto chunk = parser.pipe().take_full()) {
      load.add_chunk(*chunk);
      if (chunk->failure) std::rethrow_exception(chunk->failure);
      bytes_read = std::max(bytes_read, chunk->bytes_read);
      if (progress && bytes_read - reported >= kProgressBytes) {
        progress(bytes_read);
        reported = bytes_read;
      }
      parser.pipe().give_back(std::move(chunk));
    }
  }
  LoadSummary summary = load.finish();
  if (progress) progress(bytes_read);
  return summary;
}

}  // namespace omnigraph::engine
