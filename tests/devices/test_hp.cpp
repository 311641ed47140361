// HP linear ion drift (Strukov 2008) with the Joglekar, Biolek and Prodromakis windows: the windows
// against their paper forms, the generic kernel checks, the closed-form window-less solution, the
// published R_min, state bounds, frequency dependence of the loop, and card validation messages.
#include "devices/card.hpp"
#include "devices/hp_linear_drift.hpp"
#include "model_checks.hpp"
#include "solvers/ode_integrator.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

using namespace memxbar;
using hp = devices::hp_linear_drift;
using Catch::Contains;

namespace {

constexpr double pi = std::numbers::pi;

// The paper formulas, written out independently of the model (integer p, as in the papers).
double stp(double s) {
    return s >= 0.0 ? 1.0 : 0.0;
}
double joglekar_paper(double x, int p) {
    return 1.0 - std::pow(2.0 * x - 1.0, 2 * p);
}
double biolek_paper(double x, double i, int p) {
    return 1.0 - std::pow(x - stp(-i), 2 * p);
}
double prodromakis_paper(double x, int p, double j) {
    return j * (1.0 - std::pow((x - 0.5) * (x - 0.5) + 0.75, p));
}

hp::params with_window(hp::window_kind w, double p_exp = 1.0) {
    hp::params p;
    p.window = w;
    p.p = p_exp;
    return p;
}

// x0 for an initial resistance R0: R(x) = R_on x + R_off (1 - x).
double x_for(const hp::params& p, double R0) {
    return (p.R_off - R0) / (p.R_off - p.R_on);
}

solvers::trace run(const hp::params& p, double amplitude, double frequency, double t_end,
                   solvers::integrator method = solvers::integrator::cvode, double rtol = 1e-8) {
    solvers::integration_options o;
    o.method = method;
    o.rtol = rtol;
    o.atol = 1e-12;
    o.output_dt = t_end / 3000.0;
    return solvers::integrate<hp>(p, {p.x0}, solvers::waveform::sine({amplitude, frequency, 0.0, 0.0}), t_end,
                                  o);
}

} // namespace

TEST_CASE("HP windows equal the paper forms", "[hp]") {
    const std::vector<double> xs = {0.0, 0.02, 0.1, 0.3145, 0.5, 0.63, 0.9, 0.99, 1.0};
    // Same formula evaluated two ways (pow with an integer exponent vs |u|^(2p)): only rounding differs.
    const double tol = 1e-12;
    for (int p : {1, 2, 10}) {
        for (double x : xs) {
            INFO("p = " << p << ", x = " << x);
            const auto jog = hp::window_of(with_window(hp::joglekar, p), x, 1e-3);
            CHECK(jog.F == Approx(joglekar_paper(x, p)).margin(tol));

            // Biolek: |i| = 1e-3 A is 1e6 smoothing widths from 0, so the logistic equals stp to e^-1e6.
            const auto bio = with_window(hp::biolek, p);
            CHECK(hp::window_of(bio, x, 1e-3).F == Approx(biolek_paper(x, 1e-3, p)).margin(tol));
            CHECK(hp::window_of(bio, x, -1e-3).F == Approx(biolek_paper(x, -1e-3, p)).margin(tol));

            for (double j : {1.0, 2.5}) {
                auto pro = with_window(hp::prodromakis, p);
                pro.j = j;
                CHECK(hp::window_of(pro, x, 1e-3).F == Approx(prodromakis_paper(x, p, j)).margin(tol));
            }
            CHECK(hp::window_of(with_window(hp::none), x, 1e-3).F == 1.0);
        }
    }
    // The windows vanish where the papers say they do, and the state derivative is k i F inside.
    CHECK(hp::window_of(with_window(hp::joglekar), 0.0, 1e-3).F == 0.0);
    CHECK(hp::window_of(with_window(hp::biolek), 1.0, 1e-3).F == Approx(0.0).margin(tol));
    CHECK(hp::window_of(with_window(hp::biolek), 0.0, -1e-3).F == Approx(0.0).margin(tol));
    CHECK(hp::window_of(with_window(hp::biolek), 0.0, 1e-3).F == Approx(1.0).margin(tol));
    const auto p = with_window(hp::joglekar, 2);
    devices::state_vec<1> f{};
    hp::dstate_dt(p, {0.3}, 0.7, f);
    const double i = 0.7 / (p.R_on * 0.3 + p.R_off * 0.7);
    CHECK(f[0] == Approx(p.mu_v * p.R_on / (p.D * p.D) * i * joglekar_paper(0.3, 2)).epsilon(1e-13));
}

