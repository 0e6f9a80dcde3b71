// Turns a client's frame into an Inbound event payload, doing the work that
// needs no room state off the room's thread: JSON decoding, the JWT check of
// a `login`, Markdown rendering of a `message`.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "chat/event.hpp"
#include "config/settings.hpp"

namespace chat {

Inbound prepare_inbound(std::string_view json, const config::Settings& settings, int64_t now_s);
// The same for a message already decoded (or the error of decoding it).
Inbound prepare_inbound(std::expected<protocol::ClientMessage, std::string> msg,
                        const config::Settings& settings, int64_t now_s);

// The rendered HTML of a chat text, with its YouTube player if it links one.
std::string render_message(std::string_view text);

}  // namespace chat
