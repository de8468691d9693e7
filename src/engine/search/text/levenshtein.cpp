#include "engine/search/text/levenshtein.h"

#include <utf8proc.h>

#include <algorithm>
#include <vector>

namespace omnigraph::engine::search::text {

namespace {

void decode(std::string_view s, std::vector<int32_t>& out) {
  out.clear();
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {  // keep invalid bytes as themselves
      cp = -static_cast<int32_t>(*p) - 1;
      n = 1;
    }
    out.push_back(cp);
    p += n;
    left -= n;
  }
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

uint32_t bounded_levenshtein(std::string_view a, std::string_view b, uint32_t max) {
  // ASCII (the common case after folding): bytes are code points, so the
  // length bound can be checked before decoding anything.
  if (is_ascii(a) && is_ascii(b)) {
    size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (gap > max) return max + 1;
  }
  thread_local std::vector<int32_t> x, y;
  thread_local std::vector<uint32_t> prev, cur;
  decode(a, x);
  decode(b, y);
  size_t n = x.size(), m = y.size();
  size_t diff = n > m ? n - m : m - n;
  if (diff > max) return max + 1;
  prev.resize(m + 1);
  cur.resize(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<uint32_t>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<uint32_t>(i);
    uint32_t row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      uint32_t sub = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max) return max + 1;  // every later row is at least this
    std::swap(prev, cur);
  }
  return std::min(prev[m], max + 1);
}

}  // namespace omnigraph::engine::search::text
