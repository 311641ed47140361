// Stanford-PKU RRAM model: a conductive filament whose tip is separated from the electrode by a gap g
// (Guan, Yu & Wong, IEEE EDL 33:1405, 2012; Jiang et al., SISPAD 2014 and IEEE TED 63:1884, 2016;
// Verilog-A rram_v_1_0_0.va, doi:10.4231/D37H1DN48). Tunnelling through the gap sets the current,
// field- and temperature-accelerated ion hopping moves the tip, and Joule heating couples the two.
//
// Differences from the published Verilog-A, all documented in docs/devices/stanford_pku.md:
//  - the F_min cut-off of gamma is a steep logistic of width F_smooth (F_smooth = 0 gives the paper's
//    hard step), so Newton and implicit integrators see a smooth rate;
//  - version 1.0.0 forces gamma0 = 16 for V < 0; the papers use one gamma0 for both polarities, and so
//    do we (with the published gamma0 = 16 the two agree);
//  - the dynamic-variability term is noise, not part of dstate_dt: steppers add it through
//    noise_rate()/noise_increment();
//  - physical constants are CODATA 2018 (the Verilog-A takes q and k_B from constants.vams).
#pragma once

#include "devices/model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

namespace memxbar::devices {

struct stanford_pku {
    static constexpr std::string_view name = "stanford_pku";
    static constexpr std::string_view title = "Stanford-PKU RRAM filament-gap model (Guan, Yu & Wong 2012)";
    static constexpr std::size_t n_state = 1;

    static constexpr double q = 1.602176634e-19; // C, elementary charge (CODATA 2018, exact)
    static constexpr double k_B = 1.380649e-23;  // J/K, Boltzmann constant (CODATA 2018, exact)
    // Arguments of exp/sinh are limited so that v0 * sinh(.) and I0 * sinh(.) stay finite for every
    // parameter value the table allows (sinh(600) ~ 2e260); physical operation never comes near.
    static constexpr double arg_max = 600.0;

    // Defaults: rram_v_1_0_0.va / Guan 2012 (the set MemTorch also ships).
    struct params {
        double g0 = 0.25e-9;       // m, tunnelling decay length of the current
        double V0 = 0.25;          // V
        double I0 = 1e-3;          // A
        double v0 = 10.0;          // m/s, attempt velocity of gap motion
        double beta = 0.8;         // 1
        double gamma0 = 16.0;      // 1, local field enhancement at zero gap
        double g1 = 1e-9;          // m, normalisation of the gap in gamma
        double Ea = 0.6;           // eV, activation energy of oxygen-vacancy hopping
        double a0 = 0.25e-9;       // m, atomic hopping distance
        double t_ox = 12e-9;       // m, oxide thickness
        double F_min = 1.4e9;      // V/m, minimum field for gap motion
        double F_smooth = 1e7;     // V/m, width of the smoothed F_min cut-off (0 = hard step)
        double R_th = 2.1e3;       // K/W, effective thermal resistance
        double T0 = 298.0;         // K, ambient temperature
        double g_min = 0.2e-9;     // m
        double g_ini = 0.2e-9;     // m
        double g_max = 1.7e-9;     // m
        double model_switch = 0.0; // 0 = standard, 1 = dynamic (variability noise on)
        double delta_g0 = 0.02;    // m/s, rate scale of the dynamic gap noise
        double T_crit = 450.0;     // K
        double T_smth = 500.0;     // K
        double time_step = 1e-9;   // s, bound step of the Verilog-A; the noise is defined per such step
    };

