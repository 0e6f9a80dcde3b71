// Reports for the website's webhook: the `report` action, and the automatic
// reports of the message filters, the DM link-spam protection and /nsfw.
#include "room_harness.hpp"
#include "util/local_time.hpp"

using test::RoomHarness;

namespace {

const std::string kNoContext = "(No recent message history in this channel)";

std::string say(const std::string& channel, const std::string& text) {
  return R"({"action":"message","channel":")" + channel + R"(","message":")" + text + R"("})";
}

std::string report(const std::string& channel, const std::string& about) {
  return R"({"action":"report","channel":")" + channel + R"(","username":")" + about +
         R"(","timestamp":"Tue Dec 01 2026","reason":"spam","message":"<p>buy now</p>",)"
         R"("comment":"please look"})";
}

config::Settings with_webhook(bool enabled) {
  auto s = RoomHarness::make_settings();
  s.webhook_urls = {{.name = "report", .enabled = enabled, .url = "http://127.0.0.1:1/r"}};
  return s;
}

// alice (1), bob (2) and an operator "op" (3).
struct Reports : RoomHarness {
  explicit Reports(config::Settings s = with_webhook(true)) : RoomHarness(std::move(s)) {
    join(1, "alice");
    join(2, "bob");
    auto op = test::claims_for("op");
    op.op = true;
    join_jwt(3, op);
  }
  std::string notice(chat::ConnId id) {
    auto doc = protocol::parse_json(test::last_of(got(id), "error"));
    return doc && doc->HasMember("message") ? (*doc)["message"].GetString() : "";
  }
  std::string line(const std::string& who, const std::string& text) {
    return util::datetime_local(now_ms() / 1000) + " [" + who + "] " + text;
  }
};

}  // namespace

TEST(RoomReports, AUserReportIsSentAsWrittenAndAnsweredWhenDelivered) {
  Reports h;
  h.send(1, report("lobby", "bob"));
  auto reports = h.take_reports();
  ASSERT_EQ(reports.size(), 1u);
  const auto& r = reports[0];
  EXPECT_EQ(r.from_username, "alice");
  EXPECT_EQ(r.about_username, "bob");
  EXPECT_EQ(r.channel, "lobby");
  EXPECT_EQ(r.timestamp, "Tue Dec 01 2026");  // the client's, verbatim
  EXPECT_EQ(r.reason, "spam");
  EXPECT_EQ(r.message, "<p>buy now</p>");  // no context for a channel
  EXPECT_EQ(r.comment, "please look");
  ASSERT_TRUE(r.reporter.has_value());
  EXPECT_EQ(*r.reporter, 1u);
  EXPECT_EQ(h.notice(1), "");  // nothing until the website answers

  h.apply(chat::ReportSent{1, ""});
  EXPECT_EQ(h.notice(1), "Your report has been delivered successfully.");
  h.apply(chat::ReportSent{1, "Timeout was reached"});
  EXPECT_EQ(h.notice(1), "Error sending the report to the website: Timeout was reached");
  EXPECT_EQ(h.got(2).size(), 0u);  // the reported user learns nothing
}

TEST(RoomReports, WithTheWebhookOffTheUserIsToldAndNothingIsSent) {
  Reports h(with_webhook(false));
  h.send(1, report("lobby", "bob"));
  EXPECT_TRUE(h.take_reports().empty());
  EXPECT_EQ(h.notice(1),
            "Unfortunately, the report webhook is not enabled so your report could not be "
            "received!");
}

TEST(RoomReports, ADmReportCarriesTheConversationOfTheTwo) {
  Reports h;
  h.send(1, report("@bob", "bob"));
  EXPECT_EQ(h.take_reports().at(0).message,
            "<p>buy now</p>\n\nRecent message context:\n\n" + kNoContext);

  h.send(2, say("@alice", "  want a deal? "));
  h.send(1, say("@bob", "no"));
  h.send(1, say("lobby", "public words"));  // another conversation
  h.send(3, say("@bob", "op to bob"));      // another DM
  h.send(1, report("@bob", "bob"));
  EXPECT_EQ(h.take_reports().at(0).message, "<p>buy now</p>\n\nRecent message context:\n\n" +
                                                h.line("bob", "want a deal?") + "\n\n" +
                                                h.line("alice", "no"));
}

TEST(RoomReports, OneUserCannotFillTheQueue) {
  Reports h;
  for (int i = 0; i < 3; ++i) h.send(1, report("lobby", "bob"));
  EXPECT_EQ(h.take_reports().size(), 3u);
  h.send(1, report("lobby", "bob"));
  EXPECT_TRUE(h.take_reports().empty());
  EXPECT_EQ(h.notice(1), "Please wait: your earlier reports are still being sent to the website.");
  h.send(2, report("lobby", "alice"));  // others are not held up
  EXPECT_EQ(h.take_reports().size(), 1u);
  h.apply(chat::ReportSent{1, ""});
  h.send(1, report("lobby", "bob"));
  EXPECT_EQ(h.take_reports().size(), 1u);
}

TEST(RoomReports, HugeFieldsAreCutWithoutBreakingACharacter) {
  Reports h;
  const std::string huge = "é" + std::string(100'000, 'x');
  h.send(1, R"({"action":"report","channel":"lobby","username":"bob","reason":")" + huge +
                R"(","message":")" + huge + R"(","comment":")" + huge + R"("})");
  auto reports = h.take_reports();
  ASSERT_EQ(reports.size(), 1u);
  for (const auto* field : {&reports[0].reason, &reports[0].message, &reports[0].comment}) {
    EXPECT_EQ(field->size(), 65536u);
    EXPECT_EQ(*field, huge.substr(0, 65536));
  }
  h.send(2, R"({"action":"report","channel":"lobby","username":"alice","message":")" +
                std::string(65535, 'y') + "é" + R"("})");
  EXPECT_EQ(h.take_reports().at(0).message, std::string(65535, 'y'));  // é left out whole
}

