// Checks every device model must pass, written once: analytic partials against central finite
// differences, the pinched hysteresis I(0, x) = 0, and kernels that stay finite across the state box.
#pragma once

#include "devices/model.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace memxbar::testing {

// Relative agreement with a floor: |a - b| <= rel * max(|a|, |b|, scale).
inline bool close(double a, double b, double rel, double scale) {
    return std::abs(a - b) <= rel * std::max({std::abs(a), std::abs(b), scale});
}

// Central differences with step h * (1 + |value|); tolerance 1e-5 relative covers the O(h^2)
// truncation for h = 1e-6 on these smooth-away-from-kinks functions. Points on kinks (thresholds,
// window corners) must be left out of `voltages`/`states` by the caller.
template <devices::ode_model M>
void check_partials(const typename M::params& p, const std::vector<devices::state_vec<M::n_state>>& states,
                    const std::vector<double>& voltages, double rel = 1e-5, double h_rel = 1e-6) {
    constexpr std::size_t n = M::n_state;
    for (const auto& x : states) {
        for (double v : voltages) {
            INFO("v = " << v << ", x[0] = " << x[0]);
            const double hv = h_rel * (1.0 + std::abs(v));
            const double i_scale = std::abs(M::current(p, x, v)) + 1e-30;
            const double fd_didv = (M::current(p, x, v + hv) - M::current(p, x, v - hv)) / (2 * hv);
            CHECK(close(M::di_dv(p, x, v), fd_didv, rel, i_scale * 1e-6));

            devices::state_vec<n> f0{}, fp{}, fm{}, dfdv{}, didx{};
            devices::state_jac<n> jac{};
            M::dstate_dt(p, x, v, f0);
            M::df_dv(p, x, v, dfdv);
            M::di_dx(p, x, v, didx);
            M::df_dx(p, x, v, jac);
            M::dstate_dt(p, x, v + hv, fp);
            M::dstate_dt(p, x, v - hv, fm);
            for (std::size_t r = 0; r < n; ++r) {
                const double f_scale = std::abs(f0[r]) + 1e-30;
                INFO("df/dv row " << r);
                CHECK(close(dfdv[r], (fp[r] - fm[r]) / (2 * hv), rel, f_scale * 1e-6));
            }
            for (std::size_t c = 0; c < n; ++c) {
                // step relative to the state's physical range: a gap in metres and x in [0, 1] alike
                const double w = M::states()[c].max - M::states()[c].min;
                const double hx = h_rel * ((std::isfinite(w) && w > 0.0 ? w : 1.0) + std::abs(x[c]));
                auto xp = x, xm = x;
                xp[c] += hx;
                xm[c] -= hx;
                INFO("d/dx column " << c);
                CHECK(close(didx[c], (M::current(p, xp, v) - M::current(p, xm, v)) / (2 * hx), rel,
                            i_scale * 1e-6));
                M::dstate_dt(p, xp, v, fp);
                M::dstate_dt(p, xm, v, fm);
                for (std::size_t r = 0; r < n; ++r) {
                    const double f_scale = std::abs(f0[r]) + 1e-30;
                    INFO("df/dx row " << r);
                    CHECK(close(jac[r * n + c], (fp[r] - fm[r]) / (2 * hx), rel, f_scale * 1e-6));
                }
            }
        }
    }
}

// Pinched hysteresis: no current without voltage, whatever the state.
template <devices::device_model M>
void check_pinched(const typename M::params& p, const std::vector<devices::state_vec<M::n_state>>& states) {
    for (const auto& x : states)
        CHECK(M::current(p, x, 0.0) == 0.0);
}

// Kernels are finite over a grid of states and voltages, including the bounds.
template <devices::ode_model M>
void check_finite(const typename M::params& p, const std::vector<devices::state_vec<M::n_state>>& states,
                  const std::vector<double>& voltages) {
    for (const auto& x : states)
        for (double v : voltages) {
            devices::state_vec<M::n_state> f{};
            M::dstate_dt(p, x, v, f);
            CHECK(std::isfinite(M::current(p, x, v)));
            for (double fi : f)
                CHECK(std::isfinite(fi));
        }
}

} // namespace memxbar::testing
