#include "child_process.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace omnigraph::crash {

Child spawn_child(const char* exe, const std::vector<std::string>& args) {
  // Built before the fork: the child only calls async-signal-safe functions.
  std::vector<const char*> argv{exe};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  argv.push_back(nullptr);
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execv(exe, const_cast<char* const*>(argv.data()));
    std::_Exit(127);
  }
  ::close(fds[1]);
  return Child{pid, fds[0]};
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace omnigraph::crash
