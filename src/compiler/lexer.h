// The lexer shared by the schema (.pg) and query (.gq) parsers (spec §0).
//
// It turns source text into a flat token vector. Keywords are not reserved:
// every word comes out as kIdent and the parsers decide by its text, because
// both grammars are ordered-choice PEGs where `match`, `node` or `key` may
// also be ordinary names. Every token carries its byte span and 1-based
// line:column so parsers can report positions and can tell whether two tokens
// touch (needed for atomic rules such as enum values like `data-eng`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::compiler {

enum class TokenKind {
  kIdent,      // [A-Za-z_][A-Za-z0-9_]*  (TypeName or ident; see is_type_name/is_ident)
  kVariable,   // $name — text is the name without the '$' ("_" for `$_`)
  kString,     // "..." — text is the decoded value
  kInt,        // [0-9]+ — text is the digits
  kFloat,      // [0-9]+ "." [0-9]+ — text is the literal as written
  kLBrace,     // {
  kRBrace,     // }
  kLParen,     // (
  kRParen,     // )
  kLBracket,   // [
  kRBracket,   // ]
  kComma,      // ,
  kColon,      // :
  kSemicolon,  // ;
  kQuestion,   // ?
  kAt,         // @
  kDot,        // .
  kDotDot,     // ..
  kArrow,      // ->
  kMinus,      // -
  kPlus,       // +
  kStar,       // *
  kSlash,      // /  (only when not starting a comment)
  kEq,         // =
  kNe,         // !=
  kLt,         // <
  kLe,         // <=
  kGt,         // >
  kGe,         // >=
  kEof,        // end of input (always the last token)
};

// A short human name for messages: "identifier", "string", "'{'", ...
std::string_view token_kind_name(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kEof;
  std::string text;     // see TokenKind; for punctuation the punctuation itself
  size_t offset = 0;    // byte offset of the first source byte
  size_t end = 0;       // byte offset one past the last source byte
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, counted in Unicode code points

  bool is(TokenKind k) const { return kind == k; }
  // True for a kIdent token whose text is exactly `word`.
  bool is_word(std::string_view word) const { return kind == TokenKind::kIdent && text == word; }
  // Human description for "expected X, found Y" messages.
  std::string describe() const;
};

// Tokenises the whole source. Throws CompileError (stage kParse) on an
// unexpected character, an unterminated string or block comment, or an
// unsupported escape (`unsupported escape sequence: \d`). The returned vector
// always ends with one kEof token positioned at the end of input.
std::vector<Token> tokenize(std::string_view source);

// TypeName: uppercase ASCII letter, then [A-Za-z0-9_]*.
bool is_type_name(std::string_view word);
// ident: lowercase ASCII letter or '_', then [A-Za-z0-9_]*.
bool is_ident(std::string_view word);

// Maps a byte offset to its 1-based line and column (code points), for
// diagnostics raised after tokenising.
struct LineColumn {
  uint32_t line = 1;
  uint32_t column = 1;
};
LineColumn line_column_at(std::string_view source, size_t offset);

}  // namespace omnigraph::compiler
