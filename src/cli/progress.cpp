#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace omnigraph::cli {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

std::string format_amount(uint64_t value, ProgressUnit unit) {
  if (unit == ProgressUnit::kRows) return fmt::format("{}", value);
  constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double scaled = static_cast<double>(value);
  int i = 0;
  while (scaled >= 1024.0 && i < 4) {
    scaled /= 1024.0;
    ++i;
  }
  return i == 0 ? fmt::format("{} B", value) : fmt::format("{:.1f} {}", scaled, kUnits[i]);
}

}  // namespace

std::string render_progress_line(const std::string& label, uint64_t done, uint64_t total,
                                 ProgressUnit unit, int width) {
  const char* suffix = unit == ProgressUnit::kRows ? " rows" : "";
  if (total == 0) return fmt::format("{} {}{}", label, format_amount(done, unit), suffix);
  done = std::min(done, total);
  double fraction = static_cast<double>(done) / static_cast<double>(total);
  int filled = static_cast<int>(fraction * width);
  return fmt::format("{} [{}{}] {:3d}% {}/{}{}", label, std::string(filled, '#'),
                     std::string(width - filled, '.'), static_cast<int>(fraction * 100),
                     format_amount(done, unit), format_amount(total, unit), suffix);
}

ProgressBar::ProgressBar(std::string label, uint64_t total, ProgressUnit unit)
    : label_(std::move(label)), total_(total), unit_(unit), enabled_(bars_wanted()) {}

namespace {
bool g_quiet = false;
}  // namespace

void ProgressBar::set_quiet(bool quiet) {
  g_quiet = quiet;
}

bool ProgressBar::bars_wanted() {
  return !g_quiet && stderr_is_terminal();
}

bool ProgressBar::stderr_is_terminal() {
  return isatty(STDERR_FILENO) == 1;
}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(uint64_t done) {
  if (!enabled_) return;
  done_ = done;
  auto now = std::chrono::steady_clock::now();
  const bool complete = total_ > 0 && done >= total_;
  if (drawn_ && !complete && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  draw();
}

void ProgressBar::draw() {
  // \r returns to column 0 and ESC[K clears what a longer line left behind.
  std::string line = "\r" + render_progress_line(label_, done_, total_, unit_) + "\x1b[K";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace omnigraph::cli
