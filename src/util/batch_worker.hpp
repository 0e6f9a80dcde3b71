// A thread that takes items handed over from any thread and passes them on
// in batches, in order: whatever piled up while the last batch was being
// written goes in the next one (one transaction, one pass over the files).
// It may also run a task of its own every so often, between batches.
// Destroying it writes what is queued, then joins.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace util {

template <typename T>
class BatchWorker {
 public:
  using Handler = std::function<void(const std::vector<T>&)>;

  struct Periodic {
    std::chrono::steady_clock::duration every;
    std::function<void()> task;  // on the worker thread
  };

  explicit BatchWorker(Handler handler, std::optional<Periodic> periodic = std::nullopt)
      : handler_(std::move(handler)), periodic_(std::move(periodic)) {
    thread_ = std::thread([this] { run(); });
  }
  ~BatchWorker() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  BatchWorker(const BatchWorker&) = delete;
  BatchWorker& operator=(const BatchWorker&) = delete;

  void add(std::vector<T> items) {
    if (items.empty()) return;
    {
      std::lock_guard lock(mutex_);
      queued_ += items.size();
      for (auto& i : items) pending_.push_back(std::move(i));
    }
    cv_.notify_all();
  }

  // Blocks until everything added so far is handled.
  void flush() {
    std::unique_lock lock(mutex_);
    const size_t target = queued_;
    cv_.wait(lock, [&] { return handled_ >= target; });
  }

 private:
  void run() {
    const auto ready = [&] { return stopping_ || !pending_.empty(); };
    auto next_task = std::chrono::steady_clock::now();
    if (periodic_) next_task += periodic_->every;
    std::unique_lock lock(mutex_);
    for (;;) {
      if (periodic_) {
        cv_.wait_until(lock, next_task, ready);
      } else {
        cv_.wait(lock, ready);
      }
      // Checked on every turn, so that a steady stream of items does not
      // hold the task off.
      if (periodic_ && std::chrono::steady_clock::now() >= next_task) {
        next_task += periodic_->every;
        lock.unlock();
        periodic_->task();
        lock.lock();
      }
      if (pending_.empty()) {
        if (stopping_) return;  // all handled
        continue;
      }
      auto batch = std::exchange(pending_, {});
      lock.unlock();
      handler_(batch);
      lock.lock();
      handled_ += batch.size();
      cv_.notify_all();
    }
  }

  Handler handler_;
  std::optional<Periodic> periodic_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<T> pending_;
  size_t queued_ = 0, handled_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace util
