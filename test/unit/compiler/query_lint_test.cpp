// Query lint (spec §3.11): per-query results, the no-params warning, L201
// and the Q000 parse-failure report.
#include <gtest/gtest.h>

#include "compiler/catalog/catalog.h"
#include "compiler/lint/query_lint.h"

namespace omnigraph::compiler::lint {
namespace {

const char* kSchema = R"(
node Person { name: String @key  age: I32?  email: String?  bio: String? }
node Doc { slug: String @key  body: String?  embedding: Vector(2)? @embed(body) }
node Tag { name: String @key  note: String? }
)";

LintOutput run(const std::string& queries) {
  return lint_query_file(compile_schema(kSchema), queries, "q.gq", SchemaSource{false, "s.pg"});
}

TEST(QueryLint, CleanFileIsOk) {
  LintOutput out = run("query a() { match { $p: Person } return { $p.name } }");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.queries_processed, 1u);
  EXPECT_EQ(out.errors, 0u);
  EXPECT_EQ(out.warnings, 0u);
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].name, "a");
  EXPECT_FALSE(out.results[0].mutation);
  EXPECT_TRUE(out.findings.empty());
}

TEST(QueryLint, ParseFailureIsOneQ000Finding) {
  LintOutput out = run("query a() { match { $p: Person } return { $p.name } }\nquery (");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.queries_processed, 0u);
  EXPECT_EQ(out.errors, 1u);
  EXPECT_TRUE(out.results.empty());
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].code, "Q000");
  EXPECT_EQ(out.findings[0].severity, Severity::kError);
  EXPECT_NE(out.findings[0].message.find("parse error"), std::string::npos);
  EXPECT_EQ(out.findings[0].line, 2u);
  EXPECT_EQ(out.findings[0].column, 7u);
}

TEST(QueryLint, EachQueryCheckedIndependently) {
  LintOutput out = run(R"(
query good() { match { $p: Person } return { $p.name } }
query bad() { match { $p: Person $p.age > "x" } return { $p.name } }
query also_good() { match { $d: Doc } return { $d.slug } }
)");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.queries_processed, 3u);
  EXPECT_EQ(out.errors, 1u);
  ASSERT_EQ(out.results.size(), 3u);
  EXPECT_TRUE(out.results[0].ok);
  EXPECT_FALSE(out.results[1].ok);
  ASSERT_TRUE(out.results[1].error);
  EXPECT_NE(out.results[1].error->find("T7: cannot compare I32? with String"), std::string::npos);
  EXPECT_EQ(out.results[1].error_line, 3u);
  EXPECT_TRUE(out.results[2].ok);
}

TEST(QueryLint, HardcodedMutationWarning) {
  LintOutput out = run(R"(
query wipe() { delete Person where age > 100 }
query rm($n: String) { delete Person where name = $n }
)");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.warnings, 1u);
  ASSERT_EQ(out.results[0].warnings.size(), 1u);
  EXPECT_EQ(out.results[0].warnings[0], kHardcodedMutationWarning);
  EXPECT_TRUE(out.results[0].mutation);
  EXPECT_TRUE(out.results[1].warnings.empty());
}

TEST(QueryLint, L201ListsUnsetNullableProperties) {
  LintOutput out = run(R"(
query set_age($n: String, $a: I32) { update Person set { age: $a } where name = $n }
query set_email($n: String, $e: String) { update Person set { email: $e } where name = $n }
query set_body($s: String, $b: String) { update Doc set { body: $b } where slug = $s }
query broken($n: String) { update Person set { bio: $n, bio: $n } where name = $n }
)");
  // `broken` fails (T13) so its assignment of bio does not count.
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.errors, 1u);
  ASSERT_EQ(out.findings.size(), 1u);
  const Finding& f = out.findings[0];
  EXPECT_EQ(f.code, "L201");
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_EQ(f.message, "Person.bio exists in schema but no update query sets it");
  EXPECT_EQ(f.type_name, "Person");
  EXPECT_EQ(f.property, "bio");
  EXPECT_EQ(f.query_names, (std::vector<std::string>{"set_age", "set_email"}));
  EXPECT_EQ(out.warnings, 1u);
  // Doc.embedding is an @embed target and Tag has no update query: no findings.
}

TEST(QueryLint, L201FindingsSortedByTypeThenProperty) {
  LintOutput out = run(R"(
query t($n: String) { update Tag set { name: $n } where name = $n }
query p($n: String) { update Person set { age: 1 } where name = $n }
)");
  ASSERT_EQ(out.findings.size(), 3u);
  EXPECT_EQ(out.findings[0].message, "Person.bio exists in schema but no update query sets it");
  EXPECT_EQ(out.findings[1].message, "Person.email exists in schema but no update query sets it");
  EXPECT_EQ(out.findings[2].message, "Tag.note exists in schema but no update query sets it");
}

TEST(QueryLint, MixedInsertDeleteIsAnError) {
  LintOutput out =
      run("query m($n: String) { insert Person { name: $n } delete Person where name = $n }");
  EXPECT_FALSE(out.ok);
  ASSERT_EQ(out.results.size(), 1u);
  ASSERT_TRUE(out.results[0].error);
  EXPECT_NE(out.results[0].error->find("mixes inserts/updates and deletes"), std::string::npos);
}

}  // namespace
}  // namespace omnigraph::compiler::lint
