#include "compiler/schema/parser.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string>

#include "compiler/lexer.h"
#include "compiler/source_error.h"

namespace omnigraph::compiler::schema {

std::string_view constraint_kind_name(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kKey: return "key";
    case ConstraintKind::kUnique: return "unique";
    case ConstraintKind::kIndex: return "index";
    case ConstraintKind::kRange: return "range";
    case ConstraintKind::kCheck: return "check";
  }
  return "?";
}

namespace {

bool is_constraint_name(std::string_view word) {
  return word == "key" || word == "unique" || word == "index" || word == "range" || word == "check";
}

SourcePos pos_of(const Token& t) {
  return SourcePos{t.line, t.column};
}

// One argument of a body constraint (c_arg): a range bound, a literal or an
// ident. Interpretation depends on the constraint, as in the reference.
struct ConstraintArg {
  enum class Kind { kRange, kString, kInteger, kFloat, kBool, kIdent };
  Kind kind = Kind::kIdent;
  std::string text;
  std::optional<RangeBound> min;
  std::optional<RangeBound> max;
  SourcePos pos;
};

class Parser {
 public:
  explicit Parser(std::string_view source) : tokens_(tokenize(source)) {}

  SchemaFile parse_file() {
    SchemaFile file;
    while (!peek().is(TokenKind::kEof)) {
      const Token& t = peek();
      if (t.is_word("interface")) {
        file.declarations.emplace_back(parse_interface());
      } else if (t.is_word("node")) {
        file.declarations.emplace_back(parse_node());
      } else if (t.is_word("edge")) {
        file.declarations.emplace_back(parse_edge());
      } else {
        fail_expected("'interface', 'node' or 'edge'");
      }
    }
    return file;
  }

 private:
  const Token& peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& take() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool accept(TokenKind kind) {
    if (!peek().is(kind)) return false;
    take();
    return true;
  }

  [[noreturn]] void fail_at(const Token& t, std::string message) {
    throw_parse_error(std::move(message), t.line, t.column);
  }
  [[noreturn]] void fail_expected(std::string_view what) {
    fail_at(peek(), "expected " + std::string(what) + ", found " + peek().describe());
  }

  const Token& expect(TokenKind kind) {
    if (!peek().is(kind)) fail_expected(token_kind_name(kind));
    return take();
  }
  const Token& expect_word(std::string_view word) {
    if (!peek().is_word(word)) fail_expected("'" + std::string(word) + "'");
    return take();
  }
  const Token& expect_type_name(std::string_view what = "type name") {
    if (!peek().is(TokenKind::kIdent) || !is_type_name(peek().text)) {
      fail_expected(std::string(what) + " (starting with an uppercase letter)");
    }
    return take();
  }
  const Token& expect_ident(std::string_view what) {
    if (!peek().is(TokenKind::kIdent) || !is_ident(peek().text)) {
      fail_expected(std::string(what) + " (starting with a lowercase letter or '_')");
    }
    return take();
  }

  // `@` name `(` — the start of a body constraint rather than an annotation.
  bool at_body_constraint() const {
    return peek().is(TokenKind::kAt) && peek(1).is(TokenKind::kIdent) &&
           is_constraint_name(peek(1).text) && peek(2).is(TokenKind::kLParen);
  }
  bool at_card() const {
    return peek().is(TokenKind::kAt) && peek(1).is_word("card") && peek(2).is(TokenKind::kLParen);
  }

  InterfaceDecl parse_interface() {
    take();  // interface
    InterfaceDecl decl;
    const Token& name = expect_type_name("interface name");
    decl.name = name.text;
    decl.pos = pos_of(name);
    expect(TokenKind::kLBrace);
    while (!accept(TokenKind::kRBrace)) {
      if (peek().is(TokenKind::kAt)) {
        fail_at(peek(), "interface " + decl.name +
                            " may only declare properties (constraints belong on nodes)");
      }
      decl.properties.push_back(parse_property());
    }
    return decl;
  }

