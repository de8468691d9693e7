#include "compiler/lexer.h"

#include "compiler/source_error.h"

namespace omnigraph::compiler {

namespace {

bool is_word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_word_char(char c) {
  return is_word_start(c) || (c >= '0' && c <= '9');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

class Scanner {
 public:
  explicit Scanner(std::string_view src) : src_(src) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      skip_trivia();
      if (pos_ >= src_.size()) {
        Token eof;
        eof.kind = TokenKind::kEof;
        eof.offset = eof.end = pos_;
        eof.line = line_;
        eof.column = column_;
        out.push_back(std::move(eof));
        return out;
      }
      out.push_back(next_token());
    }
  }

 private:
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }

  // Advances one byte, keeping line/column in step. Columns count code
  // points, so UTF-8 continuation bytes do not move the column.
  void advance() {
    char c = src_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }

  [[noreturn]] void fail(std::string message, uint32_t line, uint32_t column) {
    throw_parse_error(std::move(message), line, column);
  }

  void skip_trivia() {
    for (;;) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        advance();
      } else if (c == '/' && peek(1) == '/') {
        while (pos_ < src_.size() && peek() != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        uint32_t line = line_, column = column_;
        advance();
        advance();
        for (;;) {
          if (pos_ >= src_.size()) fail("unterminated block comment", line, column);
          if (peek() == '*' && peek(1) == '/') {
            advance();
            advance();
            break;
          }
          advance();
        }
      } else {
        return;
      }
    }
  }

  Token start(TokenKind kind) const {
    Token t;
    t.kind = kind;
    t.offset = pos_;
    t.line = line_;
    t.column = column_;
    return t;
  }

  Token finish(Token t) const {
    t.end = pos_;
    if (t.kind != TokenKind::kString && t.kind != TokenKind::kVariable) {
      t.text = std::string(src_.substr(t.offset, t.end - t.offset));
    }
    return t;
  }

  Token punct(TokenKind kind, size_t len) {
    Token t = start(kind);
    for (size_t i = 0; i < len; ++i) advance();
    return finish(std::move(t));
  }

  Token next_token() {
    char c = peek();
    if (is_word_start(c)) {
      Token t = start(TokenKind::kIdent);
      while (is_word_char(peek())) advance();
      return finish(std::move(t));
    }
    if (is_digit(c)) {
      Token t = start(TokenKind::kInt);
      while (is_digit(peek())) advance();
      // A dot makes a float only when a digit follows, so `1..5` stays
      // Int DotDot Int.
      if (peek() == '.' && is_digit(peek(1))) {
        t.kind = TokenKind::kFloat;
        advance();
        while (is_digit(peek())) advance();
      }
      return finish(std::move(t));
    }
    switch (c) {
      case '"': return string_literal();
      case '$': {
        Token t = start(TokenKind::kVariable);
        advance();
        if (!is_word_start(peek())) {
          fail("expected a variable name after '$'", t.line, t.column);
        }
        size_t name_start = pos_;
        while (is_word_char(peek())) advance();
        t.text = std::string(src_.substr(name_start, pos_ - name_start));
        return finish(std::move(t));
      }
      case '{': return punct(TokenKind::kLBrace, 1);
      case '}': return punct(TokenKind::kRBrace, 1);
      case '(': return punct(TokenKind::kLParen, 1);
      case ')': return punct(TokenKind::kRParen, 1);
      case '[': return punct(TokenKind::kLBracket, 1);
      case ']': return punct(TokenKind::kRBracket, 1);
      case ',': return punct(TokenKind::kComma, 1);
      case ':': return punct(TokenKind::kColon, 1);
      case ';': return punct(TokenKind::kSemicolon, 1);
      case '?': return punct(TokenKind::kQuestion, 1);
      case '@': return punct(TokenKind::kAt, 1);
      case '+': return punct(TokenKind::kPlus, 1);
      case '*': return punct(TokenKind::kStar, 1);
      case '/': return punct(TokenKind::kSlash, 1);
      case '=': return punct(TokenKind::kEq, 1);
      case '.': return peek(1) == '.' ? punct(TokenKind::kDotDot, 2) : punct(TokenKind::kDot, 1);
      case '-': return peek(1) == '>' ? punct(TokenKind::kArrow, 2) : punct(TokenKind::kMinus, 1);
      case '<': return peek(1) == '=' ? punct(TokenKind::kLe, 2) : punct(TokenKind::kLt, 1);
      case '>': return peek(1) == '=' ? punct(TokenKind::kGe, 2) : punct(TokenKind::kGt, 1);
      case '!':
        if (peek(1) == '=') return punct(TokenKind::kNe, 2);
        break;
      default: break;
    }
    std::string shown;
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      static const char* hex = "0123456789abcdef";
      unsigned char u = static_cast<unsigned char>(c);
      shown = std::string("\\x") + hex[u >> 4] + hex[u & 15];
    } else {
      shown = std::string(1, c);
    }
    fail("unexpected character '" + shown + "'", line_, column_);
  }

  // Scans "..." per §0: any char but '"' and '\', or '\' + any char; then
  // only \" \\ \n \r \t are legal escapes.
  Token string_literal() {
    Token t = start(TokenKind::kString);
    advance();  // opening quote
    std::string value;
    for (;;) {
      if (pos_ >= src_.size()) fail("unterminated string literal", t.line, t.column);
      char c = peek();
      if (c == '"') {
        advance();
        break;
      }
      if (c == '\\') {
        uint32_t line = line_, column = column_;
        advance();
        if (pos_ >= src_.size()) fail("unterminated string literal", t.line, t.column);
        char e = peek();
        switch (e) {
          case '"': value += '"'; break;
          case '\\': value += '\\'; break;
          case 'n': value += '\n'; break;
          case 'r': value += '\r'; break;
          case 't': value += '\t'; break;
          default: {
            // Report the whole escaped code point, not just its first byte.
            size_t len = 1;
            unsigned char u = static_cast<unsigned char>(e);
            if (u >= 0xF0)
              len = 4;
            else if (u >= 0xE0)
              len = 3;
            else if (u >= 0xC0)
              len = 2;
            std::string seq(src_.substr(pos_, len));
            fail("unsupported escape sequence: \\" + seq, line, column);
          }
        }
        advance();
        continue;
      }
      value += c;
      advance();
    }
    t.text = std::move(value);
    return finish(std::move(t));
  }

  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
};

}  // namespace

