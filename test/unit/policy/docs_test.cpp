// Every policy and tests file shown in docs/policy.md is valid (or, when
// its fence says `yaml invalid`, rejected). The console examples are run
// against the real binary by test/unit/cli/policy_cli_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "policy/policy.h"
#include "policy/policy_tests.h"

namespace omnigraph::policy {
namespace {

struct FileBlock {
  std::string name;
  std::string body;
  bool invalid = false;
  int line = 0;
};

std::vector<FileBlock> file_blocks(const std::string& markdown) {
  std::vector<FileBlock> blocks;
  std::istringstream in(markdown);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("```yaml", 0) != 0) continue;
    FileBlock block;
    block.invalid = line.find("invalid") != std::string::npos;
    block.line = number;
    std::string body;
    while (std::getline(in, line) && line != "```") {
      ++number;
      body += line + "\n";
    }
    ++number;
    const std::string header = "# file: ";
    if (body.rfind(header, 0) != 0) continue;
    block.name = body.substr(header.size(), body.find('\n') - header.size());
    block.body = body;
    blocks.push_back(block);
  }
  return blocks;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(PolicyDocs, EveryExampleFileBehavesAsTheDocSays) {
  const std::filesystem::path doc = std::filesystem::path(OG_SOURCE_DIR) / "docs" / "policy.md";
  std::ifstream in(doc);
  ASSERT_TRUE(in) << doc;
  std::stringstream text;
  text << in.rdbuf();

  int policies = 0, tests = 0, invalid = 0;
  for (const FileBlock& block : file_blocks(text.str())) {
    SCOPED_TRACE("docs/policy.md line " + std::to_string(block.line) + ": " + block.name);
    if (ends_with(block.name, "omnigraph.yaml")) continue;
    if (ends_with(block.name, "policy.tests.yaml")) {
      EXPECT_NO_THROW(parse_policy_tests(block.body));
      ++tests;
    } else if (block.invalid) {
      EXPECT_THROW(Policy::from_yaml(block.body), Error);
      ++invalid;
    } else {
      EXPECT_NO_THROW(Policy::from_yaml(block.body));
      ++policies;
    }
  }
  EXPECT_EQ(policies, 2);
  EXPECT_EQ(tests, 2);
  EXPECT_EQ(invalid, 1);
}

}  // namespace
}  // namespace omnigraph::policy
