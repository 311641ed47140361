#include "crossbar/nodal.hpp"

#include <cmath>
#include <sstream>

namespace memxbar::crossbar {

void crossbar_circuit::validate() const {
    auto check = [](const char* name, double v) {
        if (!std::isfinite(v) || v < 0.0) {
            std::ostringstream s;
            s << name << " = " << v << " ohm: must be a finite resistance >= 0";
            throw circuit_error(s.str());
        }
    };
    check("r_wire_row", r_wire_row);
    check("r_wire_col", r_wire_col);
    check("r_source", r_source);
    check("r_sense", r_sense);
    if (rows == 0 || cols == 0) throw circuit_error("the array needs at least one row and one column");
    if (cells() > 200'000'000) throw circuit_error("more than 2e8 cells");
}

nodal_topology::nodal_topology(const crossbar_circuit& c) : rows_(c.rows), cols_(c.cols) {
    c.validate();
    const std::size_t N = rows_, M = cols_;
    row_.assign(N * M, 0);
    col_.assign(N * M, 0);
    int next = 0;
    // Rows: M nodes with wire; one merged node without; the source node itself if nothing separates
    // the row from its ideal driver.
    const double r_in = c.r_source + c.r_wire_row; // source resistor and first segment are in series
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < M; ++j) {
            if (c.r_wire_row > 0.0)
                row_[i * M + j] = next++;
            else if (r_in > 0.0)
                row_[i * M + j] = j == 0 ? next++ : row_[i * M];
            else
                row_[i * M + j] = source_node(i);
        }
    const double r_out = c.r_wire_col + c.r_sense; // last segment and sense resistor in series
    // Column nodes are numbered row-major too, so the iterative solver sweeps both line types with
    // contiguous, vectorisable loops.
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < M; ++j) {
            if (c.r_wire_col > 0.0)
                col_[i * M + j] = next++;
            else if (r_out > 0.0)
                col_[i * M + j] = i == 0 ? next++ : col_[j];
            else
                col_[i * M + j] = ground_node;
        }
    unknowns_ = static_cast<std::size_t>(next);
    g_in_ = r_in > 0.0 ? 1.0 / r_in : 0.0;
    g_out_ = r_out > 0.0 ? 1.0 / r_out : 0.0;
    both_ends_ = c.drive_both_ends;
    if (g_in_ > 0.0)
        for (std::size_t i = 0; i < N; ++i) {
            fixed_.push_back({source_node(i), row_node(i, 0), g_in_});
            if (both_ends_) fixed_.push_back({source_node(i), row_node(i, M - 1), g_in_});
        }
    if (c.r_wire_row > 0.0)
        for (std::size_t i = 0; i < N; ++i)
            for (std::size_t j = 1; j < M; ++j)
                fixed_.push_back({row_node(i, j - 1), row_node(i, j), 1.0 / c.r_wire_row});
    if (c.r_wire_col > 0.0)
        for (std::size_t j = 0; j < M; ++j)
            for (std::size_t i = 1; i < N; ++i)
                fixed_.push_back({col_node(i - 1, j), col_node(i, j), 1.0 / c.r_wire_col});
    if (g_out_ > 0.0)
        for (std::size_t j = 0; j < M; ++j)
            fixed_.push_back({sense_node(j), ground_node, g_out_});
}

} // namespace memxbar::crossbar
