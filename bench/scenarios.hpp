// The scenarios: each one is a coroutine that drives the Loadgen core and
// prints its results (README.md, "What is measured", says what each
// measures). They return the process's exit status.
#pragma once

#include "loadgen.hpp"

namespace bench {

// N users in one channel; S senders send R messages/s in total for T s
// (fixed rate), or each keeps K messages in flight (max_mode).
asio::awaitable<int> fanout(Loadgen& g, bool max_mode);
// N connections, then all log in at once: time until all saw the full list.
asio::awaitable<int> join_storm(Loadgen& g);
// N bare connections, then L of them log in: server memory per connection.
asio::awaitable<int> idle_memory(Loadgen& g);
// One user toggles its camera in a room with cameras and relations: how fast
// each toggle reaches every client's who list.
asio::awaitable<int> who_toggle(Loadgen& g);
// A big room: N bare connections log in with K logins in flight, then an
// idle hold, then (with who-list deltas) camera toggles.
asio::awaitable<int> storm(Loadgen& g);

}  // namespace bench
