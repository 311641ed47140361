#include "crossbar/transient.hpp"

#include "solvers/ode_integrator.hpp"

#include <ida/ida.h>
#include <ida/ida_ls.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <type_traits>
#include <utility>

namespace memxbar::crossbar {

line_drives line_drives::floating(std::size_t rows, std::size_t cols) {
    line_drives d;
    d.rows.resize(rows);
    d.cols.resize(cols);
    return d;
}

line_drives line_drives::grounded(std::size_t rows, std::size_t cols) {
    line_drives d;
    d.rows.assign(rows, solvers::waveform::dc(0.0));
    d.cols.assign(cols, solvers::waveform::dc(0.0));
    return d;
}

namespace detail {

transient_topology::transient_topology(const crossbar_circuit& c, const line_drives& d)
    : rows(c.rows), cols(c.cols) {
    const std::size_t R = rows, C = cols;
    row.assign(R * C, 0);
    col.assign(R * C, 0);
    int next = 0;
    // Rows: one node per cell with wire; one merged node without; the driver's own node if the row is
    // driven and nothing separates it from its driver.
    const double r_in = c.r_source + c.r_wire_row; // driver resistor and first segment in series
    for (std::size_t i = 0; i < R; ++i) {
        const bool driven = d.rows[i].has_value();
        for (std::size_t j = 0; j < C; ++j) {
            if (c.r_wire_row > 0.0)
                row[i * C + j] = next++;
            else if (!driven || r_in > 0.0)
                row[i * C + j] = j == 0 ? next++ : row[i * C];
            else
                row[i * C + j] = source_node(i);
        }
    }
    const double r_out = c.r_wire_col + c.r_sense; // last segment and column driver resistor in series
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) {
            const bool driven = d.cols[j].has_value();
            if (c.r_wire_col > 0.0)
                col[i * C + j] = next++;
            else if (!driven || r_out > 0.0)
                col[i * C + j] = i == 0 ? next++ : col[j];
            else
                col[i * C + j] = source_node(R + j);
        }
    nodes = static_cast<std::size_t>(next);
    for (std::size_t i = 0; i < R; ++i)
        if (d.rows[i] && r_in > 0.0) {
            fixed.push_back({source_node(i), row_node(i, 0), 1.0 / r_in});
            // drive_both_ends: the same driver also feeds the right end, through one more segment
            if (c.drive_both_ends) fixed.push_back({source_node(i), row_node(i, C - 1), 1.0 / r_in});
        }
    if (c.r_wire_row > 0.0)
        for (std::size_t i = 0; i < R; ++i)
            for (std::size_t j = 1; j < C; ++j)
                fixed.push_back({row_node(i, j - 1), row_node(i, j), 1.0 / c.r_wire_row});
    if (c.r_wire_col > 0.0)
        for (std::size_t j = 0; j < C; ++j)
            for (std::size_t i = 1; i < R; ++i)
                fixed.push_back({col_node(i - 1, j), col_node(i, j), 1.0 / c.r_wire_col});
    for (std::size_t j = 0; j < C; ++j)
        if (d.cols[j] && r_out > 0.0) fixed.push_back({source_node(R + j), col_node(R - 1, j), 1.0 / r_out});
}

jacobian_pattern build_pattern(const transient_topology& t, std::size_t n_state, double gmin) {
    jacobian_pattern p;
    const std::size_t cells = t.rows * t.cols, N = n_state;
    p.nodes = t.nodes;
    p.n_state = N;
    p.n = t.nodes + cells * N;
    const auto state_id = [&](std::size_t k, std::size_t s) {
        return static_cast<std::int64_t>(t.nodes + k * N + s);
    };
    std::vector<std::pair<std::int64_t, std::int64_t>> entries; // (column, row)
    const auto add = [&](std::int64_t r, std::int64_t c) {
        if (r >= 0 && c >= 0) entries.emplace_back(c, r);
    };
    const auto add_pair = [&](std::int64_t a, std::int64_t b) {
        add(a, a);
        add(b, b);
        add(a, b);
        add(b, a);
    };
    for (std::size_t q = 0; q < t.nodes; ++q)
        add(static_cast<std::int64_t>(q), static_cast<std::int64_t>(q));
    for (const auto& e : t.fixed)
        add_pair(e.a, e.b);
    for (std::size_t k = 0; k < cells; ++k) {
        const std::int64_t a = t.row[k], b = t.col[k];
        add_pair(a, b);
        for (std::size_t s = 0; s < N; ++s) {
            const std::int64_t q = state_id(k, s);
            add(a, q);
            add(b, q);
            add(q, a);
            add(q, b);
            for (std::size_t c = 0; c < N; ++c)
                add(q, state_id(k, c));
        }
    }
    std::sort(entries.begin(), entries.end());
    entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
    p.colptr.assign(p.n + 1, 0);
    p.rowval.reserve(entries.size());
    for (const auto& [c, r] : entries) {
        ++p.colptr[static_cast<std::size_t>(c) + 1];
        p.rowval.push_back(r);
    }
    for (std::size_t c = 0; c < p.n; ++c)
        p.colptr[c + 1] += p.colptr[c];
    const auto slot = [&](std::int64_t r, std::int64_t c) -> std::int64_t {
        if (r < 0 || c < 0) return -1;
        const auto first = p.rowval.begin() + p.colptr[static_cast<std::size_t>(c)];
        const auto last = p.rowval.begin() + p.colptr[static_cast<std::size_t>(c) + 1];
        return static_cast<std::int64_t>(std::lower_bound(first, last, r) - p.rowval.begin());
    };
    p.base.assign(p.nnz(), 0.0);
    const auto stamp = [&](std::int64_t a, std::int64_t b, double g) {
        if (a >= 0) p.base[static_cast<std::size_t>(slot(a, a))] += g;
        if (b >= 0) p.base[static_cast<std::size_t>(slot(b, b))] += g;
        if (a >= 0 && b >= 0) {
            p.base[static_cast<std::size_t>(slot(a, b))] -= g;
            p.base[static_cast<std::size_t>(slot(b, a))] -= g;
        }
    };
    for (const auto& e : t.fixed)
        stamp(e.a, e.b, e.g);
    for (std::size_t q = 0; q < t.nodes; ++q)
        p.base[static_cast<std::size_t>(slot(static_cast<std::int64_t>(q), static_cast<std::int64_t>(q)))] +=
            gmin;
    p.slots.reserve(cells * p.slot_stride());
    for (std::size_t k = 0; k < cells; ++k) {
        const std::int64_t a = t.row[k], b = t.col[k];
        for (const std::int64_t s : {slot(a, a), slot(b, b), slot(a, b), slot(b, a)})
            p.slots.push_back(s);
        for (std::size_t s = 0; s < N; ++s)
            p.slots.push_back(slot(a, state_id(k, s)));
        for (std::size_t s = 0; s < N; ++s)
            p.slots.push_back(slot(b, state_id(k, s)));
        for (std::size_t s = 0; s < N; ++s)
            p.slots.push_back(slot(state_id(k, s), a));
        for (std::size_t s = 0; s < N; ++s)
            p.slots.push_back(slot(state_id(k, s), b));
        for (std::size_t s = 0; s < N; ++s)
            for (std::size_t c = 0; c < N; ++c)
                p.slots.push_back(slot(state_id(k, s), state_id(k, c)));
    }
    return p;
}

void check_transient_inputs(const crossbar_circuit& c, const line_drives& d, std::size_t n_params,
                            std::size_t n_x0, double t_end, const transient_options& o) {
    c.validate();
    const auto err = [](const std::string& s) { return circuit_error("transient: " + s); };
    if (d.rows.size() != c.rows || d.cols.size() != c.cols)
        throw err("drives for " + std::to_string(d.rows.size()) + " rows and " +
                  std::to_string(d.cols.size()) + " columns, the array has " + std::to_string(c.rows) +
                  " x " + std::to_string(c.cols));
    const auto driven = [](const auto& v) {
        return std::any_of(v.begin(), v.end(), [](const auto& w) { return w.has_value(); });
    };
    if (!driven(d.rows) && !driven(d.cols))
        throw err("every line is floating: at least one row or column needs a driver (the node voltages "
                  "would have no reference)");
    if (n_params != 1 && n_params != c.cells())
        throw err(std::to_string(n_params) + " parameter sets: give one per cell (" +
                  std::to_string(c.cells()) + ") or one for all");
    if (n_x0 != 1 && n_x0 != c.cells())
        throw err(std::to_string(n_x0) + " initial states: give one per cell (" + std::to_string(c.cells()) +
                  ") or one for all");
    std::ostringstream s;
    s.precision(6);
    if (!(t_end > 0.0) || !std::isfinite(t_end))
        s << "t_end = " << t_end << " s: must be a positive, finite duration";
    else if (!(o.rtol > 0.0 && o.rtol < 1.0))
        s << "rtol = " << o.rtol << ": must be in (0, 1)";
    else if (!(o.atol > 0.0 && o.atol < 1.0))
        s << "atol = " << o.atol << ": must be in (0, 1) (a fraction of each state's range)";
    else if (!(o.atol_v > 0.0) || !std::isfinite(o.atol_v))
        s << "atol_v = " << o.atol_v << " V: must be > 0";
    else if (!(o.output_dt >= 0.0) || !std::isfinite(o.output_dt))
        s << "output_dt = " << o.output_dt << " s: must be >= 0 (0 = t_end / 1000)";
    else if (o.output_dt > 0.0 && t_end / o.output_dt > 1e8)
        s << "output_dt = " << o.output_dt << " s gives more than 1e8 samples over t_end = " << t_end << " s";
    else if (!(o.max_step > 0.0))
        s << "max_step = " << o.max_step << " s: must be > 0";
    else if (!(o.gmin >= 0.0) || !std::isfinite(o.gmin))
        s << "gmin = " << o.gmin << " S: must be >= 0";
    else if (o.max_steps < 1)
        s << "max_steps = " << o.max_steps << ": must be >= 1";
    if (!s.str().empty()) throw err(s.str());
}

std::vector<double> segment_edges(const line_drives& d, double t_end) {
    std::vector<double> all;
    for (const auto* lines : {&d.rows, &d.cols})
        for (const auto& w : *lines)
            if (w)
                for (double b : w->breakpoints(0.0, t_end))
                    all.push_back(b);
    std::sort(all.begin(), all.end());
    // Breakpoints of different lines at the same nominal time may differ in the last bits.
    const double tol = 1e-10 * t_end;
    std::vector<double> edges{0.0};
    for (double b : all)
        if (b - edges.back() > tol && t_end - b > tol) edges.push_back(b);
    edges.push_back(t_end);
    return edges;
}

// the same output grid as the single-device integrator
std::vector<double> output_times(double t_end, double output_dt) {
    return solvers::detail::output_times(t_end, output_dt);
}

namespace {

static_assert(std::is_same_v<sunindextype, std::int64_t>, "SUNDIALS built with 64-bit indices expected");

std::string flag_name(int flag, bool linear_solver = false) {
    char* name = linear_solver ? IDAGetLinReturnFlagName(flag) : IDAGetReturnFlagName(flag);
    std::string s = name ? name : "?";
    std::free(name);
    return s;
}

// IDA with the KLU direct solver on the fixed sparse pattern; RAII over every SUNDIALS object.
struct ida_session {
    const jacobian_pattern& pat;
    const dae_callbacks& cb;
    SUNContext ctx = nullptr;
    void* mem = nullptr;
    N_Vector y = nullptr, yp = nullptr, atol = nullptr, id = nullptr;
    SUNMatrix A = nullptr;
    SUNLinearSolver LS = nullptr;
    std::string last_error; // IDA's own message for the latest failure

