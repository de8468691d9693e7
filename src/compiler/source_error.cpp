#include "compiler/source_error.h"

namespace omnigraph::compiler {

std::string_view error_stage_prefix(ErrorStage stage) {
  switch (stage) {
    case ErrorStage::kParse: return "parse error: ";
    case ErrorStage::kCatalog: return "catalog error: ";
    case ErrorStage::kType: return "type error: ";
    case ErrorStage::kPlan: return "plan error: ";
    case ErrorStage::kLint: return "";
  }
  return "";
}

std::string format_compile_error(ErrorStage stage, std::string_view code, std::string_view message,
                                 uint32_t line, uint32_t column) {
  std::string out(error_stage_prefix(stage));
  if (!code.empty()) {
    out += code;
    out += ": ";
  }
  out += message;
  if (line != 0) {
    out += " (at line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
  }
  return out;
}

CompileError::CompileError(ErrorStage stage, std::string code, std::string message, uint32_t line,
                           uint32_t column)
    : Error(ErrorCode::kBadRequest, format_compile_error(stage, code, message, line, column)),
      stage_(stage),
      code_(std::move(code)),
      message_(std::move(message)),
      line_(line),
      column_(column) {}

void throw_parse_error(std::string message, uint32_t line, uint32_t column) {
  throw CompileError(ErrorStage::kParse, "", std::move(message), line, column);
}

void throw_catalog_error(std::string message, uint32_t line, uint32_t column) {
  throw CompileError(ErrorStage::kCatalog, "", std::move(message), line, column);
}

}  // namespace omnigraph::compiler
