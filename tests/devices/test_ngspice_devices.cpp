// Cross-checks of device models against ngspice: the same equations written as a behavioural netlist
// (the state is the voltage of a 1 F capacitor charged by a B-source current equal to dx/dt, started
// with .ic) and integrated by ngspice's own Gear/Newton machinery, compared with memxbar's CVODE trace.
//
// Tolerance, everywhere: currents agree within 1% of the peak current at every common sample time,
// and states within 1% of their range. The two simulators share only the equations: ngspice picks its
// own steps (Gear, LTE control through the capacitor charge with its trtol heuristics, which change
// between ngspice versions), and its output is linearly interpolated onto memxbar's sample times. 1% is
// a bound that survives those differences on any ngspice; observed with ngspice 39 the worst
// differences are 1.4e-7 (HP), 7e-6 and 2e-5 (VTEAM) of the peak current. Mutations are caught with
// a wide margin: Biolek p = 2 instead of 1 in the netlist gives 24% of the peak, VTEAM alpha_on = 2
// instead of 3 gives 67-81%.
//
// These tests need ngspice and fail (not skip) without it: apt-get install ngspice.
#include "devices/card.hpp"
#include "devices/hp_linear_drift.hpp"
#include "devices/team.hpp"
#include "ngspice_harness.hpp"
#include "solvers/ode_integrator.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

using namespace memxbar;

namespace {

// A double as ngspice reads it, exactly.
std::string num(double x) {
    std::ostringstream s;
    s.precision(std::numeric_limits<double>::max_digits10);
    s << x;
    return s.str();
}

// x^n for a small integer n, spelled as a product so ngspice never meets pow() of a negative base.
std::string power(const std::string& x, int n) {
    std::string out = "(" + x + ")";
    for (int k = 1; k < n; ++k)
        out += "*(" + x + ")";
    return out;
}

struct comparison {
    double worst_current = 0.0; // A
    double peak_current = 0.0;  // A
    double worst_state = 0.0;   // in units of the state
};

// memxbar's trace against ngspice's vectors (state in `state_scale` units of the trace's state).
comparison compare(const solvers::trace& tr, const testing::spice_data& sp, double state_scale) {
    comparison c;
    const auto& ts = sp.time();
    const auto& i_source = sp["i(V1)"]; // current into V1's + node: minus the device current
    const auto& x_spice = sp["v(x)"];
    for (std::size_t r = 0; r < tr.rows(); ++r) {
        c.peak_current = std::max(c.peak_current, std::abs(tr.i[r]));
        const double i_sp = -testing::interpolate(ts, i_source, tr.t[r]);
        c.worst_current = std::max(c.worst_current, std::abs(i_sp - tr.i[r]));
        const double x_sp = testing::interpolate(ts, x_spice, tr.t[r]) / state_scale;
        c.worst_state = std::max(c.worst_state, std::abs(x_sp - tr.state(r, 0)));
    }
    return c;
}

// Tight ngspice settings: reltol 1e-7 (ngspice default 1e-3), absolute tolerances
// far below the signals (uA-mA currents, states of order 1), Gear (no trapezoidal ringing at the
// threshold kinks), and a small maximum step.
const char* tight_options =
    ".options reltol=1e-7 abstol=1e-15 vntol=1e-12 chgtol=1e-20 method=gear maxord=2\n";

} // namespace

