// Date and DateTime text forms: what JSONL and query parameters accept and
// what results print (spec languages.md §5.3, §6.2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/value.h"

namespace omnigraph::engine {

// Days since 1970-01-01 for a proleptic Gregorian civil date, and back.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day);

// Accepts "YYYY-MM-DD", the relaxed "Y-M-D" and "YYYYMMDD", and a datetime
// string (its date part). nullopt when the text is not a valid date.
std::optional<Date> parse_date(std::string_view text);

// Accepts RFC 3339 / ISO-8601: date, 'T' or ' ', time with optional
// fraction, then 'Z', an offset (+HH:MM, +HHMM, +HH) or nothing (UTC). A
// bare 10-character date means midnight UTC. nullopt when invalid.
std::optional<DateTime> parse_datetime(std::string_view text);

std::string format_date(Date date);          // "YYYY-MM-DD"
std::string format_datetime(DateTime time);  // "YYYY-MM-DDTHH:MM:SS.mmmZ"

}  // namespace omnigraph::engine
