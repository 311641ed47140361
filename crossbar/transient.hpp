// Transient of a crossbar under programming drives (docs/crossbar_transient.md): every node voltage of
// the array and every device state evolve together, as one differential-algebraic system
//
//   0  = KCL at every node (algebraic):    sum of the currents leaving the node
//   x' = f(x_k, v_k) for every device k:   the model's state equation, at the voltage the device sees
//
// solved with SUNDIALS IDA (variable-order BDF) and a sparse direct linear solver (KLU) on the analytic
// Jacobian, whose pattern is built once. Unlike the DC read (rows driven, columns sensed at 0 V), both
// ends are driven: row i by its own waveform through r_source + r_wire_row at its left end (the first
// row segment lies between the driver and cell (i,0); with drive_both_ends the same driver also feeds
// the right end through one more segment); column j from its bottom end, after the last
// column segment below cell (N-1,j), through r_sense from its own column driver. Any line may instead
// float (no driver). Device (i,j) sits between row node (i,j) and column node (i,j); its voltage is
// v = V_row - V_col. The write schemes (V/2, V/3, grounded, floating) are in crossbar/write_schemes.hpp.
#pragma once

#include "crossbar/circuit.hpp"
#include "devices/device_array.hpp"
#include "devices/model.hpp"
#include "solvers/waveform.hpp"

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace memxbar::crossbar {

// One driver voltage waveform (V) per row and per column; std::nullopt leaves that line floating.
struct line_drives {
    std::vector<std::optional<solvers::waveform>> rows, cols;
    static line_drives floating(std::size_t rows, std::size_t cols); // every line undriven
    static line_drives grounded(std::size_t rows, std::size_t cols); // every line driven at 0 V
};

struct transient_options {
    double rtol = 1e-6;
    double atol = 1e-9;     // device states: fraction of each state's physical range (M::states())
    double atol_v = 1e-9;   // node voltages, V
    double output_dt = 0.0; // s, sampling interval of the outputs; 0 = t_end / 1000
    // Longest internal step, s. The step is also limited to the output interval: threshold models are
    // flat below threshold, and a step must not leap over the part of a drive where they move.
    double max_step = std::numeric_limits<double>::infinity();
    double gmin = 0.0;          // S, from every unknown node to ground (SPICE's gmin); 0 = none
    bool record_devices = true; // states, voltages and currents of every device at every output time
    long max_steps = 10'000'000;
};

struct transient_stats {
    long steps = 0;                // accepted IDA steps
    long residual_evaluations = 0; // including those for finite differences: none, the Jacobian is analytic
    long jacobian_evaluations = 0;
    long nonlinear_iterations = 0;
    long error_test_failures = 0;
    long restarts = 0; // IDAReInit + consistent initial conditions: drive breakpoints and state clamps
    long clamps = 0;   // states pulled back inside their physical range
};

// Outputs at the times t (output_dt apart, and t_end). At a drive breakpoint the recorded voltages and
// currents are the left limits (the values just before the jump). Cells are row-major: k = i * cols + j.
struct transient_result {
    std::size_t rows = 0, cols = 0, n_state = 0, unknowns = 0;
    std::vector<std::string> state_names;
    std::vector<double> t;              // s
    std::vector<std::vector<double>> x; // x[s][sample * cells + k], state s of cell k (record_devices)
    std::vector<double> v;              // [sample * cells + k], device voltage V_row - V_col (record_devices)
    std::vector<double> i;     // [sample * cells + k], device current row -> column, A (record_devices)
    std::vector<double> i_row; // [sample * rows + r], current row r's driver sends into the array, A
    std::vector<double> i_col; // [sample * cols + c], current column c's driver sends into the array, A
    std::vector<std::vector<double>> x_final; // x_final[s][k], every state at t_end
    transient_stats stats;

    [[nodiscard]] std::size_t samples() const { return t.size(); }
    [[nodiscard]] std::size_t cells() const { return rows * cols; }
    [[nodiscard]] double state(std::size_t sample, std::size_t r, std::size_t c, std::size_t s = 0) const {
        return x[s][sample * cells() + r * cols + c];
    }
    [[nodiscard]] double voltage(std::size_t sample, std::size_t r, std::size_t c) const {
        return v[sample * cells() + r * cols + c];
    }
    [[nodiscard]] double current(std::size_t sample, std::size_t r, std::size_t c) const {
        return i[sample * cells() + r * cols + c];
    }
    [[nodiscard]] double final_state(std::size_t r, std::size_t c, std::size_t s = 0) const {
        return x_final[s][r * cols + c];
    }
};

} // namespace memxbar::crossbar

#include "crossbar/transient_impl.hpp" // the templates:
// // params and x0: one per cell (row-major) or a single entry shared by every cell.
// template <devices::ode_model M>
// transient_result simulate_transient(const crossbar_circuit&, std::span<const typename M::params> params,
//                                     std::span<const devices::state_vec<M::n_state>> x0,
//                                     const line_drives&, double t_end, const transient_options& = {});
// // From a device array (its parameters, states and stuck-at faults: stuck devices do not move).
// template <devices::ode_model M>
// transient_result simulate_transient(const crossbar_circuit&, const devices::device_array<M>&,
//                                     const line_drives&, double t_end, const transient_options& = {});
// Errors: bad sizes, resistances, drives, t_end or options throw circuit_error (a std::invalid_argument)
// naming the value; an IDA failure throws solvers::integration_error with the time, step and flag name.
