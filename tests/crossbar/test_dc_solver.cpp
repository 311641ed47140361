// The crossbar DC solver against independent answers: the ideal product, Kirchhoff's laws, energy
// conservation, monotone IR drop, and the direct and iterative solvers against each other.
#include "crossbar/dc_solver.hpp"
#include "devices/random_stream.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace memxbar;
using namespace memxbar::crossbar;
using Catch::Matchers::Contains;

namespace {

struct problem {
    crossbar_circuit c;
    std::vector<double> G;
    Eigen::MatrixXd V;
};

// G uniform in [1, 100] uS, inputs uniform in [0, 0.2] V (the range of gen_crossbar.py's circuits).
problem random_problem(std::size_t N, std::size_t M, std::size_t K, double r_wire, std::uint64_t seed) {
    problem p;
    p.c.rows = N;
    p.c.cols = M;
    p.c.r_wire_row = p.c.r_wire_col = r_wire;
    const devices::random_stream rng(seed, devices::purpose::user);
    for (std::size_t k = 0; k < N * M; ++k)
        p.G.push_back(1e-6 + 99e-6 * rng.uniform(k, 0));
    p.V.resize(static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(N));
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t i = 0; i < N; ++i)
            p.V(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(i)) = 0.2 * rng.uniform(i, 1 + k);
    return p;
}

Eigen::MatrixXd as_matrix(const std::vector<double>& G, std::size_t N, std::size_t M) {
    Eigen::MatrixXd m(static_cast<Eigen::Index>(N), static_cast<Eigen::Index>(M));
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < M; ++j)
            m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = G[i * M + j];
    return m;
}

double max_rel(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    return ((a - b).cwiseAbs().array() / b.cwiseAbs().array().max(1e-300)).maxCoeff();
}

} // namespace

TEST_CASE("without wire, source or sense resistance the result is the ideal product G^T V") {
    auto p = random_problem(17, 23, 5, 0.0, 1);
    const auto r = solve_dc(p.c, linear_law{p.G}, p.V);
    CHECK(r.method == "ideal");
    CHECK(max_rel(r.currents, ideal_currents(p.V, as_matrix(p.G, 17, 23))) < 1e-12);
    // and the sinh law reduces to the sum of G sinh(b V) / b down each column
    const auto s = solve_dc(p.c, sinh_law{p.G, 3.0}, p.V);
    Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(5, 23);
    for (Eigen::Index k = 0; k < 5; ++k)
        for (std::size_t i = 0; i < 17; ++i)
            for (std::size_t j = 0; j < 23; ++j)
                expected(k, static_cast<Eigen::Index>(j)) +=
                    p.G[i * 23 + j] * std::sinh(3.0 * p.V(k, static_cast<Eigen::Index>(i))) / 3.0;
    CHECK(max_rel(s.currents, expected) < 1e-12);
}

TEST_CASE("a sense resistance alone: each column is one node, solvable by hand") {
    // Column j at potential u_j: sum_i G_ij (V_i - u_j) = u_j / r_sense, so I_j = u_j / r_sense.
    auto p = random_problem(6, 4, 1, 0.0, 2);
    p.c.r_sense = 1e3;
    const auto r = solve_dc(p.c, linear_law{p.G}, p.V);
    for (std::size_t j = 0; j < 4; ++j) {
        double sg = 0, sgv = 0;
        for (std::size_t i = 0; i < 6; ++i) {
            sg += p.G[i * 4 + j];
            sgv += p.G[i * 4 + j] * p.V(0, static_cast<Eigen::Index>(i));
        }
        const double u = sgv / (sg + 1.0 / p.c.r_sense);
        CHECK(r.currents(0, static_cast<Eigen::Index>(j)) == Approx(u / p.c.r_sense).epsilon(1e-13));
    }
}

