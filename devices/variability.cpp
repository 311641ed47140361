#include "devices/variability.hpp"

#include <algorithm>

namespace memxbar::devices {

stuck_state sample_stuck(const variability_spec& v, std::uint64_t seed, std::uint64_t device) {
    if (v.stuck_on_fraction <= 0.0 && v.stuck_off_fraction <= 0.0) return stuck_state::none;
    const double u = random_stream(seed, purpose::stuck_at).uniform(device, 0);
    if (u < v.stuck_on_fraction) return stuck_state::on;
    if (u < v.stuck_on_fraction + v.stuck_off_fraction) return stuck_state::off;
    return stuck_state::none;
}

double c2c_factor(const variability_spec& v, std::uint64_t seed, std::uint64_t device, std::uint64_t cycle) {
    if (v.c2c_sigma <= 0.0) return 1.0;
    return 1.0 + v.c2c_sigma * random_stream(seed, purpose::cycle_to_cycle).normal(device, cycle);
}

double read_noise_sigma(const variability_spec& v, double t_since, double t_read) {
    double var = v.read_noise_sigma * v.read_noise_sigma;
    if (v.flicker_q > 0.0 && t_since > 2.0 * t_read)
        var += v.flicker_q * v.flicker_q * std::log(t_since / (2.0 * t_read));
    return std::sqrt(var);
}

double noisy_read(const variability_spec& v, double i, std::uint64_t seed, std::uint64_t device,
                  std::uint64_t cycle, double t_since, double t_read) {
    const double sigma = read_noise_sigma(v, t_since, t_read);
    if (sigma <= 0.0) return i;
    return i * (1.0 + sigma * random_stream(seed, purpose::read_noise).normal(device, cycle));
}

double quantize_conductance(double g, double g_min, double g_max, long levels) {
    if (levels < 2 || g_max <= g_min) return g;
    const double step = (g_max - g_min) / static_cast<double>(levels - 1);
    const double k = std::round((std::clamp(g, g_min, g_max) - g_min) / step);
    return g_min + k * step;
}

} // namespace memxbar::devices
