// NeuroSim nonlinear bounded weight update (Chen, Peng & Yu, IEEE TCAD 37:3067, 2018; NeuroSim manual
// V3.0 §5.1): each identical pulse moves the conductance one step along a saturating exponential curve,
// G_LTP(P) = B (1 - e^(-P/A)) + G_min for potentiation and G_LTD(P) = -B (1 - e^((P - P_max)/A)) + G_max
// for depression, B = (G_max - G_min) / (1 - e^(-P_max/A)), with separate A and P_max per direction.
#pragma once

#include "devices/model.hpp"
#include "devices/ohmic_conductance.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <sstream>
#include <string>

namespace memxbar::devices {

struct neurosim_pulse : ohmic_conductance {
    static constexpr std::string_view name = "neurosim";
    static constexpr std::string_view title =
        "NeuroSim nonlinear bounded pulse update (Chen, Peng & Yu 2018)";
    static constexpr std::size_t n_state = 1;

    // Defaults: the NeuroSim V3.0 default device, Ag:a-Si (Jo et al., Nano Lett. 10:1297, 2010):
    // R_on = 26 MOhm, on/off 12.5, 97 LTP / 100 LTD states, NL 2.4 / -4.88, c2c 3.5 % of the range.
    struct params {
        double G_min = 1.0 / 26e6 / 12.5; // S
        double G_max = 1.0 / 26e6;        // S
        double P_max_LTP = 97.0;          // pulses from G_min to G_max
        double P_max_LTD = 100.0;         // pulses from G_max to G_min
        double A_LTP = 48.420576;         // pulses; NL label 2.4 -> A/P_max = 0.499181
        double A_LTD = 20.030343;         // pulses; NL label -4.88 -> A/P_max = 0.200303
        double sigma_c2c = 0.035;         // per-pulse spread as a fraction of G_max - G_min
        double g0 = 0.0;                  // initial conductance as a fraction of the range
    };

    static param_table<params> parameters() {
        static constexpr std::array<param_info<params>, 8> table = {{
            {"G_min", "S", &params::G_min, 0.0, 1.0, "lowest conductance (end of depression)",
             "NeuroSim manual V3.0 Table II (on/off ratio)"},
            {"G_max", "S", &params::G_max, 0.0, 1.0, "highest conductance (end of potentiation)",
             "NeuroSim manual V3.0 Table II (R_on)"},
            {"P_max_LTP", "pulses", &params::P_max_LTP, 1.0, 1e6, "potentiation pulses from G_min to G_max",
             "NeuroSim manual V3.0 Table II (states)"},
            {"P_max_LTD", "pulses", &params::P_max_LTD, 1.0, 1e6, "depression pulses from G_max to G_min",
             "NeuroSim manual V3.0 Table II (states)"},
            {"A_LTP", "pulses", &params::A_LTP, -1e12, 1e12,
             "potentiation curvature; > 0 saturating, large = linear; = A_LTP_from_label(NL_LTP) * P_max_LTP",
             "NeuroSim manual V3.0 §5.1; Nonlinearity-NormA table"},
            {"A_LTD", "pulses", &params::A_LTD, -1e12, 1e12,
             "depression curvature in the paper's G_LTD form; > 0 saturating (NeuroSim label NL_LTD < 0)",
             "NeuroSim manual V3.0 §5.1; Nonlinearity-NormA table"},
            {"sigma_c2c", "1", &params::sigma_c2c, 0.0, 1.0,
             "cycle-to-cycle spread per pulse, as a fraction of G_max - G_min",
             "NeuroSim manual V3.0 Table II"},
            {"g0", "1", &params::g0, 0.0, 1.0,
             "initial conductance as a fraction of G_max - G_min above G_min",
             "NeuroSim starts every cell at G_min"},
        }};
        return table;
    }

    static std::span<const state_info> states() {
        static constexpr std::array<state_info, 1> s = {
            {{"G", "S", 0.0, 1.0, "conductance, kept in [G_min, G_max] of the card"}}};
        return s;
    }

    static state_vec<1> initial_state(const params& p) { return {p.G_min + p.g0 * (p.G_max - p.G_min)}; }
    static state_vec<1> on_state(const params& p) { return {p.G_max}; }
    static state_vec<1> off_state(const params& p) { return {p.G_min}; }

    // A purely resistive read: the pulse models carry no I-V nonlinearity.

    // Fraction of the range covered after n of P_max pulses on the curve with curvature A:
    // (1 - e^(-n/A)) / (1 - e^(-P_max/A)). Written with expm1 so that a huge |A| (the linear limit,
    // NL -> 0) keeps full precision instead of cancelling to 0/0. A < 0 gives the convex curve.
    static double curve(double n, double A, double P_max) {
        const double a = safe_A(A, P_max);
        return std::expm1(-n / a) / std::expm1(-P_max / a);
    }
    // |P_max/A| <= 700 keeps every exponential finite even for parameters that bypassed validate()
    // (a device-to-device draw near A = 0); validated cards never get near it.
    static double safe_A(double A, double P_max) {
        return std::copysign(std::max(std::abs(A), P_max / 700.0), A);
    }

