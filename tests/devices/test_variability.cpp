// Variability draws against their distributions (statistical tests: 20000+ samples, bounds of 4
// standard errors, so a correct implementation fails with probability < 1e-4 per check, and the
// seeds are fixed so the outcome is deterministic anyway).
#include "devices/hp_linear_drift.hpp"
#include "devices/variability.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace memxbar::devices;
using hp = hp_linear_drift;

namespace {
struct moments {
    double mean = 0, sd = 0;
};
moments stats(const std::vector<double>& v) {
    moments m;
    for (double x : v)
        m.mean += x;
    m.mean /= static_cast<double>(v.size());
    for (double x : v)
        m.sd += (x - m.mean) * (x - m.mean);
    m.sd = std::sqrt(m.sd / static_cast<double>(v.size() - 1));
    return m;
}
variability_spec spread(const char* param, spread_distribution d, double sigma) {
    variability_spec v;
    v.d2d.push_back({param, d, sigma, {}});
    return v;
}
} // namespace

TEST_CASE("device-to-device spread: lognormal and normal with the stated sigma") {
    const hp::params nominal;
    const std::size_t n = 40000;
    {
        const auto v = spread("R_off", spread_distribution::lognormal, 0.3);
        std::vector<double> logs;
        for (std::size_t k = 0; k < n; ++k)
            logs.push_back(std::log(sample_device<hp>(nominal, v, 42, k).R_off / nominal.R_off));
        const auto m = stats(logs);
        CHECK(std::abs(m.mean) < 4 * 0.3 / std::sqrt(double(n)));
        CHECK(m.sd == Approx(0.3).epsilon(4 / std::sqrt(2.0 * n)));
    }
    {
        const auto v = spread("mu_v", spread_distribution::normal, 0.1);
        std::vector<double> xs;
        for (std::size_t k = 0; k < n; ++k)
            xs.push_back(sample_device<hp>(nominal, v, 42, k).mu_v / nominal.mu_v);
        const auto m = stats(xs);
        CHECK(std::abs(m.mean - 1.0) < 4 * 0.1 / std::sqrt(double(n)));
        CHECK(m.sd == Approx(0.1).epsilon(4 / std::sqrt(2.0 * n)));
    }
    // parameters not listed keep their nominal values
    const auto v = spread("R_off", spread_distribution::lognormal, 0.3);
    CHECK(sample_device<hp>(nominal, v, 42, 3).R_on == nominal.R_on);
}

TEST_CASE("spread never leaves the parameter's allowed range") {
    hp::params nominal;
    nominal.p = 1.0; // at the lower bound of its range [1, 50]
    const auto v = spread("p", spread_distribution::normal, 2.0);
    for (std::size_t k = 0; k < 5000; ++k) {
        const double p = sample_device<hp>(nominal, v, 1, k).p;
        REQUIRE(p >= 1.0);
        REQUIRE(p <= 50.0);
    }
}

TEST_CASE("draws depend only on (seed, device), not on the order they are made in") {
    const hp::params nominal;
    const auto v = spread("R_off", spread_distribution::lognormal, 0.3);
    std::vector<double> forward, backward(100);
    for (std::size_t k = 0; k < 100; ++k)
        forward.push_back(sample_device<hp>(nominal, v, 9, k).R_off);
    for (std::size_t k = 100; k-- > 0;)
        backward[k] = sample_device<hp>(nominal, v, 9, k).R_off;
    CHECK(forward == backward);
    CHECK(sample_device<hp>(nominal, v, 10, 5).R_off != forward[5]);
}

TEST_CASE("stuck-at faults occur at their stated fractions") {
    variability_spec v;
    v.stuck_on_fraction = 0.1;
    v.stuck_off_fraction = 0.05;
    const std::size_t n = 100000;
    std::size_t on = 0, off = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const auto s = sample_stuck(v, 5, k);
        on += s == stuck_state::on;
        off += s == stuck_state::off;
    }
    CHECK(std::abs(double(on) / n - 0.1) < 4 * std::sqrt(0.1 * 0.9 / n));
    CHECK(std::abs(double(off) / n - 0.05) < 4 * std::sqrt(0.05 * 0.95 / n));
    CHECK(sample_stuck(variability_spec{}, 5, 0) == stuck_state::none);
}

TEST_CASE("cycle-to-cycle factors and read noise have the stated spread") {
    variability_spec v;
    v.c2c_sigma = 0.05;
    v.read_noise_sigma = 0.02;
    const std::size_t n = 40000;
    std::vector<double> c2c, reads;
    for (std::size_t k = 0; k < n; ++k) {
        c2c.push_back(c2c_factor(v, 3, 7, k));
        reads.push_back(noisy_read(v, 1e-6, 3, 7, k, 1.0, 1e-6) / 1e-6);
    }
    auto m = stats(c2c);
    CHECK(std::abs(m.mean - 1) < 4 * 0.05 / std::sqrt(double(n)));
    CHECK(m.sd == Approx(0.05).epsilon(4 / std::sqrt(2.0 * n)));
    m = stats(reads);
    CHECK(std::abs(m.mean - 1) < 4 * 0.02 / std::sqrt(double(n)));
    CHECK(m.sd == Approx(0.02).epsilon(4 / std::sqrt(2.0 * n)));
    CHECK(c2c_factor(variability_spec{}, 3, 7, 0) == 1.0);
}

TEST_CASE("1/f read noise grows as sqrt(ln(t / 2 t_read)) and adds in quadrature to white noise") {
    variability_spec v;
    v.flicker_q = 0.01;
    CHECK(read_noise_sigma(v, 3600.0, 250e-9) ==
          Approx(0.01 * std::sqrt(std::log(3600.0 / 500e-9))).epsilon(1e-14));
    CHECK(read_noise_sigma(v, 1e-7, 250e-9) == 0.0); // no bandwidth below the read time
    v.read_noise_sigma = 0.03;
    const double f = 0.01 * std::sqrt(std::log(1.0 / 500e-9));
    CHECK(read_noise_sigma(v, 1.0, 250e-9) == Approx(std::sqrt(0.03 * 0.03 + f * f)).epsilon(1e-14));
}

TEST_CASE("finite levels: nearest of evenly spaced conductances, error at most half a step") {
    CHECK(quantize_conductance(0.3, 0.0, 1.0, 5) == 0.25);
    CHECK(quantize_conductance(0.4, 0.0, 1.0, 5) == 0.5);
    CHECK(quantize_conductance(-1.0, 0.0, 1.0, 5) == 0.0);
    CHECK(quantize_conductance(7.0, 0.0, 1.0, 5) == 1.0);
    CHECK(quantize_conductance(0.123, 0.0, 1.0, 0) == 0.123);
    const random_stream rng(1, purpose::user);
    for (std::uint64_t k = 0; k < 10000; ++k) {
        const double g = 1e-6 + 99e-6 * rng.uniform(k, 0);
        const double q = quantize_conductance(g, 1e-6, 100e-6, 33);
        REQUIRE(std::abs(q - g) <= 0.5 * 99e-6 / 32 * (1 + 1e-12));
    }
}
