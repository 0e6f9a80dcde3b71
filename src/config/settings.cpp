#include "config/settings.hpp"

#include <cstdio>
#include <random>

namespace config {

const Channel* Settings::find_channel(std::string_view id) const {
  for (const auto& c : public_channels) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const WebhookUrl* Settings::enabled_webhook(std::string_view name) const {
  for (const auto& w : webhook_urls) {
    if (w.name == name) return w.enabled ? &w : nullptr;
  }
  return nullptr;
}

namespace {

std::vector<Channel> default_channels() {
  Channel lobby{.id = "lobby",
                .name = "Lobby",
                .welcome_messages = {"Welcome to the chat server!",
                                     "Please follow the basic rules:\n\n1. Have fun\n2. Be kind"},
                .echo_messages_on_join = 10};
  Channel offtopic{.id = "offtopic",
                   .name = "Off Topic",
                   .permit_photos = true,
                   .welcome_messages = {"Welcome to the Off Topic channel!"}};
  Channel vip{.id = "vip",
              .name = "VIPs Only",
              .vip = true,
              .permit_photos = true,
              .welcome_messages = {"This channel is only for operators and VIPs."}};
  return {lobby, offtopic, vip};
}

Strings default_strings() {
  const std::string restricts =
      "A chat server moderation rule is currently in place which restricts your ability to ";
  const std::string contact = " Please contact a chat operator for more information.";
  return {
      .mod_rule_error_camera_always_nsfw =
          "A chat server moderation rule is currently in place which forces your camera to stay "
          "marked as Explicit. Please contact a chat moderator if you have any questions about "
          "this.",
      .mod_rule_error_no_broadcast = restricts + "share your webcam." + contact,
      .mod_rule_error_no_video = restricts + "watch webcams." + contact,
      .mod_rule_error_no_image = restricts + "share images." + contact,
  };
}

}  // namespace

Settings default_settings(std::string admin_api_key) {
  Settings s;
  s.admin_api_key = std::move(admin_api_key);
  s.public_channels = default_channels();
  s.webhook_urls = {{.name = "report", .url = "https://example.com/barertc/report"},
                    {.name = "profile", .url = "https://example.com/barertc/user-profile"}};
  s.message_filters = {
      MessageFilter{.keyword_phrases = {R"(\bswear words\b)", R"(\b(swearing|cursing)\b)",
                                        R"(suck my ([^\s]+))"}}};
  s.moderation_rules = {ModerationRule{.username = "example"}};
  s.direct_message_history.disclaimer_message =
      R"(<i class="fa fa-info-circle mr-1"></i> <strong>Reminder:</strong> please conduct yourself honorably in DMs.)";
  s.strings = default_strings();
  return s;
}

std::string random_uuid() {
  std::random_device rd;
  std::uniform_int_distribution<unsigned> byte(0, 255);
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(byte(rd));
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

}  // namespace config
