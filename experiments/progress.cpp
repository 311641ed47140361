#include "experiments/progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace memxbar::experiments {

std::string format_seconds(double s) {
    char buf[64];
    if (!std::isfinite(s) || s < 0) return "?";
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%.0f s", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%d min %02d s", static_cast<int>(s / 60), static_cast<int>(s) % 60);
    else
        std::snprintf(buf, sizeof buf, "%d h %02d min", static_cast<int>(s / 3600),
                      static_cast<int>(s / 60) % 60);
    return buf;
}

progress::progress(std::string label, std::size_t total, std::size_t already_done, bool enabled)
    : label_(std::move(label)), total_(total), start_done_(already_done), enabled_(enabled),
      tty_(::isatty(2) != 0), t0_(std::chrono::steady_clock::now()), last_draw_(t0_) {}

void progress::update(std::size_t done, double running) {
    if (!enabled_ || total_ == 0) return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - t0_).count();
    const double since_draw = std::chrono::duration<double>(now - last_draw_).count();
    const double fraction =
        std::min(1.0, (static_cast<double>(done) + running) / static_cast<double>(total_));
    const double this_session = static_cast<double>(done - std::min(done, start_done_)) + running;
    const double rate = elapsed > 0 ? this_session / elapsed : 0.0;
    const double left =
        rate > 0 ? (static_cast<double>(total_) - static_cast<double>(done) - running) / rate : std::nan("");
    char stats[160];
    std::snprintf(stats, sizeof stats, "%zu/%zu runs  %.3g/s  %s left", done, total_, rate,
                  this_session > 0 ? format_seconds(left).c_str() : "?");
    if (tty_) {
        if (since_draw < 0.1 && done < total_) return;
        constexpr int width = 30;
        const int filled = static_cast<int>(fraction * width);
        std::string bar(static_cast<std::size_t>(filled), '=');
        if (filled < width) bar += '>';
        bar.resize(width, ' ');
        std::fprintf(stderr, "\r\033[K%s [%s] %3.0f%%  %s", label_.c_str(), bar.c_str(), 100 * fraction,
                     stats);
        std::fflush(stderr);
    } else {
        // Not a terminal: a line per 10 % or every 30 s, so logs stay readable.
        if (std::floor(fraction * 10) <= std::floor(last_fraction_logged_ * 10) && since_draw < 30 &&
            done < total_)
            return;
        if (fraction == last_fraction_logged_) return;
        last_fraction_logged_ = fraction;
        std::fprintf(stderr, "%s: %3.0f%%  %s\n", label_.c_str(), 100 * fraction, stats);
    }
    last_draw_ = now;
}

void progress::finish(const std::string& message) {
    if (!enabled_) return;
    if (tty_) std::fprintf(stderr, "\r\033[K");
    std::fprintf(stderr, "%s\n", message.c_str());
}

} // namespace memxbar::experiments
