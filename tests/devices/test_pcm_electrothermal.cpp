// PCM electro-thermal compact model (Sonoda 2008; Pirovano 2004; Ielmini & Zhang 2007): the generic
// kernel checks, the series read law and the ON branch against closed forms, the thermal RC step, JMAK
// isothermal crystallisation and melting against their analytic solutions, threshold switching with
// hysteresis, the RESET/SET pulse sequence, read disturb, and card validation messages.
#include "devices/card.hpp"
#include "devices/pcm_electrothermal.hpp"
#include "model_checks.hpp"
#include "solvers/ode_integrator.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace memxbar;
using pcm = devices::pcm_electrothermal;
using state = devices::state_vec<3>;
using Catch::Contains;

namespace {

solvers::integration_options tight(double t_end, double output_dt = 0.0) {
    solvers::integration_options o;
    o.method = solvers::integrator::cvode;
    o.rtol = 1e-8;
    o.atol = 1e-12; // fraction of each state's range: 1e-8 K, 1e-12 in a and s
    o.output_dt = output_dt > 0.0 ? output_dt : t_end / 1000.0;
    return o;
}

// One rectangular pulse (linear edges) starting after 1 ns, then `after` seconds at 0 V.
solvers::trace run_pulse(const pcm::params& p, const state& x0, double amplitude, double width, double edge,
                         double after) {
    solvers::pulse_train pt;
    pt.amplitude = amplitude;
    pt.width = width;
    pt.rise = edge;
    pt.fall = edge;
    pt.delay = 1e-9;
    pt.period = width + 2.0 * edge + after;
    pt.count = 1;
    const double t_end = pt.delay + pt.period;
    solvers::integration_options o;
    o.rtol = 1e-6;
    o.atol = 1e-10;
    o.output_dt = 0.1e-9; // keeps the step at or below 0.1 ns through the ns-scale melt and quench
    return solvers::integrate<pcm>(p, x0, solvers::waveform::pulses(pt), t_end, o);
}

state last_state(const solvers::trace& tr) {
    const std::size_t r = tr.rows() - 1;
    return {tr.state(r, 0), tr.state(r, 1), tr.state(r, 2)};
}

double max_temperature(const solvers::trace& tr) {
    double m = 0.0;
    for (std::size_t r = 0; r < tr.rows(); ++r)
        m = std::max(m, tr.state(r, 0));
    return m;
}

// Read resistance at 0.2 V (the read voltage used throughout).
double read_r(const pcm::params& p, const state& x) {
    return 0.2 / pcm::current(p, x, 0.2);
}

} // namespace

TEST_CASE("PCM-ET kernels: partials, pinched, finiteness", "[pcm_et]") {
    const pcm::params p;
    // Interior points away from the kinks (V = 0, the a and s bounds, T = 1 K). They include the
    // T_x gate (432 K), the T_m gate (897 K), and cap voltages near V_th and V_hold, so every gate's
    // derivative is exercised.
    std::vector<state> inside;
    for (double T : {320.0, 432.0, 560.0, 790.0, 897.0})
        for (double a : {0.02, 0.4, 0.93})
            for (double s : {0.03, 0.6, 0.97})
                inside.push_back({T, a, s});
    const std::vector<double> volts = {-2.2, -0.7, 0.15, 0.72, 1.05, 1.4};
    // Tolerance 1e-3 instead of the default 1e-5 (same step h_rel = 1e-6): several partials here are
    // ~1e-10 of their function (dI/ds while the ON path is below its knee, gate derivatives deep in a
    // logistic tail), and the finite differences' rounding, ~2e-16 / h_rel = 2e-10 of the function,
    // must stay below the check's floor, rel * 1e-6 of the function. Truncation is ~(0.5/K * 0.01 K)^2
    // in T (Arrhenius + gates; the T step is 1e-6 of the 1e4 K range) and (h / V_smooth)^2 ~ 4e-8 in V,
    // both far inside 1e-3, while a wrong or missing term is off by O(1).
    testing::check_partials<pcm>(p, inside, volts, 1e-3, 1e-6);

    // The same with hot, thin caps where the sinh is deep in its exponential branch.
    pcm::params thin = p;
    thin.I_a = 1e-9;
    testing::check_partials<pcm>(thin, {{300.0, 0.7, 0.0}, {300.0, 1.0 - 1e-3, 0.5}, {650.0, 0.05, 0.2}},
                                 {-3.0, 0.9, 2.0}, 1e-3, 1e-6);

    std::vector<state> edges;
    for (double T : {0.5, 1.0, 300.0, 2500.0, 1e4, 1.1e4})
        for (double a : {-1e-9, 0.0, 1e-300, 0.5, 1.0, 1.0 + 1e-9})
            for (double s : {-1e-9, 0.0, 1.0, 1.0 + 1e-9})
                edges.push_back({T, a, s});
    testing::check_pinched<pcm>(p, edges);
    testing::check_finite<pcm>(p, edges, {-10.0, -1.0, -1e-9, 0.0, 1e-12, 0.2, 3.0, 10.0});
    // Partial derivatives are finite there too (the Jacobian feeds Newton).
    for (const auto& x : edges)
        for (double v : {-10.0, 0.0, 0.2, 10.0}) {
            state dfdv{}, didx{};
            devices::state_jac<3> jac{};
            pcm::df_dv(p, x, v, dfdv);
            pcm::di_dx(p, x, v, didx);
            pcm::df_dx(p, x, v, jac);
            CHECK(std::isfinite(pcm::di_dv(p, x, v)));
            for (double d : dfdv)
                CHECK(std::isfinite(d));
            for (double d : didx)
                CHECK(std::isfinite(d));
            for (double d : jac)
                CHECK(std::isfinite(d));
        }
}

