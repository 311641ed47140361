// PCM statistical inference model (Nandakumar 2019 / Joshi 2020): every fit against numbers computed here
// independently from the reference coefficients (device-models.md section 5b), and the sampled
// distributions against their analytic moments with N = 200000 counter-based draws.
#include "devices/card.hpp"
#include "devices/pcm_statistical.hpp"
#include "model_checks.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

using memxbar::devices::pcm_statistical;
using M = pcm_statistical;
using state = memxbar::devices::state_vec<3>;

namespace {

constexpr std::size_t N = 200000;
constexpr std::uint64_t seed = 20200519;
constexpr double g_max = 25e-6; // S, the reference g_max

// Reference polynomial in uS at g_max = 25 uS (device-models.md 5b), converted to S.
double sigma_p_reference(double x) {
    return (0.26348 + 1.9650 * x - 1.1731 * x * x) * 1e-6;
}
double mu_nu_reference(double x) {
    return std::clamp(-0.0155 * std::log(x) + 0.0244, 0.049, 0.1);
}
double sigma_nu_reference(double x) {
    return std::clamp(-0.0125 * std::log(x) - 0.0059, 0.008, 0.045);
}
double Phi(double z) {
    return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}
// Mean and variance of |N(mu, sigma^2)| (folded normal).
double folded_mean(double mu, double s) {
    return s * std::sqrt(2.0 / std::numbers::pi) * std::exp(-mu * mu / (2 * s * s)) +
           mu * (1 - 2 * Phi(-mu / s));
}
double folded_variance(double mu, double s) {
    const double m = folded_mean(mu, s);
    return mu * mu + s * s - m * m;
}

struct moments {
    double mean = 0, sd = 0;
};
moments moments_of(const std::vector<double>& v) {
    double sum = 0;
    for (double a : v)
        sum += a;
    const double mean = sum / static_cast<double>(v.size());
    double ss = 0;
    for (double a : v)
        ss += (a - mean) * (a - mean);
    return {mean, std::sqrt(ss / static_cast<double>(v.size() - 1))};
}

} // namespace

TEST_CASE("pcm_stat: the parameter table and the defaults agree", "[pcm_stat]") {
    const M::params p{};
    for (const auto& info : M::parameters()) {
        INFO(info.name);
        CHECK(p.*(info.field) >= info.min);
        CHECK(p.*(info.field) <= info.max);
        CHECK(!info.description.empty());
        CHECK(!info.source.empty());
    }
    CHECK(M::validate(p).empty());
}

TEST_CASE("pcm_stat: the clipped drift formulas at a few x", "[pcm_stat]") {
    // Deterministic: the same expression evaluated twice, so 1e-12 covers only rounding. The points cover
    // both clips of each formula and the interior (x = 0.1 for mu; x = 0.1 for sigma).
    const M::params p{};
    for (double x : {1e-3, 0.01, 0.1, 0.5, 1.0}) {
        INFO("x = " << x);
        CHECK(M::mu_nu(p, x * g_max) == Approx(mu_nu_reference(x)).epsilon(1e-12));
        CHECK(M::sigma_nu(p, x * g_max) == Approx(sigma_nu_reference(x)).epsilon(1e-12));
    }
    // Hand values: mu(0.1) = 0.0155 ln 10 + 0.0244, mu(1) clips at 0.049, mu(1e-3) at 0.1;
    // sigma(0.1) = 0.0125 ln 10 - 0.0059, sigma(1) clips at 0.008, sigma(0.01) at 0.045.
    CHECK(M::mu_nu(p, 0.1 * g_max) == Approx(0.0600897).epsilon(1e-5));
    CHECK(M::mu_nu(p, g_max) == 0.049);
    CHECK(M::mu_nu(p, 1e-3 * g_max) == 0.1);
    CHECK(M::sigma_nu(p, 0.1 * g_max) == Approx(0.0228823).epsilon(1e-5));
    CHECK(M::sigma_nu(p, g_max) == 0.008);
    CHECK(M::sigma_nu(p, 0.01 * g_max) == 0.045);
    // G_T = 0 takes the log floor, not -inf.
    CHECK(M::mu_nu(p, 0.0) == 0.1);
    CHECK(M::sigma_nu(p, 0.0) == 0.045);
}

