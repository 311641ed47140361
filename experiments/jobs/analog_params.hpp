// The analog engine's settings as job parameters, shared by every job that reads through the engine
// (mvm_error, inference_accuracy), so that a config says `adc_bits = 6` the same way everywhere.
#pragma once

#include "crossbar/analog_mvm.hpp"
#include "experiments/job.hpp"

#include <string>
#include <vector>

namespace memxbar::experiments {

// card, G_min, G_max, mapping, tile, programming, programming_sigma, read_noise, card_read_noise,
// dac_bits, dac_ideal, adc_bits, adc_ideal, read, r_wire, drift_time, drift_compensation; each
// description starts with `prefix` (e.g. "analog: ").
std::vector<param_spec> analog_params(const std::string& prefix = "");

// The engine configuration of a point (seeded by the point's seed). Bits are passed on as given:
// 0 bits is the engine's error (analog_config::validate); an ideal converter is a flag.
crossbar::analog_config analog_config_of(const point& p);

} // namespace memxbar::experiments
