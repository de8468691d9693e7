// Internals of the JSONL loader (loader.h), shared by its .cpp files:
// loader.cpp runs the two-thread pipeline, loader_parse.cpp (parser thread)
// reads and parses lines and turns them into validated rows,
// loader_stage.cpp (calling thread) keeps the per-table bookkeeping and
// writes rows in batches, loader_checks.cpp runs the checks that need the
// whole input (edge endpoints, @card).
//
// The parser thread also encodes each row as it will be stored, so the
// calling thread only decides, per line, whether and where its bytes go.
//
// Memory stays bounded by the parsed chunks in flight and the writer's run
// buffers plus what validation needs: the ids loaded per endpoint node
// type, the endpoint ids edges referenced before their node was seen
// (deduplicated), the unique trackers and the distinct sources of @card
// edges.
#pragma once

#include <rapidjson/document.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include <cstdint>
#include <exception>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/ulid.h"
#include "compiler/catalog/catalog.h"
#include "engine/constraints.h"
#include "engine/graph_writer.h"
#include "engine/loader.h"

namespace omnigraph::engine::loader_detail {

// Staged rows (all tables together) are handed to the GraphWriter, which
// the load puts in bulk mode (sorted runs, trees built once at the end),
// when this many are staged and at the end of every parsed chunk (staged
// rows point into the chunk). A variable, not a constant, so tests can make
// batches small.
inline size_t flush_rows = 100000;

// Starts loading the cache line at `address` (a prefetch never faults).
inline void prefetch_line(uintptr_t address) {
#if defined(__x86_64__) || defined(__i386__)
  _mm_prefetch(reinterpret_cast<const char*>(address), _MM_HINT_T0);
#else
  __builtin_prefetch(reinterpret_cast<const void*>(address));
#endif
}

// A hash set of id strings, each with a 32-bit payload. Ids live in large
// shared chunks, so a million ids cost a few dozen bytes each, not an
// allocation each.
class IdTable {
 public:
  static size_t hash(std::string_view id);

  // Adds `id` with `value`; false (and the old value kept) when present.
  bool insert(std::string_view id, uint32_t value) { return insert(id, hash(id), value); }
  // `hash` is hash(id), computed ahead (by the parser thread).
  bool insert(std::string_view id, size_t hash, uint32_t value);
  bool contains(std::string_view id) const { return contains(id, hash(id)); }
  // `hash` is hash(id), computed ahead (by the parser thread).
  bool contains(std::string_view id, size_t hash) const;
  // Starts loading the slot where a lookup of an id with this hash begins:
  // lookups miss the cache on big tables, so the loader asks a few lines
  // ahead.
  // Two cache lines: a probe usually reads a slot or two past the first.
  // No branch on an empty table (mask 0, no data: a harmless prefetch of
  // a low address): GCC 12 drops a prefetch behind `if (slots_.empty())`,
  // which left the loader's lookups unprefetched.
  // Where a lookup of an id with this hash starts probing (batched lookups
  // are ordered by it).
  uintptr_t slot_address(size_t hash) const {
    return reinterpret_cast<uintptr_t>(slots_.data() + (hash & mask_));
  }
  void prefetch(size_t hash) const {
    const auto address = reinterpret_cast<uintptr_t>(slots_.data() + (hash & mask_));
    prefetch_line(address);
    prefetch_line(address + 64);
  }
  size_t size() const { return size_; }
  void clear();

  // fn(std::string_view id, uint32_t value) for every entry, in no order.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (const Slot& slot : slots_) {
      if (slot.used()) fn(slot.id(), slot.value);
    }
  }

 private:
  // Ids of up to kInline bytes (all generated keys, most user ids) live in
  // the slot itself, so a probe costs one cache miss, not two; longer ones
  // point into the chunks and keep their hash next to the pointer so most
  // mismatches are rejected without following it. Inline ids are padded
  // with zeros, so comparing one is two word compares.
  static constexpr uint32_t kInline = 16;
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    union {
      char text[kInline];
      struct {
        const char* data;
        size_t hash;
      } out;
    };
    uint32_t length = kEmpty;
    uint32_t value = 0;
    bool used() const { return length != kEmpty; }
    std::string_view id() const {
      return length <= kInline ? std::string_view(text, length)
                               : std::string_view(out.data, length);
    }
  };

  // The slot holding `id`, or the empty slot where it would go.
  size_t find_slot(std::string_view id, size_t hash) const;
  void grow();
  const char* store(std::string_view id);

  std::vector<Slot> slots_;  // power-of-two size, linear probing
  size_t mask_ = 0;          // slots_.size() - 1, 0 when empty
  size_t size_ = 0;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = 0;
  size_t chunk_size_ = 0;
};

// How a type's JSON `data` members map onto its properties. Rows keep
// fields sorted by stable property id, so properties are kept in that order
// and a row is built by appending.
class PropertyLayout {
 public:
  explicit PropertyLayout(const std::vector<compiler::Property>& properties);

