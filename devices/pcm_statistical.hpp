// PCM statistical inference model: programming noise, conductance drift and accumulated 1/f read noise
// fitted on measured PCM devices (Nandakumar et al., ICECS 2019), as used for inference by Joshi et al.,
// Nat. Commun. 11:2473 (2020). Same equations as aihwkit's PCMLikeNoiseModel (reference section 5b).
//
// This is not a switching model: nothing moves under bias. A device is *programmed* to a target G_T once
// (`program`), then its conductance decays with the time since programming (`conductance_at`) and each
// read adds 1/f noise (`read`). Every random term is a standard normal draw passed in by the caller, so
// results come from counter-based streams (random_stream) and are reproducible; the `sample_*` helpers
// draw them from the right purposes for you.
//
// Global drift compensation (Joshi 2020): a crossbar reads a reference set of devices right after
// programming and again at inference time and scales its outputs by alpha = sum G(t_p) / sum G(t);
// `drift_compensation` computes that ratio, the crossbar decides what to read.
#pragma once

#include "devices/model.hpp"
#include "devices/random_stream.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>

namespace memxbar::devices {

struct pcm_statistical {
    static constexpr std::string_view name = "pcm_stat";
    static constexpr std::string_view title = "PCM statistical inference model (Nandakumar 2019, Joshi 2020)";
    static constexpr std::size_t n_state = 3;

    // State: the target the device was programmed to (the 1/f noise amplitude depends on it), the
    // conductance right after programming, and the device's own drift exponent.
    enum state_index { G_T_index = 0, G_p_index = 1, nu_index = 2 };

    // Defaults: the fits of Nandakumar 2019 / Joshi 2020 (coefficients as published in aihwkit).
    struct params {
        double g_max = 25e-6;        // S, conductance of the largest weight
        double G_min = 0.0;          // S, the off (RESET) state
        double g_max_ref = 25e-6;    // S, g_max at which the sigma_p polynomial was fitted
        double prog_c0 = 0.26348e-6; // S, sigma_p = (g_max/g_max_ref)(c0 + c1 x + c2 x^2)
        double prog_c1 = 1.9650e-6;  // S
        double prog_c2 = -1.1731e-6; // S
        double prog_noise_scale = 1.0;
        double t0 = 20.0;             // s, first read after programming (drift reference)
        double mu_nu_slope = -0.0155; // mu_nu = clip(slope ln x + offset, min, max)
        double mu_nu_offset = 0.0244;
        double mu_nu_min = 0.049;
        double mu_nu_max = 0.1;
        double sigma_nu_slope = -0.0125; // sigma_nu = clip(slope ln x + offset, min, max)
        double sigma_nu_offset = -0.0059;
        double sigma_nu_min = 0.008;
        double sigma_nu_max = 0.045;
        double drift_scale = 1.0;
        double Q_s_coeff = 0.0088; // Q_s = min(coeff / max(x^exponent, floor), max)
        double Q_s_exponent = 0.65;
        double Q_s_floor = 1e-3;
        double Q_s_max = 0.2;
        double t_r = 250e-9; // s, read duration in the 1/f integral
        double read_noise_scale = 1.0;
    };

