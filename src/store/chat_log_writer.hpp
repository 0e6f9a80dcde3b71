// Appends chat log lines ([Logging]) to their files on a thread of its own,
// so that a slow disk never holds up the room. Files are opened O_APPEND
// (0644, directories 0755) and kept open, at most kOpenFiles at once. A file
// that cannot be opened or written is logged once and skipped (the original
// crashed on it).
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "chat/chat_log.hpp"
#include "util/batch_worker.hpp"

namespace store {

class ChatLogWriter {
 public:
  static constexpr size_t kOpenFiles = 256;

  void write(std::vector<chat::LogLine> lines) { worker_.add(std::move(lines)); }  // any thread
  void flush() { worker_.flush(); }  // blocks until written (tests)

 private:
  void append(const chat::LogLine& line);
  int file(const std::string& path);

  // Open files by path, writer thread only; closed after the worker stopped.
  struct Files : std::unordered_map<std::string, int> {
    ~Files() { close_all(); }
    void close_all();
  };
  Files open_;
  std::unordered_set<std::string> failed_;  // logged already
  util::BatchWorker<chat::LogLine> worker_{[this](const auto& batch) {
    for (const auto& line : batch) append(line);
  }};  // last: stopped before the files close
};

}  // namespace store
