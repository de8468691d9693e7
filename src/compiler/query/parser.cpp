#include "compiler/query/parser.h"

#include <charconv>
#include <set>

#include "compiler/lexer.h"
#include "compiler/source_error.h"

namespace omnigraph::compiler::query {

std::string_view comp_op_text(CompOp op) {
  switch (op) {
    case CompOp::kEq: return "=";
    case CompOp::kNe: return "!=";
    case CompOp::kGt: return ">";
    case CompOp::kLt: return "<";
    case CompOp::kGe: return ">=";
    case CompOp::kLe: return "<=";
    case CompOp::kContains: return "contains";
  }
  return "?";
}

std::string_view agg_func_name(AggFunc func) {
  switch (func) {
    case AggFunc::kCount: return "count";
    case AggFunc::kSum: return "sum";
    case AggFunc::kAvg: return "avg";
    case AggFunc::kMin: return "min";
    case AggFunc::kMax: return "max";
  }
  return "?";
}

const QueryDecl* QueryFile::find(std::string_view name) const {
  for (const auto& q : queries) {
    if (q.name == name) return &q;
  }
  return nullptr;
}

namespace {

const std::set<std::string, std::less<>> kBaseTypes = {
    "String", "Blob", "Bool", "I32", "I64", "U32", "U64", "F32", "F64", "DateTime", "Date"};

std::optional<AggFunc> agg_from_word(std::string_view w) {
  if (w == "count") return AggFunc::kCount;
  if (w == "sum") return AggFunc::kSum;
  if (w == "avg") return AggFunc::kAvg;
  if (w == "min") return AggFunc::kMin;
  if (w == "max") return AggFunc::kMax;
  return std::nullopt;
}

class Parser {
 public:
  explicit Parser(std::string_view source) : tokens_(tokenize(source)) {}

  QueryFile run() {
    QueryFile file;
    while (!peek().is(TokenKind::kEof)) file.queries.push_back(query_decl());
    return file;
  }

 private:
  // ---- token helpers -------------------------------------------------------

  const Token& peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  static SourcePos at(const Token& t) { return SourcePos{t.line, t.column}; }

  // Bounds the parser's recursion (nested lists, calls, `not { }` blocks) so
  // hostile input such as thousands of '[' is a parse error, not a stack
  // overflow. No real query comes close to this depth.
  static constexpr int kMaxNesting = 64;
  class NestingGuard {
   public:
    explicit NestingGuard(Parser& parser) : parser_(parser) {
      if (++parser_.depth_ > kMaxNesting) {
        parser_.fail_at(parser_.peek(),
                        "nesting is deeper than " + std::to_string(kMaxNesting) + " levels");
      }
    }
    ~NestingGuard() { --parser_.depth_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    Parser& parser_;
  };

  [[noreturn]] void fail_at(const Token& t, const std::string& message) {
    throw_parse_error(message, t.line, t.column);
  }
  [[noreturn]] void expected(std::string_view what) {
    fail_at(peek(), "expected " + std::string(what) + ", found " + peek().describe());
  }

  const Token& expect(TokenKind kind) {
    if (!peek().is(kind)) expected(token_kind_name(kind));
    return next();
  }
  const Token& expect_word(std::string_view word) {
    if (!peek().is_word(word)) expected("'" + std::string(word) + "'");
    return next();
  }
  bool accept(TokenKind kind) {
    if (!peek().is(kind)) return false;
    next();
    return true;
  }
  bool is_word_call(std::string_view word, size_t ahead = 0) const {
    return peek(ahead).is_word(word) && peek(ahead + 1).is(TokenKind::kLParen);
  }

  std::string ident(std::string_view what) {
    const Token& t = peek();
    if (!t.is(TokenKind::kIdent) || !is_ident(t.text)) expected(what);
    return next().text;
  }
  std::string type_name(std::string_view what) {
    const Token& t = peek();
    if (!t.is(TokenKind::kIdent) || !is_type_name(t.text)) expected(what);
    return next().text;
  }
  // `$name`: the reference only accepts a lowercase letter or `_` first.
  std::string variable() {
    const Token& t = peek();
    if (!t.is(TokenKind::kVariable)) expected("a variable ($name)");
    if (!is_ident(t.text)) {
      fail_at(
          t, "invalid variable name '$" + t.text + "': names start with a lowercase letter or '_'");
    }
    return next().text;
  }

