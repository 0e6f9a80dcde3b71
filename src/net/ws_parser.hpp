// Incremental parser for the frames a WebSocket client sends (RFC 6455):
// masked frames, fragmented messages, control frames. Bytes are fed as they
// arrive; each complete message or control frame is handed to the callback.
// A message over the size limit is refused from its header alone, before its
// payload is buffered.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace net {

class WsParser {
 public:
  enum class Kind { kText, kBinary, kPing, kPong, kClose };
  struct Failure {
    uint16_t close_code;  // 1002 protocol error, 1009 too big
    std::string reason;
  };
  // The payload is valid only during the call.
  using OnFrame = std::function<void(Kind, std::string_view payload)>;

  explicit WsParser(uint64_t max_message) : max_message_(max_message) {}

  std::optional<Failure> feed(char* data, size_t size, const OnFrame& on_frame);

  // Bytes held for an incomplete frame or message.
  size_t buffered() const { return pending_.size() + message_.size(); }

 private:
  // Parses complete frames from buf[0, size); returns bytes consumed.
  size_t parse(char* buf, size_t size, const OnFrame& on_frame, std::optional<Failure>& failure);

  const uint64_t max_message_;
  std::string pending_;          // an incomplete frame
  std::string message_;          // fragments of an unfinished message
  size_t incomplete_frame_ = 0;  // the whole size of the frame parse() stopped in
  bool in_message_ = false;
  Kind message_kind_ = Kind::kText;
};

}  // namespace net
