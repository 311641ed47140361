// Yakopcic generalized memristor model: Yakopcic et al., IEEE EDL 32:1436 (2011) and IEEE TCAD 32:1201
// (2013). A sinh I-V of a metal-insulator-metal stack scaled by the state, exponential voltage thresholds
// for state motion, and a state-dependent decay of that motion near each bound (w_p, w_n), in the
// paper forms (see docs/devices/yakopcic.md).
#pragma once

#include "devices/model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace memxbar::devices {

struct yakopcic {
    static constexpr std::string_view name = "yakopcic";
    static constexpr std::string_view title = "Yakopcic generalized memristor (Yakopcic 2011/2013)";
    static constexpr std::size_t n_state = 1;

    // Defaults: the Oblea Ag-chalcogenide fit (TCAD 2013; Yakopcic SPICE deck of 12/21/2011).
    struct params {
        double a1 = 0.17;     // A, I-V amplitude for V >= 0
        double a2 = 0.17;     // A, I-V amplitude for V < 0
        double b = 0.05;      // 1/V, sinh steepness
        double V_p = 0.16;    // V, positive threshold
        double V_n = 0.15;    // V, magnitude of the negative threshold
        double A_p = 4000.0;  // 1/s, state motion scale above V_p
        double A_n = 4000.0;  // 1/s, state motion scale below -V_n
        double x_p = 0.3;     // state where positive motion starts to decay
        double x_n = 0.5;     // 1 - x_n is where negative motion starts to decay
        double alpha_p = 1.0; // decay rate of positive motion beyond x_p
        double alpha_n = 5.0; // decay rate of negative motion below 1 - x_n
        double eta = 1.0;     // +1: V > V_p increases x; -1: it decreases x
        double x0 = 0.11;     // initial state
    };

    static param_table<params> parameters() {
        static constexpr std::array<param_info<params>, 13> table = {{
            {"a1", "A", &params::a1, 1e-12, 1e3, "I-V amplitude for V >= 0 (I = a1 x sinh(b V))",
             "Yakopcic 2011, 2013 (I-V)"},
            {"a2", "A", &params::a2, 1e-12, 1e3, "I-V amplitude for V < 0 (I = a2 x sinh(b V))",
             "Yakopcic 2011, 2013 (I-V)"},
            {"b", "1/V", &params::b, 1e-3, 100.0, "steepness of the sinh I-V", "Yakopcic 2011, 2013 (I-V)"},
            {"V_p", "V", &params::V_p, 0.0, 10.0, "positive programming threshold",
             "Yakopcic 2013 (threshold g)"},
            {"V_n", "V", &params::V_n, 0.0, 10.0, "magnitude of the negative programming threshold",
             "Yakopcic 2013 (threshold g)"},
            {"A_p", "1/s", &params::A_p, 0.0, 1e12, "state motion scale above V_p",
             "Yakopcic 2013 (threshold g)"},
            {"A_n", "1/s", &params::A_n, 0.0, 1e12, "state motion scale below -V_n",
             "Yakopcic 2013 (threshold g)"},
            {"x_p", "1", &params::x_p, 0.0, 0.999, "state beyond which positive motion decays",
             "Yakopcic 2013 (window f, w_p)"},
            {"x_n", "1", &params::x_n, 0.0, 0.999, "negative motion decays below state 1 - x_n",
             "Yakopcic 2013 (window f, w_n)"},
            {"alpha_p", "1", &params::alpha_p, 0.0, 1e3,
             "exponential decay rate of positive motion beyond x_p", "Yakopcic 2013 (window f)"},
            {"alpha_n", "1", &params::alpha_n, 0.0, 1e3,
             "exponential decay rate of negative motion below 1 - x_n", "Yakopcic 2013 (window f)"},
            {"eta", "1", &params::eta, -1.0, 1.0,
             "direction of state motion: +1 or -1 (V > V_p moves x up for +1)",
             "Yakopcic 2013 (state equation)"},
            {"x0", "1", &params::x0, 0.0, 1.0, "initial state", "Yakopcic SPICE deck 12/21/2011 (xo = 0.11)"},
        }};
        return table;
    }

    // Cross-parameter check, once at card binding: eta is a sign, not a rate.
    static std::string validate(const params& p) {
        if (p.eta != 1.0 && p.eta != -1.0)
            return "parameter 'eta' = " + std::to_string(p.eta) +
                   ": must be +1 or -1 (direction of state motion)";
        return "";
    }