    ida_session(const jacobian_pattern& p, const dae_callbacks& c, const std::vector<double>& abs_tol,
                const std::vector<double>& y0, const transient_options& o, double max_step)
        : pat(p), cb(c) {
        const auto n = static_cast<sunindextype>(p.n);
        if (SUNContext_Create(nullptr, &ctx) != 0)
            throw solvers::integration_error("SUNContext_Create failed");
        y = N_VNew_Serial(n, ctx);
        yp = N_VNew_Serial(n, ctx);
        atol = N_VNew_Serial(n, ctx);
        id = N_VNew_Serial(n, ctx);
        if (!y || !yp || !atol || !id) throw solvers::integration_error("IDA: out of memory");
        for (std::size_t k = 0; k < p.n; ++k) {
            NV_Ith_S(y, k) = y0[k];
            NV_Ith_S(yp, k) = 0.0;
            NV_Ith_S(atol, k) = abs_tol[k];
            NV_Ith_S(id, k) = k < p.nodes ? 0.0 : 1.0; // node voltages algebraic, states differential
        }
        mem = IDACreate(ctx);
        if (!mem) throw solvers::integration_error("IDACreate failed");
        check(IDASetErrHandlerFn(mem, on_error, this), "IDASetErrHandlerFn");
        check(IDAInit(mem, residual, 0.0, y, yp), "IDAInit");
        check(IDASetUserData(mem, this), "IDASetUserData");
        check(IDASVtolerances(mem, o.rtol, atol), "IDASVtolerances");
        check(IDASetId(mem, id), "IDASetId");
        // The node voltages are algebraic functions of the states and the drive: Newton holds them to
        // atol_v, and they are left out of the local error test, whose BDF predictor cannot know their
        // slope after a restart (IDACalcIC gives consistent y' for the states only).
        check(IDASetSuppressAlg(mem, SUNTRUE), "IDASetSuppressAlg");
        A = SUNSparseMatrix(n, n, static_cast<sunindextype>(p.nnz()), CSC_MAT, ctx);
        if (!A) throw solvers::integration_error("SUNSparseMatrix failed");
        LS = SUNLinSol_KLU(y, A, ctx);
        if (!LS) throw solvers::integration_error("SUNLinSol_KLU failed");
        // AMD: the node block is symmetric in pattern (COLAMD, SUNDIALS' default, is for unsymmetric ones)
        if (SUNLinSol_KLUSetOrdering(LS, 0) != 0)
            throw solvers::integration_error("SUNLinSol_KLUSetOrdering failed");
        check(IDASetLinearSolver(mem, LS, A), "IDASetLinearSolver", true);
        check(IDASetJacFn(mem, jacobian), "IDASetJacFn", true);
        if (std::isfinite(max_step)) check(IDASetMaxStep(mem, max_step), "IDASetMaxStep");
        // Only the states' diagonal of the Jacobian depends on cj = alpha / h; the circuit part, whose
        // factorization is the cost, does not. Refactor when cj changed by 3x, not IDA's default 1.67x:
        // half the Jacobians for the same steps on a 32 x 32 write (473 against 1159).
        check(IDASetDeltaCjLSetup(mem, 0.5), "IDASetDeltaCjLSetup");
    }
    ~ida_session() {
        if (mem) IDAFree(&mem);
        if (LS) SUNLinSolFree(LS);
        if (A) SUNMatDestroy(A);
        for (N_Vector v : {y, yp, atol, id})
            if (v) N_VDestroy(v);
        if (ctx) SUNContext_Free(&ctx);
    }
    ida_session(const ida_session&) = delete;
    ida_session& operator=(const ida_session&) = delete;

