// The stochastic stepper on the Stanford-PKU dynamic model: at 0 V the deterministic rate vanishes
// (sinh(0) = 0), so the gap performs a pure random walk whose variance after time T is
// T * rate^2 * time_step (Jiang 2016 noise, Euler-Maruyama scaling), whatever the step size.
#include "devices/card.hpp"
#include "devices/stanford_pku.hpp"
#include "solvers/stochastic_integrator.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace memxbar;
using sp = devices::stanford_pku;

namespace {
sp::params dynamic() {
    auto p = devices::bind<sp>(devices::load_card("stanford_pku_dynamic"));
    p.g_ini = 1e-9;
    return p;
}
struct moments {
    double mean, var;
};
moments walk(const sp::params& p, double dt, double t_end, std::size_t devices) {
    double s = 0, q = 0;
    for (std::size_t d = 0; d < devices; ++d) {
        const auto tr = solvers::integrate_stochastic<sp>(p, {p.g_ini}, solvers::waveform::dc(0.0), t_end, dt,
                                                          t_end, 0.0, 3, d);
        const double g = tr.state(tr.rows() - 1, 0);
        s += g;
        q += g * g;
    }
    const double n = double(devices);
    return {s / n, (q - s * s / n) / (n - 1)};
}
} // namespace

TEST_CASE("gap noise at 0 V is a random walk with the Verilog-A's variance per unit time") {
    const auto p = dynamic();
    REQUIRE(solvers::noise_active<sp>(p, {p.g_ini}));
    const double t_end = 2.5e-7;
    const double rate = sp::noise_rate(p, {p.g_ini}, 0.0);
    const double expected_var = t_end * rate * rate * p.time_step;
    const std::size_t n = 4000;
    for (double dt : {p.time_step, 4 * p.time_step}) {
        INFO("dt = " << dt);
        const auto m = walk(p, dt, t_end, n);
        // mean: 4 standard errors; variance: 4 standard errors of a sample variance (sqrt(2/n))
        CHECK(std::abs(m.mean - p.g_ini) < 4 * std::sqrt(expected_var / n));
        CHECK(m.var == Approx(expected_var).epsilon(4 * std::sqrt(2.0 / n)));
    }
}

TEST_CASE("stochastic traces are reproducible by (seed, device) and stay inside the gap bounds") {
    const auto p = dynamic();
    const auto drive = solvers::waveform::parse("sine:amplitude=1.5,frequency=1e6");
    const auto a = solvers::integrate_stochastic<sp>(p, {p.g_ini}, drive, 3e-6, p.time_step, 1e-8, 0.0, 1, 0);
    const auto b = solvers::integrate_stochastic<sp>(p, {p.g_ini}, drive, 3e-6, p.time_step, 1e-8, 0.0, 1, 0);
    const auto c = solvers::integrate_stochastic<sp>(p, {p.g_ini}, drive, 3e-6, p.time_step, 1e-8, 0.0, 2, 0);
    const auto d = solvers::integrate_stochastic<sp>(p, {p.g_ini}, drive, 3e-6, p.time_step, 1e-8, 0.0, 1, 1);
    REQUIRE(a.rows() == 301);
    CHECK(a.x == b.x);
    CHECK(a.x != c.x);
    CHECK(a.x != d.x);
    for (double g : a.x) {
        REQUIRE(g >= p.g_min);
        REQUIRE(g <= p.g_max);
    }
}

TEST_CASE("without the dynamic switch the noise is off and the deterministic integrator is used") {
    const auto p = devices::bind<sp>(devices::load_card("stanford_pku"));
    CHECK_FALSE(solvers::noise_active<sp>(p, {p.g_ini}));
}
