#include "snn/poisson_encoder.hpp"

#include "snn/errors.hpp"
#include "snn/random_keys.hpp"

#include <cmath>
#include <string>

namespace memxbar::snn {

poisson_encoder::poisson_encoder(std::size_t n_inputs, std::uint64_t seed)
    : seed_(seed), log_q_(n_inputs, 0.0), count_(n_inputs, 0), next_(n_inputs, -1) {}

void poisson_encoder::start(std::span<const double> rates_hz, double dt, std::int64_t n_steps,
                            std::uint64_t presentation) {
    if (rates_hz.size() != size())
        throw snn_error("poisson_encoder: " + std::to_string(rates_hz.size()) + " rates for " +
                        std::to_string(size()) + " inputs");
    presentation_ = presentation;
    n_steps_ = n_steps;
    head_.assign(static_cast<std::size_t>(n_steps), -1);
    for (std::size_t i = 0; i < size(); ++i) {
        const double p = rates_hz[i] * dt;
        if (!(p >= 0.0 && p <= 1.0))
            check_range("rate[" + std::to_string(i) + "] * dt", p, 0.0, 1.0, "",
                        "spike probability per step; lower the rate or the time step");
        // ln(1 - p): p = 1 fires every step (-inf handled in schedule), p = 0 never.
        log_q_[i] = p >= 1.0 ? -INFINITY : std::log1p(-p);
        count_[i] = 0;
        next_[i] = -1;
        if (p > 0.0) schedule(static_cast<std::uint32_t>(i), 0);
    }
}

// First spike at step >= from: the number of failures before a success is geometric,
// floor(ln U / ln(1 - p)).
void poisson_encoder::schedule(std::uint32_t i, std::int64_t from) {
    const devices::random_stream rng(seed_, poisson_purpose);
    const double u = rng.uniform(i, presentation_, count_[i]++);
    const double gap = std::isinf(log_q_[i]) ? 0.0 : std::floor(std::log(u) / log_q_[i]);
    if (!(gap < static_cast<double>(n_steps_ - from))) return; // beyond this presentation
    const auto k = static_cast<std::size_t>(from + static_cast<std::int64_t>(gap));
    next_[i] = head_[k];
    head_[k] = static_cast<std::int32_t>(i);
}

void poisson_encoder::spikes_at(std::int64_t k, std::vector<std::uint32_t>& out) {
    out.clear();
    if (k < 0 || k >= n_steps_) return;
    std::int32_t i = head_[static_cast<std::size_t>(k)];
    head_[static_cast<std::size_t>(k)] = -1;
    while (i >= 0) {
        const std::int32_t after = next_[static_cast<std::size_t>(i)];
        out.push_back(static_cast<std::uint32_t>(i));
        schedule(static_cast<std::uint32_t>(i), k + 1);
        i = after;
    }
}

} // namespace memxbar::snn