    static int residual(sunrealtype t, N_Vector yy, N_Vector ypp, N_Vector rr, void* user) {
        const auto* self = static_cast<const ida_session*>(user);
        return self->cb.residual(t, N_VGetArrayPointer(yy), N_VGetArrayPointer(ypp), N_VGetArrayPointer(rr),
                                 self->cb.user);
    }
    static int jacobian(sunrealtype t, sunrealtype cj, N_Vector yy, N_Vector, N_Vector, SUNMatrix J,
                        void* user, N_Vector, N_Vector, N_Vector) {
        const auto* self = static_cast<const ida_session*>(user);
        // IDA zeroes the matrix, pattern included, before each call: restore the pattern, then the values.
        std::copy(self->pat.colptr.begin(), self->pat.colptr.end(), SUNSparseMatrix_IndexPointers(J));
        std::copy(self->pat.rowval.begin(), self->pat.rowval.end(), SUNSparseMatrix_IndexValues(J));
        return self->cb.jacobian(t, cj, N_VGetArrayPointer(yy), SUNSparseMatrix_Data(J), self->cb.user);
    }
    static void on_error(int code, const char* module, const char* function, char* msg, void* user) {
        if (code >= 0) return; // warnings
        auto* self = static_cast<ida_session*>(user);
        self->last_error = std::string(module ? module : "IDA") + "::" + (function ? function : "?") + ": " +
                           (msg ? msg : "");
    }

