#include "chat/chat_log.hpp"

#include <algorithm>

namespace chat {
namespace {

bool needs_escape(unsigned char c, bool first) {
  return c < 0x20 || c == 0x7F || c == '/' || c == '\\' || c == '%' || (first && c == '.');
}

bool listed(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

std::string log_path_component(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (!needs_escape(c, i == 0)) {
      out += static_cast<char>(c);
      continue;
    }
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  if (out.empty()) out = "%00";  // no file may be named ".txt" by accident
  return out;
}

std::string channel_log_path(const config::LoggingSettings& s, std::string_view channel) {
  return s.directory + "/" + log_path_component(channel) + ".txt";
}

std::string dm_log_path(const config::LoggingSettings& s, std::string_view monitored,
                        std::string_view other) {
  return s.directory + "/@" + log_path_component(monitored) + "/" + log_path_component(other) +
         ".txt";
}

bool logs_channel(const config::LoggingSettings& s, std::string_view channel) {
  return s.enabled && listed(s.channels, channel);
}

bool logs_user(const config::LoggingSettings& s, std::string_view username) {
  return s.enabled && listed(s.usernames, username);
}

}  // namespace chat