    static param_table<params> parameters() {
        static constexpr std::string_view nandakumar =
            "Nandakumar et al., ICECS 2019; Joshi et al., Nat. Commun. 11:2473 (2020)";
        static constexpr std::string_view aihwkit =
            "aihwkit PCMLikeNoiseModel (ablation knob, not in the papers)";
        static constexpr std::array<param_info<params>, 23> table = {{
            {"g_max", "S", &params::g_max, 1e-9, 1.0, "conductance of the largest weight (x = G_T / g_max)",
             nandakumar},
            {"G_min", "S", &params::G_min, 0.0, 1.0, "conductance of the off (RESET) state",
             "memxbar (0 as in the single-device mapping)"},
            {"g_max_ref", "S", &params::g_max_ref, 1e-9, 1.0,
             "g_max at which the sigma_p polynomial was fitted", nandakumar},
            {"prog_c0", "S", &params::prog_c0, -1e-3, 1e-3, "programming noise polynomial, constant term",
             nandakumar},
            {"prog_c1", "S", &params::prog_c1, -1e-3, 1e-3, "programming noise polynomial, linear term",
             nandakumar},
            {"prog_c2", "S", &params::prog_c2, -1e-3, 1e-3, "programming noise polynomial, quadratic term",
             nandakumar},
            {"prog_noise_scale", "1", &params::prog_noise_scale, 0.0, 100.0, "multiplies sigma_p", aihwkit},
            {"t0", "s", &params::t0, 1e-9, 1e9, "drift reference time (first read after programming)",
             nandakumar},
            {"mu_nu_slope", "1", &params::mu_nu_slope, -1.0, 1.0, "mean drift exponent: coefficient of ln x",
             nandakumar},
            {"mu_nu_offset", "1", &params::mu_nu_offset, -1.0, 1.0, "mean drift exponent: constant term",
             nandakumar},
            {"mu_nu_min", "1", &params::mu_nu_min, 0.0, 1.0, "mean drift exponent: lower clip", nandakumar},
            {"mu_nu_max", "1", &params::mu_nu_max, 0.0, 1.0, "mean drift exponent: upper clip", nandakumar},
            {"sigma_nu_slope", "1", &params::sigma_nu_slope, -1.0, 1.0,
             "drift exponent spread: coefficient of ln x", nandakumar},
            {"sigma_nu_offset", "1", &params::sigma_nu_offset, -1.0, 1.0,
             "drift exponent spread: constant term", nandakumar},
            {"sigma_nu_min", "1", &params::sigma_nu_min, 0.0, 1.0, "drift exponent spread: lower clip",
             nandakumar},
            {"sigma_nu_max", "1", &params::sigma_nu_max, 0.0, 1.0, "drift exponent spread: upper clip",
             nandakumar},
            {"drift_scale", "1", &params::drift_scale, 0.0, 100.0, "multiplies the drift exponent nu",
             aihwkit},
            {"Q_s_coeff", "1", &params::Q_s_coeff, 0.0, 10.0, "1/f noise amplitude at x = 1", nandakumar},
            {"Q_s_exponent", "1", &params::Q_s_exponent, 0.0, 5.0, "1/f noise amplitude: exponent of x",
             nandakumar},
            {"Q_s_floor", "1", &params::Q_s_floor, 1e-12, 1.0,
             "1/f noise amplitude: lower bound on x^exponent", nandakumar},
            {"Q_s_max", "1", &params::Q_s_max, 0.0, 10.0, "1/f noise amplitude: upper clip", nandakumar},
            {"t_r", "s", &params::t_r, 1e-15, 1e3, "read duration in the accumulated 1/f noise", nandakumar},
            {"read_noise_scale", "1", &params::read_noise_scale, 0.0, 100.0, "multiplies the 1/f read noise",
             aihwkit},
        }};
        return table;
    }

    static std::span<const state_info> states() {
        static constexpr std::array<state_info, 3> s = {{
            {"G_T", "S", 0.0, 1.0, "target conductance the device was programmed to"},
            {"G_p", "S", 0.0, 1.0, "conductance right after programming (time t = 0)"},
            {"nu", "1", 0.0, 1.0, "drift exponent of this device"},
        }};
        return s;
    }

