// Soft-bounds pulse synapse: each pulse moves the conductance a fixed fraction of the way to the bound
// it is heading for, dG = alpha_up (G_max - G) when potentiating and dG = -alpha_down (G - G_min) when
// depressing, with multiplicative cycle-to-cycle noise (1 + sigma_c2c xi). This is the synapse of
// Fusi & Abbott (Nat. Neurosci. 10:485, 2007) and aihwkit's SoftBoundsDevice (Gokmen & Vlasov, Front.
// Neurosci. 10:333, 2016; Rasch et al., AICAS 2021).
#pragma once

#include "devices/model.hpp"
#include "devices/ohmic_conductance.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <string>

namespace memxbar::devices {

struct soft_bounds : ohmic_conductance {
    static constexpr std::string_view name = "soft_bounds";
    static constexpr std::string_view title =
        "Soft-bounds pulse synapse (Fusi & Abbott 2007; aihwkit SoftBoundsDevice)";
    static constexpr std::size_t n_state = 1;

    // Defaults: aihwkit's PulsedDevice/SoftBoundsDevice defaults, dw_min = 0.001 at w = 0 with bounds
    // w in [-0.6, 0.6], so alpha = dw_min / w_max = 1/600 in both directions, dw_min_std = 0.3
    // (multiplicative). aihwkit weights have no unit; the range [1 uS, 25 uS] is our normalisation
    // (25 uS is the g_max that aihwkit's PCM inference model is referenced to). alpha does not depend on it.
    struct params {
        double G_min = 1e-6;             // S
        double G_max = 25e-6;            // S
        double alpha_up = 1.0 / 600.0;   // fraction of the distance to G_max closed by one potentiating pulse
        double alpha_down = 1.0 / 600.0; // fraction of the distance to G_min closed by one depressing pulse
        double sigma_c2c = 0.3;          // relative spread of each step
        double g0 = 0.5;                 // initial conductance as a fraction of the range (aihwkit w = 0)
    };

    static param_table<params> parameters() {
        static constexpr std::array<param_info<params>, 6> table = {{
            {"G_min", "S", &params::G_min, 0.0, 1.0,
             "lower bound the conductance approaches under depression",
             "normalisation of aihwkit w_min = -0.6"},
            {"G_max", "S", &params::G_max, 0.0, 1.0,
             "upper bound the conductance approaches under potentiation",
             "normalisation of aihwkit w_max = 0.6"},
            {"alpha_up", "1", &params::alpha_up, 1e-9, 1.0,
             "fraction of G_max - G closed per potentiating pulse",
             "aihwkit SoftBoundsDevice: dw_min / w_max"},
            {"alpha_down", "1", &params::alpha_down, 1e-9, 1.0,
             "fraction of G - G_min closed per depressing pulse",
             "aihwkit SoftBoundsDevice: dw_min / abs(w_min)"},
            {"sigma_c2c", "1", &params::sigma_c2c, 0.0, 10.0,
             "relative cycle-to-cycle spread of each step (multiplicative)",
             "aihwkit PulsedDevice dw_min_std"},
            {"g0", "1", &params::g0, 0.0, 1.0,
             "initial conductance as a fraction of G_max - G_min above G_min",
             "aihwkit starts weights at w = 0, mid-range"},
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

    // One pulse. The noise multiplies the whole step (aihwkit mult_noise = true), so a device at a bound
    // stays there; a rare xi < -1/sigma reverses the step, as in aihwkit. Clamped because a noisy step
    // with alpha (1 + sigma xi) > 1 would overshoot the bound.
    static void apply_pulse(const params& p, state_vec<1>& x, int polarity, double xi) {
        if (polarity == 0 || !(p.G_max > p.G_min)) return;
        const double g = x[0];
        const double step = polarity > 0 ? p.alpha_up * (p.G_max - g) : -p.alpha_down * (g - p.G_min);
        x[0] = std::clamp(g + step * (1.0 + p.sigma_c2c * xi), p.G_min, p.G_max);
    }

    static std::string validate(const params& p) {
        if (p.G_min < p.G_max) return "";
        std::ostringstream s;
        s.precision(6);
        s << "G_min = " << p.G_min << " S must be below G_max = " << p.G_max << " S (the soft bounds)";
        return s.str();
    }
};

static_assert(pulse_model<soft_bounds>);

} // namespace memxbar::devices
