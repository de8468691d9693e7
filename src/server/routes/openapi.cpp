// The OpenAPI 3.1 document, generated from the same route table the router
// matches against: in multi-graph mode the per-graph routes appear under
// /graphs/{graph_id} exactly as they are served.
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "server/http/route_table.h"
#include "server/routes/routes.h"

namespace omnigraph::server::routes {

namespace {

// Component schemas (wire shapes of http-contract §1–§3).
constexpr const char* kComponents = R"JSON({
 "ErrorCode": {"type": "string", "enum": ["unauthorized", "forbidden", "bad_request", "not_found", "conflict", "too_many_requests", "internal"]},
 "MergeConflictKindOutput": {"type": "string", "enum": ["divergent_insert", "divergent_update", "delete_vs_update", "orphan_edge", "unique_violation", "cardinality_violation", "value_constraint_violation"]},
 "MergeConflictOutput": {"type": "object", "required": ["table_key", "kind", "message"], "properties": {
   "table_key": {"type": "string"}, "row_id": {"type": ["string", "null"]},
   "kind": {"$ref": "#/components/schemas/MergeConflictKindOutput"}, "message": {"type": "string"}}},
 "ManifestConflictOutput": {"type": "object", "required": ["table_key", "expected", "actual"], "properties": {
   "table_key": {"type": "string"}, "expected": {"type": "integer", "minimum": 0}, "actual": {"type": "integer", "minimum": 0}}},
 "ErrorOutput": {"type": "object", "required": ["error"], "properties": {
   "error": {"type": "string"}, "code": {"$ref": "#/components/schemas/ErrorCode"},
   "merge_conflicts": {"type": "array", "items": {"$ref": "#/components/schemas/MergeConflictOutput"}},
   "manifest_conflict": {"$ref": "#/components/schemas/ManifestConflictOutput"}}},
 "HealthOutput": {"type": "object", "required": ["status", "version"], "properties": {
   "status": {"type": "string"}, "version": {"type": "string"}, "source_version": {"type": "string"}}},
 "SnapshotTableOutput": {"type": "object", "required": ["table_key", "table_path", "table_version", "row_count"], "properties": {
   "table_key": {"type": "string"}, "table_path": {"type": "string"}, "table_version": {"type": "integer", "minimum": 0},
   "table_branch": {"type": ["string", "null"]}, "row_count": {"type": "integer", "minimum": 0}}},
 "SnapshotOutput": {"type": "object", "required": ["branch", "manifest_version", "tables"], "properties": {
   "branch": {"type": "string"}, "manifest_version": {"type": "integer", "minimum": 0},
   "tables": {"type": "array", "items": {"$ref": "#/components/schemas/SnapshotTableOutput"}}}},
 "ReadRequest": {"type": "object", "required": ["query_source"], "properties": {
   "query_source": {"type": "string"}, "query_name": {"type": ["string", "null"]}, "params": {},
   "branch": {"type": ["string", "null"]}, "snapshot": {"type": ["string", "null"]}}},
 "ReadTargetOutput": {"type": "object", "properties": {"branch": {"type": ["string", "null"]}, "snapshot": {"type": ["string", "null"]}}},
 "ReadOutput": {"type": "object", "required": ["query_name", "target", "row_count", "rows"], "properties": {
   "query_name": {"type": "string"}, "target": {"$ref": "#/components/schemas/ReadTargetOutput"},
   "row_count": {"type": "integer", "minimum": 0}, "columns": {"type": "array", "items": {"type": "string"}},
   "rows": {"type": "array", "items": {"type": "object"}}}},
 "ExportRequest": {"type": "object", "properties": {
   "branch": {"type": ["string", "null"]}, "type_names": {"type": "array", "items": {"type": "string"}},
   "table_keys": {"type": "array", "items": {"type": "string"}}}},
 "ChangeRequest": {"type": "object", "required": ["query_source"], "properties": {
   "query_source": {"type": "string"}, "query_name": {"type": ["string", "null"]}, "params": {},
   "branch": {"type": ["string", "null"]}}},
 "ChangeOutput": {"type": "object", "required": ["branch", "query_name", "affected_nodes", "affected_edges"], "properties": {
   "branch": {"type": "string"}, "query_name": {"type": "string"},
   "affected_nodes": {"type": "integer", "minimum": 0}, "affected_edges": {"type": "integer", "minimum": 0},
   "actor_id": {"type": ["string", "null"]}}},
 "SchemaOutput": {"type": "object", "required": ["schema_source"], "properties": {"schema_source": {"type": "string"}}},
 "SchemaApplyRequest": {"type": "object", "required": ["schema_source"], "properties": {
   "schema_source": {"type": "string"}, "allow_data_loss": {"type": "boolean"}}},
 "SchemaApplyOutput": {"type": "object", "required": ["uri", "supported", "applied", "step_count", "manifest_version", "steps"], "properties": {
   "uri": {"type": "string"}, "branch": {"type": "string"}, "supported": {"type": "boolean"}, "applied": {"type": "boolean"},
   "step_count": {"type": "integer", "minimum": 0}, "manifest_version": {"type": "integer", "minimum": 0},
   "graph_commit_id": {"type": "string"},
   "steps": {"type": "array", "items": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}}}},
 "LoadMode": {"type": "string", "enum": ["overwrite", "append", "merge"]},
 "IngestRequest": {"type": "object", "required": ["data"], "properties": {
   "data": {"type": "string"}, "branch": {"type": ["string", "null"]}, "from": {"type": ["string", "null"]},
   "mode": {"oneOf": [{"$ref": "#/components/schemas/LoadMode"}, {"type": "null"}]}}},
 "IngestTableOutput": {"type": "object", "required": ["table_key", "rows_loaded"], "properties": {
   "table_key": {"type": "string"}, "rows_loaded": {"type": "integer", "minimum": 0}}},
 "IngestOutput": {"type": "object", "required": ["uri", "branch", "base_branch", "branch_created", "mode", "tables"], "properties": {
   "uri": {"type": "string"}, "branch": {"type": "string"}, "base_branch": {"type": "string"},
   "branch_created": {"type": "boolean"}, "mode": {"$ref": "#/components/schemas/LoadMode"},
   "tables": {"type": "array", "items": {"$ref": "#/components/schemas/IngestTableOutput"}},
   "actor_id": {"type": ["string", "null"]}}},
 "BranchListOutput": {"type": "object", "required": ["branches"], "properties": {"branches": {"type": "array", "items": {"type": "string"}}}},
 "BranchCreateRequest": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "from": {"type": ["string", "null"]}}},
 "BranchCreateOutput": {"type": "object", "required": ["uri", "from", "name"], "properties": {
   "uri": {"type": "string"}, "from": {"type": "string"}, "name": {"type": "string"}, "actor_id": {"type": ["string", "null"]}}},
 "BranchDeleteOutput": {"type": "object", "required": ["uri", "name"], "properties": {
   "uri": {"type": "string"}, "name": {"type": "string"}, "actor_id": {"type": ["string", "null"]}}},
 "BranchMergeRequest": {"type": "object", "required": ["source"], "properties": {"source": {"type": "string"}, "target": {"type": ["string", "null"]}}},
 "BranchMergeOutcome": {"type": "string", "enum": ["already_up_to_date", "fast_forward", "merged"]},
 "BranchMergeOutput": {"type": "object", "required": ["source", "target", "outcome"], "properties": {
   "source": {"type": "string"}, "target": {"type": "string"},
   "outcome": {"$ref": "#/components/schemas/BranchMergeOutcome"}, "actor_id": {"type": ["string", "null"]}}},
 "CommitOutput": {"type": "object", "required": ["graph_commit_id", "manifest_version", "created_at"], "properties": {
   "graph_commit_id": {"type": "string"}, "manifest_branch": {"type": ["string", "null"]},
   "manifest_version": {"type": "integer", "minimum": 0}, "parent_commit_id": {"type": ["string", "null"]},
   "merged_parent_commit_id": {"type": ["string", "null"]}, "actor_id": {"type": ["string", "null"]},
   "created_at": {"type": "integer", "description": "microseconds since the Unix epoch"}}},
 "CommitListOutput": {"type": "object", "required": ["commits"], "properties": {
   "commits": {"type": "array", "description": "oldest first", "items": {"$ref": "#/components/schemas/CommitOutput"}}}},
 "GraphInfo": {"type": "object", "required": ["graph_id", "uri"], "properties": {"graph_id": {"type": "string"}, "uri": {"type": "string"}}},
 "GraphListResponse": {"type": "object", "required": ["graphs"], "properties": {"graphs": {"type": "array", "items": {"$ref": "#/components/schemas/GraphInfo"}}}},
 "GraphSchemaSource": {"type": "object", "required": ["source"], "properties": {"source": {"type": "string"}}},
 "GraphPolicyRef": {"type": "object", "properties": {"file": {"type": ["string", "null"]}}},
 "GraphCreateRequest": {"type": "object", "required": ["graph_id", "uri", "schema"], "properties": {
   "graph_id": {"type": "string", "pattern": "^[a-zA-Z0-9-]{1,64}$"}, "uri": {"type": "string"},
   "schema": {"$ref": "#/components/schemas/GraphSchemaSource"},
   "policy": {"oneOf": [{"$ref": "#/components/schemas/GraphPolicyRef"}, {"type": "null"}]}}},
 "GraphCreateResponse": {"type": "object", "required": ["graph_id", "uri"], "properties": {"graph_id": {"type": "string"}, "uri": {"type": "string"}}}
})JSON";

