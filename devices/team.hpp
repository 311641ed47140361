// TEAM and VTEAM threshold-adaptive memristor models: TEAM is current-controlled (Kvatinsky, Friedman,
// Kolodny & Weiser, IEEE TCAS-I 60:211, 2013), VTEAM voltage-controlled (Kvatinsky, Ramadan, Friedman &
// Kolodny, IEEE TCAS-II 62:786, 2015). Both share one state equation in a drive u (u = i or u = v):
//
//   dx/dt = k_off (u/u_off - 1)^alpha_off f_off(x)   for 0 < u_off < u
//         = 0                                        for u_on <= u <= u_off
//         = k_on  (u/u_on  - 1)^alpha_on  f_on(x)    for u < u_on < 0,   k_on < 0 < k_off
//
// and one I-V relation, linear or exponential in x (Kvatinsky 2013). The state x (metres) lies in
// [x_on, x_off] with x_on < x_off: R(x_on) = R_on, R(x_off) = R_off. A positive drive beyond u_off
// raises x and hence the resistance (OFF switching); a negative drive below u_on lowers it (ON).
// This is the opposite polarity to the HP model, where positive current lowers the resistance.
//
// One template, `threshold_adaptive<Spec>`, holds the kernels; a Spec says what the drive u is and
// carries the parameter struct, the defaults and the names of the thresholds (i_on/i_off, v_on/v_off).
#pragma once

#include "devices/model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <string>

