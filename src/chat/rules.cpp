#include "chat/rules.hpp"

namespace chat {

EffectiveRules rules_for(const config::Settings& s, const Connection& c) {
  EffectiveRules r;
  for (const auto& rule : s.moderation_rules) {
    if (rule.username != c.username) continue;
    r.camera_always_nsfw |= rule.camera_always_nsfw;
    r.no_broadcast |= rule.no_broadcast;
    r.no_video |= rule.no_video;
    r.no_image |= rule.no_image;
    r.no_dark_video |= rule.no_dark_video;
  }
  if (c.claims) {
    const auto& cl = *c.claims;
    r.camera_always_nsfw |= cl.has_rule("redcam");
    r.no_video |= cl.has_rule("novideo");
    r.no_broadcast |= cl.has_rule("novideo") || cl.has_rule("nobroadcast");
    r.no_image |= cl.has_rule("noimage");
    r.no_dark_video |= cl.has_rule("nodvd");
  }
  return r;
}

}  // namespace chat
