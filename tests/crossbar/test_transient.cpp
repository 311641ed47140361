// Crossbar transients (crossbar/transient.hpp): the circuit's KCL and every device's state ODE as one
// DAE with IDA + KLU. Checks: reduction to the single-device integrator, the analytic Jacobian against
// finite differences, the DC limit against solve_dc, Kirchhoff's current law at the drivers, the
// write-disturb physics of the V/2, V/3, grounded and floating schemes, IR drop, device arrays with
// stuck devices, and input errors. Measured numbers: docs/crossbar_transient.md.
#include <catch2/catch.hpp>

#include "crossbar/dc_solver.hpp"
#include "crossbar/transient.hpp"
#include "crossbar/write_schemes.hpp"
#include "devices/pcm_electrothermal.hpp"
#include "devices/team.hpp"
#include "devices/yakopcic.hpp"
#include "solvers/ode_integrator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

using memxbar::crossbar::crossbar_circuit;
using memxbar::crossbar::line_drives;
using memxbar::crossbar::simulate_transient;
using memxbar::crossbar::transient_options;
using memxbar::crossbar::transient_result;
using memxbar::crossbar::write_scheme;
using memxbar::devices::vteam;
using memxbar::solvers::pulse_train;
using memxbar::solvers::waveform;
using state1 = memxbar::devices::state_vec<1>;

namespace {

// VTEAM with MemTorch's defaults (vteam_memtorch card): R_on = 50 ohm, R_off = 1 kohm, x in [0, 3 nm],
// v_off = 0.02 V, v_on = -0.2 V, k_off = 5e-4 m/s (alpha_off = 1): dx/dt = k_off (v / v_off - 1) above
// v_off, so a positive voltage raises x and R (RESET); nothing moves for v_on <= v <= v_off.
const vteam::params P{};
constexpr double range = 3e-9; // x_off - x_on

// Largest state change of the half-selected cells (selected row or selected column, not both).
double half_selected_disturb(const transient_result& r, std::size_t sr, std::size_t sc, double x0) {
    double m = 0.0;
    for (std::size_t i = 0; i < r.rows; ++i)
        for (std::size_t j = 0; j < r.cols; ++j)
            if ((i == sr) != (j == sc)) m = std::max(m, std::abs(r.final_state(i, j) - x0));
    return m;
}

double unselected_disturb(const transient_result& r, std::size_t sr, std::size_t sc, double x0) {
    double m = 0.0;
    for (std::size_t i = 0; i < r.rows; ++i)
        for (std::size_t j = 0; j < r.cols; ++j)
            if (i != sr && j != sc) m = std::max(m, std::abs(r.final_state(i, j) - x0));
    return m;
}

pulse_train write_pulse(double V, double width) {
    pulse_train p;
    p.amplitude = V;
    p.width = width;
    p.period = 2.0 * width;
    p.delay = 0.1 * width;
    p.count = 1;
    return p;
}

} // namespace