namespace memxbar::devices {

namespace team_detail {

enum window_kind { none = 0, kvatinsky = 1, joglekar = 2, biolek = 3 };
inline constexpr std::array<std::string_view, 4> window_names = {"none", "kvatinsky", "joglekar", "biolek"};
enum iv_kind { linear = 0, exponential = 1 };
inline constexpr std::array<std::string_view, 2> iv_names = {"linear", "exponential"};

// Exponents are limited so that k (u/u_th - 1)^alpha and its partials stay finite for any allowed card
// (e^600 ~ 4e260, k <= 1e12).
inline constexpr double exp_max = 600.0;

// The parameter table both models share; only the threshold rows and the sources of the defaults differ:
// `fit` for the device values, `bounds` for x_on, x_off, x0, `window_src` for a_off, a_on, w_c.
template <class P>
constexpr std::array<param_info<P>, 17> threshold_table(std::string_view paper, std::string_view fit,
                                                        std::string_view bounds, std::string_view window_src,
                                                        param_info<P> u_off, param_info<P> u_on) {
    return {{
        {"R_on", "ohm", &P::R_on, 1e-3, 1e12, "resistance at x = x_on (ON, low-resistance state)", fit},
        {"R_off", "ohm", &P::R_off, 1e-3, 1e15, "resistance at x = x_off (OFF, high-resistance state)", fit},
        {"x_on", "m", &P::x_on, 0.0, 1e-7, "state bound where R = R_on", bounds},
        {"x_off", "m", &P::x_off, 0.0, 1e-7, "state bound where R = R_off (x_off > x_on)", bounds},
        {"k_off", "m/s", &P::k_off, 1e-30, 1e12, "rate coefficient of OFF switching (x rises), > 0", fit},
        {"k_on", "m/s", &P::k_on, -1e12, -1e-30, "rate coefficient of ON switching (x falls), < 0", fit},
        {"alpha_off", "1", &P::alpha_off, 1.0, 20.0, "exponent of the OFF switching rate", fit},
        {"alpha_on", "1", &P::alpha_on, 1.0, 20.0, "exponent of the ON switching rate", fit},
        u_off,
        u_on,
        {"a_off", "m", &P::a_off, -1e-7, 2e-7, "Kvatinsky window: x where f_off falls to 1/e", window_src},
        {"a_on", "m", &P::a_on, -1e-7, 2e-7, "Kvatinsky window: x where f_on falls to 1/e", window_src},
        {"w_c", "m", &P::w_c, 1e-15, 1e-7, "Kvatinsky window: width of the cliff at a_on, a_off", window_src},
        {"p", "1", &P::p, 1.0, 50.0, "Joglekar/Biolek window exponent (integer in the papers)",
         "Joglekar & Wolf 2009; Biolek 2009"},
        {"window", "choice", &P::window, 0, 3, "window function f_on, f_off", paper, window_names},
        {"iv_relation", "choice", &P::iv_relation, 0, 1, "I-V relation: R linear or exponential in x", paper,
         iv_names},
        {"x0", "m", &P::x0, 0.0, 1e-7, "initial state (in [x_on, x_off])", bounds},
    }};
}

// The kernels. Spec provides: params, name, title, parameters(), drive(p, v, R, dR_dx) and the two
// thresholds u_on(p) < 0 < u_off(p).
template <class Spec> struct threshold_adaptive {
    using params = typename Spec::params;
    static constexpr std::string_view name = Spec::name;
    static constexpr std::string_view title = Spec::title;
    static constexpr std::size_t n_state = 1;
    static constexpr auto window_names = team_detail::window_names;
    static constexpr auto iv_names = team_detail::iv_names;

    static param_table<params> parameters() { return Spec::parameters(); }

    static std::span<const state_info> states() {
        // Hard bounds over every allowed card (x_on, x_off <= 100 nm); a card's own bounds are x_on, x_off,
        // which the kernels enforce as walls.
        static constexpr std::array<state_info, 1> s = {
            {{"x", "m", 0.0, 1e-7,
              "state (e.g. undoped width or tunnel gap); R_on at x_on, R_off at x_off"}}};
        return s;
    }

    static state_vec<1> initial_state(const params& p) { return {p.x0}; }
    static state_vec<1> on_state(const params& p) { return {p.x_on}; }
    static state_vec<1> off_state(const params& p) { return {p.x_off}; }

    // Cross-parameter checks, run once when a card is bound. Signs of k and of the thresholds are
    // enforced by the table ranges.
    static std::string validate(const params& p) {
        std::ostringstream s;
        s.precision(6);
        if (!(p.R_on < p.R_off))
            s << "R_on = " << p.R_on << " ohm must be below R_off = " << p.R_off
              << " ohm (R_on is the low-resistance state at x_on)";
        else if (!(p.x_on < p.x_off))
            s << "x_on = " << p.x_on << " m must be below x_off = " << p.x_off
              << " m (OFF switching, k_off > 0, moves x up towards x_off)";
        else if (p.x0 < p.x_on || p.x0 > p.x_off)
            s << "x0 = " << p.x0 << " m must lie in [x_on, x_off] = [" << p.x_on << ", " << p.x_off << "] m";
        else if (static_cast<int>(p.window) == kvatinsky && !(p.a_on < p.a_off))
            s << "a_on = " << p.a_on << " m must be below a_off = " << p.a_off
              << " m for the Kvatinsky window (f_on closes below a_on, f_off above a_off)";
        return s.str();
    }

    // Kvatinsky 2013: R linear in x, or R_on exp(lambda s) with lambda = ln(R_off/R_on); x is clamped to the
    // bounds, so R never leaves [R_on, R_off] even if an integrator overshoots a wall.
    struct resistance_value {
        double R, dR_dx;
    };
    static resistance_value resistance_of(const params& p, double x) {
        const double L = p.x_off - p.x_on;
        const double s_raw = (x - p.x_on) / L;
        const double s = std::clamp(s_raw, 0.0, 1.0);
        const double inside = s == s_raw ? 1.0 : 0.0;
        if (static_cast<int>(p.iv_relation) == exponential) {
            const double lambda = std::log(p.R_off / p.R_on);
            const double R = p.R_on * std::exp(lambda * s);
            return {R, inside * R * lambda / L};
        }
        return {p.R_on + (p.R_off - p.R_on) * s, inside * (p.R_off - p.R_on) / L};
    }
    static double resistance(const params& p, double x) { return resistance_of(p, x).R; }

    static double current(const params& p, const state_vec<1>& x, double v) {
        return v / resistance(p, x[0]);
    }
    static double di_dv(const params& p, const state_vec<1>& x, double) { return 1.0 / resistance(p, x[0]); }
    static void di_dx(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        const auto r = resistance_of(p, x[0]);
        out[0] = -v * r.dR_dx / (r.R * r.R);
    }

    // Window value and slope.
    struct window_value {
        double f, df_dx;
    };
    // Kvatinsky window (Kvatinsky 2013):
    //   f_off = exp(-exp((x - a_off)/w_c)),  f_on = exp(-exp(-(x - a_on)/w_c)).
    // The product exp(z) f is formed before the slope is scaled by 1/w_c: exp(z) may be huge where f = 0.
    static window_value kvatinsky_window(double z, double dz_dx) {
        const double ez = std::exp(std::clamp(z, -exp_max, exp_max));
        const double f = std::exp(-ez);
        return {f, -(ez * f) * dz_dx};
    }
    // Joglekar and Biolek act on the normalised state w = (x - x_on)/(x_off - x_on) in [0, 1]. In TEAM the
    // branch fixes the direction of motion, so Biolek's stp(-i) is resolved: the OFF branch (w rising)
    // uses 1 - w^(2p), the ON branch 1 - (w - 1)^(2p); no step in u is left to smooth.
    static window_value power_window(const params& p, double u, double du_dx) {
        // 1 - |u|^(2p), |u| <= 1; written with |u| so that non-integer p is defined.
        const double two_p = 2.0 * p.p;
        const double pw = std::pow(std::abs(u), two_p - 1.0);
        return {1.0 - pw * std::abs(u), -two_p * pw * std::copysign(1.0, u) * du_dx};
    }
    static window_value window(const params& p, double x, bool off_branch) {
        const double L = p.x_off - p.x_on;
        const double w_raw = (x - p.x_on) / L;
        const double w = std::clamp(w_raw, 0.0, 1.0);
        const double dw_dx = w == w_raw ? 1.0 / L : 0.0;
        switch (static_cast<int>(p.window)) {
        case kvatinsky:
            return off_branch ? kvatinsky_window((x - p.a_off) / p.w_c, 1.0 / p.w_c)
                              : kvatinsky_window(-(x - p.a_on) / p.w_c, -1.0 / p.w_c);
        case joglekar:
            return power_window(p, 2.0 * w - 1.0, 2.0 * dw_dx);
        case biolek:
            return off_branch ? power_window(p, w, dw_dx) : power_window(p, w - 1.0, dw_dx);
        default:
            return {1.0, 0.0};
        }
    }

    // (u/u_th - 1)^alpha and its u-derivative beyond a threshold; alpha >= 1, so both vanish or stay
    // finite at the threshold (for alpha = 1 the slope jumps there, a kink the papers have too).
    struct power_value {
        double g, dg_du;
    };
    static power_value rate_power(double u, double u_th, double alpha) {
        const double r = u / u_th - 1.0;
        if (!(r > 0.0)) return {0.0, 0.0};
        if (r > 1.0 && alpha * std::log(r) > exp_max) return {std::exp(exp_max), 0.0};
        const double pw = std::pow(r, alpha - 1.0);
        return {pw * r, alpha * pw / u_th};
    }

    // dx/dt and its partials in one pass.
    struct rate_value {
        double f, df_dv, df_dx;
    };
    static rate_value rate(const params& p, double x, double v) {
        const auto r = resistance_of(p, x);
        const auto d = Spec::drive(v, r.R, r.dR_dx); // u, du/dv, du/dx
        const double u_off = Spec::u_off(p), u_on = Spec::u_on(p);
        const bool off = d.u > u_off;
        if (!off && !(d.u < u_on)) return {0.0, 0.0, 0.0}; // between the thresholds nothing moves
        const double k = off ? p.k_off : p.k_on;
        const auto g = rate_power(d.u, off ? u_off : u_on, off ? p.alpha_off : p.alpha_on);
        const auto w = window(p, x, off);
        const double f = k * g.g * w.f;
        // Walls at x_on and x_off: drive that pushes outward moves nothing (as the hp model, and as the
        // clamps of MemTorch and the Kvatinsky Verilog-A).
        if ((x >= p.x_off && f > 0.0) || (x <= p.x_on && f < 0.0)) return {0.0, 0.0, 0.0};
        return {f, k * g.dg_du * d.du_dv * w.f, k * (g.dg_du * d.du_dx * w.f + g.g * w.df_dx)};
    }

    static void dstate_dt(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        out[0] = rate(p, x[0], v).f;
    }
    static void df_dv(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        out[0] = rate(p, x[0], v).df_dv;
    }
    static void df_dx(const params& p, const state_vec<1>& x, double v, state_jac<1>& out) {
        out[0] = rate(p, x[0], v).df_dx;
    }
};

struct drive_value {
    double u, du_dv, du_dx;
};

} // namespace team_detail

// TEAM: the drive is the device current i = v / R(x).
struct team_spec {
    static constexpr std::string_view name = "team";
    static constexpr std::string_view title = "TEAM current-threshold adaptive memristor (Kvatinsky 2013)";