  // ---- declarations -------------------------------------------------------

  QueryDecl query_decl() {
    QueryDecl q;
    q.pos = at(peek());
    expect_word("query");
    q.name_pos = at(peek());
    q.name = ident("a query name");
    expect(TokenKind::kLParen);
    if (!peek().is(TokenKind::kRParen)) {
      q.params.push_back(param());
      while (accept(TokenKind::kComma)) q.params.push_back(param());
    }
    expect(TokenKind::kRParen);
    while (peek().is(TokenKind::kAt)) annotation(q);
    expect(TokenKind::kLBrace);
    if (peek().is_word("match")) {
      read_body(q);
    } else if (is_mutation_start()) {
      while (is_mutation_start()) q.mutations.push_back(mutation());
    } else {
      expected("'match', 'insert', 'update' or 'delete'");
    }
    expect(TokenKind::kRBrace);
    return q;
  }

  void annotation(QueryDecl& q) {
    const Token& at_tok = next();  // '@'
    const Token& name_tok = peek();
    std::string name = name_tok.is(TokenKind::kIdent) ? name_tok.text : "";
    if (name != "description" && name != "instruction") {
      fail_at(at_tok, "unsupported query annotation: @" + name +
                          " (only @description and @instruction are allowed)");
    }
    next();
    expect(TokenKind::kLParen);
    std::string value = expect(TokenKind::kString).text;
    expect(TokenKind::kRParen);
    auto& slot = name == "description" ? q.description : q.instruction;
    if (slot) {
      fail_at(at_tok, "query `" + q.name + "` cannot include duplicate @" + name + " annotations");
    }
    slot = std::move(value);
  }

  Param param() {
    Param p;
    p.pos = at(peek());
    p.name = variable();
    expect(TokenKind::kColon);
    p.type_pos = at(peek());
    if (accept(TokenKind::kLBracket)) {
      const Token& t = peek();
      if (!t.is(TokenKind::kIdent) || !kBaseTypes.count(t.text)) expected("a base type");
      p.type_name = "[" + next().text + "]";
      expect(TokenKind::kRBracket);
    } else if (peek().is_word("Vector")) {
      next();
      expect(TokenKind::kLParen);
      p.type_name = "Vector(" + expect(TokenKind::kInt).text + ")";
      expect(TokenKind::kRParen);
    } else {
      const Token& t = peek();
      if (!t.is(TokenKind::kIdent) || !kBaseTypes.count(t.text)) {
        expected(
            "a parameter type (String, Bool, I32, I64, U32, U64, F32, F64, Date, DateTime, "
            "Blob, [T] or Vector(n))");
      }
      p.type_name = next().text;
    }
    p.nullable = accept(TokenKind::kQuestion);
    return p;
  }

  // ---- read queries ---------------------------------------------------------

  void read_body(QueryDecl& q) {
    expect_word("match");
    expect(TokenKind::kLBrace);
    q.match = clause_list();
    expect_word("return");
    expect(TokenKind::kLBrace);
    do {
      q.returns.push_back(projection());
    } while (!peek().is(TokenKind::kRBrace));
    next();
    if (peek().is_word("order")) {
      next();
      expect(TokenKind::kLBrace);
      q.order.push_back(ordering());
      while (accept(TokenKind::kComma)) q.order.push_back(ordering());
      expect(TokenKind::kRBrace);
    }
    if (peek().is_word("limit")) {
      next();
      q.limit_pos = at(peek());
      const Token& t = expect(TokenKind::kInt);
      uint64_t v = 0;
      auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
      if (ec != std::errc()) fail_at(t, "invalid limit: " + t.text + " is out of range");
      q.limit = v;
    }
  }