TEST_CASE("pcm_stat: programming noise has mean G_T and std sigma_p(x)", "[pcm_stat]") {
    // N = 200000: the mean is checked to 4 standard errors (false alarm 6e-5 per check); the sample std
    // has relative standard error 1/sqrt(2N) = 0.16%, so 2% is more than 12 of them, while it still
    // catches a wrong coefficient (each term moves sigma_p by > 2% at some of these x).
    const M::params p{};
    for (double x : {0.1, 0.5, 1.0}) {
        INFO("x = " << x);
        const double G_T = x * g_max;
        const double sigma = sigma_p_reference(x);
        CHECK(M::sigma_prog(p, G_T) == Approx(sigma).epsilon(1e-12));
        std::vector<double> G_p(N);
        for (std::size_t i = 0; i < N; ++i)
            G_p[i] = M::sample_program(p, G_T, seed, i)[M::G_p_index];
        const auto m = moments_of(G_p);
        CHECK(std::abs(m.mean - G_T) < 4.0 * sigma / std::sqrt(double(N)));
        CHECK(m.sd == Approx(sigma).epsilon(0.02));
    }
    // Reference figure: sigma_p spans 0.26-1.09 uS at g_max = 25 uS (device-models.md section 7).
    CHECK(M::sigma_prog(p, 0.0) == Approx(0.26348e-6).epsilon(1e-12));
    CHECK(M::sigma_prog(p, g_max) == Approx(1.05538e-6).epsilon(1e-12));
    // The polynomial scales with g_max / g_max_ref (the fit is in uS at 25 uS).
    M::params twice = p;
    twice.g_max = 50e-6;
    CHECK(M::sigma_prog(twice, 0.5 * twice.g_max) == Approx(2.0 * sigma_p_reference(0.5)).epsilon(1e-12));
    // A negative draw large enough clips at zero conductance.
    CHECK(M::program(p, 0.01 * g_max, -100.0, 0.0)[M::G_p_index] == 0.0);
}

TEST_CASE("pcm_stat: the drift exponent is a folded normal", "[pcm_stat]") {
    // Sample mean of nu vs the analytic folded-normal mean, 4 standard errors (standard error from the
    // folded-normal variance). x = 1 and 0.1 use the paper's fits; the forced case mu = 0.01,
    // sigma = 0.02 folds a third of the mass, where the unfolded mean 0.01 is 80 standard errors away.
    const M::params p{};
    struct point {
        M::params q;
        double x, mu, sigma;
    };
    M::params forced = p;
    forced.mu_nu_min = forced.mu_nu_max = 0.01;
    forced.sigma_nu_min = forced.sigma_nu_max = 0.02;
    const std::vector<point> points = {{p, 1.0, mu_nu_reference(1.0), sigma_nu_reference(1.0)},
                                       {p, 0.1, mu_nu_reference(0.1), sigma_nu_reference(0.1)},
                                       {p, 0.01, mu_nu_reference(0.01), sigma_nu_reference(0.01)},
                                       {forced, 0.5, 0.01, 0.02}};
    for (const auto& pt : points) {
        INFO("x = " << pt.x << ", mu = " << pt.mu << ", sigma = " << pt.sigma);
        std::vector<double> nu(N);
        for (std::size_t i = 0; i < N; ++i)
            nu[i] = M::sample_program(pt.q, pt.x * g_max, seed, i)[M::nu_index];
        const auto m = moments_of(nu);
        const double expected = folded_mean(pt.mu, pt.sigma);
        const double se = std::sqrt(folded_variance(pt.mu, pt.sigma) / double(N));
        CHECK(std::abs(m.mean - expected) < 4.0 * se);
        CHECK(*std::min_element(nu.begin(), nu.end()) >= 0.0);
    }
}

TEST_CASE("pcm_stat: conductance decays as a power law", "[pcm_stat]") {
    const M::params p{};
    const state s = {10e-6, 10.3e-6, 0.07};
    // Exact points of G_p ((t + t0)/t0)^(-nu): rounding only.
    CHECK(M::conductance_at(p, s, 0.0) == s[1]);
    CHECK(M::conductance_at(p, s, p.t0) == Approx(s[1] * std::pow(2.0, -0.07)).epsilon(1e-14));
    // Log-log slope between 1e12 s and 1e13 s is -nu t/(t + t0) averaged: off by ~t0/t = 2e-11, far
    // inside 1e-9.
    const double t1 = 1e12, t2 = 1e13;
    const double slope = (std::log(M::conductance_at(p, s, t2)) - std::log(M::conductance_at(p, s, t1))) /
                         (std::log(t2) - std::log(t1));
    CHECK(std::abs(slope + s[2]) < 1e-9);
    // Negative times mean "not yet read": no drift, no NaN.
    CHECK(M::conductance_at(p, s, -5.0) == s[1]);
}

