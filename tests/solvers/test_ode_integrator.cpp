// The integrators against closed forms: the window-less HP model has R(t)^2 = R0^2 - 2 (R_off - R_on) k
// Phi(t) (Strukov 2008), which turns every drive into an exact answer through its flux Phi(t).
#include "devices/hp_linear_drift.hpp"
#include "solvers/ode_integrator.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <numbers>
#include <span>

using namespace memxbar;
using hp = devices::hp_linear_drift;

namespace {

hp::params no_window() {
    hp::params p;
    p.window = hp::none;
    return p;
}

// Exact x(Phi) for the window-less model while x stays inside (0, 1).
double x_exact(const hp::params& p, double x0, double phi) {
    const double k = hp::k(p);
    const double r0 = hp::resistance(p, x0);
    const double r = std::sqrt(r0 * r0 - 2.0 * (p.R_off - p.R_on) * k * phi);
    return (p.R_off - r) / (p.R_off - p.R_on);
}

double sine_flux(double a, double f, double t) {
    return a / (2 * std::numbers::pi * f) * (1 - std::cos(2 * std::numbers::pi * f * t));
}

} // namespace

TEST_CASE("every adaptive method follows the closed form and they agree with each other") {
    const auto p = no_window();
    const auto drive = solvers::waveform::parse("sine:amplitude=0.5,frequency=1");
    std::vector<solvers::trace> traces;
    for (auto m : {solvers::integrator::cvode, solvers::integrator::rk, solvers::integrator::rosenbrock}) {
        solvers::integration_options o;
        o.method = m;
        o.rtol = o.atol = 1e-10;
        traces.push_back(solvers::integrate<hp>(p, {0.3145}, drive, 3.0, o));
        const auto& tr = traces.back();
        REQUIRE(tr.rows() == 1001);
        double err = 0.0;
        for (std::size_t r = 0; r < tr.rows(); ++r) {
            REQUIRE(tr.state(r, 0) > 0.0);
            REQUIRE(tr.state(r, 0) < 1.0);
            err = std::max(err, std::abs(tr.state(r, 0) - x_exact(p, 0.3145, sine_flux(0.5, 1, tr.t[r]))));
            // the current is Ohm's law on the state
            REQUIRE(tr.i[r] == Approx(tr.v[r] / hp::resistance(p, tr.state(r, 0))).margin(1e-15));
        }
        INFO("method " << static_cast<int>(m) << " steps " << tr.steps);
        // tolerance: 1e-10 requested; global error stays within 1e-7 of the state range over 3 periods
        CHECK(err < 1e-7);
    }
    // CVODE and odeint agree within the tolerance they were given (times the number of periods)
    for (std::size_t r = 0; r < traces[0].rows(); ++r) {
        CHECK(std::abs(traces[0].state(r, 0) - traces[1].state(r, 0)) < 1e-7);
        CHECK(std::abs(traces[0].state(r, 0) - traces[2].state(r, 0)) < 1e-7);
    }
}

TEST_CASE("looser tolerances give larger but bounded errors (tolerance is honoured)") {
    const auto p = no_window();
    const auto drive = solvers::waveform::parse("sine:amplitude=0.5,frequency=1");
    solvers::integration_options o;
    o.method = solvers::integrator::rk;
    o.output_dt = 0.1; // few outputs: the step size is then the controller's choice
    for (double tol : {1e-5, 1e-8}) {
        o.rtol = o.atol = tol;
        const auto tr = solvers::integrate<hp>(p, {0.3145}, drive, 3.0, o);
        const double err = std::abs(tr.state(tr.rows() - 1, 0) - x_exact(p, 0.3145, sine_flux(0.5, 1, 3.0)));
        CHECK(err < 100 * tol);
    }
}

TEST_CASE("fixed-step Euler and RK4 converge at orders 1 and 4") {
    const auto p = no_window();
    const auto drive = solvers::waveform::parse("sine:amplitude=0.5,frequency=1");
    const double t_end = 0.37; // not a whole period, where errors of the symmetric sine would cancel
    const double exact = x_exact(p, 0.3145, sine_flux(0.5, 1, t_end));
    for (auto [method, order, n0] : {std::tuple{solvers::fixed_method::euler, 1.0, 200},
                                     std::tuple{solvers::fixed_method::rk4, 4.0, 20}}) {
        std::vector<double> errs;
        for (int n = n0; n <= 8 * n0; n *= 2) {
            const auto tr = solvers::integrate_fixed<hp>(p, {0.3145}, drive, t_end, t_end / n, method);
            errs.push_back(std::abs(tr.state(tr.rows() - 1, 0) - exact));
        }
        for (std::size_t k = 1; k < errs.size(); ++k) {
            const double observed = std::log2(errs[k - 1] / errs[k]);
            INFO("method order " << order << " refinement " << k << " observed " << observed);
            CHECK(std::abs(observed - order) < 0.5);
        }
    }
}