TEST_CASE("PCM-ET series read law against its closed forms", "[pcm_et]") {
    const pcm::params p;
    SECTION("low-field resistance R = R_set + a V_a / I_a at T0") {
        // Small-signal limit of the series law with the Ielmini-Zhang cap: sinh(z) ~ z. Exact up to
        // a_floor^2 / a^2 <= 1e-14 and rounding, so 1e-10.
        for (double a : {0.01, 0.2, 0.5, 1.0}) {
            INFO("a = " << a);
            CHECK(1.0 / pcm::di_dv(p, {p.T0, a, 0.0}, 0.0) ==
                  Approx(p.R_set + a * p.V_a / p.I_a).epsilon(1e-10));
        }
    }
    SECTION("subthreshold: V = I R_set + a V_a (T/T0) asinh(I / (I_a A(T)))") {
        // With s = 0 the cap voltage is the inverse of the sinh, so the series law is explicit in I:
        // the Newton solve must satisfy it to its 1e-15 stopping tolerance (1e-10 leaves margin).
        for (double T : {300.0, 500.0})
            for (double a : {0.1, 1.0})
                for (double V : {0.05, 0.4, 0.9}) {
                    INFO("T = " << T << ", a = " << a << ", V = " << V);
                    const double I = pcm::current(p, {T, a, 0.0}, V);
                    const double A = std::exp(-p.E_c * pcm::q / pcm::k_B * (1.0 / T - 1.0 / p.T0));
                    const double u = a * p.V_a * (T / p.T0) * std::asinh(I / (p.I_a * A));
                    CHECK(I * p.R_set + u == Approx(V).epsilon(1e-10));
                    CHECK(pcm::current(p, {T, a, 0.0}, -V) == -I); // odd in V
                }
    }
    SECTION("ON branch: V_cap = V_h + R_on I (Pirovano 2004)") {
        // Negligible subthreshold path (I_a = 1e-15 A), s = 1: I = (V - V_h) / (R_on + R_set). The
        // softplus knee deviates by V_smooth ln(1 + e^-z), z = (u - V_h)/V_smooth >= 15 here, i.e.
        // < 3.1e-9 V on (V - V_h) >= 0.9 V: 1e-8 relative; 1e-6 leaves margin for rounding.
        pcm::params q = p;
        q.I_a = 1e-15;
        for (double V : {1.5, 2.0, 2.5}) {
            INFO("V = " << V);
            CHECK(pcm::current(q, {q.T0, 1.0, 1.0}, V) ==
                  Approx((V - q.V_h) / (q.R_on + q.R_set)).epsilon(1e-6));
        }
    }
}

