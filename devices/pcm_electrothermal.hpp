// Phase-change memory (GST) electro-thermal compact model: a lumped cell temperature, the amorphous
// fraction of the active region and a threshold-switching variable, following the standard forms of
// Sonoda et al., IEEE TED 55:1672 (2008) (rate equations for melting and JMAK crystallisation),
// Pirovano et al., IEEE TED 51:714 (2004) (threshold switching, ON state V = V_h + R_on I) and
// Ielmini & Zhang, JAP 102:054517 (2007) (Poole-Frenkel-like subthreshold transport).
//
// Cell: an amorphous cap of thickness a u_a in series with the crystalline path (heater + crystalline
// GST, resistance R_set). The series law needs the voltage u across the cap, found by Newton on
// I_cap(u) = (V - u) / R_set; every partial derivative then follows from the implicit function theorem,
// so the model stays an ODE with analytic partials. Differences from the papers (all smoothing, see
// docs/devices/pcm_electrothermal.md): the temperature gates T_x < T < T_m are logistic functions of
// width T_smooth, the threshold switch is a latch variable s with logistic on/hold/off gates of width
// V_smooth, the ON-state knee at V_h is a softplus of width V_smooth, the JMAK rate carries a seed
// c_min so that crystallisation can start from a fully amorphous cell, and V_th scales with the
// amorphous thickness a.
#pragma once

#include "devices/model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <string>

namespace memxbar::devices {

struct pcm_electrothermal {
    static constexpr std::string_view name = "pcm_et";
    static constexpr std::string_view title =
        "PCM electro-thermal compact model: heating, melt-quench, JMAK crystallisation, threshold switching";
    static constexpr std::size_t n_state = 3; // T, a, s

    static constexpr double q = 1.602176634e-19; // C (CODATA 2018, exact)
    static constexpr double k_B = 1.380649e-23;  // J/K (CODATA 2018, exact)
    // Exponent limit: sinh/exp of 600 is 2e260, so products with any allowed prefactor stay finite.
    static constexpr double arg_max = 600.0;
    // Floor of the cap thickness: a_hat = sqrt(a^2 + a_floor^2) keeps the cap resistance positive for
    // a <= 0 (an integrator overshoot) while changing nothing measurable for a >> 1e-9.
    static constexpr double a_floor = 1e-9;
    // Smallest a used inside ln(a) of the JMAK rate (the factor a in front makes the rate 0 there).
    static constexpr double a_tiny = 1e-300;

    // Defaults: typical GST (reference section 5a); the thermal R_th, C_th and the crystallisation
    // prefactor K0 are chosen so that the standard RESET (3 V, 50 ns) and SET (1.4 V, 200 ns) pulses
    // act as in the papers; see the card devices/cards/pcm_gst.toml for each value's source.
    struct params {
        double T0 = 300.0;      // K, ambient (heat-sink) temperature
        double R_th = 1.3e6;    // K/W, thermal resistance cell -> ambient
        double C_th = 7.7e-16;  // J/K, thermal capacitance (tau_th = R_th C_th = 1.0 ns)
        double T_m = 900.0;     // K, melting temperature of GST
        double T_x = 430.0;     // K, crystallisation temperature (below it crystallisation is off)
        double T_smooth = 5.0;  // K, width of the logistic melt / crystallisation gates
        double tau_m = 1e-9;    // s, melting time constant (da/dt = (1 - a) / tau_m above T_m)
        double K0 = 6.4e21;     // 1/s, JMAK rate prefactor, K = K0 exp(-Ea / k_B T)
        double Ea = 2.3;        // eV, activation energy of crystallisation
        double n = 3.0;         // 1, Avrami (JMAK) exponent
        double c_min = 1e-6;    // 1, crystalline seed so the JMAK rate is not 0 at c = 0
        double R_set = 5e3;     // ohm, crystalline path (fully SET cell)
        double I_a = 4e-7;      // A, subthreshold current prefactor of the full amorphous cap at T0
        double V_a = 0.2;       // V, subthreshold voltage scale of the full cap at T0 (grows as T a)
        double E_c = 0.4;       // eV, activation energy of amorphous conduction
        double V_th = 1.0;      // V, threshold-switching voltage of the full amorphous cap
        double V_h = 0.6;       // V, holding voltage of the ON state
        double I_h = 2e-5;      // A, holding current: the ON state lasts while I > I_h
        double R_on = 1e3;      // ohm, dynamic resistance of the ON state, V = V_h + R_on I
        double tau_s = 1e-10;   // s, time constant of threshold switching on and off
        double V_smooth = 0.01; // V, width of the ON-state knee and of the switching gates
        double a_init = 1.0;    // 1, initial amorphous fraction (1 = RESET state)
    };

