// Variability for any model, from a card's [variability] table: device-to-device parameter spread,
// cycle-to-cycle noise per pulse, white and 1/f read noise, stuck-at faults and finite levels. Every
// draw is keyed by (seed, purpose, device, cycle) so results never depend on thread count or order.
#pragma once

#include "devices/card.hpp"
#include "devices/random_stream.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace memxbar::devices {

enum class stuck_state { none, on, off };

// Stuck-at faults: one uniform draw per device splits [0, 1) into on | off | healthy.
stuck_state sample_stuck(const variability_spec& v, std::uint64_t seed, std::uint64_t device);

// Multiplier on a pulse's state change: 1 + c2c_sigma xi, xi ~ N(0,1) keyed by (device, cycle).
double c2c_factor(const variability_spec& v, std::uint64_t seed, std::uint64_t device, std::uint64_t cycle);

// Relative standard deviation of the read current: white noise in quadrature with 1/f noise. For 1/f
// noise the power between f_low = 1/t_since (time since programming) and f_high = 1/(2 t_read) (the read
// bandwidth) is Q^2 ln(f_high/f_low), so sigma_rel = Q sqrt(ln(t_since / (2 t_read))).
double read_noise_sigma(const variability_spec& v, double t_since, double t_read);

// Read current with noise: i (1 + sigma xi), xi keyed by (device, cycle).
double noisy_read(const variability_spec& v, double i, std::uint64_t seed, std::uint64_t device,
                  std::uint64_t cycle, double t_since, double t_read);

// Snap g to the nearest of `levels` equally spaced conductances in [g_min, g_max] (levels >= 2).
double quantize_conductance(double g, double g_min, double g_max, long levels);

// Device-to-device spread: a copy of `nominal` with each listed parameter drawn once for this device.
// Draws that fall outside the parameter's allowed range are redrawn (up to 64 times, then clamped), so
// every device stays inside the model's validity domain.
template <device_model M>
typename M::params sample_device(const typename M::params& nominal, const variability_spec& v,
                                 std::uint64_t seed, std::uint64_t device) {
    typename M::params p = nominal;
    const random_stream rng(seed, purpose::device_to_device);
    const auto table = M::parameters();
    for (const auto& d : v.d2d) {
        const auto* info = find_param(table, d.param);
        if (info == nullptr || d.sigma <= 0.0) continue; // bind<M> has already rejected unknown names
        const auto slot = static_cast<std::uint64_t>(info - table.data());
        const double p0 = nominal.*(info->field);
        double value = p0;
        for (std::uint64_t attempt = 0; attempt < 64; ++attempt) {
            const double xi = rng.normal(device, attempt, slot);
            value = d.distribution == spread_distribution::lognormal ? p0 * std::exp(d.sigma * xi)
                                                                     : p0 * (1.0 + d.sigma * xi);
            if (value >= info->min && value <= info->max) break;
            value = std::clamp(value, info->min, info->max);
        }
        p.*(info->field) = value;
    }
    return p;
}

} // namespace memxbar::devices
