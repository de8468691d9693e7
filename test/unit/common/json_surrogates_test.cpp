#include "common/json_surrogates.h"

#include <gtest/gtest.h>

namespace omnigraph {
namespace {

TEST(JsonSurrogates, FindsALoneLowSurrogateEscape) {
  EXPECT_EQ(find_lone_low_surrogate(R"({"a":"x\udc00y"})"), 7u);
  EXPECT_EQ(find_lone_low_surrogate(R"(["\uDFFF"])"), 2u);
  // A low half after text, or after another escape, is still alone.
  EXPECT_EQ(find_lone_low_surrogate(R"(["\ud800x\udc00"])"), 9u);
  EXPECT_EQ(find_lone_low_surrogate(R"(["\n\udc00"])"), 4u);
}

TEST(JsonSurrogates, AcceptsPairsOtherEscapesAndEscapedBackslashes) {
  EXPECT_EQ(find_lone_low_surrogate(R"({"a":"\ud83d\ude00"})"), std::nullopt);
  EXPECT_EQ(find_lone_low_surrogate(R"({"a":"\uD83D\uDE00 and \u00e9"})"), std::nullopt);
  // `\\udc00` is a backslash followed by the text "udc00".
  EXPECT_EQ(find_lone_low_surrogate(R"({"a":"\\udc00"})"), std::nullopt);
  EXPECT_EQ(find_lone_low_surrogate(R"({"a":"\\\ud83d\ude00"})"), std::nullopt);
  EXPECT_EQ(find_lone_low_surrogate(R"({"a":"\\\udc00"})"), 8u);
  EXPECT_EQ(find_lone_low_surrogate(R"({"a":"\udc0"})"), std::nullopt);  // not an escape
  EXPECT_EQ(find_lone_low_surrogate(""), std::nullopt);
}

TEST(JsonSurrogates, ReportsWhicheverProblemComesFirst) {
  const std::string_view json = R"({"a":"\udc00", oops})";
  auto [code, offset] = first_json_error(rapidjson::kParseErrorObjectMissName, 15, json);
  EXPECT_EQ(code, rapidjson::kParseErrorStringUnicodeSurrogateInvalid);
  EXPECT_EQ(offset, 6u);
  std::tie(code, offset) = first_json_error(rapidjson::kParseErrorObjectMissColon, 3, json);
  EXPECT_EQ(code, rapidjson::kParseErrorObjectMissColon);
  EXPECT_EQ(offset, 3u);
  std::tie(code, offset) = first_json_error(rapidjson::kParseErrorNone, 0, R"({"a":"ok"})");
  EXPECT_EQ(code, rapidjson::kParseErrorNone);
}

}  // namespace
}  // namespace omnigraph
