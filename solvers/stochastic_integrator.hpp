// Models whose equations carry a noise term (the Stanford-PKU dynamic-variability gap noise) are
// stochastic ODEs: dx = f(x, v) dt + noise. They are stepped at a fixed dt (the model's own bound step,
// 1 ns in the Verilog-A it comes from): a linearly implicit Euler step for f (stable for the stiff
// Arrhenius rates), then the model's noise increment with a draw keyed by (seed, device, step), then
// the model's clamp. Same seed and device, same trace, whatever else runs.
#pragma once

#include "devices/device_array.hpp" // linearly_implicit_euler
#include "devices/random_stream.hpp"
#include "solvers/ode_integrator.hpp"

#include <cmath>
#include <cstdint>

namespace memxbar::solvers {

template <class M>
concept stochastic_model = devices::ode_model<M> &&
    requires(const typename M::params& p, devices::state_vec<M::n_state>& x, double v) {
    { M::noise_rate(p, x, v) } -> std::convertible_to<double>;
    { M::noise_increment(p, x, v, 1.0, 0.0) } -> std::convertible_to<double>;
    M::clamp(p, x);
};

// True when the card's parameters switch the noise on (e.g. model_switch = 1).
template <stochastic_model M>
bool noise_active(const typename M::params& p, const devices::state_vec<M::n_state>& x0) {
    return M::noise_rate(p, x0, 0.0) > 0.0;
}

template <stochastic_model M>
trace integrate_stochastic(const typename M::params& p, devices::state_vec<M::n_state> x,
                           const waveform& drive, double t_end, double dt, double output_dt, double r_series,
                           std::uint64_t seed, std::uint64_t device) {
    constexpr std::size_t N = M::n_state;
    static_assert(N == 1, "the noise hook is defined on the first state variable");
    if (!(dt > 0.0)) throw std::invalid_argument("stochastic step must be > 0 s");
    const auto steps = static_cast<std::uint64_t>(std::ceil(t_end / dt - 1e-9));
    if (steps > 2'000'000'000ull)
        throw std::invalid_argument("the noise step " + std::to_string(dt) +
                                    " s gives more than 2e9 steps over " + std::to_string(t_end) +
                                    " s; shorten the run");
    const detail::device_system<M> sys(p, drive, r_series);
    const auto times = detail::output_times(t_end, output_dt);
    trace out = detail::make_trace<M>();
    const detail::recorder<M> rec{sys, out};
    const devices::random_stream rng(seed, devices::purpose::model_internal);
    std::array<double, N> y{};
    const auto to_y = [&] {
        for (std::size_t k = 0; k < N; ++k)
            y[k] = x[k] / sys.scale[k];
    };
    to_y();
    std::size_t k = 0;
    double t = 0.0;
    while (k < times.size() && times[k] <= t)
        rec(times[k++], y.data());
    for (std::uint64_t s = 0; s < steps; ++s) {
        const double h = std::min(dt, t_end - t);
        const double v = sys.device_voltage(drive(t + h), x); // implicit in time, like the state
        devices::linearly_implicit_euler<M>(p, x, v, h);
        x[0] += M::noise_increment(p, x, v, h, rng.normal(device, s));
        M::clamp(p, x);
        t = (s + 1 == steps) ? t_end : t + h;
        to_y();
        while (k < times.size() && times[k] <= t * (1 + 1e-12))
            rec(times[k++], y.data());
    }
    while (k < times.size())
        rec(times[k++], y.data());
    out.steps = steps;
    return out;
}

} // namespace memxbar::solvers
