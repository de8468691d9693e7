// A child process started from an executable with its stdout on a pipe,
// for the crash tests: the parent reads what the child acknowledged and
// kills it with SIGKILL at a moment of its choosing.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace omnigraph::crash {

struct Child {
  pid_t pid = -1;
  int out = -1;  // read end of its stdout
};

// Forks and execs `exe` with `args` (argv[0] is `exe`).
Child spawn_child(const char* exe, const std::vector<std::string>& args);

// Everything readable from `fd` until end of file; closes `fd`.
std::string read_all(int fd);

}  // namespace omnigraph::crash
