// The DM history database against a real SQLite file.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <future>

#include "store/history_store.hpp"
#include "temp_dir.hpp"

using store::HistoryStore;

namespace {

constexpr int64_t kNow = 1'795'622'527;

// Runs a read and waits for its answer.
store::HistoryPage page(HistoryStore& h, const std::string& me, const std::string& other,
                        int64_t before = 0) {
  std::promise<store::HistoryPage> p;
  h.page(me, other, before, [&](store::HistoryPage r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}

store::PartnerPage partners(HistoryStore& h, const std::string& me, const std::string& sort,
                            int64_t n = 1) {
  std::promise<store::PartnerPage> p;
  h.partners(me, sort, n, [&](store::PartnerPage r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}

int64_t clear(HistoryStore& h, const std::string& user) {
  std::promise<int64_t> p;
  h.clear(user, [&](int64_t n, std::string) { p.set_value(n); });
  return p.get_future().get();
}

bool take_back(HistoryStore& h, int64_t id, const std::string& owner) {
  std::promise<bool> p;
  h.take_back(id, owner, [&](bool deleted) { p.set_value(deleted); });
  return p.get_future().get();
}

void dm(HistoryStore& h, int64_t id, const std::string& from, const std::string& to,
        int64_t at = kNow) {
  h.store(id, HistoryStore::thread_id(from, to), from, "<p>" + std::to_string(id) + "</p>", at);
}

}  // namespace

TEST(HistoryStore, ThreadIdsAreTheOriginals) {
  EXPECT_EQ(HistoryStore::thread_id("bob", "alice"), "@alice:@bob");
  EXPECT_EQ(HistoryStore::thread_id("alice", "bob"), "@alice:@bob");
}

TEST(HistoryStore, PagesAreNewestFirstWithWhatRemains) {
  test::TempDir dir;
  HistoryStore h(dir.file("db.sqlite"), 0, kNow);
  for (int64_t id = 1; id <= 45; ++id)
    dm(h, id, id % 2 ? "alice" : "bob", id % 2 ? "bob" : "alice");
  dm(h, 100, "alice", "carol");
  auto first = page(h, "bob", "alice");
  ASSERT_EQ(first.messages.size(), 20u);
  EXPECT_EQ(first.messages.front().msg_id, 45);
  EXPECT_EQ(first.messages.back().msg_id, 26);
  EXPECT_EQ(first.remaining, 25);
  EXPECT_EQ(first.messages.front().username, "alice");
  EXPECT_EQ(first.messages.front().html, "<p>45</p>");
  EXPECT_EQ(first.messages.front().at, kNow);
  auto last = page(h, "alice", "bob", 6);
  ASSERT_EQ(last.messages.size(), 5u);
  EXPECT_EQ(last.remaining, 0);
  auto none = page(h, "alice", "zed");
  EXPECT_TRUE(none.messages.empty());
  EXPECT_EQ(none.remaining, 0);
}

TEST(HistoryStore, PartnersAreExactNamesSortedAndCounted) {
  test::TempDir dir;
  HistoryStore h(dir.file("db.sqlite"), 0, kNow);
  dm(h, 1, "a_b", "zoe", kNow - 50);
  dm(h, 2, "amy", "a_b", kNow - 10);  // amy never got an answer: still a partner
  dm(h, 3, "a_b", "bob", kNow - 30);
  dm(h, 4, "aXb", "carl", kNow);  // "_" is no wildcard
  dm(h, 5, "A_B", "dan", kNow);   // nor is case ignored
  auto newest = partners(h, "a_b", "newest");
  EXPECT_EQ(newest.count, 3);
  EXPECT_EQ(newest.usernames, (std::vector<std::string>{"amy", "bob", "zoe"}));
  EXPECT_EQ(partners(h, "a_b", "oldest").usernames,
            (std::vector<std::string>{"zoe", "bob", "amy"}));
  EXPECT_EQ(partners(h, "a_b", "a-z").usernames, (std::vector<std::string>{"amy", "bob", "zoe"}));
  EXPECT_EQ(partners(h, "a_b", "z-a").usernames, (std::vector<std::string>{"zoe", "bob", "amy"}));
  const auto past_the_end = partners(h, "a_b", "a-z", 2);
  EXPECT_TRUE(past_the_end.usernames.empty());
  EXPECT_EQ(past_the_end.count, 3);
  EXPECT_EQ(partners(h, "a_b", "a-z", -5).usernames.size(), 3u);  // below 1: the first page
  EXPECT_TRUE(partners(h, "a_b", "a-z", INT64_MAX).usernames.empty());
  EXPECT_EQ(partners(h, "nobody", "newest").count, 0);
}

TEST(HistoryStore, NinePartnersAPage) {
  test::TempDir dir;
  HistoryStore h(dir.file("db.sqlite"), 0, kNow);
  for (int i = 0; i < 12; ++i) dm(h, i + 1, "me", "u" + std::to_string(10 + i));
  EXPECT_EQ(partners(h, "me", "a-z").usernames.size(), 9u);
  EXPECT_EQ(partners(h, "me", "a-z", 2).usernames, (std::vector<std::string>{"u19", "u20", "u21"}));
  EXPECT_EQ(partners(h, "me", "a-z").count, 12);
  EXPECT_EQ(partners(h, "me", "a-z", 2).count, 12);
}

TEST(HistoryStore, TakebackDeletesOnlyTheOwnersUnlessNoOwnerIsGiven) {
  test::TempDir dir;
  HistoryStore h(dir.file("db.sqlite"), 0, kNow);
  dm(h, 1, "alice", "bob");
  EXPECT_FALSE(take_back(h, 1, "bob"));
  EXPECT_TRUE(take_back(h, 1, "alice"));
  EXPECT_FALSE(take_back(h, 1, "alice"));
  dm(h, 2, "alice", "bob");
  EXPECT_TRUE(take_back(h, 2, ""));  // an operator
  EXPECT_TRUE(page(h, "alice", "bob").messages.empty());
}

TEST(HistoryStore, ClearErasesEveryThreadOfTheUser) {
  test::TempDir dir;
  HistoryStore h(dir.file("db.sqlite"), 0, kNow);
  dm(h, 1, "alice", "bob");
  dm(h, 2, "bob", "alice");
  dm(h, 3, "carol", "alice");
  dm(h, 4, "bob", "carol");
  EXPECT_EQ(clear(h, "alice"), 3);
  EXPECT_EQ(clear(h, "alice"), 0);
  EXPECT_EQ(page(h, "bob", "carol").messages.size(), 1u);
}

TEST(HistoryStore, ItSurvivesReopeningWithRetentionAppliedAndTheHighestId) {
  test::TempDir dir;
  const auto file = dir.file("db.sqlite");
  {
    HistoryStore h(file, 30, kNow);
    dm(h, 10, "alice", "bob", kNow - 40 * 86400);  // older than 30 days
    dm(h, 11, "alice", "bob", kNow - 10 * 86400);
    dm(h, 12, "bob", "alice", kNow);
    h.flush();
  }
  HistoryStore again(file, 30, kNow);
  EXPECT_EQ(again.max_message_id(), 12);
  auto p = page(again, "alice", "bob");
  ASSERT_EQ(p.messages.size(), 2u);
  EXPECT_EQ(p.messages.back().msg_id, 11);
  // The table is the original's: an existing database reads the same.
  SQLite::Database db(file);
  EXPECT_EQ(
      db.execAndGet("SELECT channel_id FROM direct_messages WHERE message_id = 12").getString(),
      "@alice:@bob");
}

TEST(HistoryStore, AnUnwritablePlaceIsAClearError) {
  try {
    HistoryStore h("/proc/no-such-dir/db.sqlite", 0, kNow);
    FAIL() << "opened";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open the DM history database"), std::string::npos);
  }
}
