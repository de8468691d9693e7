// The reference's test schema (http-contract.md §7): people, companies, who
// knows whom and who works where. Suites that run the built binaries share it.
#pragma once

namespace omnigraph::test_fixture {

inline constexpr const char* kReferenceSchema = R"(node Person {
    name: String @key
    age: I32?
}

node Company {
    name: String @key
}

edge Knows: Person -> Person {
    since: Date?
}

edge WorksAt: Person -> Company
)";

}  // namespace omnigraph::test_fixture