    // Cross-parameter checks, run once when a card is bound.
    static std::string validate(const params& p) {
        if (p.G_min >= p.g_max)
            return "G_min must be below g_max (the off state must conduct less than the on state)";
        if (p.mu_nu_min > p.mu_nu_max) return "mu_nu_min must not exceed mu_nu_max (empty clip interval)";
        if (p.sigma_nu_min > p.sigma_nu_max)
            return "sigma_nu_min must not exceed sigma_nu_max (empty clip interval)";
        // sigma_p(x) is a standard deviation: the quadratic must stay >= 0 on the fitted range [0, 1], so
        // check both ends and the vertex when it lies inside.
        const auto poly = [&](double x) { return p.prog_c0 + (p.prog_c1 + p.prog_c2 * x) * x; };
        double lowest = std::min(poly(0.0), poly(1.0));
        if (p.prog_c2 != 0.0) {
            const double xv = -p.prog_c1 / (2.0 * p.prog_c2);
            if (xv > 0.0 && xv < 1.0) lowest = std::min(lowest, poly(xv));
        }
        if (lowest < 0.0)
            return "programming noise sigma_p = prog_c0 + prog_c1 x + prog_c2 x^2 is negative somewhere in "
                   "x = G_T/g_max in [0, 1]; a standard deviation cannot be negative";
        return "";
    }

    // ---- the fits, as functions of the target conductance ------------------------------------------

    // x = G_T / g_max, the normalised target every fit is written in.
    static double x_of(const params& p, double G_target) { return G_target / p.g_max; }

    // Programming noise std (Nandakumar 2019): sigma_p = (g_max/g_max_ref)(c0 + c1 x + c2 x^2). The
    // polynomial was fitted on x in [0, 1]; outside it the value at the nearer end is used, because the
    // quadratic turns negative beyond x ~ 1.8.
    static double sigma_prog(const params& p, double G_target) {
        const double x = std::clamp(x_of(p, G_target), 0.0, 1.0);
        const double poly = p.prog_c0 + (p.prog_c1 + p.prog_c2 * x) * x;
        return std::max(0.0, p.prog_noise_scale * (p.g_max / p.g_max_ref) * poly);
    }

    // ln x with x floored at 1e-7 (as aihwkit), so G_T = 0 gives the clipped values, not -inf.
    static double log_x(const params& p, double G_target) {
        return std::log(std::max(x_of(p, G_target), 1e-7));
    }

    // Drift exponent statistics (Nandakumar 2019): mean and spread of nu, each linear in ln x, clipped.
    static double mu_nu(const params& p, double G_target) {
        return std::clamp(p.mu_nu_slope * log_x(p, G_target) + p.mu_nu_offset, p.mu_nu_min, p.mu_nu_max);
    }
    static double sigma_nu(const params& p, double G_target) {
        return std::clamp(p.sigma_nu_slope * log_x(p, G_target) + p.sigma_nu_offset, p.sigma_nu_min,
                          p.sigma_nu_max);
    }
    // nu = |N(mu_nu, sigma_nu)|: folded, because a negative exponent would make G grow without bound.
    static double drift_nu(const params& p, double G_target, double xi) {
        return p.drift_scale * std::abs(mu_nu(p, G_target) + sigma_nu(p, G_target) * xi);
    }

    // 1/f noise amplitude (Joshi 2020): Q_s = min(coeff / max(x^exponent, floor), max).
    static double Q_s(const params& p, double G_target) {
        const double x = std::max(x_of(p, G_target), 0.0);
        return std::min(p.Q_s_coeff / std::max(std::pow(x, p.Q_s_exponent), p.Q_s_floor), p.Q_s_max);
    }

    // ---- the life of a device ------------------------------------------------------------------------

    // Program a device to G_T with two independent standard normal draws: xi_prog for the programming
    // error, xi_nu for the drift exponent. G_p = G_T + sigma_p xi_prog, clipped at 0 (no negative
    // conductance).
    static state_vec<3> program(const params& p, double G_target, double xi_prog, double xi_nu) {
        const double G_p = std::max(0.0, G_target + sigma_prog(p, G_target) * xi_prog);
        return {G_target, G_p, drift_nu(p, G_target, xi_nu)};
    }

    // Drift (Joshi 2020): G(t) = G_p ((t + t0)/t0)^(-nu), t = time since programming (clamped to >= 0).
    static double conductance_at(const params& p, const state_vec<3>& x, double t_since_programming) {
        const double t = std::max(t_since_programming, 0.0);
        return x[G_p_index] * std::pow((t + p.t0) / p.t0, -x[nu_index]);
    }

