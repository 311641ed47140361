// DC solution of a crossbar: sparse nodal analysis (Eigen, LDL^T with AMD ordering, pattern analysed
// once) for small and medium arrays, and preconditioned conjugate gradients on the structured operator
// (every row and column line solved exactly as a tridiagonal block) for large ones. Linear devices are
// one solve per input vector (a batch reuses the factorization; large batches go through the array's
// transfer matrix); nonlinear devices are solved by damped Newton with the analytic conductances.
#pragma once

#include "crossbar/circuit.hpp"
#include "crossbar/device_law.hpp"

#include <Eigen/Core>

#include <stdexcept>
#include <string>

namespace memxbar::crossbar {

enum class dc_method { automatic, direct, iterative };

struct dc_options {
    dc_method method = dc_method::automatic;
    // automatic: PCG above this many unknowns (2 N M with wire resistance on both line types): it is
    // 7-15x faster than the direct solver from 32 x 32 up (bench/bench_crossbar.py)...
    std::size_t iterative_min_unknowns = 512;
    // ...except for large batches of linear solves, where the direct solver computes the array's
    // transfer matrix (N solves, then one GEMM for the whole batch) up to this many unknowns.
    std::size_t transfer_max_unknowns = 300'000;
    double pcg_tolerance = 1e-13; // relative residual ||r|| / ||b|| of the iterative solver
    int pcg_max_iterations = 20'000;
    double newton_tolerance = 1e-13; // on the largest node-voltage update, relative to max |V_in|
    int newton_max_iterations = 200;
    bool node_voltages = false; // also return every node voltage (IR-drop and sneak-path maps)
};

// Thrown when Newton or PCG does not converge; says what was tried and how close it got.
struct convergence_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct dc_result {
    Eigen::MatrixXd currents;       // K x M, current into each sense node (A)
    Eigen::MatrixXd v_row;          // K x (N M), row-node voltages, row-major cells (if node_voltages)
    Eigen::MatrixXd v_col;          // K x (N M), column-node voltages (if node_voltages)
    Eigen::VectorXd power;          // K, power delivered by the input sources (W)
    Eigen::VectorXd source_current; // summed over rows, per input vector (A), for Kirchhoff checks
    std::string method;             // "ideal", "direct", "direct (transfer matrix)" or "pcg"
    int newton_iterations = 0;      // largest over the batch
    int linear_iterations = 0;      // PCG iterations, largest over the batch
    double residual = 0.0;          // largest final KCL residual (A)
};

// V: K x N input voltages (one input vector per row). G: N x M conductances (S), row-major.
template <class Law>
dc_result solve_dc(const crossbar_circuit& c, const Law& law, const Eigen::MatrixXd& V,
                   const dc_options& o = {});

// The ideal product I = V G (no wires, linear devices): the reference every solve must reduce to.
Eigen::MatrixXd ideal_currents(const Eigen::MatrixXd& V, const Eigen::Ref<const Eigen::MatrixXd>& G);

} // namespace memxbar::crossbar
