// The synapse settings the spiking jobs (stdp_window, snn_accuracy) read from a point, and the checks
// they make before any run.
#pragma once

#include "experiments/job.hpp"
#include "snn/synapses.hpp"

#include <functional>
#include <string>

namespace memxbar::experiments {

// rule, bits, device_card, d2d_sigma, and d2d_scale where the job has that parameter.
snn::synapse_config synapse_config_of(const point& p);

// A device card where the rule needs one, at least one bit for kbit_stdp, then one synapse is built
// (after `more`, the caller's own checks) so that the model refuses waveforms that would program a
// device alone. Throws job_error naming the key.
void validate_synapses(const snn::synapse_config& c, const std::string& rule, double dt,
                       const std::function<void()>& more = {});

} // namespace memxbar::experiments
