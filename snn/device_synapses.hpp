// Synapses that are devices of one model M: device-level STDP (overlapping waveforms integrated by the
// device's own model) and the Querlioz rule (one pulse per post spike and input). Devices live in a
// devices::device_array<M> (structure of arrays, device-to-device spread sampled once); cached weights
// w = (G - G_off) / (G_on - G_off) feed the ideal readout. Built through make_synapses.
#pragma once

#include "devices/card.hpp"
#include "snn/synapses.hpp"

#include <memory>
#include <string>
#include <vector>

namespace memxbar::snn {

// The parameters that d2d_sigma spreads for a model (its conductance bounds and step sizes).
std::vector<std::string> spread_parameters(const std::string& model);

// The card's variability with d2d sigmas scaled by `scale`, or, for sigma >= 0, replaced by a normal
// spread of relative sigma on spread_parameters(model).
devices::variability_spec scaled_variability(const devices::card& c, double scale, double sigma);

std::unique_ptr<synapse_layer> make_device_synapses(const synapse_config& c, std::size_t n_in,
                                                    std::size_t n_out, double dt, std::uint64_t seed);

} // namespace memxbar::snn
