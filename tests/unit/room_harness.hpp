// Drives a chat::Room by events, the way the server does, and records what
// each connection receives, as JSON text.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "auth/jwt.hpp"
#include "chat/inbound.hpp"
#include "chat/room.hpp"
#include "protocol/json_reader.hpp"

namespace test {

inline constexpr int64_t kStartMs = 1'795'622'527'000;  // the room's start time
inline constexpr const char* kSecret = "test-secret";

class RoomHarness {
 public:
  explicit RoomHarness(
      config::Settings s = make_settings(), int64_t quiet_ms = 0,
      int64_t presence_per_second = chat::RoomOptions{}.presence_deliveries_per_second)
      : settings_(std::make_shared<config::Settings>(std::move(s))),
        room_(settings_, {.started_at_ms = kStartMs,
                          .presence_quiet_ms = quiet_ms,
                          .presence_deliveries_per_second = presence_per_second}) {}

  static config::Settings make_settings() {
    auto s = config::default_settings("admin-key");
    s.jwt.secret_key = kSecret;
    return s;
  }

  chat::Room& room() { return room_; }
  void advance(int64_t ms) { now_ += ms; }
  int64_t now_ms() const { return now_; }

  // Applies one event as its own batch.
  void apply(chat::EventBody body) {
    room_.handle({now_, std::move(body)});
    collect(room_.finish_batch());
  }
  // Applies several events as one batch.
  void apply_batch(std::vector<chat::EventBody> bodies) {
    for (auto& b : bodies) room_.handle({now_, std::move(b)});
    collect(room_.finish_batch());
  }

  void connect(chat::ConnId id) { apply(chat::Connected{id}); }
  void disconnect(chat::ConnId id) { apply(chat::Disconnected{id}); }
  chat::Received received(chat::ConnId id, const std::string& json) {
    return {id, chat::prepare_inbound(json, *settings_, now_ / 1000)};
  }
  void send(chat::ConnId id, const std::string& json) { apply(received(id, json)); }

  // Connects and logs in a guest; clears what it received.
  void join(chat::ConnId id, const std::string& name) {
    connect(id);
    send(id, R"({"action":"login","username":")" + name + R"("})");
    clear();
  }
  void join_jwt(chat::ConnId id, const auth::Claims& claims) {
    connect(id);
    send(id, R"({"action":"login","jwt":")" + auth::sign_jwt(claims, kSecret) + R"("})");
    clear();
  }

  // Frames received by `id` since the last clear(), as JSON text.
  const std::vector<std::string>& got(chat::ConnId id) { return inbox_[id]; }
  std::vector<std::string> take(chat::ConnId id) { return std::exchange(inbox_[id], {}); }
  std::vector<std::string> actions(chat::ConnId id) {
    std::vector<std::string> out;
    for (const auto& f : inbox_[id]) out.push_back(action_of(f));
    return out;
  }
  void clear() { inbox_.clear(); }

  const chat::Output& last_output() const { return last_; }
  // Reports for the webhook since the last call.
  std::vector<chat::Report> take_reports() { return std::exchange(reports_, {}); }

  static std::string action_of(const std::string& json) {
    auto doc = protocol::parse_json(json);
    if (!doc || !doc->IsObject() || !doc->HasMember("action")) return "?";
    return (*doc)["action"].GetString();
  }

 private:
  void collect(chat::Output out) {
    for (const auto& d : out.deliveries) {
      inbox_[d.to].emplace_back(d.frame.payload());
    }
    for (auto& r : out.reports) reports_.push_back(r);
    last_ = std::move(out);
  }

  std::shared_ptr<config::Settings> settings_;
  chat::Room room_;
  int64_t now_ = kStartMs + 60'000;
  std::map<chat::ConnId, std::vector<std::string>> inbox_;
  chat::Output last_;
  std::vector<chat::Report> reports_;
};

inline auth::Claims claims_for(std::string sub) {
  auth::Claims c;
  c.sub = std::move(sub);
  return c;
}

// The who list entries' usernames in a `who` frame.
inline std::vector<std::string> who_names(const std::string& json) {
  std::vector<std::string> out;
  auto doc = protocol::parse_json(json);
  if (!doc || !doc->HasMember("whoList")) return out;
  for (const auto& e : (*doc)["whoList"].GetArray()) out.push_back(e["username"].GetString());
  return out;
}

// The usernames a `who-delta` frame sets.
inline std::vector<std::string> who_delta_names(const std::string& json) {
  std::vector<std::string> out;
  auto doc = protocol::parse_json(json);
  if (!doc || !doc->HasMember("set")) return out;
  for (const auto& e : (*doc)["set"].GetArray()) out.push_back(e["username"].GetString());
  return out;
}

// The `video` a viewer's who frame shows for `user`; -1 when absent.
inline int64_t who_video(const std::string& json, const std::string& user) {
  auto doc = protocol::parse_json(json);
  if (!doc || !doc->HasMember("whoList")) return -1;
  for (const auto& e : (*doc)["whoList"].GetArray()) {
    if (e["username"].GetString() == user) return e["video"].GetInt64();
  }
  return -1;
}

// The last frame of `action` in a list, or "".
inline std::string last_of(const std::vector<std::string>& frames, const std::string& action) {
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    if (RoomHarness::action_of(*it) == action) return *it;
  }
  return {};
}

}  // namespace test
