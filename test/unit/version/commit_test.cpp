#include "version/commit.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace omnigraph::version {
namespace {

Commit sample(size_t n_parents, bool with_actor) {
  Commit c;
  c.root = Hash::of("root");
  for (size_t i = 0; i < n_parents; ++i) c.parents.push_back(Hash::of("p" + std::to_string(i)));
  if (with_actor) c.actor = "act-andrew";
  c.time_us = 1'700'000'000'123'456;
  c.branch = "feature/ünïcode";
  c.graph_commit_id = Ulid::parse("01ARYZ6S41TSV4RRFFQ69G5FAV");
  c.manifest_version = 42;
  c.generation = n_parents == 0 ? 1 : 7;
  return c;
}

TEST(Commit, EncodeDecodeRoundTrip) {
  for (size_t parents = 0; parents <= 2; ++parents) {
    for (bool actor : {false, true}) {
      Commit c = sample(parents, actor);
      std::string bytes = encode_commit(c);
      EXPECT_EQ(encode_commit(c), bytes);  // deterministic
      EXPECT_EQ(decode_commit(bytes), c);
    }
  }
  Commit negative = sample(1, false);
  negative.time_us = -5;  // before 1970 still round-trips
  negative.actor = "";    // an empty actor is not "no actor"
  negative.branch = "";
  EXPECT_EQ(decode_commit(encode_commit(negative)), negative);
}

TEST(Commit, DifferentFieldsGiveDifferentBytes) {
  Commit a = sample(1, true);
  std::string base = encode_commit(a);
  Commit b = a;
  b.actor.reset();
  EXPECT_NE(encode_commit(b), base);
  b = a;
  b.manifest_version++;
  EXPECT_NE(encode_commit(b), base);
  b = a;
  b.time_us++;
  EXPECT_NE(encode_commit(b), base);
  b = a;
  b.branch = "main";
  EXPECT_NE(encode_commit(b), base);
}

TEST(Commit, RejectsBrokenInvariants) {
  Commit three = sample(2, false);
  three.parents.push_back(Hash::of("p2"));
  EXPECT_THROW(encode_commit(three), Error);
  Commit twice = sample(2, false);
  twice.parents[1] = twice.parents[0];
  EXPECT_THROW(encode_commit(twice), Error);
  Commit zero = sample(1, false);
  zero.parents[0] = Hash{};
  EXPECT_THROW(encode_commit(zero), Error);
  Commit genesis = sample(0, false);
  genesis.generation = 3;
  EXPECT_THROW(encode_commit(genesis), Error);
  Commit child = sample(1, false);
  child.generation = 1;
  EXPECT_THROW(encode_commit(child), Error);
}

TEST(Commit, RejectsCorruptBytes) {
  std::string bytes = encode_commit(sample(2, true));
  // Every truncation is detected.
  for (size_t n = 0; n < bytes.size(); ++n) {
    try {
      decode_commit(bytes.substr(0, n));
      ADD_FAILURE() << "accepted a commit truncated to " << n << " bytes";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInternal);
    }
  }
  EXPECT_THROW(decode_commit(bytes + "x"), Error);
  std::string wrong_tag = bytes;
  wrong_tag[0] = 'X';
  EXPECT_THROW(decode_commit(wrong_tag), Error);
  std::string wrong_version = bytes;
  wrong_version[1] = 9;
  EXPECT_THROW(decode_commit(wrong_version), Error);
}

}  // namespace
}  // namespace omnigraph::version
