#include "net/ws_parser.hpp"

#include <algorithm>
#include <cstring>

namespace net {
namespace {

constexpr size_t kKeepCapacity = 64 * 1024;

void release_if_large(std::string& s) {
  if (s.empty() && s.capacity() > kKeepCapacity) std::string().swap(s);
}

void unmask(char* p, uint64_t len, const unsigned char key[4]) {
  for (uint64_t i = 0; i < len; ++i) p[i] = static_cast<char>(p[i] ^ key[i & 3]);
}

}  // namespace

std::optional<WsParser::Failure> WsParser::feed(char* data, size_t size, const OnFrame& on_frame) {
  std::optional<Failure> failure;
  incomplete_frame_ = 0;
  if (pending_.empty()) {
    const size_t used = parse(data, size, on_frame, failure);
    if (!failure && used < size) {
      // A large frame is read in many pieces: one allocation for all of it
      // (the size was checked against the limit), not a copy per doubling.
      pending_.reserve(std::max(incomplete_frame_, size - used));
      pending_.assign(data + used, size - used);
    }
  } else {
    pending_.append(data, size);
    const size_t used = parse(pending_.data(), pending_.size(), on_frame, failure);
    pending_.erase(0, used);
  }
  release_if_large(pending_);
  return failure;
}

size_t WsParser::parse(char* buf, size_t size, const OnFrame& on_frame,
                       std::optional<Failure>& failure) {
  auto* b = reinterpret_cast<unsigned char*>(buf);
  size_t pos = 0;
  while (size - pos >= 2) {
    const bool fin = b[pos] & 0x80;
    const unsigned opcode = b[pos] & 0x0F;
    const bool masked = b[pos + 1] & 0x80;
    uint64_t len = b[pos + 1] & 0x7F;
    size_t header = 2;
    if (len == 126) header = 4;
    if (len == 127) header = 10;
    header += 4;  // the mask key
    if (size - pos < header) break;
    if (len == 126) len = uint64_t{b[pos + 2]} << 8 | b[pos + 3];
    if (len == 127) {
      len = 0;
      for (int i = 0; i < 8; ++i) len = len << 8 | b[pos + 2 + i];
    }
    if ((b[pos] & 0x70) || !masked) {
      failure = Failure{1002, "frames must be masked and use no extensions"};
      return pos;
    }
    const bool control = opcode >= 8;
    if (control && (!fin || len > 125 || opcode > 10)) {
      failure = Failure{1002, "invalid control frame"};
      return pos;
    }
    if (!control && (opcode > 2 || (opcode == 0) != in_message_)) {
      failure = Failure{1002, "unexpected frame opcode"};
      return pos;
    }
    if (!control && message_.size() + len > max_message_) {
      failure = Failure{1009, "message too big"};
      return pos;
    }
    if (size - pos - header < len) {  // wait for the rest of the payload
      incomplete_frame_ = header + len;
      break;
    }

    char* payload = buf + pos + header;
    unmask(payload, len, b + pos + header - 4);
    const std::string_view data(payload, len);
    pos += header + len;
    if (control) {
      on_frame(opcode == 8 ? Kind::kClose : opcode == 9 ? Kind::kPing : Kind::kPong, data);
      continue;
    }
    if (opcode != 0) message_kind_ = opcode == 1 ? Kind::kText : Kind::kBinary;
    if (fin && !in_message_) {
      on_frame(message_kind_, data);  // the common case: no copy
      continue;
    }
    message_.append(data);
    in_message_ = !fin;
    if (fin) {
      on_frame(message_kind_, message_);
      message_.clear();
      release_if_large(message_);
    }
  }
  return pos;
}

}  // namespace net