    static param_table<params> parameters() {
        static constexpr std::array<param_info<params>, 22> table = {{
            {"g0", "m", &params::g0, 1e-12, 1e-8, "decay length of the tunnelling current with the gap",
             "Guan 2012; rram_v_1_0_0.va"},
            {"V0", "V", &params::V0, 1e-3, 10.0, "voltage scale of the sinh I-V",
             "Guan 2012; rram_v_1_0_0.va"},
            {"I0", "A", &params::I0, 1e-15, 10.0, "current prefactor", "Guan 2012; rram_v_1_0_0.va"},
            {"v0", "m/s", &params::v0, 1e-12, 1e9, "attempt velocity of gap growth/dissolution",
             "Guan 2012; rram_v_1_0_0.va (Vel0)"},
            {"beta", "1", &params::beta, 0.0, 1e3, "decrease of field enhancement with the gap",
             "Guan 2012; rram_v_1_0_0.va"},
            {"gamma0", "1", &params::gamma0, 0.0, 1e3, "local field enhancement factor at zero gap",
             "Guan 2012; rram_v_1_0_0.va"},
            {"g1", "m", &params::g1, 1e-11, 1e-7, "gap normalisation in gamma = gamma0 - beta (g/g1)^3",
             "Guan 2012 (g1 = 1 nm)"},
            {"Ea", "eV", &params::Ea, 0.0, 5.0, "activation energy of oxygen-vacancy generation/migration",
             "Guan 2012; rram_v_1_0_0.va"},
            {"a0", "m", &params::a0, 1e-11, 1e-8, "atomic hopping distance", "Guan 2012; rram_v_1_0_0.va"},
            {"t_ox", "m", &params::t_ox, 1e-10, 1e-6, "oxide thickness", "Guan 2012; rram_v_1_0_0.va (tox)"},
            {"F_min", "V/m", &params::F_min, 0.0, 1e11, "minimum field gamma |V| / t_ox for gap motion",
             "Guan 2012; rram_v_1_0_0.va"},
            {"F_smooth", "V/m", &params::F_smooth, 0.0, 1e10,
             "width of the logistic that smooths the F_min cut-off (0 = hard step)",
             "memxbar (numerical, not in the paper)"},
            {"R_th", "K/W", &params::R_th, 0.0, 1e8, "effective thermal resistance, T = T0 + |V I| R_th",
             "Guan 2012; rram_v_1_0_0.va (Rth)"},
            {"T0", "K", &params::T0, 1.0, 2000.0, "ambient temperature",
             "Guan 2012; rram_v_1_0_0.va (T_ini)"},
            {"g_min", "m", &params::g_min, 0.0, 1e-8, "smallest gap (low-resistance bound)",
             "rram_v_1_0_0.va (gap_min)"},
            {"g_ini", "m", &params::g_ini, 0.0, 1e-8, "initial gap", "rram_v_1_0_0.va (gap_ini)"},
            {"g_max", "m", &params::g_max, 0.0, 1e-8, "largest gap (high-resistance bound)",
             "rram_v_1_0_0.va (gap_max)"},
            {"model_switch", "1", &params::model_switch, 0.0, 1.0,
             "0 = standard, 1 = dynamic model with gap noise (scales the noise)",
             "Jiang 2016; rram_v_1_0_0.va"},
            {"delta_g0", "m/s", &params::delta_g0, 0.0, 1.0, "rate scale of the dynamic gap noise",
             "Jiang 2016; rram_v_1_0_0.va (deltaGap0)"},
            {"T_crit", "K", &params::T_crit, 0.0, 5000.0, "temperature above which the gap noise is strong",
             "Jiang 2016; rram_v_1_0_0.va"},
            {"T_smth", "K", &params::T_smth, 1.0, 5000.0, "temperature width of the noise activation",
             "Jiang 2016; rram_v_1_0_0.va"},
            {"time_step", "s", &params::time_step, 1e-15, 1.0,
             "bound step; the noise draw is defined per step of this length",
             "rram_v_1_0_0.va ($bound_step)"},
        }};
        return table;
    }

    static std::span<const state_info> states() {
        // Hard bounds over every allowed card (g_min, g_max <= 10 nm); a card's own bounds are g_min, g_max.
        static constexpr std::array<state_info, 1> s = {
            {{"g", "m", 0.0, 1e-8, "tunnelling gap between filament tip and electrode"}}};
        return s;
    }

    // Cross-parameter checks, run once when a card is bound.
    static std::string validate(const params& p) {
        const auto m = [](double x) {
            std::ostringstream s;
            s.precision(6);
            s << x << " m";
            return s.str();
        };
        if (!(p.g_min < p.g_max))
            return "g_min = " + m(p.g_min) + " must be below g_max = " + m(p.g_max) +
                   " (the gap moves between them)";
        if (p.g_ini < p.g_min || p.g_ini > p.g_max)
            return "g_ini = " + m(p.g_ini) + " must lie in [g_min, g_max] = [" + m(p.g_min) + ", " +
                   m(p.g_max) + "]";
        if (p.g_max > p.t_ox)
            return "g_max = " + m(p.g_max) + " exceeds the oxide thickness t_ox = " + m(p.t_ox) +
                   " (the gap lies inside the oxide)";
        return "";
    }

