// crossbar_ir_drop: how far the exact circuit's column currents fall from the ideal product V G when
// the wires have resistance, for random conductances and inputs (the classic error-vs-size study).
#include "crossbar/dc_solver.hpp"
#include "devices/random_stream.hpp"
#include "experiments/jobs/jobs.hpp"

#include <cmath>

namespace memxbar::experiments {

namespace {

std::vector<row> run(const point& p, const job_context&) {
    crossbar::crossbar_circuit c;
    c.rows = static_cast<std::size_t>(p.integer("rows"));
    c.cols = p.integer("cols") > 0 ? static_cast<std::size_t>(p.integer("cols")) : c.rows;
    c.r_wire_row = c.r_wire_col = p.real("r_wire");
    c.r_source = p.real("r_source");
    c.r_sense = p.real("r_sense");
    c.drive_both_ends = p.boolean("both_ends");
    const double g_min = p.real("g_min"), g_max = p.real("g_max"), v_read = p.real("v_read");
    const auto K = static_cast<Eigen::Index>(p.integer("vectors"));
    // Conductances uniform in [g_min, g_max], inputs uniform in [0, v_read]: keyed by seed and index.
    const devices::random_stream draw_g(p.seed(), devices::purpose::programming);
    const devices::random_stream draw_v(p.seed(), devices::purpose::user);
    std::vector<double> G(c.cells());
    for (std::size_t k = 0; k < G.size(); ++k)
        G[k] = g_min + (g_max - g_min) * draw_g.uniform(k, 0);
    Eigen::MatrixXd V(K, static_cast<Eigen::Index>(c.rows));
    for (Eigen::Index k = 0; k < K; ++k)
        for (Eigen::Index i = 0; i < V.cols(); ++i)
            V(k, i) = v_read * draw_v.uniform(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(k));
    crossbar::dc_options o;
    o.node_voltages = true;
    const auto r = crossbar::solve_dc(c, crossbar::linear_law{G}, V, o);
    const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> Gm(
        G.data(), static_cast<Eigen::Index>(c.rows), static_cast<Eigen::Index>(c.cols));
    const Eigen::MatrixXd ideal = crossbar::ideal_currents(V, Gm);
    const double rel_error = (r.currents - ideal).norm() / ideal.norm();
    const double max_rel_error = (r.currents - ideal).cwiseAbs().maxCoeff() / ideal.cwiseAbs().maxCoeff();
    // Worst voltage lost on the wires: the input minus the voltage across the device, over all cells.
    double worst_drop = 0.0;
    for (Eigen::Index k = 0; k < K; ++k)
        for (std::size_t i = 0; i < c.rows; ++i)
            for (std::size_t j = 0; j < c.cols; ++j) {
                const auto cell = static_cast<Eigen::Index>(i * c.cols + j);
                worst_drop = std::max(worst_drop, V(k, static_cast<Eigen::Index>(i)) -
                                                      (r.v_row(k, cell) - r.v_col(k, cell)));
            }
    return {{rel_error, max_rel_error, worst_drop, r.power.mean(), r.method}};
}

} // namespace

job make_crossbar_ir_drop_job() {
    job j;
    j.name = "crossbar_ir_drop";
    j.summary = "error of the exact crossbar read (wire, source and sense resistance) against the ideal V G";
    j.params = {
        {"rows", value_kind::integer, std::int64_t{64}, 1, 4096, "", "word lines (inputs)", {}},
        {"cols",
         value_kind::integer,
         std::int64_t{0},
         0,
         4096,
         "",
         "bit lines (outputs); 0: as many as rows",
         {}},
        {"r_wire",
         value_kind::real,
         1.0,
         0.0,
         1e6,
         "ohm",
         "wire resistance per cell segment, rows and columns",
         {}},
        {"r_source", value_kind::real, 0.0, 0.0, 1e9, "ohm", "driver output resistance", {}},
        {"r_sense", value_kind::real, 0.0, 0.0, 1e9, "ohm", "sense amplifier input resistance", {}},
        {"both_ends", value_kind::boolean, false, 0, 0, "", "drive every row from both ends", {}},
        {"g_min", value_kind::real, 1e-6, 1e-15, 1.0, "S", "smallest conductance", {}},
        {"g_max", value_kind::real, 1e-4, 1e-15, 1.0, "S", "largest conductance", {}},
        {"v_read",
         value_kind::real,
         0.2,
         1e-6,
         100.0,
         "V",
         "largest input voltage (inputs uniform in [0, v_read])",
         {}},
        {"vectors", value_kind::integer, std::int64_t{8}, 1, 100000, "", "random input vectors per run", {}},
    };
    j.columns = {"rel_error", "max_rel_error", "worst_drop", "power", "method"};
    j.column_units = {"", "", "V", "W", ""};
    j.run = run;
    j.validate = [](const point& p) {
        if (!(p.real("g_min") < p.real("g_max")))
            throw job_error("g_min = " + std::to_string(p.real("g_min")) +
                            " S must be below g_max = " + std::to_string(p.real("g_max")) + " S");
    };
    return j;
}

} // namespace memxbar::experiments
