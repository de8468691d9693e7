// The JSONL loader's parser thread (see loader_state.h): reads the input,
// cuts it into lines, parses each line in place with one reused RapidJSON
// document and turns it into a validated row. Everything here depends only
// on the lines before it, never on the calling thread's state, so it runs
// ahead of the bookkeeping in loader_stage.cpp.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/json_surrogates.h"
#include "common/ulid.h"
#include "common/varint.h"
#include "engine/loader_state.h"
#include "engine/row_codec.h"

namespace omnigraph::engine::loader_detail {

using compiler::EdgeType;
using compiler::NodeType;

namespace {

constexpr size_t kReadChunkBytes = size_t{1} << 20;

// In place (strings point into the line buffer), reject invalid UTF-8 (rows
// must hold valid text), and parse decimals exactly.
constexpr unsigned kParseFlags = rapidjson::kParseInsituFlag |
                                 rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseFullPrecisionFlag;

// Without encoding validation, for text that is all ASCII (always valid
// UTF-8, so the result is the same): validating cost a sixth of parsing.
constexpr unsigned kAsciiParseFlags = kParseFlags & ~rapidjson::kParseValidateEncodingFlag;

// True when no byte of [begin, end) has its high bit set.
bool all_ascii(const char* begin, const char* end) {
  uint64_t high = 0;
  for (; begin + 8 <= end; begin += 8) {
    uint64_t word;
    std::memcpy(&word, begin, 8);
    high |= word;
  }
  for (; begin < end; ++begin) high |= static_cast<unsigned char>(*begin);
  return (high & UINT64_C(0x8080808080808080)) == 0;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view string_of(const rapidjson::Value& json) {
  return {json.GetString(), json.GetStringLength()};
}

std::string line_prefix(uint64_t line) {
  return "line " + std::to_string(line) + ": ";
}

// encode_row's layout (row_codec.cpp), appended in place: the chunk's
// bytes grow without a string per row.
void append_encoded_row(std::string& out, const Row& row) {
  put_varint(out, row.fields.size());
  uint32_t previous = 0;
  for (const auto& [id, value] : row.fields) {
    put_varint(out, id - previous);
    previous = id;
    encode_value(out, value);
  }
}

}  // namespace

// ---- RowPreparer ------------------------------------------------------------

RowPreparer::NodeState::NodeState(const NodeType& type, bool is_endpoint)
    : layout(type.properties), key(type.key_property()), endpoint(is_endpoint), unique(type) {
  if (key != nullptr) key_slot = layout.position_of(*key);
}

RowPreparer::EdgeState::EdgeState(const EdgeType& type) : layout(type.properties), unique(type) {}

RowPreparer::RowPreparer(const compiler::Catalog& catalog)
    : catalog_(catalog), validator_(catalog) {
  nodes_.resize(catalog.node_types().size());
  edges_.resize(catalog.edge_types().size());
}

void RowPreparer::append_id(std::optional<std::string_view> id, ParsedLine& out) {
  std::string& encoded = chunk_->encoded;
  out.id_offset = encoded.size();
  if (id) {
    encoded.append(*id);
  } else {
    encoded.resize(encoded.size() + Ulid::kTextSize);
    out.generated_id = true;
    ++chunk_->generated_ids;
  }
  out.id_size = encoded.size() - out.id_offset;
}

// The id and row are appended only once the row is valid: a failed row
// leaves nothing behind in the chunk's bytes.
void RowPreparer::prepare_node(const NodeType& type, const rapidjson::Value* data,
                               ParsedLine& out) {
  auto& state = nodes_[static_cast<size_t>(&type - catalog_.node_types().data())];
  if (!state) {
    const bool endpoint =
        !catalog_.edges_from(type.name).empty() || !catalog_.edges_to(type.name).empty();
    state = std::make_unique<NodeState>(type, endpoint);
  }
  const uint64_t row_index = state->rows++;
  out.node = &type;
  try {
    const rapidjson::Value* explicit_id = state->layout.bind(data, slots_);
    if (explicit_id != nullptr && !explicit_id->IsString()) explicit_id = nullptr;
    // In-situ strings: they stay valid as long as the chunk's text.
    std::optional<std::string_view> id;  // none: generated
    if (state->key_slot) {
      const rapidjson::Value* key = slots_[*state->key_slot];
      const std::string& key_name = state->key->name;
      if (key == nullptr || !key->IsString()) {
        throw_bad_request("node " + type.name + " missing @key property '" + key_name + "'");
      }
      id = string_of(*key);
      if (explicit_id != nullptr && string_of(*explicit_id) != *id) {
        throw_bad_request("node " + type.name + " has explicit id '" +
                          std::string(string_of(*explicit_id)) +
                          "' that does not match @key property '" + key_name + "' value '" +
                          std::string(*id) + "'");
      }
    } else if (explicit_id != nullptr) {
      id = string_of(*explicit_id);
    }
    state->layout.build(slots_, row_);
    validator_.check_node(type, row_);
    state->unique.add(row_, row_index);
    append_id(id, out);
    if (id && state->endpoint) {
      out.id_hash = IdTable::hash(*id);
      out.has_id_hash = true;
    }
    std::string& encoded = chunk_->encoded;
    out.record_offset = encoded.size();
    append_encoded_row(encoded, row_);
    out.record_size = encoded.size() - out.record_offset;
  } catch (const Error& error) {
    out.error = std::make_unique<Error>(error);
  }
}

void RowPreparer::prepare_edge(const EdgeType& type, const rapidjson::Value* data,
                               ParsedLine& out) {
  auto& state = edges_[static_cast<size_t>(&type - catalog_.edge_types().data())];
  if (!state) state = std::make_unique<EdgeState>(type);
  const uint64_t row_index = state->rows++;  // 0-based
  out.edge = &type;
  try {
    const rapidjson::Value* explicit_id = state->layout.bind(data, slots_);
    std::optional<std::string_view> id;  // none: generated
    if (explicit_id != nullptr && explicit_id->IsString()) {
      id = string_of(*explicit_id);
      out.explicit_id = true;
    }
    state->layout.build(slots_, row_);
    validator_.check_edge(type, row_);
    state->unique.add(row_, out.from, out.to, row_index);
    append_id(id, out);
    // encode_edge_record's layout: src, dst, row.
    std::string& encoded = chunk_->encoded;
    out.record_offset = encoded.size();
    put_length_prefixed(encoded, out.from);
    put_length_prefixed(encoded, out.to);
    append_encoded_row(encoded, row_);
    out.record_size = encoded.size() - out.record_offset;
  } catch (const Error& error) {
    out.error = std::make_unique<Error>(error);
  }
}

// ---- lines ------------------------------------------------------------------

namespace {

// Parses one line at a time. Both allocators restart from their fixed
// buffers on every line, so parsing allocates nothing unless a line is
// larger than the buffers.
class LineParser {
 public:
  explicit LineParser(const compiler::Catalog& catalog)
      : catalog_(catalog),
        preparer_(catalog),
        value_pool_(value_buffer_.data(), value_buffer_.size()),
        stack_pool_(stack_buffer_.data(), stack_buffer_.size()),
        document_(&value_pool_, 1024, &stack_pool_) {}