TEST_CASE("ngspice: HP with the Biolek window (p = 1) under 1.2 V, 1 Hz", "[slow][ngspice][hp]") {
    using hp = devices::hp_linear_drift;
    const auto p = devices::bind<hp>(devices::load_card("hp_biolek"));
    REQUIRE(p.window == static_cast<double>(hp::biolek));
    REQUIRE(p.p == 1.0);

    // Strukov 2008 / Biolek 2009 with the same smoothed step as the model:
    // stp(-i) ~ 1 / (1 + exp(i / i_smooth)) = (1 - tanh(i / (2 i_smooth))) / 2 (tanh cannot overflow).
    const std::string R = "(" + num(p.R_on) + "*V(x)+" + num(p.R_off) + "*(1-V(x)))";
    const std::string i = "(V(in)/" + R + ")";
    const std::string s = "(0.5*(1-tanh(" + i + "/" + num(2.0 * p.i_smooth) + ")))";
    const std::string F = "(1-" + power("V(x)-" + s, 2) + ")"; // 2p = 2
    const double k = p.mu_v * p.R_on / (p.D * p.D);
    std::ostringstream net;
    net << "* memxbar cross-check: HP linear drift, Biolek window p = 1\n"
        << "V1 in 0 SIN(0 1.2 1)\n"
        << "Bmem in 0 I = " << i << "\n"
        << "Bx 0 x I = " << num(k) << "*" << i << "*" << F << "\n"
        << "Cx x 0 1\n"
        << ".ic V(x)=" << num(p.x0) << "\n"
        << tight_options << ".tran 1e-4 3 0 1e-4\n";
    const auto sp = testing::run_ngspice(net.str(), {"v(x)", "i(V1)"});

    solvers::integration_options o;
    o.rtol = 1e-9;
    o.atol = 1e-12;
    o.output_dt = 1e-3;
    const auto tr = solvers::integrate<hp>(p, {p.x0}, solvers::waveform::sine({1.2, 1.0, 0.0, 0.0}), 3.0, o);

    const auto c = compare(tr, sp, 1.0);
    INFO("peak current " << c.peak_current << " A, worst current difference " << c.worst_current
                         << " A, worst state difference " << c.worst_state);
    REQUIRE(c.peak_current > 1e-4); // the loop is really driven (peak ~ 0.16 mA)
    CHECK(c.worst_current <= 0.01 * c.peak_current);
    CHECK(c.worst_state <= 0.01); // 1% of the state range [0, 1]
}

namespace {

// The VTEAM equations (Kvatinsky 2015; reference section 2) as a netlist, x in nm (node voltages of
// order 1 keep ngspice's voltage tolerances meaningful).
std::string vteam_netlist(const devices::vteam::params& p, double amplitude, double frequency, double t_end,
                          double max_step) {
    const double L = p.x_off - p.x_on;
    const std::string w = "((V(x)*1e-9-" + num(p.x_on) + ")/" + num(L) + ")"; // normalised state in [0, 1]
    const bool exponential = static_cast<int>(p.iv_relation) == 1;
    const std::string R = exponential
                              ? "(" + num(p.R_on) + "*exp(" + num(std::log(p.R_off / p.R_on)) + "*" + w + "))"
                              : "(" + num(p.R_on) + "+" + num(p.R_off - p.R_on) + "*" + w + ")";
    std::string f_off, f_on;
    if (static_cast<int>(p.window) ==
        1) { // Kvatinsky: exp(-exp((x - a_off)/w_c)), exp(-exp(-(x - a_on)/w_c))
        f_off = "exp(-exp((V(x)*1e-9-" + num(p.a_off) + ")/" + num(p.w_c) + "))";
        f_on = "exp(-exp(-(V(x)*1e-9-" + num(p.a_on) + ")/" + num(p.w_c) + "))";
    } else { // Biolek resolved by direction, p = 1: 1 - w^2 (x rising), 1 - (w - 1)^2 (x falling)
        f_off = "(1-" + power(w, 2) + ")";
        f_on = "(1-" + power(w + "-1", 2) + ")";
    }
    const auto a_off = static_cast<int>(p.alpha_off), a_on = static_cast<int>(p.alpha_on);
    const std::string g_off = power("V(in)/" + num(p.v_off) + "-1", a_off);
    const std::string g_on = power("V(in)/" + num(p.v_on) + "-1", a_on);
    // dx/dt in nm/s: k (v/v_th - 1)^alpha f(x) beyond each threshold, 0 between them.
    const std::string rate = "1e9*(V(in)>" + num(p.v_off) + " ? " + num(p.k_off) + "*" + g_off + "*" + f_off +
                             " : (V(in)<" + num(p.v_on) + " ? " + num(p.k_on) + "*" + g_on + "*" + f_on +
                             " : 0))";
    std::ostringstream net;
    net << "* memxbar cross-check: VTEAM\n"
        << "V1 in 0 SIN(0 " << num(amplitude) << " " << num(frequency) << ")\n"
        << "Bmem in 0 I = V(in)/" << R << "\n"
        << "Bx 0 x I = " << rate << "\n"
        << "Cx x 0 1\n"
        << ".ic V(x)=" << num(p.x0 * 1e9) << "\n"
        << tight_options << ".tran " << num(max_step) << " " << num(t_end) << " 0 " << num(max_step) << "\n";
    return net.str();
}

} // namespace

