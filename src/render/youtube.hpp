// The original appends a YouTube player after a message that links a video.
#pragma once

#include <string>
#include <string_view>

namespace render {

// The <iframe> for the first YouTube video linked in `html`, or "".
std::string youtube_embed(std::string_view html);

}  // namespace render