  // clause+ "}" — consumes the closing brace.
  std::vector<Clause> clause_list() {
    std::vector<Clause> out;
    if (peek().is(TokenKind::kRBrace)) expected("at least one clause");
    while (!accept(TokenKind::kRBrace)) out.push_back(clause());
    return out;
  }

  static bool is_edge_word(const Token& t) {
    return t.is(TokenKind::kIdent) && is_ident(t.text) && t.text != "not";
  }

  // Index (relative to pos_) just past optional `{int, [int]}` starting at
  // `i`, or `i` when there are none.
  size_t skip_bounds(size_t i) const {
    if (!peek(i).is(TokenKind::kLBrace)) return i;
    if (peek(i + 1).is(TokenKind::kInt) && peek(i + 2).is(TokenKind::kComma)) {
      size_t j = i + 3;
      if (peek(j).is(TokenKind::kInt)) ++j;
      if (peek(j).is(TokenKind::kRBrace)) return j + 1;
    }
    return i;
  }

  Clause clause() {
    NestingGuard guard(*this);
    Clause c;
    c.pos = at(peek());
    const Token& t = peek();
    if (t.is_word("not") && peek(1).is(TokenKind::kLBrace)) {
      next();
      next();
      c.kind = Clause::Kind::kNegation;
      c.negation = clause_list();
      return c;
    }
    if (t.is(TokenKind::kVariable)) {
      if (peek(1).is(TokenKind::kColon)) {
        c.kind = Clause::Kind::kBinding;
        c.binding = binding();
        return c;
      }
      if (looks_like_traversal()) {
        c.kind = Clause::Kind::kTraversal;
        c.traversal = traversal();
        return c;
      }
    }
    c.kind = Clause::Kind::kFilter;
    c.filter = filter();
    return c;
  }

  // Ordered choice as in the reference: `$a word $b` (with optional bounds)
  // is a traversal; the two extensions are recognised by their distinct
  // shapes `$a <word> $b` / `$a <$e:word> $b` and `$a $e:word $b`.
  bool looks_like_traversal() const {
    size_t i = 1;
    if (is_edge_word(peek(1))) {
      // `$a word {` commits to a traversal so malformed bounds get a clear error.
      if (peek(2).is(TokenKind::kLBrace)) return true;
      i = 2;
    } else if (peek(1).is(TokenKind::kLt)) {
      i = 2;
      if (peek(i).is(TokenKind::kVariable) && peek(i + 1).is(TokenKind::kColon)) i += 2;
      if (!is_edge_word(peek(i)) || !peek(i + 1).is(TokenKind::kGt)) return false;
      i += 2;
    } else if (peek(1).is(TokenKind::kVariable) && peek(2).is(TokenKind::kColon) &&
               is_edge_word(peek(3))) {
      i = 4;
    } else {
      return false;
    }
    i = skip_bounds(i);
    // `$list contains $p.name` is a filter: a traversal's destination is
    // never followed by '.', so this only accepts what the reference's PEG
    // rejected (docs/compatibility.md).
    return peek(i).is(TokenKind::kVariable) && !peek(i + 1).is(TokenKind::kDot);
  }

  Binding binding() {
    Binding b;
    b.pos = at(peek());
    b.variable = variable();
    expect(TokenKind::kColon);
    b.type_pos = at(peek());
    b.type_name = type_name("a node type name");
    if (accept(TokenKind::kLBrace)) {
      if (peek().is(TokenKind::kRBrace)) expected("a property match (name: value)");
      for (;;) {
        PropMatch pm;
        pm.pos = at(peek());
        pm.property = ident("a property name");
        expect(TokenKind::kColon);
        pm.value = match_value();
        b.prop_matches.push_back(std::move(pm));
        if (accept(TokenKind::kComma)) {
          if (accept(TokenKind::kRBrace)) break;
          continue;
        }
        expect(TokenKind::kRBrace);
        break;
      }
    }
    return b;
  }

