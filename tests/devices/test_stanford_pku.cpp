// Stanford-PKU RRAM (Guan, Yu & Wong 2012; rram_v_1_0_0.va): published read resistances, the rate
// against an independent transcription of the paper's equations, the generic kernel checks, switching
// direction, the F_min threshold, self-heating, bounds, the dynamic-noise coefficient, and cards.
#include "devices/card.hpp"
#include "devices/stanford_pku.hpp"
#include "model_checks.hpp"
#include "solvers/ode_integrator.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace memxbar;
using spku = devices::stanford_pku;
using Catch::Contains;

namespace {

constexpr double nm = 1e-9;

// The model with its gap in nanometres. check_partials steps a state by h (1 + |x|) with h = 1e-6,
// which assumes states of order one; in metres that step would be 1000x the whole gap range. The chain
// rule for the change of unit is exact (df/dx is unit-free in x here: f and x both scale by 1e9).
struct spku_nm {
    using params = spku::params;
    static constexpr std::string_view name = "stanford_pku_nm";
    static constexpr std::string_view title = "Stanford-PKU with the gap in nm (test adapter)";
    static constexpr std::size_t n_state = 1;
    static devices::param_table<params> parameters() { return spku::parameters(); }
    static std::span<const devices::state_info> states() { return spku::states(); }
    static devices::state_vec<1> m(const devices::state_vec<1>& x) { return {x[0] * nm}; }
    static devices::state_vec<1> initial_state(const params& p) { return {p.g_ini / nm}; }
    static devices::state_vec<1> on_state(const params& p) { return {p.g_min / nm}; }
    static devices::state_vec<1> off_state(const params& p) { return {p.g_max / nm}; }
    static double current(const params& p, const devices::state_vec<1>& x, double v) {
        return spku::current(p, m(x), v);
    }
    static double di_dv(const params& p, const devices::state_vec<1>& x, double v) {
        return spku::di_dv(p, m(x), v);
    }
    static void di_dx(const params& p, const devices::state_vec<1>& x, double v, devices::state_vec<1>& out) {
        spku::di_dx(p, m(x), v, out);
        out[0] *= nm;
    }
    static void dstate_dt(const params& p, const devices::state_vec<1>& x, double v,
                          devices::state_vec<1>& out) {
        spku::dstate_dt(p, m(x), v, out);
        out[0] /= nm;
    }
    static void df_dv(const params& p, const devices::state_vec<1>& x, double v, devices::state_vec<1>& out) {
        spku::df_dv(p, m(x), v, out);
        out[0] /= nm;
    }
    static void df_dx(const params& p, const devices::state_vec<1>& x, double v, devices::state_jac<1>& out) {
        spku::df_dx(p, m(x), v, out);
    }
};
static_assert(devices::ode_model<spku_nm>);

// The paper's equations written out independently (Guan 2012; rram_v_1_0_0.va), with the hard F_min
// step and CODATA constants.
struct paper {
    static double current(const spku::params& p, double g, double v) {
        return p.I0 * std::exp(-g / p.g0) * std::sinh(v / p.V0);
    }
    static double temperature(const spku::params& p, double g, double v) {
        return p.T0 + std::abs(v * current(p, g, v)) * p.R_th;
    }
    static double dg_dt(const spku::params& p, double g, double v) {
        const double qe = 1.602176634e-19, kb = 1.380649e-23;
        const double T = temperature(p, g, v);
        double gam = p.gamma0 - p.beta * std::pow(g / 1e-9, 3);
        if (gam * std::abs(v) / p.t_ox < p.F_min) gam = 0.0;
        return -p.v0 * std::exp(-qe * p.Ea / kb / T) * std::sinh(gam * p.a0 / p.t_ox * qe * v / kb / T);
    }
};

double rate(const spku::params& p, double g, double v) {
    devices::state_vec<1> f{};
    spku::dstate_dt(p, {g}, v, f);
    return f[0];
}

solvers::trace run(const spku::params& p, double g_start, const solvers::waveform& w, double t_end,
                   solvers::integrator method = solvers::integrator::cvode) {
    solvers::integration_options o;
    o.method = method;
    o.rtol = 1e-7;
    o.atol = 1e-10; // fraction of the state's range (10 nm): 1e-18 m, far below the pm changes tested
    o.output_dt = t_end / 2000.0;
    return solvers::integrate<spku>(p, {g_start}, w, t_end, o);
}

} // namespace

