// The STDP window a synapse produces, measured by simulation: one pre spike at t_pre, one post spike at
// t_post = t_pre + delta_t, on fresh synapses at weight w0, and the weight change read afterwards. For
// device rules nothing about the window is coded: it is the device's response to the overlapping
// waveforms.
#pragma once

#include "snn/synapses.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace memxbar::snn {

struct window_point {
    double delta_t = 0.0; // s, t_post - t_pre (rounded to the time step)
    double dw_mean = 0.0; // mean weight change (weight units)
    double dw_std = 0.0;  // spread over the devices (c2c noise, d2d spread)
};

// `devices` synapses per point (independent devices, keyed by seed), all starting at weight w0.
std::vector<window_point> measure_stdp_window(const synapse_config& c, std::span<const double> delta_t,
                                              double dt, double w0 = 0.5, std::size_t devices = 16,
                                              std::uint64_t seed = 1);

} // namespace memxbar::snn
