// Indents compact JSON the way the original's HTTP responses are written
// (2 spaces, `"key": value`, `{}` and `[]` when empty), copying strings byte
// for byte so that their escapes stay exactly as they were encoded.
#pragma once

#include <string>
#include <string_view>

namespace protocol {

// Appends `compact` (valid JSON without whitespace, as our writer makes it)
// indented as a value nested `depth` levels deep.
void append_indented(std::string& out, std::string_view compact, int depth);

}  // namespace protocol
