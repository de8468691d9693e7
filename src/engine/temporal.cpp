#include "engine/temporal.h"

#include <cctype>
#include <cstdio>

namespace omnigraph::engine {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;

bool is_leap(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned days_in_month(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Reads 1+ digits (at most `max_digits`) into `out`; advances `pos`.
bool read_number(std::string_view s, size_t& pos, size_t min_digits, size_t max_digits,
                 int64_t& out) {
  size_t start = pos;
  out = 0;
  while (pos < s.size() && pos - start < max_digits &&
         std::isdigit(static_cast<unsigned char>(s[pos]))) {
    out = out * 10 + (s[pos] - '0');
    ++pos;
  }
  return pos - start >= min_digits;
}

bool valid_ymd(int64_t y, int64_t m, int64_t d) {
  return y >= 0 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
         d <= days_in_month(y, static_cast<unsigned>(m));
}

// Parses the date part at the start of `s`; `pos` ends after it.
bool parse_date_prefix(std::string_view s, size_t& pos, int64_t& days) {
  int64_t y, m, d;
  pos = 0;
  // Compact YYYYMMDD (exactly 8 digits, nothing else).
  if (s.size() == 8) {
    bool all_digits = true;
    for (char c : s) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
    if (all_digits) {
      y = std::stoll(std::string(s.substr(0, 4)));
      m = std::stoll(std::string(s.substr(4, 2)));
      d = std::stoll(std::string(s.substr(6, 2)));
      if (!valid_ymd(y, m, d)) return false;
      pos = 8;
      days = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
      return true;
    }
  }
  if (!read_number(s, pos, 1, 4, y) || pos >= s.size() || s[pos] != '-') return false;
  ++pos;
  if (!read_number(s, pos, 1, 2, m) || pos >= s.size() || s[pos] != '-') return false;
  ++pos;
  if (!read_number(s, pos, 1, 2, d) || !valid_ymd(y, m, d)) return false;
  days = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Parses "HH:MM[:SS[.fff...]]" then an optional zone; returns ms offset in
// the day (before zone) and the zone offset in minutes.
bool parse_time_and_zone(std::string_view s, size_t pos, int64_t& millis_of_day,
                         int64_t& offset_minutes) {
  int64_t hh, mm, ss = 0, frac_ms = 0;
  if (!read_number(s, pos, 2, 2, hh) || pos >= s.size() || s[pos] != ':') return false;
  ++pos;
  if (!read_number(s, pos, 2, 2, mm)) return false;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!read_number(s, pos, 2, 2, ss)) return false;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      size_t start = pos;
      int64_t scale = 100;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        frac_ms += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return false;
    }
  }
  // 23:59:60 (a leap second) is folded into the next second, as chrono does.
  if (hh > 23 || mm > 59 || ss > 60) return false;
  millis_of_day = ((hh * 60 + mm) * 60 + ss) * 1000 + frac_ms;
  offset_minutes = 0;
  if (pos == s.size()) return true;
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return true;
  if (s[pos] != '+' && s[pos] != '-') return false;
  int sign = s[pos] == '-' ? -1 : 1;
  ++pos;
  int64_t oh, om = 0;
  if (!read_number(s, pos, 2, 2, oh)) return false;
  if (pos < s.size() && s[pos] == ':') ++pos;
  if (pos < s.size() && !read_number(s, pos, 2, 2, om)) return false;
  if (pos != s.size() || oh > 23 || om > 59) return false;
  offset_minutes = sign * (oh * 60 + om);
  return true;
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  // The standard era-based conversion (400-year cycles of 146097 days).
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2);
}

std::optional<Date> parse_date(std::string_view text) {
  text = trim(text);
  size_t pos = 0;
  int64_t days = 0;
  if (!parse_date_prefix(text, pos, days)) return std::nullopt;
  if (pos != text.size()) {
    // A datetime string: take its date part, but only if the rest is valid.
    if (!parse_datetime(text)) return std::nullopt;
  }
  return Date{static_cast<int32_t>(days)};
}

std::optional<DateTime> parse_datetime(std::string_view text) {
  text = trim(text);
  size_t pos = 0;
  int64_t days = 0;
  if (!parse_date_prefix(text, pos, days)) return std::nullopt;
  int64_t millis_of_day = 0, offset_minutes = 0;
  if (pos != text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    if (!parse_time_and_zone(text, pos + 1, millis_of_day, offset_minutes)) return std::nullopt;
  }
  return DateTime{days * kMillisPerDay + millis_of_day - offset_minutes * 60'000};
}

std::string format_date(Date date) {
  int64_t y;
  unsigned m, d;
  civil_from_days(date.days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::string format_datetime(DateTime time) {
  int64_t days = time.millis / kMillisPerDay;
  int64_t rem = time.millis % kMillisPerDay;
  if (rem < 0) {
    rem += kMillisPerDay;
    --days;
  }
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rem / 3'600'000),
                static_cast<long long>(rem / 60'000 % 60), static_cast<long long>(rem / 1000 % 60),
                static_cast<long long>(rem % 1000));
  return buf;
}

}  // namespace omnigraph::engine