  Traversal traversal() {
    Traversal t;
    t.pos = at(peek());
    t.src = variable();
    auto edge_ref = [&] {
      if (peek().is(TokenKind::kVariable)) {
        t.edge_var_pos = at(peek());
        t.edge_var = variable();
        expect(TokenKind::kColon);
      }
      t.edge_pos = at(peek());
      const Token& e = peek();
      if (!is_edge_word(e)) expected("an edge name");
      t.edge_name = next().text;
    };
    if (accept(TokenKind::kLt)) {
      t.undirected = true;
      edge_ref();
      expect(TokenKind::kGt);
    } else {
      edge_ref();
    }
    if (t.edge_var == "_") t.edge_var.clear();  // `$_` binds nothing
    if (peek().is(TokenKind::kLBrace)) {
      t.bounds_pos = at(peek());
      t.has_bounds = true;
      next();
      if (!peek().is(TokenKind::kInt)) expected("hop bounds {min,max} or {min,}");
      t.min_hops = hop_count();
      if (!peek().is(TokenKind::kComma)) expected("',' in hop bounds {min,max} or {min,}");
      next();
      if (peek().is(TokenKind::kInt)) {
        t.max_hops = hop_count();
      } else {
        t.max_hops.reset();
      }
      expect(TokenKind::kRBrace);
    }
    t.dst_pos = at(peek());
    t.dst = variable();
    return t;
  }

  uint32_t hop_count() {
    const Token& t = next();
    uint32_t v = 0;
    auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (ec != std::errc()) fail_at(t, "invalid traversal bound: " + t.text + " is out of range");
    return v;
  }

  std::optional<CompOp> peek_filter_op(bool allow_contains) const {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::kEq: return CompOp::kEq;
      case TokenKind::kNe: return CompOp::kNe;
      case TokenKind::kLt: return CompOp::kLt;
      case TokenKind::kLe: return CompOp::kLe;
      case TokenKind::kGt: return CompOp::kGt;
      case TokenKind::kGe: return CompOp::kGe;
      default: break;
    }
    if (allow_contains && t.is_word("contains")) return CompOp::kContains;
    return std::nullopt;
  }

  Filter filter() {
    Filter f;
    f.pos = at(peek());
    f.left = expr();
    if (auto op = peek_filter_op(true)) {
      f.op_pos = at(peek());
      next();
      f.op = *op;
      f.right = expr();
      return f;
    }
    using K = Expr::Kind;
    if (f.left.kind == K::kSearch || f.left.kind == K::kFuzzy || f.left.kind == K::kMatchText) {
      // Standalone text search is sugar for `call = true` (spec §2.2).
      f.text_search_sugar = true;
      f.op = CompOp::kEq;
      f.op_pos = f.pos;
      f.right.kind = K::kLiteral;
      f.right.pos = f.pos;
      f.right.literal.kind = Literal::Kind::kBool;
      f.right.literal.bool_value = true;
      f.right.literal.pos = f.pos;
      return f;
    }
    expected("a comparison operator (=, !=, <, <=, >, >=, contains)");
  }

  Projection projection() {
    Projection p;
    p.pos = at(peek());
    p.expr = expr();
    if (peek().is_word("as")) {
      next();
      p.alias = ident("an alias name");
    }
    accept(TokenKind::kComma);
    return p;
  }

  Ordering ordering() {
    Ordering o;
    o.pos = at(peek());
    if (is_word_call("nearest")) {
      // nearest() orders by distance; it takes no direction (spec §2.2).
      o.expr = nearest_call();
      return o;
    }
    o.expr = expr();
    if (peek().is_word("asc")) {
      next();
    } else if (peek().is_word("desc")) {
      next();
      o.descending = true;
    }
    return o;
  }

  // ---- expressions ---------------------------------------------------------