TEST_CASE("PCM-ET heat balance: dT/dt = (V I - (T - T0)/R_th) / C_th", "[pcm_et]") {
    const pcm::params p;
    SECTION("the kernel") {
        // Direct check of the heat equation of Sonoda 2008 at arbitrary states (rounding only).
        for (const state& x : std::vector<state>{{300.0, 1.0, 0.0}, {650.0, 0.3, 0.5}, {1200.0, 0.0, 1.0}})
            for (double V : {-1.3, 0.2, 2.0}) {
                state f{};
                pcm::dstate_dt(p, x, V, f);
                const double expect = (V * pcm::current(p, x, V) - (x[0] - p.T0) / p.R_th) / p.C_th;
                CHECK(f[0] == Approx(expect).epsilon(1e-12).margin(1e-3));
            }
    }
    SECTION("constant power: T = T0 + P R_th (1 - exp(-t / (R_th C_th)))") {
        // Electrical part frozen: a crystalline cell (a = 0) with a temperature-independent,
        // negligible cap (E_c = 0, I_a = 1 mA: cap resistance 2e-7 ohm against R_set = 5 kOhm), so
        // P = V^2 / R_set to 1e-10. Melting is pushed out of reach (T_m = 3000 K). Tolerance 1e-5 of the
        // 260 K rise (stricter than 1e-4 of T): rtol = 1e-8 per step keeps the global error ~1e-7.
        pcm::params q = p;
        q.E_c = 0.0;
        q.I_a = 1e-3;
        q.T_m = 3000.0;
        const double V = 1.0, P = V * V / q.R_set, tau = q.R_th * q.C_th;
        for (auto method : {solvers::integrator::cvode, solvers::integrator::rosenbrock}) {
            INFO("method " << static_cast<int>(method));
            auto o = tight(10.0 * tau);
            o.method = method;
            const auto tr =
                solvers::integrate<pcm>(q, {q.T0, 0.0, 0.0}, solvers::waveform::dc(V), 10.0 * tau, o);
            double worst = 0.0;
            for (std::size_t r = 0; r < tr.rows(); ++r) {
                const double T_exact = q.T0 + P * q.R_th * (1.0 - std::exp(-tr.t[r] / tau));
                worst = std::max(worst, std::abs(tr.state(r, 0) - T_exact));
                CHECK(tr.i[r] == Approx(V / q.R_set).epsilon(1e-9));
            }
            CHECK(worst < 1e-5 * P * q.R_th);
            // A crystalline cell stays crystalline below T_m (melt gate e^-488 at 560 K).
            CHECK(tr.state(tr.rows() - 1, 1) < 1e-12);
        }
    }
}

TEST_CASE("PCM-ET isothermal JMAK: c = 1 - exp(c_min - (K (t + t0))^n) from the seed", "[pcm_et]") {
    // Anneal at ambient T0 = 600 K with V = 0: T stays at T0 exactly, and the gates are open
    // (g_x = 1 - e^-34, 1 - g_m = 1 - e^-60). With y = -ln(1 - c), the seeded rate is
    // dy/dt = n K (y + c_min)^((n-1)/n), solved by y + c_min = (K (t + t0))^n with (K t0)^n = c_min:
    // the JMAK law 1 - exp(-(K t)^n) shifted by the seed. Tolerance 1e-3 on c. The state is a = 1 - c,
    // so early on y ~ c_min is resolved only to atol: tight tolerances (atol 1e-14, rtol 1e-10) keep
    // the resulting shift of t0 small; with the defaults the error is ~3e-4 at n = 4.
    for (double n : {2.5, 3.0, 4.0})
        for (double c_min : {1e-6, 1e-3}) {
            INFO("n = " << n << ", c_min = " << c_min);
            pcm::params p;
            p.T0 = 600.0;
            p.n = n;
            p.c_min = c_min;
            const double K = pcm::jmak_rate(p, p.T0);
            REQUIRE(K == Approx(p.K0 * std::exp(-p.Ea * pcm::q / (pcm::k_B * 600.0))).epsilon(1e-12));
            const double t0 = std::pow(c_min, 1.0 / n) / K;
            const double t_end = 3.0 / K;
            auto o = tight(t_end);
            o.rtol = 1e-10;
            o.atol = 1e-14;
            const auto tr =
                solvers::integrate<pcm>(p, {p.T0, 1.0, 0.0}, solvers::waveform::dc(0.0), t_end, o);
            double worst = 0.0;
            for (std::size_t r = 0; r < tr.rows(); ++r) {
                const double c_exact = 1.0 - std::exp(c_min - std::pow(K * (tr.t[r] + t0), n));
                worst = std::max(worst, std::abs((1.0 - tr.state(r, 1)) - c_exact));
                REQUIRE(tr.state(r, 0) == p.T0);
            }
            INFO("largest error in c: " << worst);
            CHECK(worst < 1e-3);
            CHECK(tr.state(tr.rows() - 1, 1) < 1e-6); // fully crystalline at K t = 3: e^-(3^2.5) = 2e-7
        }
}

