// A polling client's queue and the registry of sessions.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "app/poll_sessions.hpp"
#include "protocol/frame.hpp"
#include "util/uuid.hpp"

namespace {

using app::PollSession;

std::vector<std::string> texts(std::vector<protocol::Frame> frames) {
  std::vector<std::string> out;
  for (const auto& f : frames) out.emplace_back(f.payload());
  return out;
}

TEST(PollSession, DrainsInOrderAndAWhoListReplacesTheUnsentOne) {
  PollSession s(7, "id", 1 << 20, 0);
  EXPECT_TRUE(s.enqueue(protocol::make_text_frame(R"({"n":1})"), false));
  EXPECT_TRUE(s.enqueue(protocol::make_text_frame(R"({"who":1})"), true));
  EXPECT_TRUE(s.enqueue(protocol::make_text_frame(R"({"n":2})"), false));
  EXPECT_TRUE(s.enqueue(protocol::make_text_frame(R"({"who":2})"), true));
  EXPECT_EQ(texts(s.drain()),
            (std::vector<std::string>{R"({"n":1})", R"({"who":2})", R"({"n":2})"}));
  EXPECT_TRUE(s.drain().empty());
}

TEST(PollSession, OverflowingTheQueueClosesItAndDropsWhatWaited) {
  PollSession s(7, "id", 1 << 20, 0);
  for (size_t i = 0; i < PollSession::kMaxFrames; ++i) {
    ASSERT_TRUE(s.enqueue(protocol::make_text_frame("{}"), false));
  }
  EXPECT_FALSE(s.enqueue(protocol::make_text_frame("{}"), false));
  EXPECT_TRUE(s.closed());
  EXPECT_TRUE(s.drain().empty());
  EXPECT_TRUE(s.enqueue(protocol::make_text_frame("{}"), false));  // ignored now
  EXPECT_TRUE(s.drain().empty());
}

TEST(PollSession, BytesAreCappedButOneLargeFrameFits) {
  PollSession s(7, "id", 100, 0);
  const std::string big = "\"" + std::string(150, 'x') + "\"";
  EXPECT_TRUE(s.enqueue(protocol::make_text_frame(big), false));
  EXPECT_EQ(s.drain().size(), 1u);
  EXPECT_TRUE(s.enqueue(protocol::make_text_frame(std::string(60, '1')), false));
  EXPECT_FALSE(s.enqueue(protocol::make_text_frame(std::string(60, '1')), false));
}

TEST(PollSession, AClosedSessionKeepsItsLastFrames) {
  PollSession s(7, "id", 1 << 20, 0);
  s.enqueue(protocol::make_text_frame(R"({"action":"disconnect"})"), false);
  s.close();
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(texts(s.drain()), std::vector<std::string>{R"({"action":"disconnect"})"});
}

TEST(PollSessions, FindRemoveAndIdleSessions) {
  app::PollSessions sessions;
  auto a = sessions.create(1 << 20, 1'000);
  auto b = sessions.create(1 << 20, 1'000);
  EXPECT_NE(a->conn(), b->conn());
  EXPECT_NE(a->id(), b->id());
  EXPECT_EQ(sessions.find(a->id()), a);
  EXPECT_EQ(sessions.find("nope"), nullptr);
  b->touch(5'000);
  auto idle = sessions.take_idle(2'000);
  ASSERT_EQ(idle.size(), 1u);
  EXPECT_EQ(idle[0], a);
  EXPECT_EQ(sessions.find(a->id()), nullptr);
  EXPECT_TRUE(sessions.remove(b->id()));
  EXPECT_FALSE(sessions.remove(b->id()));
  EXPECT_EQ(sessions.size(), 0u);
}

TEST(PollSessions, AreBounded) {
  app::PollSessions sessions;
  for (size_t i = 0; i < app::PollSessions::kMaxSessions; ++i) {
    ASSERT_NE(sessions.create(1 << 10, 0), nullptr);
  }
  EXPECT_EQ(sessions.create(1 << 10, 0), nullptr);
  EXPECT_EQ(sessions.take_idle(1).size(), app::PollSessions::kMaxSessions);
  EXPECT_NE(sessions.create(1 << 10, 0), nullptr);
}

TEST(Uuid, IsAVersion4UuidAndNeverRepeats) {
  const std::regex form("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = util::uuid_v4();
    EXPECT_TRUE(std::regex_match(id, form)) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
}

}  // namespace