  void start_chunk(ParsedChunk& chunk) { preparer_.start_chunk(chunk); }

  // [begin, end) is one line without its '\n'; *end must be writable.
  // Appends the parsed line to `out` (nothing for a blank line); throws
  // Error(kBadRequest) for line-level errors. `ascii`: the line is known
  // to be all ASCII.
  void parse(char* begin, char* end, uint64_t line, bool ascii, std::vector<ParsedLine>& out) {
    while (begin < end && is_space(*begin)) ++begin;
    while (end > begin && is_space(end[-1])) --end;
    if (begin == end) return;  // blank lines are skipped
    *end = '\0';
    // Checked before the in-place parse rewrites the escapes.
    const std::optional<size_t> lone =
        find_lone_low_surrogate(std::string_view(begin, static_cast<size_t>(end - begin)));
    value_pool_.Clear();
    stack_pool_.Clear();
    if (ascii) {
      document_.ParseInsitu<kAsciiParseFlags>(begin);
    } else {
      document_.ParseInsitu<kParseFlags>(begin);
    }
    if (document_.HasParseError() && (!lone || document_.GetErrorOffset() < *lone)) {
      throw_bad_request("invalid JSON on line " + std::to_string(line) + ": " +
                        describe_error(document_.GetParseError(), document_.GetErrorOffset()));
    }
    if (lone) {
      throw_bad_request("invalid JSON on line " + std::to_string(line) + ": " +
                        describe_error(rapidjson::kParseErrorStringUnicodeSurrogateInvalid, *lone));
    }
    dispatch(line, out);
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

  void dispatch(uint64_t line, std::vector<ParsedLine>& out) {
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
      const NodeType& node_type = this->node_type(string_of(*type), line);
      ParsedLine& parsed = out.emplace_back();
      preparer_.prepare_node(node_type, data, parsed);
    } else if (edge != nullptr && edge->IsString()) {
      const EdgeType& edge_type = this->edge_type(string_of(*edge), line);
      if (from == nullptr || !from->IsString()) {
        throw_bad_request(line_prefix(line) + "edge missing 'from'");
      }
      if (to == nullptr || !to->IsString()) {
        throw_bad_request(line_prefix(line) + "edge missing 'to'");
      }
      ParsedLine& parsed = out.emplace_back();
      // In-situ strings: they stay valid as long as the chunk's text.
      parsed.from = string_of(*from);
      parsed.to = string_of(*to);
      parsed.from_hash = IdTable::hash(parsed.from);
      parsed.to_hash = IdTable::hash(parsed.to);
      preparer_.prepare_edge(edge_type, data, parsed);
    } else {
      throw_bad_request(line_prefix(line) + "expected 'type' or 'edge' field");
    }
  }