    static param_table<params> parameters() {
        static constexpr std::array<param_info<params>, 22> table = {{
            {"T0", "K", &params::T0, 1.0, 2000.0, "ambient (heat-sink) temperature", "Sonoda 2008"},
            {"R_th", "K/W", &params::R_th, 1e2, 1e9, "thermal resistance from the active region to ambient",
             "Sonoda 2008 (form); chosen: SET cell at 810 K under 1.4 V, melts above 1.52 V"},
            {"C_th", "J/K", &params::C_th, 1e-21, 1e-9, "thermal capacitance of the active region",
             "Sonoda 2008 (form); tau_th = R_th C_th = 1 ns (reference: 1-10 ns)"},
            {"T_m", "K", &params::T_m, 300.0, 3000.0, "melting temperature", "Sonoda 2008; GST ~900 K"},
            {"T_x", "K", &params::T_x, 200.0, 3000.0, "crystallisation temperature (lower end of the window)",
             "Sonoda 2008; GST 420-450 K"},
            {"T_smooth", "K", &params::T_smooth, 0.1, 100.0, "width of the logistic T_x and T_m gates",
             "memxbar (numerical, not in the paper)"},
            {"tau_m", "s", &params::tau_m, 1e-15, 1e-3, "melting time constant above T_m",
             "Sonoda 2008 (ns scale)"},
            {"K0", "1/s", &params::K0, 0.0, 1e40, "JMAK rate prefactor, K(T) = K0 exp(-Ea / k_B T)",
             "Sonoda 2008 (form); value chosen: crystallises in ~50 ns at ~800 K"},
            {"Ea", "eV", &params::Ea, 0.0, 10.0, "activation energy of crystallisation",
             "Sonoda 2008; GST 2.1-2.4 eV"},
            {"n", "1", &params::n, 1.0, 6.0, "Avrami exponent of the JMAK law", "Sonoda 2008; GST 2.5-4"},
            {"c_min", "1", &params::c_min, 1e-12, 1e-2, "crystalline seed in the JMAK rate",
             "memxbar (numerical; reference section 8: c_min ~ 1e-6)"},
            {"R_set", "ohm", &params::R_set, 1.0, 1e9, "resistance of the crystalline path (SET state)",
             "Pirovano 2004; GST 5-20 kOhm"},
            {"I_a", "A", &params::I_a, 1e-15, 1e-3, "subthreshold current prefactor of the full cap at T0",
             "Ielmini & Zhang 2007 (form); value: R_reset = R_set + V_a / I_a = 0.5 MOhm"},
            {"V_a", "V", &params::V_a, 1e-3, 10.0, "subthreshold voltage scale of the full cap at T0",
             "Ielmini & Zhang 2007 (2 k_B T u_a / (q dz))"},
            {"E_c", "eV", &params::E_c, 0.0, 2.0, "activation energy of amorphous conduction",
             "Ielmini & Zhang 2007 (E_C - E_F ~ 0.3-0.4 eV)"},
            {"V_th", "V", &params::V_th, 0.01, 20.0, "threshold voltage of the full amorphous cap",
             "Pirovano 2004; GST 0.8-1.2 V"},
            {"V_h", "V", &params::V_h, 0.0, 10.0, "holding voltage of the ON state",
             "Pirovano 2004; GST 0.5-0.7 V"},
            {"I_h", "A", &params::I_h, 0.0, 1e-2, "holding current of the ON state", "Pirovano 2004"},
            {"R_on", "ohm", &params::R_on, 1.0, 1e7, "dynamic resistance of the ON state",
             "Pirovano 2004 (V = V_h + R_on I)"},
            {"tau_s", "s", &params::tau_s, 1e-15, 1e-6, "time constant of threshold switching",
             "memxbar (numerical; switching is sub-ns in Pirovano 2004)"},
            {"V_smooth", "V", &params::V_smooth, 1e-4, 0.5, "width of the ON-state knee and switching gates",
             "memxbar (numerical, not in the paper)"},
            {"a_init", "1", &params::a_init, 0.0, 1.0, "initial amorphous fraction (1 = RESET)", "memxbar"},
        }};
        return table;
    }

