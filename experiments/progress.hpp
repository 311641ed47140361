// Progress of a run on stderr: a bar redrawn in place with points done, rate and time left when stderr
// is a terminal; otherwise (logs, CI, Slurm) a plain line every 10 % or 30 s.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace memxbar::experiments {

class progress {
  public:
    progress(std::string label, std::size_t total, std::size_t already_done, bool enabled = true);
    // done: finished runs (this session's and earlier ones); running: fractions of runs in flight.
    void update(std::size_t done, double running = 0.0);
    void finish(const std::string& message); // clears the bar and prints the closing line

  private:
    std::string label_;
    std::size_t total_, start_done_;
    bool enabled_, tty_;
    std::chrono::steady_clock::time_point t0_, last_draw_;
    double last_fraction_logged_ = -1.0;
};

std::string format_seconds(double s); // "42 s", "3 min 05 s", "2 h 10 min"

} // namespace memxbar::experiments
