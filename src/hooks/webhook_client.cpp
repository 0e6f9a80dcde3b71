#include "hooks/webhook_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <utility>

namespace hooks {

struct WebhookClient::Transfer {
  std::string url;
  BodyMaker make_body;
  std::string body;
  Done done;
  Answer answer = Answer::kRead;
  size_t max_response_bytes = 0;
  bool too_large = false;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  WebhookResponse response;
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
  }
};

namespace {

CURLM* as_multi(void* m) {
  return static_cast<CURLM*>(m);
}

size_t keep_body(char* data, size_t, size_t n, void* user) {
  auto* t = static_cast<WebhookClient::Transfer*>(user);
  auto& body = t->response.body;
  if (t->answer == WebhookClient::Answer::kIgnore) {
    body.append(data, std::min(n, WebhookClient::kIgnoredAnswerKept -
                                      std::min(body.size(), WebhookClient::kIgnoredAnswerKept)));
    return n;
  }
  if (body.size() + n > t->max_response_bytes) {
    t->too_large = true;
    return 0;  // anything but n aborts the transfer
  }
  body.append(data, n);
  return n;
}

}  // namespace

std::string WebhookResponse::failure() const {
  return error.empty() ? "unexpected error from webhook URL" : error;
}

WebhookClient::WebhookClient() : WebhookClient(Options{}) {}

WebhookClient::WebhookClient(Options options) : options_(options) {
  // Thread-safe since curl 7.84 (Debian 12 has 7.88), and reference counted.
  curl_global_init(CURL_GLOBAL_DEFAULT);
  multi_ = curl_multi_init();
  worker_ = std::thread([this] { run(); });
}

WebhookClient::~WebhookClient() {
  stop();
  curl_multi_cleanup(as_multi(multi_));
  curl_global_cleanup();
}

void WebhookClient::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  curl_multi_wakeup(as_multi(multi_));
  if (worker_.joinable()) worker_.join();
}

void WebhookClient::post(std::string url, std::string body, Done done, Answer answer) {
  post(
      std::move(url), [body = std::move(body)]() mutable { return std::move(body); },
      std::move(done), answer);
}

void WebhookClient::post(std::string url, BodyMaker body, Done done, Answer answer) {
  auto t = std::make_unique<Transfer>();
  t->url = std::move(url);
  t->make_body = std::move(body);
  t->done = std::move(done);
  t->answer = answer;
  t->max_response_bytes = options_.max_response_bytes;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (queued_ < options_.max_queued) {
      ++queued_;
      incoming_.push_back(std::move(t));
    }
  }
  if (t) {
    return t->done({.error = "too many webhook posts are waiting to be sent; try again later"});
  }
  curl_multi_wakeup(as_multi(multi_));
}

void WebhookClient::run() {
  std::vector<std::unique_ptr<Transfer>> incoming;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      incoming.swap(incoming_);
    }
    start_waiting(incoming);
    int running = 0;
    curl_multi_perform(as_multi(multi_), &running);
    finish_done();
    // Posts waiting for a slot that just came free start at once.
    if (!waiting_.empty() && running_.size() < options_.max_in_flight) continue;
    curl_multi_poll(as_multi(multi_), nullptr, 0, 1000, nullptr);
  }
  for (auto& t : running_) curl_multi_remove_handle(as_multi(multi_), t->easy);
  running_.clear();
}

void WebhookClient::start_waiting(std::vector<std::unique_ptr<Transfer>>& incoming) {
  for (auto& t : incoming) waiting_.push_back(std::move(t));
  incoming.clear();
  size_t taken = 0;
  while (taken < waiting_.size() && running_.size() < options_.max_in_flight) {
    auto t = std::move(waiting_[taken++]);
    if (start(*t)) {
      running_.push_back(std::move(t));
    } else {
      finish(std::move(t), CURLE_FAILED_INIT);
    }
  }
  waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<ptrdiff_t>(taken));
}

bool WebhookClient::start(Transfer& t) {
  if (t.make_body) t.body = std::exchange(t.make_body, nullptr)();
  CURL* e = t.easy = curl_easy_init();
  if (!e) return false;
  t.headers = curl_slist_append(t.headers, "Content-Type: application/json");
  t.headers = curl_slist_append(t.headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(e, CURLOPT_URL, t.url.c_str());
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.body.data());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t.body.size()));
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "barertc");
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  // A name lookup still running at the timeout is not waited for.
  curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
  // As Go's client: up to 10 redirects, 301-303 turn the POST into a GET.
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
  return curl_multi_add_handle(as_multi(multi_), e) == CURLM_OK;
}

void WebhookClient::finish_done() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(as_multi(multi_), &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    auto it = std::find_if(running_.begin(), running_.end(),
                           [&](const auto& t) { return t->easy == msg->easy_handle; });
    if (it == running_.end()) continue;
    std::unique_ptr<Transfer> t = std::move(*it);
    running_.erase(it);
    const CURLcode result = msg->data.result;  // msg is invalid once the handle is removed
    curl_multi_remove_handle(as_multi(multi_), t->easy);
    finish(std::move(t), result);
  }
}

void WebhookClient::finish(std::unique_ptr<Transfer> t, int curl_code) {
  const auto result = static_cast<CURLcode>(curl_code);
  auto& r = t->response;
  if (t->easy) curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &r.status);
  if (t->too_large) {
    r.error =
        "the website's answer is larger than " + std::to_string(t->max_response_bytes) + " bytes";
  } else if (result != CURLE_OK) {
    r.error = curl_easy_strerror(result);
  }
  if (!r.error.empty()) {
    r.detail = "POST " + t->url + ": " + (t->error[0] ? std::string(t->error) : r.error);
  }
  {
    std::lock_guard lock(mutex_);
    --queued_;
  }
  t->done(std::move(r));
}

}  // namespace hooks