TEST_CASE("PCM-ET melting above T_m: a = 1 - (1 - a0) exp(-t / tau_m)", "[pcm_et]") {
    // Ambient 1000 K > T_m: g_m = 1 - e^-20, and crystallisation is gated off by 1 - g_m = 2e-9
    // (rate ~30 /s against 1/tau_m = 1e9 /s). Tolerance 1e-6 absolute covers both and the rtol.
    pcm::params p;
    p.T0 = 1000.0;
    const double gm = 1.0 / (1.0 + std::exp(-(p.T0 - p.T_m) / p.T_smooth));
    const double t_end = 10.0 * p.tau_m;
    const auto tr =
        solvers::integrate<pcm>(p, {p.T0, 0.2, 0.0}, solvers::waveform::dc(0.0), t_end, tight(t_end));
    double worst = 0.0;
    for (std::size_t r = 0; r < tr.rows(); ++r)
        worst = std::max(worst, std::abs(tr.state(r, 1) - (1.0 - 0.8 * std::exp(-gm * tr.t[r] / p.tau_m))));
    CHECK(worst < 1e-6);
}

TEST_CASE("PCM-ET threshold switching with hysteresis (Pirovano 2004)", "[pcm_et]") {
    // Cold cell (R_th = 100 K/W: < 0.1 K of self-heating), no crystallisation (K0 = 0), fully amorphous,
    // swept by a 1.5 V, 1 MHz triangle (ramp 6 mV/ns, slow against tau_s = 0.1 ns).
    pcm::params p;
    p.R_th = 100.0;
    p.C_th = 1e-14;
    p.K0 = 0.0;
    const double t_end = 1e-6;
    const auto tr = solvers::integrate<pcm>(p, {p.T0, 1.0, 0.0}, solvers::waveform::triangle({1.5, 1e6, 0.0}),
                                            t_end, tight(t_end, 0.5e-9));
    const auto u_cap = [&](std::size_t r) { return tr.v[r] - tr.i[r] * p.R_set; };
    const double v_hold = p.V_h + p.R_on * p.I_h;
    // Up-sweep: find the switch (s crosses 0.5) in the first quarter period.
    std::size_t on = 0, off = 0;
    for (std::size_t r = 1; r < tr.rows() && tr.t[r] < 0.25e-6; ++r)
        if (tr.state(r - 1, 2) < 0.5 && tr.state(r, 2) >= 0.5) on = r;
    for (std::size_t r = 1; r < tr.rows() && tr.t[r] < 0.5e-6; ++r)
        if (tr.state(r - 1, 2) >= 0.5 && tr.state(r, 2) < 0.5) off = r;
    REQUIRE(on > 0);
    REQUIRE(off > on);
    double u_max = 0.0;
    for (std::size_t r = 0; r <= on; ++r)
        u_max = std::max(u_max, u_cap(r));
    INFO("switch on at V = " << tr.v[on] << " (cap " << u_max << " V), off at V = " << tr.v[off]
                             << ", I = " << tr.i[off]);
    // The latch fires when the cap voltage reaches V_th less the delay-time margin: at this ramp
    // rate g_on ~ 1e-3 suffices, i.e. ~7 V_smooth below V_th. Window [V_th - 0.15, V_th + 0.02] V.
    CHECK(u_max > p.V_th - 0.15);
    CHECK(u_max < p.V_th + 0.02);
    // Snap-back: the current jumps at the switch (the ON branch) and the cap voltage drops.
    CHECK(tr.i[on + 4] > 2.0 * tr.i[on - 4]);
    CHECK(u_cap(on + 4) < u_max - 0.1);
    // ON state holds while the ON branch carries more than I_h: it switches off where the cap voltage
    // falls through V_hold = V_h + R_on I_h, within 3 V_smooth (the logistic gate width).
    CHECK(u_cap(off) == Approx(v_hold).margin(3.0 * p.V_smooth));
    CHECK(tr.v[off] < tr.v[on] - 0.2); // hysteresis: off well below the switch-on drive
    // Negative half: the same switch, mirrored in time (the model is odd in V), to within one sample.
    std::size_t on_neg = 0;
    for (std::size_t r = 1; r < tr.rows() && tr.t[r] < 0.75e-6; ++r)
        if (tr.t[r] > 0.5e-6 && tr.state(r - 1, 2) < 0.5 && tr.state(r, 2) >= 0.5) on_neg = r;
    CHECK(on_neg >= on + 999);
    CHECK(on_neg <= on + 1001);
}

