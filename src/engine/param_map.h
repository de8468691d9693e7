// Query parameters after JSON conversion (languages.md §6.1): name (without
// `$`) -> value. Every integer type travels as a signed 64-bit Value::integer,
// floats as Value::floating; the reserved `__nanograph_now` holds the
// mutation's timestamp.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "engine/value.h"

namespace omnigraph::engine {

using ParamMap = std::map<std::string, Value, std::less<>>;

}  // namespace omnigraph::engine