TEST_CASE("transient: one device without wires equals the single-device integrator", "[transient]") {
    // The 1 x 1 array: row driver -> r_source -> device -> r_sense -> column driver. The integrator
    // sees the same device behind r_series = r_source + r_sense. MemTorch's loop: 1 V, 50 MHz sine.
    const waveform drive = waveform::sine({1.0, 50e6, 0.0, 0.0});
    const double t_end = 60e-9;
    const double x0 = 1e-9;
    for (const double r_series : {0.0, 50.0}) {
        crossbar_circuit c;
        c.rows = c.cols = 1;
        c.r_source = 0.6 * r_series;
        c.r_sense = 0.4 * r_series;
        memxbar::solvers::integration_options io;
        io.rtol = 1e-8;
        io.atol = 1e-10;
        io.r_series = r_series;
        const auto ref = memxbar::solvers::integrate<vteam>(P, {x0}, drive, t_end, io);
        transient_options o;
        o.rtol = 1e-8;
        o.atol = 1e-10;
        o.atol_v = 1e-10;
        // the drive on the row, or its negative on the column: the device sees V_row - V_col either way
        for (const bool on_column : {false, true}) {
            line_drives d = line_drives::grounded(1, 1);
            if (on_column)
                d.cols[0] = waveform::sine({-1.0, 50e6, 0.0, 0.0});
            else
                d.rows[0] = drive;
            const auto r = simulate_transient<vteam>(c, std::vector{P}, std::vector{state1{x0}}, d, t_end, o);
            REQUIRE(r.samples() == ref.rows());
            double dx = 0.0, dv = 0.0, moved = 0.0;
            for (std::size_t s = 0; s < r.samples(); ++s) {
                REQUIRE(r.t[s] == Approx(ref.t[s]).margin(1e-18));
                dx = std::max(dx, std::abs(r.state(s, 0, 0) - ref.state(s, 0)));
                dv = std::max(dv, std::abs(r.voltage(s, 0, 0) - ref.v[s]));
                moved = std::max(moved, std::abs(ref.state(s, 0) - x0));
            }
            std::printf("consistency r_series = %g ohm, drive on %s: max |x_IDA - x_CVODE| = %.3g of range, "
                        "max |v diff| = %.3g V, x moved %.3g of range, %ld IDA steps\n",
                        r_series, on_column ? "column" : "row", dx / range, dv, moved / range, r.stats.steps);
            CHECK(moved > 0.3 * range); // the trace does switch
            CHECK(dx < 1e-5 * range);
            CHECK(dv < 1e-5);
        }
    }
}

namespace {

// Largest difference between the assembled Jacobian dF/dy + cj dF/dy' and central differences of the
// residual (relative to the largest entry of its row), at node voltages around 1 V on the rows and
// 0 V on the columns, on a 2 x 3 array with wires, a driver resistor, gmin and a floating column.
// x: a state inside the walls (differences across a wall see half the slope).
template <class M>
double jacobian_error(const typename M::params& p, const memxbar::devices::state_vec<M::n_state>& x,
                      std::size_t* unknowns) {
    namespace d = memxbar::crossbar::detail;
    crossbar_circuit c;
    c.rows = 2;
    c.cols = 3;
    c.r_wire_row = 2.0;
    c.r_wire_col = 3.0;
    c.r_source = 5.0;
    auto drives = line_drives::grounded(2, 3);
    drives.rows[0] = waveform::dc(1.2);
    drives.rows[1] = waveform::dc(0.9);
    drives.cols[1].reset(); // a floating column
    const d::transient_topology top(c, drives);
    const auto pat = d::build_pattern(top, M::n_state, 1e-6);
    transient_result out;
    const std::vector<typename M::params> ps{p};
    d::array_system<M> sys(top, pat, ps, {}, drives, 1e-6, out, false);
    sys.set_segment(0.0, 1.0);
    const std::size_t n = pat.n;
    *unknowns = n;
    std::vector<double> y(n), yp(n, 0.0), F1(n), F2(n), J(pat.nnz());
    // every entry outside the pattern must be 0 as well: the comparison is dense
    for (std::size_t k = 0; k < c.cells(); ++k) {
        const auto i = k / c.cols, j = k % c.cols;
        const int a = top.row_node(i, j), b = top.col_node(i, j);
        if (a >= 0) y[a] = (i == 0 ? 1.1 : 0.8) - 0.01 * static_cast<double>(j);
        if (b >= 0) y[b] = 0.02 * static_cast<double>(i + j);
        for (std::size_t s = 0; s < M::n_state; ++s)
            y[top.nodes + k * M::n_state + s] = x[s] / sys.w[s] * (1.0 + 0.01 * static_cast<double>(k));
    }
    const double cj = 1e3;
    sys.jacobian(0.5, cj, y.data(), J.data());
    std::vector<double> fd(n * n), an(n * n, 0.0), row_max(n, 0.0); // dense, row-major
    for (std::size_t col = 0; col < n; ++col) {
        for (auto q = pat.colptr[col]; q < pat.colptr[col + 1]; ++q)
            an[static_cast<std::size_t>(pat.rowval[static_cast<std::size_t>(q)]) * n + col] =
                J[static_cast<std::size_t>(q)];
        const double h = 1e-6 * std::max(std::abs(y[col]), 1e-3);
        std::vector<double> yy = y;
        yy[col] = y[col] + h;
        sys.residual(0.5, yy.data(), yp.data(), F1.data());
        yy[col] = y[col] - h;
        sys.residual(0.5, yy.data(), yp.data(), F2.data());
        for (std::size_t row = 0; row < n; ++row)
            fd[row * n + col] = (F1[row] - F2[row]) / (2 * h) + (row == col && row >= top.nodes ? cj : 0.0);
    }
    for (std::size_t q = 0; q < n * n; ++q)
        row_max[q / n] = std::max({row_max[q / n], std::abs(an[q]), std::abs(fd[q])});
    // Each entry against its row's largest: a missing or misplaced stamp is an O(1) error.
    double worst = 0.0;
    for (std::size_t q = 0; q < n * n; ++q)
        worst = std::max(worst, std::abs(an[q] - fd[q]) / row_max[q / n]);
    return worst;
}

} // namespace

