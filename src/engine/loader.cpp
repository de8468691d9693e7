// JSONL load entry point: reads the input in 1 MiB chunks, cuts it into
// lines, parses each line in place with one reused RapidJSON document and
// hands node and edge lines to JsonlLoad (loader_state.h).
#include "engine/loader.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/loader_state.h"

namespace omnigraph::engine {

using loader_detail::JsonlLoad;

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

constexpr size_t kReadChunkBytes = size_t{1} << 20;
constexpr uint64_t kProgressBytes = uint64_t{1} << 20;

// In place (strings point into the line buffer), reject invalid UTF-8 (rows
// must hold valid text), and parse decimals exactly.
constexpr unsigned kParseFlags = rapidjson::kParseInsituFlag |
                                 rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseFullPrecisionFlag;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view string_of(const rapidjson::Value& json) {
  return {json.GetString(), json.GetStringLength()};
}

std::string line_prefix(uint64_t line) {
  return "line " + std::to_string(line) + ": ";
}

// Parses one line at a time. Both allocators restart from their fixed
// buffers on every line, so parsing allocates nothing unless a line is
// larger than the buffers.
class LineParser {
 public:
  explicit LineParser(JsonlLoad& load)
      : load_(load),
        value_pool_(value_buffer_.data(), value_buffer_.size()),
        stack_pool_(stack_buffer_.data(), stack_buffer_.size()),
        document_(&value_pool_, 1024, &stack_pool_) {}

  // [begin, end) is one line without its '\n'; *end must be writable.
  void parse(char* begin, char* end, uint64_t line) {
    while (begin < end && is_space(*begin)) ++begin;
    while (end > begin && is_space(end[-1])) --end;
    if (begin == end) return;  // blank lines are skipped
    *end = '\0';
    value_pool_.Clear();
    stack_pool_.Clear();
    document_.ParseInsitu<kParseFlags>(begin);
    if (document_.HasParseError()) {
      throw_bad_request("invalid JSON on line " + std::to_string(line) + ": " +
                        describe_error(document_.GetParseError(), document_.GetErrorOffset()));
    }
    dispatch(line, static_cast<size_t>(end - begin));
  }

 private:
  // "missing a comma or '}' after an object member at line 1 column 17":
  // RapidJSON's wording, in the shape of the reference's serde messages.
  static std::string describe_error(rapidjson::ParseErrorCode code, size_t offset) {
    std::string text = rapidjson::GetParseError_En(code);
    if (!text.empty() && text.back() == '.') text.pop_back();
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
      text[0] = static_cast<char>(text[0] + 32);
    return text + " at line 1 column " + std::to_string(offset + 1);
  }

  void dispatch(uint64_t line, size_t line_bytes) {
    const rapidjson::Value* type = nullptr;
    const rapidjson::Value* edge = nullptr;
    const rapidjson::Value* from = nullptr;
    const rapidjson::Value* to = nullptr;
    const rapidjson::Value* data = nullptr;
    if (document_.IsObject()) {
      // Later duplicates win, as in a JSON map.
      for (const auto& member : document_.GetObject()) {
        std::string_view name = string_of(member.name);
        if (name == "type") {
          type = &member.value;
        } else if (name == "edge") {
          edge = &member.value;
        } else if (name == "from") {
          from = &member.value;
        } else if (name == "to") {
          to = &member.value;
        } else if (name == "data") {
          data = &member.value;
        }
      }
    }

    if (type != nullptr && type->IsString()) {
      load_.add_node(node_type(string_of(*type), line), data, line_bytes);
    } else if (edge != nullptr && edge->IsString()) {
      const compiler::EdgeType& edge_type = this->edge_type(string_of(*edge), line);
      if (from == nullptr || !from->IsString()) {
        throw_bad_request(line_prefix(line) + "edge missing 'from'");
      }
      if (to == nullptr || !to->IsString()) {
        throw_bad_request(line_prefix(line) + "edge missing 'to'");
      }
      load_.add_edge(edge_type, string_of(*from), string_of(*to), data, line_bytes);
    } else {
      throw_bad_request(line_prefix(line) + "expected 'type' or 'edge' field");
    }
  }

  // Consecutive lines mostly name the same type: remember the last lookup.
  const compiler::NodeType& node_type(std::string_view name, uint64_t line) {
    if (last_node_ == nullptr || name != last_node_name_) {
      const compiler::NodeType* found = load_.catalog().find_node_type(name);
      if (found == nullptr) {
        throw_bad_request(line_prefix(line) + "unknown node type '" + std::string(name) + "'");
      }
      last_node_ = found;
      last_node_name_.assign(name);
    }
    return *last_node_;
  }

  const compiler::EdgeType& edge_type(std::string_view name, uint64_t line) {
    if (last_edge_ == nullptr || name != last_edge_name_) {
      const compiler::EdgeType* found = load_.catalog().lookup_edge(name);
      if (found == nullptr) {
        throw_bad_request(line_prefix(line) + "unknown edge type '" + std::string(name) + "'");
      }
      last_edge_ = found;
      last_edge_name_.assign(name);
    }
    return *last_edge_;
  }

  JsonlLoad& load_;
  std::array<char, 64 * 1024> value_buffer_;
  std::array<char, 16 * 1024> stack_buffer_;
  rapidjson::MemoryPoolAllocator<> value_pool_;
  rapidjson::MemoryPoolAllocator<> stack_pool_;
  rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                             rapidjson::MemoryPoolAllocator<>>
      document_;
  const compiler::NodeType* last_node_ = nullptr;
  std::string last_node_name_;
  const compiler::EdgeType* last_edge_ = nullptr;
  std::string last_edge_name_;
};

}  // namespace

LoadSummary load_jsonl(GraphWriter& writer, std::istream& input, LoadMode mode,
                       const LoadProgress& progress) {
  JsonlLoad load(writer, mode);
  // Rows go into sorted runs and the trees are built once at the end
  // (finish() turns bulk mode off again).
  writer.set_bulk(true);
  auto parser = std::make_unique<LineParser>(load);  // ~80 KiB of buffers: keep off the stack

  // buffer[begin, end) holds unconsumed input; one spare byte past the
  // readable area lets the last line (without '\n') be terminated in place.
  std::vector<char> buffer(kReadChunkBytes + 1);
  size_t begin = 0;
  size_t end = 0;
  uint64_t line = 0;
  uint64_t bytes_read = 0;
  uint64_t reported = 0;
  bool at_eof = false;
  for (;;) {
    char* base = buffer.data();
    if (auto* newline = static_cast<char*>(std::memchr(base + begin, '\n', end - begin))) {
      parser->parse(base + begin, newline, ++line);
      begin = static_cast<size_t>(newline - base) + 1;
      continue;
    }
    if (at_eof) {
      if (begin < end) parser->parse(base + begin, base + end, ++line);
      break;
    }
    if (begin > 0) {
      std::memmove(base, base + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (end == buffer.size() - 1) {
      buffer.resize((buffer.size() - 1) * 2 + 1);  // a line longer than the buffer
      base = buffer.data();
    }
    input.read(base + end, static_cast<std::streamsize>(buffer.size() - 1 - end));
    const auto got = static_cast<size_t>(input.gcount());
    if (input.bad()) throw_internal("error reading JSONL input");
    end += got;
    bytes_read += got;
    if (input.eof() || got == 0) at_eof = true;
    if (progress && bytes_read - reported >= kProgressBytes) {
      progress(bytes_read);
      reported = bytes_read;
    }
  }
  parser.reset();
  LoadSummary summary = load.finish();
  if (progress) progress(bytes_read);
  return summary;
}

}  // namespace omnigraph::engine
