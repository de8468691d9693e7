// Maps one JSON value from a JSONL `data` object to a property Value, by
// the rules of languages.md §5.3: a wrong-typed value becomes null (the
// loader then rejects nulls in non-nullable columns); malformed dates,
// lists, vectors and blobs are errors naming the property.
#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "compiler/types.h"
#include "engine/value.h"

namespace omnigraph::engine {

// `json` may be nullptr (the key is absent). Throws Error(kBadRequest).
Value value_from_jsonl(const rapidjson::Value* json, const compiler::Type& type,
                       std::string_view property);

// The compact JSON text of `json`, for error messages ("got {...}").
std::string json_to_string(const rapidjson::Value& json);

}  // namespace omnigraph::engine
