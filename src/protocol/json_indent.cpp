#include "protocol/json_indent.hpp"

namespace protocol {
namespace {

void newline(std::string& out, int depth) {
  out.push_back('\n');
  out.append(static_cast<size_t>(depth) * 2, ' ');
}

// The length of the string literal starting at `json[i]` (a quote).
size_t string_length(std::string_view json, size_t i) {
  size_t j = i + 1;
  while (j < json.size() && json[j] != '"') j += json[j] == '\\' ? 2 : 1;
  return std::min(j + 1, json.size()) - i;
}

}  // namespace

void append_indented(std::string& out, std::string_view json, int depth) {
  out.reserve(out.size() + json.size() * 5 / 4);
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    switch (c) {
      case '"': {
        const size_t n = string_length(json, i);
        out.append(json.substr(i, n));
        i += n - 1;
        break;
      }
      case '{':
      case '[':
        out.push_back(c);
        if (i + 1 < json.size() && (json[i + 1] == '}' || json[i + 1] == ']')) {
          out.push_back(json[++i]);
        } else {
          newline(out, ++depth);
        }
        break;
      case '}':
      case ']':
        newline(out, --depth);
        out.push_back(c);
        break;
      case ',':
        out.push_back(',');
        newline(out, depth);
        break;
      case ':':
        out.append(": ");
        break;
      default:
        out.push_back(c);
    }
  }
}

}  // namespace protocol
