// What /api/profile answers, from the website's answer to the `profile`
// webhook (webhooks.md §3): the `Data` object re-encoded with only the keys
// the chat page uses, and 500 when the website says it failed or the answer
// cannot be read.
#pragma once

#include <string>

#include "hooks/webhook_client.hpp"

namespace hooks {

struct ProfileAnswer {
  bool ok = false;   // 200 when true, else 500
  std::string body;  // JSON, 2-space indented like the other API bodies
};

ProfileAnswer read_profile_answer(const WebhookResponse& response);
// What the original answers when the webhook is not enabled.
ProfileAnswer no_profile_answer();

}  // namespace hooks