TEST_CASE("pcm_stat: 1/f read noise after one hour matches the reference", "[pcm_stat]") {
    // Reference: sigma/G ~ 4.2% at x = 1 and ~ 19% at x = 0.1 after 1 h, quoted to two digits, so 5%.
    const M::params p{};
    CHECK(M::read_noise_rel(p, g_max, 3600.0) == Approx(0.042).epsilon(0.05));
    CHECK(M::read_noise_rel(p, 0.1 * g_max, 3600.0) == Approx(0.19).epsilon(0.05));
    // Q_s clips at 0.2 for tiny targets and the floor keeps G_T = 0 finite.
    CHECK(M::Q_s(p, 1e-6 * g_max) == 0.2);
    CHECK(M::Q_s(p, 0.0) == 0.2);
    // Deterministic: read = G(t) + |G(t)| Q_s sqrt(ln((t + t0 + t_r)/(2 t_r))) xi, the formula written
    // out here from the reference numbers; 1e-13 is rounding.
    const state s = {12.5e-6, 12.1e-6, 0.06};
    const double t = 3600.0;
    const double G_t = 12.1e-6 * std::pow((t + 20.0) / 20.0, -0.06);
    const double rel = std::min(0.0088 / std::max(std::pow(0.5, 0.65), 1e-3), 0.2) *
                       std::sqrt(std::log((t + 20.0 + 250e-9) / (2 * 250e-9)));
    CHECK(M::read_noise_sigma(p, s[0], G_t, t) == Approx(G_t * rel).epsilon(1e-13));
    CHECK(M::read(p, s, t, 1.7) == Approx(G_t * (1 + 1.7 * rel)).epsilon(1e-13));
    CHECK(M::read(p, s, t, 0.0) == Approx(G_t).epsilon(1e-15));
    // Statistical: N reads of one device at 1 h. Mean to 4 standard errors, std to 2% (12 standard errors
    // of a sample std at N = 200000, and the clip at 0 is 40 sigma away here).
    std::vector<double> reads(N);
    for (std::size_t i = 0; i < N; ++i)
        reads[i] = M::sample_read(p, s, t, seed, 7, i);
    const auto m = moments_of(reads);
    CHECK(std::abs(m.mean - G_t) < 4.0 * G_t * rel / std::sqrt(double(N)));
    CHECK(m.sd / G_t == Approx(rel).epsilon(0.02));
}

TEST_CASE("pcm_stat: the same seed gives the same numbers, another seed others", "[pcm_stat]") {
    const M::params p{};
    const double G_T = 0.3 * g_max;
    const auto a = M::sample_program(p, G_T, 1, 5, 2);
    const auto b = M::sample_program(p, G_T, 1, 5, 2);
    const auto c = M::sample_program(p, G_T, 2, 5, 2);
    const auto d = M::sample_program(p, G_T, 1, 6, 2); // another device
    CHECK(a == b);
    CHECK(a[1] != c[1]);
    CHECK(a[2] != c[2]);
    CHECK(a[1] != d[1]);
    CHECK(M::sample_read(p, a, 3600.0, 1, 5, 0) == M::sample_read(p, a, 3600.0, 1, 5, 0));
    CHECK(M::sample_read(p, a, 3600.0, 1, 5, 0) != M::sample_read(p, a, 3600.0, 2, 5, 0));
    CHECK(M::sample_read(p, a, 3600.0, 1, 5, 0) != M::sample_read(p, a, 3600.0, 1, 5, 1));
}

TEST_CASE("pcm_stat: global drift compensation restores devices that share nu", "[pcm_stat]") {
    // With one nu for all devices, alpha = sum G_p / sum G(t) = ((t + t0)/t0)^nu exactly; 1e-12 is rounding.
    M::params p{};
    p.sigma_nu_min = p.sigma_nu_max = 0.0; // every device drifts with mu_nu = 0.049 at x >= 0.205
    std::vector<double> before, now;
    for (std::uint64_t i = 0; i < 64; ++i) {
        const auto s = M::sample_program(p, (0.25 + 0.0115 * double(i)) * g_max, seed, i);
        before.push_back(M::conductance_at(p, s, 0.0));
        now.push_back(M::conductance_at(p, s, 86400.0));
    }
    const double alpha = M::drift_compensation(before, now);
    CHECK(alpha == Approx(std::pow((86400.0 + 20.0) / 20.0, 0.049)).epsilon(1e-12));
    CHECK(alpha * now[10] == Approx(before[10]).epsilon(1e-12));
    CHECK(M::drift_compensation({}, {}) == 1.0);
}