  Expr expr() {
    NestingGuard guard(*this);
    const Token& t = peek();
    Expr e;
    e.pos = at(t);
    if (t.is(TokenKind::kIdent)) {
      if (peek(1).is(TokenKind::kLParen)) {
        const std::string& w = t.text;
        if (w == "now") {
          next();
          next();
          expect(TokenKind::kRParen);
          e.kind = Expr::Kind::kNow;
          return e;
        }
        if (w == "nearest") return nearest_call();
        if (w == "search") return call(Expr::Kind::kSearch, 2, 2);
        if (w == "fuzzy") return call(Expr::Kind::kFuzzy, 2, 3);
        if (w == "match_text") return call(Expr::Kind::kMatchText, 2, 2);
        if (w == "bm25") return call(Expr::Kind::kBm25, 2, 2);
        if (w == "rrf") return rrf_call();
        if (auto agg = agg_from_word(w)) {
          next();
          next();
          e.kind = Expr::Kind::kAggregate;
          e.agg = *agg;
          e.args.push_back(expr());
          expect(TokenKind::kRParen);
          return e;
        }
        if (w == "date" || w == "datetime") {
          e.kind = Expr::Kind::kLiteral;
          e.literal = literal();
          return e;
        }
      }
      if (t.text == "true" || t.text == "false") {
        e.kind = Expr::Kind::kLiteral;
        e.literal = literal();
        return e;
      }
      if (is_ident(t.text)) {
        e.kind = Expr::Kind::kAliasRef;
        e.name = next().text;
        return e;
      }
      expected("an expression");
    }
    if (t.is(TokenKind::kVariable)) {
      e.variable = variable();
      if (accept(TokenKind::kDot)) {
        e.kind = Expr::Kind::kPropAccess;
        e.name_pos = at(peek());
        e.name = ident("a property name");
      } else {
        e.kind = Expr::Kind::kVariable;
      }
      return e;
    }
    if (t.is(TokenKind::kLBracket) || t.is(TokenKind::kString) || t.is(TokenKind::kInt) ||
        t.is(TokenKind::kFloat)) {
      e.kind = Expr::Kind::kLiteral;
      e.literal = literal();
      return e;
    }
    expected("an expression");
  }

  Expr nearest_call() {
    Expr e;
    e.pos = at(peek());
    e.kind = Expr::Kind::kNearest;
    next();
    next();
    if (!peek().is(TokenKind::kVariable) || !peek(1).is(TokenKind::kDot)) {
      expected("a property access ($var.prop) as the first argument of nearest()");
    }
    e.variable = variable();
    next();
    e.name_pos = at(peek());
    e.name = ident("a property name");
    expect(TokenKind::kComma);
    e.args.push_back(expr());
    expect(TokenKind::kRParen);
    return e;
  }

  Expr call(Expr::Kind kind, size_t min_args, size_t max_args) {
    Expr e;
    e.pos = at(peek());
    e.kind = kind;
    std::string name = next().text;
    next();  // '('
    e.args.push_back(expr());
    while (e.args.size() < max_args && accept(TokenKind::kComma)) e.args.push_back(expr());
    if (e.args.size() < min_args) {
      expected("',' (" + name + "() takes " + std::to_string(min_args) + " arguments)");
    }
    if (!peek().is(TokenKind::kRParen)) {
      if (peek().is(TokenKind::kComma)) {
        fail_at(peek(), name + "() accepts at most " + std::to_string(max_args) + " arguments");
      }
      expected("')'");
    }
    next();
    return e;
  }

  Expr rrf_call() {
    Expr e;
    e.pos = at(peek());
    e.kind = Expr::Kind::kRrf;
    next();
    next();
    for (int i = 0; i < 2; ++i) {
      if (i) expect(TokenKind::kComma);
      if (is_word_call("nearest")) {
        e.args.push_back(nearest_call());
      } else if (is_word_call("bm25")) {
        e.args.push_back(call(Expr::Kind::kBm25, 2, 2));
      } else {
        fail_at(peek(),
                "rrf() arguments must be nearest(...) or bm25(...), found " + peek().describe());
      }
    }
    if (accept(TokenKind::kComma)) e.args.push_back(expr());
    expect(TokenKind::kRParen);
    return e;
  }