TEST_CASE("HP kernels: partials, pinched loop, finiteness", "[hp]") {
    // Interior states and nonzero voltages: the wall at x = 0, 1 and the Biolek step at i = 0 are kinks.
    const std::vector<devices::state_vec<1>> inside = {{0.05}, {0.3145}, {0.47}, {0.8}, {0.97}};
    const std::vector<double> volts = {-1.2, -0.35, 0.2, 0.5, 1.2};
    const std::vector<devices::state_vec<1>> edges = {{-1e-9},       {0.0}, {1e-12},     {0.5},
                                                      {1.0 - 1e-12}, {1.0}, {1.0 + 1e-9}};
    const std::vector<double> wide = {-10.0, -1.2, -1e-9, 0.0, 1e-12, 1e-6, 1.2, 10.0};
    for (auto w : {hp::none, hp::joglekar, hp::biolek, hp::prodromakis}) {
        for (double p_exp : {1.0, 2.0, 10.0}) {
            INFO("window " << hp::window_names[static_cast<std::size_t>(w)] << ", p = " << p_exp);
            const auto p = with_window(w, p_exp);
            testing::check_partials<hp>(p, inside, volts);
            testing::check_pinched<hp>(p, edges);
            testing::check_finite<hp>(p, edges, wide);
        }
    }
    SECTION("inside the smoothing width of the Biolek step, dF/di is exercised") {
        auto p = with_window(hp::biolek);
        p.i_smooth = 2e-5; // A; |i| = 1e-5..1e-4 below, so s(i) is neither 0 nor 1
        testing::check_partials<hp>(p, inside, {-0.3, -0.08, 0.05, 0.4});
    }
    SECTION("non-integer p inside its range") {
        testing::check_partials<hp>(with_window(hp::joglekar, 1.5), inside, volts);
        testing::check_finite<hp>(with_window(hp::prodromakis, 2.7), edges, wide);
    }
}