    // Defaults: the TEAM paper's fit to the Simmons tunnel-barrier model, as run by Xyce
    // (Xyce_Regression memristorTEAM_test.cir; k in m/s = Xyce's KOFF/KON, whose XSCALING = 1e9 only
    // expresses x in nm); x_on, x_off, a_on, a_off are Xyce's defaults, which that netlist keeps.
    struct params {
        double R_on = 50.0;      // ohm
        double R_off = 1e3;      // ohm
        double x_on = 0.0;       // m
        double x_off = 3e-9;     // m
        double k_off = 1.46e-18; // m/s (1.46e-9 nm/s)
        double k_on = -4.68e-22; // m/s (-4.68e-13 nm/s)
        double alpha_off = 10.0; // 1
        double alpha_on = 10.0;  // 1
        double i_off = 115e-6;   // A
        double i_on = -8.9e-6;   // A
        double a_off = 3e-9;     // m
        double a_on = 0.0;       // m
        double w_c = 1e-12;      // m
        double p = 1.0;          // Joglekar/Biolek exponent (unused by the Kvatinsky window)
        double window = team_detail::kvatinsky;
        double iv_relation = team_detail::linear;
        double x0 = 0.0; // m: Xyce starts the netlist from x = 0 (R = R_on)
    };

    static param_table<params> parameters() {
        static constexpr auto table = team_detail::threshold_table<params>(
            "Kvatinsky 2013 (TEAM)", "Kvatinsky 2013 Simmons fit; Xyce_Regression memristorTEAM_test.cir",
            "Xyce defaults XON, XOFF (kept by memristorTEAM_test.cir); x0: Xyce's operating point",
            "Kvatinsky 2013; Xyce defaults AON, AOFF; WC of memristorTEAM_test.cir",
            {"i_off", "A", &params::i_off, 1e-15, 10.0, "OFF current threshold, > 0",
             "Kvatinsky 2013; Xyce_Regression memristorTEAM_test.cir"},
            {"i_on", "A", &params::i_on, -10.0, -1e-15, "ON current threshold, < 0",
             "Kvatinsky 2013; Xyce_Regression memristorTEAM_test.cir"});
        return table;
    }

