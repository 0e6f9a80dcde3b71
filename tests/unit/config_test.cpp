#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/loader.hpp"

namespace fs = std::filesystem;
using config::default_settings;
using config::parse_settings;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempDir {
  fs::path path =
      fs::temp_directory_path() / ("barertc-config-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(reinterpret_cast<uintptr_t>(this)));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST(Config, DefaultsMatchTheOriginal) {
  auto s = default_settings("key");
  EXPECT_EQ(s.version, 17);
  EXPECT_EQ(s.websocket_read_limit, 41943040);
  EXPECT_EQ(s.websocket_send_timeout, 10);
  ASSERT_EQ(s.public_channels.size(), 3u);
  EXPECT_EQ(s.public_channels[0].id, "lobby");
  EXPECT_EQ(s.public_channels[0].echo_messages_on_join, 10);
  EXPECT_TRUE(s.public_channels[2].vip);
  EXPECT_TRUE(s.jwt.strict);
  EXPECT_FALSE(s.jwt.enabled);
  EXPECT_EQ(s.turn.urls, std::vector<std::string>{"stun:stun.l.google.com:19302"});
}

TEST(Config, TheWhoListBudgetIsOurOwnKey) {
  EXPECT_EQ(default_settings("k").who_list_bytes_per_second, 100'000'000);
  auto s = parse_settings("WhoListBytesPerSecond = 0\n", default_settings("k"));
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->who_list_bytes_per_second, 0);
  auto bad = parse_settings("WhoListBytesPerSecond = 'fast'\n", default_settings("k"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("WhoListBytesPerSecond"), std::string::npos) << bad.error();
}

TEST(Config, TheClusterSectionIsOffByDefaultAndReadsBack) {
  auto d = default_settings("k");
  EXPECT_FALSE(d.cluster.enabled);
  EXPECT_EQ(d.cluster.stream_max_age, 600);
  auto s = parse_settings(
      "[Cluster]\nEnabled = true\nRedisURL = 'redis://10.0.0.5:6380/2'\nNodeName = 'a'\n"
      "StreamMaxLength = 5000\nStreamMaxAge = 0\nHeartbeatTimeout = 3\n",
      d);
  ASSERT_TRUE(s) << s.error();
  EXPECT_TRUE(s->cluster.enabled);
  EXPECT_EQ(s->cluster.redis_url, "redis://10.0.0.5:6380/2");
  EXPECT_EQ(s->cluster.stream_max_length, 5000);
  EXPECT_EQ(s->cluster.stream_max_age, 0);
  EXPECT_EQ(s->cluster.heartbeat_timeout, 3);
  auto back = parse_settings(config::to_toml(*s), default_settings("other"));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->cluster.stream_max_age, 0);
  EXPECT_EQ(back->cluster.node_name, "a");
}

TEST(Config, RandomUuidIsVersion4) {
  auto a = config::random_uuid();
  auto b = config::random_uuid();
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(a, b);
}

TEST(Config, FileValuesOverrideDefaultsAndMissingKeysKeepThem) {
  auto s = parse_settings("Title = 'My Chat'\n[JWT]\nEnabled = true\n", default_settings("k"));
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->title, "My Chat");
  EXPECT_TRUE(s->jwt.enabled);
  EXPECT_TRUE(s->jwt.strict);  // absent in [JWT]: default kept
  EXPECT_EQ(s->admin_api_key, "k");
  EXPECT_EQ(s->public_channels.size(), 3u);
}

TEST(Config, ArrayOfTablesReplacesTheDefaultList) {
  auto s =
      parse_settings("[[PublicChannels]]\nID = 'only'\nName = 'Only'\n", default_settings("k"));
  ASSERT_TRUE(s) << s.error();
  ASSERT_EQ(s->public_channels.size(), 1u);
  EXPECT_EQ(s->public_channels[0].id, "only");
  EXPECT_TRUE(s->public_channels[0].welcome_messages.empty());
}