  Literal literal() {
    NestingGuard guard(*this);
    const Token& t = peek();
    Literal l;
    l.pos = at(t);
    switch (t.kind) {
      case TokenKind::kString:
        l.kind = Literal::Kind::kString;
        l.text = next().text;
        return l;
      case TokenKind::kInt: {
        l.kind = Literal::Kind::kInteger;
        l.text = t.text;
        auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), l.int_value);
        if (ec != std::errc()) fail_at(t, "invalid integer: " + t.text + " is out of range");
        next();
        return l;
      }
      case TokenKind::kFloat:
        l.kind = Literal::Kind::kFloat;
        l.text = t.text;
        l.float_value = std::strtod(t.text.c_str(), nullptr);
        next();
        return l;
      case TokenKind::kLBracket:
        next();
        l.kind = Literal::Kind::kList;
        if (!peek().is(TokenKind::kRBracket)) {
          l.items.push_back(literal());
          while (accept(TokenKind::kComma)) l.items.push_back(literal());
        }
        expect(TokenKind::kRBracket);
        return l;
      case TokenKind::kIdent:
        if (t.text == "true" || t.text == "false") {
          l.kind = Literal::Kind::kBool;
          l.bool_value = t.text == "true";
          l.text = t.text;
          next();
          return l;
        }
        if ((t.text == "date" || t.text == "datetime") && peek(1).is(TokenKind::kLParen)) {
          l.kind = t.text == "date" ? Literal::Kind::kDate : Literal::Kind::kDateTime;
          next();
          next();
          l.text = expect(TokenKind::kString).text;
          expect(TokenKind::kRParen);
          return l;
        }
        break;
      default: break;
    }
    expected("a literal (string, number, bool, date(\"...\"), datetime(\"...\") or [list])");
  }

  MatchValue match_value() {
    MatchValue v;
    v.pos = at(peek());
    if (is_word_call("now")) {
      next();
      next();
      expect(TokenKind::kRParen);
      v.kind = MatchValue::Kind::kNow;
    } else if (peek().is(TokenKind::kVariable)) {
      v.kind = MatchValue::Kind::kVariable;
      v.variable = variable();
    } else {
      v.kind = MatchValue::Kind::kLiteral;
      v.literal = literal();
    }
    return v;
  }

  // ---- mutations -------------------------------------------------------------

  bool is_mutation_start() const {
    const Token& t = peek();
    return t.is_word("insert") || t.is_word("update") || t.is_word("delete");
  }

  Mutation mutation() {
    Mutation m;
    m.pos = at(peek());
    std::string verb = next().text;
    m.type_pos = at(peek());
    m.type_name = type_name("a node or edge type name");
    if (verb == "insert") {
      m.kind = Mutation::Kind::kInsert;
      m.assignments = assignments();
    } else if (verb == "update") {
      m.kind = Mutation::Kind::kUpdate;
      expect_word("set");
      m.assignments = assignments();
      expect_word("where");
      m.predicate = predicate();
    } else {
      m.kind = Mutation::Kind::kDelete;
      expect_word("where");
      m.predicate = predicate();
    }
    return m;
  }

  std::vector<Assignment> assignments() {
    expect(TokenKind::kLBrace);
    std::vector<Assignment> out;
    if (peek().is(TokenKind::kRBrace)) expected("an assignment (property: value)");
    while (!accept(TokenKind::kRBrace)) {
      Assignment a;
      a.pos = at(peek());
      a.property = ident("a property name");
      expect(TokenKind::kColon);
      a.value = match_value();
      accept(TokenKind::kComma);
      out.push_back(std::move(a));
    }
    return out;
  }

  MutationPredicate predicate() {
    MutationPredicate p;
    p.pos = at(peek());
    p.property = ident("a property name");
    auto op = peek_filter_op(false);
    if (!op) expected("a comparison operator (=, !=, <, <=, >, >=)");
    next();
    p.op = *op;
    p.value = match_value();
    return p;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;  // current recursion depth, see NestingGuard
};

}  // namespace

QueryFile parse_query_file(std::string_view source) {
  return Parser(source).run();
}

}  // namespace omnigraph::compiler::query