TEST_CASE("ngspice: VTEAM under 1 V, 50 MHz", "[slow][ngspice][vteam]") {
    using vteam = devices::vteam;
    namespace td = devices::team_detail;
    // MemTorch's VTEAM device (R_on/R_off = 50 ohm / 1 kohm, x in [0, 3 nm], v_off = 0.02 V, v_on = -0.2 V,
    // alpha_off = 1, alpha_on = 3) and its drive (1 V, 50 MHz, 200 ns), with a smooth window instead of
    // MemTorch's clamp so that both simulators see the same differentiable equations, and rates chosen so
    // that each half-cycle moves x by about half its range (MemTorch's k_on = -10 m/s switches in 5 ps).
    vteam::params base;
    base.k_off = 5e-3; // m/s
    base.k_on = -1e-2; // m/s
    base.x0 = 1.0e-9;  // m
    const double amplitude = 1.0, frequency = 50e6, t_end = 200e-9;

    struct case_t {
        const char* name;
        double window, iv;
    };
    for (const auto& c : {case_t{"Biolek window (p = 1), linear I-V", td::biolek, td::linear},
                          case_t{"Kvatinsky window, exponential I-V", td::kvatinsky, td::exponential}}) {
        SECTION(c.name) {
            auto p = base;
            p.window = c.window;
            p.iv_relation = c.iv;
            p.p = 1.0;
            p.a_on = 0.5e-9;  // m: f_on closes below 0.5 nm
            p.a_off = 2.5e-9; // m: f_off closes above 2.5 nm
            p.w_c = 0.1e-9;   // m: a 0.1 nm cliff, resolved by both simulators
            REQUIRE(vteam::validate(p).empty());

            const auto sp =
                testing::run_ngspice(vteam_netlist(p, amplitude, frequency, t_end, 1e-11), {"v(x)", "i(V1)"});
            solvers::integration_options o;
            o.rtol = 1e-9;
            o.atol = 1e-12;
            o.output_dt = 5e-11;
            const auto tr = solvers::integrate<vteam>(
                p, {p.x0}, solvers::waveform::sine({amplitude, frequency, 0.0, 0.0}), t_end, o);
            double x_lo = 1.0, x_hi = 0.0;
            for (std::size_t r = 0; r < tr.rows(); ++r) {
                x_lo = std::min(x_lo, tr.state(r, 0));
                x_hi = std::max(x_hi, tr.state(r, 0));
            }
            const auto cmp = compare(tr, sp, 1e9);
            INFO("x range [" << x_lo << ", " << x_hi << "] m; peak current " << cmp.peak_current
                             << " A, worst current difference " << cmp.worst_current
                             << " A, worst state difference " << cmp.worst_state << " m");
            REQUIRE(x_hi - x_lo > 0.5e-9); // the state really switches both ways
            CHECK(cmp.worst_current <= 0.01 * cmp.peak_current);
            CHECK(cmp.worst_state <= 0.01 * (p.x_off - p.x_on));
        }
    }
}
