// scope_for: the table of which branch each operation sends, and misuse.
#include <gtest/gtest.h>

#include "common/error.h"
#include "policy/policy.h"
#include "policy/scope.h"

namespace omnigraph::policy {
namespace {

using std::nullopt;

PolicyRequest req(Action action, std::optional<std::string> branch = nullopt,
                  std::optional<std::string> target = nullopt) {
  return PolicyRequest{action, std::move(branch), std::move(target)};
}

TEST(Scope, ReadsUseTheBranch) {
  EXPECT_EQ(scope_for(Operation::kRead, "feature"), req(Action::kRead, "feature"));
  EXPECT_EQ(scope_for(Operation::kRead), req(Action::kRead));
  EXPECT_EQ(scope_for(Operation::kSnapshot, "main"), req(Action::kRead, "main"));
  EXPECT_EQ(scope_for(Operation::kCommitList, "main"), req(Action::kRead, "main"));
  EXPECT_EQ(scope_for(Operation::kCommitList), req(Action::kRead));
}

TEST(Scope, BranchlessReads) {
  EXPECT_EQ(scope_for(Operation::kSchemaGet), req(Action::kRead));
  EXPECT_EQ(scope_for(Operation::kBranchList), req(Action::kRead));
  EXPECT_EQ(scope_for(Operation::kCommitShow), req(Action::kRead));
}

TEST(Scope, WritesAndExportUseTheBranch) {
  EXPECT_EQ(scope_for(Operation::kExport, "main"), req(Action::kExport, "main"));
  EXPECT_EQ(scope_for(Operation::kChange, "feature"), req(Action::kChange, "feature"));
  EXPECT_EQ(scope_for(Operation::kLoad, "main"), req(Action::kChange, "main"));
  EXPECT_EQ(scope_for(Operation::kIngest, "feature-ingest"),
            req(Action::kChange, "feature-ingest"));
}

TEST(Scope, SchemaApplyAlwaysTargetsMain) {
  EXPECT_EQ(scope_for(Operation::kSchemaApply), req(Action::kSchemaApply, nullopt, "main"));
}

TEST(Scope, BranchOperationsUseTheTarget) {
  EXPECT_EQ(scope_for(Operation::kBranchCreate, "main", "feature"),
            req(Action::kBranchCreate, "main", "feature"));
  // The engine's create-without-from sends only the new name.
  EXPECT_EQ(scope_for(Operation::kBranchCreate, nullopt, "feature"),
            req(Action::kBranchCreate, nullopt, "feature"));
  EXPECT_EQ(scope_for(Operation::kBranchDelete, nullopt, "feature"),
            req(Action::kBranchDelete, nullopt, "feature"));
  EXPECT_EQ(scope_for(Operation::kBranchMerge, "feature", "main"),
            req(Action::kBranchMerge, "feature", "main"));
}

TEST(Scope, ServerAndQueryGatesHaveNoBranch) {
  EXPECT_EQ(scope_for(Operation::kGraphList), req(Action::kGraphList));
  EXPECT_EQ(scope_for(Operation::kGraphCreate), req(Action::kGraphCreate));
  EXPECT_EQ(scope_for(Operation::kInvokeQuery), req(Action::kInvokeQuery));
}

TEST(Scope, MisuseIsAnInternalError) {
  auto code_of = [](auto fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::kBadRequest;  // did not throw
  };
  EXPECT_EQ(code_of([] { scope_for(Operation::kBranchDelete, "feature"); }), ErrorCode::kInternal);
  EXPECT_EQ(code_of([] { scope_for(Operation::kBranchDelete); }), ErrorCode::kInternal);
  EXPECT_EQ(code_of([] { scope_for(Operation::kChange); }), ErrorCode::kInternal);
  EXPECT_EQ(code_of([] { scope_for(Operation::kBranchMerge, "feature"); }), ErrorCode::kInternal);
  EXPECT_EQ(code_of([] { scope_for(Operation::kGraphList, "main"); }), ErrorCode::kInternal);
  EXPECT_EQ(code_of([] { scope_for(Operation::kSchemaApply, nullopt, "feature"); }),
            ErrorCode::kInternal);
  EXPECT_EQ(code_of([] { scope_for(Operation::kRead, nullopt, "main"); }), ErrorCode::kInternal);
  try {
    scope_for(Operation::kBranchMerge, "feature");
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "scope_for(branch merge): target branch is required");
  }
}

TEST(Scope, ProtectedMainRulesGovernTheRightOperations) {
  // The scope table joined with a typical policy: writers may change and
  // merge into feature branches only; admins own main.
  Policy p = Policy::from_yaml(R"(
version: 1
groups:
  writers: [act-w]
  admins: [act-a]
protected_branches: [main]
rules:
  - id: write-feature
    allow: { actors: { group: writers }, actions: [read, change], branch_scope: unprotected }
  - id: branch-feature
    allow: { actors: { group: writers }, actions: [branch_create, branch_merge, branch_delete], target_branch_scope: unprotected }
  - id: admin-main
    allow: { actors: { group: admins }, actions: [schema_apply, branch_merge], target_branch_scope: protected }
)");
  EXPECT_TRUE(p.evaluate("act-w", scope_for(Operation::kChange, "feature")).allowed);
  EXPECT_FALSE(p.evaluate("act-w", scope_for(Operation::kLoad, "main")).allowed);
  EXPECT_TRUE(p.evaluate("act-w", scope_for(Operation::kBranchCreate, "main", "feature")).allowed);
  EXPECT_FALSE(p.evaluate("act-w", scope_for(Operation::kBranchMerge, "feature", "main")).allowed);
  EXPECT_TRUE(p.evaluate("act-a", scope_for(Operation::kBranchMerge, "feature", "main")).allowed);
  EXPECT_TRUE(p.evaluate("act-a", scope_for(Operation::kSchemaApply)).allowed);
  EXPECT_FALSE(p.evaluate("act-w", scope_for(Operation::kSchemaApply)).allowed);
  EXPECT_EQ(p.evaluate("act-w", scope_for(Operation::kBranchDelete, nullopt, "main")).message,
            "policy denied action 'branch_delete' targeting branch 'main' for actor 'act-w'");
  // Branchless reads do not satisfy a branch-scoped `unprotected` rule.
  EXPECT_FALSE(p.evaluate("act-w", scope_for(Operation::kBranchList)).allowed);
}

TEST(Scope, OperationNames) {
  EXPECT_EQ(operation_name(Operation::kBranchCreate), "branch create");
  EXPECT_EQ(operation_name(Operation::kIngest), "ingest");
}

}  // namespace
}  // namespace omnigraph::policy
