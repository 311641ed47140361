// Programming: statistical errors with the card's (or the configured) sigma, write-verify reaching its
// tolerance within the pulse budget and reporting pulses and energy, and draws keyed by the seed.
#include "crossbar/analog_mvm.hpp"
#include "crossbar/programming.hpp"
#include "devices/pcm_statistical.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace memxbar;
using namespace memxbar::crossbar;
using Catch::Matchers::Contains;

TEST_CASE("statistical programming: Gaussian error of the configured sigma", "[programming]") {
    programming_spec s;
    s.mode = programming_mode::statistical;
    s.sigma_fraction = 0.02;
    device_info dev; // ideal device on [1, 25] uS
    dev.G_min = 1e-6;
    dev.G_max = 25e-6;
    const Eigen::MatrixXd target = Eigen::MatrixXd::Constant(100, 100, 13e-6);
    programming_report rep;
    const auto tiles = program_tiles({target}, dev, s, rep);
    // 1e4 devices: the sample rms has relative sd 1/sqrt(2e4) = 0.7 %; 4 % is > 5 sigma.
    REQUIRE(rep.rms_error == Approx(0.02 * 24e-6).epsilon(0.04));
    REQUIRE(std::abs((tiles[0].G - target).mean()) < 5.0 * 0.02 * 24e-6 / 100.0);
    // Same seed, same devices; another seed, others.
    programming_report r2;
    REQUIRE(program_tiles({target}, dev, s, r2)[0].G == tiles[0].G);
    s.seed = 2;
    REQUIRE(program_tiles({target}, dev, s, r2)[0].G != tiles[0].G);
}

TEST_CASE("statistical programming on the PCM card uses its sigma_p", "[programming]") {
    const device_info dev = describe_device("pcm_joshi2020");
    REQUIRE(dev.has_drift);
    REQUIRE(dev.G_max == Approx(25e-6));
    programming_spec s;
    s.mode = programming_mode::statistical;
    const Eigen::MatrixXd target = Eigen::MatrixXd::Constant(100, 100, 12.5e-6);
    programming_report rep;
    (void)program_tiles({target}, dev, s, rep);
    const double sigma = devices::pcm_statistical::sigma_prog(dev.pcm, 12.5e-6); // ~0.95 uS
    REQUIRE(rep.rms_error == Approx(sigma).epsilon(0.04)); // as above: 4 % > 5 sigma of the estimate
}

TEST_CASE("write-verify reaches the tolerance within the pulse budget and reports pulses and energy",
          "[programming]") {
    const device_info dev = describe_device("neurosim_taox_hfox");
    REQUIRE(dev.is_pulse_model);
    programming_spec s;
    s.mode = programming_mode::write_verify;
    s.tolerance = 0.02; // the card's step is 1/128 of the range, its c2c noise 3.7 %: 2 % is reachable
    s.max_pulses = 500;
    Eigen::MatrixXd target(20, 10);
    for (long k = 0; k < target.size(); ++k)
        target(k) = dev.G_min + (dev.G_max - dev.G_min) * static_cast<double>(k % 11) / 10.0;
    programming_report rep;
    const auto tiles = program_tiles({target}, dev, s, rep);
    REQUIRE(rep.unconverged == 0);
    REQUIRE(rep.max_abs_error <= 0.02 * (dev.G_max - dev.G_min));
    REQUIRE(rep.pulses_total == tiles[0].pulses.sum());
    REQUIRE(rep.pulses_max <= 500);
    REQUIRE(rep.pulses_total > 0);
    REQUIRE(rep.energy_total > 0.0);
    // Energy per pulse is V^2 G t with G in [G_min, G_max].
    REQUIRE(rep.energy_total <= double(rep.pulses_total) * 1.6 * 1.6 * dev.G_max * 50e-9 * (1 + 1e-12));
    REQUIRE(rep.energy_total >= double(rep.pulses_total) * 1.6 * 1.6 * dev.G_min * 50e-9 * (1 - 1e-12));
    // A tighter tolerance costs more pulses.
    s.tolerance = 0.005;
    programming_report tight;
    (void)program_tiles({target}, dev, s, tight);
    REQUIRE(tight.pulses_total > rep.pulses_total);
    REQUIRE_THAT(rep.summary(), Contains("pulses"));
}

TEST_CASE("write-verify through the engine: weights within tolerance", "[programming]") {
    Eigen::MatrixXd W(6, 10);
    for (long k = 0; k < W.size(); ++k)
        W(k) = std::sin(0.7 * double(k));
    analog_config c;
    c.card = "neurosim_taox_hfox";
    c.programming = programming_mode::write_verify;
    c.verify_tolerance = 0.01;
    c.dac_ideal = c.adc_ideal = true;
    analog_mvm mvm(W, c);
    REQUIRE(mvm.programming().unconverged == 0);
    // Each weight is G+ - G-, each within 1 % of the range: error <= 2 % of w_max.
    REQUIRE((mvm.effective_weights() - W).cwiseAbs().maxCoeff() <=
            0.02 * W.cwiseAbs().maxCoeff() * (1 + 1e-9));
}