TEST_CASE("transient: the analytic sparse Jacobian matches finite differences", "[transient]") {
    std::size_t n = 0;
    const double e_vteam = jacobian_error<vteam>(P, {1.2e-9}, &n);
    std::printf("Jacobian vs central differences: vteam %.3g (%zu unknowns)", e_vteam, n);
    const double e_yak = jacobian_error<memxbar::devices::yakopcic>({}, {0.4}, &n);
    std::printf(", yakopcic %.3g", e_yak);
    const double e_pcm = jacobian_error<memxbar::devices::pcm_electrothermal>({}, {450.0, 0.6, 0.3}, &n);
    std::printf(", pcm_et (3 states) %.3g (%zu unknowns)\n", e_pcm, n);
    CHECK(e_vteam < 1e-6);
    CHECK(e_yak < 1e-6);
    CHECK(e_pcm < 1e-6);
}

TEST_CASE("transient: below threshold the array is the DC solver's resistor network", "[transient]") {
    // Rows driven at different levels under v_off, columns driven at 0 V through r_sense: nothing
    // switches, and the column drivers absorb the currents solve_dc senses (same wire model).
    crossbar_circuit c;
    c.rows = 3;
    c.cols = 4;
    c.r_wire_row = 1.5;
    c.r_wire_col = 2.5;
    c.r_source = 3.0;
    c.r_sense = 7.0;
    std::vector<state1> x0;
    std::vector<double> G;
    for (std::size_t k = 0; k < c.cells(); ++k) {
        x0.push_back({0.25e-9 * static_cast<double>(k)});
        G.push_back(1.0 / vteam::resistance(P, x0.back()[0]));
    }
    const double levels[3] = {0.015, -0.01, 0.005}; // |v| < v_off = 0.02 V, > v_on = -0.2 V
    auto d = line_drives::grounded(c.rows, c.cols);
    Eigen::MatrixXd V(1, 3);
    for (std::size_t i = 0; i < c.rows; ++i) {
        d.rows[i] = waveform::dc(levels[i]);
        V(0, static_cast<Eigen::Index>(i)) = levels[i];
    }
    transient_options o;
    o.rtol = 1e-9;
    o.atol_v = 1e-12;
    for (const bool both_ends : {false, true}) {
        c.drive_both_ends = both_ends;
        const auto r = simulate_transient<vteam>(c, std::vector{P}, x0, d, 1e-6, o);
        const auto dc = memxbar::crossbar::solve_dc(c, memxbar::crossbar::linear_law{G}, V);
        double worst = 0.0, largest = 0.0;
        for (std::size_t j = 0; j < c.cols; ++j) {
            const double sensed = dc.currents(0, static_cast<Eigen::Index>(j));
            largest = std::max(largest, std::abs(sensed));
            for (std::size_t s = 0; s < r.samples(); ++s)
                worst = std::max(worst, std::abs(-r.i_col[s * c.cols + j] - sensed));
        }
        double moved = 0.0;
        for (std::size_t k = 0; k < c.cells(); ++k)
            moved = std::max(moved, std::abs(r.x_final[0][k] - x0[k][0]));
        std::printf("below threshold vs solve_dc%s: max |column current difference| = %.3g A of %.3g A; "
                    "states moved %.3g m\n",
                    both_ends ? " (rows driven from both ends)" : "", worst, largest, moved);
        CHECK(moved == 0.0);
        CHECK(worst < 10 * o.rtol * largest); // node voltages to IDA's Newton tolerance
    }
}