TEST_CASE("Kirchhoff and energy: current in equals current out, source power equals dissipation") {
    for (const char* law : {"linear", "sinh"}) {
        auto p = random_problem(12, 9, 2, 2.5, 3);
        p.c.r_source = 7.0;
        p.c.r_sense = 3.0;
        dc_options o;
        o.node_voltages = true;
        const auto r = std::string(law) == "linear" ? solve_dc(p.c, linear_law{p.G}, p.V, o)
                                                    : solve_dc(p.c, sinh_law{p.G, 3.0}, p.V, o);
        INFO(law);
        for (Eigen::Index k = 0; k < 2; ++k) {
            CHECK(r.currents.row(k).sum() == Approx(r.source_current(k)).epsilon(1e-12));
            // dissipation element by element from the node voltages
            const std::size_t N = 12, M = 9;
            const double g_in = 1 / (7.0 + 2.5), g_w = 1 / 2.5, g_out = 1 / (2.5 + 3.0);
            double diss = 0.0;
            for (std::size_t i = 0; i < N; ++i) {
                const double d =
                    p.V(k, static_cast<Eigen::Index>(i)) - r.v_row(k, static_cast<Eigen::Index>(i * M));
                diss += g_in * d * d;
                for (std::size_t j = 0; j < M; ++j) {
                    const auto c = static_cast<Eigen::Index>(i * M + j);
                    const double vd = r.v_row(k, c) - r.v_col(k, c);
                    diss += (std::string(law) == "linear" ? p.G[i * M + j] * vd
                                                          : p.G[i * M + j] * std::sinh(3 * vd) / 3) *
                            vd;
                    if (j > 0) diss += g_w * std::pow(r.v_row(k, c) - r.v_row(k, c - 1), 2);
                    if (i > 0)
                        diss +=
                            g_w * std::pow(r.v_col(k, c) - r.v_col(k, c - static_cast<Eigen::Index>(M)), 2);
                }
            }
            for (std::size_t j = 0; j < M; ++j)
                diss += g_out * std::pow(r.v_col(k, static_cast<Eigen::Index>((N - 1) * M + j)), 2);
            CHECK(r.power(k) == Approx(diss).epsilon(1e-11));
        }
    }
}

TEST_CASE(
    "IR drop is monotone: row voltages fall away from the driver, column voltages toward the sense end") {
    auto p = random_problem(16, 16, 1, 10.0, 4);
    dc_options o;
    o.node_voltages = true;
    const auto r = solve_dc(p.c, linear_law{p.G}, p.V, o);
    for (std::size_t i = 0; i < 16; ++i)
        for (std::size_t j = 0; j < 16; ++j) {
            const auto c = static_cast<Eigen::Index>(i * 16 + j);
            if (j > 0) CHECK(r.v_row(0, c) < r.v_row(0, c - 1));
            if (i > 0) CHECK(r.v_col(0, c) < r.v_col(0, c - 16));
            CHECK(r.v_row(0, c) <= p.V(0, static_cast<Eigen::Index>(i)));
            CHECK(r.v_col(0, c) >= 0.0);
        }
    // and IR drop lowers every output below the ideal product
    const Eigen::MatrixXd ideal = ideal_currents(p.V, as_matrix(p.G, 16, 16));
    for (Eigen::Index j = 0; j < 16; ++j)
        CHECK(r.currents(0, j) < ideal(0, j));
}

TEST_CASE("rows driven from both ends: Kirchhoff holds, PCG agrees, and the worst IR drop falls") {
    auto p = random_problem(20, 30, 1, 5.0, 9);
    dc_options d, it;
    d.method = dc_method::direct;
    it.method = dc_method::iterative;
    const auto one = solve_dc(p.c, linear_law{p.G}, p.V, d);
    p.c.drive_both_ends = true;
    const auto a = solve_dc(p.c, linear_law{p.G}, p.V, d);
    const auto b = solve_dc(p.c, linear_law{p.G}, p.V, it);
    CHECK(a.currents.sum() == Approx(a.source_current(0)).epsilon(1e-12));
    CHECK(max_rel(b.currents, a.currents) < 1e-9);
    // a second driver can only raise the row voltages, so every output rises toward the ideal product
    const Eigen::MatrixXd ideal = ideal_currents(p.V, as_matrix(p.G, 20, 30));
    for (Eigen::Index j = 0; j < 30; ++j) {
        CHECK(a.currents(0, j) > one.currents(0, j));
        CHECK(a.currents(0, j) < ideal(0, j));
    }
}