    void check(int flag, const char* what, bool linear_solver = false) const {
        if (flag < 0)
            throw solvers::integration_error(std::string("IDA ") + what + " failed with flag " +
                                             std::to_string(flag) + " (" + flag_name(flag, linear_solver) +
                                             ")" + (last_error.empty() ? "" : ": " + last_error));
    }

    [[noreturn]] void fail(const char* what, int flag, double t) const {
        double h = 0.0, t_cur = t;
        long steps = 0;
        IDAGetCurrentStep(mem, &h);
        IDAGetCurrentTime(mem, &t_cur);
        IDAGetNumSteps(mem, &steps);
        std::ostringstream s;
        s.precision(10);
        s << "IDA " << what << " failed at t = " << t_cur << " s (step " << h << " s, " << steps
          << " steps since the last restart) with flag " << flag << " (" << flag_name(flag) << ")";
        if (!last_error.empty()) s << ": " << last_error;
        throw solvers::integration_error(s.str());
    }

    // Consistent node voltages and state derivatives at t0 for the drive on [t0, t1].
    void consistent_ic(double t0, double t1) {
        const int flag = IDACalcIC(mem, IDA_YA_YDP_INIT, t1);
        if (flag < 0)
            fail("IDACalcIC (consistent node voltages and state slopes at a start or restart)", flag, t0);
        check(IDAGetConsistentIC(mem, y, yp), "IDAGetConsistentIC");
    }