std::string_view token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::kIdent: return "identifier";
    case TokenKind::kVariable: return "variable";
    case TokenKind::kString: return "string";
    case TokenKind::kInt: return "integer";
    case TokenKind::kFloat: return "float";
    case TokenKind::kLBrace: return "'{'";
    case TokenKind::kRBrace: return "'}'";
    case TokenKind::kLParen: return "'('";
    case TokenKind::kRParen: return "')'";
    case TokenKind::kLBracket: return "'['";
    case TokenKind::kRBracket: return "']'";
    case TokenKind::kComma: return "','";
    case TokenKind::kColon: return "':'";
    case TokenKind::kSemicolon: return "';'";
    case TokenKind::kQuestion: return "'?'";
    case TokenKind::kAt: return "'@'";
    case TokenKind::kDot: return "'.'";
    case TokenKind::kDotDot: return "'..'";
    case TokenKind::kArrow: return "'->'";
    case TokenKind::kMinus: return "'-'";
    case TokenKind::kPlus: return "'+'";
    case TokenKind::kStar: return "'*'";
    case TokenKind::kSlash: return "'/'";
    case TokenKind::kEq: return "'='";
    case TokenKind::kNe: return "'!='";
    case TokenKind::kLt: return "'<'";
    case TokenKind::kLe: return "'<='";
    case TokenKind::kGt: return "'>'";
    case TokenKind::kGe: return "'>='";
    case TokenKind::kEof: return "end of input";
  }
  return "token";
}

std::string Token::describe() const {
  switch (kind) {
    case TokenKind::kIdent: return "'" + text + "'";
    case TokenKind::kVariable: return "'$" + text + "'";
    case TokenKind::kString: return "string \"" + text + "\"";
    case TokenKind::kInt:
    case TokenKind::kFloat: return "number " + text;
    default: return std::string(token_kind_name(kind));
  }
}

std::vector<Token> tokenize(std::string_view source) {
  return Scanner(source).run();
}

bool is_type_name(std::string_view word) {
  if (word.empty() || !(word[0] >= 'A' && word[0] <= 'Z')) return false;
  for (char c : word) {
    if (!is_word_char(c)) return false;
  }
  return true;
}

bool is_ident(std::string_view word) {
  if (word.empty() || !((word[0] >= 'a' && word[0] <= 'z') || word[0] == '_')) return false;
  for (char c : word) {
    if (!is_word_char(c)) return false;
  }
  return true;
}

LineColumn line_column_at(std::string_view source, size_t offset) {
  LineColumn lc;
  for (size_t i = 0; i < offset && i < source.size(); ++i) {
    char c = source[i];
    if (c == '\n') {
      ++lc.line;
      lc.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++lc.column;
    }
  }
  return lc;
}

}  // namespace omnigraph::compiler