TEST_CASE("pulse trains: the integrator stops at every edge, so the flux is exact") {
    // 20 pulses of 1 V x 1 ms with 9 ms gaps: Phi = 20 x 1e-3 V s.
    const auto p = no_window();
    const auto drive = solvers::waveform::parse("pulse:amplitude=1,width=1e-3,period=1e-2,count=20");
    for (auto m : {solvers::integrator::cvode, solvers::integrator::rk, solvers::integrator::rosenbrock}) {
        solvers::integration_options o;
        o.method = m;
        o.rtol = o.atol = 1e-10;
        o.output_dt = 0.05; // far coarser than a pulse: edges must still be found
        const auto tr = solvers::integrate<hp>(p, {0.3145}, drive, 0.2, o);
        INFO("method " << static_cast<int>(m));
        // 1e-7: twenty pulses of local errors at rtol 1e-10; a skipped edge would be off by ~1e-3
        CHECK(tr.state(tr.rows() - 1, 0) == Approx(x_exact(p, 0.3145, 20e-3)).epsilon(1e-7));
    }
}

TEST_CASE("a series resistor divides the voltage by Ohm's law") {
    auto p = no_window();
    p.mu_v = 1e-20; // freeze the state: the device is then a plain resistor
    const auto drive = solvers::waveform::dc(1.0);
    solvers::integration_options o;
    o.r_series = 5e3;
    const auto tr = solvers::integrate<hp>(p, {0.3145}, drive, 1.0, o);
    const double r_dev = hp::resistance(p, tr.state(tr.rows() - 1, 0));
    CHECK(tr.i.back() == Approx(1.0 / (5e3 + r_dev)).epsilon(1e-12));
    CHECK(tr.v.back() == Approx(r_dev / (5e3 + r_dev)).epsilon(1e-12));
}

TEST_CASE("the state never leaves its bounds, even when the drive pushes it hard") {
    auto p = no_window();
    const auto drive = solvers::waveform::parse("sine:amplitude=1.2,frequency=1");
    for (auto m : {solvers::integrator::cvode, solvers::integrator::rk, solvers::integrator::rosenbrock}) {
        solvers::integration_options o;
        o.method = m;
        const auto tr = solvers::integrate<hp>(p, {0.3145}, drive, 3.0, o);
        double hi = 0.0;
        for (std::size_t r = 0; r < tr.rows(); ++r) {
            REQUIRE(tr.state(r, 0) >= 0.0);
            REQUIRE(tr.state(r, 0) <= 1.0);
            hi = std::max(hi, tr.state(r, 0));
        }
        CHECK(hi == 1.0); // 1.2 V reaches the bound within the first half-cycle (reference section 1)
    }
}

TEST_CASE("bad options are errors, not NaN") {
    const auto p = no_window();
    const auto drive = solvers::waveform::dc(0.1);
    solvers::integration_options o;
    o.rtol = 0.0;
    CHECK_THROWS_AS(solvers::integrate<hp>(p, {0.3}, drive, 1.0, o), std::invalid_argument);
    o = {};
    o.r_series = -1.0;
    CHECK_THROWS_AS(solvers::integrate<hp>(p, {0.3}, drive, 1.0, o), std::invalid_argument);
    o = {};
    CHECK_THROWS_AS(solvers::integrate<hp>(p, {0.3}, drive, -1.0, o), std::invalid_argument);
    CHECK_THROWS_AS(solvers::parse_integrator("euler"), std::invalid_argument);
}

namespace {
// A broken model: its state runs out through the upper bound at any voltage.
struct runaway {
    static constexpr std::string_view name = "runaway";
    static constexpr std::string_view title = "test model";
    static constexpr std::size_t n_state = 1;
    struct params {
        double dummy = 0.0;
    };
    static devices::param_table<params> parameters() { return {}; }
    static std::span<const devices::state_info> states() {
        static constexpr std::array<devices::state_info, 1> s = {{{"x", "1", 0.0, 1.0, "test"}}};
        return s;
    }
    static devices::state_vec<1> initial_state(const params&) { return {0.5}; }
    static devices::state_vec<1> on_state(const params&) { return {1.0}; }
    static devices::state_vec<1> off_state(const params&) { return {0.0}; }
    static double current(const params&, const devices::state_vec<1>&, double v) { return v; }
    static double di_dv(const params&, const devices::state_vec<1>&, double) { return 1.0; }
    static void di_dx(const params&, const devices::state_vec<1>&, double, devices::state_vec<1>& o) {
        o = {0.0};
    }
    static void dstate_dt(const params&, const devices::state_vec<1>&, double, devices::state_vec<1>& o) {
        o = {1.0};
    }
    static void df_dv(const params&, const devices::state_vec<1>&, double, devices::state_vec<1>& o) {
        o = {0.0};
    }
    static void df_dx(const params&, const devices::state_vec<1>&, double, devices::state_jac<1>& o) {
        o = {0.0};
    }
};
} // namespace

TEST_CASE("a model that pushes its state out through a bound is reported, not looped on") {
    for (auto m : {solvers::integrator::cvode, solvers::integrator::rk, solvers::integrator::rosenbrock}) {
        solvers::integration_options o;
        o.method = m;
        o.output_dt = 1.0; // many steps per output interval
        o.max_step = 1e-3;
        INFO("method " << static_cast<int>(m));
        CHECK_THROWS_WITH(solvers::integrate<runaway>({}, {0.5}, solvers::waveform::dc(1.0), 100.0, o),
                          Catch::Matchers::Contains("left its physical bounds"));
    }
}
