// Runs the examples of docs/cli.md. Fenced blocks whose first line is
// `# file: <path>` are written (without that line) into one scratch
// directory; ```console blocks are run there in order: `$ omnigraph ...`
// lines are commands (words split on spaces, single quotes group), the lines
// after one its expected stdout then stderr. Expected output starting with
// `error:` means exit status 1, else 0.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <string>
#include <vector>

#include "cli_test_util.h"

namespace {

namespace fs = std::filesystem;
using namespace omnigraph::cli_test;

std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false, quoted = false;
  for (char c : line) {
    if (quoted) {
      if (c == '\'') {
        quoted = false;
      } else {
        word += c;
      }
    } else if (c == '\'') {
      quoted = in_word = true;
    } else if (c == ' ') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

TEST(DocsCli, ExamplesMatchTheBinary) {
  std::string pattern = (fs::temp_directory_path() / "og-docs-cli-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path root = pattern;
  const fs::path dir = root / "work";
  fs::create_directories(dir);

  std::ifstream in(fs::path(OG_SOURCE_DIR) / "docs" / "cli.md");
  ASSERT_TRUE(in);
  std::string line;
  int number = 0, files = 0, commands = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("```", 0) != 0 || line == "```") continue;
    const bool console = line == "```console";
    std::vector<std::pair<std::string, int>> body;
    while (std::getline(in, line) && line != "```") body.emplace_back(line, ++number);
    ++number;
    if (!console) {
      const std::string header = "# file: ";
      if (body.empty() || body.front().first.rfind(header, 0) != 0) continue;
      std::string text;
      for (std::size_t i = 1; i < body.size(); ++i) text += body[i].first + "\n";
      write_file(dir / body.front().first.substr(header.size()), text);
      ++files;
      continue;
    }
    struct Command {
      std::vector<std::string> args;
      std::string expected;
      int line;
    };
    std::vector<Command> block;
    for (const auto& [text, at] : body) {
      if (text.rfind("$ omnigraph ", 0) == 0) {
        block.push_back(Command{shell_words(text.substr(12)), "", at});
      } else {
        ASSERT_FALSE(block.empty()) << "docs/cli.md:" << at << ": output before a command";
        block.back().expected += text + "\n";
      }
    }
    for (const Command& command : block) {
      SCOPED_TRACE("docs/cli.md:" + std::to_string(command.line));
      Result r = run_omnigraph_env(dir, root, {}, command.args);
      EXPECT_EQ(r.out + r.err, command.expected);
      EXPECT_EQ(r.status, command.expected.rfind("error:", 0) == 0 ? 1 : 0);
      ++commands;
    }
  }
  EXPECT_GE(files, 4);
  EXPECT_GE(commands, 20);
  fs::remove_all(root);
}

}  // namespace