    static state_vec<1> initial_state(const params& p) { return {p.g_ini}; }
    static state_vec<1> on_state(const params& p) { return {p.g_min}; }
    static state_vec<1> off_state(const params& p) { return {p.g_max}; }

    // --- current (Guan 2012): I = I0 exp(-g/g0) sinh(V/V0) ---------------------------------
    static double current(const params& p, const state_vec<1>& x, double v) {
        return p.I0 * std::exp(std::min(-x[0] / p.g0, arg_max)) *
               std::sinh(std::clamp(v / p.V0, -arg_max, arg_max));
    }
    static double di_dv(const params& p, const state_vec<1>& x, double v) {
        return p.I0 * std::exp(std::min(-x[0] / p.g0, arg_max)) *
               std::cosh(std::clamp(v / p.V0, -arg_max, arg_max)) / p.V0;
    }
    static void di_dx(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        out[0] = -current(p, x, v) / p.g0;
    }

    // --- local temperature (Guan 2012): T = T0 + |V I| R_th, algebraic (no thermal capacitance) ------
    static double temperature(const params& p, const state_vec<1>& x, double v) {
        return p.T0 + std::abs(v * current(p, x, v)) * p.R_th;
    }

    // --- field enhancement: gamma = gamma0 - beta (g/g1)^3 --------------------------------------------
    static double gamma(const params& p, double g) {
        const double r = g / p.g1;
        return p.gamma0 - p.beta * r * r * r;
    }
    // |V| at which the local field gamma |V| / t_ox reaches F_min: the effective switching threshold.
    static double threshold_voltage(const params& p, double g) {
        const double gm = gamma(p, g);
        return gm > 0.0 ? p.F_min * p.t_ox / gm : std::numeric_limits<double>::infinity();
    }

    // gamma with the F_min cut-off. The paper sets gamma = 0 when gamma |V| / t_ox < F_min; that step
    // makes dg/dt jump from 0 to ~1e-3 m/s at the threshold (at g_min), which makes Newton iterations
    // chatter. We multiply by a logistic L((gamma |V| / t_ox - F_min) / F_smooth) instead. With the default
    // F_smooth = 1e7 V/m the transition is ~7.5 mV wide in V (vs ~80 mV per e-fold of the sinh), and
    // L = 2e-32 at 0.5 V, so the threshold behaviour of the paper is kept.
    struct gamma_value {
        double value, d_dv, d_dg;
    };
    static gamma_value gamma_eff(const params& p, double g, double v) {
        const double gm = gamma(p, g);
        const double r = g / p.g1;
        const double dgm_dg = -3.0 * p.beta * r * r / p.g1;
        const double av = std::abs(v);
        const double field = gm * av / p.t_ox;
        if (p.F_smooth <= 0.0) { // the paper's hard step
            return field >= p.F_min ? gamma_value{gm, 0.0, dgm_dg} : gamma_value{0.0, 0.0, 0.0};
        }
        const double h = std::clamp((field - p.F_min) / p.F_smooth, -arg_max, arg_max);
        const double L = 1.0 / (1.0 + std::exp(-h));
        const double dL_dfield = L * (1.0 - L) / p.F_smooth;
        const double sgn = v >= 0.0 ? 1.0 : -1.0;
        return {gm * L, gm * dL_dfield * gm * sgn / p.t_ox, dgm_dg * (L + gm * dL_dfield * av / p.t_ox)};
    }

    // At a bound, motion outward is blocked (hard wall, as the Verilog-A's clamp of g after idt).
    static bool blocked(const params& p, double g, double dg) {
        return (g <= p.g_min && dg < 0.0) || (g >= p.g_max && dg > 0.0);
    }