  NodeDecl parse_node() {
    take();  // node
    NodeDecl decl;
    const Token& name = expect_type_name("node type name");
    decl.name = name.text;
    decl.pos = pos_of(name);
    parse_annotations(decl.annotations);
    if (peek().is_word("implements")) {
      take();
      do {
        const Token& iface = expect_type_name("interface name");
        decl.implements.push_back(NamedRef{iface.text, pos_of(iface)});
      } while (accept(TokenKind::kComma));
    }
    if (!peek().is(TokenKind::kLBrace)) {
      if (at_body_constraint()) {
        fail_at(peek(), "@" + peek(1).text +
                            "(...) must be written inside the node body, not on the node header");
      }
      fail_expected("'{'");
    }
    take();
    parse_body(decl.properties, decl.constraints);
    return decl;
  }

  EdgeDecl parse_edge() {
    take();  // edge
    EdgeDecl decl;
    const Token& name = expect_type_name("edge type name");
    decl.name = name.text;
    decl.pos = pos_of(name);
    expect(TokenKind::kColon);
    const Token& from = expect_type_name("source node type");
    decl.from = NamedRef{from.text, pos_of(from)};
    expect(TokenKind::kArrow);
    const Token& to = expect_type_name("target node type");
    decl.to = NamedRef{to.text, pos_of(to)};
    if (at_card()) decl.cardinality = parse_cardinality();
    parse_annotations(decl.annotations);
    if (accept(TokenKind::kLBrace)) parse_body(decl.properties, decl.constraints);
    return decl;
  }

  Cardinality parse_cardinality() {
    take();  // @
    take();  // card
    expect(TokenKind::kLParen);
    Cardinality card;
    const Token& min_tok = peek();
    card.min = parse_u32(expect(TokenKind::kInt), "cardinality min");
    expect(TokenKind::kDotDot);
    if (peek().is(TokenKind::kInt)) card.max = parse_u32(take(), "cardinality max");
    expect(TokenKind::kRParen);
    if (card.max && card.min > *card.max) {
      fail_at(min_tok, "cardinality min (" + std::to_string(card.min) + ") exceeds max (" +
                           std::to_string(*card.max) + ")");
    }
    return card;
  }

  uint32_t parse_u32(const Token& t, std::string_view what) {
    uint32_t v = 0;
    auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (ec != std::errc() || p != t.text.data() + t.text.size()) {
      fail_at(t, "invalid " + std::string(what) + ": " + t.text);
    }
    return v;
  }

  // { prop_decl | body_constraint } "}" — the opening brace is consumed.
  void parse_body(std::vector<PropDecl>& props, std::vector<ConstraintDecl>& constraints) {
    while (!accept(TokenKind::kRBrace)) {
      if (peek().is(TokenKind::kAt)) {
        if (!at_body_constraint()) {
          fail_at(peek(),
                  "expected a property or a constraint (@key, @unique, @index, @range, @check "
                  "with arguments); annotations must follow a property");
        }
        constraints.push_back(parse_body_constraint());
      } else if (peek().is(TokenKind::kEof)) {
        fail_expected("'}'");
      } else {
        props.push_back(parse_property());
      }
    }
  }

  PropDecl parse_property() {
    PropDecl prop;
    const Token& name = expect_ident("property name");
    prop.name = name.text;
    prop.pos = pos_of(name);
    expect(TokenKind::kColon);
    prop.type = parse_type_ref();
    parse_annotations(prop.annotations);
    return prop;
  }