TEST_CASE("HP without window follows the closed form R^2 = R0^2 - 2 (R_off - R_on) k Phi", "[hp]") {
    // Strukov 2008 with f = 1: R dR/dt = -(R_off - R_on) k v, so R^2 = R0^2 - 2 (R_off - R_on) k Phi(t),
    // Phi(t) = A (1 - cos(w t)) / w for v = A sin(w t). With R0 = 11 kOhm and A = 0.5 V, x stays in
    // [0.3145, 0.4786], inside (0, 1), so the walls never act.
    auto p = with_window(hp::none);
    const double R0 = 11e3, A = 0.5, w = 2 * pi * 1.0;
    p.x0 = x_for(p, R0);
    const double k = p.mu_v * p.R_on / (p.D * p.D);
    REQUIRE(k == Approx(1e4).epsilon(1e-12)); // the canonical set's k = 1e4 /(A s)

    using solvers::integrator;
    const std::pair<integrator, const char*> methods[] = {
        {integrator::cvode, "cvode"}, {integrator::rk, "rk"}, {integrator::rosenbrock, "rosenbrock"}};
    for (const auto& [method, method_name] : methods) {
        INFO("method " << method_name);
        const auto tr = run(p, A, 1.0, 3.0, method, 1e-9);
        REQUIRE(tr.rows() > 1000);
        double worst = 0.0, worst_i = 0.0;
        for (std::size_t r = 0; r < tr.rows(); ++r) {
            const double x = tr.state(r, 0);
            REQUIRE(x > 0.0);
            REQUIRE(x < 1.0);
            const double phi = A * (1.0 - std::cos(w * tr.t[r])) / w;
            const double R_exact = std::sqrt(R0 * R0 - 2.0 * (p.R_off - p.R_on) * k * phi);
            worst = std::max(worst, std::abs(hp::resistance(p, x) - R_exact) / R_exact);
            // The trace current is the model's i = v / R(x); check it against the exact R too.
            worst_i = std::max(worst_i, std::abs(tr.i[r] - tr.v[r] / R_exact) / (A / R_exact));
        }
        // rtol = 1e-9 per step; the global error of this non-expanding problem must stay within
        // 100 rtol = 1e-7 relative on R (observed: cvode 3e-8, rk 4e-14), far below the 1e-3 a wrong k or
        // window would cause. A 4th-order Rosenbrock must meet it too (Boost 1.74's rosenbrock4 fed dF/dt
        // directly is ~5e-6 here: its d4 coefficient has the wrong sign, which only non-autonomous drives
        // see).
        CHECK(worst < 1e-7);
        CHECK(worst_i < 1e-7); // relative to the peak current A / R
    }
}

TEST_CASE("HP without window: R_min = 8.39 kOhm under 0.5 V, 1 Hz (reference number)", "[hp]") {
    auto p = with_window(hp::none);
    p.x0 = x_for(p, 11e3);
    const auto tr = run(p, 0.5, 1.0, 3.0);
    double R_min = 1e300;
    for (std::size_t r = 0; r < tr.rows(); ++r)
        R_min = std::min(R_min, hp::resistance(p, tr.state(r, 0)));
    // Reference value quoted to 3 digits (8.39 kOhm): 0.1 % is its rounding plus margin.
    CHECK(R_min == Approx(8.39e3).epsilon(1e-3));
}

TEST_CASE("HP with windows keeps the state in [0, 1] under 1.2 V", "[hp]") {
    // 1.2 V at 1 Hz: without a window the canonical device hits the x = 1 wall in the first half-cycle
    // (reference section 1); the flat p = 10 windows get close to it. Tolerance: x is clamped to its
    // bounds by the kernels' walls and the integrator, so any excursion beyond 1e-12 is a bug.
    struct case_t {
        hp::window_kind w;
        double p;
        double reach; // the drive must take x at least this high, so the bound is really exercised
    };
    for (const auto& c :
         {case_t{hp::none, 1.0, 1.0 - 1e-9}, case_t{hp::joglekar, 1.0, 0.8}, case_t{hp::joglekar, 10.0, 0.99},
          case_t{hp::biolek, 1.0, 0.69}, case_t{hp::biolek, 10.0, 0.95}, case_t{hp::prodromakis, 1.0, 0.39},
          case_t{hp::prodromakis, 10.0, 0.8}}) {
        INFO("window " << hp::window_names[static_cast<std::size_t>(c.w)] << ", p = " << c.p);
        const auto p = with_window(c.w, c.p);
        const auto tr = run(p, 1.2, 1.0, 3.0);
        double lo = 1.0, hi = 0.0;
        for (std::size_t r = 0; r < tr.rows(); ++r) {
            lo = std::min(lo, tr.state(r, 0));
            hi = std::max(hi, tr.state(r, 0));
        }
        CHECK(lo >= -1e-12);
        CHECK(hi <= 1.0 + 1e-12);
        CHECK(hi >= c.reach);
    }
}