    // Relative std of the accumulated 1/f noise at time t: Q_s sqrt(ln((t + t0 + t_r) / (2 t_r))). The
    // log is floored at 0 so a t0 shorter than t_r cannot produce a NaN.
    static double read_noise_rel(const params& p, double G_target, double t_since_programming) {
        const double t = std::max(t_since_programming, 0.0);
        const double l = std::log((t + p.t0 + p.t_r) / (2.0 * p.t_r));
        return p.read_noise_scale * Q_s(p, G_target) * std::sqrt(std::max(l, 0.0));
    }
    // Absolute std: |G(t)| Q_s sqrt(ln((t + t0 + t_r) / (2 t_r))).
    static double read_noise_sigma(const params& p, double G_target, double G_t, double t_since_programming) {
        return std::abs(G_t) * read_noise_rel(p, G_target, t_since_programming);
    }

    // One read at time t with a standard normal draw xi: G(t) + sigma_read xi, clipped at 0 as aihwkit
    // does (a read never reports a negative conductance; below x ~ 0.1 at 1 h this clip is < 1e-6 likely).
    static double read(const params& p, const state_vec<3>& x, double t_since_programming, double xi) {
        const double G_t = conductance_at(p, x, t_since_programming);
        return std::max(0.0, G_t + read_noise_sigma(p, x[G_T_index], G_t, t_since_programming) * xi);
    }

    // The same with the draws taken from counter-based streams: programming error from
    // purpose::programming, drift exponent from purpose::drift, read noise from purpose::read_noise, each
    // keyed by (seed, device, cycle). `cycle` counts programming events, `read_index` counts reads.
    static state_vec<3> sample_program(const params& p, double G_target, std::uint64_t seed,
                                       std::uint64_t device, std::uint64_t cycle = 0) {
        const random_stream prog(seed, purpose::programming), drift(seed, purpose::drift);
        return program(p, G_target, prog.normal(device, cycle), drift.normal(device, cycle));
    }
    static double sample_read(const params& p, const state_vec<3>& x, double t_since_programming,
                              std::uint64_t seed, std::uint64_t device, std::uint64_t read_index) {
        const random_stream noise(seed, purpose::read_noise);
        return read(p, x, t_since_programming, noise.normal(device, read_index));
    }

    // Global drift compensation factor alpha = sum G(t_p) / sum G(t) over a reference set (Joshi 2020);
    // 1 when the reference reads nothing, so an empty or dead reference never divides by zero.
    static double drift_compensation(std::span<const double> G_reference_programmed,
                                     std::span<const double> G_reference_now) {
        double before = 0.0, now = 0.0;
        for (double g : G_reference_programmed)
            before += g;
        for (double g : G_reference_now)
            now += g;
        return (now > 0.0 && before > 0.0) ? before / now : 1.0;
    }

    // ---- the device_model interface ------------------------------------------------------------------

    // Deterministic states (stuck-at faults, unprogrammed devices): exact conductance, mean drift exponent.
    static state_vec<3> on_state(const params& p) {
        return {p.g_max, p.g_max, p.drift_scale * mu_nu(p, p.g_max)};
    }
    static state_vec<3> off_state(const params& p) {
        return {p.G_min, p.G_min, p.drift_scale * mu_nu(p, p.G_min)};
    }
    static state_vec<3> initial_state(const params& p) { return off_state(p); }

    // The read current right after programming, I = G_p v; drift and noise come through read().
    static double current(const params&, const state_vec<3>& x, double v) { return x[G_p_index] * v; }
    static double di_dv(const params&, const state_vec<3>& x, double) { return x[G_p_index]; }
    static void di_dx(const params&, const state_vec<3>&, double v, state_vec<3>& out) {
        out = {0.0, v, 0.0};
    }
};

static_assert(device_model<pcm_statistical>);

} // namespace memxbar::devices