  Type parse_type_ref() {
    Type type;
    const Token& start = peek();
    if (accept(TokenKind::kLBracket)) {
      const Token& elem = peek();
      std::optional<ScalarKind> kind;
      if (elem.is(TokenKind::kIdent)) kind = parse_base_type(elem.text);
      if (!kind) {
        if (elem.is_word("Vector") || elem.is_word("enum")) {
          fail_at(elem,
                  "list elements must be a base type; [" + elem.text + "(...)] is not supported");
        }
        fail_expected(
            "list element type (String, Bool, I32, I64, U32, U64, F32, F64, Date, "
            "DateTime)");
      }
      if (*kind == ScalarKind::kBlob) fail_at(start, "list of Blob is not supported");
      take();
      expect(TokenKind::kRBracket);
      type = Type::list_of(*kind);
    } else if (peek().is_word("enum") && peek(1).is(TokenKind::kLParen)) {
      take();
      take();
      std::vector<std::string> values;
      do {
        values.push_back(parse_enum_value());
      } while (accept(TokenKind::kComma));
      expect(TokenKind::kRParen);
      std::vector<std::string> sorted = values;
      std::sort(sorted.begin(), sorted.end());
      if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
        fail_at(start, "enum type cannot include duplicate values");
      }
      type = Type::enum_of(std::move(values));
    } else if (peek().is_word("Vector") && peek(1).is(TokenKind::kLParen)) {
      take();
      take();
      const Token& dim = expect(TokenKind::kInt);
      uint64_t n = 0;
      auto [p, ec] = std::from_chars(dim.text.data(), dim.text.data() + dim.text.size(), n);
      if (ec != std::errc() || n > kMaxVectorDim) {
        fail_at(dim, "Vector dimension " + dim.text + " exceeds maximum supported " +
                         std::to_string(kMaxVectorDim));
      }
      if (n == 0) fail_at(dim, "Vector dimension must be greater than zero");
      expect(TokenKind::kRParen);
      type = Type::vector_of(static_cast<uint32_t>(n));
    } else {
      std::optional<ScalarKind> kind;
      if (peek().is(TokenKind::kIdent)) kind = parse_base_type(peek().text);
      if (!kind) {
        if (peek().is(TokenKind::kIdent)) fail_at(peek(), "unknown type: " + peek().text);
        fail_expected("a type");
      }
      take();
      type = Type::scalar_of(*kind);
    }
    if (accept(TokenKind::kQuestion)) type.nullable = true;
    return type;
  }

  // enum_value = { letter | digit | "_" | "-" }+, atomic: adjacent tokens
  // such as `data` `-` `eng` are glued back together.
  std::string parse_enum_value() {
    auto part = [](const Token& t) {
      return t.is(TokenKind::kIdent) || t.is(TokenKind::kInt) || t.is(TokenKind::kMinus);
    };
    if (!part(peek())) fail_expected("enum value");
    std::string value = take().text;
    while (part(peek()) && peek().offset == tokens_[pos_ - 1].end) value += take().text;
    return value;
  }

  // { annotation }, stopping before a body constraint (`@key(` ...).
  void parse_annotations(std::vector<Annotation>& out) {
    while (peek().is(TokenKind::kAt) && !at_body_constraint()) {
      if (at_card()) {
        fail_at(peek(),
                "@card must come immediately after the edge endpoints (at most once per edge)");
      }
      out.push_back(parse_annotation());
    }
  }

  Annotation parse_annotation() {
    const Token& at = take();
    Annotation ann;
    ann.line = at.line;
    ann.column = at.column;
    ann.name = expect_ident("annotation name").text;
    if (!accept(TokenKind::kLParen)) return ann;
    do {
      AnnotationArg arg;
      if (peek().is(TokenKind::kIdent) && peek(1).is(TokenKind::kEq)) {
        arg.key = take().text;
        take();
      }
      const Token& v = peek();
      switch (v.kind) {
        case TokenKind::kString: arg.kind = AnnotationArg::Kind::kString; break;
        case TokenKind::kInt: arg.kind = AnnotationArg::Kind::kInteger; break;
        case TokenKind::kFloat: arg.kind = AnnotationArg::Kind::kFloat; break;
        case TokenKind::kIdent:
          if (v.text == "true" || v.text == "false") {
            arg.kind = AnnotationArg::Kind::kBool;
          } else if (is_ident(v.text)) {
            arg.kind = AnnotationArg::Kind::kIdent;
          } else {
            fail_at(v, "annotation argument " + v.text +
                           " must be a literal or a lowercase name; quote it: @" + ann.name +
                           "(\"" + v.text + "\")");
          }
          break;
        default: fail_expected("annotation argument (string, number, bool or name)");
      }
      arg.value = take().text;
      ann.args.push_back(std::move(arg));
    } while (accept(TokenKind::kComma));
    expect(TokenKind::kRParen);
    return ann;
  }

