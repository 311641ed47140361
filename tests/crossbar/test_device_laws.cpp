// Nonlinear crosspoints in the DC solve: any device model at its programmed state, and a selector in
// series (1S1R), each against an independent scalar solution.
#include "crossbar/dc_solver.hpp"
#include "devices/card.hpp"
#include "devices/stanford_pku.hpp"
#include "devices/yakopcic.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace memxbar;
using namespace memxbar::crossbar;

namespace {
// Root of f on [lo, hi] by plain bisection (f increasing): the independent reference.
template <class F> double bisect(F f, double lo, double hi) {
    for (int it = 0; it < 200; ++it) {
        const double mid = 0.5 * (lo + hi);
        (f(mid) > 0.0 ? hi : lo) = mid;
    }
    return 0.5 * (lo + hi);
}
} // namespace

TEST_CASE("Stanford-PKU devices at their programmed gaps: the ideal array sums the model's own currents") {
    using sp = devices::stanford_pku;
    const auto p = devices::bind<sp>(devices::load_card("stanford_pku"));
    devices::device_array<sp> a(12, p, {}, 1); // 3 x 4
    for (std::size_t k = 0; k < 12; ++k)
        a.set_state(k, {p.g_min + (p.g_max - p.g_min) * double(k) / 11.0});
    crossbar_circuit c;
    c.rows = 3;
    c.cols = 4;
    Eigen::MatrixXd V(1, 3);
    V << 0.1, 0.2, 0.3;
    const auto r = solve_dc(c, model_law<sp>{a}, V);
    for (std::size_t j = 0; j < 4; ++j) {
        double expected = 0.0;
        for (std::size_t i = 0; i < 3; ++i)
            expected += sp::current(p, a.state(i * 4 + j), V(0, static_cast<Eigen::Index>(i)));
        CHECK(r.currents(0, static_cast<Eigen::Index>(j)) == Approx(expected).epsilon(1e-13));
    }
}

TEST_CASE("a Yakopcic device behind a source resistance: Newton equals the scalar series solution") {
    using yk = devices::yakopcic;
    const yk::params p{};
    devices::device_array<yk> a(1, p, {}, 1);
    a.set_state(0, {0.6});
    crossbar_circuit c;
    c.rows = c.cols = 1;
    c.r_source = 50.0;
    Eigen::MatrixXd V(1, 1);
    V << 0.4;
    const auto r = solve_dc(c, model_law<yk>{a}, V);
    // v + R I(v) = V for the device voltage v, then I(v)
    const double v = bisect([&](double x) { return x + 50.0 * yk::current(p, {0.6}, x) - 0.4; }, 0.0, 0.4);
    CHECK(r.currents(0, 0) == Approx(yk::current(p, {0.6}, v)).epsilon(1e-12));
    CHECK(r.newton_iterations >= 2);
}

TEST_CASE("model devices with wire resistance: Kirchhoff holds and PCG agrees with the direct solver") {
    using sp = devices::stanford_pku;
    const auto p = devices::bind<sp>(devices::load_card("stanford_pku"));
    devices::device_array<sp> a(24 * 24, p, {}, 1);
    for (std::size_t k = 0; k < a.size(); ++k)
        a.set_state(k, {p.g_min + (p.g_max - p.g_min) * double(k % 7) / 6.0});
    crossbar_circuit c;
    c.rows = c.cols = 24;
    c.r_wire_row = c.r_wire_col = 2.5;
    const Eigen::MatrixXd V = Eigen::MatrixXd::Constant(1, 24, 0.3);
    dc_options d, it;
    d.method = dc_method::direct;
    it.method = dc_method::iterative;
    const auto x = solve_dc(c, model_law<sp>{a}, V, d);
    const auto y = solve_dc(c, model_law<sp>{a}, V, it);
    CHECK(x.currents.sum() == Approx(x.source_current(0)).epsilon(1e-11));
    CHECK(((y.currents - x.currents).cwiseAbs().array() / x.currents.cwiseAbs().array()).maxCoeff() < 1e-9);
}

TEST_CASE("1S1R: the selector shares the voltage with the device and suppresses low-bias current") {
    const std::vector<double> G{1e-4};
    const series_selector_law<linear_law, sinh_selector> law{linear_law{G}, sinh_selector{1e-7, 0.1}};
    crossbar_circuit c;
    c.rows = c.cols = 1;
    for (double v : {0.05, 0.3, 1.0}) {
        Eigen::MatrixXd V(1, 1);
        V << v;
        const double I = solve_dc(c, law, V).currents(0, 0);
        // independent: the selector voltage where both elements carry the same current
        const double vs =
            bisect([&](double x) { return 1e-7 * std::sinh(x / 0.1) - 1e-4 * (v - x); }, 0.0, v);
        CHECK(I == Approx(1e-4 * (v - vs)).epsilon(1e-12));
    }
    Eigen::MatrixXd lo(1, 1), hi(1, 1);
    lo << 0.1;
    hi << 1.0;
    const double ratio = solve_dc(c, law, lo).currents(0, 0) / solve_dc(c, law, hi).currents(0, 0);
    CHECK(ratio < 0.01); // a linear 1R cell would give 0.1
}
