// Data-driven language tests: every test/cases/**/*.case file holds one or
// more cases in this fixed format:
//
//   === <case name>
//   --- schema
//   <.pg text>
//   --- query            (optional)
//   <.gq text>
//   --- expect
//   ok
//   | error <fragment> [@ <line>:<col>]
//   | catalog
//     <Catalog::summary() lines>
//
// Lines before the first `===` and lines starting with `#` before a case's
// first section are comments. Each case becomes its own GoogleTest test
// named after its file and case, so adding a case needs no C++.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "compiler/ir/ir.h"
#include "compiler/query/parser.h"
#include "compiler/source_error.h"

namespace omnigraph::compiler {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string file;  // relative to test/cases
  std::string name;
  int line = 0;  // of the `===` header
  std::map<std::string, std::string> sections;
  std::string test_name;
};

// Readable parameter names in gtest output.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.file << ": " << c.name;
}

std::string rtrim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

// Drops trailing blank lines (keeps one final newline when non-empty).
std::string trim_trailing_blank_lines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s.empty() ? s : s + "\n";
}

std::vector<Case> parse_case_file(const fs::path& path, const std::string& rel) {
  std::ifstream in(path);
  std::vector<Case> out;
  std::string line;
  int line_no = 0;
  Case* current = nullptr;
  std::string* section = nullptr;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.rfind("=== ", 0) == 0) {
      out.push_back(Case{rel, rtrim(line.substr(4)), line_no, {}, {}});
      current = &out.back();
      section = nullptr;
      continue;
    }
    if (!current) continue;  // file header comments
    if (line.rfind("--- ", 0) == 0) {
      std::string name = rtrim(line.substr(4));
      // "--- query   (optional ...)" style trailing notes are not allowed;
      // the section name is the first word.
      name = name.substr(0, name.find(' '));
      section = &current->sections[name];
      continue;
    }
    if (!section) continue;  // comments between the header and the first section
    *section += line + "\n";
  }
  return out;
}

