#include "render/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cctype>
#include <memory>
#include <mutex>
#include <vector>

#include "util/text.hpp"

namespace render {
namespace {

constexpr const char* kExtensions[] = {"autolink", "strikethrough", "table", "tasklist"};

bool allowed_inline_tag(std::string_view t) {
  static constexpr std::string_view kTags[] = {"b",      "i",    "u",    "s",   "em",
                                               "strong", "del",  "ins",  "sub", "sup",
                                               "small",  "mark", "code", "kbd", "br"};
  if (t.size() < 3 || t.front() != '<' || t.back() != '>') return false;
  t = t.substr(1, t.size() - 2);
  if (!t.empty() && t.front() == '/') t.remove_prefix(1);
  while (!t.empty() && (t.back() == '/' || t.back() == ' ')) t.remove_suffix(1);
  for (char c : t) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  const std::string name = util::to_lower(t);
  for (auto tag : kTags) {
    if (name == tag) return true;
  }
  return false;
}

// The URL's scheme is one we allow, or it has none (a relative URL).
bool safe_url(std::string_view url, bool image) {
  const auto colon = url.find(':');
  if (colon == url.npos) return true;
  const auto first_sep = url.find_first_of("/?#");
  if (first_sep != url.npos && first_sep < colon) return true;
  const std::string scheme = util::to_lower(url.substr(0, colon));
  if (scheme == "http" || scheme == "https") return true;
  return !image && scheme == "mailto";
}

cmark_node* text_node(const char* literal) {
  cmark_node* n = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(n, literal ? literal : "");
  return n;
}

// Puts `node`'s children in its place and removes it.
void unwrap(cmark_node* node) {
  while (cmark_node* child = cmark_node_first_child(node)) cmark_node_insert_before(node, child);
  cmark_node_free(node);
}

void sanitize(cmark_node* root) {
  std::vector<cmark_node*> nodes;
  cmark_iter* it = cmark_iter_new(root);
  for (auto ev = cmark_iter_next(it); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(it)) {
    if (ev == CMARK_EVENT_ENTER) nodes.push_back(cmark_iter_get_node(it));
  }
  cmark_iter_free(it);
  // Children come after their parents: walk backwards so that each change
  // happens before its parent can be moved or freed.
  for (auto i = nodes.rbegin(); i != nodes.rend(); ++i) {
    cmark_node* n = *i;
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_HTML_INLINE:
        if (!allowed_inline_tag(cmark_node_get_literal(n))) {
          cmark_node_insert_before(n, text_node(cmark_node_get_literal(n)));
          cmark_node_free(n);
        }
        break;
      case CMARK_NODE_HTML_BLOCK: {
        std::string literal = cmark_node_get_literal(n);
        while (!literal.empty() && (literal.back() == '\n' || literal.back() == '\r'))
          literal.pop_back();
        cmark_node* p = cmark_node_new(CMARK_NODE_PARAGRAPH);
        cmark_node_append_child(p, text_node(literal.c_str()));
        cmark_node_insert_before(n, p);
        cmark_node_free(n);
        break;
      }
      case CMARK_NODE_LINK:
        if (!safe_url(cmark_node_get_url(n), false)) unwrap(n);
        break;
      case CMARK_NODE_IMAGE:
        if (!safe_url(cmark_node_get_url(n), true)) unwrap(n);
        break;
      default:
        break;
    }
  }
}

std::string add_nofollow(std::string html) {
  static constexpr std::string_view kOpen = "<a href=\"";
  std::string out;
  out.reserve(html.size() + 32);
  size_t pos = 0;
  for (size_t at; (at = html.find(kOpen, pos)) != html.npos; pos = at + kOpen.size()) {
    out.append(html, pos, at - pos);
    out += "<a rel=\"nofollow\" href=\"";
  }
  out.append(html, pos);
  return out;
}

// Text that no Markdown rule, extension or HTML escape touches: ASCII
// letters, digits, spaces and a few punctuation marks, starting with a letter
// (no list or heading can start) and not ending with a space (nothing to
// trim), without "www." (an autolink). It renders as one paragraph of itself.
bool is_plain(std::string_view text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text.front())) ||
      text.back() == ' ' || text.find("www.") != text.npos) {
    return false;
  }
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != ' ' && c != ',' && c != '.' &&
        c != '?' && c != '!' && c != '\'' && c != ';') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string markdown_to_html(std::string_view text) {
  // Most chat lines are plain: this skips the parser, ~17,000 instructions.
  if (is_plain(text)) return "<p>" + std::string(text) + "</p>";
  return detail::markdown_to_html_parsed(text);
}

std::string detail::markdown_to_html_parsed(std::string_view text) {
  static std::once_flag registered;
  std::call_once(registered, cmark_gfm_core_extensions_ensure_registered);

  std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser(
      cmark_parser_new(CMARK_OPT_DEFAULT), cmark_parser_free);
  for (const char* name : kExtensions) {
    if (auto* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), text.data(), text.size());
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> doc(cmark_parser_finish(parser.get()),
                                                              cmark_node_free);
  sanitize(doc.get());
  // Every node left is vetted, so the renderer may emit it as it is. A single
  // newline stays a soft break (a newline in the paragraph), as in the original.
  char* raw = cmark_render_html(doc.get(), CMARK_OPT_UNSAFE,
                                cmark_parser_get_syntax_extensions(parser.get()));
  std::string html = raw;
  free(raw);
  const auto first = html.find_first_not_of(" \t\r\n");
  if (first == html.npos) return {};
  html = html.substr(first, html.find_last_not_of(" \t\r\n") - first + 1);
  return add_nofollow(std::move(html));
}

}  // namespace render
