// CompileError: the error every compiler stage (lexer, schema parser, catalog
// builder, query parser, type checker, linter) throws. It is an
// omnigraph::Error (kBadRequest) so the CLI and HTTP edges map it like any
// other bad input, and it keeps the pieces tests and diagnostics need apart:
// the stage (which decides the reference's message prefix), an optional code
// ("T7", "L201"), the bare message and the 1-based source position.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace omnigraph::compiler {

// The stage decides the message prefix the reference uses (§8.2).
enum class ErrorStage {
  kParse,    // "parse error: "
  kCatalog,  // "catalog error: "
  kType,     // "type error: "
  kPlan,     // "plan error: "
  kLint,     // no prefix: lint findings are reported by code
};

std::string_view error_stage_prefix(ErrorStage stage);

class CompileError : public Error {
 public:
  // line/column are 1-based; 0 means "no position" (e.g. a whole-schema
  // error such as a duplicate type found after parsing).
  CompileError(ErrorStage stage, std::string code, std::string message, uint32_t line = 0,
               uint32_t column = 0);

  ErrorStage stage() const { return stage_; }
  const std::string& error_code() const { return code_; }  // "" when there is none
  const std::string& bare_message() const { return message_; }
  uint32_t line() const { return line_; }
  uint32_t column() const { return column_; }
  bool has_position() const { return line_ != 0; }

 private:
  ErrorStage stage_;
  std::string code_;
  std::string message_;
  uint32_t line_;
  uint32_t column_;
};

// what() is: prefix + [code + ": "] + message + [" (at line L, column C)"].
std::string format_compile_error(ErrorStage stage, std::string_view code, std::string_view message,
                                 uint32_t line, uint32_t column);

// Shorthands for the two stages this half of the compiler raises.
[[noreturn]] void throw_parse_error(std::string message, uint32_t line = 0, uint32_t column = 0);
[[noreturn]] void throw_catalog_error(std::string message, uint32_t line = 0, uint32_t column = 0);

}  // namespace omnigraph::compiler
