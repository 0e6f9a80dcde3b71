// Chat text to safe HTML: GitHub-flavoured Markdown (tables, strikethrough,
// autolinks, task lists; a single newline is a soft break, as in the
// original), then an allow-list over the syntax tree: simple formatting tags
// a user types (<b>, <i>, <br>...) are kept, any other raw HTML is shown as
// text, links and images keep only http(s)/mailto/relative URLs, and links
// get rel="nofollow".
#pragma once

#include <string>
#include <string_view>

namespace render {

// The HTML, trimmed; empty when nothing visible is left.
std::string markdown_to_html(std::string_view text);

namespace detail {
// The same through the Markdown parser every time, without the shortcut for
// plain text (for tests that compare the two).
std::string markdown_to_html_parsed(std::string_view text);
}  // namespace detail

}  // namespace render