    static double u_off(const params& p) { return p.i_off; }
    static double u_on(const params& p) { return p.i_on; }
    static team_detail::drive_value drive(double v, double R, double dR_dx) {
        return {v / R, 1.0 / R, -v * dR_dx / (R * R)};
    }
};

// VTEAM: the drive is the device voltage.
struct vteam_spec {
    static constexpr std::string_view name = "vteam";
    static constexpr std::string_view title = "VTEAM voltage-threshold adaptive memristor (Kvatinsky 2015)";

    // Defaults: MemTorch's VTEAM (memtorch/bh/memristor/VTEAM.py): no window, x clamped to [0, 3 nm],
    // linear I-V, starting in the ON state.
    struct params {
        double R_on = 50.0;     // ohm
        double R_off = 1e3;     // ohm
        double x_on = 0.0;      // m
        double x_off = 3e-9;    // m
        double k_off = 5e-4;    // m/s
        double k_on = -10.0;    // m/s
        double alpha_off = 1.0; // 1
        double alpha_on = 3.0;  // 1
        double v_off = 0.02;    // V
        double v_on = -0.2;     // V
        double a_off = 3e-9;    // m (Kvatinsky window, unused by default)
        double a_on = 0.0;      // m
        double w_c = 1e-12;     // m
        double p = 1.0;         // Joglekar/Biolek exponent
        double window = team_detail::none;
        double iv_relation = team_detail::linear;
        double x0 = 0.0; // m
    };

    static param_table<params> parameters() {
        static constexpr auto table = team_detail::threshold_table<params>(
            "Kvatinsky 2015 (VTEAM)", "MemTorch VTEAM.py defaults",
            "MemTorch VTEAM.py (x_on = 0, x_off = d, x0 = x_on)",
            "Kvatinsky 2013; memxbar: at the walls, w_c as team (MemTorch has no window)",
            {"v_off", "V", &params::v_off, 1e-9, 1e3, "OFF voltage threshold, > 0",
             "Kvatinsky 2015; MemTorch VTEAM.py"},
            {"v_on", "V", &params::v_on, -1e3, -1e-9, "ON voltage threshold, < 0",
             "Kvatinsky 2015; MemTorch VTEAM.py"});
        return table;
    }

    static double u_off(const params& p) { return p.v_off; }
    static double u_on(const params& p) { return p.v_on; }
    static team_detail::drive_value drive(double v, double, double) { return {v, 1.0, 0.0}; }
};

struct team : team_detail::threshold_adaptive<team_spec> {};
struct vteam : team_detail::threshold_adaptive<vteam_spec> {};

static_assert(ode_model<team>);
static_assert(ode_model<vteam>);

} // namespace memxbar::devices