TEST_CASE("transient: the driver currents obey Kirchhoff's current law", "[transient]") {
    crossbar_circuit c;
    c.rows = 4;
    c.cols = 5;
    std::vector<state1> x0;
    for (std::size_t k = 0; k < c.cells(); ++k)
        x0.push_back({3e-9 * static_cast<double>(k % 7) / 6.0}); // a spread of resistances
    transient_options o;
    o.output_dt = 2e-8;
    for (const auto scheme :
         {write_scheme::v_half, write_scheme::v_third, write_scheme::grounded, write_scheme::floating}) {
        // wires and drivers with and without resistance (a line without is its driver's node)
        for (const auto& [r_wire, r_driver] : {std::pair{0.0, 0.0}, {0.0, 5.0}, {2.0, 0.0}, {2.0, 5.0}}) {
            c.r_wire_row = c.r_wire_col = r_wire;
            c.r_source = r_driver;
            c.r_sense = 0.8 * r_driver;
            const auto d = memxbar::crossbar::write_cell(c, 1, 2, scheme, write_pulse(0.3, 1e-6));
            const auto r = simulate_transient<vteam>(c, std::vector{P}, x0, d, 2e-6, o);
            double worst = 0.0, i_max = 0.0; // largest |sum of driver currents| and |driver current|
            for (std::size_t s = 0; s < r.samples(); ++s) {
                double sum = 0.0;
                for (std::size_t i = 0; i < c.rows; ++i) {
                    sum += r.i_row[s * c.rows + i];
                    i_max = std::max(i_max, std::abs(r.i_row[s * c.rows + i]));
                }
                for (std::size_t j = 0; j < c.cols; ++j) {
                    sum += r.i_col[s * c.cols + j];
                    i_max = std::max(i_max, std::abs(r.i_col[s * c.cols + j]));
                }
                worst = std::max(worst, std::abs(sum));
            }
            worst /= i_max;
            std::printf("Kirchhoff %s, r_wire = %g, r_source = %g ohm: max |sum of driver currents| / max "
                        "|driver current| = %.3g (largest %.3g A), %ld steps, %zu unknowns\n",
                        std::string(memxbar::crossbar::scheme_name(scheme)).c_str(), r_wire, r_driver, worst,
                        i_max, r.stats.steps, r.unknowns);
            CHECK(i_max > 1e-4);
            // The node voltages are IDA's Newton iterates: KCL holds to the Newton tolerance, a fraction
            // of rtol (1e-6) of the voltages; exactly (to rounding) where one Newton step is exact.
            CHECK(worst < o.rtol);
        }
    }
}