    // Inverse of curve(): the pulse position n at which the fraction u is reached. Inverting at the
    // saturated end is ill-conditioned (the reference's "diverges at the bound"), so u is clamped to
    // [0, 1] and the log argument kept >= -1; the result is clamped to [0, P_max] by the caller.
    static double position(double u, double A, double P_max) {
        const double a = safe_A(A, P_max);
        const double E = -std::expm1(-P_max / a); // 1 - e^(-P_max/A): in (0, 1) for A > 0, < 0 for A < 0
        return -a * std::log1p(std::max(-std::clamp(u, 0.0, 1.0) * E, -1.0));
    }

    // One identical pulse (NeuroSim Cell.cpp RealDevice::Write, one pulse at a time): find the pulse
    // position of the present G on this direction's curve, move one pulse along it, map back, add
    // cycle-to-cycle noise sigma_c2c (G_max - G_min) xi, and clamp to the bounds.
    static void apply_pulse(const params& p, state_vec<1>& x, int polarity, double xi) {
        if (polarity == 0) return;
        const double range = p.G_max - p.G_min;
        if (!(range > 0.0)) return; // no curve to move along (validate() rejects this)
        double g = x[0];
        if (polarity > 0) {
            const double n = position((g - p.G_min) / range, p.A_LTP, p.P_max_LTP);
            const double n1 = std::clamp(n + 1.0, 0.0, p.P_max_LTP);
            // The end of the curve is the bound itself (G_min + range may differ from G_max by an ulp).
            g = n1 >= p.P_max_LTP ? p.G_max : p.G_min + range * curve(n1, p.A_LTP, p.P_max_LTP);
        } else {
            // Depression counted from G_max: G_LTD(P_max - m) = G_max - range * curve(m, A_LTD, P_max_LTD).
            const double m = position((p.G_max - g) / range, p.A_LTD, p.P_max_LTD);
            const double m1 = std::clamp(m + 1.0, 0.0, p.P_max_LTD);
            g = m1 >= p.P_max_LTD ? p.G_min : p.G_max - range * curve(m1, p.A_LTD, p.P_max_LTD);
        }
        g += p.sigma_c2c * range * xi;
        x[0] = std::clamp(g, p.G_min, p.G_max);
    }

    // The NeuroSim nonlinearity label of a curve: its largest vertical distance from the straight line
    // between its end points, in units of the range, is 0.07 sqrt(2) |NL|. This reproduces NeuroSim's
    // 900-entry Nonlinearity-NormA table (labels 0.01 .. 9) to all six printed digits (see the doc page).
    // In closed form, with a = A/P_max and E = 1 - e^(-1/a): d(a) = 1/E - a + a ln(a E).
    static constexpr double label_deviation = 0.07 * std::numbers::sqrt2;
    static double max_deviation(double a) {
        const double E = -std::expm1(-1.0 / a);
        return 1.0 / E - a + a * std::log(a * E);
    }

    // A/P_max for a NeuroSim label (sign of NL kept: NeuroSim's convention). Like NeuroSim's getParamA,
    // the label is first truncated to its 0.01 grid and limited to [0.01, 9] (so 0.105 reads as 0.10);
    // unlike it, the truncation is made robust to binary rounding (0.29 * 100 = 28.999...).
    // Not a kernel: a bisection on log a, used when writing cards and in tests.
    static double normalized_A(double NL) {
        const double grid = std::clamp(std::floor(std::abs(NL) * 100.0 + 1e-9), 1.0, 900.0) / 100.0;
        const double target = label_deviation * grid;
        double lo = 1e-3, hi = 1e4; // max_deviation falls monotonically from ~1 to ~1e-5 over this bracket
        for (int k = 0; k < 200; ++k) {
            const double mid = std::sqrt(lo * hi);
            (max_deviation(mid) > target ? lo : hi) = mid;
        }
        return std::copysign(std::sqrt(lo * hi), NL);
    }
    // Card values. NeuroSim runs both directions through the LTP form, so its LTD label is negative for
    // the usual saturating depression; the paper's G_LTD form used here needs the opposite sign.
    static double A_LTP_from_label(double NL_LTP, double P_max_LTP) {
        return normalized_A(NL_LTP) * P_max_LTP;
    }
    static double A_LTD_from_label(double NL_LTD, double P_max_LTD) {
        return -normalized_A(NL_LTD) * P_max_LTD;
    }

    // Cross-parameter checks, once, where a card becomes parameters.
    static std::string validate(const params& p) {
        std::ostringstream s;
        s.precision(6);
        if (!(p.G_min < p.G_max)) {
            s << "G_min = " << p.G_min << " S must be below G_max = " << p.G_max
              << " S (the on/off ratio G_max/G_min must exceed 1)";
            return s.str();
        }
        // e^(P_max/|A|) must stay far from overflow, and A = 0 has no curve; the steepest NeuroSim label
        // (9) has P_max/A = 44.
        const auto check_A = [&](const char* a_name, double A, const char* p_name, double P) {
            if (std::abs(A) * 100.0 < P) {
                s << a_name << " = " << A << " is too small for " << p_name << " = " << P << ": need |"
                  << a_name << "| >= " << p_name << "/100 = " << P / 100.0
                  << " (NeuroSim's steepest label 9 gives " << p_name << "/44)";
                return false;
            }
            return true;
        };
        if (!check_A("A_LTP", p.A_LTP, "P_max_LTP", p.P_max_LTP)) return s.str();
        if (!check_A("A_LTD", p.A_LTD, "P_max_LTD", p.P_max_LTD)) return s.str();
        return "";
    }
};

static_assert(pulse_model<neurosim_pulse>);

} // namespace memxbar::devices
