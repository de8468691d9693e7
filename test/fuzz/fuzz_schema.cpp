// libFuzzer target: the .pg lexer, parser and catalog builder must either
// accept an input or reject it with an omnigraph::Error, never crash, hang
// or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "compiler/catalog/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  try {
    omnigraph::compiler::compile_schema(source);
  } catch (const omnigraph::Error&) {
    // Rejected input is fine; anything else escapes and fails the run.
  }
  return 0;
}
