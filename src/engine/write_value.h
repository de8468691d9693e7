// Write-time conversion of a query value (an insert/update literal or
// parameter, already a Value) to what a property stores (languages.md §4.9
// "Value conversion at write time").
//
// The reference's quirks are kept on purpose: an Integer goes to any integer
// column by a plain wrapping cast (no range check), but an Integer for an
// F32/F64 column is an error; list elements of I32/U32/U64 are range checked;
// a list element of the wrong kind is stored as null. Enum membership,
// nullability and the other constraints are checked elsewhere.
#pragma once

#include <string_view>

#include "compiler/catalog/catalog.h"
#include "engine/value.h"

namespace omnigraph::engine {

// The value `v` as property `p` stores it (null stays null). Throws
// Error(kBadRequest) with the reference's texts, e.g.
// `cannot convert Integer(5) to Float64`,
// `vector property expects 4 dimensions, got 3`.
Value value_for_property(const Value& v, const compiler::Property& p);

// A Blob from its text form: "base64:<standard base64>" is inline bytes,
// anything else a URI reference. Throws Error(kBadRequest)
// `invalid base64 blob data: <reason>` for bad base64.
Value blob_from_text(std::string_view text);

}  // namespace omnigraph::engine
