// LIF neurons: the membrane trace under constant input against the analytic solution, the f-I curve
// with refractoriness against its closed form, refractory clamping, and parameter validation.
#include "snn/errors.hpp"
#include "snn/lif.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace memxbar::snn;

namespace {

lif_params plain(double t_ref) {
    lif_params p;
    p.tau_m = 20e-3;
    p.E_rest = -70e-3;
    p.v_reset = -70e-3;
    p.v_thresh = -50e-3;
    p.t_ref = t_ref;
    p.v_init = -70e-3;
    return p;
}

// Time from v_reset to v_thresh under constant drive mu (V): T = tau ln((E + mu - v_r) / (E + mu - v_th)).
double charge_time(const lif_params& p, double mu) {
    return p.tau_m * std::log((p.E_rest + mu - p.v_reset) / (p.E_rest + mu - p.v_thresh));
}

} // namespace

TEST_CASE("LIF membrane follows the analytic exponential under constant input", "[lif]") {
    const double dt = 0.1e-3;
    lif_params p = plain(0.0);
    p.v_thresh = 1.0; // never fires
    p.v_init = -80e-3;
    lif_group g(1, p, dt);
    std::vector<std::uint32_t> spikes;
    SECTION("constant drive mu") {
        g.mu[0] = 15e-3;
        const double v_inf = p.E_rest + 15e-3;
        for (int k = 1; k <= 2000; ++k) {
            g.step(spikes);
            const double exact = v_inf + (p.v_init - v_inf) * std::exp(-k * dt / p.tau_m);
            // exponential integration is exact for constant input: only rounding remains (1e-12 V)
            REQUIRE(std::abs(g.v[0] - exact) < 1e-12);
        }
    }
    SECTION("constant excitatory conductance (re-applied every step)") {
        const double ge = 0.5;
        const double v_inf = (p.E_rest + ge * p.E_exc) / (1 + ge);
        for (int k = 1; k <= 2000; ++k) {
            g.g_e[0] = ge;
            g.step(spikes);
            const double exact = v_inf + (p.v_init - v_inf) * std::exp(-k * dt * (1 + ge) / p.tau_m);
            REQUIRE(std::abs(g.v[0] - exact) < 1e-12);
        }
    }
}

TEST_CASE("LIF f-I curve with refractoriness matches the closed form", "[lif]") {
    const double dt = 0.1e-3, t_ref = 2e-3, T_sim = 2.0;
    const lif_params p = plain(t_ref);
    for (double mu : {20.5e-3, 22e-3, 25e-3, 30e-3, 40e-3, 60e-3, 100e-3}) {
        lif_group g(1, p, dt);
        g.v[0] = p.v_reset;
        g.mu[0] = mu;
        std::vector<std::uint32_t> spikes;
        int n = 0;
        const auto steps = static_cast<int>(std::lround(T_sim / dt));
        for (int k = 0; k < steps; ++k) {
            g.step(spikes);
            n += static_cast<int>(spikes.size());
        }
        const double T = charge_time(p, mu);
        const double rate_analytic = 1.0 / (t_ref + T); // continuous time
        // On the grid a spike is seen at the first step past threshold, so each interval is
        // (n_ref + floor(T/dt) + 1) steps: the rate lies within one step of the continuous one.
        const double isi_grid = (std::round(t_ref / dt) + std::floor(T / dt) + 1) * dt;
        const double rate = n / T_sim;
        INFO("mu = " << mu << " V, rate " << rate << " Hz, analytic " << rate_analytic << " Hz");
        CHECK(rate == Approx(1.0 / isi_grid).margin(1.0 / T_sim)); // +-1 spike over the run
        CHECK(rate <= rate_analytic * (1 + 1e-9));
        CHECK(rate >= 1.0 / (t_ref + T + dt) - 1.0 / T_sim);
    }
    // below rheobase (E + mu <= v_thresh): silent
    lif_group g(1, p, dt);
    g.mu[0] = 19.9e-3;
    std::vector<std::uint32_t> spikes;
    int n = 0;
    for (int k = 0; k < 20000; ++k) {
        g.step(spikes);
        n += static_cast<int>(spikes.size());
    }
    CHECK(n == 0);
}

TEST_CASE("LIF refractory period holds v at reset and theta adapts", "[lif]") {
    lif_params p = plain(5e-3);
    p.theta_plus = 1e-3;
    lif_group g(1, p, 0.5e-3);
    g.mu[0] = 100e-3;
    std::vector<std::uint32_t> spikes;
    int first = -1;
    for (int k = 0; k < 200 && first < 0; ++k) {
        g.step(spikes);
        if (!spikes.empty()) first = k;
    }
    REQUIRE(first >= 0);
    CHECK(g.theta[0] == Approx(1e-3));
    for (int k = 0; k < 10; ++k) { // t_ref / dt = 10 steps at v_reset
        g.step(spikes);
        CHECK(g.v[0] == p.v_reset);
    }
    g.step(spikes);
    CHECK(g.v[0] > p.v_reset);
}

TEST_CASE("LIF parameters are validated with the parameter's name and range", "[lif]") {
    lif_params p = plain(0.0);
    p.tau_m = -1.0;
    CHECK_THROWS_WITH(lif_group(1, p, 1e-4), Catch::Contains("tau_m") && Catch::Contains("allowed"));
    p = plain(0.0);
    p.v_reset = 0.0;
    CHECK_THROWS_WITH(lif_group(1, p, 1e-4), Catch::Contains("v_reset"));
    p = plain(0.0);
    CHECK_THROWS_WITH(lif_group(1, p, std::nan("")), Catch::Contains("dt") && Catch::Contains("not finite"));
}
