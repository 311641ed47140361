// Conjugate gradients on the nodal equations of a crossbar with wire resistance on both line types,
// matrix-free: the operator is applied from its structure (row and column wire chains plus one device
// conductance per crosspoint), and the preconditioner solves every row line and every column line
// exactly as a tridiagonal system (block Jacobi over lines). Wires conduct far better than devices, so
// each line is nearly an exact block and CG needs tens of iterations even at 1024 x 1024.
// Unknown layout (as nodal_topology numbers them): row node (i,j) = i M + j, column node (i,j) =
// N M + i M + j. Column lines are solved all at once, sweeping i with j innermost, so every loop runs
// over contiguous memory.
#pragma once

#include "crossbar/circuit.hpp"

#include <span>
#include <vector>

namespace memxbar::crossbar {

class line_pcg {
  public:
    explicit line_pcg(const crossbar_circuit& c);
    // Device conductances (row-major cells) of the operator; refactors the line blocks.
    void set_conductances(std::span<const double> g);
    // Row nodes at their driver's voltage, column nodes at 0: the ideal array's answer.
    void initial_guess(const double* v_in, std::vector<double>& x) const;
    // Solves A x = b from the x given; returns iterations; throws convergence_error with the residual.
    int solve(const std::vector<double>& b, std::vector<double>& x, double rel_tol, int max_iterations);
    void apply(const double* x, double* y) const;

  private:
    void precondition(const double* r, double* z) const;
    std::size_t N_, M_;
    double g_wr_, g_wc_, g_in_, g_out_;
    double g_in_right_;     // second driver at the right end of each row (0 unless drive_both_ends)
    std::vector<double> g_; // device conductances
    std::vector<double> row_c_, row_d_; // Thomas factors per row line (c' and 1/denominator)
    std::vector<double> col_c_, col_d_;
    std::vector<double> r_, z_, p_, q_; // CG work vectors, allocated once
};

} // namespace memxbar::crossbar
