// Helpers the CLI's black-box tests share: run the built `omnigraph` binary
// in a directory with stdout and stderr captured to files, and small file
// and text utilities.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace omnigraph::cli_test {

namespace fs = std::filesystem;

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Single-quotes a word for /bin/sh.
inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

// `cd <cwd> && <built omnigraph> <args...>`, each word quoted.
inline std::string omnigraph_command(const fs::path& cwd, const std::vector<std::string>& args) {
  std::string command =
      "cd " + quote(cwd.string()) + " && " + quote(std::string(OG_BINARY_DIR) + "/bin/omnigraph");
  for (const auto& arg : args) command += " " + quote(arg);
  return command;
}

// Runs a shell command that writes <scratch>/stdout and <scratch>/stderr,
// and collects its exit status and both files.
inline Result finish_command(const std::string& command, const fs::path& scratch) {
  int raw = std::system(command.c_str());
  Result result;
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  result.out = read_all(scratch / "stdout");
  result.err = read_all(scratch / "stderr");
  return result;
}

// Runs `omnigraph <args>` in `cwd`; stdout and stderr go to files in `scratch`.
inline Result run_omnigraph(const fs::path& cwd, const fs::path& scratch,
                            const std::vector<std::string>& args) {
  return finish_command(omnigraph_command(cwd, args) + " >" + quote((scratch / "stdout").string()) +
                            " 2>" + quote((scratch / "stderr").string()),
                        scratch);
}

// Like run_omnigraph with a controlled environment: OMNIGRAPH_BEARER_TOKEN
// and proxy variables are removed from the inherited environment, then
// `env` (NAME=value entries) is added.
inline Result run_omnigraph_env(const fs::path& cwd, const fs::path& scratch,
                                const std::vector<std::string>& env,
                                const std::vector<std::string>& args) {
  std::string prefix = "env -u OMNIGRAPH_BEARER_TOKEN -u http_proxy -u HTTP_PROXY";
  for (const auto& assignment : env) prefix += " " + quote(assignment);
  std::string command = "cd " + quote(cwd.string()) + " && " + prefix + " " +
                        quote(std::string(OG_BINARY_DIR) + "/bin/omnigraph");
  for (const auto& arg : args) command += " " + quote(arg);
  return finish_command(command + " >" + quote((scratch / "stdout").string()) + " 2>" +
                            quote((scratch / "stderr").string()),
                        scratch);
}

// A test with a scratch directory (root_, removed afterwards) whose work/
// subdirectory (cwd_) is where `omnigraph` runs; graph_ is the graph path
// the test's own SetUp chooses under cwd_.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "og-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    cwd_ = root_ / "work";
    fs::create_directories(cwd_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Runs `omnigraph <args>` in cwd_, stdout and stderr to files.
  Result run(const std::vector<std::string>& args) { return run_omnigraph(cwd_, root_, args); }
  Result run_ok(const std::vector<std::string>& args) {
    Result r = run(args);
    EXPECT_EQ(r.status, 0) << r.err;
    return r;
  }

  fs::path root_;
  fs::path cwd_;
  std::string graph_;
};

}  // namespace omnigraph::cli_test