TEST(Config, KeysMatchCaseInsensitively) {
  auto s = parse_settings("title = 'lower'\n[jwt]\nsecretkey = 'x'\n", default_settings("k"));
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->title, "lower");
  EXPECT_EQ(s->jwt.secret_key, "x");
}

TEST(Config, TypeErrorsNameTheKey) {
  auto s = parse_settings("[JWT]\nEnabled = 'yes'\n", default_settings("k"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), "JWT.Enabled: expected true or false");
  auto t = parse_settings("[[PublicChannels]]\nID = 5\n", default_settings("k"));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error(), "PublicChannels[0].ID: expected a string");
}

TEST(Config, SyntaxErrorsGiveThePosition) {
  auto s = parse_settings("Title = \n", default_settings("k"));
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("line 1"), std::string::npos) << s.error();
}

TEST(Config, WrittenFileReadsBackIdentically) {
  auto s = default_settings("abc");
  s.title = "It's \"quoted\"\nand multi-line";
  s.public_channels[0].icon = "fa fa-home";
  auto text = config::to_toml(s);
  auto back = parse_settings(text, default_settings("other"));
  ASSERT_TRUE(back) << back.error() << "\n" << text;
  EXPECT_EQ(back->title, s.title);
  EXPECT_EQ(back->admin_api_key, "abc");
  EXPECT_EQ(back->public_channels[0].icon, "fa fa-home");
  EXPECT_EQ(back->public_channels[0].welcome_messages, s.public_channels[0].welcome_messages);
  EXPECT_EQ(config::to_toml(*back), text);
}

TEST(Config, FirstStartWritesCurrentVersionWithEveryKey) {
  TempDir dir;
  auto path = dir.path / "settings.toml";
  auto loaded = config::load_or_create(path, default_settings("first-key"));
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->action, config::FileAction::kCreated);
  auto text = read_file(path);
  EXPECT_NE(text.find("Version = 17"), std::string::npos);
  EXPECT_NE(text.find("AdminAPIKey = 'first-key'"), std::string::npos);
  // A second start reads it unchanged and keeps the key.
  auto again = config::load_or_create(path, default_settings("second-key"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->action, config::FileAction::kRead);
  EXPECT_EQ(again->settings.admin_api_key, "first-key");
  EXPECT_EQ(read_file(path), text);
}

TEST(Config, OldVersionIsUpgradedWithoutDuplicatingLists) {
  TempDir dir;
  auto path = dir.path / "settings.toml";
  std::ofstream(path) << "Version = 0\nTitle = 'Kept'\n[[PublicChannels]]\nID = 'a'\nName = 'A'\n";
  auto loaded = config::load_or_create(path, default_settings("k"));
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->action, config::FileAction::kUpgraded);
  EXPECT_EQ(loaded->previous_version, 0);
  auto reread = parse_settings(read_file(path), default_settings("z"));
  ASSERT_TRUE(reread);
  EXPECT_EQ(reread->version, 17);
  EXPECT_EQ(reread->title, "Kept");
  EXPECT_EQ(reread->public_channels.size(), 1u);
  EXPECT_EQ(reread->admin_api_key, "k");
  EXPECT_EQ(reread->webhook_urls.size(), 2u);
}

TEST(Config, BrokenFileIsNeverOverwritten) {
  TempDir dir;
  auto path = dir.path / "settings.toml";
  std::ofstream(path) << "Version = [\n";
  auto loaded = config::load_or_create(path, default_settings("k"));
  EXPECT_FALSE(loaded);
  EXPECT_EQ(read_file(path), "Version = [\n");
}

TEST(Config, FileWithoutVersionIsUpgraded) {
  TempDir dir;
  auto path = dir.path / "settings.toml";
  std::ofstream(path) << "Title = 'No version'\n";
  auto loaded = config::load_or_create(path, default_settings("k"));
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->action, config::FileAction::kUpgraded);
  EXPECT_NE(read_file(path).find("Version = 17"), std::string::npos);
}
