// The room's side of the polling API: a Polled event is handled only for
// the user the session signed in as, and its reply says how it went.
#include "room_harness.hpp"

namespace {

using test::RoomHarness;

// Sends `json` as a polling request of `conn` as `username`; the reply.
std::string poll(RoomHarness& h, chat::ConnId conn, const std::string& username,
                 const std::string& json) {
  static chat::RequestId next_req = 1;
  const auto req = next_req++;
  h.apply(chat::Polled{req, conn, username, h.received(conn, json).in});
  for (const auto& r : h.last_output().replies) {
    if (r.req == req) return r.body;
  }
  ADD_FAILURE() << "no reply";
  return "?";
}

struct PollingRoom : ::testing::Test {
  RoomHarness h;
  std::string poll(chat::ConnId conn, const std::string& username, const std::string& json) {
    return ::poll(h, conn, username, json);
  }
};

TEST_F(PollingRoom, LoginRepliesWithTheNameGiven) {
  h.join(1, "ann");
  h.connect(2);
  EXPECT_EQ(poll(2, "", R"({"action":"login","username":"ann"})"), "+ann 2");
  EXPECT_EQ(h.actions(2).front(), "me");
  EXPECT_NE(h.room().find_user("ann 2"), nullptr);
}

TEST_F(PollingRoom, ARequestAsAnotherUserIsRefusedAndChangesNothing) {
  h.join(1, "ann");
  h.connect(2);
  ASSERT_EQ(poll(2, "", R"({"action":"login","username":"bot"})"), "+bot");
  h.clear();
  EXPECT_EQ(poll(2, "ann", R"({"action":"message","channel":"lobby","message":"as ann"})"), "");
  EXPECT_TRUE(h.got(1).empty());
  EXPECT_TRUE(h.got(2).empty());
  EXPECT_EQ(poll(99, "bot", R"({"action":"ping"})"), "");  // not a connection

  EXPECT_EQ(poll(2, "bot", R"({"action":"message","channel":"lobby","message":"hi"})"), "+bot");
  EXPECT_NE(test::last_of(h.got(1), "message").find(R"("username":"bot")"), std::string::npos);
}

TEST(PollingRoomStrict, ARefusedLoginRepliesWithoutAName) {
  auto s = RoomHarness::make_settings();
  s.jwt.enabled = true;
  s.jwt.strict = true;
  RoomHarness h(s);
  h.connect(1);
  EXPECT_EQ(poll(h, 1, "", R"({"action":"login","username":"ann"})"), "+");
  EXPECT_EQ(RoomHarness::action_of(h.got(1).back()), "error");
  EXPECT_EQ(h.room().user_count(), 0u);
}

TEST_F(PollingRoom, ATimedOutUserIsAnnouncedSo) {
  h.join(1, "ann");
  h.join(2, "bot");
  h.apply(chat::Disconnected{2, true});
  EXPECT_EQ(test::last_of(h.got(1), "presence"),
            R"({"action":"presence","username":"bot","message":"has timed out!"})");
  h.join(3, "cat");
  h.disconnect(3);
  EXPECT_EQ(test::last_of(h.got(1), "presence"),
            R"({"action":"presence","username":"cat","message":"has exited the room!"})");
}

}  // namespace