TEST_CASE("Stanford-PKU read resistance at 0.1 V: 542 ohm at g_min, 218.6 kohm at g_max", "[stanford_pku]") {
    // Published defaults; the numbers are MemTorch's r_on/r_off for this set (reference section 4),
    // quoted to 3-4 digits, so 0.5 % covers their rounding and nothing else.
    const spku::params p;
    CHECK(0.1 / spku::current(p, spku::on_state(p), 0.1) == Approx(542.0).epsilon(5e-3));
    CHECK(0.1 / spku::current(p, spku::off_state(p), 0.1) == Approx(218.6e3).epsilon(5e-3));
    CHECK(1.0 / devices::read_conductance<spku>(p, spku::initial_state(p), 0.1) ==
          Approx(542.0).epsilon(5e-3));
}

TEST_CASE("Stanford-PKU rate equals the paper's equations away from the F_min threshold", "[stanford_pku]") {
    const spku::params p;
    // |V| >= 1.8 V puts the field >= 59 smoothing widths above F_min for every g <= 1.5 nm, so the
    // logistic is 1 to e^-59 and only rounding separates the two transcriptions: 1e-12 relative.
    for (double g : {0.2 * nm, 0.5 * nm, 1.0 * nm, 1.5 * nm})
        for (double v : {-2.0, -1.8, 1.8, 2.0}) {
            INFO("g = " << g << " m, v = " << v << " V");
            CHECK(spku::current(p, {g}, v) == Approx(paper::current(p, g, v)).epsilon(1e-13));
            CHECK(spku::temperature(p, {g}, v) == Approx(paper::temperature(p, g, v)).epsilon(1e-13));
            if (g > p.g_min || v < 0.0) CHECK(rate(p, g, v) == Approx(paper::dg_dt(p, g, v)).epsilon(1e-12));
        }
    SECTION("F_smooth = 0 is the paper's hard step, on both sides of the threshold") {
        auto hard = p;
        hard.F_smooth = 0.0;
        for (double g : {0.3 * nm, 0.8 * nm, 1.2 * nm, 1.6 * nm}) {
            const double vth = spku::threshold_voltage(p, g);
            for (double v :
                 {0.5, 0.99 * vth, 1.01 * vth, 1.3 * vth, -0.5, -0.99 * vth, -1.01 * vth, -1.3 * vth}) {
                INFO("g = " << g << " m, v = " << v << " V");
                CHECK(rate(hard, g, v) == Approx(paper::dg_dt(hard, g, v)).epsilon(1e-12));
            }
        }
    }
}