TEST_CASE("PCM-ET RESET then SET pulses with the shipped GST card", "[pcm_et]") {
    const auto p = devices::bind<pcm>(devices::load_card("pcm_gst"));
    const state crystalline = pcm::on_state(p);
    const double R_set = read_r(p, crystalline);

    // RESET: 3 V, 50 ns, 1 ns edges. The cell melts (T > T_m) and the 1 ns fall quenches it through
    // the crystallisation window faster than JMAK can act (K(T_m) tau_th ~ 1).
    const auto reset = run_pulse(p, crystalline, 3.0, 50e-9, 1e-9, 50e-9);
    const state x_reset = last_state(reset);
    CHECK(max_temperature(reset) > p.T_m);
    CHECK(x_reset[0] == Approx(p.T0).margin(1e-3));
    CHECK(x_reset[1] > 0.99);
    const double R_reset = read_r(p, x_reset);

    // SET: 1.4 V, 200 ns. The amorphous cell switches (threshold + self-heating), sits between T_x
    // and T_m, and crystallises.
    const auto set = run_pulse(p, x_reset, 1.4, 200e-9, 1e-9, 50e-9);
    const state x_set = last_state(set);
    const double T_set = max_temperature(set);
    CHECK(T_set > p.T_x);
    CHECK(T_set < p.T_m);
    CHECK(x_set[1] < 1e-3);
    const double R_set_after = read_r(p, x_set);

    INFO("R_set " << R_set << ", R_reset " << R_reset << ", R after SET " << R_set_after << ", SET at "
                  << T_set << " K");
    CHECK(R_reset / R_set_after >= 10.0); // the brief's figure
    // Reference section 5a typical GST: R_set 5-20 kOhm, R_reset 0.1-1 MOhm.
    CHECK(R_set_after > 5e3 * 0.999);
    CHECK(R_set_after < 20e3);
    CHECK(R_reset > 0.1e6);
    CHECK(R_reset < 1e6);

    // A second RESET, now from the amorphous state (threshold switching first), melts again.
    const auto reset2 = run_pulse(p, x_set, 3.0, 50e-9, 1e-9, 50e-9);
    CHECK(last_state(reset2)[1] > 0.99);

    // Below the SET window (1.2 V, 200 ns) the cell stays amorphous; above it (1.6 V) the
    // crystallised cell re-melts and quenches amorphous: SET needs T_x < T < T_m.
    CHECK(last_state(run_pulse(p, x_reset, 1.2, 200e-9, 1e-9, 50e-9))[1] > 0.99);
    CHECK(last_state(run_pulse(p, x_reset, 1.6, 200e-9, 1e-9, 50e-9))[1] > 0.9);
}

