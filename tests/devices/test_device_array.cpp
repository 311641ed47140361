// Arrays of devices (structure of arrays): the kernels agree with the single-device model, the pulse
// kernel converges to the closed form, and faults and noise apply per device.
#include "devices/device_array.hpp"
#include "devices/hp_linear_drift.hpp"
#include "devices/neurosim_pulse.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <ios>
#include <vector>

using namespace memxbar::devices;
using hp = hp_linear_drift;

namespace {
hp::params no_window() {
    hp::params p;
    p.window = hp::none;
    return p;
}
// Window-less HP under a constant voltage: R^2 = R0^2 - 2 (R_off - R_on) k v t (Strukov 2008).
double x_after(const hp::params& p, double x0, double v, double t) {
    const double r0 = hp::resistance(p, x0);
    const double r = std::sqrt(r0 * r0 - 2.0 * (p.R_off - p.R_on) * hp::k(p) * v * t);
    return (p.R_off - r) / (p.R_off - p.R_on);
}
} // namespace

TEST_CASE("read returns each device's own current") {
    variability_spec v;
    v.d2d.push_back({"R_off", spread_distribution::lognormal, 0.2, {}});
    device_array<hp> a(1000, hp::params{}, v, 11);
    std::vector<double> i(a.size());
    a.read(0.1, i);
    for (std::size_t k = 0; k < a.size(); ++k)
        REQUIRE(i[k] == hp::current(a.param(k), a.state(k), 0.1));
    CHECK(a.param(0).R_off != a.param(1).R_off);
}

TEST_CASE("the pulse kernel is first order and converges to the closed form") {
    const auto p = no_window();
    std::vector<double> errs;
    for (int sub : {10, 20, 40}) {
        device_array<hp> a(4, p, {}, 1);
        a.pulse(1.0, 0.1, sub);
        errs.push_back(std::abs(a.state(2)[0] - x_after(p, p.x0, 1.0, 0.1)));
    }
    // linearly implicit Euler: order 1 (within 0.5)
    for (std::size_t k = 1; k < errs.size(); ++k)
        CHECK(std::abs(std::log2(errs[k - 1] / errs[k]) - 1.0) < 0.5);
    CHECK(errs.back() < 1e-3);
}

TEST_CASE("stuck devices stay pinned; cycle-to-cycle noise scales each pulse's step") {
    const auto p = no_window();
    variability_spec v;
    v.stuck_off_fraction = 0.2;
    v.c2c_sigma = 0.1;
    const std::size_t n = 20000;
    device_array<hp> a(n, p, v, 5);
    a.pulse(1.0, 1e-3, 4);
    device_array<hp> ref(1, p, {}, 5);
    ref.pulse(1.0, 1e-3, 4);
    const double step = ref.state(0)[0] - p.x0;
    std::vector<double> ratios;
    std::size_t stuck = 0;
    for (std::size_t k = 0; k < n; ++k) {
        if (a.stuck(k) == stuck_state::off) {
            REQUIRE(a.state(k)[0] == 0.0);
            ++stuck;
        } else {
            ratios.push_back((a.state(k)[0] - p.x0) / step);
        }
    }
    CHECK(std::abs(double(stuck) / n - 0.2) < 4 * std::sqrt(0.2 * 0.8 / n));
    double mean = 0, var = 0;
    for (double r : ratios)
        mean += r;
    mean /= double(ratios.size());
    for (double r : ratios)
        var += (r - mean) * (r - mean);
    const double sd = std::sqrt(var / double(ratios.size() - 1));
    CHECK(std::abs(mean - 1.0) < 4 * 0.1 / std::sqrt(double(ratios.size())));
    CHECK(sd == Approx(0.1).epsilon(0.05));
    CHECK(a.cycle() == 1);
}

TEST_CASE("pulse-response arrays apply the model's pulse with keyed draws") {
    const neurosim_pulse::params p{};
    device_array<neurosim_pulse> a(8, p, {}, 17);
    for (int k = 0; k < 5; ++k)
        a.pulse(+1);
    // the same sequence by hand, with the same (seed, purpose, device, cycle) draws
    const random_stream rng(17, purpose::cycle_to_cycle);
    for (std::size_t d = 0; d < a.size(); ++d) {
        auto x = neurosim_pulse::initial_state(p);
        for (std::uint64_t c = 0; c < 5; ++c)
            neurosim_pulse::apply_pulse(p, x, +1, rng.normal(d, c));
        INFO(std::hexfloat << a.state(d)[0] << " " << x[0]);
        // equal up to rounding (the inlined kernels may order operations differently)
        CHECK(a.state(d)[0] == Approx(x[0]).epsilon(1e-12));
    }
}
