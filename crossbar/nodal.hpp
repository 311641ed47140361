// Node numbering and the fixed (wire, driver, sense) conductances of a crossbar circuit. A wire of zero
// resistance merges its two nodes, so every resistance may be 0 (the ideal array has only the
// devices); nodes tied to an ideal source through zero resistance are not unknowns at all.
#pragma once

#include "crossbar/circuit.hpp"

#include <vector>

namespace memxbar::crossbar {

// Node ids: >= 0 an unknown; ground; or input source i (voltage V_i).
inline constexpr int ground_node = -1;
inline constexpr int source_node(std::size_t i) {
    return -2 - static_cast<int>(i);
}
inline constexpr bool is_source(int id) {
    return id <= -2;
}
inline constexpr std::size_t source_index(int id) {
    return static_cast<std::size_t>(-2 - id);
}

struct conductance_edge {
    int a, b;
    double g;
};

class nodal_topology {
  public:
    explicit nodal_topology(const crossbar_circuit& c);

    [[nodiscard]] std::size_t unknowns() const { return unknowns_; }
    [[nodiscard]] int row_node(std::size_t i, std::size_t j) const { return row_[i * cols_ + j]; }
    [[nodiscard]] int col_node(std::size_t i, std::size_t j) const { return col_[i * cols_ + j]; }
    // wires, drivers and sense resistors (everything but the devices)
    [[nodiscard]] const std::vector<conductance_edge>& fixed_edges() const { return fixed_; }
    // The sense path of column j: node and conductance to the virtual ground; g_out = 0 means the
    // column is the virtual ground itself (no wire, no sense resistance).
    [[nodiscard]] int sense_node(std::size_t j) const { return col_node(rows_ - 1, j); }
    [[nodiscard]] double g_out() const { return g_out_; }
    // The driver path of row i (g_in = 0: the row is the source node itself), and with
    // drive_both_ends the second driver at the row's right end (same g_in).
    [[nodiscard]] int drive_node(std::size_t i) const { return row_node(i, 0); }
    [[nodiscard]] bool both_ends() const { return both_ends_; }
    [[nodiscard]] int drive_node_right(std::size_t i) const { return row_node(i, cols_ - 1); }
    [[nodiscard]] double g_in() const { return g_in_; }
    [[nodiscard]] std::size_t rows() const { return rows_; }
    [[nodiscard]] std::size_t cols() const { return cols_; }

  private:
    std::size_t rows_, cols_, unknowns_ = 0;
    std::vector<int> row_, col_;
    std::vector<conductance_edge> fixed_;
    double g_in_ = 0.0, g_out_ = 0.0;
    bool both_ends_ = false;
};

} // namespace memxbar::crossbar
