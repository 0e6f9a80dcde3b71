#include "store/chat_log_writer.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace store {

void ChatLogWriter::Files::close_all() {
  for (auto& [path, fd] : *this) ::close(fd);
  clear();
}

void ChatLogWriter::append(const chat::LogLine& line) {
  const int fd = file(line.path);
  if (fd < 0) return;
  const char* p = line.text.data();
  size_t left = line.text.size();
  while (left > 0) {
    const auto n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (failed_.insert(line.path).second) {
        spdlog::error("chat log {}: {}", line.path, std::strerror(errno));
      }
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

int ChatLogWriter::file(const std::string& path) {
  if (auto it = open_.find(path); it != open_.end()) return it->second;
  if (open_.size() >= kOpenFiles) open_.close_all();
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (failed_.insert(path).second) {
      spdlog::error("chat log {}: cannot open it: {}", path, std::strerror(errno));
    }
    return -1;
  }
  failed_.erase(path);
  open_[path] = fd;
  return fd;
}

}  // namespace store