TEST_CASE("Stanford-PKU kernels: partials, pinched loop, finiteness", "[stanford_pku]") {
    const spku::params p;
    // Gap in nm (adapter above), interior only: the walls at g_min and g_max are kinks.
    const std::vector<devices::state_vec<1>> inside = {{0.25}, {0.6}, {1.0}, {1.4}, {1.65}};
    // Below threshold (rate ~1e-40, still smooth), above it, and on both polarities; 1.1-1.2 V sit
    // within a few widths of the smoothed F_min step for small gaps, exercising d gamma_eff / dv.
    const std::vector<double> volts = {-2.0, -1.5, -1.2, -0.4, 0.3, 0.8, 1.1, 1.2, 1.5, 2.0};
    testing::check_partials<spku_nm>(p, inside, volts);

    SECTION("on the smoothed F_min step itself (wide step, F_smooth = 1e8 V/m)") {
        // With F_smooth = 1e8 V/m the logistic is ~75 mV wide in V, so these voltages sit on its slope
        // for every gap here, and d gamma_eff / dv and / dg carry most of the partials.
        auto wide = p;
        wide.F_smooth = 1e8;
        std::vector<double> vs;
        for (const auto& x : inside) {
            const double vth = spku::threshold_voltage(p, x[0] * nm);
            for (double k : {0.95, 1.0, 1.05}) {
                vs.push_back(k * vth);
                vs.push_back(-k * vth);
            }
        }
        testing::check_partials<spku_nm>(wide, inside, vs);
    }
    SECTION("without self-heating the temperature terms vanish and the partials still agree") {
        auto cold = p;
        cold.R_th = 0.0;
        testing::check_partials<spku_nm>(cold, inside, volts);
    }
    SECTION("hard F_min step, away from it") {
        auto hard = p;
        hard.F_smooth = 0.0;
        testing::check_partials<spku_nm>(hard, inside, {-2.0, -1.6, -0.5, 0.5, 1.6, 2.0});
    }

    const std::vector<devices::state_vec<1>> edges = {{0.0},     {p.g_min - 1e-12}, {p.g_min}, {0.95 * nm},
                                                      {p.g_max}, {p.g_max + 1e-12}, {1e-8}};
    testing::check_pinched<spku>(p, edges);
    testing::check_finite<spku>(p, edges, {-10.0, -3.0, -1.5, -1e-9, 0.0, 1e-12, 0.5, 1.05, 1.5, 3.0, 10.0});
    auto extreme = p; // corners of the parameter table
    extreme.g0 = 1e-12;
    extreme.V0 = 1e-3;
    extreme.v0 = 1e9;
    extreme.Ea = 0.0;
    testing::check_finite<spku>(extreme, edges, {-10.0, -1.0, 0.0, 1.0, 10.0});
}

TEST_CASE("Stanford-PKU: SET (V > 0) shrinks the gap, RESET (V < 0) grows it", "[stanford_pku]") {
    const spku::params p;
    for (double g : {0.3 * nm, 0.9 * nm, 1.6 * nm}) {
        INFO("g = " << g);
        CHECK(rate(p, g, 1.5) < 0.0);
        CHECK(rate(p, g, -1.5) > 0.0);
    }
    // 1 us at +-1.5 V from the middle of the range drives the gap to the opposite walls.
    const double g_mid = 0.95 * nm;
    const auto set = run(p, g_mid, solvers::waveform::dc(1.5), 1e-6);
    const auto reset = run(p, g_mid, solvers::waveform::dc(-1.5), 1e-6);
    const std::size_t last = set.rows() - 1;
    for (std::size_t r = 1; r < set.rows(); ++r) {
        CHECK(set.state(r, 0) <= set.state(r - 1, 0));     // monotone SET
        CHECK(reset.state(r, 0) >= reset.state(r - 1, 0)); // monotone RESET
    }
    // Ends on the walls to 1e-3 nm (the solver may overshoot a wall by ~atol before it is blocked).
    CHECK(set.state(last, 0) == Approx(p.g_min).margin(1e-12));
    CHECK(reset.state(reset.rows() - 1, 0) == Approx(p.g_max).margin(1e-12));
    // and the read resistance followed: low after SET, high after RESET (to the 0.5 % of the numbers).
    CHECK(0.1 / spku::current(p, {set.state(last, 0)}, 0.1) == Approx(542.0).epsilon(5e-3));
    CHECK(0.1 / spku::current(p, {reset.state(reset.rows() - 1, 0)}, 0.1) == Approx(218.6e3).epsilon(5e-3));
}

