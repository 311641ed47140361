// HP linear ion drift memristor (Strukov et al., Nature 453:80, 2008) with the window functions of
// Joglekar & Wolf (2009), Biolek et al. (2009) and Prodromakis et al. (2011), in their paper forms.
#pragma once

#include "devices/model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace memxbar::devices {

struct hp_linear_drift {
    static constexpr std::string_view name = "hp";
    static constexpr std::string_view title = "HP linear ion drift (Strukov 2008) with window functions";
    static constexpr std::size_t n_state = 1;

    enum window_kind { none = 0, joglekar = 1, biolek = 2, prodromakis = 3 };
    static constexpr std::array<std::string_view, 4> window_names = {"none", "joglekar", "biolek",
                                                                     "prodromakis"};

    // Defaults: the Biolek SPICE subcircuit set (R_init = 11 kOhm).
    struct params {
        double R_on = 100.0;          // ohm
        double R_off = 16e3;          // ohm
        double D = 10e-9;             // m
        double mu_v = 1e-14;          // m^2/(V s)
        double p = 1.0;               // window exponent
        double j = 1.0;               // Prodromakis window scale
        double window = biolek;       // window_kind
        double i_smooth = 1e-9;       // A, width of the smoothed Biolek step
        double x0 = 5000.0 / 15900.0; // initial w/D: R_init = 11 kOhm
    };

    static param_table<params> parameters() {
        static constexpr std::array<param_info<params>, 9> table = {{
            {"R_on", "ohm", &params::R_on, 1e-3, 1e12, "resistance of the fully doped device (w = D)",
             "Strukov 2008; Biolek 2009 SPICE model"},
            {"R_off", "ohm", &params::R_off, 1e-3, 1e15, "resistance of the undoped device (w = 0)",
             "Strukov 2008; Biolek 2009 SPICE model"},
            {"D", "m", &params::D, 1e-10, 1e-6, "device thickness", "Strukov 2008"},
            {"mu_v", "m^2/(V s)", &params::mu_v, 1e-20, 1e-8, "dopant mobility", "Strukov 2008"},
            {"p", "1", &params::p, 1.0, 50.0, "window exponent (integer in the papers)",
             "Joglekar 2009; Biolek 2009; Prodromakis 2011"},
            {"j", "1", &params::j, 1e-3, 1e3, "Prodromakis window scale", "Prodromakis 2011"},
            {"window", "choice", &params::window, 0, 3, "window function", "", window_names},
            {"i_smooth", "A", &params::i_smooth, 1e-15, 1e-3,
             "current scale of the smoothed step in the Biolek window", "Biolek, Di Ventra & Pershin 2013"},
            {"x0", "1", &params::x0, 0.0, 1.0, "initial normalised doped width w/D",
             "Biolek 2009 (R_init = 11 kOhm)"},
        }};
        return table;
    }

    static std::span<const state_info> states() {
        static constexpr std::array<state_info, 1> s = {{{"x", "1", 0.0, 1.0, "normalised doped width w/D"}}};
        return s;
    }

    static std::string validate(const params& p) {
        return p.R_on < p.R_off ? ""
                                : "R_on must be below R_off (R_on is the fully doped, low-resistance state)";
    }

    static state_vec<1> initial_state(const params& p) { return {p.x0}; }
    static state_vec<1> on_state(const params&) { return {1.0}; }
    static state_vec<1> off_state(const params&) { return {0.0}; }

    static double k(const params& p) { return p.mu_v * p.R_on / (p.D * p.D); }
    static double resistance(const params& p, double x) { return p.R_on * x + p.R_off * (1.0 - x); }

    static double current(const params& p, const state_vec<1>& x, double v) {
        return v / resistance(p, x[0]);
    }
    static double di_dv(const params& p, const state_vec<1>& x, double) { return 1.0 / resistance(p, x[0]); }
    static void di_dx(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        const double r = resistance(p, x[0]);
        out[0] = v * (p.R_off - p.R_on) / (r * r);
    }

    // Window F(x, i) and its partials dF/dx, dF/di.
    struct window_value {
        double F, dF_dx, dF_di;
    };
    static window_value window_of(const params& p, double x, double i) {
        // Windows are only defined on [0, 1]; outside, F is held at its boundary value (dF/dx = 0).
        if (x < 0.0 || x > 1.0) {
            auto w = window_of(p, std::clamp(x, 0.0, 1.0), i);
            w.dF_dx = 0.0;
            return w;
        }
        const double xc = x;
        const double two_p = 2.0 * p.p;
        switch (static_cast<int>(p.window)) {
        case joglekar: {
            // u^(2p) written as |u|^(2p): identical for the papers' integer p, and defined for real p.
            const double u = 2.0 * xc - 1.0;
            const double pw = std::pow(std::abs(u), two_p - 1.0);
            return {1.0 - pw * std::abs(u), -two_p * pw * std::copysign(1.0, u) * 2.0, 0.0};
        }
        case biolek: {
            // stp(-i) smoothed: s = 1 / (1 + exp(i / i_smooth)), 1 for i << 0, 0 for i >> 0.
            const double z = std::clamp(i / p.i_smooth, -700.0, 700.0);
            const double s = 1.0 / (1.0 + std::exp(z));
            const double ds_di = -s * (1.0 - s) / p.i_smooth;
            const double u = xc - s;
            const double pw = std::pow(std::abs(u), two_p - 1.0) * std::copysign(1.0, u); // u^(2p-1)
            return {1.0 - pw * u, -two_p * pw, two_p * pw * ds_di};
        }
        case prodromakis: {
            const double u = (xc - 0.5) * (xc - 0.5) + 0.75;
            const double pw = std::pow(u, p.p - 1.0);
            return {p.j * (1.0 - pw * u), -p.j * p.p * pw * 2.0 * (xc - 0.5), 0.0};
        }
        default:
            return {1.0, 0.0, 0.0};
        }
    }

    // At a bound, drive that pushes outward moves nothing (hard wall); this is also what keeps the
    // window-less model physical.
    static bool blocked(double x, double dx) { return (x >= 1.0 && dx > 0.0) || (x <= 0.0 && dx < 0.0); }

    static void dstate_dt(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        const double i = current(p, x, v);
        const double f = k(p) * i * window_of(p, x[0], i).F;
        out[0] = blocked(x[0], f) ? 0.0 : f;
    }
    static void df_dv(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        const double i = current(p, x, v);
        const auto w = window_of(p, x[0], i);
        const double kk = k(p);
        if (blocked(x[0], kk * i * w.F)) {
            out[0] = 0.0;
            return;
        }
        out[0] = kk * di_dv(p, x, v) * (w.F + i * w.dF_di);
    }
    static void df_dx(const params& p, const state_vec<1>& x, double v, state_jac<1>& out) {
        const double i = current(p, x, v);
        const auto w = window_of(p, x[0], i);
        const double kk = k(p);
        if (blocked(x[0], kk * i * w.F)) {
            out[0] = 0.0;
            return;
        }
        state_vec<1> didx;
        di_dx(p, x, v, didx);
        out[0] = kk * (didx[0] * w.F + i * (w.dF_dx + w.dF_di * didx[0]));
    }
};

static_assert(ode_model<hp_linear_drift>);

} // namespace memxbar::devices