    static std::span<const state_info> states() {
        static constexpr std::array<state_info, 3> s = {{
            {"T", "K", 1.0, 1e4, "temperature of the active region"},
            {"a", "1", 0.0, 1.0, "amorphous fraction of the active region (1 - c)"},
            {"s", "1", 0.0, 1.0, "threshold-switching ON fraction of the amorphous cap"},
        }};
        return s;
    }

    // Cross-parameter checks, run once when a card is bound.
    static std::string validate(const params& p) {
        const auto num = [](double x, const char* unit) {
            std::ostringstream s;
            s.precision(6);
            s << x << " " << unit;
            return s.str();
        };
        if (!(p.T_x < p.T_m))
            return "T_x = " + num(p.T_x, "K") + " must be below T_m = " + num(p.T_m, "K") +
                   " (crystallisation happens between T_x and the melting point)";
        const double v_hold = p.V_h + p.R_on * p.I_h;
        if (!(p.V_th > v_hold))
            return "V_th = " + num(p.V_th, "V") + " must exceed V_h + R_on I_h = " + num(v_hold, "V") +
                   " (threshold switching needs a hysteresis window)";
        return "";
    }

    static state_vec<3> initial_state(const params& p) { return {p.T0, p.a_init, 0.0}; }
    static state_vec<3> on_state(const params& p) { return {p.T0, 0.0, 0.0}; }  // fully crystalline
    static state_vec<3> off_state(const params& p) { return {p.T0, 1.0, 0.0}; } // fully amorphous

    // --- small helpers ---------------------------------------------------------------------------
    static double logistic(double z) { return 1.0 / (1.0 + std::exp(-std::clamp(z, -arg_max, arg_max))); }
    // ln(1 + e^z) without overflow.
    static double softplus(double z) {
        return z > 30.0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
    }
    static double v_hold(const params& p) { return p.V_h + p.R_on * p.I_h; }

    // --- the amorphous cap (Ielmini & Zhang 2007; Pirovano 2004) ----------------------------------
    // OFF (subthreshold): I = I_a A(T) sinh(u / (V_a (T/T0) a_hat)), A(T) = exp(-E_c/k_B (1/T - 1/T0)):
    // in Ielmini & Zhang the sinh argument is q u dz / (2 k_B T u_a), so its voltage scale grows with T
    // and with the cap thickness u_a = a u_a,max, while the Arrhenius factor exp(-(E_C - E_F)/k_B T) is
    // written relative to T0 so that I_a is the room-temperature prefactor.
    // ON (after threshold switching): u = V_h + R_on I above V_h, written as the odd softplus
    // I_on = (w / R_on) [sp((u - V_h)/w) - sp((-u - V_h)/w)], which is 0 at u = 0 and C-infinity.
    // Cap current I_cap = I_off + s I_on: the ON filament is a parallel path that opens with s.
    struct cap_value {
        double I, dI_du, dI_dT, dI_da, dI_ds;
    };
    static cap_value cap(const params& p, double u, double T, double a, double s) {
        const double Te = std::max(T, 1.0);
        const double ec = p.E_c * q / k_B; // K
        const double expo = std::min(-ec * (1.0 / Te - 1.0 / p.T0), arg_max);
        const double A = std::exp(expo);
        const double dA_dT = (T > 1.0 && expo < arg_max) ? A * ec / (Te * Te) : 0.0;
        const double theta = Te / p.T0;
        const double dtheta_dT = T > 1.0 ? 1.0 / p.T0 : 0.0;
        const double a_hat = std::sqrt(a * a + a_floor * a_floor);
        const double scale = p.V_a * theta * a_hat; // V
        const double z_raw = u / scale;
        const bool clamped = std::abs(z_raw) > arg_max;
        const double z = std::clamp(z_raw, -arg_max, arg_max);
        const double sh = std::sinh(z);
        const double ch = clamped ? 0.0 : std::cosh(z); // d sinh(clamp(z))/dz
        const double I_off = p.I_a * A * sh;
        const double dz_du = 1.0 / scale;
        const double dz_dT = -z_raw * dtheta_dT / theta;
        const double dz_da = -z_raw * a / (a_hat * a_hat);

        const double w = p.V_smooth;
        const double zp = (u - p.V_h) / w, zm = (-u - p.V_h) / w;
        const double I_on = (w / p.R_on) * (softplus(zp) - softplus(zm));
        const double dIon_du = (logistic(zp) + logistic(zm)) / p.R_on;

        return {I_off + s * I_on, p.I_a * A * ch * dz_du + s * dIon_du, p.I_a * (dA_dT * sh + A * ch * dz_dT),
                p.I_a * A * ch * dz_da, I_on};
    }

