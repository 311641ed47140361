// The purposes of the spiking layer's random draws. Every draw comes from a devices::random_stream keyed
// by (seed, purpose, index, cycle, slot), so the same seed gives the same spikes and the same weights.
#pragma once

#include "devices/random_stream.hpp"

#include <cstdint>

namespace memxbar::snn {

inline constexpr auto user_purpose(std::uint64_t k) {
    return static_cast<devices::purpose>(static_cast<std::uint64_t>(devices::purpose::user) + k);
}
inline constexpr auto poisson_purpose = user_purpose(1);     // input spike trains
inline constexpr auto init_purpose = user_purpose(2);        // initial weights
inline constexpr auto rounding_purpose = user_purpose(3);    // stochastic rounding of k-bit weights
inline constexpr auto pulse_count_purpose = user_purpose(4); // fractional pulse counts (device STDP)
inline constexpr auto test_purpose = user_purpose(50);       // for tests and benchmarks

} // namespace memxbar::snn