using rapidjson::Value;

Value str(std::string_view s, rapidjson::Document::AllocatorType& a) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

Value ref(std::string_view schema, rapidjson::Document::AllocatorType& a) {
  Value v(rapidjson::kObjectType);
  v.AddMember("$ref", str("#/components/schemas/" + std::string(schema), a), a);
  return v;
}

Value json_content(Value schema, std::string_view media, rapidjson::Document::AllocatorType& a) {
  Value media_obj(rapidjson::kObjectType);
  media_obj.AddMember("schema", schema, a);
  Value content(rapidjson::kObjectType);
  content.AddMember(str(media, a), media_obj, a);
  return content;
}

Value parameter(std::string_view name, std::string_view in, bool required,
                std::string_view description, rapidjson::Document::AllocatorType& a) {
  Value p(rapidjson::kObjectType);
  p.AddMember("name", str(name, a), a);
  p.AddMember("in", str(in, a), a);
  p.AddMember("required", required, a);
  p.AddMember("description", str(description, a), a);
  Value schema(rapidjson::kObjectType);
  schema.AddMember("type", "string", a);
  p.AddMember("schema", schema, a);
  return p;
}

}  // namespace

std::string openapi_document(bool multi, bool with_security) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  doc.AddMember("openapi", "3.1.0", a);
  Value info(rapidjson::kObjectType);
  info.AddMember("title", "Omnigraph API", a);
  info.AddMember("description", "HTTP API for the Omnigraph graph database", a);
  Value license(rapidjson::kObjectType);
  license.AddMember("name", "MIT", a);
  license.AddMember("identifier", "MIT", a);
  info.AddMember("license", license, a);
  info.AddMember("version", str(kServerVersion, a), a);
  doc.AddMember("info", info, a);

  Value paths(rapidjson::kObjectType);
  for (const http::RouteSpec& route : http::route_specs()) {
    if (route.id == http::RouteId::kOpenApi) continue;  // the document does not list itself
    std::string path = http::served_path(route, multi);
    Value op(rapidjson::kObjectType);
    Value tags(rapidjson::kArrayType);
    tags.PushBack(str(route.tag, a), a);
    op.AddMember("tags", tags, a);
    op.AddMember("summary", str(route.summary, a), a);
    std::string operation_id = std::string(route.operation_id);
    if (multi && route.scope == http::RouteScope::kGraph) operation_id = "cluster_" + operation_id;
    op.AddMember("operationId", str(operation_id, a), a);

    Value params(rapidjson::kArrayType);
    if (multi && route.scope == http::RouteScope::kGraph) {
      params.PushBack(
          parameter("graph_id", "path", true, "the graph, as registered in omnigraph.yaml", a), a);
    }
    if (path.find("{branch}") != std::string::npos)
      params.PushBack(parameter("branch", "path", true, "branch name (percent-encoded)", a), a);
    if (path.find("{commit_id}") != std::string::npos)
      params.PushBack(parameter("commit_id", "path", true, "commit id", a), a);
    if (!route.query_param.empty()) {
      params.PushBack(
          parameter(route.query_param, "query", false,
                    route.id == http::RouteId::kSnapshot ? "branch (default main)"
                                                         : "branch filter (default main)",
                    a),
          a);
    }
    if (!params.Empty()) op.AddMember("parameters", params, a);

    if (!route.request_schema.empty()) {
      Value body(rapidjson::kObjectType);
      body.AddMember("required", true, a);
      body.AddMember("content", json_content(ref(route.request_schema, a), "application/json", a),
                     a);
      op.AddMember("requestBody", body, a);
    }

    Value responses(rapidjson::kObjectType);
    Value success(rapidjson::kObjectType);
    if (route.streams) {
      success.AddMember("description", "NDJSON, one object per line", a);
      Value schema(rapidjson::kObjectType);
      schema.AddMember("type", "string", a);
      success.AddMember("content", json_content(std::move(schema), "application/x-ndjson", a), a);
    } else {
      success.AddMember("description", "success", a);
      success.AddMember("content",
                        json_content(ref(route.response_schema, a), "application/json", a), a);
    }
    responses.AddMember(str(std::to_string(route.success_status), a), success, a);
    if (route.scope != http::RouteScope::kGlobal) {
      std::vector<std::pair<const char*, const char*>> errors = {
          {"400", "bad request"},      {"401", "missing or invalid bearer token"},
          {"403", "denied by policy"}, {"404", "not found"},
          {"409", "conflict"},         {"413", "body too large"},
          {"415", "body is not JSON"}, {"429", "admission limit; see Retry-After"},
          {"500", "internal error"}};
      if (route.scope == http::RouteScope::kManagement) {
        errors.insert(errors.begin() + 6, {"405", "single-graph mode"});
        if (route.id == http::RouteId::kGraphCreate)
          errors.emplace_back("503", "omnigraph.yaml changed on disk");
      }
      for (const auto& [status, description] : errors) {
        Value error(rapidjson::kObjectType);
        error.AddMember("description", str(description, a), a);
        error.AddMember("content", json_content(ref("ErrorOutput", a), "application/json", a), a);
        responses.AddMember(str(status, a), error, a);
      }
      if (with_security) {
        Value security(rapidjson::kArrayType);
        Value requirement(rapidjson::kObjectType);
        requirement.AddMember("bearer_token", Value(rapidjson::kArrayType), a);
        security.PushBack(requirement, a);
        op.AddMember("security", security, a);
      }
    }
    op.AddMember("responses", responses, a);

    std::string method = std::string(route.method);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = paths.FindMember(path.c_str());
    if (it == paths.MemberEnd()) {
      Value item(rapidjson::kObjectType);
      item.AddMember(str(method, a), op, a);
      paths.AddMember(str(path, a), item, a);
    } else {
      it->value.AddMember(str(method, a), op, a);
    }
  }
  doc.AddMember("paths", paths, a);

  Value components(rapidjson::kObjectType);
  rapidjson::Document schemas(&a);
  schemas.Parse(kComponents);
  Value schema_value(schemas, a);
  components.AddMember("schemas", schema_value, a);
  Value schemes(rapidjson::kObjectType);
  if (with_security) {
    Value bearer(rapidjson::kObjectType);
    bearer.AddMember("type", "http", a);
    bearer.AddMember("scheme", "bearer", a);
    schemes.AddMember("bearer_token", bearer, a);
  }
  components.AddMember("securitySchemes", schemes, a);
  doc.AddMember("components", components, a);

  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace omnigraph::server::routes
