// Pictures (`file`, images.md): the room checks who may post what where,
// hands the bytes to the picture worker, and posts the result when it comes
// back as a PictureReady event. Pictures skip the message filters, the echo
// buffer, the logs and the DM history, as in the original.
#include "chat/room.hpp"
#include "chat/rules.hpp"
#include "chat/texts.hpp"
#include "media/picture.hpp"

namespace chat {
namespace {

// A user's pictures being processed at once: more wait for these.
constexpr int kMaxPendingPictures = 2;

}  // namespace

void Room::on_file(Connection& c, const Inbound& in) {
  const auto& channel = in.msg.channel;
  if (rules_for(*settings_, c).no_image) {
    return notice(c.id, settings_->strings.mod_rule_error_no_image);
  }
  const auto mime = media::picture_mime(in.msg.message);
  if (mime.empty()) return notice(c.id, text::kUnsupportedImage);
  if (!channel.starts_with('@')) {
    if (auto refused = channel_refusal(c, channel, true)) return notice(c.id, *refused);
  } else if (!user(std::string_view(channel).substr(1))) {
    return notice(c.id, undeliverable(channel));  // the original crashed here
  }
  if (c.pictures_pending >= kMaxPendingPictures) return notice(c.id, text::kPicturesPending);
  ++c.pictures_pending;
  out_.pictures.push_back({.conn = c.id,
                           .channel = channel,
                           .mime = mime,
                           .bytes = in.picture,
                           .max_width = settings_->max_image_width,
                           .preview_width = settings_->preview_image_width});
}

void Room::on(const PictureReady& e) {
  auto it = conns_.find(e.conn);
  if (it == conns_.end()) return;
  auto& c = it->second;
  if (c.pictures_pending > 0) --c.pictures_pending;
  if (!c.authenticated) return;  // kicked meanwhile
  if (!e.error.empty()) return notice(c.id, e.error);
  if (e.channel.starts_with('@')) return post_direct(c, e.channel.substr(1), e.html, std::nullopt);
  if (auto refused = channel_refusal(c, e.channel, true)) return notice(c.id, *refused);
  post_public(c, e.channel, e.html, std::nullopt);
}

}  // namespace chat