  size_t size() const { return by_id_.size(); }

  // Points slots[i] at the member of `data` named like property i (the last
  // one when a name repeats, as a JSON map keeps it), nullptr when absent.
  // Returns the `data.id` member (any JSON type), nullptr when absent.
  // A `data` that is not an object counts as empty.
  const rapidjson::Value* bind(const rapidjson::Value* data,
                               std::vector<const rapidjson::Value*>& slots) const;

  // Maps the bound values (languages.md §5.3) into `row` (replacing its
  // fields; a reused row keeps its capacity). Throws Error(kBadRequest).
  void build(const std::vector<const rapidjson::Value*>& slots, Row& row) const;

  // Position of `property` in id order.
  size_t position_of(const compiler::Property& property) const;

 private:
  std::vector<const compiler::Property*> by_id_;
};

// One input line as the parser thread hands it over: its type and, unless
// building the row failed, its id and stored bytes. Nothing here depends on
// what the calling thread did with earlier lines, so the parser can run
// ahead of it.
struct ParsedLine {
  const compiler::NodeType* node = nullptr;  // exactly one of node / edge
  const compiler::EdgeType* edge = nullptr;
  std::string_view from;  // edges: the endpoints, pointing into the chunk's text
  std::string_view to;
  size_t from_hash = 0;  // IdTable::hash of from / to
  size_t to_hash = 0;
  // Without an error: the row's id and its stored encoding (encode_row for
  // a node, encode_edge_record's layout for an edge), as ranges of the
  // chunk's `encoded` bytes. Offsets, not views: `encoded` may move while
  // the parser fills it.
  //
  // A generated id is only room for a ULID: the calling thread writes it
  // when it stages the row (which balances the two threads' work), in
  // input order, from a block reserved per chunk (one lock and clock read
  // per chunk, not per id).
  bool generated_id = false;
  // Nodes of edge endpoint types with a given id: IdTable::hash of it.
  bool has_id_hash = false;
  size_t id_hash = 0;
  size_t id_offset = 0;
  size_t id_size = 0;
  size_t record_offset = 0;
  size_t record_size = 0;
  bool explicit_id = false;      // edges: `data.id` named the id
  std::unique_ptr<Error> error;  // the row's error (reported at the end of the input)
};

// A run of whole input lines, parsed. `failure` is a line-level error (or
// a read error) on the line after the last one in `lines`: the load stops
// there.
struct ParsedChunk {
  std::vector<char> text;
  std::vector<ParsedLine> lines;
  std::string encoded;         // ids and encoded rows of `lines`, back to back
  uint64_t generated_ids = 0;  // lines of `lines` with a generated id
  uint64_t bytes_read = 0;     // input bytes read so far, for progress
  std::exception_ptr failure;

  std::string_view id(const ParsedLine& line) const {
    return {encoded.data() + line.id_offset, line.id_size};
  }
  std::string_view record(const ParsedLine& line) const {
    return {encoded.data() + line.record_offset, line.record_size};
  }
};

// The parser thread's row building: the JSON `data` of each line mapped,
// validated (RowValidator) and checked for intra-input uniqueness
// (UniqueTracker), in input order, with the row numbers errors report.
class RowPreparer {
 public:
  explicit RowPreparer(const compiler::Catalog& catalog);

  // Lines from now on append their ids and rows to `chunk`.
  void start_chunk(ParsedChunk& chunk) { chunk_ = &chunk; }

  void prepare_node(const compiler::NodeType& type, const rapidjson::Value* data, ParsedLine& out);
  void prepare_edge(const compiler::EdgeType& type, const rapidjson::Value* data, ParsedLine& out);

 private:
  struct NodeState {
    NodeState(const compiler::NodeType& type, bool is_endpoint);
    PropertyLayout layout;
    const compiler::Property* key;   // the @key property, or nullptr
    std::optional<size_t> key_slot;  // its position in the layout
    bool endpoint;                   // some edge type starts or ends here
    UniqueTracker unique;
    uint64_t rows = 0;
  };
  struct EdgeState {
    explicit EdgeState(const compiler::EdgeType& type);
    PropertyLayout layout;
    UniqueTracker unique;
    uint64_t rows = 0;
  };

  const compiler::Catalog& catalog_;
  RowValidator validator_;
  std::vector<std::unique_ptr<NodeState>> nodes_;  // by catalog position; null until seen
  std::vector<std::unique_ptr<EdgeState>> edges_;
  std::vector<const rapidjson::Value*> slots_;  // reused per line
  Row row_;                                     // reused per line
  ParsedChunk* chunk_ = nullptr;

  // Appends the line's id (`id`, or room for a generated one when absent)
  // and sets its range in `out`.
  void append_id(std::optional<std::string_view> id, ParsedLine& out);
};

