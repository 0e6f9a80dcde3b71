// A user's effective moderation rules: the [[ModerationRule]] entry for their
// name, OR'ed with the `rules` claim of their JWT. Computed fresh on each use,
// never merged into the settings (the original leaked JWT rules that way).
#pragma once

#include "chat/connection.hpp"
#include "config/settings.hpp"

namespace chat {

struct EffectiveRules {
  bool camera_always_nsfw = false;
  bool no_broadcast = false;
  bool no_video = false;
  bool no_image = false;
  bool no_dark_video = false;
};

EffectiveRules rules_for(const config::Settings& s, const Connection& c);

}  // namespace chat
