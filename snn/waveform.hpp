// Spike waveforms for device-level STDP (Serrano-Gotarredona et al., Front. Neurosci. 7:2, 2013;
// Prezioso et al., Nat. Commun. 9:5311, 2018). A neuron that spikes drives its line with a short
// rectangular peak followed by a long tail of the opposite sign that decays linearly to zero:
//
//   V(s) = A_peak                               0 <= s < t_peak
//        = A_tail (1 - (s - t_peak) / t_tail)    t_peak <= s < t_peak + t_tail,   0 elsewhere,
//
// s being the time since the spike. Pre-synaptic waveforms drive the rows, post-synaptic ones the
// columns, and a device sees v = V_post(t - t_post) - V_pre(t - t_pre) (columns drive its top
// electrode). Each waveform alone stays below the device's programming threshold; only overlapping
// waveforms program it, so the STDP window is the device's response to the overlap.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

namespace memxbar::snn {

struct spike_waveform {
    double A_peak = 0.0; // V
    double t_peak = 0.0; // s
    double A_tail = 0.0; // V (sign opposite to A_peak in the usual shapes)
    double t_tail = 0.0; // s

    [[nodiscard]] double duration() const { return t_peak + t_tail; }
    [[nodiscard]] double value(double s) const {
        if (s < 0.0 || s >= duration()) return 0.0;
        if (s < t_peak) return A_peak;
        return A_tail * (1.0 - (s - t_peak) / t_tail);
    }
    // Largest and smallest value the waveform takes.
    [[nodiscard]] double max_value() const {
        return std::max({0.0, t_peak > 0 ? A_peak : 0.0, t_tail > 0 ? A_tail : 0.0});
    }
    [[nodiscard]] double min_value() const {
        return std::min({0.0, t_peak > 0 ? A_peak : 0.0, t_tail > 0 ? A_tail : 0.0});
    }
};

// Integral over [0, h] of max(0, a + b tau) (a straight segment's part above zero).
inline double positive_part_integral(double a, double b, double h) {
    const double e = a + b * h;
    if (a >= 0.0 && e >= 0.0) return 0.5 * (a + e) * h;
    if (a <= 0.0 && e <= 0.0) return 0.0;
    const double root = -a / b; // the crossing inside (0, h)
    return a > 0.0 ? 0.5 * a * root : 0.5 * e * (h - root);
}

// Exceedance integrals of v(t) = V_post(t - t_post) - V_pre(t - t_pre) over [t0, t0 + h]:
// pot = integral of max(0, v - v_th_pot), dep = integral of max(0, -v - v_th_dep) (V s). The
// waveforms are piecewise linear, so the interval is split at every breakpoint and each straight piece
// integrated exactly.
struct exceedance {
    double pot = 0.0, dep = 0.0;
};
inline exceedance overlap_exceedance(const spike_waveform& pre, double s_pre, const spike_waveform& post,
                                     double s_post, double h, double v_th_pot, double v_th_dep) {
    // Breakpoints in local time tau in (0, h).
    std::array<double, 6> cuts{};
    std::size_t n = 0;
    cuts[n++] = 0.0;
    for (double b :
         {pre.t_peak - s_pre, pre.duration() - s_pre, post.t_peak - s_post, post.duration() - s_post})
        if (b > 0.0 && b < h) cuts[n++] = b;
    cuts[n++] = h;
    for (std::size_t a = 1; a < n; ++a) // insertion sort of at most 6 values
        for (std::size_t b = a; b > 0 && cuts[b] < cuts[b - 1]; --b)
            std::swap(cuts[b], cuts[b - 1]);
    exceedance e;
    for (std::size_t k = 0; k + 1 < n; ++k) {
        const double a = cuts[k], b = cuts[k + 1], w = b - a;
        if (!(w > 0.0)) continue;
        // Evaluate inside the piece (one-sided limits at the ends) to stay on the right branch.
        const double eps = 1e-9 * w;
        const double v0 = post.value(s_post + a + eps) - pre.value(s_pre + a + eps);
        const double v1 = post.value(s_post + b - eps) - pre.value(s_pre + b - eps);
        const double va = v0 - (v1 - v0) * eps / (w - 2 * eps);
        const double slope = (v1 - v0) / (w - 2 * eps);
        e.pot += positive_part_integral(va - v_th_pot, slope, w);
        e.dep += positive_part_integral(-va - v_th_dep, -slope, w);
    }
    return e;
}

} // namespace memxbar::snn