    void collect(transient_stats& st) const {
        long v = 0;
        IDAGetNumSteps(mem, &v);
        st.steps += v;
        IDAGetNumResEvals(mem, &v);
        st.residual_evaluations += v;
        IDAGetNumJacEvals(mem, &v);
        st.jacobian_evaluations += v;
        IDAGetNumNonlinSolvIters(mem, &v);
        st.nonlinear_iterations += v;
        IDAGetNumErrTestFails(mem, &v);
        st.error_test_failures += v;
    }

    void restart(double t0, double t1, transient_stats& st) {
        collect(st);
        ++st.restarts;
        check(IDAReInit(mem, t0, y, yp), "IDAReInit");
        consistent_ic(t0, t1);
        check(IDASetStopTime(mem, t1), "IDASetStopTime");
    }
};

// A model that keeps pushing its state out through a bound makes every step end in a clamp and a restart.
constexpr long max_clamps = 20000;

} // namespace

std::vector<double> run_dae(const jacobian_pattern& pattern, const std::vector<double>& atol,
                            std::vector<double> y0, const std::vector<double>& edges,
                            const std::vector<double>& times, const transient_options& o,
                            const dae_callbacks& cb, transient_stats& stats) {
    const double sample_dt = times.size() > 1 ? times[1] - times[0] : edges.back();
    ida_session ida(pattern, cb, atol, y0, o, std::min(o.max_step, sample_dt));
    double* y = N_VGetArrayPointer(ida.y);
    std::size_t k = 0;
    long steps = 0;
    for (std::size_t s = 0; s + 1 < edges.size(); ++s) {
        const double a = edges[s], b = edges[s + 1];
        // Inside a segment the drives are smooth; at a breakpoint they are evaluated a hair inside it
        // (1e-9 of the segment, at least a few ulps): evaluating at the breakpoint itself would give
        // either side of a jump, depending on rounding in the waveform's phase. Output times within a
        // hair of the current time are taken as reached.
        const double ulp = std::nextafter(b, 2.0 * b + 1.0) - b;
        const double hair = std::min(std::max(1e-9 * (b - a), 16.0 * ulp), 0.25 * (b - a));
        cb.segment(s == 0 ? a : a + hair, s + 2 == edges.size() ? b : b - hair, cb.user);
        if (s == 0) {
            ida.consistent_ic(a, b);
            ida.check(IDASetStopTime(ida.mem, b), "IDASetStopTime");
        } else {
            ida.restart(a, b, stats);
        }
        double t = a, stop = b;
        while (true) {
            // Every output time is a step's end (a stop time), so the recorded node voltages are solved,
            // not interpolated: interpolated ones would satisfy KCL only to the interpolation error.
            const bool done = t >= b - hair;
            const double due = done ? b + hair : t + hair;
            while (k < times.size() && times[k] <= due)
                cb.record(times[k++], y, cb.user);
            if (done) break;
            const double next = k < times.size() && times[k] < b - hair ? times[k] : b;
            if (next != stop) {
                stop = next;
                ida.check(IDASetStopTime(ida.mem, stop), "IDASetStopTime");
            }
            const int flag = IDASolve(ida.mem, stop, &t, ida.y, ida.yp, IDA_ONE_STEP);
            if (flag < 0) ida.fail("IDASolve", flag, t);
            if (++steps > o.max_steps) {
                std::ostringstream m;
                m << "transient: more than " << o.max_steps << " steps before t = " << t
                  << " s (raise transient_options::max_steps)";
                throw solvers::integration_error(m.str());
            }
            if (cb.clamp(y, cb.user) && t < b - hair) {
                if (++stats.clamps > max_clamps) {
                    std::ostringstream m;
                    m << "transient: a device state left its physical bounds " << max_clamps
                      << " times (last at t = " << t
                      << " s): the model drives the state outward at a bound instead of stopping there";
                    throw solvers::integration_error(m.str());
                }
                ida.restart(t, b, stats);
                stop = b;
            }
        }
    }
    while (k < times.size())
        cb.record(times[k++], y, cb.user);
    ida.collect(stats);
    return std::vector<double>(y, y + pattern.n);
}

} // namespace detail
} // namespace memxbar::crossbar