TEST_CASE("HP pinched loop shrinks as the frequency rises", "[hp]") {
    // Area of the positive lobe, |integral of i dv| over the first positive half-cycle (trapezoid rule on
    // 3000 points: error far below the 2x area ratios seen here). Memristor fingerprint: the lobe
    // shrinks with frequency (Strukov 2008, Fig. 2; Biolek 2009).
    const auto p = with_window(hp::biolek);
    std::vector<double> areas;
    for (double f : {1.0, 2.0, 5.0}) {
        const auto tr = run(p, 1.2, f, 0.5 / f);
        double area = 0.0;
        for (std::size_t r = 1; r < tr.rows(); ++r)
            area += 0.5 * (tr.i[r] + tr.i[r - 1]) * (tr.v[r] - tr.v[r - 1]);
        areas.push_back(std::abs(area));
    }
    INFO("lobe areas (V A) at 1, 2, 5 Hz: " << areas[0] << ", " << areas[1] << ", " << areas[2]);
    CHECK(areas[0] > 1.2 * areas[1]);
    CHECK(areas[1] > 1.2 * areas[2]);
    CHECK(areas[2] > 0.0);
}

TEST_CASE("HP shipped cards load and bind", "[hp][cards]") {
    for (const char* name : {"hp_biolek", "hp_joglekar", "hp_prodromakis", "hp_nowindow"}) {
        INFO("card " << name);
        const auto c = devices::load_card(name);
        const auto p = devices::bind<hp>(c);
        CHECK(c.model == "hp");
        CHECK_FALSE(c.source.empty());
        CHECK(p.R_on == 100.0);
        CHECK(p.R_off == 16e3);
        CHECK(hp::resistance(p, p.x0) == Approx(11e3).epsilon(1e-8)); // R_init = 11 kOhm
    }
    CHECK(devices::bind<hp>(devices::load_card("hp_biolek")).window == static_cast<double>(hp::biolek));
    CHECK(devices::bind<hp>(devices::load_card("hp_biolek")).p == 1.0);
    CHECK(devices::bind<hp>(devices::load_card("hp_joglekar")).window == static_cast<double>(hp::joglekar));
    CHECK(devices::bind<hp>(devices::load_card("hp_prodromakis")).window ==
          static_cast<double>(hp::prodromakis));
    CHECK(devices::bind<hp>(devices::load_card("hp_nowindow")).window == static_cast<double>(hp::none));
}

TEST_CASE("HP bad cards name file:line, key, value and range", "[hp][cards]") {
    const auto bind_text = [](const std::string& parameters_line) {
        const std::string text =
            "model = \"hp\"\ndescription = \"bad\"\n[parameters]\n" + parameters_line + "\n";
        return devices::bind<hp>(devices::parse_card(text, "bad.toml"));
    };
    SECTION("unknown key") {
        // "range" for a key is the list of known parameter names.
        CHECK_THROWS_WITH(bind_text("R_onn = 100.0"), Contains("bad.toml:4") && Contains("R_onn") &&
                                                          Contains("100") && Contains("R_on, R_off"));
    }
    SECTION("NaN") {
        CHECK_THROWS_WITH(bind_text("R_off = nan"), Contains("bad.toml:4") && Contains("R_off") &&
                                                        Contains("nan") && Contains("[0.001, 1e+15]"));
    }
    SECTION("negative R_on") {
        CHECK_THROWS_WITH(bind_text("R_on = -100.0"), Contains("bad.toml:4") && Contains("R_on") &&
                                                          Contains("-100") && Contains("[0.001, 1e+12]"));
    }
    SECTION("p out of range") {
        CHECK_THROWS_WITH(bind_text("p = 0.5"), Contains("bad.toml:4") && Contains("'p'") &&
                                                    Contains("0.5") && Contains("[1, 50]"));
    }
    SECTION("unknown window name") {
        CHECK_THROWS_WITH(bind_text("window = \"hann\""),
                          Contains("bad.toml:4") && Contains("window") && Contains("hann") &&
                              Contains("none, joglekar, biolek, prodromakis"));
    }
    SECTION("a good line still binds") {
        CHECK(bind_text("p = 2.0").p == 2.0);
    }
}
