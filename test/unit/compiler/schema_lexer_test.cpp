#include "compiler/lexer.h"

#include <gtest/gtest.h>

#include "compiler/source_error.h"

namespace omnigraph::compiler {
namespace {

std::vector<TokenKind> kinds(const std::vector<Token>& tokens) {
  std::vector<TokenKind> out;
  for (const auto& t : tokens) out.push_back(t.kind);
  return out;
}

TEST(Lexer, WordsNumbersAndPunctuation) {
  auto toks = tokenize("node Person { age: I32? @range(age, 0..150) }");
  std::vector<TokenKind> want = {TokenKind::kIdent,    TokenKind::kIdent,  TokenKind::kLBrace,
                                 TokenKind::kIdent,    TokenKind::kColon,  TokenKind::kIdent,
                                 TokenKind::kQuestion, TokenKind::kAt,     TokenKind::kIdent,
                                 TokenKind::kLParen,   TokenKind::kIdent,  TokenKind::kComma,
                                 TokenKind::kInt,      TokenKind::kDotDot, TokenKind::kInt,
                                 TokenKind::kRParen,   TokenKind::kRBrace, TokenKind::kEof};
  EXPECT_EQ(kinds(toks), want);
  EXPECT_EQ(toks[1].text, "Person");
  EXPECT_EQ(toks[12].text, "0");
  EXPECT_EQ(toks[14].text, "150");
}

TEST(Lexer, FloatsNeedDigitsOnBothSides) {
  auto toks = tokenize("1.5..2.25 3. .4");
  ASSERT_GE(toks.size(), 7u);
  EXPECT_EQ(toks[0].kind, TokenKind::kFloat);
  EXPECT_EQ(toks[0].text, "1.5");
  EXPECT_EQ(toks[1].kind, TokenKind::kDotDot);
  EXPECT_EQ(toks[2].kind, TokenKind::kFloat);
  EXPECT_EQ(toks[2].text, "2.25");
  EXPECT_EQ(toks[3].kind, TokenKind::kInt);
  EXPECT_EQ(toks[4].kind, TokenKind::kDot);
  EXPECT_EQ(toks[5].kind, TokenKind::kDot);
  EXPECT_EQ(toks[6].kind, TokenKind::kInt);
}

TEST(Lexer, OperatorsAndArrow) {
  auto toks = tokenize("-> - = != < <= > >= . .. $x $_ * + /");
  std::vector<TokenKind> want = {
      TokenKind::kArrow, TokenKind::kMinus,  TokenKind::kEq,       TokenKind::kNe,
      TokenKind::kLt,    TokenKind::kLe,     TokenKind::kGt,       TokenKind::kGe,
      TokenKind::kDot,   TokenKind::kDotDot, TokenKind::kVariable, TokenKind::kVariable,
      TokenKind::kStar,  TokenKind::kPlus,   TokenKind::kSlash,    TokenKind::kEof};
  EXPECT_EQ(kinds(toks), want);
  EXPECT_EQ(toks[10].text, "x");
  EXPECT_EQ(toks[11].text, "_");
}

TEST(Lexer, StringEscapesAreDecoded) {
  auto toks = tokenize(R"("a\"b\\c\nd\re\tf")");
  ASSERT_EQ(toks[0].kind, TokenKind::kString);
  EXPECT_EQ(toks[0].text, "a\"b\\c\nd\re\tf");
}

TEST(Lexer, UnsupportedEscapeIsAParseError) {
  try {
    tokenize("x \"^\\d+$\"");
    FAIL() << "expected an error";
  } catch (const CompileError& e) {
    EXPECT_EQ(e.stage(), ErrorStage::kParse);
    EXPECT_EQ(e.bare_message(), "unsupported escape sequence: \\d");
    EXPECT_EQ(e.line(), 1u);
    EXPECT_EQ(e.column(), 5u);
    EXPECT_NE(std::string(e.what()).find("parse error: unsupported escape"), std::string::npos);
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
  }
}

TEST(Lexer, CommentsAndPositions) {
  auto toks = tokenize("// line comment\n  /* block\n comment */ node\n\tX");
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_EQ(toks[0].text, "node");
  EXPECT_EQ(toks[0].line, 3u);
  EXPECT_EQ(toks[0].column, 13u);
  EXPECT_EQ(toks[1].line, 4u);
  EXPECT_EQ(toks[1].column, 2u);
  EXPECT_EQ(toks[2].kind, TokenKind::kEof);
}

TEST(Lexer, ColumnsCountCodePoints) {
  auto toks = tokenize("\"é─\" x");
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_EQ(toks[0].text, "é─");
  EXPECT_EQ(toks[1].column, 6u);
}

TEST(Lexer, TouchingTokensShareBoundaries) {
  auto toks = tokenize("data-eng a - b");
  EXPECT_EQ(toks[0].end, toks[1].offset);
  EXPECT_EQ(toks[1].end, toks[2].offset);
  EXPECT_NE(toks[3].end, toks[4].offset);
}

TEST(Lexer, Errors) {
  EXPECT_THROW(tokenize("\"open"), CompileError);
  EXPECT_THROW(tokenize("/* open"), CompileError);
  EXPECT_THROW(tokenize("a # b"), CompileError);
  EXPECT_THROW(tokenize("$ x"), CompileError);
  try {
    tokenize("a\n  #");
    FAIL();
  } catch (const CompileError& e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 3u);
    EXPECT_EQ(e.bare_message(), "unexpected character '#'");
  }
}

TEST(Lexer, NameClasses) {
  EXPECT_TRUE(is_type_name("Person"));
  EXPECT_TRUE(is_type_name("A_1"));
  EXPECT_FALSE(is_type_name("person"));
  EXPECT_FALSE(is_type_name("_P"));
  EXPECT_TRUE(is_ident("worksAt"));
  EXPECT_TRUE(is_ident("_x"));
  EXPECT_FALSE(is_ident("Knows"));
  EXPECT_FALSE(is_ident(""));
}

TEST(Lexer, LineColumnAt) {
  auto lc = line_column_at("ab\ncd", 4);
  EXPECT_EQ(lc.line, 2u);
  EXPECT_EQ(lc.column, 2u);
}

}  // namespace
}  // namespace omnigraph::compiler