// Cuts the input into chunks of whole lines and parses them (the parser
// thread's loop). `next_chunk` returns an empty chunk to fill (nullptr:
// stop), `deliver` hands a filled one over.
void parse_input(std::istream& input, const compiler::Catalog& catalog,
                 const std::function<std::unique_ptr<ParsedChunk>()>& next_chunk,
                 const std::function<void(std::unique_ptr<ParsedChunk>)>& deliver);

struct NodeTable {
  NodeTable(const compiler::NodeType& node_type, bool is_endpoint);

  const compiler::NodeType* type;
  uint64_t rows = 0;     // lines of this type in the input
  bool present = false;  // at least one line
  // Ids loaded by this input; kept only for node types some edge type
  // starts or ends at.
  bool track_ids;
  IdTable ids;
  Hash committed_rows;                           // the base root's row tree of this type
  std::vector<GraphWriter::EncodedEntry> batch;  // staged: views into the current chunk
};

struct EdgeTable {
  EdgeTable(const compiler::EdgeType& edge_type, NodeTable* from, NodeTable* to);

  const compiler::EdgeType* type;
  NodeTable* from;
  NodeTable* to;
  uint64_t rows = 0;
  bool present = false;
  // Endpoints not among the loaded ids when their line was read: id -> the
  // first (1-based) row that named it. Resolved once the whole input is in.
  IdTable unresolved_src;
  IdTable unresolved_dst;
  // Distinct sources of this input's edges (only for a non-default @card in
  // append/merge mode, to check just those sources afterwards).
  bool track_sources = false;
  IdTable sources;
  // An explicit edge id may replace a committed edge and so lower another
  // source's count: then every source is checked.
  bool explicit_ids = false;
  std::vector<GraphWriter::EncodedEntry> batch;  // staged: views into the current chunk
};

// The calling thread's side: per-table bookkeeping of the parsed lines, in
// input order.
class JsonlLoad {
 public:
  JsonlLoad(GraphWriter& writer, LoadMode mode);

  const compiler::Catalog& catalog() const { return *catalog_; }

  // Applies the lines of `chunk` in order, staging their rows; all of
  // them are handed to the writer before this returns (the staged entries
  // point into the chunk, which goes back to the parser).
  void add_chunk(ParsedChunk& chunk);

  // Writes what is still staged, then runs the whole-input checks in the
  // reference's order: node rows, edge endpoints, edge rows, @card.
  LoadSummary finish();

 private:
  void add_node(ParsedChunk& chunk, const ParsedLine& line);
  // `found`: endpoints found among the ids loaded before the chunk (bit 0
  // the source, bit 1 the target; see look_up_endpoints).
  void add_edge(ParsedChunk& chunk, const ParsedLine& line, uint8_t found);
  // Looks up the endpoints of the chunk's edge lines among the ids loaded
  // before it (loader_endpoints.cpp), filling found_.
  void look_up_endpoints(const ParsedChunk& chunk);
  // The line's id, written first when it is a generated one.
  std::string_view take_id(ParsedChunk& chunk, const ParsedLine& line);
  // Prefetches what adding `line` will look up first (called a few lines ahead).
  void prefetch(const ParsedLine& line) const;
  NodeTable& node_table(const compiler::NodeType& type);
  EdgeTable& edge_table(const compiler::EdgeType& type);
  void mark_present(bool& present, const std::string& table_key);
  void flush(NodeTable& table);
  void flush(EdgeTable& table);
  // Counts a staged row and writes every staged row once over budget.
  void staged();
  void flush_all();
  void drop_staged_nodes();
  void drop_staged_edges();

  // loader_checks.cpp
  void check_endpoints() const;
  bool node_exists(const NodeTable& table, std::string_view id) const;
  void check_cardinality(const EdgeTable& table) const;

  GraphWriter& writer_;
  prolly::NodeStore& store_;
  LoadMode mode_;
  std::shared_ptr<const compiler::Catalog> catalog_;
  std::vector<std::unique_ptr<NodeTable>> nodes_;  // by catalog position; null until seen
  std::vector<std::unique_ptr<EdgeTable>> edges_;
  std::vector<EdgeTable*> edge_order_;  // edge tables in order of first appearance
  std::vector<bool> is_endpoint_;       // by node type position
  size_t staged_rows_ = 0;
  std::vector<uint64_t> probes_;  // look_up_endpoints' work lists, reused
  std::vector<uint64_t> sorted_probes_;
  std::vector<uint8_t> found_;  // per line of the current chunk
  Ulid next_id_;                // the next of the ids reserved for the current chunk

  // The first failure of each later-reported kind. Line-level errors throw
  // at once (they come from the reference's parse phase, which runs before
  // everything else); these wait for the end of the input so that, like
  // the reference, a node row error wins over an edge error on an earlier
  // line.
  std::optional<Error> node_error_;
  std::optional<Error> edge_error_;
};

}  // namespace omnigraph::engine::loader_detail
