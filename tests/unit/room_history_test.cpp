// What the room asks of the DM history database: which DMs to keep, which
// takebacks to delete, and how it waits for the database to decide a
// takeback of a DM from an earlier session.
#include "room_harness.hpp"

using test::RoomHarness;

namespace {

std::string say(const std::string& channel, const std::string& text) {
  return R"({"action":"message","channel":")" + channel + R"(","message":")" + text + R"("})";
}

std::string takeback(int64_t id) {
  return R"({"action":"takeback","msgID":)" + std::to_string(id) + "}";
}

int64_t msg_id_of(const std::string& frame) {
  auto doc = protocol::parse_json(frame);
  return doc && doc->HasMember("msgID") ? (*doc)["msgID"].GetInt64() : 0;
}

// alice (1), bob (2), an operator (3); history kept.
struct History : RoomHarness {
  History() {
    room().enable_history(0);
    join(1, "alice");
    join(2, "bob");
    auto op = test::claims_for("op");
    op.op = true;
    join_jwt(3, op);
  }
  std::vector<chat::HistoryWrite> writes;
  std::vector<chat::HistoryTakeback> takebacks;
  void send_and_collect(chat::ConnId id, const std::string& json) {
    send(id, json);
    for (const auto& w : last_output().history_writes) writes.push_back(w);
    for (const auto& t : last_output().history_takebacks) takebacks.push_back(t);
  }
};

}  // namespace

TEST(RoomHistory, ADeliveredDmIsKeptAsDelivered) {
  History h;
  h.send_and_collect(1, say("@bob", "hi *bob*"));
  ASSERT_EQ(h.writes.size(), 1u);
  const auto& w = h.writes[0];
  EXPECT_EQ(w.sender, "alice");
  EXPECT_EQ(w.recipient, "bob");
  EXPECT_EQ(w.html, "<p>hi <em>bob</em></p>");
  EXPECT_EQ(w.msg_id, msg_id_of(test::last_of(h.got(2), "message")));
  EXPECT_EQ(w.at_s, h.now_ms() / 1000);
}

TEST(RoomHistory, UndeliveredDmsAndPublicMessagesAreNotKept) {
  History h;
  h.send_and_collect(1, say("lobby", "public"));
  h.send_and_collect(1, say("@nobody", "offline"));
  h.send_and_collect(2, R"({"action":"mute","username":"alice"})");
  h.send_and_collect(1, say("@bob", "muted"));
  h.send_and_collect(1, R"({"action":"me","video":0})");
  EXPECT_TRUE(h.writes.empty());
}

TEST(RoomHistory, MessageIdsGoOnAboveTheStoredOnes) {
  RoomHarness h;
  const int64_t stored = test::kStartMs / 1000 + 1'000'000;  // a busy earlier run
  h.room().enable_history(stored);
  h.join(1, "alice");
  h.send(1, say("lobby", "hi"));
  EXPECT_EQ(msg_id_of(test::last_of(h.got(1), "message")), stored + 1);
}

TEST(RoomHistory, TakebackOfYourOwnDmDeletesItAsYours) {
  History h;
  h.send(1, say("@bob", "oops"));
  const auto id = msg_id_of(test::last_of(h.got(2), "message"));
  h.send_and_collect(1, takeback(id));
  ASSERT_EQ(h.takebacks.size(), 1u);
  EXPECT_EQ(h.takebacks[0].msg_id, id);
  EXPECT_EQ(h.takebacks[0].owner, "alice");
  EXPECT_FALSE(h.takebacks[0].answer_to.has_value());
  EXPECT_EQ(test::last_of(h.got(2), "takeback"),
            R"({"action":"takeback","msgID":)" + std::to_string(id) + "}");
}

TEST(RoomHistory, AnOperatorsTakebackDeletesWhoeverSentIt) {
  History h;
  h.send_and_collect(3, takeback(12345));
  ASSERT_EQ(h.takebacks.size(), 1u);
  EXPECT_EQ(h.takebacks[0].owner, "");
}

TEST(RoomHistory, AnEarlierSessionsDmWaitsForTheDatabase) {
  History h;
  h.send_and_collect(1, takeback(777));
  ASSERT_EQ(h.takebacks.size(), 1u);
  EXPECT_EQ(h.takebacks[0].owner, "alice");
  ASSERT_TRUE(h.takebacks[0].answer_to.has_value());
  EXPECT_EQ(*h.takebacks[0].answer_to, 1u);
  EXPECT_EQ(test::last_of(h.got(2), "takeback"), "");  // nothing yet

  h.apply(chat::TakebackChecked{1, 777, true});
  EXPECT_EQ(test::last_of(h.got(2), "takeback"), R"({"action":"takeback","msgID":777})");
  h.clear();
  h.apply(chat::TakebackChecked{1, 778, false});  // not hers
  EXPECT_EQ(test::last_of(h.got(2), "takeback"), "");
  EXPECT_NE(test::last_of(h.got(1), "error").find("That is not your message to take back."),
            std::string::npos);
}

TEST(RoomHistory, WithoutHistoryAStrangersTakebackIsRefusedAtOnce) {
  RoomHarness h;
  h.join(1, "alice");
  h.send(1, takeback(777));
  EXPECT_TRUE(h.last_output().history_takebacks.empty());
  EXPECT_NE(test::last_of(h.got(1), "error").find("That is not your message to take back."),
            std::string::npos);
}

TEST(RoomHistory, OnlineQueryAnswersForSignedInNames) {
  History h;
  h.apply(chat::OnlineQuery{7, "alice"});
  ASSERT_EQ(h.last_output().replies.size(), 1u);
  EXPECT_EQ(h.last_output().replies[0].body, "1");
  h.apply(chat::OnlineQuery{8, "zed"});
  EXPECT_EQ(h.last_output().replies[0].body, "");
}
