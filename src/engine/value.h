// A single property value as the engine stores, compares and returns it.
// The catalog's Type says what a property may hold; a Value says what it
// does hold. Integers keep their signedness (I32/I64 as int64, U32/U64 as
// uint64); F32 values are stored already rounded to float precision so a
// read returns exactly what a float column would (0.1f -> 0.10000000149...).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace omnigraph::engine {

struct Date {
  int32_t days = 0;  // since 1970-01-01
  friend auto operator<=>(const Date&, const Date&) = default;
};

struct DateTime {
  int64_t millis = 0;  // since 1970-01-01T00:00:00Z
  friend auto operator<=>(const DateTime&, const DateTime&) = default;
};

// A Blob is either inline bytes (from "base64:...") or a URI reference.
struct Blob {
  bool is_uri = false;
  std::string data;  // raw bytes, or the URI text
  friend auto operator<=>(const Blob&, const Blob&) = default;
};

struct FloatVector {
  std::vector<float> values;
  friend bool operator==(const FloatVector&, const FloatVector&) = default;
};

class Value;
using ValueList = std::vector<Value>;

class Value {
 public:
  enum class Kind : uint8_t {
    kNull = 0,
    kBool,
    kInt,
    kUInt,
    kFloat,
    kString,
    kDate,
    kDateTime,
    kBlob,
    kList,
    kVector,
  };

  Value() = default;
  static Value null() { return Value(); }
  static Value boolean(bool v) { return Value(Storage(std::in_place_index<1>, v)); }
  static Value integer(int64_t v) { return Value(Storage(std::in_place_index<2>, v)); }
  static Value unsigned_integer(uint64_t v) { return Value(Storage(std::in_place_index<3>, v)); }
  static Value floating(double v) { return Value(Storage(std::in_place_index<4>, v)); }
  static Value string(std::string v) {
    return Value(Storage(std::in_place_index<5>, std::move(v)));
  }
  static Value date(Date v) { return Value(Storage(std::in_place_index<6>, v)); }
  static Value datetime(DateTime v) { return Value(Storage(std::in_place_index<7>, v)); }
  static Value blob(Blob v) { return Value(Storage(std::in_place_index<8>, std::move(v))); }
  static Value list(ValueList v) { return Value(Storage(std::in_place_index<9>, std::move(v))); }
  static Value vector(FloatVector v) {
    return Value(Storage(std::in_place_index<10>, std::move(v)));
  }

  Kind kind() const { return static_cast<Kind>(storage_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }

  bool as_bool() const { return std::get<1>(storage_); }
  int64_t as_int() const { return std::get<2>(storage_); }
  uint64_t as_uint() const { return std::get<3>(storage_); }
  double as_float() const { return std::get<4>(storage_); }
  const std::string& as_string() const { return std::get<5>(storage_); }
  Date as_date() const { return std::get<6>(storage_); }
  DateTime as_datetime() const { return std::get<7>(storage_); }
  const Blob& as_blob() const { return std::get<8>(storage_); }
  const ValueList& as_list() const { return std::get<9>(storage_); }
  const FloatVector& as_vector() const { return std::get<10>(storage_); }

  // Structural equality: same kind and same content (1 != 1u != 1.0).
  friend bool operator==(const Value& a, const Value& b) { return a.storage_ == b.storage_; }

  // A short debugging form: null, true, 42, 42u, 1.5, "text", 2024-01-02, ...
  std::string debug_string() const;

 private:
  using Storage = std::variant<std::monostate, bool, int64_t, uint64_t, double, std::string, Date,
                               DateTime, Blob, ValueList, FloatVector>;
  explicit Value(Storage storage) : storage_(std::move(storage)) {}

  Storage storage_;
};

}  // namespace omnigraph::engine