TEST_CASE("Stanford-PKU effective threshold from F_min", "[stanford_pku]") {
    const spku::params p;
    // Reference section 4: |V_th| = F_min t_ox / gamma(g) = 1.05 V at g_min, 1.39 V at g_max (3 digits).
    CHECK(spku::threshold_voltage(p, p.g_min) == Approx(1.05).epsilon(5e-3));
    CHECK(spku::threshold_voltage(p, p.g_max) == Approx(1.39).epsilon(5e-3));

    // 1 us at |V| = 0.5 V from the wall it could move away from: no appreciable change (< 1e-3 nm).
    // The unsmoothed sinh would move it ~0.2 nm/us at g_min, so this fails without the cut-off.
    const auto set_lo = run(p, p.g_max, solvers::waveform::dc(0.5), 1e-6);
    const auto reset_lo = run(p, p.g_min, solvers::waveform::dc(-0.5), 1e-6);
    CHECK(std::abs(set_lo.state(set_lo.rows() - 1, 0) - p.g_max) < 1e-12);
    CHECK(std::abs(reset_lo.state(reset_lo.rows() - 1, 0) - p.g_min) < 1e-12);
    // At 1.5 V the same 1 us moves it by more than 0.5 nm (a third of the range) in both directions.
    const auto set_hi = run(p, p.g_max, solvers::waveform::dc(1.5), 1e-6);
    const auto reset_hi = run(p, p.g_min, solvers::waveform::dc(-1.5), 1e-6);
    CHECK(p.g_max - set_hi.state(set_hi.rows() - 1, 0) > 0.5 * nm);
    CHECK(reset_hi.state(reset_hi.rows() - 1, 0) - p.g_min > 0.5 * nm);

    // RESET below V_th(g_max) is self-limiting: the gap grows until gamma(g) |V| / t_ox falls to F_min,
    // i.e. g* = g1 ((gamma0 - F_min t_ox / |V|) / beta)^(1/3) = 1.5668 nm at -1.3 V, then stops. With
    // F_smooth = 1e7 V/m one smoothing width is ~0.016 nm of gap here and the smoothed tail lets g creep
    // ~0.01 nm per decade of time; 0.03 nm allows that for 100 us.
    const double g_star = p.g1 * std::cbrt((p.gamma0 - p.F_min * p.t_ox / 1.3) / p.beta);
    REQUIRE(g_star == Approx(1.5668 * nm).epsilon(1e-4));
    const auto limited = run(p, p.g_min, solvers::waveform::dc(-1.3), 1e-4);
    CHECK(limited.state(limited.rows() - 1, 0) == Approx(g_star).margin(0.03 * nm));
    // SET at 1.2 V < V_th(g_max) = 1.39 V cannot start from g_max at all (< 1e-3 nm in 100 us).
    const auto no_set = run(p, p.g_max, solvers::waveform::dc(1.2), 1e-4);
    CHECK(p.g_max - no_set.state(no_set.rows() - 1, 0) < 1e-12);

    // Sharpness of the smoothed step: 3 % below V_th the rate is > 1e4 times smaller than 3 % above.
    for (double g : {0.3 * nm, 1.0 * nm, 1.6 * nm}) {
        const double vth = spku::threshold_voltage(p, g);
        INFO("g = " << g << ", V_th = " << vth);
        CHECK(std::abs(rate(p, g, 0.97 * vth)) < 1e-4 * std::abs(rate(p, g, 1.03 * vth)));
        CHECK(std::abs(rate(p, g, -0.97 * vth)) < 1e-4 * std::abs(rate(p, g, -1.03 * vth)));
    }
}