TEST_CASE("transient: write disturb of the V/2 and V/3 schemes on a VTEAM array", "[transient]") {
    // 4 x 4, every cell at mid range (x = 1.5 nm, R = 525 ohm), 1 ohm wire segments and drivers; write
    // cell (1, 2) with a positive pulse (VTEAM: x rises towards x_off, RESET).
    crossbar_circuit c;
    c.rows = c.cols = 4;
    c.r_wire_row = c.r_wire_col = 1.0;
    c.r_source = c.r_sense = 1.0;
    const double x_mid = 1.5e-9;
    const std::vector<state1> x0{{x_mid}};
    const std::size_t sr = 1, sc = 2;
    transient_options o;
    o.output_dt = 1e-8;
    auto run = [&](write_scheme scheme, double V, double width) {
        const auto d = memxbar::crossbar::write_cell(c, sr, sc, scheme, write_pulse(V, width));
        return simulate_transient<vteam>(c, std::vector{P}, x0, d, 1.2 * width, o);
    };
    // the sample in the middle of the pulse
    auto mid = [](const transient_result& r, double width) {
        const double t = 0.1 * width + 0.5 * width;
        std::size_t s = 0;
        while (s + 1 < r.samples() && r.t[s] < t)
            ++s;
        return s;
    };

    SECTION("V/2 below threshold: half-selected cells stay, the selected cell switches") {
        const double V = 0.036, width = 5e-6; // V/2 = 0.018 V < v_off = 0.02 V < V
        const auto r = run(write_scheme::v_half, V, width);
        const std::size_t s = mid(r, width);
        const double half = half_selected_disturb(r, sr, sc, x_mid),
                     un = unselected_disturb(r, sr, sc, x_mid);
        const double x_sel = r.final_state(sr, sc);
        std::printf("V/2, V = %g V: selected x = %.4f of range (v = %.5f V), half-selected |dx| = %.3g, "
                    "unselected |dx| = %.3g of range; half-selected v = %.5f V\n",
                    V, x_sel / range, r.voltage(s, sr, sc), half / range, un / range, r.voltage(s, sr, 0));
        CHECK(x_sel > 0.9 * range);
        CHECK(half < 1e-9 * range);
        CHECK(un < 1e-9 * range);
        CHECK(r.voltage(s, sr, 0) == Approx(V / 2).margin(1e-3));
        CHECK(r.voltage(s, 0, sc) == Approx(V / 2).margin(1e-3));
        CHECK(std::abs(r.voltage(s, 0, 0)) < 1e-3);
    }

    SECTION("V/2 above threshold disturbs the half-selected cells; V/3 disturbs them less") {
        const double V = 0.1, width = 1e-6; // V/2 = 0.05 V and V/3 = 0.033 V both above v_off = 0.02 V
        const auto h = run(write_scheme::v_half, V, width);
        const auto t = run(write_scheme::v_third, V, width);
        const double half_h = half_selected_disturb(h, sr, sc, x_mid),
                     half_t = half_selected_disturb(t, sr, sc, x_mid);
        const double un_h = unselected_disturb(h, sr, sc, x_mid), un_t = unselected_disturb(t, sr, sc, x_mid);
        const std::size_t s = mid(t, width);
        std::printf("V = %g V, %g s: V/2 selected x = %.4f, half-selected |dx| = %.4f, unselected %.3g; "
                    "V/3 selected x = %.4f, half-selected |dx| = %.4f, unselected %.3g (of range); V/3 "
                    "half-selected v = %.5f V, unselected v = %.5f V\n",
                    V, width, h.final_state(sr, sc) / range, half_h / range, un_h / range,
                    t.final_state(sr, sc) / range, half_t / range, un_t / range, t.voltage(s, sr, 0),
                    t.voltage(s, 0, 0));
        CHECK(h.final_state(sr, sc) > 0.9 * range);
        CHECK(t.final_state(sr, sc) > 0.9 * range);
        CHECK(half_h > 0.1 * range); // measurably disturbed
        CHECK(half_t > 1e-3 * range);
        CHECK(half_t < 0.6 * half_h); // (1/3 V / v_off - 1) / (1/2 V / v_off - 1) = 0.44 in rate
        CHECK(un_h < 1e-9 * range);   // 0 V
        CHECK(un_t < 1e-9 * range);   // -V/3 = -0.033 V is inside the ON threshold v_on = -0.2 V
        CHECK(t.voltage(s, sr, 0) == Approx(V / 3).margin(2e-3));
        CHECK(t.voltage(s, 0, 0) == Approx(-V / 3).margin(2e-3));
    }

    SECTION("grounded and floating unselected lines") {
        const double V = 0.1, width = 1e-6;
        const auto g = run(write_scheme::grounded, V, width);
        const auto f = run(write_scheme::floating, V, width);
        const std::size_t s = mid(f, width);
        const auto s0 = static_cast<std::size_t>(0.15 * width / o.output_dt); // just after the pulse starts
        std::printf(
            "grounded: cells on the selected row see %.5f V (x -> %.4f), on the selected column "
            "%.5f V; floating, at the start of the pulse: half-selected see %.5f and %.5f V, unselected "
            "%.5f V (ideal 3V/7 = %.5f, -V/7 = %.5f)\n",
            g.voltage(s, sr, 0), g.final_state(sr, 0) / range, g.voltage(s, 0, sc), f.voltage(s0, sr, 0),
            f.voltage(s0, 0, sc), f.voltage(s0, 0, 0), 3 * V / 7, -V / 7);
        // grounded: the whole selected row is written
        CHECK(g.voltage(s, sr, 0) == Approx(V).margin(3e-3));
        CHECK(g.final_state(sr, 0) > 0.9 * range);
        CHECK(std::abs(g.voltage(s, 0, sc)) < 1e-3);
        // floating, all cells alike (x = 1.5 nm at the start of the pulse, wires 1 ohm against 525 ohm):
        // floating columns at 4V/7, floating rows at 3V/7, so half-selected cells see 3V/7, the others -V/7.
        CHECK(f.voltage(s0, sr, 0) == Approx(3 * V / 7).margin(2e-3));
        CHECK(f.voltage(s0, 0, sc) == Approx(3 * V / 7).margin(2e-3));
        CHECK(f.voltage(s0, 0, 0) == Approx(-V / 7).margin(2e-3));
    }
}

