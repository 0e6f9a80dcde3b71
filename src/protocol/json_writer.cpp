#include "protocol/json_writer.hpp"

#include "protocol/json_indent.hpp"

#include <charconv>

namespace protocol {

namespace {
constexpr char kHex[] = "0123456789abcdef";

void append_u_escape(std::string& out, unsigned code) {
  char buf[6] = {
      '\\',           'u', kHex[(code >> 12) & 15], kHex[(code >> 8) & 15], kHex[(code >> 4) & 15],
      kHex[code & 15]};
  out.append(buf, 6);
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  size_t run = 0;  // start of the current run of bytes that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const char* esc = nullptr;
    unsigned code = 0;
    size_t skip = 1;
    if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != 0xE2) {
      continue;
    }
    switch (c) {
      case '"':
        esc = "\\\"";
        break;
      case '\\':
        esc = "\\\\";
        break;
      case '\n':
        esc = "\\n";
        break;
      case '\r':
        esc = "\\r";
        break;
      case '\t':
        esc = "\\t";
        break;
      case 0xE2:
        // U+2028 and U+2029 (E2 80 A8/A9) break JavaScript string literals.
        if (i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
          code = 0x2028 + (static_cast<unsigned char>(s[i + 2]) - 0xA8);
          skip = 3;
          break;
        }
        continue;
      default:
        code = c;
        break;  // other control characters and < > &
    }
    out.append(s.data() + run, i - run);
    if (esc)
      out.append(esc);
    else
      append_u_escape(out, code);
    i += skip - 1;
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void JsonWriter::newline() {
  out_.push_back('\n');
  out_.append(static_cast<size_t>(depth_) * 2, ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    if (!first_) out_.push_back(',');
    if (pretty_) newline();
  }
  first_ = false;
}

JsonWriter& JsonWriter::open(char c) {
  before_value();
  out_.push_back(c);
  ++depth_;
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::close(char c) {
  --depth_;
  if (pretty_ && !first_) newline();
  out_.push_back(c);
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  before_value();
  append_json_string(out_, k);
  out_.append(pretty_ ? ": " : ":");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view v) {
  before_value();
  append_json_string(out_, v);
  return *this;
}

JsonWriter& JsonWriter::integer(int64_t v) {
  before_value();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool v) {
  before_value();
  out_.append(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  if (pretty_) {
    append_indented(out_, json, depth_);
  } else {
    out_.append(json);
  }
  return *this;
}

}  // namespace protocol
