#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "store/ban_store.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

using test::TempDir;

std::map<std::string, int64_t> as_map(const std::vector<std::pair<std::string, int64_t>>& v) {
  return {v.begin(), v.end()};
}

}  // namespace

TEST(BanStore, BansSurviveReopeningAndExpiredOnesAreDropped) {
  TempDir dir;
  const auto db = (dir.path / "database.sqlite").string();
  {
    store::BanStore bans(db);
    bans.apply({{"alice", 5'000}, {"bob", 9'000}, {"carol", 2'000}});
    bans.apply({{"bob", std::nullopt}, {"alice", 7'000}});  // lifted, then replaced
    bans.flush();
  }
  store::BanStore again(db);
  EXPECT_EQ(as_map(again.load(3'000)), (std::map<std::string, int64_t>{{"alice", 7'000}}));
  EXPECT_TRUE(again.load(7'000).empty());  // expired: deleted
}

TEST(BanStore, AnUnwritablePlaceIsAClearError) {
  TempDir dir;
  const auto db = (dir.path / "no-such-dir" / "database.sqlite").string();
  try {
    store::BanStore bans(db);
    FAIL() << "opened " << db;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open the database " + db), std::string::npos);
  }
}

TEST(BanStore, NamesAreStoredAsTheyAre) {
  TempDir dir;
  const auto db = (dir.path / "d.sqlite").string();
  const std::string hostile = "x'); DROP TABLE bans; --";
  {
    store::BanStore bans(db);
    bans.apply({{hostile, 5'000}, {"é 😀", 5'000}});
    bans.flush();
  }
  store::BanStore again(db);
  EXPECT_EQ(again.load(0).size(), 2u);
}
