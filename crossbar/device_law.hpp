// The current-voltage law of the crosspoint devices during a DC solve, with the state held fixed. A law
// gives the current I(v) of cell k and its small-signal conductance dI/dv; the solver is a template on
// the law, so the per-cell call is inlined (static dispatch per element).
#pragma once

#include "devices/device_array.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>

namespace memxbar::crossbar {

// I = G v.
struct linear_law {
    std::span<const double> G; // row-major N x M
    static constexpr bool is_linear = true;
    [[nodiscard]] std::size_t cells() const { return G.size(); }
    [[nodiscard]] double current(std::size_t k, double v) const { return G[k] * v; }
    [[nodiscard]] double conductance(std::size_t k, double) const { return G[k]; }
    // Newton's voltage-step limit per device (V); irrelevant for a linear law.
    [[nodiscard]] double step_limit() const { return 1e300; }
};

// I = G sinh(b v) / b: small-signal conductance G at 0 V, exponential at large |v| (tunnelling-like
// nonlinearity; the `--device sinh` law of the command line and of gen_crossbar's netlists).
struct sinh_law {
    std::span<const double> G;
    double b = 1.0; // 1/V
    static constexpr bool is_linear = false;
    [[nodiscard]] std::size_t cells() const { return G.size(); }
    [[nodiscard]] double current(std::size_t k, double v) const { return G[k] * std::sinh(b * v) / b; }
    [[nodiscard]] double conductance(std::size_t k, double v) const { return G[k] * std::cosh(b * v); }
    // Limit each Newton update of a device voltage to 2/b (the exponential's scale), as SPICE limits
    // junction voltages, so a far-off first guess cannot overflow cosh.
    [[nodiscard]] double step_limit() const { return 2.0 / b; }
};

// Any device model at its present state (Yakopcic, Stanford-PKU, ... as programmed): the model's own
// I(v, x) and dI/dv, per device of an array. The state does not move during a DC solve.
template <devices::device_model M> struct model_law {
    const devices::device_array<M>& array;
    double max_step = 0.2; // V, Newton step limit per device (the exponentials of these models)
    static constexpr bool is_linear = false;
    [[nodiscard]] std::size_t cells() const { return array.size(); }
    [[nodiscard]] double current(std::size_t k, double v) const {
        return M::current(array.param(k), array.state(k), v);
    }
    [[nodiscard]] double conductance(std::size_t k, double v) const {
        return M::di_dv(array.param(k), array.state(k), v);
    }
    [[nodiscard]] double step_limit() const { return max_step; }
};

// A selector in series with each device (1S1R): I_s = I0 sinh(v_s / V0), a threshold-like element that
// blocks sneak currents at low bias (Burr et al., JVST B 32:040802 (2014) survey the selector families).
struct sinh_selector {
    double I0 = 1e-7; // A
    double V0 = 0.1;  // V
    [[nodiscard]] double current(double v) const { return I0 * std::sinh(std::clamp(v / V0, -700.0, 700.0)); }
    [[nodiscard]] double conductance(double v) const {
        return I0 / V0 * std::cosh(std::clamp(v / V0, -700.0, 700.0));
    }
};

// Device law A in series with a selector S in every cell. The cell current I(v) solves
// I_A(v - v_s) = I_S(v_s) for the selector's share v_s: both are increasing, so the root is bracketed
// in [min(0, v), max(0, v)]; Newton safeguarded by bisection. dI/dv = g_A g_S / (g_A + g_S).
template <class Inner, class Selector> struct series_selector_law {
    Inner inner;
    Selector selector;
    static constexpr bool is_linear = false;
    [[nodiscard]] std::size_t cells() const { return inner.cells(); }
    [[nodiscard]] double selector_voltage(std::size_t k, double v) const {
        double lo = std::min(0.0, v), hi = std::max(0.0, v), vs = 0.5 * (lo + hi);
        for (int it = 0; it < 200 && hi - lo > 1e-15 * (std::abs(v) + 1e-30); ++it) {
            const double f = selector.current(vs) - inner.current(k, v - vs); // increasing in vs
            if (f > 0.0)
                hi = vs;
            else
                lo = vs;
            const double df = selector.conductance(vs) + inner.conductance(k, v - vs);
            double next = vs - f / df;
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (std::abs(next - vs) <= 1e-16 * (std::abs(v) + 1e-30)) return next;
            vs = next;
        }
        return vs;
    }
    [[nodiscard]] double current(std::size_t k, double v) const {
        return selector.current(selector_voltage(k, v));
    }
    [[nodiscard]] double conductance(std::size_t k, double v) const {
        const double vs = selector_voltage(k, v);
        const double gs = selector.conductance(vs), ga = inner.conductance(k, v - vs);
        return gs * ga / (gs + ga);
    }
    [[nodiscard]] double step_limit() const { return std::min(inner.step_limit(), 2.0 * selector.V0); }
};

} // namespace memxbar::crossbar