TEST(RoomReports, AnAnswerForAConnectionThatLeftIsDropped) {
  Reports h;
  h.send(1, report("lobby", "bob"));
  h.disconnect(1);
  h.clear();
  h.apply(chat::ReportSent{1, ""});
  EXPECT_TRUE(h.last_output().deliveries.empty());
}

TEST(RoomReports, ReportingNeedsALogin) {
  Reports h;
  h.connect(9);
  h.send(9, report("lobby", "bob"));
  EXPECT_TRUE(h.take_reports().empty());
  EXPECT_EQ(h.notice(9), "You must log in first.");
}

namespace {
config::Settings with_report_filter(bool webhook) {
  auto s = with_webhook(webhook);
  config::MessageFilter f;
  f.enabled = true;
  f.public_channels = f.private_channels = true;
  f.keyword_phrases = {"darn"};
  f.report_message = true;
  s.message_filters = {f};
  return s;
}
}  // namespace

TEST(RoomReports, AFilterReportsTheSenderWithTheRecentContext) {
  Reports h(with_report_filter(true));
  h.send(2, say("lobby", "hello all"));
  h.send(1, say("lobby", "oh darn"));
  auto reports = h.take_reports();
  ASSERT_EQ(reports.size(), 1u);
  const auto& r = reports[0];
  EXPECT_EQ(r.from_username, "alice");
  EXPECT_EQ(r.about_username, "alice");
  EXPECT_EQ(r.channel, "lobby");
  EXPECT_EQ(r.timestamp, util::rfc1123_local(h.now_ms() / 1000));
  EXPECT_EQ(r.reason, "Server Side Message Filter");
  EXPECT_EQ(r.message, "oh darn");  // the raw text
  EXPECT_EQ(r.comment,
            "This is an automated report via server side chat filters.\n\nThe recent context in "
            "this channel included the following conversation:\n\n" +
                h.line("bob", "hello all") + "\n\n" + h.line("alice", "oh darn"));
  EXPECT_FALSE(r.reporter.has_value());

  h.send(1, say("@bob", "darn you"));  // a DM: the DM's channel and context
  reports = h.take_reports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].channel, "@bob");
  EXPECT_TRUE(reports[0].comment.ends_with("\n\n" + h.line("alice", "darn you")));

  h.send(3, say("lobby", "darn"));  // an operator is only told
  EXPECT_TRUE(h.take_reports().empty());
  EXPECT_EQ(h.notice(3), "Your recent chat context would have been reported to your main website.");
}

TEST(RoomReports, AUserWhoKeepsTrippingAFilterIsReportedAFewTimes) {
  Reports h(with_report_filter(true));
  for (int i = 0; i < 20; ++i) h.send(1, say("lobby", "darn " + std::to_string(i)));
  EXPECT_EQ(h.take_reports().size(), 5u);
  h.advance(10'000);
  h.send(1, say("lobby", "darn again"));
  EXPECT_EQ(h.take_reports().size(), 1u);
  h.send(2, say("lobby", "darn it"));  // somebody else is reported
  EXPECT_EQ(h.take_reports().size(), 1u);
}

TEST(RoomReports, AFilterReportIsSkippedWhenTheWebhookIsOff) {
  Reports h(with_report_filter(false));
  h.send(1, say("lobby", "oh darn"));
  EXPECT_TRUE(h.take_reports().empty());
}

TEST(RoomReports, LinkSpamReportsTheKickThenTheBan) {
  Reports h;
  for (int i = 0; i < 6; ++i) h.join(10 + i, "u" + std::to_string(i));
  for (int i = 0; i < 5; ++i) h.send(2, say("@u" + std::to_string(i), "see spam.com/x"));
  EXPECT_TRUE(h.take_reports().empty());
  h.send(2, say("@u5", "see spam.com/x"));
  auto reports = h.take_reports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].from_username, "bob");
  EXPECT_EQ(reports[0].about_username, "bob");
  EXPECT_EQ(reports[0].channel, "@u5");
  EXPECT_EQ(reports[0].timestamp, util::rfc3339_local(h.now_ms() / 1000));
  EXPECT_EQ(reports[0].reason, "Spam Detected");
  EXPECT_EQ(reports[0].message, "_In a DM to:_ @u5<br>[bob] see spam.com/x");
  EXPECT_EQ(reports[0].comment, "The user was **kicked** from the room with a warning.");

  h.join(2, "bob");
  h.send(2, say("@alice", "spam.com/x"));
  reports = h.take_reports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].comment, "The user was **banned** from chat.");
}

TEST(RoomReports, NsfwCommandIsReported) {
  Reports h;
  h.send(1, R"({"action":"me","video":1})");
  h.send(3, say("lobby", "/nsfw alice"));
  auto reports = h.take_reports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].from_username, "op");
  EXPECT_EQ(reports[0].about_username, "alice");
  EXPECT_EQ(reports[0].channel, "n/a");
  EXPECT_EQ(reports[0].reason, "NSFW Command Issued");
  EXPECT_EQ(reports[0].message, "An admin command was issued: @op marks @alice's camera as NSFW");
  EXPECT_EQ(reports[0].comment, "An admin has marked their webcam as explicit.");
  h.send(3, say("lobby", "/nsfw alice"));  // already marked: no report
  EXPECT_TRUE(h.take_reports().empty());
}
