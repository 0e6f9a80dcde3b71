// hooks::WebhookClient against a real HTTP server on a loopback port (a tiny
// one here, so that its answers can be chosen: hang, or 200 with a body).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "hooks/webhook_client.hpp"

namespace {

using hooks::WebhookClient;
using hooks::WebhookResponse;
using namespace std::chrono_literals;

class TinyHttpServer {
 public:
  // answer_bytes < 0: never answer.
  explicit TinyHttpServer(long answer_bytes) : answer_bytes_(answer_bytes) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 64);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TinyHttpServer() {
    stop_ = true;
    thread_.join();
    for (auto& t : handlers_) t.join();
    close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  int connections() const { return connections_; }
  std::string last_request() {
    std::lock_guard lock(mutex_);
    return last_request_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++connections_;
      handlers_.emplace_back([this, c] { handle(c); });
    }
  }
  void handle(int c) {
    std::string req;
    char buf[4096];
    while (!stop_) {
      pollfd p{c, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      const auto n = read(c, buf, sizeof buf);
      if (n <= 0) break;
      req.append(buf, static_cast<size_t>(n));
      const auto head_end = req.find("\r\n\r\n");
      const auto cl = req.find("Content-Length: ");
      if (head_end == std::string::npos || cl == std::string::npos) continue;
      if (req.size() < head_end + 4 + std::stoul(req.substr(cl + 16))) continue;
      {
        std::lock_guard lock(mutex_);
        last_request_ = req;
      }
      if (answer_bytes_ < 0) {
        while (!stop_) std::this_thread::sleep_for(10ms);  // hang
        break;
      }
      const std::string body(static_cast<size_t>(answer_bytes_), 'x');
      const auto answer = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\nConnection: close\r\n\r\n" + body;
      for (size_t off = 0; off < answer.size();) {
        const auto w = write(c, answer.data() + off, answer.size() - off);
        if (w <= 0) break;
        off += static_cast<size_t>(w);
      }
      break;
    }
    close(c);
  }

  long answer_bytes_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
  std::vector<std::thread> handlers_;  // serve() thread only, joined after it
  std::mutex mutex_;
  std::string last_request_;
};

// Collects the answers of several posts.
struct Answers {
  std::mutex mutex;
  std::vector<WebhookResponse> got;
  std::promise<void> all;
  size_t expected;
  explicit Answers(size_t n) : expected(n) {}
  WebhookClient::Done done() {
    return [this](WebhookResponse r) {
      std::lock_guard lock(mutex);
      got.push_back(std::move(r));
      if (got.size() == expected) all.set_value();
    };
  }
  bool wait() { return all.get_future().wait_for(30s) == std::future_status::ready; }
};

}  // namespace

TEST(WebhookClient, PostsTheBodyBuiltOnTheWorkerAndReadsTheAnswer) {
  TinyHttpServer server(20);
  WebhookClient client;
  Answers answers(1);
  const auto caller = std::this_thread::get_id();
  std::thread::id builder;
  client.post(
      server.url(),
      [&] {
        builder = std::this_thread::get_id();
        return std::string(R"({"Action":"report"})");
      },
      answers.done());
  ASSERT_TRUE(answers.wait());
  EXPECT_TRUE(answers.got[0].ok());
  EXPECT_EQ(answers.got[0].body, std::string(20, 'x'));
  EXPECT_NE(builder, caller);
  const auto req = server.last_request();
  EXPECT_TRUE(req.starts_with("POST /hook HTTP/1.1\r\n"));
  EXPECT_NE(req.find("Content-Type: application/json\r\n"), std::string::npos);
  EXPECT_TRUE(req.ends_with("\r\n\r\n{\"Action\":\"report\"}"));
}

TEST(WebhookClient, ALargeAnswerFailsWhenReadAndIsNoFailureWhenIgnored) {
  TinyHttpServer server(3 << 20);
  WebhookClient client;
  Answers answers(2);
  client.post(server.url(), std::string("{}"), answers.done());
  client.post(server.url(), std::string("{}"), answers.done(), WebhookClient::Answer::kIgnore);
  ASSERT_TRUE(answers.wait());
  int failed = 0, ok = 0;
  for (const auto& r : answers.got) {
    if (r.ok()) {
      ++ok;
      EXPECT_LE(r.body.size(), WebhookClient::kIgnoredAnswerKept);
    } else {
      ++failed;
      EXPECT_EQ(r.error, "the website's answer is larger than 1048576 bytes");
      EXPECT_NE(r.detail.find(server.url()), std::string::npos);  // the URL is for the log only
      EXPECT_EQ(r.error.find("127.0.0.1"), std::string::npos);
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(failed, 1);
}

TEST(WebhookClient, HangingPostsTimeOutWaitTheirTurnAndTheQueueIsBounded) {
  TinyHttpServer server(-1);
  WebhookClient client({.timeout = 1s, .max_in_flight = 2, .max_queued = 3});
  Answers answers(4);
  for (int i = 0; i < 4; ++i) client.post(server.url(), std::string("{}"), answers.done());
  {
    std::lock_guard lock(answers.mutex);  // the fourth was refused at once
    ASSERT_EQ(answers.got.size(), 1u);
    EXPECT_EQ(answers.got[0].error,
              "too many webhook posts are waiting to be sent; try again later");
  }
  ASSERT_TRUE(answers.wait());
  for (size_t i = 1; i < 4; ++i) EXPECT_EQ(answers.got[i].error, "Timeout was reached");
  EXPECT_EQ(server.connections(), 3);  // the third started once a slot was free
}

TEST(WebhookClient, StoppingWithPostsInFlightDropsThemWithoutACall) {
  TinyHttpServer server(-1);
  std::atomic<int> calls{0};
  {
    WebhookClient client;  // a 10 s timeout
    for (int i = 0; i < 5; ++i) {
      client.post(server.url(), std::string("{}"), [&](WebhookResponse) { ++calls; });
    }
    while (server.connections() < 5) std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(calls, 0);
}