TEST_CASE("transient: wire resistance lowers the voltage the selected cell sees", "[transient]") {
    // 8 x 8 in the ON state (R_on = 50 ohm): every half-selected cell draws current through the
    // selected lines, so with 10 ohm segments the selected cell sees well below V (V/2 scheme).
    crossbar_circuit c;
    c.rows = c.cols = 8;
    const double V = 0.2, width = 1e-6;
    transient_options o;
    o.output_dt = 1e-8;
    const double r_wires[3] = {0.0, 1.0, 10.0};
    double v_sel[3] = {}, x_sel[3] = {};
    for (int w = 0; w < 3; ++w) {
        c.r_wire_row = c.r_wire_col = r_wires[w];
        const auto d = memxbar::crossbar::write_cell(c, 1, 2, write_scheme::v_half, write_pulse(V, width));
        const auto r =
            simulate_transient<vteam>(c, std::vector{P}, std::vector{state1{0.0}}, d, 0.5 * width, o);
        // early in the pulse, before the cell switches much
        const auto s = static_cast<std::size_t>(0.12 * width / o.output_dt);
        v_sel[w] = r.voltage(s, 1, 2);
        x_sel[w] = r.final_state(1, 2);
        std::printf(
            "IR drop, 8 x 8 at R_on, V = %g V, r_wire = %g ohm: the selected cell sees %.5f V; x after "
            "0.4 us = %.4f of range\n",
            V, r_wires[w], v_sel[w], x_sel[w] / range);
    }
    CHECK(v_sel[0] == Approx(V).epsilon(1e-9));
    CHECK(v_sel[1] < 0.9 * V);
    CHECK(v_sel[2] < v_sel[1]);
    CHECK(x_sel[1] < x_sel[0]);
    CHECK(x_sel[2] < x_sel[1]);
}