  ConstraintDecl parse_body_constraint() {
    const Token& at = take();
    const Token& name = take();
    take();  // (
    std::vector<ConstraintArg> args;
    do {
      args.push_back(parse_constraint_arg());
    } while (accept(TokenKind::kComma));
    expect(TokenKind::kRParen);

    ConstraintDecl c;
    c.pos = pos_of(at);
    auto property_name = [&](const ConstraintArg& a) -> std::string {
      if (a.kind != ConstraintArg::Kind::kIdent) {
        throw_parse_error("expected property name in constraint", a.pos.line, a.pos.column);
      }
      return a.text;
    };
    if (name.text == "key" || name.text == "unique" || name.text == "index") {
      c.kind = name.text == "key"      ? ConstraintKind::kKey
               : name.text == "unique" ? ConstraintKind::kUnique
                                       : ConstraintKind::kIndex;
      for (const auto& a : args) c.columns.push_back(property_name(a));
    } else if (name.text == "range") {
      c.kind = ConstraintKind::kRange;
      if (args.size() < 2) {
        fail_at(at, "@range requires property name and bounds: @range(prop, min..max)");
      }
      c.columns.push_back(property_name(args[0]));
      if (args[1].kind != ConstraintArg::Kind::kRange) {
        throw_parse_error("expected range bounds (min..max) in @range constraint", args[1].pos.line,
                          args[1].pos.column);
      }
      c.min = args[1].min;
      c.max = args[1].max;
    } else {
      c.kind = ConstraintKind::kCheck;
      if (args.size() < 2) {
        fail_at(at, "@check requires property name and pattern: @check(prop, \"regex\")");
      }
      c.columns.push_back(property_name(args[0]));
      if (args[1].kind != ConstraintArg::Kind::kString) {
        throw_parse_error("expected string argument in constraint", args[1].pos.line,
                          args[1].pos.column);
      }
      c.pattern = args[1].text;
    }
    return c;
  }

  bool at_number() const {
    if (peek().is(TokenKind::kInt) || peek().is(TokenKind::kFloat)) return true;
    return peek().is(TokenKind::kMinus) &&
           (peek(1).is(TokenKind::kInt) || peek(1).is(TokenKind::kFloat));
  }

  // num = ["-"] digits ["." digits]; the sign must touch the digits.
  RangeBound parse_signed_number() {
    RangeBound b;
    std::string text;
    if (peek().is(TokenKind::kMinus)) {
      const Token& minus = take();
      if (peek().offset != minus.end) fail_at(peek(), "a '-' sign must touch its number");
      text = "-";
    }
    const Token& num = peek();
    if (!num.is(TokenKind::kInt) && !num.is(TokenKind::kFloat)) fail_expected("number");
    take();
    text += num.text;
    b.text = text;
    if (num.is(TokenKind::kInt)) {
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), b.int_value);
      if (ec != std::errc()) fail_at(num, "invalid constraint bound: " + text);
    } else {
      b.is_float = true;
      // strtod never throws; an out-of-range literal becomes +/-inf.
      b.float_value = std::strtod(text.c_str(), nullptr);
    }
    return b;
  }

  ConstraintArg parse_constraint_arg() {
    ConstraintArg a;
    const Token& t = peek();
    a.pos = pos_of(t);
    if (t.is(TokenKind::kDotDot)) {
      take();
      a.kind = ConstraintArg::Kind::kRange;
      a.max = parse_signed_number();
      return a;
    }
    if (at_number()) {
      // range_bound is tried before a plain literal, as in the grammar.
      size_t after = peek().is(TokenKind::kMinus) ? 2 : 1;
      if (peek(after).is(TokenKind::kDotDot)) {
        a.kind = ConstraintArg::Kind::kRange;
        a.min = parse_signed_number();
        take();  // ..
        if (at_number()) a.max = parse_signed_number();
        return a;
      }
      if (t.is(TokenKind::kMinus)) fail_at(t, "a negative number is only allowed in a range bound");
      a.kind = t.is(TokenKind::kInt) ? ConstraintArg::Kind::kInteger : ConstraintArg::Kind::kFloat;
      a.text = take().text;
      return a;
    }
    if (t.is(TokenKind::kString)) {
      a.kind = ConstraintArg::Kind::kString;
      a.text = take().text;
      return a;
    }
    if (t.is_word("true") || t.is_word("false")) {
      a.kind = ConstraintArg::Kind::kBool;
      a.text = take().text;
      return a;
    }
    if (t.is(TokenKind::kIdent) && is_ident(t.text)) {
      a.kind = ConstraintArg::Kind::kIdent;
      a.text = take().text;
      return a;
    }
    fail_expected("constraint argument (property name, literal or range bounds)");
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

}  // namespace

SchemaFile parse_schema_syntax(std::string_view source) {
  return Parser(source).parse_file();
}

}  // namespace omnigraph::compiler::schema