    // --- series solution: I_cap(u) = (|V| - u) / R_set for u in [0, |V|] ----------------------------
    // Newton on F(u) = asinh(I_cap(u)/I_s) - asinh((|V| - u)/(R_set I_s)), I_s = I_a A(T): asinh turns the
    // exponential sinh branch into a straight line (for s = 0 the first term is exactly u / scale), so
    // Newton converges in a handful of steps from any start; bisection on the bracket is the safeguard.
    // Results are for |V|; the caller restores the sign (both elements are odd in the voltage).
    struct op_point {
        double u;                           // V, voltage across the cap (>= 0)
        double I;                           // A, current (>= 0)
        double du_dV;                       // d u / d|V|
        double dI_dV;                       // d I / d|V| (the small-signal conductance)
        std::array<double, 3> du_dx, dI_dx; // partials in (T, a, s)
    };
    static op_point solve(const params& p, const state_vec<3>& x, double v_abs) {
        const double T = x[0], a = x[1], s = x[2];
        const double g_c = 1.0 / p.R_set;
        op_point r{};
        if (!(v_abs > 0.0)) { // V = 0: u = 0, I = 0; the partials are the linear divider's
            const auto c = cap(p, 0.0, T, a, s);
            r.du_dV = g_c / (g_c + c.dI_du);
            r.dI_dV = c.dI_du * r.du_dV;
            return r;
        }
        const double Te = std::max(T, 1.0);
        const double I_s = p.I_a * std::exp(std::min(-p.E_c * q / k_B * (1.0 / Te - 1.0 / p.T0), arg_max));
        const auto F = [&](double u, double& dF) {
            const auto c = cap(p, u, T, a, s);
            const double y1 = c.I / I_s, y2 = (v_abs - u) * g_c / I_s;
            dF = c.dI_du / I_s / std::sqrt(1.0 + y1 * y1) + g_c / I_s / std::sqrt(1.0 + y2 * y2);
            return std::asinh(y1) - std::asinh(y2);
        };
        double lo = 0.0, hi = v_abs;
        // Start from the low-field divider: exact for an ohmic cap, close in the reset state.
        const auto c0 = cap(p, 0.0, T, a, s);
        double u = v_abs * g_c / (g_c + c0.dI_du);
        const double tol = 1e-15 * v_abs;
        for (int it = 0; it < 200; ++it) {
            double dF = 0.0;
            const double f = F(u, dF);
            if (f > 0.0)
                hi = u;
            else if (f < 0.0)
                lo = u;
            else
                break;
            const double newton = u - f / dF;
            // A Newton step below the tolerance is the answer (the root may sit on a bracket end).
            if (std::abs(newton - u) <= tol) {
                u = std::clamp(newton, lo, hi);
                break;
            }
            u = (newton > lo && newton < hi) ? newton : 0.5 * (lo + hi);
            if (hi - lo <= tol) break;
        }
        const auto c = cap(p, u, T, a, s);
        const double denom = c.dI_du + g_c;
        r.u = u;
        r.I = (v_abs - u) * g_c;
        r.du_dV = g_c / denom;
        r.dI_dV = c.dI_du * g_c / denom;
        const std::array<double, 3> dcap = {c.dI_dT, c.dI_da, c.dI_ds};
        for (std::size_t k = 0; k < 3; ++k) {
            r.du_dx[k] = -dcap[k] / denom;
            r.dI_dx[k] = g_c * dcap[k] / denom;
        }
        return r;
    }