TEST_CASE("PCM-ET read at 0.1-0.2 V does not disturb the state over 1 ms", "[pcm_et]") {
    const auto p = devices::bind<pcm>(devices::load_card("pcm_gst"));
    for (double a : {1.0, 0.5, 2e-8})
        for (double V : {0.1, 0.2}) {
            INFO("a = " << a << ", V = " << V);
            const auto tr =
                solvers::integrate<pcm>(p, {p.T0, a, 0.0}, solvers::waveform::dc(V), 1e-3, tight(1e-3));
            double da = 0.0, s_max = 0.0, T_max = 0.0;
            for (std::size_t r = 0; r < tr.rows(); ++r) {
                da = std::max(da, std::abs(tr.state(r, 1) - a));
                s_max = std::max(s_max, tr.state(r, 2));
                T_max = std::max(T_max, tr.state(r, 0));
            }
            CHECK(da < 1e-6);
            CHECK(s_max < 1e-6);
            // Self-heating at read: at most V^2 / R_set R_th = 10.4 K (0.2 V on the SET cell).
            CHECK(T_max < p.T0 + V * V / p.R_set * p.R_th + 1e-6);
        }
}

TEST_CASE("PCM-ET shipped card binds to typical GST values", "[pcm_et][cards]") {
    const auto c = devices::load_card("pcm_gst");
    const auto p = devices::bind<pcm>(c);
    CHECK(c.model == "pcm_et");
    CHECK_FALSE(c.source.empty());
    // Reference section 5a ranges for GST.
    CHECK(p.T_m == 900.0);
    CHECK(p.T_x >= 420.0);
    CHECK(p.T_x <= 450.0);
    CHECK(p.Ea >= 2.1);
    CHECK(p.Ea <= 2.4);
    CHECK(p.n >= 2.5);
    CHECK(p.n <= 4.0);
    CHECK(p.V_th >= 0.8);
    CHECK(p.V_th <= 1.2);
    CHECK(p.V_h >= 0.5);
    CHECK(p.V_h <= 0.7);
    const double tau_th = p.R_th * p.C_th;
    CHECK(tau_th >= 1e-9 * 0.999);
    CHECK(tau_th <= 10e-9);
    CHECK(pcm::validate(p).empty());
    CHECK(pcm::initial_state(p)[1] == 1.0);
    // The card spells out the model's defaults (the doc page says so), value for value.
    const pcm::params defaults;
    for (const auto& info : pcm::parameters()) {
        INFO("parameter " << info.name);
        CHECK(p.*(info.field) == defaults.*(info.field));
    }
}

TEST_CASE("PCM-ET bad cards name file:line, key, value and range", "[pcm_et][cards]") {
    const auto bind_text = [](const std::string& parameters_lines) {
        const std::string text =
            "model = \"pcm_et\"\ndescription = \"bad\"\n[parameters]\n" + parameters_lines + "\n";
        return devices::bind<pcm>(devices::parse_card(text, "bad.toml"));
    };
    SECTION("unknown key") {
        // The core's message names the key and the known keys (its "range"), not the value.
        CHECK_THROWS_WITH(bind_text("T_melt = 900.0"),
                          Contains("bad.toml:4") && Contains("T_melt") && Contains("T0, R_th, C_th, T_m"));
    }
    SECTION("NaN") {
        CHECK_THROWS_WITH(bind_text("R_set = nan"), Contains("bad.toml:4") && Contains("R_set") &&
                                                        Contains("nan") && Contains("not a finite number"));
    }
    SECTION("out of range") {
        CHECK_THROWS_WITH(bind_text("n = 0.5"),
                          Contains("bad.toml:4") && Contains("'n'") && Contains("0.5") && Contains("[1, 6]"));
        CHECK_THROWS_WITH(bind_text("C_th = -0.5"), Contains("bad.toml:4") && Contains("C_th") &&
                                                        Contains("-0.5") && Contains("[1e-21, 1e-09]"));
    }
    SECTION("T_x >= T_m (validate)") {
        CHECK_THROWS_WITH(bind_text("T_x = 950.0"),
                          Contains("bad.toml") && Contains("T_x = 950 K") && Contains("T_m = 900 K"));
        CHECK_THROWS_WITH(bind_text("T_x = 500.0\nT_m = 500.0"),
                          Contains("T_x = 500 K") && Contains("below"));
    }
    SECTION("V_th inside the hold window (validate)") {
        CHECK_THROWS_WITH(bind_text("V_th = 0.6"), Contains("bad.toml") && Contains("V_th = 0.6 V") &&
                                                       Contains("V_h + R_on I_h = 0.62 V"));
    }
    SECTION("a good card still binds") {
        CHECK(bind_text("T_x = 450.0").T_x == 450.0);
    }
}
