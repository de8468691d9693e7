// Runs the examples of docs/branching.md: every ```sh block, in order, in
// one shell in an empty directory with the built `omnigraph` first on the
// PATH; the output of each block (stdout and stderr) must equal the
// ```text block that follows it, when there is one.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.h"

namespace {

namespace fs = std::filesystem;
using namespace omnigraph::cli_test;

struct Example {
  std::string script;
  std::optional<std::string> expected;
  int line = 0;  // where the block starts in the page
};

// The ```sh blocks and the ```text block right after each (blank lines and
// prose in between end the pairing).
std::vector<Example> examples(const std::string& page) {
  std::vector<Example> out;
  std::istringstream in(page);
  std::string line;
  int number = 0;
  bool after_sh = false;  // only blank lines since the last sh block closed
  while (std::getline(in, line)) {
    ++number;
    if (line == "```sh" || line == "```text") {
      bool sh = line == "```sh";
      std::string body;
      int start = number;
      while (std::getline(in, line) && line != "```") {
        ++number;
        body += line + "\n";
      }
      ++number;
      if (sh) {
        out.push_back({body, std::nullopt, start});
        after_sh = true;
      } else if (after_sh) {
        out.back().expected = body;
        after_sh = false;
      }
      continue;
    }
    if (!line.empty()) after_sh = false;
  }
  return out;
}

TEST(BranchingDoc, EveryExampleRunsAndPrintsWhatThePageShows) {
  std::string page = read_all(fs::path(OG_SOURCE_DIR) / "docs" / "branching.md");
  std::vector<Example> blocks = examples(page);
  ASSERT_GE(blocks.size(), 6u);

  std::string pattern = (fs::temp_directory_path() / "og-branching-doc-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  fs::path root = pattern;
  fs::path cwd = root / "work";
  fs::create_directories(cwd);

  // One script, so shell variables carry over; a marker line between
  // blocks splits the output again.
  const std::string marker = "@@og-doc-block@@";
  std::string script =
      "set -e\nexport PATH=" + quote(std::string(OG_BINARY_DIR) + "/bin") + ":\"$PATH\"\n";
  for (const Example& block : blocks) {
    script += "echo " + marker + "\n" + block.script;
  }
  script += "echo " + marker + "\n";
  write_file(root / "doc.sh", script);
  Result r =
      finish_command("cd " + quote(cwd.string()) + " && sh " + quote((root / "doc.sh").string()) +
                         " >" + quote((root / "stdout").string()) + " 2>&1",
                     root);
  EXPECT_EQ(r.status, 0) << r.out;

  std::vector<std::string> outputs;
  std::string current;
  bool started = false;
  for (const std::string& line : lines_of(r.out)) {
    if (line == marker) {
      if (started) outputs.push_back(current);
      current.clear();
      started = true;
      continue;
    }
    current += line + "\n";
  }
  ASSERT_EQ(outputs.size(), blocks.size()) << r.out;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (!blocks[i].expected) continue;
    EXPECT_EQ(outputs[i], *blocks[i].expected)
        << "docs/branching.md block at line " << blocks[i].line;
  }
  fs::remove_all(root);
}

}  // namespace