    // Rate and its partials: f = -v0 exp(-q Ea / (k_B T)) sinh(gamma_eff a0 q V / (t_ox k_B T))
    // (Guan 2012; Jiang 2016), with T = T0 + V I(V, g) R_th. Since sinh is odd, V I >= 0, so
    // d|V I|/dV = I + V dI/dV and d|V I|/dg = V dI/dg: heating enters df/dv and df/dx through T.
    struct rate_value {
        double f, df_dv, df_dg;
    };
    static rate_value rate(const params& p, double g, double v) {
        const state_vec<1> x{g};
        const double i = current(p, x, v);
        const double sgn_p = v * i >= 0.0 ? 1.0 : -1.0;
        const double T = p.T0 + std::abs(v * i) * p.R_th;
        const double dT_dv = p.R_th * sgn_p * (i + v * di_dv(p, x, v));
        const double dT_dg = p.R_th * sgn_p * v * (-i / p.g0);
        const double u = q / (k_B * T); // 1/V
        const double du_dT = -u / T;
        const double A = std::exp(-std::min(p.Ea * u, arg_max)); // Arrhenius factor
        const double dA_dT = A * p.Ea * u / T;
        const auto ge = gamma_eff(p, g, v);
        const double c = p.a0 / p.t_ox;
        const double z_raw = c * ge.value * v * u;
        const double z = std::clamp(z_raw, -arg_max, arg_max);
        const double sh = std::sinh(z), ch = std::cosh(z);
        const double dz_dv = c * (ge.d_dv * v * u + ge.value * u + ge.value * v * du_dT * dT_dv);
        const double dz_dg = c * (ge.d_dg * v * u + ge.value * v * du_dT * dT_dg);
        return {-p.v0 * A * sh, -p.v0 * (dA_dT * dT_dv * sh + A * ch * dz_dv),
                -p.v0 * (dA_dT * dT_dg * sh + A * ch * dz_dg)};
    }

    static void dstate_dt(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        const double f = rate(p, x[0], v).f;
        out[0] = blocked(p, x[0], f) ? 0.0 : f;
    }
    static void df_dv(const params& p, const state_vec<1>& x, double v, state_vec<1>& out) {
        const auto r = rate(p, x[0], v);
        out[0] = blocked(p, x[0], r.f) ? 0.0 : r.df_dv;
    }
    static void df_dx(const params& p, const state_vec<1>& x, double v, state_jac<1>& out) {
        const auto r = rate(p, x[0], v);
        out[0] = blocked(p, x[0], r.f) ? 0.0 : r.df_dg;
    }

    // --- dynamic variability (Jiang 2016; rram_v_1_0_0.va with model_switch = 1) -----------------------
    // The Verilog-A adds xi * delta_g0 * s / (1 + exp((T_crit - T) / T_smth)) to dg/dt, with a fresh
    // xi ~ N(0, 1) at every evaluation and steps bounded to time_step = 1 ns, so each 1 ns step moves g
    // by noise_rate * time_step * xi. That is noise, so it is kept out of dstate_dt (an ODE solver would
    // see a discontinuous right-hand side). noise_rate returns the coefficient in m/s.
    static double noise_rate(const params& p, const state_vec<1>& x, double v) {
        const double T = temperature(p, x, v);
        return p.delta_g0 * p.model_switch / (1.0 + std::exp(std::min((p.T_crit - T) / p.T_smth, arg_max)));
    }
    // How a stepper uses it: after a deterministic step of length dt from (x, v), add
    //   dg = noise_rate * sqrt(dt * time_step) * xi,   xi ~ N(0, 1)
    // (e.g. random_stream(seed, purpose::model_internal).normal(device, step)), then clamp() g. At
    // dt = time_step this is exactly the Verilog-A's increment; for other dt it is the Euler-Maruyama
    // step with the same variance per unit time, so the statistics do not depend on the step size.
    static double noise_increment(const params& p, const state_vec<1>& x, double v, double dt, double xi) {
        return noise_rate(p, x, v) * std::sqrt(dt * p.time_step) * xi;
    }
    static void clamp(const params& p, state_vec<1>& x) { x[0] = std::clamp(x[0], p.g_min, p.g_max); }
};

static_assert(ode_model<stanford_pku>);

} // namespace memxbar::devices
