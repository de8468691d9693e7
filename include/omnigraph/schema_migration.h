// Schema evolution types (engine.md §4): the steps a planner derives from the
// accepted schema and a desired `.pg`, and what an apply reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace omnigraph {

// One migration step. Which fields are set depends on `kind` (engine.md
// §4.2); the wire shape is written by schema_steps_json().
struct SchemaStep {
  enum class Kind {
    kAddType,
    kRenameType,
    kAddProperty,
    kRenameProperty,
    kAddConstraint,
    kUpdateTypeMetadata,
    kUpdatePropertyMetadata,
    kDropType,
    kDropProperty,
    kUnsupportedChange,
  };
  struct PropertyType {
    std::string scalar;  // "String", "I32", ... ; "Vector" with vector_dim
    std::optional<uint32_t> vector_dim;
    bool nullable = false;
    bool list = false;
    std::optional<std::vector<std::string>> enum_values;
  };
  struct Annotation {
    std::string name;
    std::optional<std::string> value;
  };

  Kind kind = Kind::kAddType;
  std::string type_kind;  // interface | node | edge
  std::string name;       // add_type, update_type_metadata, drop_type
  std::string from, to;   // rename_type, rename_property
  std::string type_name;  // property-level steps
  std::string property_name;
  std::optional<PropertyType> property_type;  // add_property
  std::string constraint_json;                // add_constraint: the externally tagged JSON value
  std::vector<Annotation> annotations;        // update_*_metadata
  std::string mode;                           // drop_*: soft | hard
  std::string entity, reason;                 // unsupported_change
  std::optional<std::string> code;            // unsupported_change: OG-MF-103, ...
};

struct SchemaPlan {
  bool supported = true;
  std::vector<SchemaStep> steps;
};

struct SchemaApplyRequest {
  std::string schema_source;
  bool allow_data_loss = false;  // promotes every soft drop to hard
  std::string branch = "main";
  std::optional<std::string> actor;
};

struct SchemaApplyResult {
  bool supported = true;
  bool applied = false;  // false when the plan is empty
  uint64_t manifest_version = 0;
  std::string commit_id;  // the commit published (the head's id when nothing changed)
  std::vector<SchemaStep> steps;
};

// The JSON array of step objects, internally tagged by "kind" (http-contract
// §1.9), e.g. [{"kind":"drop_property","type_kind":"node",...}].
std::string schema_steps_json(const std::vector<SchemaStep>& steps);

}  // namespace omnigraph
