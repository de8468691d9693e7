// Data-driven engine tests: every test/cases/engine/**/*.case file holds
// cases that build a graph, run steps against it and check the outcome.
//
//   === @setup                 optional; its schema/data are the defaults
//   --- schema                 for every later case of the same file
//   <.pg>
//   --- data
//   <JSONL, loaded with mode overwrite>
//
//   === <case name>
//   --- schema / --- data      optional overrides
//   --- load <mode>            a step: load this JSONL (overwrite|append|merge)
//   --- change [name]          a step: run this mutation (.gq text)
//   --- query [name]           a step: run this read query (.gq text)
//   --- params                 JSON params of the step above
//   --- export [--type T] [--table K]   a step: export NDJSON
//   --- expect [unordered]     what the step above returned: optional first
//                              line `columns: a, b`, then one JSON object per
//                              row (compared after normalising the JSON)
//   --- expect affected N M    a change's affected_nodes / affected_edges
//   --- expect error <text>    the step fails with an error containing
//                              <text>, and leaves the graph unchanged
//
// A step without an expectation must succeed. Each case becomes its own
// GoogleTest test, so adding a case needs no C++.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/result_json.h"
#include "omnigraph/graph.h"

namespace omnigraph::engine {
namespace {

namespace fs = std::filesystem;

struct Section {
  std::string name;  // first word of the header
  std::string args;  // the rest of the header line
  std::string body;
  int line = 0;
};

struct Case {
  std::string file;
  std::string name;
  int line = 0;
  std::vector<Section> sections;
  std::string test_name;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.file << ": " << c.name;
}

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::vector<Case> parse_case_file(const fs::path& path, const std::string& rel) {
  std::ifstream in(path);
  std::vector<Case> out;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.rfind("=== ", 0) == 0) {
      out.push_back(Case{rel, trim(line.substr(4)), line_no, {}, {}});
      continue;
    }
    if (out.empty()) continue;
    if (line.rfind("--- ", 0) == 0) {
      std::string header = trim(line.substr(4));
      size_t space = header.find(' ');
      Section section;
      section.name = header.substr(0, space);
      section.args = space == std::string::npos ? "" : trim(header.substr(space + 1));
      section.line = line_no;
      out.back().sections.push_back(std::move(section));
      continue;
    }
    if (out.back().sections.empty()) continue;  // comments before the first section
    out.back().sections.back().body += line + "\n";
  }
  return out;
}

std::string sanitize(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

// Cases of every file, each carrying its file's @setup sections first.
std::vector<Case> discover_cases() {
  std::vector<Case> all;
  fs::path root = fs::path(OG_SOURCE_DIR) / "test" / "cases" / "engine";
  if (!fs::exists(root)) return all;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".case") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, int> used;
  for (const auto& f : files) {
    std::string rel = fs::relative(f, root).string();
    std::vector<Section> setup;
    for (auto& c : parse_case_file(f, rel)) {
      if (c.name == "@setup") {
        setup = c.sections;
        continue;
      }
      bool has_schema = false;
      bool has_data = false;
      for (const auto& s : c.sections) {
        has_schema = has_schema || s.name == "schema";
        has_data = has_data || s.name == "data";
      }
      std::vector<Section> defaults;
      for (const auto& s : setup) {
        if ((s.name == "schema" && !has_schema) || (s.name == "data" && !has_data)) {
          defaults.push_back(s);
        }
      }
      c.sections.insert(c.sections.begin(), defaults.begin(), defaults.end());
      std::string name = sanitize(rel.substr(0, rel.size() - 5) + "__" + c.name);
      if (int n = used[name]++; n > 0) name += "_" + std::to_string(n + 1);
      c.test_name = name;
      all.push_back(std::move(c));
    }
  }
  return all;
}

std::string normalize_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError()) return "<invalid JSON: " + text + ">";
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return buffer.GetString();
}

