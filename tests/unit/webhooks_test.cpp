// The webhook bodies and the reading of the profile webhook's answer. The
// posting itself is tested end to end against a real HTTP receiver
// (tests/e2e/webhooks.test.mjs).
#include <gtest/gtest.h>

#include "hooks/profile_answer.hpp"
#include "hooks/webhook_bodies.hpp"

TEST(WebhookBodies, ReportIsCompactInTheOriginalsOrderWithGoEscaping) {
  chat::Report r{.from_username = "alice",
                 .about_username = "bob",
                 .channel = "@bob",
                 .timestamp = "2026-12-03T10:00:00Z",
                 .reason = "spam",
                 .message = "<p>a & b</p>\n\"quoted\"",
                 .comment = "é"};
  EXPECT_EQ(hooks::report_body("key<1>", r),
            R"({"Action":"report","APIKey":"key\u003c1\u003e","Report":{"FromUsername":"alice",)"
            R"("AboutUsername":"bob","Channel":"@bob","Timestamp":"2026-12-03T10:00:00Z",)"
            R"("Reason":"spam","Message":"\u003cp\u003ea \u0026 b\u003c/p\u003e\n\"quoted\"",)"
            R"("Comment":"é"}})");
}

TEST(WebhookBodies, Profile) {
  EXPECT_EQ(hooks::profile_body("k", "bob"),
            R"({"Action":"profile","APIKey":"k","Username":"bob"})");
}

namespace {
hooks::ProfileAnswer answer(std::string body, long status = 200) {
  return hooks::read_profile_answer({.status = status, .body = std::move(body)});
}
}  // namespace

TEST(ProfileAnswer, DataIsReencodedWithOnlyTheKnownKeys) {
  auto a = answer(R"({"statuscode":200,"data":{"ok":true,"headline":"Hi","Extra":1,)"
                  R"("profileFields":[{"name":"Age","value":"30yo","x":2}]}})");
  EXPECT_TRUE(a.ok);
  EXPECT_EQ(a.body,
            "{\n  \"OK\": true,\n  \"Headline\": \"Hi\",\n  \"ProfileFields\": [\n    {\n"
            "      \"Name\": \"Age\",\n      \"Value\": \"30yo\"\n    }\n  ]\n}");
}

TEST(ProfileAnswer, EmptyKeysAreLeftOut) {
  auto a = answer(R"({"StatusCode":200,"Data":{"OK":true}})");
  EXPECT_TRUE(a.ok);
  EXPECT_EQ(a.body, "{\n  \"OK\": true\n}");
}

TEST(ProfileAnswer, TheStatusCodeFieldDecidesNotTheHttpStatus) {
  EXPECT_TRUE(answer(R"({"StatusCode":200,"Data":{"OK":true}})", 500).ok);
  auto a = answer(R"({"StatusCode":404,"Data":{"OK":false,"Error":"no such user"}})");
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.body, "{\n  \"OK\": false,\n  \"Error\": \"no such user\"\n}");
  EXPECT_FALSE(answer(R"({"StatusCode":200,"Data":{"OK":true,"Error":"oops"}})").ok);
}

TEST(ProfileAnswer, UnreadableAnswersSayWhy) {
  const std::string prefix =
      "{\n  \"OK\": false,\n  \"Error\": \"Didn't get expected response for profile data: ";
  EXPECT_EQ(answer("").body, prefix + "unexpected end of JSON input\"\n}");
  EXPECT_EQ(answer(" \n").body, prefix + "unexpected end of JSON input\"\n}");
  EXPECT_TRUE(answer("<html>").body.starts_with(prefix));
  EXPECT_FALSE(answer("<html>").ok);
  EXPECT_FALSE(answer("[1,2]").ok);
  EXPECT_EQ(answer(R"({"StatusCode":"200"})").body,
            prefix + "\\\"StatusCode\\\" must be an integer\"\n}");
  EXPECT_FALSE(answer(R"({"StatusCode":200,"Data":{"ProfileFields":{}}})").ok);
  EXPECT_FALSE(answer(R"({"StatusCode":200,"Data":{"ProfileFields":[{"Name":3}]}})").ok);
  // No answer at all (unreachable, too slow, too large): the original's text.
  auto unreachable = hooks::read_profile_answer({.error = "Couldn't connect to server"});
  EXPECT_EQ(unreachable.body, prefix + "unexpected end of JSON input\"\n}");
  EXPECT_FALSE(unreachable.ok);
  EXPECT_EQ(hooks::no_profile_answer().body, prefix + "unexpected end of JSON input\"\n}");
}