TEST_CASE("transient: a device array's parameters, states and stuck devices", "[transient]") {
    crossbar_circuit c;
    c.rows = 2;
    c.cols = 3;
    c.r_wire_row = c.r_wire_col = 1.0;
    const auto d = memxbar::crossbar::write_cell(c, 0, 1, write_scheme::v_half, write_pulse(0.1, 1e-6));
    memxbar::devices::variability_spec none;
    const memxbar::devices::device_array<vteam> arr(c.cells(), P, none, 1);
    const auto a = simulate_transient<vteam>(c, arr, d, 1.2e-6);
    const auto b = simulate_transient<vteam>(c, std::vector{P}, std::vector{state1{P.x0}}, d, 1.2e-6);
    for (std::size_t k = 0; k < c.cells(); ++k)
        CHECK(a.x_final[0][k] == b.x_final[0][k]);
    memxbar::devices::variability_spec stuck;
    stuck.stuck_on_fraction = 1.0; // every device stuck at x_on: nothing moves
    const memxbar::devices::device_array<vteam> dead(c.cells(), P, stuck, 1);
    const auto s = simulate_transient<vteam>(c, dead, d, 1.2e-6);
    CHECK(b.final_state(0, 1) > 0.5 * range);
    CHECK(s.final_state(0, 1) == P.x_on);
}

TEST_CASE("transient: bad input is a clear error", "[transient]") {
    using Catch::Matchers::Contains;
    crossbar_circuit c;
    c.rows = c.cols = 2;
    const std::vector<vteam::params> p1{P};
    const std::vector<state1> x1{{0.0}};
    const auto d = line_drives::grounded(2, 2);
    auto sim = [&](const crossbar_circuit& cc, const std::vector<vteam::params>& p,
                   const std::vector<state1>& x, const line_drives& dd, double t_end,
                   const transient_options& o = {}) {
        return simulate_transient<vteam>(cc, p, x, dd, t_end, o);
    };
    REQUIRE_THROWS_WITH(sim(c, p1, x1, line_drives::grounded(3, 2), 1e-6), Contains("drives for 3 rows"));
    REQUIRE_THROWS_WITH(sim(c, {P, P}, x1, d, 1e-6), Contains("2 parameter sets"));
    REQUIRE_THROWS_WITH(sim(c, p1, {{0.0}, {0.0}, {0.0}}, d, 1e-6), Contains("3 initial states"));
    REQUIRE_THROWS_WITH(sim(c, p1, x1, line_drives::floating(2, 2), 1e-6),
                        Contains("every line is floating"));
    REQUIRE_THROWS_WITH(sim(c, p1, x1, d, 0.0), Contains("t_end = 0 s"));
    REQUIRE_THROWS_WITH(sim(c, p1, x1, d, -1e-6), Contains("t_end"));
    transient_options bad;
    bad.rtol = 0.0;
    REQUIRE_THROWS_WITH(sim(c, p1, x1, d, 1e-6, bad), Contains("rtol"));
    crossbar_circuit neg = c;
    neg.r_wire_row = -1.0;
    REQUIRE_THROWS_AS(sim(neg, p1, x1, d, 1e-6), memxbar::crossbar::circuit_error);
    REQUIRE_THROWS_WITH(sim(neg, p1, x1, d, 1e-6), Contains("r_wire_row = -1"));
    neg = c;
    neg.r_sense = -5.0;
    REQUIRE_THROWS_WITH(sim(neg, p1, x1, d, 1e-6), Contains("r_sense = -5"));
    REQUIRE_THROWS_WITH(memxbar::crossbar::write_cell(c, 2, 0, write_scheme::v_half, write_pulse(1.0, 1e-6)),
                        Contains("row 2 outside the array"));
    // a failing integration names the time, the step and IDA's flag
    vteam::params nan = P;
    nan.R_on = std::nan("");
    crossbar_circuit wired = c;
    wired.r_wire_row = 1.0;
    REQUIRE_THROWS_AS(sim(wired, {nan}, x1, d, 1e-6), memxbar::solvers::integration_error);
    REQUIRE_THROWS_WITH(sim(wired, {nan}, x1, d, 1e-6), Contains("t = ") && Contains("flag"));
    transient_options few;
    few.max_steps = 3;
    REQUIRE_THROWS_WITH(sim(wired, p1, x1, d, 1e-6, few), Contains("more than 3 steps"));
}
