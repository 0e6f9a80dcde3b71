#include "render/youtube.hpp"

#include <re2/re2.h>

namespace render {

std::string youtube_embed(std::string_view html) {
  static const RE2 link(
      R"((?:youtube(?:-nocookie)?\.com/(?:[^/\n\s]+/\S+/|(?:v|e(?:mbed)?)/|\S*?[?&]v=)|youtu\.be/)([^"&?/\s]{11}))");
  static const RE2 valid_id(R"([0-9A-Za-z_-]{10}[048AEIMQUYcgkosw])");
  // Both forms hold "youtu": most messages are ruled out without the regex.
  if (html.find("youtu") == html.npos) return {};
  std::string id;
  if (!RE2::PartialMatch(html, link, &id) || !RE2::PartialMatch(id, valid_id)) return {};
  return R"(<iframe class="youtube-embed" width="560" height="315" src="https://www.youtube.com/embed/)" +
         id +
         R"(" title="YouTube video player" frameborder="0" allow="autoplay; encrypted-media; picture-in-picture; web-share" allowfullscreen></iframe>)";
}

}  // namespace render