TEST_CASE("Stanford-PKU self-heating: T = T0 + |V I| R_th", "[stanford_pku]") {
    const spku::params p;
    double T_prev = p.T0;
    for (double v : {0.0, 0.2, 0.5, 1.0, 1.5, 2.0}) {
        for (double s : {1.0, -1.0}) {
            const double vv = s * v;
            const double i = spku::current(p, {p.g_min}, vv);
            INFO("v = " << vv);
            // Same arithmetic, so equal to rounding (1e-15 relative).
            CHECK(spku::temperature(p, {p.g_min}, vv) ==
                  Approx(p.T0 + std::abs(vv * i) * p.R_th).epsilon(1e-15));
        }
        const double T = spku::temperature(p, {p.g_min}, v);
        CHECK(T >= T_prev); // rises with |V I|
        T_prev = T;
    }
    CHECK(spku::temperature(p, {p.g_min}, 0.0) == p.T0);
    // The heating matters: at -1.5 V on g_min the device sits ~285 K above ambient (estimate from the
    // numbers by hand, 1 %) and RESET runs ~6.7x faster than in the same device held at T0 (R_th = 0);
    // both rates follow the paper's equation, to rounding.
    auto cold = p;
    cold.R_th = 0.0;
    CHECK(spku::temperature(p, {p.g_min}, -1.5) - p.T0 == Approx(285.0).epsilon(0.01));
    CHECK(rate(p, p.g_min, -1.5) > 5.0 * rate(cold, p.g_min, -1.5));
    CHECK(rate(p, p.g_min, -1.5) == Approx(paper::dg_dt(p, p.g_min, -1.5)).epsilon(1e-12));
    CHECK(rate(cold, p.g_min, -1.5) == Approx(paper::dg_dt(cold, p.g_min, -1.5)).epsilon(1e-12));
}

TEST_CASE("Stanford-PKU gap stays in [g_min, g_max] under a 1.8 V sine", "[stanford_pku]") {
    const spku::params p;
    // 1.8 V at 1 MHz hits both walls every cycle. Tolerance 1e-3 nm: the integrator may step a little
    // past a wall before the block stops it; a missing block would run away by nanometres.
    for (auto method : {solvers::integrator::cvode, solvers::integrator::rosenbrock}) {
        INFO("method " << static_cast<int>(method));
        const auto tr = run(p, p.g_ini, solvers::waveform::sine({1.8, 1e6, 0.0, 0.0}), 3e-6, method);
        double lo = 1.0, hi = 0.0;
        for (std::size_t r = 0; r < tr.rows(); ++r) {
            lo = std::min(lo, tr.state(r, 0));
            hi = std::max(hi, tr.state(r, 0));
        }
        CHECK(lo >= p.g_min - 1e-12);
        CHECK(hi <= p.g_max + 1e-12);
        CHECK(lo < p.g_min + 0.01 * nm); // both walls are really reached
        CHECK(hi > p.g_max - 0.01 * nm);
    }
}

TEST_CASE("Stanford-PKU dynamic-variability coefficient", "[stanford_pku]") {
    spku::params p;
    CHECK(spku::noise_rate(p, {p.g_min}, 1.5) == 0.0); // standard model: no noise
    p.model_switch = 1.0;
    // rram_v_1_0_0.va: delta_g0 / (1 + exp((T_crit - T) / T_smth)); at V = 0, T = T0 = 298 K:
    // 0.02 / (1 + exp(152 / 500)) = 8.4917e-3 m/s (evaluated by hand; 1e-4 covers the 5 digits).
    CHECK(spku::noise_rate(p, {p.g_min}, 0.0) == Approx(8.4917e-3).epsilon(1e-4));
    // At T = T_crit the gate is exactly 1/2.
    auto hot = p;
    hot.T0 = hot.T_crit;
    CHECK(spku::noise_rate(hot, {p.g_max}, 0.0) == Approx(0.5 * p.delta_g0).epsilon(1e-15));
    // Hotter devices are noisier: the self-heated ON state at 1.5 V.
    CHECK(spku::noise_rate(p, {p.g_min}, 1.5) > spku::noise_rate(p, {p.g_min}, 0.0));
    // One bounded step (1 ns) moves g by noise_rate * 1 ns * xi, as idt does in the Verilog-A; a step
    // four times longer has twice the standard deviation (Euler-Maruyama scaling).
    const double r = spku::noise_rate(p, {p.g_min}, 0.0);
    CHECK(spku::noise_increment(p, {p.g_min}, 0.0, 1e-9, 1.3) == Approx(r * 1e-9 * 1.3).epsilon(1e-14));
    CHECK(spku::noise_increment(p, {p.g_min}, 0.0, 4e-9, 1.0) ==
          Approx(2.0 * spku::noise_increment(p, {p.g_min}, 0.0, 1e-9, 1.0)).epsilon(1e-14));
    // The noise is not part of the ODE: the dynamic and standard models have the same dstate_dt.
    spku::params standard;
    CHECK(rate(p, 1.0 * nm, -1.5) == rate(standard, 1.0 * nm, -1.5));
    devices::state_vec<1> g{p.g_min - 1e-10};
    spku::clamp(p, g);
    CHECK(g[0] == p.g_min);
}

