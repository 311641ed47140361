// Many devices of one model, stored as structure of arrays: one contiguous vector per state variable,
// parameters shared unless a card asks for device-to-device spread. The kernels below loop over
// devices with the model as a template parameter (static dispatch, no allocation).
#pragma once

#include "devices/model.hpp"
#include "devices/variability.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace memxbar::devices {

// Solve (I - h J) d = h f for small N by Gaussian elimination with partial pivoting, in place.
template <std::size_t N> void linearly_implicit_step(state_jac<N>& a, state_vec<N>& rhs) {
    for (std::size_t c = 0; c < N; ++c) {
        std::size_t piv = c;
        for (std::size_t r = c + 1; r < N; ++r)
            if (std::abs(a[r * N + c]) > std::abs(a[piv * N + c])) piv = r;
        if (piv != c) {
            for (std::size_t k = 0; k < N; ++k)
                std::swap(a[c * N + k], a[piv * N + k]);
            std::swap(rhs[c], rhs[piv]);
        }
        const double d = a[c * N + c];
        if (d == 0.0) return; // singular: fall back to the explicit increment already in rhs
        for (std::size_t r = c + 1; r < N; ++r) {
            const double m = a[r * N + c] / d;
            for (std::size_t k = c; k < N; ++k)
                a[r * N + k] -= m * a[c * N + k];
            rhs[r] -= m * rhs[c];
        }
    }
    for (std::size_t c = N; c-- > 0;) {
        double s = rhs[c];
        for (std::size_t k = c + 1; k < N; ++k)
            s -= a[c * N + k] * rhs[k];
        rhs[c] = s / a[c * N + c];
    }
}

// One linearly implicit (Rosenbrock-)Euler step of length h at fixed voltage v: solve
// (I - h J) dx = h f(x, v) with the model's analytic J = df/dx, then x += dx. First order, and stable
// on the stiff models (ns thermal constants, Arrhenius rates) at step sizes explicit methods cannot take.
template <ode_model M>
void linearly_implicit_euler(const typename M::params& p, state_vec<M::n_state>& x, double v, double h) {
    constexpr std::size_t N = M::n_state;
    state_vec<N> f{};
    state_jac<N> a{};
    M::dstate_dt(p, x, v, f);
    M::df_dx(p, x, v, a);
    for (std::size_t r = 0; r < N; ++r) {
        f[r] *= h;
        for (std::size_t c = 0; c < N; ++c)
            a[r * N + c] = (r == c ? 1.0 : 0.0) - h * a[r * N + c];
    }
    linearly_implicit_step<N>(a, f);
    for (std::size_t r = 0; r < N; ++r)
        x[r] += f[r];
}

template <device_model M> class device_array {
  public:
    using params = typename M::params;
    static constexpr std::size_t N = M::n_state;

    device_array(std::size_t n, const params& nominal, const variability_spec& var, std::uint64_t seed)
        : n_(n), nominal_(nominal), var_(var), seed_(seed), stuck_(n, stuck_state::none) {
        if (!var.d2d.empty()) {
            per_device_.reserve(n);
            for (std::size_t k = 0; k < n; ++k)
                per_device_.push_back(sample_device<M>(nominal, var, seed, k));
        }
        for (auto& v : x_)
            v.resize(n);
        for (std::size_t k = 0; k < n; ++k) {
            stuck_[k] = sample_stuck(var, seed, k);
            const auto& p = param(k);
            set_state(k, stuck_[k] == stuck_state::on    ? M::on_state(p)
                         : stuck_[k] == stuck_state::off ? M::off_state(p)
                                                         : M::initial_state(p));
        }
    }

    [[nodiscard]] std::size_t size() const { return n_; }
    [[nodiscard]] const params& param(std::size_t k) const {
        return per_device_.empty() ? nominal_ : per_device_[k];
    }
    [[nodiscard]] stuck_state stuck(std::size_t k) const { return stuck_[k]; }
    [[nodiscard]] state_vec<N> state(std::size_t k) const {
        state_vec<N> s;
        for (std::size_t j = 0; j < N; ++j)
            s[j] = x_[j][k];
        return s;
    }
    void set_state(std::size_t k, const state_vec<N>& s) {
        for (std::size_t j = 0; j < N; ++j)
            x_[j][k] = s[j];
    }
    [[nodiscard]] std::span<const double> state_variable(std::size_t j) const { return x_[j]; }
    [[nodiscard]] std::uint64_t cycle() const { return cycle_; }

    // Current of every device at read voltage v (noise-free).
    void read(double v, std::span<double> current) const {
        for (std::size_t k = 0; k < n_; ++k)
            current[k] = M::current(param(k), state(k), v);
    }

    // One programming pulse of amplitude v and duration `width` on every device, integrated with
    // `substeps` linearly implicit Euler steps (stable for the stiff models: thermal time constants of
    // ns against pulses of us). Cycle-to-cycle noise scales each device's state change; stuck devices
    // do not move.
    void pulse(double v, double width, int substeps) requires ode_model<M> {
        const double h = width / substeps;
        const auto info = M::states();
        for (std::size_t k = 0; k < n_; ++k) {
            if (stuck_[k] != stuck_state::none) continue;
            const auto& p = param(k);
            const state_vec<N> x0 = state(k);
            state_vec<N> x = x0;
            for (int s = 0; s < substeps; ++s) {
                linearly_implicit_euler<M>(p, x, v, h);
                for (std::size_t r = 0; r < N; ++r)
                    x[r] = std::clamp(x[r], info[r].min, info[r].max);
            }
            const double g = c2c_factor(var_, seed_, k, cycle_);
            for (std::size_t r = 0; r < N; ++r)
                x[r] = std::clamp(x0[r] + g * (x[r] - x0[r]), info[r].min, info[r].max);
            set_state(k, x);
        }
        ++cycle_;
    }

    // One potentiating (+1) or depressing (-1) pulse on every device of a pulse-response model.
    void pulse(int polarity) requires pulse_model<M> {
        const random_stream rng(seed_, purpose::cycle_to_cycle);
        for (std::size_t k = 0; k < n_; ++k) {
            if (stuck_[k] != stuck_state::none) continue;
            state_vec<N> x = state(k);
            M::apply_pulse(param(k), x, polarity, rng.normal(k, cycle_));
            set_state(k, x);
        }
        ++cycle_;
    }

  private:
    std::size_t n_;
    params nominal_;
    variability_spec var_;
    std::uint64_t seed_;
    std::uint64_t cycle_ = 0;
    std::vector<params> per_device_;
    std::vector<stuck_state> stuck_;
    std::array<std::vector<double>, N> x_;
};

} // namespace memxbar::devices