    static std::span<const state_info> states() {
        static constexpr std::array<state_info, 1> s = {
            {{"x", "1", 0.0, 1.0, "state variable (I = a x sinh(b V))"}}};
        return s;
    }

    static state_vec<1> initial_state(const params& p) { return {p.x0}; }
    static state_vec<1> on_state(const params&) { return {1.0}; }  // current is proportional to x
    static state_vec<1> off_state(const params&) { return {0.0}; } // no conduction at x = 0

    // Exponential arguments are limited so that A_p e^V and a sinh(b V) stay finite for every table value.
    static constexpr double max_exp_arg = 500.0;
    static double lim(double z) { return std::clamp(z, -max_exp_arg, max_exp_arg); }

    // I-V, TCAD 2013: I = a1 x sinh(bV) for V >= 0, a2 x sinh(bV) for V < 0.
    static double amplitude(const params& p, double v) { return v >= 0.0 ? p.a1 : p.a2; }
    static double current(const params& p, const state_vec<1>& x, double v) {
        return amplitude(p, v) * x[0] * std::sinh(lim(p.b * v));
    }
    // Beyond the exponent limit the slope at the limit is returned, not 0, so Newton still sees a rising
    // I(V).
    static double di_dv(const params& p, const state_vec<1>& x, double v) {
        return amplitude(p, v) * x[0] * p.b * std::cosh(lim(p.b * v));
    }
    static void di_dx(const params& p, const state_vec<1>&, double v, state_vec<1>& out) {
        out[0] = amplitude(p, v) * std::sinh(lim(p.b * v));
    }

    // Threshold function g, TCAD 2013 (V in volts inside the exponentials): g and dg/dV.
    struct g_value {
        double g, dg_dv;
    };
    static g_value threshold(const params& p, double v) {
        if (v > p.V_p) {
            const double e = std::exp(lim(v));
            return {p.A_p * (e - std::exp(p.V_p)), p.A_p * e};
        }
        if (v < -p.V_n) {
            const double e = std::exp(lim(-v));
            return {-p.A_n * (e - std::exp(p.V_n)), p.A_n * e};
        }
        return {0.0, 0.0};
    }

    // Motion decay f(x) with w_p, w_n, TCAD 2013, and df/dx. `towards_one` is eta V > 0. Both branches are
    // only C0 (at x_p and at 1 - x_n); the derivative returned there is the one of the decaying side.
    // The exponents are <= 0 on the branches that use them, so no limiting is needed; outside [0, 1]
    // w_p, w_n change sign and push the state back, as in the paper.
    struct f_value {
        double f, df_dx;
    };
    static f_value motion(const params& p, double x, bool towards_one) {
        if (towards_one) {
            if (x < p.x_p) return {1.0, 0.0};
            const double e = std::exp(-p.alpha_p * (x - p.x_p));
            const double w = (p.x_p - x) / (1.0 - p.x_p) + 1.0; // w_p: 1 at x_p, 0 at x = 1
            return {e * w, e * (-p.alpha_p * w - 1.0 / (1.0 - p.x_p))};
        }
        if (x > 1.0 - p.x_n) return {1.0, 0.0};
        const double e = std::exp(p.alpha_n * (x + p.x_n - 1.0));
        const double w = x / (1.0 - p.x_n); // w_n: 1 at 1 - x_n, 0 at x = 0
        return {e * w, e * (p.alpha_n * w + 1.0 / (1.0 - p.x_n))};
    }

    // State equation, TCAD 2013: dx/dt = eta g(V) f(x).
    static void dstate_dt(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        const auto g = threshold(p, v);
        if (g.g == 0.0) { // dead zone (or exactly at a threshold): no motion, whatever f is
            out[0] = 0.0;
            return;
        }
        out[0] = p.eta * g.g * motion(p, x[0], p.eta * v > 0.0).f;
    }
    // f switches branch only at V = 0, inside the dead zone where g = 0, so d/dV acts on g alone.
    static void df_dv(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        const auto g = threshold(p, v);
        if (g.dg_dv == 0.0) {
            out[0] = 0.0;
            return;
        }
        out[0] = p.eta * g.dg_dv * motion(p, x[0], p.eta * v > 0.0).f;
    }
    static void df_dx(const params& p, const state_vec<1>& x, double v, state_jac<1>& out) {
        const auto g = threshold(p, v);
        if (g.g == 0.0) {
            out[0] = 0.0;
            return;
        }
        out[0] = p.eta * g.g * motion(p, x[0], p.eta * v > 0.0).df_dx;
    }
};

static_assert(ode_model<yakopcic>);

} // namespace memxbar::devices
