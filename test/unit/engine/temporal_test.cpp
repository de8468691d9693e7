#include "engine/temporal.h"

#include <gtest/gtest.h>

namespace omnigraph::engine {

TEST(Temporal, CivilRoundTripOverFourCenturies) {
  for (int64_t days = -146097; days <= 146097 * 2; days += 37) {
    int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    EXPECT_EQ(days_from_civil(y, m, d), days);
  }
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
}

TEST(Temporal, ParsesDateForms) {
  EXPECT_EQ(parse_date("2024-02-29")->days, days_from_civil(2024, 2, 29));
  EXPECT_EQ(parse_date("2024-2-9")->days, days_from_civil(2024, 2, 9));
  EXPECT_EQ(parse_date("20240209")->days, days_from_civil(2024, 2, 9));
  EXPECT_EQ(parse_date("2024-02-09T23:10:00Z")->days, days_from_civil(2024, 2, 9));
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2024-13-01"));
  EXPECT_FALSE(parse_date("yesterday"));
  EXPECT_FALSE(parse_date("2024-02-09Tnope"));
  EXPECT_FALSE(parse_date(""));
}

TEST(Temporal, ParsesDateTimeForms) {
  int64_t day = days_from_civil(2026, 4, 3) * 86'400'000;
  EXPECT_EQ(parse_datetime("2026-04-03T10:15:00Z")->millis, day + 36'900'000);
  EXPECT_EQ(parse_datetime("2026-04-03 10:15:00")->millis, day + 36'900'000);
  EXPECT_EQ(parse_datetime("2026-04-03T10:15:00.250Z")->millis, day + 36'900'250);
  EXPECT_EQ(parse_datetime("2026-04-03T12:15:00+02:00")->millis, day + 36'900'000);
  EXPECT_EQ(parse_datetime("2026-04-03T05:15:00-0500")->millis, day + 36'900'000);
  EXPECT_EQ(parse_datetime("2026-04-03")->millis, day);
  EXPECT_EQ(parse_datetime("2026-04-03T10:15Z")->millis, day + 36'900'000);
  EXPECT_FALSE(parse_datetime("2026-04-03T25:00:00Z"));
  EXPECT_FALSE(parse_datetime("2026-04-03T10:15:00Q"));
  EXPECT_FALSE(parse_datetime("2026-04-03T10:15:00+2"));
  EXPECT_FALSE(parse_datetime("not a time"));
}

TEST(Temporal, FormatsLikeTheReference) {
  EXPECT_EQ(format_date(Date{0}), "1970-01-01");
  EXPECT_EQ(format_date(Date{-1}), "1969-12-31");
  EXPECT_EQ(format_datetime(DateTime{0}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_datetime(DateTime{-1}), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_datetime(*parse_datetime("2026-04-03T10:15:07.5Z")), "2026-04-03T10:15:07.500Z");
}

}  // namespace omnigraph::engine
