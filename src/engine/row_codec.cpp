#include "engine/row_codec.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "common/error.h"

namespace omnigraph::engine {
namespace {

const Value kNullValue;

void put_fixed64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
uint64_t get_fixed64(ByteReader& in) {
  std::string_view b = in.bytes(8);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(b[i])) << (8 * i);
  return v;
}

void put_big_endian64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
}

// Doubles in memcmp order: flip all bits of negatives, the sign bit of the rest.
uint64_t orderable_double(double d) {
  if (d == 0) d = 0;  // -0.0 and 0.0 compare equal, so encode them alike
  uint64_t bits = std::bit_cast<uint64_t>(d);
  return (bits & (1ull << 63)) ? ~bits : bits | (1ull << 63);
}

}  // namespace

const Value& Row::get(uint32_t id) const {
  auto it = std::lower_bound(fields.begin(), fields.end(), id,
                             [](const auto& field, uint32_t key) { return field.first < key; });
  return it != fields.end() && it->first == id ? it->second : kNullValue;
}

void Row::set(uint32_t id, Value value) {
  auto it = std::lower_bound(fields.begin(), fields.end(), id,
                             [](const auto& field, uint32_t key) { return field.first < key; });
  bool present = it != fields.end() && it->first == id;
  if (value.is_null()) {
    if (present) fields.erase(it);
  } else if (present) {
    it->second = std::move(value);
  } else {
    fields.insert(it, {id, std::move(value)});
  }
}

void encode_value(std::string& out, const Value& value) {
  out.push_back(static_cast<char>(value.kind()));
  switch (value.kind()) {
    case Value::Kind::kNull: break;
    case Value::Kind::kBool: out.push_back(value.as_bool() ? 1 : 0); break;
    case Value::Kind::kInt: put_varint(out, zigzag_encode(value.as_int())); break;
    case Value::Kind::kUInt: put_varint(out, value.as_uint()); break;
    case Value::Kind::kFloat: put_fixed64(out, std::bit_cast<uint64_t>(value.as_float())); break;
    case Value::Kind::kString: put_length_prefixed(out, value.as_string()); break;
    case Value::Kind::kDate: put_varint(out, zigzag_encode(value.as_date().days)); break;
    case Value::Kind::kDateTime: put_varint(out, zigzag_encode(value.as_datetime().millis)); break;
    case Value::Kind::kBlob:
      out.push_back(value.as_blob().is_uri ? 1 : 0);
      put_length_prefixed(out, value.as_blob().data);
      break;
    case Value::Kind::kList:
      put_varint(out, value.as_list().size());
      for (const Value& element : value.as_list()) encode_value(out, element);
      break;
    case Value::Kind::kVector: {
      const auto& v = value.as_vector().values;
      put_varint(out, v.size());
      size_t at = out.size();
      out.resize(at + v.size() * sizeof(float));
      if (!v.empty()) std::memcpy(out.data() + at, v.data(), v.size() * sizeof(float));
      break;
    }
  }
}

Value decode_value(ByteReader& in) {
  uint8_t tag = in.byte();
  switch (static_cast<Value::Kind>(tag)) {
    case Value::Kind::kNull: return Value::null();
    case Value::Kind::kBool: return Value::boolean(in.byte() != 0);
    case Value::Kind::kInt: return Value::integer(in.svarint());
    case Value::Kind::kUInt: return Value::unsigned_integer(in.varint());
    case Value::Kind::kFloat: return Value::floating(std::bit_cast<double>(get_fixed64(in)));
    case Value::Kind::kString: return Value::string(std::string(in.length_prefixed()));
    case Value::Kind::kDate: return Value::date(Date{static_cast<int32_t>(in.svarint())});
    case Value::Kind::kDateTime: return Value::datetime(DateTime{in.svarint()});
    case Value::Kind::kBlob: {
      bool is_uri = in.byte() != 0;
      return Value::blob(Blob{is_uri, std::string(in.length_prefixed())});
    }
    case Value::Kind::kList: {
      uint64_t n = in.varint();
      if (n > in.remaining()) throw_internal("corrupt row: list length");
      ValueList list;
      list.reserve(n);
      for (uint64_t i = 0; i < n; ++i) list.push_back(decode_value(in));
      return Value::list(std::move(list));
    }
    case Value::Kind::kVector: {
      uint64_t n = in.varint();
      if (n > in.remaining() / sizeof(float)) throw_internal("corrupt row: vector length");
      std::string_view raw = in.bytes(n * sizeof(float));
      FloatVector v;
      v.values.resize(n);
      if (n) std::memcpy(v.values.data(), raw.data(), raw.size());
      return Value::vector(std::move(v));
    }
  }
  throw_internal("corrupt row: unknown value tag " + std::to_string(tag));
}

std::string encode_row(const Row& row) {
  std::string out;
  put_varint(out, row.fields.size());
  uint32_t previous = 0;
  for (const auto& [id, value] : row.fields) {
    put_varint(out, id - previous);  // ids ascend, so deltas stay small
    previous = id;
    encode_value(out, value);
  }
  return out;
}

Row decode_row(std::string_view bytes) {
  ByteReader in(bytes);
  uint64_t n = in.varint();
  if (n > bytes.size()) throw_internal("corrupt row: field count");
  Row row;
  row.fields.reserve(n);
  uint64_t id = 0;
  for (uint64_t i = 0; i < n; ++i) {
    id += in.varint();
    if (id > UINT32_MAX) throw_internal("corrupt row: property id");
    row.fields.emplace_back(static_cast<uint32_t>(id), decode_value(in));
  }
  if (!in.done()) throw_internal("corrupt row: trailing bytes");
  return row;
}

void append_sort_key(std::string& out, const Value& value) {
  out.push_back(static_cast<char>(value.kind()));
  switch (value.kind()) {
    case Value::Kind::kNull: break;
    case Value::Kind::kBool: out.push_back(value.as_bool() ? 1 : 0); break;
    case Value::Kind::kInt:
      put_big_endian64(out, static_cast<uint64_t>(value.as_int()) ^ (1ull << 63));
      break;
    case Value::Kind::kUInt: put_big_endian64(out, value.as_uint()); break;
    case Value::Kind::kFloat: put_big_endian64(out, orderable_double(value.as_float())); break;
    case Value::Kind::kDate:
      put_big_endian64(out, static_cast<uint64_t>(int64_t{value.as_date().days}) ^ (1ull << 63));
      break;
    case Value::Kind::kDateTime:
      put_big_endian64(out, static_cast<uint64_t>(value.as_datetime().millis) ^ (1ull << 63));
      break;
    case Value::Kind::kString:
    case Value::Kind::kBlob: {
      // 0x00 is escaped as 0x00 0xFF and the end marked by 0x00 0x01, so a
      // prefix sorts before its extensions and the key stays self-delimiting.
      const std::string& s =
          value.kind() == Value::Kind::kString ? value.as_string() : value.as_blob().data;
      for (char c : s) {
        out.push_back(c);
        if (c == '\0') out.push_back(static_cast<char>(0xff));
      }
      out.push_back('\0');
      out.push_back('\1');
      break;
    }
    case Value::Kind::kList:
      for (const Value& element : value.as_list()) {
        out.push_back('\1');  // "another element follows" sorts after the end mark
        append_sort_key(out, element);
      }
      out.push_back('\0');
      break;
    case Value::Kind::kVector:
      for (float f : value.as_vector().values) put_big_endian64(out, orderable_double(f));
      break;
  }
}

std::string encode_sort_key(const Value& value) {
  std::string out;
  append_sort_key(out, value);
  return out;
}

}  // namespace omnigraph::engine
