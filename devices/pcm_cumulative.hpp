// Phase-change synapse with cumulative SET and abrupt RESET (Boybat et al., Nat. Commun. 9:2514, 2018;
// Nandakumar et al., Front. Neurosci. 14:406, 2020). Partial-SET pulses crystallise a little more each
// time, with a mean increment that shrinks as the cell saturates and a cycle-to-cycle spread as large as
// the increment itself; a RESET pulse melt-quenches the cell back to about G_min in one go. Numbers are
// aihwkit's PCMPresetDevice (ExpStepDevice with "complex" noise), on a weight w in [0, w_max] = [0, 2]
// mapped to G = w * G_scale. Gradual depression is impossible with one cell: a synapse needs a
// differential pair G+ - G- with occasional refresh, which the crossbar layer builds from two of these.
#pragma once

#include "devices/model.hpp"
#include "devices/ohmic_conductance.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <string>

namespace memxbar::devices {

struct pcm_cumulative : ohmic_conductance {
    static constexpr std::string_view name = "pcm_cumulative";
    static constexpr std::string_view title =
        "PCM cumulative SET / abrupt RESET (Boybat 2018; aihwkit PCMPresetDevice)";
    static constexpr std::size_t n_state = 1;

    // Defaults: aihwkit PCMPresetDevice (Nandakumar et al. 2020, GST mushroom cells). G_scale is our
    // normalisation: w_max = 2 maps to 25 uS, the g_max of aihwkit's PCM inference noise model.
    struct params {
        double G_scale = 12.5e-6;        // S per unit weight
        double w_max = 2.0;              // weight at full crystallisation (hard clip)
        double dw_min = 0.01;            // saturated SET increment
        double A_up = 27.235;            // growth of the increment towards w = 0
        double gamma_up = 2.5;           // decay rate of the increment with w
        double dw_min_std = 0.6;         // c2c spread scale
        double dw_min_std_add = 0.042;   // state-independent c2c term (weight units)
        double dw_min_std_slope = 0.108; // c2c term growing with w
        double reset = 0.01;             // mean weight after RESET
        double reset_std = 0.02;         // spread of the weight after RESET
        double w0 = 0.0;                 // initial weight
    };

    static param_table<params> parameters() {
        static constexpr std::array<param_info<params>, 11> table = {{
            {"G_scale", "S", &params::G_scale, 1e-12, 1.0, "conductance per unit weight (G = w G_scale)",
             "normalisation: w_max = 2 -> 25 uS (aihwkit PCM inference g_max)"},
            {"w_max", "1", &params::w_max, 1e-3, 1e3, "weight of the fully SET cell (hard clip)",
             "aihwkit PCMPresetDevice"},
            {"dw_min", "1", &params::dw_min, 0.0, 10.0, "SET increment of the saturated cell",
             "aihwkit PCMPresetDevice"},
            {"A_up", "1", &params::A_up, 0.0, 1e6, "relative extra increment at w = 0",
             "aihwkit PCMPresetDevice (written there as A_up = -27.235 with z = -w)"},
            {"gamma_up", "1", &params::gamma_up, 0.0, 100.0, "decay of the increment with w",
             "aihwkit PCMPresetDevice"},
            {"dw_min_std", "1", &params::dw_min_std, 0.0, 10.0, "scale of the SET cycle-to-cycle spread",
             "aihwkit PCMPresetDevice"},
            {"dw_min_std_add", "1", &params::dw_min_std_add, 0.0, 10.0, "constant part of the SET spread",
             "aihwkit PCMPresetDevice"},
            {"dw_min_std_slope", "1", &params::dw_min_std_slope, 0.0, 10.0,
             "part of the SET spread proportional to abs(w)", "aihwkit PCMPresetDevice"},
            {"reset", "1", &params::reset, 0.0, 1e3, "mean weight after a RESET pulse",
             "aihwkit PCMPresetDevice"},
            {"reset_std", "1", &params::reset_std, 0.0, 1e3, "spread of the weight after a RESET pulse",
             "aihwkit PCMPresetDevice reset_dtod, applied per RESET here"},
            {"w0", "1", &params::w0, 0.0, 1e3, "initial weight", "a fresh, fully RESET cell"},
        }};
        return table;
    }

    static std::span<const state_info> states() {
        static constexpr std::array<state_info, 1> s = {
            {{"G", "S", 0.0, 1.0, "conductance w G_scale, kept in [0, w_max G_scale]"}}};
        return s;
    }

    static state_vec<1> initial_state(const params& p) { return {p.w0 * p.G_scale}; }
    static state_vec<1> on_state(const params& p) { return {p.w_max * p.G_scale}; }
    static state_vec<1> off_state(const params&) { return {0.0}; }

    // Mean SET increment at weight w: dw_up(w) = dw_min (1 + A_up e^(-gamma_up w)) (aihwkit ExpStepDevice
    // with a = -1, b = 0, w_max - w_min = 2, so z = -w). The exponent is limited for w far below 0.
    static double mean_step(const params& p, double w) {
        return p.dw_min * (1.0 + p.A_up * std::exp(std::min(-p.gamma_up * w, 700.0)));
    }
    // Standard deviation of one SET increment: dw_min_std (|dw| + dw_min_std_add + dw_min_std_slope |w|).
    static double step_sigma(const params& p, double w) {
        return p.dw_min_std *
               (std::abs(mean_step(p, w)) + p.dw_min_std_add + p.dw_min_std_slope * std::abs(w));
    }

    // polarity +1: one partial-SET pulse, w += dw_up(w) + sigma(w) xi. polarity -1: RESET, w = reset +
    // reset_std xi, whatever w was. Both clipped to [0, w_max] (aihwkit clips to its bounds).
    static void apply_pulse(const params& p, state_vec<1>& x, int polarity, double xi) {
        if (polarity == 0 || !(p.G_scale > 0.0)) return;
        double w = x[0] / p.G_scale;
        if (polarity > 0)
            w += mean_step(p, w) + step_sigma(p, w) * xi;
        else
            w = p.reset + p.reset_std * xi;
        x[0] = std::clamp(w, 0.0, p.w_max) * p.G_scale;
    }

    static std::string validate(const params& p) {
        std::ostringstream s;
        s.precision(6);
        if (p.reset > p.w_max)
            s << "reset = " << p.reset << " must not exceed w_max = " << p.w_max;
        else if (p.w0 > p.w_max)
            s << "w0 = " << p.w0 << " must not exceed w_max = " << p.w_max;
        return s.str();
    }
};

static_assert(pulse_model<pcm_cumulative>);

} // namespace memxbar::devices
