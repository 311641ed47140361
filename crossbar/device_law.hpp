// The current-voltage law of the crosspoint devices during a DC solve, with the state held fixed. A law
// gives the current I(v) of cell k and its small-signal conductance dI/dv; the solver is a template on
// the law, so the per-cell call is inlined (static dispatch per element).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

namespace memxbar::crossbar {

// I = G v.
struct linear_law {
    std::span<const double> G; // row-major N x M
    static constexpr bool is_linear = true;
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
    [[nodiscard]] double current(std::size_t k, double v) const { return G[k] * std::sinh(b * v) / b; }
    [[nodiscard]] double conductance(std::size_t k, double v) const { return G[k] * std::cosh(b * v); }
    // Limit each Newton update of a device voltage to 2/b (the exponential's scale), as SPICE limits
    // junction voltages, so a far-off first guess cannot overflow cosh.
    [[nodiscard]] double step_limit() const { return 2.0 / b; }
};

} // namespace memxbar::crossbar
