// A small append-only JSON writer with the original server's string escaping:
// `<`, `>`, `&`, U+2028 and U+2029 become \u escapes, so a frame can be put
// inside HTML and is byte-identical to what the original sends. Compact by
// default; `pretty` gives the 2-space indentation of the HTTP API bodies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace protocol {

// Appends `s` as a quoted JSON string to `out`.
void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, bool pretty = false) : out_(out), pretty_(pretty) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& key(std::string_view k);
  JsonWriter& string(std::string_view v);
  JsonWriter& integer(int64_t v);
  JsonWriter& boolean(bool v);
  // Inserts already-serialized compact JSON as one value (indented to fit,
  // when pretty).
  JsonWriter& raw(std::string_view json);

  // Key/value helpers.
  JsonWriter& field(std::string_view k, std::string_view v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, const char* v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, int64_t v) { return key(k).integer(v); }
  JsonWriter& field(std::string_view k, int v) { return key(k).integer(v); }
  JsonWriter& field(std::string_view k, bool v) { return key(k).boolean(v); }

  std::string& out() { return out_; }

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void before_value();
  void newline();

  std::string& out_;
  bool pretty_;
  int depth_ = 0;
  bool first_ = true;       // no element written yet at the current depth
  bool after_key_ = false;  // a key was written; its value comes next
};

}  // namespace protocol