std::vector<std::string> render_rows(const ReadResult& result) {
  std::vector<std::string> out;
  for (const auto& row : result.rows) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    for (size_t i = 0; i < result.columns.size(); ++i) {
      writer.Key(result.columns[i].c_str());
      write_result_value(writer, row[i]);
    }
    writer.EndObject();
    out.emplace_back(buffer.GetString());
  }
  return out;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<std::string> split_lines(const std::string& body) {
  std::vector<std::string> out;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Runs one step; returns what it produced, as comparable text lines.
struct StepOutcome {
  std::vector<std::string> lines;  // rows or export lines
  std::vector<std::string> columns;
  uint64_t affected_nodes = 0;
  uint64_t affected_edges = 0;
};

class EngineCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(EngineCaseTest, Runs) {
  const Case& c = GetParam();
  SCOPED_TRACE("case '" + c.name + "' in test/cases/engine/" + c.file + ":" +
               std::to_string(c.line));
  const Section* schema = nullptr;
  for (const auto& s : c.sections) {
    if (s.name == "schema") schema = &s;
  }
  ASSERT_NE(schema, nullptr) << "case has no schema (and its file no @setup schema)";
  std::unique_ptr<Graph> graph;
  try {
    graph = Graph::init_in_memory(schema->body);
  } catch (const std::exception& e) {
    FAIL() << "schema does not compile: " << e.what();
  }

  size_t steps = 0;
  for (size_t i = 0; i < c.sections.size(); ++i) {
    const Section& step = c.sections[i];
    if (step.name == "schema") continue;
    if (step.name == "params" || step.name == "expect") {
      FAIL() << "'--- " << step.name << "' at line " << step.line << " follows no step";
    }
    // Gather this step's params and expectation.
    std::string params;
    const Section* expect = nullptr;
    while (i + 1 < c.sections.size() &&
           (c.sections[i + 1].name == "params" || c.sections[i + 1].name == "expect")) {
      ++i;
      if (c.sections[i].name == "params") params = trim(c.sections[i].body);
      if (c.sections[i].name == "expect") expect = &c.sections[i];
    }
    SCOPED_TRACE("step '--- " + step.name + " " + step.args + "' at line " +
                 std::to_string(step.line));
    ++steps;

    std::string head_before = graph->snapshot().commit_id;
    StepOutcome outcome;
    std::optional<std::string> error;
    try {
      if (step.name == "data" || step.name == "load") {
        std::istringstream in(step.body);
        LoadRequest request;
        request.mode = step.name == "data" ? LoadMode::kOverwrite : parse_load_mode(step.args);
        graph->load(in, request);
      } else if (step.name == "change") {
        ChangeRequest request;
        request.query_source = step.body;
        request.query_name = step.args;
        request.params_json = params;
        ChangeResult r = graph->change(request);
        outcome.affected_nodes = r.affected_nodes;
        outcome.affected_edges = r.affected_edges;
      } else if (step.name == "query") {
        ReadRequest request;
        request.query_source = step.body;
        request.query_name = step.args;
        request.params_json = params;
        ReadResult r = graph->read(request);
        outcome.lines = render_rows(r);
        outcome.columns = r.columns;
      } else if (step.name == "export") {
        ExportFilter filter;
        std::istringstream args(step.args);
        std::string flag, value;
        while (args >> flag >> value) {
          (flag == "--type" ? filter.types : filter.table_keys).push_back(value);
        }
        std::ostringstream out;
        graph->export_jsonl(out, kMainBranch, filter);
        outcome.lines = split_lines(out.str());
      } else {
        FAIL() << "unknown section '--- " << step.name << "'";
      }
    } catch (const Error& e) {
      error = e.what();
    }

    std::string expect_kind = expect ? expect->args.substr(0, expect->args.find(' ')) : "";
    if (expect_kind == "error") {
      std::string fragment = trim(expect->args.substr(5));
      ASSERT_TRUE(error) << "expected an error containing '" << fragment << "', got success";
      EXPECT_NE(error->find(fragment), std::string::npos)
          << "error '" << *error << "' does not contain '" << fragment << "'";
      EXPECT_EQ(graph->snapshot().commit_id, head_before) << "a failed step changed the graph";
      continue;
    }
    ASSERT_FALSE(error) << "step failed: " << *error;
    if (!expect) continue;
    if (expect_kind == "affected") {
      std::istringstream args(expect->args.substr(8));
      uint64_t nodes = 0, edges = 0;
      args >> nodes >> edges;
      EXPECT_EQ(outcome.affected_nodes, nodes) << "affected_nodes";
      EXPECT_EQ(outcome.affected_edges, edges) << "affected_edges";
      continue;
    }
    std::vector<std::string> want = split_lines(expect->body);
    if (!want.empty() && want.front().rfind("columns:", 0) == 0) {
      std::vector<std::string> columns;
      std::istringstream list(want.front().substr(8));
      std::string column;
      while (std::getline(list, column, ',')) columns.push_back(trim(column));
      EXPECT_EQ(outcome.columns, columns) << "columns";
      want.erase(want.begin());
    }
    for (auto& line : want) line = normalize_json(line);
    std::vector<std::string> got = outcome.lines;
    if (step.name == "export") {
      for (auto& line : got) line = normalize_json(line);
    }
    if (expect_kind == "unordered") {
      std::sort(want.begin(), want.end());
      std::sort(got.begin(), got.end());
    } else if (!expect_kind.empty()) {
      FAIL() << "unknown expectation '--- expect " << expect->args << "'";
    }
    EXPECT_EQ(join(got), join(want));
  }
  EXPECT_GT(steps, 0u) << "case has no steps";
}

std::vector<Case> all_cases() {
  static const std::vector<Case> cases = discover_cases();
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cases, EngineCaseTest, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.test_name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(EngineCaseTest);

}  // namespace
}  // namespace omnigraph::engine
