// Template definitions for crossbar/transient.hpp. The model-independent parts (node numbering, the
// Jacobian's sparsity pattern, the IDA/KLU session and the loop over drive segments) live in
// crossbar/transient.cpp; here is only what needs the model: the residual, the Jacobian values and the
// recording of outputs, all on preallocated storage.
#pragma once

#include "crossbar/nodal.hpp"
#include "solvers/ode_integrator.hpp" // integration_error

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace memxbar::crossbar {
namespace detail {

// Node numbering of the transient circuit. Ids as in nodal.hpp: >= 0 an unknown, ground_node, or a
// driver, source_node(q) with q = i for row i and q = rows + j for column j. A line with a driver but no
// resistance in front of it is that driver's node; a wire of zero resistance merges its nodes.
struct transient_topology {
    std::size_t rows = 0, cols = 0, nodes = 0;
    std::vector<int> row, col;           // per cell, row-major
    std::vector<conductance_edge> fixed; // wires and driver resistors
    transient_topology(const crossbar_circuit& c, const line_drives& d);
    [[nodiscard]] int row_node(std::size_t i, std::size_t j) const { return row[i * cols + j]; }
    [[nodiscard]] int col_node(std::size_t i, std::size_t j) const { return col[i * cols + j]; }
};

// The Jacobian dF/dy + cj dF/dy' in compressed sparse columns, with the position of every device's
// entries in the value array (-1 where a node is not an unknown). Unknowns: the node voltages, then the
// states of cell k at nodes + k * n_state + s.
struct jacobian_pattern {
    std::size_t n = 0, nodes = 0, n_state = 0;
    std::vector<std::int64_t> colptr, rowval;
    std::vector<double> base; // constant part: wires, driver resistors, gmin
    // Per device, stride slot_stride(): aa, bb, ab, ba, then (a, s), (b, s), (s, a), (s, b) for each
    // state s, then (s, s') row-major.
    std::vector<std::int64_t> slots;
    [[nodiscard]] std::size_t slot_stride() const { return 4 + 4 * n_state + n_state * n_state; }
    [[nodiscard]] std::size_t nnz() const { return rowval.size(); }
};
jacobian_pattern build_pattern(const transient_topology& t, std::size_t n_state, double gmin);

// Throws circuit_error for anything a transient cannot start from.
void check_transient_inputs(const crossbar_circuit& c, const line_drives& d, std::size_t n_params,
                            std::size_t n_x0, double t_end, const transient_options& o);
// 0, the breakpoints of every driver in (0, t_end) (near-duplicates merged), t_end.
std::vector<double> segment_edges(const line_drives& d, double t_end);
std::vector<double> output_times(double t_end, double output_dt);

// What the model-independent loop calls back. All pointers are plain arrays of length n (or nnz).
struct dae_callbacks {
    void* user = nullptr;
    // F(t, y, y'): return 0, or > 0 for a recoverable failure (IDA retries with a smaller step)
    int (*residual)(double t, const double* y, const double* yp, double* F, void* user) = nullptr;
    // values of dF/dy + cj dF/dy' in the pattern's order
    int (*jacobian)(double t, double cj, const double* y, double* values, void* user) = nullptr;
    // Evaluate the drives at t clamped into [lo, hi]: the current segment, shrunk by a hair at the
    // breakpoints so that a jump there belongs to the neighbouring segment.
    void (*segment)(double lo, double hi, void* user) = nullptr;
    void (*record)(double t, const double* y, void* user) = nullptr;
    bool (*clamp)(double* y, void* user) = nullptr; // pull states into range; true if any moved
};
// Integrates from y0 (states set, voltages a first guess) over the segments, recording at `times`;
// returns y at t_end.
std::vector<double> run_dae(const jacobian_pattern& pattern, const std::vector<double>& atol,
                            std::vector<double> y0, const std::vector<double>& edges,
                            const std::vector<double>& times, const transient_options& o,
                            const dae_callbacks& cb, transient_stats& stats);

template <devices::ode_model M> struct array_system {
    static constexpr std::size_t N = M::n_state;
    using params = typename M::params;
    using state = devices::state_vec<N>;

    const transient_topology& top;
    const jacobian_pattern& pat;
    std::span<const params> p;                    // size 1 or cells
    std::span<const std::uint8_t> frozen;         // empty or cells: 1 = the state does not move
    std::vector<const solvers::waveform*> driver; // rows + cols, nullptr = floating
    double gmin;
    transient_result& out;
    bool record_devices;

    std::array<double, N> w{}, lo{}, hi{};
    std::vector<double> vdrv; // driver voltages at the current time
    double seg_lo = 0.0, seg_hi = 0.0;

    array_system(const transient_topology& t, const jacobian_pattern& pattern, std::span<const params> p_,
                 std::span<const std::uint8_t> frozen_, const line_drives& d, double gmin_,
                 transient_result& out_, bool record)
        : top(t), pat(pattern), p(p_), frozen(frozen_), gmin(gmin_), out(out_), record_devices(record),
          vdrv(t.rows + t.cols, 0.0) {
        for (const auto& r : d.rows)
            driver.push_back(r ? &*r : nullptr);
        for (const auto& c : d.cols)
            driver.push_back(c ? &*c : nullptr);
        const auto info = M::states();
        for (std::size_t s = 0; s < N; ++s) {
            lo[s] = info[s].min;
            hi[s] = info[s].max;
            const double width = hi[s] - lo[s];
            w[s] = (std::isfinite(width) && width > 0.0) ? width : 1.0;
        }
    }

    [[nodiscard]] const params& param(std::size_t k) const { return p.size() == 1 ? p[0] : p[k]; }
    [[nodiscard]] bool is_frozen(std::size_t k) const { return !frozen.empty() && frozen[k] != 0; }
    [[nodiscard]] std::size_t cells() const { return top.rows * top.cols; }

    // The drives are evaluated at t clamped into [lo, hi] (set per segment by run_dae), so that at a
    // breakpoint they take the limit from inside the current segment.
    void set_segment(double from, double to) {
        seg_lo = from;
        seg_hi = to;
    }
    void drive_at(double t) {
        const double tc = std::clamp(t, seg_lo, seg_hi);
        for (std::size_t q = 0; q < driver.size(); ++q)
            vdrv[q] = driver[q] ? (*driver[q])(tc) : 0.0;
    }
    [[nodiscard]] double u(const double* y, int id) const {
        return id >= 0 ? y[id] : id == ground_node ? 0.0 : vdrv[source_index(id)];
    }
    [[nodiscard]] state x_of(const double* y, std::size_t k) const {
        state x;
        const double* ys = y + top.nodes + k * N;
        for (std::size_t s = 0; s < N; ++s)
            x[s] = ys[s] * w[s];
        return x;
    }

    int residual(double t, const double* y, const double* yp, double* F) {
        drive_at(t);
        const std::size_t n_nodes = top.nodes;
        std::fill(F, F + n_nodes, 0.0);
        for (const auto& e : top.fixed) {
            const double cur = e.g * (u(y, e.a) - u(y, e.b));
            if (e.a >= 0) F[e.a] += cur;
            if (e.b >= 0) F[e.b] -= cur;
        }
        if (gmin > 0.0)
            for (std::size_t q = 0; q < n_nodes; ++q)
                F[q] += gmin * y[q];
        const std::size_t n_cells = cells();
        double check = 0.0;
        for (std::size_t k = 0; k < n_cells; ++k) {
            const int a = top.row[k], b = top.col[k];
            const double v = u(y, a) - u(y, b);
            const state x = x_of(y, k);
            const auto& pk = param(k);
            const double cur = M::current(pk, x, v);
            if (a >= 0) F[a] += cur;
            if (b >= 0) F[b] -= cur;
            state f{};
            if (!is_frozen(k)) M::dstate_dt(pk, x, v, f);
            const std::size_t o = n_nodes + k * N;
            for (std::size_t s = 0; s < N; ++s) {
                F[o + s] = yp[o + s] - f[s] / w[s];
                check += F[o + s];
            }
            check += cur;
        }
        return std::isfinite(check) ? 0 : 1;
    }

    int jacobian(double t, double cj, const double* y, double* J) {
        drive_at(t);
        std::copy(pat.base.begin(), pat.base.end(), J);
        const std::size_t n_cells = cells(), stride = pat.slot_stride();
        auto add = [J](std::int64_t slot, double value) {
            if (slot >= 0) J[slot] += value;
        };
        for (std::size_t k = 0; k < n_cells; ++k) {
            const int a = top.row[k], b = top.col[k];
            const double v = u(y, a) - u(y, b);
            const state x = x_of(y, k);
            const auto& pk = param(k);
            const std::int64_t* sl = pat.slots.data() + k * stride;
            const double g = M::di_dv(pk, x, v);
            add(sl[0], g);
            add(sl[1], g);
            add(sl[2], -g);
            add(sl[3], -g);
            state ix{}, fv{};
            devices::state_jac<N> fx{};
            M::di_dx(pk, x, v, ix);
            if (!is_frozen(k)) {
                M::df_dv(pk, x, v, fv);
                M::df_dx(pk, x, v, fx);
            }
            const std::int64_t* a_s = sl + 4;
            const std::int64_t* b_s = a_s + N;
            const std::int64_t* s_a = b_s + N;
            const std::int64_t* s_b = s_a + N;
            const std::int64_t* ss = s_b + N;
            for (std::size_t s = 0; s < N; ++s) {
                add(a_s[s], ix[s] * w[s]);
                add(b_s[s], -ix[s] * w[s]);
                add(s_a[s], -fv[s] / w[s]);
                add(s_b[s], fv[s] / w[s]);
                for (std::size_t c = 0; c < N; ++c)
                    add(ss[s * N + c], (s == c ? cj : 0.0) - fx[s * N + c] * w[c] / w[s]);
            }
        }
        return 0;
    }

    bool clamp(double* y) const {
        bool moved = false;
        const std::size_t n_cells = cells();
        for (std::size_t k = 0; k < n_cells; ++k)
            for (std::size_t s = 0; s < N; ++s) {
                double& ys = y[top.nodes + k * N + s];
                const double x = ys * w[s];
                const double c = std::clamp(x, lo[s], hi[s]);
                if (c != x) {
                    ys = c / w[s];
                    moved = true;
                }
            }
        return moved;
    }

    // Device voltages and currents, and the current each driver sends into the array: the sum over
    // every element (driver resistor or device) attached to the driver's node.
    void record(double t, const double* y) {
        drive_at(t);
        out.t.push_back(t);
        const std::size_t n_cells = cells(), R = top.rows, C = top.cols;
        const std::size_t r0 = out.i_row.size(), c0 = out.i_col.size();
        out.i_row.resize(r0 + R, 0.0); // capacity reserved up front: no reallocation
        out.i_col.resize(c0 + C, 0.0);
        auto to_driver = [&](int id, double cur) {
            if (!is_source(id)) return;
            const std::size_t q = source_index(id);
            if (q < R)
                out.i_row[r0 + q] += cur;
            else
                out.i_col[c0 + q - R] += cur;
        };
        for (const auto& e : top.fixed) {
            const double cur = e.g * (u(y, e.a) - u(y, e.b));
            to_driver(e.a, cur);
            to_driver(e.b, -cur);
        }
        for (std::size_t k = 0; k < n_cells; ++k) {
            const int a = top.row[k], b = top.col[k];
            const double v = u(y, a) - u(y, b);
            const state x = x_of(y, k);
            const double cur = M::current(param(k), x, v);
            to_driver(a, cur);
            to_driver(b, -cur);
            if (record_devices) {
                out.v.push_back(v);
                out.i.push_back(cur);
                for (std::size_t s = 0; s < N; ++s)
                    out.x[s].push_back(x[s]);
            }
        }
    }
};

template <devices::ode_model M>
transient_result simulate(const crossbar_circuit& c, std::span<const typename M::params> params,
                          std::span<const devices::state_vec<M::n_state>> x0,
                          std::span<const std::uint8_t> frozen, const line_drives& drives, double t_end,
                          const transient_options& o) {
    constexpr std::size_t N = M::n_state;
    check_transient_inputs(c, drives, params.size(), x0.size(), t_end, o);
    const transient_topology top(c, drives);
    const jacobian_pattern pat = build_pattern(top, N, o.gmin);
    const auto edges = segment_edges(drives, t_end);
    const auto times = output_times(t_end, o.output_dt);
    const std::size_t n_cells = c.cells();

    transient_result out;
    out.rows = c.rows;
    out.cols = c.cols;
    out.n_state = N;
    out.unknowns = pat.n;
    for (const auto& s : M::states())
        out.state_names.emplace_back(s.name);
    out.t.reserve(times.size());
    out.i_row.reserve(times.size() * c.rows);
    out.i_col.reserve(times.size() * c.cols);
    out.x.resize(N);
    if (o.record_devices) {
        out.v.reserve(times.size() * n_cells);
        out.i.reserve(times.size() * n_cells);
        for (auto& xs : out.x)
            xs.reserve(times.size() * n_cells);
    }

    array_system<M> sys(top, pat, params, frozen, drives, o.gmin, out, o.record_devices);
    std::vector<double> y0(pat.n, 0.0), atol(pat.n, o.atol_v);
    for (std::size_t k = 0; k < n_cells; ++k) {
        const auto& xk = x0.size() == 1 ? x0[0] : x0[k];
        for (std::size_t s = 0; s < N; ++s) {
            y0[top.nodes + k * N + s] = xk[s] / sys.w[s];
            atol[top.nodes + k * N + s] = o.atol;
        }
    }
    sys.clamp(y0.data());

    dae_callbacks cb;
    cb.user = &sys;
    cb.residual = [](double t, const double* y, const double* yp, double* F, void* s) {
        return static_cast<array_system<M>*>(s)->residual(t, y, yp, F);
    };
    cb.jacobian = [](double t, double cj, const double* y, double* J, void* s) {
        return static_cast<array_system<M>*>(s)->jacobian(t, cj, y, J);
    };
    cb.segment = [](double a, double b, void* s) { static_cast<array_system<M>*>(s)->set_segment(a, b); };
    cb.record = [](double t, const double* y, void* s) { static_cast<array_system<M>*>(s)->record(t, y); };
    cb.clamp = [](double* y, void* s) { return static_cast<array_system<M>*>(s)->clamp(y); };

    const std::vector<double> y_end = run_dae(pat, atol, std::move(y0), edges, times, o, cb, out.stats);
    out.x_final.assign(N, std::vector<double>(n_cells));
    for (std::size_t k = 0; k < n_cells; ++k) {
        const auto x = sys.x_of(y_end.data(), k);
        for (std::size_t s = 0; s < N; ++s)
            out.x_final[s][k] = x[s];
    }
    return out;
}

} // namespace detail

template <devices::ode_model M>
transient_result simulate_transient(const crossbar_circuit& c, std::span<const typename M::params> params,
                                    std::span<const devices::state_vec<M::n_state>> x0,
                                    const line_drives& drives, double t_end,
                                    const transient_options& o = {}) {
    return detail::simulate<M>(c, params, x0, {}, drives, t_end, o);
}

template <devices::ode_model M>
transient_result simulate_transient(const crossbar_circuit& c, const devices::device_array<M>& devices,
                                    const line_drives& drives, double t_end,
                                    const transient_options& o = {}) {
    if (devices.size() != c.cells())
        throw circuit_error("the device array has " + std::to_string(devices.size()) +
                            " devices, the crossbar has " + std::to_string(c.cells()) + " cells");
    std::vector<typename M::params> p;
    std::vector<devices::state_vec<M::n_state>> x;
    std::vector<std::uint8_t> frozen;
    p.reserve(devices.size());
    x.reserve(devices.size());
    frozen.reserve(devices.size());
    for (std::size_t k = 0; k < devices.size(); ++k) {
        p.push_back(devices.param(k));
        x.push_back(devices.state(k));
        frozen.push_back(devices.stuck(k) != devices::stuck_state::none ? 1 : 0);
    }
    return detail::simulate<M>(c, p, x, frozen, drives, t_end, o);
}

} // namespace memxbar::crossbar
