// Float-weight synapses with trace STDP: ideal (digital) and k-bit. Built through make_synapses.
#pragma once

#include "snn/synapses.hpp"

namespace memxbar::snn {

void validate(const trace_stdp_params& p);
std::unique_ptr<synapse_layer> make_trace_synapses(const synapse_config& c, std::size_t n_in,
                                                   std::size_t n_out, double dt, std::uint64_t seed);

} // namespace memxbar::snn
