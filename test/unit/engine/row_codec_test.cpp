#include "engine/row_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "common/error.h"

namespace omnigraph::engine {
namespace {

Row sample_row() {
  Row row;
  row.set(7, Value::string("Alice"));
  row.set(3, Value::integer(-42));
  row.set(900000, Value::unsigned_integer(std::numeric_limits<uint64_t>::max()));
  row.set(12, Value::floating(0.1));
  row.set(13, Value::boolean(true));
  row.set(14, Value::date(Date{-5}));
  row.set(15, Value::datetime(DateTime{1'700'000'000'123}));
  row.set(16, Value::blob(Blob{false, std::string("\0\1\2", 3)}));
  row.set(17, Value::blob(Blob{true, "s3://bucket/key"}));
  row.set(18, Value::list({Value::string("a"), Value::null(), Value::integer(3)}));
  row.set(19, Value::vector(FloatVector{{0.5f, -1.25f, 3.0f}}));
  return row;
}

TEST(RowCodec, RoundTripsEveryKind) {
  Row row = sample_row();
  EXPECT_EQ(decode_row(encode_row(row)), row);
}

TEST(RowCodec, FieldsStaySortedAndNullRemoves) {
  Row row = sample_row();
  for (size_t i = 1; i < row.fields.size(); ++i) {
    EXPECT_LT(row.fields[i - 1].first, row.fields[i].first);
  }
  EXPECT_EQ(row.get(7), Value::string("Alice"));
  row.set(7, Value::null());
  EXPECT_TRUE(row.get(7).is_null());
  EXPECT_TRUE(row.get(8).is_null());
  EXPECT_EQ(decode_row(encode_row(row)), row);
}

TEST(RowCodec, EmptyRow) {
  EXPECT_EQ(decode_row(encode_row(Row{})), Row{});
}

TEST(RowCodec, TruncatedBytesAreCorruption) {
  std::string bytes = encode_row(sample_row());
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_THROW(decode_row(std::string_view(bytes).substr(0, cut)), Error) << "cut at " << cut;
  }
  EXPECT_THROW(decode_row(bytes + "x"), Error);
}

template <typename T>
void expect_sort_key_order(const std::vector<T>& sorted_values, Value (*make)(T)) {
  for (size_t i = 1; i < sorted_values.size(); ++i) {
    std::string a = encode_sort_key(make(sorted_values[i - 1]));
    std::string b = encode_sort_key(make(sorted_values[i]));
    EXPECT_LT(a, b) << "at " << i;
  }
}

TEST(SortKey, NumbersOrderNumerically) {
  expect_sort_key_order<int64_t>({std::numeric_limits<int64_t>::min(), -1000, -1, 0, 1, 255, 256,
                                  std::numeric_limits<int64_t>::max()},
                                 &Value::integer);
  expect_sort_key_order<uint64_t>({0, 1, 255, 256, 1ull << 63, ~0ull}, &Value::unsigned_integer);
  expect_sort_key_order<double>(
      {-INFINITY, -1e300, -1.5, -1e-300, 0.0, 1e-300, 1.5, 1e300, INFINITY}, &Value::floating);
  EXPECT_EQ(encode_sort_key(Value::floating(-0.0)), encode_sort_key(Value::floating(0.0)));
}

TEST(SortKey, StringsOrderBytewiseWithPrefixesFirst) {
  std::vector<std::string> values = {
      "",    std::string("\0", 1), std::string("\0\0", 2), std::string("\0a", 2), "a", "ab", "b",
      "\xff"};
  expect_sort_key_order<std::string>(values, &Value::string);
}

TEST(SortKey, RandomStringsMatchStdOrder) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string a(rng() % 5, '\0'), b(rng() % 5, '\0');
    for (char& c : a) c = static_cast<char>(rng() % 3);
    for (char& c : b) c = static_cast<char>(rng() % 3);
    // Keys followed by an id suffix must keep value order: the encoding is self-delimiting.
    std::string ka = encode_sort_key(Value::string(a)) + "zz";
    std::string kb = encode_sort_key(Value::string(b)) + "aa";
    if (a < b) {
      EXPECT_LT(ka, kb);
    } else if (b < a) {
      EXPECT_GT(ka, kb);
    }
  }
}

TEST(SortKey, NullSortsFirstAndListsCompareElementwise) {
  EXPECT_LT(encode_sort_key(Value::null()),
            encode_sort_key(Value::integer(std::numeric_limits<int64_t>::min())));
  Value short_list = Value::list({Value::integer(1)});
  Value long_list = Value::list({Value::integer(1), Value::integer(0)});
  Value bigger = Value::list({Value::integer(2)});
  EXPECT_LT(encode_sort_key(short_list), encode_sort_key(long_list));
  EXPECT_LT(encode_sort_key(long_list), encode_sort_key(bigger));
}

}  // namespace
}  // namespace omnigraph::engine
