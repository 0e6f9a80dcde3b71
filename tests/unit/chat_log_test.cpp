// [Logging]: which messages are logged, to which file, with which line.
#include "chat/chat_log.hpp"
#include "room_harness.hpp"
#include "util/local_time.hpp"

using test::RoomHarness;

namespace {

std::string say(const std::string& channel, const std::string& text) {
  return R"({"action":"message","channel":")" + channel + R"(","message":")" + text + R"("})";
}

config::Settings logging(std::vector<std::string> users) {
  auto s = RoomHarness::make_settings();
  s.logging.enabled = true;
  s.logging.directory = "/var/chat";
  s.logging.channels = {"lobby"};
  s.logging.usernames = std::move(users);
  config::MessageFilter f;
  f.enabled = true;
  f.keyword_phrases = {"darn"};
  s.message_filters = {f};
  return s;
}

struct Logged : RoomHarness {
  explicit Logged(std::vector<std::string> users = {}) : RoomHarness(logging(std::move(users))) {
    join(1, "alice");
    join(2, "bob");
  }
  std::vector<chat::LogLine> lines;
  void act(chat::ConnId id, const std::string& json) {
    send(id, json);
    for (const auto& l : last_output().log_lines) lines.push_back(l);
  }
  std::string line(const std::string& who, const std::string& text) {
    return util::rfc3339_local(now_ms() / 1000) + " [" + who + "] " + text + "\n";
  }
};

}  // namespace

TEST(ChatLog, PathComponentsCannotLeaveTheDirectory) {
  EXPECT_EQ(chat::log_path_component("alice"), "alice");
  EXPECT_EQ(chat::log_path_component("Bob Smith 2"), "Bob Smith 2");
  EXPECT_EQ(chat::log_path_component("../../etc/passwd"), "%2E.%2F..%2Fetc%2Fpasswd");
  EXPECT_EQ(chat::log_path_component(".."), "%2E.");
  EXPECT_EQ(chat::log_path_component("a\\b%c\nd"), "a%5Cb%25c%0Ad");
  EXPECT_EQ(chat::log_path_component("é"), "é");
}

TEST(ChatLog, ListedChannelsGetTheRawTextOfWhatIsBroadcast) {
  Logged h;
  h.act(1, say("lobby", "hello *world*"));
  h.act(1, say("offtopic", "not listed"));
  h.act(1, say("lobby", "oh darn"));  // stopped by a filter: not logged
  ASSERT_EQ(h.lines.size(), 1u);
  EXPECT_EQ(h.lines[0].path, "/var/chat/lobby.txt");
  EXPECT_EQ(h.lines[0].text, h.line("alice", "hello *world*"));
}

TEST(ChatLog, OperatorCommandsAreNotLogged) {
  Logged h;
  auto op = test::claims_for("op");
  op.op = true;
  h.join_jwt(3, op);
  h.act(3, say("lobby", "/help"));
  EXPECT_TRUE(h.lines.empty());
}

TEST(ChatLog, AMonitoredUsersDeliveredDmsGoToTheirFolder) {
  Logged h({"alice", "bob"});
  h.act(1, say("@bob", "psst"));
  ASSERT_EQ(h.lines.size(), 2u);
  EXPECT_EQ(h.lines[0].path, "/var/chat/@alice/bob.txt");
  EXPECT_EQ(h.lines[1].path, "/var/chat/@bob/alice.txt");
  EXPECT_EQ(h.lines[0].text, h.line("alice", "psst"));
  EXPECT_EQ(h.lines[1].text, h.lines[0].text);
  h.lines.clear();
  h.act(2, R"({"action":"mute","username":"alice"})");
  h.act(1, say("@bob", "muted: not delivered, not logged"));
  EXPECT_TRUE(h.lines.empty());
}

TEST(ChatLog, NothingWhenLoggingIsOff) {
  auto s = logging({"alice"});
  s.logging.enabled = false;
  RoomHarness h(s);
  h.join(1, "alice");
  h.join(2, "bob");
  h.send(1, say("lobby", "hi"));
  EXPECT_TRUE(h.last_output().log_lines.empty());
  h.send(1, say("@bob", "hi"));
  EXPECT_TRUE(h.last_output().log_lines.empty());
}
