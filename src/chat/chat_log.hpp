// [Logging]: which text messages go to the chat log files, and where
// (history.md §7). The room decides and hands the lines over; a writer
// thread appends them (logs/chat_log_writer.hpp).
#pragma once

#include <string>
#include <string_view>

#include "config/settings.hpp"

namespace chat {

// One line for one file: `<RFC 3339 time> [<sender>] <raw text>\n`.
struct LogLine {
  std::string path;
  std::string text;
};

// A username or channel as one path component: the names the original
// writes as they are stay so; `/`, `\`, `%`, control bytes and a leading
// `.` are percent-encoded, so no name can leave the log directory.
std::string log_path_component(std::string_view name);

// <Directory>/<channel>.txt
std::string channel_log_path(const config::LoggingSettings& s, std::string_view channel);
// <Directory>/@<monitored>/<other>.txt
std::string dm_log_path(const config::LoggingSettings& s, std::string_view monitored,
                        std::string_view other);

bool logs_channel(const config::LoggingSettings& s, std::string_view channel);
bool logs_user(const config::LoggingSettings& s, std::string_view username);

}  // namespace chat