    static double sign(double v) { return v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : 0.0); }

    static double current(const params& p, const state_vec<3>& x, double v) {
        return sign(v) * solve(p, x, std::abs(v)).I;
    }
    static double di_dv(const params& p, const state_vec<3>& x, double v) {
        return solve(p, x, std::abs(v)).dI_dV;
    }
    static void di_dx(const params& p, const state_vec<3>& x, double v, state_vec<3>& out) {
        const auto r = solve(p, x, std::abs(v));
        for (std::size_t k = 0; k < 3; ++k)
            out[k] = sign(v) * r.dI_dx[k];
    }

    // --- state equations with all partials ---------------------------------------------------------
    // d/dV and d/dx of the right-hand side, rows (T, a, s).
    struct rhs_value {
        state_vec<3> f, df_dv;
        state_jac<3> df_dx;
    };
    static rhs_value rhs(const params& p, const state_vec<3>& x, double v) {
        const double T = x[0], a = x[1], s = x[2];
        const double sg = sign(v), va = std::abs(v);
        const auto op = solve(p, x, va);
        rhs_value r{};

        // Heat balance (Sonoda 2008): C_th dT/dt = V I - (T - T0) / R_th; V I = |V| I(|V|) >= 0.
        const double P = va * op.I;
        r.f[0] = (P - (T - p.T0) / p.R_th) / p.C_th;
        r.df_dv[0] = sg * (op.I + va * op.dI_dV) / p.C_th;
        for (std::size_t k = 0; k < 3; ++k)
            r.df_dx[k] = va * op.dI_dx[k] / p.C_th;
        r.df_dx[0] -= 1.0 / (p.R_th * p.C_th);

        // Amorphous fraction (Sonoda 2008): melting above T_m, da/dt = (1 - a) / tau_m, and JMAK
        // crystallisation between T_x and T_m. With c = 1 - a and y = -ln(1 - c) = -ln a, JMAK
        // c = 1 - exp(-(K t)^n) is dy/dt = n K y^((n-1)/n); the seed makes it n K (y + c_min)^((n-1)/n),
        // so da/dt = -a dy/dt = -n K a (y + c_min)^((n-1)/n). Gates: g_x = L((T - T_x)/T_smooth),
        // g_m = L((T - T_m)/T_smooth), crystallisation weighted by g_x (1 - g_m).
        const double gx = logistic((T - p.T_x) / p.T_smooth);
        const double gm = logistic((T - p.T_m) / p.T_smooth);
        const double dgx = gx * (1.0 - gx) / p.T_smooth, dgm = gm * (1.0 - gm) / p.T_smooth;
        const double G = gx * (1.0 - gm);
        const double dG = dgx * (1.0 - gm) - gx * dgm;
        const double Te = std::max(T, 1.0);
        const double ea = p.Ea * q / k_B; // K
        const double K = p.K0 * std::exp(-std::min(ea / Te, arg_max));
        const double dK = (T > 1.0 && ea / Te < arg_max) ? K * ea / (Te * Te) : 0.0;
        const double ac = std::clamp(a, a_tiny, 1.0);
        const double y = -std::log(ac);
        const double e = (p.n - 1.0) / p.n;
        const double Y = y + p.c_min;
        const double Ye = std::pow(Y, e);
        const double dy_da = (a > a_tiny && a < 1.0) ? -1.0 / a : 0.0;
        const double J = p.n * a * Ye; // rate per unit K
        const double dJ_da = p.n * (Ye + a * e * Ye / Y * dy_da);
        r.f[1] = gm * (1.0 - a) / p.tau_m - G * K * J;
        r.df_dv[1] = 0.0;
        r.df_dx[3 + 0] = dgm * (1.0 - a) / p.tau_m - (dG * K + G * dK) * J;
        r.df_dx[3 + 1] = -gm / p.tau_m - G * K * dJ_da;
        r.df_dx[3 + 2] = 0.0;

        // Threshold switching (Pirovano 2004) as a latch (a Schmitt trigger on the cap voltage u):
        //   tau_s ds/dt = g_on (1 - s) + s^2 (1 - s) g_hold - g_off s
        // g_on = L((u - V_th(a))/w) triggers the switch when u exceeds the threshold; g_hold =
        // L((u - V_hold)/w) with V_hold = V_h + R_on I_h keeps it ON while the ON branch carries more
        // than I_h, and g_off = 1 - g_hold turns it off below. The s^2 latch is what makes the switch
        // complete: once triggered, the ON path pulls u down below V_th (g_on -> 0), and the latch
        // carries s on to 1. It is quadratic so that the tiny g_on leaking below threshold is not
        // amplified exponentially: a cap held at V_th - dV switches after a delay ~ tau_s e^(dV / 2w),
        // the exponential delay-time law of threshold switching, instead of at once. V_th grows with
        // the cap thickness (a threshold field; linear in u_a in the literature, not re-verified); the
        // intercept is V_hold so that the hysteresis window never closes: V_th(a) = V_hold + (V_th - V_hold)
        // a.
        const double w = p.V_smooth;
        const double vh = v_hold(p);
        const double a01 = std::clamp(a, 0.0, 1.0);
        const double vth = vh + (p.V_th - vh) * a01;
        const double dvth_da = (a > 0.0 && a < 1.0) ? (p.V_th - vh) : 0.0;
        const double g_on = logistic((op.u - vth) / w);
        const double g_hold = logistic((op.u - vh) / w), g_off = logistic((vh - op.u) / w);
        const double don = g_on * (1.0 - g_on) / w, dhold = g_hold * (1.0 - g_hold) / w; // d/du
        const double s2 = s * s;
        r.f[2] = (g_on * (1.0 - s) + s2 * (1.0 - s) * g_hold - g_off * s) / p.tau_s;
        // d f_s / d u (d g_off/du = -dhold), then the chain through u(|V|, x).
        const double dfs_du = (don * (1.0 - s) + dhold * (s2 * (1.0 - s) + s)) / p.tau_s;
        r.df_dv[2] = sg * dfs_du * op.du_dV;
        for (std::size_t k = 0; k < 3; ++k)
            r.df_dx[6 + k] = dfs_du * op.du_dx[k];
        r.df_dx[6 + 1] += -don * dvth_da * (1.0 - s) / p.tau_s;
        r.df_dx[6 + 2] += (-g_on + (2.0 * s - 3.0 * s2) * g_hold - g_off) / p.tau_s;
        return r;
    }

    static void dstate_dt(const params& p, const state_vec<3>& x, double v, state_vec<3>& out) {
        out = rhs(p, x, v).f;
    }
    static void df_dv(const params& p, const state_vec<3>& x, double v, state_vec<3>& out) {
        out = rhs(p, x, v).df_dv;
    }
    static void df_dx(const params& p, const state_vec<3>& x, double v, state_jac<3>& out) {
        out = rhs(p, x, v).df_dx;
    }

    // Read-out helpers: the JMAK rate constant and the low-field (V -> 0) resistance at temperature T0.
    static double jmak_rate(const params& p, double T) {
        return p.K0 * std::exp(-std::min(p.Ea * q / (k_B * std::max(T, 1.0)), arg_max));
    }
    static double read_resistance(const params& p, double a) {
        return 1.0 / solve(p, {p.T0, a, 0.0}, 0.0).dI_dV;
    }
};

static_assert(ode_model<pcm_electrothermal>);

} // namespace memxbar::devices