  // Consecutive lines mostly name the same type: remember the last lookup.
  const NodeType& node_type(std::string_view name, uint64_t line) {
    if (last_node_ == nullptr || name != last_node_name_) {
      const NodeType* found = catalog_.find_node_type(name);
      if (found == nullptr) {
        throw_bad_request(line_prefix(line) + "unknown node type '" + std::string(name) + "'");
      }
      last_node_ = found;
      last_node_name_.assign(name);
    }
    return *last_node_;
  }

  const EdgeType& edge_type(std::string_view name, uint64_t line) {
    if (last_edge_ == nullptr || name != last_edge_name_) {
      const EdgeType* found = catalog_.lookup_edge(name);
      if (found == nullptr) {
        throw_bad_request(line_prefix(line) + "unknown edge type '" + std::string(name) + "'");
      }
      last_edge_ = found;
      last_edge_name_.assign(name);
    }
    return *last_edge_;
  }

  const compiler::Catalog& catalog_;
  RowPreparer preparer_;
  std::array<char, 64 * 1024> value_buffer_;
  std::array<char, 16 * 1024> stack_buffer_;
  rapidjson::MemoryPoolAllocator<> value_pool_;
  rapidjson::MemoryPoolAllocator<> stack_pool_;
  rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                             rapidjson::MemoryPoolAllocator<>>
      document_;
  const NodeType* last_node_ = nullptr;
  std::string last_node_name_;
  const EdgeType* last_edge_ = nullptr;
  std::string last_edge_name_;
};

}  // namespace

void parse_input(std::istream& input, const compiler::Catalog& catalog,
                 const std::function<std::unique_ptr<ParsedChunk>()>& next_chunk,
                 const std::function<void(std::unique_ptr<ParsedChunk>)>& deliver) {
  auto parser = std::make_unique<LineParser>(catalog);  // ~80 KiB of buffers: keep off the stack
  std::vector<char> carry;  // the unfinished last line of the previous read
  uint64_t line = 0;
  uint64_t bytes_read = 0;
  bool at_eof = false;
  while (!at_eof) {
    std::unique_ptr<ParsedChunk> chunk = next_chunk();
    if (!chunk) return;
    chunk->lines.clear();
    chunk->encoded.clear();
    chunk->generated_ids = 0;
    chunk->failure = nullptr;
    parser->start_chunk(*chunk);
    try {
      // text[0, end) holds whole lines plus an unfinished one; one spare
      // byte past the readable area lets the last line of the input (without
      // '\n') be terminated in place.
      std::vector<char>& text = chunk->text;
      text.resize(std::max(kReadChunkBytes, carry.size() * 2) + 1);
      if (!carry.empty()) std::memcpy(text.data(), carry.data(), carry.size());
      size_t end = carry.size();
      char* last_newline = nullptr;
      for (;;) {
        if (end == text.size() - 1) text.resize((text.size() - 1) * 2 + 1);  // a very long line
        input.read(text.data() + end, static_cast<std::streamsize>(text.size() - 1 - end));
        const auto got = static_cast<size_t>(input.gcount());
        if (input.bad()) throw_internal("error reading JSONL input");
        end += got;
        bytes_read += got;
        if (input.eof() || got == 0) at_eof = true;
        last_newline = static_cast<char*>(memrchr(text.data(), '\n', end));
        if (last_newline != nullptr || at_eof) break;
      }
      char* base = text.data();
      // Whole lines end at the last '\n'; at the end of the input the rest
      // is a line too.
      const size_t whole = at_eof ? end : static_cast<size_t>(last_newline - base) + 1;
      carry.assign(base + whole, base + end);
      chunk->bytes_read = bytes_read;
      const bool ascii = all_ascii(base, base + whole);
      size_t begin = 0;
      while (begin < whole) {
        auto* newline = static_cast<char*>(std::memchr(base + begin, '\n', whole - begin));
        char* line_end = newline != nullptr ? newline : base + whole;
        parser->parse(base + begin, line_end, ++line, ascii, chunk->lines);
        begin = static_cast<size_t>(line_end - base) + 1;
      }
    } catch (...) {
      chunk->failure = std::current_exception();
      deliver(std::move(chunk));
      return;
    }
    deliver(std::move(chunk));
  }
}

}  // namespace omnigraph::engine::loader_detail