TEST_CASE("iterative and direct solvers agree to the iterative tolerance, linear and sinh") {
    for (std::size_t n : {8u, 40u}) {
        auto p = random_problem(n, n + 3, 3, 2.5, 5);
        dc_options d, it;
        d.method = dc_method::direct;
        it.method = dc_method::iterative;
        it.pcg_tolerance = 1e-12;
        const auto a = solve_dc(p.c, linear_law{p.G}, p.V, d);
        const auto b = solve_dc(p.c, linear_law{p.G}, p.V, it);
        CHECK(b.method == "pcg");
        CHECK(b.linear_iterations > 0);
        // relative residual 1e-12 bounds the error by cond * 1e-12; the line preconditioner keeps
        // the preconditioned condition number near 1, observed errors ~1e-12
        CHECK(max_rel(b.currents, a.currents) < 1e-9);
        const auto c = solve_dc(p.c, sinh_law{p.G, 3.0}, p.V, d);
        const auto e = solve_dc(p.c, sinh_law{p.G, 3.0}, p.V, it);
        CHECK(max_rel(e.currents, c.currents) < 1e-9);
        CHECK(c.newton_iterations >= 2);
    }
}

TEST_CASE("large arrays switch to the iterative solver automatically and still solve") {
    auto p = random_problem(128, 128, 1, 2.5, 6);
    const auto r = solve_dc(p.c, linear_law{p.G}, p.V);
    CHECK(r.method == "pcg");
    dc_options d;
    d.method = dc_method::direct;
    CHECK(max_rel(r.currents, solve_dc(p.c, linear_law{p.G}, p.V, d).currents) < 1e-9);
}

TEST_CASE("a large batch goes through the transfer matrix and equals one solve per vector") {
    auto p = random_problem(10, 7, 40, 2.5, 7); // K = 40 > N = 10
    const auto batch = solve_dc(p.c, linear_law{p.G}, p.V);
    CHECK(batch.method == "direct (transfer matrix)");
    dc_options one;
    one.node_voltages = true; // forces per-vector solves
    const auto each = solve_dc(p.c, linear_law{p.G}, p.V, one);
    CHECK(max_rel(batch.currents, each.currents) < 1e-12);
    CHECK((batch.power - each.power).cwiseAbs().maxCoeff() < 1e-12 * each.power.cwiseAbs().maxCoeff());
    CHECK((batch.source_current - each.source_current).cwiseAbs().maxCoeff() <
          1e-12 * each.source_current.cwiseAbs().maxCoeff());
}

TEST_CASE("bad circuits and non-convergence are errors with the numbers in them") {
    auto p = random_problem(4, 5, 1, 1.0, 8);
    auto bad = p.c;
    bad.r_wire_row = -1.0;
    CHECK_THROWS_WITH(solve_dc(bad, linear_law{p.G}, p.V), Contains("r_wire_row = -1"));
    bad = p.c;
    bad.r_sense = std::nan("");
    CHECK_THROWS_AS(solve_dc(bad, linear_law{p.G}, p.V), circuit_error);
    CHECK_THROWS_WITH(solve_dc(p.c, linear_law{p.G}, Eigen::MatrixXd::Zero(1, 3)),
                      Contains("3 voltages") && Contains("4 rows"));
    std::vector<double> short_g(p.G.begin(), p.G.end() - 1);
    CHECK_THROWS_WITH(solve_dc(p.c, linear_law{short_g}, p.V), Contains("19 entries"));
    auto ideal = p.c;
    ideal.r_wire_row = ideal.r_wire_col = 0.0;
    dc_options it;
    it.method = dc_method::iterative;
    CHECK_THROWS_WITH(solve_dc(ideal, linear_law{p.G}, p.V, it), Contains("needs wire resistance"));
    dc_options few;
    few.newton_max_iterations = 1;
    Eigen::MatrixXd big = Eigen::MatrixXd::Constant(1, 4, 5.0);
    CHECK_THROWS_WITH(solve_dc(p.c, sinh_law{p.G, 5.0}, big, few),
                      Contains("Newton did not converge") && Contains("residual"));
}
