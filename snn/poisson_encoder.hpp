// Poisson rate coding of an image: input i fires in each time step with probability rate_i dt
// (Brian2's PoissonGroup), drawn event by event: the gap to the next spike is geometric, one keyed draw
// per spike, and spikes wait in a calendar of per-step buckets. Cost is proportional to the number of
// spikes, not to inputs x steps. Draws are keyed by (seed, input, presentation, spike index).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace memxbar::snn {

class poisson_encoder {
  public:
    poisson_encoder(std::size_t n_inputs, std::uint64_t seed);

    // Start a presentation of n_steps steps of length dt with rates in Hz (>= 0, rate dt <= 1: at
    // rate dt = 1 the input fires every step). `presentation` keys the draws: use a new number for
    // every presentation, including repeats of the same image.
    void start(std::span<const double> rates_hz, double dt, std::int64_t n_steps, std::uint64_t presentation);

    // Appends the inputs firing at step k of the presentation (0 <= k < n_steps, visited in increasing k)
    // to `out` (cleared first), in a deterministic order.
    void spikes_at(std::int64_t k, std::vector<std::uint32_t>& out);

    [[nodiscard]] std::size_t size() const { return next_.size(); }

  private:
    void schedule(std::uint32_t i, std::int64_t from);
    std::uint64_t seed_;
    std::uint64_t presentation_ = 0;
    std::int64_t n_steps_ = 0;
    std::vector<double> log_q_;        // ln(1 - rate dt) per input; 0 = silent
    std::vector<std::uint32_t> count_; // spikes drawn so far this presentation, per input
    std::vector<std::int32_t> next_;   // calendar: next input in the same bucket, -1 = end
    std::vector<std::int32_t> head_;   // calendar: first input of each step's bucket
};

} // namespace memxbar::snn