TEST_CASE("Stanford-PKU shipped cards load and bind", "[stanford_pku][cards]") {
    for (const char* name : {"stanford_pku", "stanford_pku_dynamic"}) {
        INFO("card " << name);
        const auto c = devices::load_card(name);
        const auto p = devices::bind<spku>(c);
        CHECK(c.model == "stanford_pku");
        CHECK_FALSE(c.source.empty());
        CHECK(0.1 / spku::current(p, {p.g_min}, 0.1) == Approx(542.0).epsilon(5e-3));
        CHECK(0.1 / spku::current(p, {p.g_max}, 0.1) == Approx(218.6e3).epsilon(5e-3));
        CHECK(p.gamma0 == 16.0);
        CHECK(p.F_min == 1.4e9);
    }
    CHECK(devices::bind<spku>(devices::load_card("stanford_pku")).model_switch == 0.0);
    CHECK(devices::bind<spku>(devices::load_card("stanford_pku_dynamic")).model_switch == 1.0);
}

TEST_CASE("Stanford-PKU bad cards name file:line, key, value and range", "[stanford_pku][cards]") {
    const auto bind_text = [](const std::string& lines) {
        const std::string text =
            "model = \"stanford_pku\"\ndescription = \"bad\"\n[parameters]\n" + lines + "\n";
        return devices::bind<spku>(devices::parse_card(text, "bad.toml"));
    };
    SECTION("unknown key") {
        CHECK_THROWS_WITH(bind_text("gap_min = 0.2e-9"), Contains("bad.toml:4") && Contains("gap_min") &&
                                                             Contains("2e-10") &&
                                                             Contains("g_min, g_ini, g_max"));
    }
    SECTION("NaN") {
        CHECK_THROWS_WITH(bind_text("F_min = nan"), Contains("bad.toml:4") && Contains("F_min") &&
                                                        Contains("nan") && Contains("[0, 1e+11]"));
    }
    SECTION("out of range") {
        CHECK_THROWS_WITH(bind_text("R_th = -5.0"), Contains("bad.toml:4") && Contains("R_th") &&
                                                        Contains("-5") && Contains("[0, 1e+08]"));
        CHECK_THROWS_WITH(bind_text("model_switch = 2.0"), Contains("bad.toml:4") &&
                                                               Contains("model_switch") && Contains("2") &&
                                                               Contains("[0, 1]"));
    }
    SECTION("g_min >= g_max (validate)") {
        CHECK_THROWS_WITH(bind_text("g_min = 1.7e-9\ng_max = 1.7e-9"),
                          Contains("bad.toml") && Contains("g_min") && Contains("g_max") &&
                              Contains("below"));
        CHECK_THROWS_WITH(bind_text("g_min = 1.0e-9\ng_max = 0.5e-9\ng_ini = 0.7e-9"),
                          Contains("bad.toml") && Contains("g_min") && Contains("below"));
    }
    SECTION("g_ini outside [g_min, g_max] and g_max beyond t_ox (validate)") {
        CHECK_THROWS_WITH(bind_text("g_ini = 1.8e-9"),
                          Contains("bad.toml") && Contains("g_ini") && Contains("[g_min, g_max]"));
        CHECK_THROWS_WITH(bind_text("t_ox = 1.0e-9"),
                          Contains("bad.toml") && Contains("t_ox") && Contains("g_max"));
    }
    SECTION("a good card still binds") {
        CHECK(bind_text("g_ini = 1.0e-9").g_ini == 1.0e-9);
    }
}
