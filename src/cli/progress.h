// A one-line progress bar on stderr for long loads, ingests and exports. It
// draws only when stderr is a terminal and `--quiet` was not given, so piped
// or redirected runs (scripts, tests, CI logs) never see control characters;
// otherwise every call is a no-op.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace omnigraph::cli {

enum class ProgressUnit { kBytes, kRows };

// "label [#########...........]  45%  1.2/2.7 MiB"; `width` is the bar's
// cell count. `total` 0 means unknown: the bar stays empty and only the
// count shows.
std::string render_progress_line(const std::string& label, uint64_t done, uint64_t total,
                                 ProgressUnit unit, int width = 30);

class ProgressBar {
 public:
  ProgressBar(std::string label, uint64_t total, ProgressUnit unit);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Whether stderr is a terminal.
  static bool stderr_is_terminal();
  // `--quiet`: no bars even on a terminal.
  static void set_quiet(bool quiet);
  // Whether bars draw at all: not quiet and stderr is a terminal.
  static bool bars_wanted();

  bool enabled() const { return enabled_; }
  // Records progress; redraws at most every 100 ms, and always on reaching
  // the total so a finished bar never shows a stale figure.
  void update(uint64_t done);
  // Erases the bar so later output starts on a clean line. Idempotent.
  void finish();

 private:
  void draw();

  std::string label_;
  uint64_t total_;
  ProgressUnit unit_;
  bool enabled_;
  bool drawn_ = false;
  uint64_t done_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace omnigraph::cli