TEST_CASE("pcm_stat: device_model interface", "[pcm_stat]") {
    const M::params p{};
    const std::vector<state> states = {
        M::off_state(p), M::on_state(p), {5e-6, 4.7e-6, 0.08}, M::initial_state(p)};
    memxbar::testing::check_pinched<M>(p, states);
    for (const auto& s : states) {
        for (double v : {-0.2, 0.1, 0.3}) {
            // I = G_p v: the read current right after programming.
            CHECK(M::current(p, s, v) == Approx(s[1] * v).epsilon(1e-15));
            CHECK(M::di_dv(p, s, v) == s[1]);
            CHECK(memxbar::devices::read_conductance<M>(p, s, v) == Approx(s[1]).epsilon(1e-15));
            memxbar::devices::state_vec<3> d{};
            M::di_dx(p, s, v, d);
            CHECK(d[1] == v);
        }
    }
    CHECK(M::on_state(p)[1] == g_max);
    CHECK(M::off_state(p)[1] == 0.0);
    CHECK(M::on_state(p)[2] == 0.049);
    // Slightly outside the bounds and at odd times the kernels stay finite.
    for (const state s : {state{-1e-9, -1e-9, -0.01}, state{30e-6, 31e-6, 1.01}, state{0.0, 0.0, 0.0}})
        for (double t : {-1.0, 0.0, 1e-9, 3600.0, 1e15}) {
            CHECK(std::isfinite(M::conductance_at(p, s, t)));
            CHECK(std::isfinite(M::read(p, s, t, 3.0)));
            CHECK(std::isfinite(M::read_noise_sigma(p, s[0], s[1], t)));
        }
    // t0 far below t_r would make the 1/f log negative: floored, not NaN.
    M::params short_t0 = p;
    short_t0.t0 = 1e-9;
    CHECK(M::read_noise_rel(short_t0, g_max, 0.0) == 0.0);
}

TEST_CASE("pcm_stat: the shipped card binds to the paper defaults", "[pcm_stat]") {
    const auto c = memxbar::devices::load_card("pcm_joshi2020");
    const auto p = memxbar::devices::bind<M>(c);
    const M::params d{};
    for (const auto& info : M::parameters()) {
        INFO(info.name);
        CHECK(p.*(info.field) == d.*(info.field));
    }
    CHECK(!c.source.empty());
}

TEST_CASE("pcm_stat: bad cards name file, line, key, value and range", "[pcm_stat]") {
    using Catch::Contains;
    using memxbar::devices::bind;
    using memxbar::devices::parse_card;
    const auto card = [](const std::string& line) {
        return parse_card("model = \"pcm_stat\"\n[parameters]\n" + line + "\n", "bad.toml");
    };
    CHECK_THROWS_WITH(bind<M>(card("t_zero = 20.0")), Contains("bad.toml:3") && Contains("t_zero") &&
                                                          Contains("unknown parameter") && Contains("t0"));
    CHECK_THROWS_WITH(bind<M>(card("t0 = nan")),
                      Contains("bad.toml:3") && Contains("t0") && Contains("nan") && Contains("finite"));
    CHECK_THROWS_WITH(bind<M>(card("Q_s_max = 20.0")),
                      Contains("bad.toml:3") && Contains("Q_s_max") && Contains("20") && Contains("[0, 10]"));
    CHECK_THROWS_WITH(bind<M>(card("g_max = -25e-6")), Contains("bad.toml:3") && Contains("g_max") &&
                                                           Contains("= -2.5") && Contains("[1e-09, 1]"));
    // Cross-parameter checks (validate): message names the file and the physics.
    CHECK_THROWS_WITH(bind<M>(card("G_min = 30e-6")),
                      Contains("bad.toml") && Contains("G_min must be below g_max"));
    CHECK_THROWS_WITH(bind<M>(card("prog_c0 = -0.5e-6")),
                      Contains("bad.toml") && Contains("sigma_p") && Contains("negative"));
    CHECK_THROWS_WITH(bind<M>(card("mu_nu_min = 0.2")), Contains("bad.toml") && Contains("mu_nu_min"));
    CHECK_NOTHROW(bind<M>(card("g_max = 50e-6")));
}
