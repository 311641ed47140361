// Counter-based random numbers: every draw is a pure function of (seed, purpose, device, cycle, slot),
// so results are the same whatever the thread count, rank count or evaluation order.
#pragma once

#include <Random123/philox.h>
#include <Random123/uniform.hpp>

#include <cmath>
#include <cstdint>
#include <numbers>

namespace memxbar::devices {

// Why a number is drawn. Distinct purposes never share a stream.
enum class purpose : std::uint64_t {
    device_to_device = 1,
    cycle_to_cycle = 2,
    read_noise = 3,
    stuck_at = 4,
    programming = 5,
    drift = 6,
    model_internal = 7, // noise terms that are part of a model's own equations (Stanford dynamic term)
    user = 100,         // experiments may use user + k
};

class random_stream {
  public:
    constexpr random_stream(std::uint64_t seed, purpose what) : seed_(seed), what_(what) {}

    // Uniform in (0, 1), never 0 or 1 (safe for log).
    [[nodiscard]] double uniform(std::uint64_t device, std::uint64_t cycle, std::uint64_t slot = 0) const {
        const auto r = draw(device, cycle, slot / 4);
        return r123::u01<double>(r.v[slot % 4]);
    }

    // Standard normal by Box-Muller on one counter block; slots 2k and 2k+1 come from the same block.
    [[nodiscard]] double normal(std::uint64_t device, std::uint64_t cycle, std::uint64_t slot = 0) const {
        const auto r = draw(device, cycle, slot / 2);
        const double u1 = r123::u01<double>(r.v[0]);
        const double u2 = r123::u01<double>(r.v[1]);
        const double rad = std::sqrt(-2.0 * std::log(u1));
        const double ang = 2.0 * std::numbers::pi * u2;
        return (slot % 2 == 0) ? rad * std::cos(ang) : rad * std::sin(ang);
    }

    [[nodiscard]] std::uint64_t seed() const { return seed_; }

  private:
    using rng = r123::Philox4x64;
    [[nodiscard]] rng::ctr_type draw(std::uint64_t device, std::uint64_t cycle, std::uint64_t block) const {
        const rng::key_type key = {{seed_, static_cast<std::uint64_t>(what_)}};
        const rng::ctr_type ctr = {{device, cycle, block, 0}};
        return rng{}(ctr, key);
    }
    std::uint64_t seed_;
    purpose what_;
};

} // namespace memxbar::devices