std::string sanitize(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

std::vector<Case> discover_cases() {
  std::vector<Case> all;
  fs::path root = fs::path(OG_SOURCE_DIR) / "test" / "cases";
  if (!fs::exists(root)) return all;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    // test/cases/engine/ holds engine cases (schema + data + queries ->
    // rows), run by the engine's own case runner.
    bool engine_case = fs::relative(entry.path(), root).string().rfind("engine/", 0) == 0;
    if (entry.is_regular_file() && entry.path().extension() == ".case" && !engine_case) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, int> used;
  for (const auto& f : files) {
    std::string rel = fs::relative(f, root).string();
    for (auto& c : parse_case_file(f, rel)) {
      std::string stem = rel.substr(0, rel.size() - 5);
      std::string name = sanitize(stem + "__" + c.name);
      if (int n = used[name]++; n > 0) name += "_" + std::to_string(n + 1);
      c.test_name = name;
      all.push_back(std::move(c));
    }
  }
  return all;
}

struct ErrorExpectation {
  std::string fragment;
  std::optional<std::pair<uint32_t, uint32_t>> position;
};

ErrorExpectation parse_error_expectation(const std::string& line) {
  ErrorExpectation e;
  std::string rest = rtrim(line.substr(std::string("error").size()));
  if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
  static const std::regex kPos(R"(^(.*) @ (\d+):(\d+)$)");
  std::smatch m;
  if (std::regex_match(rest, m, kPos)) {
    e.fragment = m[1].str();
    e.position = std::make_pair(static_cast<uint32_t>(std::stoul(m[2].str())),
                                static_cast<uint32_t>(std::stoul(m[3].str())));
  } else {
    e.fragment = rest;
  }
  return e;
}

// Query cases: the schema must compile; then every query of the file is
// parsed, type-checked and lowered, and the first error of any stage is the
// outcome. `ok` = no error; `error <fragment> [@ L:C]` = that error;
// `ir` = the printed plans of all queries, concatenated, equal the rest.
void run_query_case(const Case& c, const std::string& expect, const std::string& first_line) {
  Catalog catalog;
  try {
    catalog = compile_schema(c.sections.count("schema") ? c.sections.at("schema") : "");
  } catch (const CompileError& e) {
    FAIL() << "the case's schema does not compile: " << e.what();
  }
  std::optional<CompileError> error;
  std::string printed;
  try {
    query::QueryFile file = query::parse_query_file(c.sections.at("query"));
    for (const auto& q : file.queries) printed += ir::print_plan(ir::compile_query(catalog, q));
  } catch (const CompileError& e) {
    error = e;
  }
  if (first_line == "ok") {
    ASSERT_FALSE(error) << "expected the query to compile, got: " << error->what();
  } else if (first_line.rfind("error", 0) == 0) {
    ErrorExpectation want = parse_error_expectation(first_line);
    ASSERT_TRUE(error) << "expected an error containing '" << want.fragment
                       << "', but the query compiled to:\n"
                       << printed;
    std::string what = error->what();
    EXPECT_NE(what.find(want.fragment), std::string::npos)
        << "error '" << what << "' does not contain '" << want.fragment << "'";
    if (want.position) {
      EXPECT_EQ(std::make_pair(error->line(), error->column()), *want.position)
          << "error '" << what << "' is at " << error->line() << ":" << error->column();
    }
  } else if (first_line == "ir") {
    ASSERT_FALSE(error) << "expected the query to compile, got: " << error->what();
    EXPECT_EQ(printed, expect.substr(expect.find('\n') + 1)) << "actual IR:\n" << printed;
  } else {
    FAIL() << "unknown expectation '" << first_line << "' (want ok, error ..., or ir)";
  }
}

class CaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(CaseTest, Runs) {
  const Case& c = GetParam();
  SCOPED_TRACE("case '" + c.name + "' in test/cases/" + c.file + ":" + std::to_string(c.line));
  ASSERT_TRUE(c.sections.count("schema")) << "case has no '--- schema' section";
  ASSERT_TRUE(c.sections.count("expect")) << "case has no '--- expect' section";
  const std::string& schema = c.sections.at("schema");
  std::string expect = trim_trailing_blank_lines(c.sections.at("expect"));
  std::string first_line = expect.substr(0, expect.find('\n'));
  if (c.sections.count("query")) {
    run_query_case(c, expect, first_line);
    return;
  }

  std::optional<Catalog> catalog;
  std::optional<CompileError> error;
  try {
    catalog = compile_schema(schema);
  } catch (const CompileError& e) {
    error = e;
  }

  if (first_line == "ok") {
    ASSERT_FALSE(error) << "expected the schema to compile, got: " << error->what();
  } else if (first_line.rfind("error", 0) == 0) {
    ErrorExpectation want = parse_error_expectation(first_line);
    ASSERT_TRUE(error) << "expected an error containing '" << want.fragment
                       << "', but the schema compiled";
    std::string what = error->what();
    EXPECT_NE(what.find(want.fragment), std::string::npos)
        << "error '" << what << "' does not contain '" << want.fragment << "'";
    if (want.position) {
      EXPECT_EQ(std::make_pair(error->line(), error->column()), *want.position)
          << "error '" << what << "' is at " << error->line() << ":" << error->column();
    }
  } else if (first_line == "catalog") {
    ASSERT_FALSE(error) << "expected the schema to compile, got: " << error->what();
    std::string want = expect.substr(expect.find('\n') + 1);
    EXPECT_EQ(catalog->summary(), want) << "actual summary:\n" << catalog->summary();
  } else {
    FAIL() << "unknown expectation '" << first_line << "' (want ok, error ..., or catalog)";
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, CaseTest, ::testing::ValuesIn(discover_cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.test_name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CaseTest);

TEST(CaseSuite, FindsCaseFiles) {
  auto cases = discover_cases();
  EXPECT_GE(cases.size(), 100u) << "expected the schema case suite under test/cases";
}

}  // namespace
}  // namespace omnigraph::compiler
