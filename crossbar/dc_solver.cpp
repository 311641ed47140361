#include "crossbar/dc_solver.hpp"

#include "crossbar/line_pcg.hpp"
#include "crossbar/nodal.hpp"
#include "devices/registry.hpp"

#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace memxbar::crossbar {

Eigen::MatrixXd ideal_currents(const Eigen::MatrixXd& V, const Eigen::Ref<const Eigen::MatrixXd>& G) {
    return V * G;
}

namespace {

using sparse = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;

// Node voltage of any id: an unknown, the ground, or an input source.
struct voltages {
    const double* x;
    const double* v_in;
    [[nodiscard]] double operator()(int id) const {
        return id >= 0 ? x[id] : id == ground_node ? 0.0 : v_in[source_index(id)];
    }
};

// The assembled nodal matrix with a value map, so re-stamping new device conductances (Newton) only
// rewrites numbers; the pattern and its AMD analysis are done once.
class nodal_matrix {
  public:
    explicit nodal_matrix(const nodal_topology& t) {
        const std::size_t n = t.unknowns();
        std::vector<Eigen::Triplet<double, int>> trip;
        auto add = [&](int a, int b) {
            if (a >= 0) trip.emplace_back(a, a, 0.0);
            if (b >= 0) trip.emplace_back(b, b, 0.0);
            if (a >= 0 && b >= 0) {
                trip.emplace_back(a, b, 0.0);
                trip.emplace_back(b, a, 0.0);
            }
        };
        for (const auto& e : t.fixed_edges())
            add(e.a, e.b);
        for (std::size_t i = 0; i < t.rows(); ++i)
            for (std::size_t j = 0; j < t.cols(); ++j)
                add(t.row_node(i, j), t.col_node(i, j));
        A_.resize(static_cast<int>(n), static_cast<int>(n));
        A_.setFromTriplets(trip.begin(), trip.end());
        A_.makeCompressed();
        base_.assign(static_cast<std::size_t>(A_.nonZeros()), 0.0);
        for (const auto& e : t.fixed_edges())
            stamp(base_.data(), position(e.a, e.b), e.g);
        cells_.reserve(t.rows() * t.cols());
        for (std::size_t i = 0; i < t.rows(); ++i)
            for (std::size_t j = 0; j < t.cols(); ++j)
                cells_.push_back(position(t.row_node(i, j), t.col_node(i, j)));
    }

    // A = fixed part + sum over cells of g_k stamped between its row and column node.
    template <class G> const sparse& assemble(G&& g_of_cell) {
        double* v = A_.valuePtr();
        std::copy(base_.begin(), base_.end(), v);
        for (std::size_t k = 0; k < cells_.size(); ++k)
            stamp(v, cells_[k], g_of_cell(k));
        return A_;
    }
    [[nodiscard]] const sparse& matrix() const { return A_; }

  private:
    struct slots {
        int aa = -1, bb = -1, ab = -1, ba = -1;
    };
    int index(int r, int c) const {
        const int* inner = A_.innerIndexPtr();
        const int* outer = A_.outerIndexPtr();
        const int* it = std::lower_bound(inner + outer[c], inner + outer[c + 1], r);
        return static_cast<int>(it - inner);
    }
    slots position(int a, int b) const {
        slots s;
        if (a >= 0) s.aa = index(a, a);
        if (b >= 0) s.bb = index(b, b);
        if (a >= 0 && b >= 0) {
            s.ab = index(a, b);
            s.ba = index(b, a);
        }
        return s;
    }
    static void stamp(double* v, const slots& s, double g) {
        if (s.aa >= 0) v[s.aa] += g;
        if (s.bb >= 0) v[s.bb] += g;
        if (s.ab >= 0) v[s.ab] -= g;
        if (s.ba >= 0) v[s.ba] -= g;
    }
    sparse A_;
    std::vector<double> base_;
    std::vector<slots> cells_;
};

// Everything a solve needs to turn node voltages into the outputs.
template <class Law> struct evaluator {
    const nodal_topology& t;
    const Law& law;

    // KCL residual: net current leaving each unknown node.
    void residual(const voltages& u, double* F) const {
        std::fill(F, F + t.unknowns(), 0.0);
        for (const auto& e : t.fixed_edges()) {
            const double i = e.g * (u(e.a) - u(e.b));
            if (e.a >= 0) F[e.a] += i;
            if (e.b >= 0) F[e.b] -= i;
        }
        const std::size_t M = t.cols();
        for (std::size_t i = 0; i < t.rows(); ++i)
            for (std::size_t j = 0; j < M; ++j) {
                const int a = t.row_node(i, j), b = t.col_node(i, j);
                const double cur = law.current(i * M + j, u(a) - u(b));
                if (a >= 0) F[a] += cur;
                if (b >= 0) F[b] -= cur;
            }
    }

    // Outputs of one solved input vector into row k of the result.
    void outputs(const voltages& u, const dc_options& o, dc_result& r, Eigen::Index k) const {
        const std::size_t N = t.rows(), M = t.cols();
        for (std::size_t j = 0; j < M; ++j) {
            double I = 0.0;
            if (t.g_out() > 0.0) {
                I = t.g_out() * u(t.sense_node(j));
            } else {
                for (std::size_t i = 0; i < N; ++i)
                    I += law.current(i * M + j, u(t.row_node(i, j)));
            }
            r.currents(k, static_cast<Eigen::Index>(j)) = I;
        }
        double p = 0.0, total = 0.0;
        for (std::size_t i = 0; i < N; ++i) {
            const double vi = u.v_in[i];
            double I = 0.0;
            if (t.g_in() > 0.0) {
                I = t.g_in() * (vi - u(t.drive_node(i)));
                if (t.both_ends()) I += t.g_in() * (vi - u(t.drive_node_right(i)));
            } else {
                for (std::size_t j = 0; j < M; ++j)
                    I += law.current(i * M + j, vi - u(t.col_node(i, j)));
            }
            total += I;
            p += vi * I;
        }
        r.power(k) = p;
        r.source_current(k) = total;
        if (o.node_voltages) {
            for (std::size_t c = 0; c < N * M; ++c) {
                r.v_row(k, static_cast<Eigen::Index>(c)) = u(t.row_node(c / M, c % M));
                r.v_col(k, static_cast<Eigen::Index>(c)) = u(t.col_node(c / M, c % M));
            }
        }
    }
};

double max_abs(const double* x, std::size_t n) {
    double m = 0.0;
    for (std::size_t k = 0; k < n; ++k)
        m = std::max(m, std::abs(x[k]));
    return m;
}

// Newton on the node voltages x (warm-started), with each step scaled so that no device voltage
// moves by more than the law's step limit. `solve_linear(g, rhs, dx)` solves J dx = rhs for device
// conductances g. Returns iterations; throws convergence_error with the residual when it fails.
template <class Law, class Solve>
int newton(const nodal_topology& t, const Law& law, const double* v_in, std::vector<double>& x,
           const dc_options& o, Solve&& solve_linear, double& final_residual) {
    const std::size_t n = t.unknowns(), N = t.rows(), M = t.cols();
    const evaluator<Law> ev{t, law};
    std::vector<double> F(n), dx(n), g(N * M), vd(N * M);
    const double vscale = std::max(max_abs(v_in, N), 1e-30);
    for (int it = 1; it <= o.newton_max_iterations; ++it) {
        const voltages u{x.data(), v_in};
        for (std::size_t i = 0; i < N; ++i)
            for (std::size_t j = 0; j < M; ++j) {
                const std::size_t k = i * M + j;
                vd[k] = u(t.row_node(i, j)) - u(t.col_node(i, j));
                g[k] = law.conductance(k, vd[k]);
            }
        ev.residual(u, F.data());
        for (double& f : F)
            f = -f;
        solve_linear(g, F, dx);
        // largest change of any device voltage this step would make
        double dv_max = 0.0;
        for (std::size_t i = 0; i < N; ++i)
            for (std::size_t j = 0; j < M; ++j) {
                const int a = t.row_node(i, j), b = t.col_node(i, j);
                const double d = (a >= 0 ? dx[a] : 0.0) - (b >= 0 ? dx[b] : 0.0);
                dv_max = std::max(dv_max, std::abs(d));
            }
        const double scale = dv_max > law.step_limit() ? law.step_limit() / dv_max : 1.0;
        for (std::size_t q = 0; q < n; ++q)
            x[q] += scale * dx[q];
        const double step = scale * max_abs(dx.data(), n);
        if (scale == 1.0 && step <= o.newton_tolerance * vscale) {
            const voltages uf{x.data(), v_in};
            ev.residual(uf, F.data());
            final_residual = std::max(final_residual, max_abs(F.data(), n));
            return it;
        }
    }
    const voltages u{x.data(), v_in};
    ev.residual(u, F.data());
    std::ostringstream s;
    s << "Newton did not converge in " << o.newton_max_iterations << " iterations: largest KCL residual "
      << max_abs(F.data(), n) << " A (input amplitude " << vscale
      << " V); try smaller inputs or a smaller sinh b";
    throw convergence_error(s.str());
}

// A x = B for many right-hand sides at once. Eigen's sparse triangular solves take one right-hand side
// at a time and so stream the whole factor once per column; here the right-hand sides are rows of a
// row-major block, so each entry of L is read once and updates a contiguous row (vectorised axpy).
template <class Factor> Eigen::MatrixXd solve_many(const Factor& f, const sparse& B) {
    using block = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Index n = B.rows();
    block Y = f.permutationP() * Eigen::MatrixXd(B);
    const auto& L = f.matrixL().nestedExpression(); // unit lower triangular, CSC, diagonal stored first
    const int* outer = L.outerIndexPtr();
    const int* inner = L.innerIndexPtr();
    const double* val = L.valuePtr();
    for (Eigen::Index c = 0; c < n; ++c) // forward: L z = y
        for (int q = outer[c]; q < outer[c + 1]; ++q)
            if (inner[q] > c) Y.row(inner[q]).noalias() -= val[q] * Y.row(c);
    Y.array().colwise() /= f.vectorD().array();
    for (Eigen::Index c = n; c-- > 0;) // backward: L^T w = z
        for (int q = outer[c]; q < outer[c + 1]; ++q)
            if (inner[q] > c) Y.row(c).noalias() -= val[q] * Y.row(inner[q]);
    return f.permutationPinv() * Eigen::MatrixXd(Y);
}

dc_result make_result(std::size_t K, std::size_t N, std::size_t M, const dc_options& o) {
    dc_result r;
    r.currents.resize(static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(M));
    r.power.resize(static_cast<Eigen::Index>(K));
    r.source_current.resize(static_cast<Eigen::Index>(K));
    if (o.node_voltages) {
        r.v_row.resize(static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(N * M));
        r.v_col.resize(static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(N * M));
    }
    return r;
}

template <class Law>
dc_result solve_direct(const nodal_topology& t, const Law& law, const Eigen::MatrixXd& V,
                       const dc_options& o) {
    const std::size_t N = t.rows(), M = t.cols(), K = static_cast<std::size_t>(V.rows()), n = t.unknowns();
    dc_result r = make_result(K, N, M, o);
    const evaluator<Law> ev{t, law};
    const Eigen::MatrixXd Vt = V.transpose(); // column k = input vector k, contiguous
    if (n == 0) {                             // the ideal array: every node is a source or the ground
        r.method = "ideal";
        for (std::size_t k = 0; k < K; ++k)
            ev.outputs({nullptr, Vt.col(static_cast<Eigen::Index>(k)).data()}, o, r,
                       static_cast<Eigen::Index>(k));
        return r;
    }
    nodal_matrix A(t);
    Eigen::SimplicialLDLT<sparse, Eigen::Lower, Eigen::AMDOrdering<int>> ldlt;
    ldlt.analyzePattern(A.matrix());
    // small-signal conductances: the linear answer, and Newton's first guess
    ldlt.factorize(A.assemble([&](std::size_t k) { return law.conductance(k, 0.0); }));
    if (ldlt.info() != Eigen::Success)
        throw convergence_error("the nodal matrix is singular (a floating node?)");
    // Right-hand sides from the sources: b = B v_in.
    sparse B(static_cast<int>(n), static_cast<int>(N));
    {
        std::vector<Eigen::Triplet<double, int>> trip;
        for (const auto& e : t.fixed_edges()) {
            if (is_source(e.a) && e.b >= 0) trip.emplace_back(e.b, static_cast<int>(source_index(e.a)), e.g);
        }
        for (std::size_t i = 0; i < N; ++i)
            for (std::size_t j = 0; j < M; ++j) {
                const int a = t.row_node(i, j), b = t.col_node(i, j);
                if (is_source(a) && b >= 0)
                    trip.emplace_back(b, static_cast<int>(i), law.conductance(i * M + j, 0.0));
            }
        B.setFromTriplets(trip.begin(), trip.end());
    }
    if constexpr (Law::is_linear) {
        if (K > N && !o.node_voltages) {
            // Superposition: N solves give the transfer matrix T (N x M), then I = V T for the whole batch.
            r.method = "direct (transfer matrix)";
            const Eigen::MatrixXd X = solve_many(ldlt, B);
            Eigen::MatrixXd T(static_cast<Eigen::Index>(N), static_cast<Eigen::Index>(M));
            dc_result unit = make_result(1, N, M, o);
            Eigen::VectorXd e = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(N));
            for (std::size_t i = 0; i < N; ++i) {
                e.setZero();
                e(static_cast<Eigen::Index>(i)) = 1.0;
                ev.outputs({X.col(static_cast<Eigen::Index>(i)).data(), e.data()}, o, unit, 0);
                T.row(static_cast<Eigen::Index>(i)) = unit.currents.row(0);
            }
            r.currents.noalias() = V * T;
            // Source currents are linear in the inputs too, I_in = Y V_in with the input admittance Y
            // from the same N solves; power P = V_in . I_in.
            Eigen::MatrixXd Y(static_cast<Eigen::Index>(N), static_cast<Eigen::Index>(N)); // input admittance
            for (std::size_t i = 0; i < N; ++i) {
                e.setZero();
                e(static_cast<Eigen::Index>(i)) = 1.0;
                for (std::size_t q = 0; q < N; ++q) {
                    const auto ii = static_cast<Eigen::Index>(i);
                    const double eq = e(static_cast<Eigen::Index>(q));
                    double Iq = 0.0;
                    if (t.g_in() > 0.0) {
                        Iq = t.g_in() * (eq - X(t.drive_node(q), ii));
                        if (t.both_ends()) Iq += t.g_in() * (eq - X(t.drive_node_right(q), ii));
                    } else
                        for (std::size_t j = 0; j < M; ++j) {
                            const int b = t.col_node(q, j);
                            Iq += law.conductance(q * M + j, 0.0) *
                                  (e(static_cast<Eigen::Index>(q)) -
                                   (b >= 0 ? X(b, static_cast<Eigen::Index>(i)) : 0.0));
                        }
                    Y(static_cast<Eigen::Index>(q), static_cast<Eigen::Index>(i)) = Iq;
                }
            }
            const Eigen::MatrixXd Iin = V * Y.transpose(); // K x N
            r.source_current = Iin.rowwise().sum();
            r.power = (V.array() * Iin.array()).rowwise().sum();
            return r;
        }
        r.method = "direct";
        const Eigen::MatrixXd X = ldlt.solve(Eigen::MatrixXd(B * Vt));
        for (std::size_t k = 0; k < K; ++k)
            ev.outputs(
                {X.col(static_cast<Eigen::Index>(k)).data(), Vt.col(static_cast<Eigen::Index>(k)).data()}, o,
                r, static_cast<Eigen::Index>(k));
        std::vector<double> F(n);
        for (std::size_t k = 0; k < K; ++k) {
            ev.residual(
                {X.col(static_cast<Eigen::Index>(k)).data(), Vt.col(static_cast<Eigen::Index>(k)).data()},
                F.data());
            r.residual = std::max(r.residual, max_abs(F.data(), n));
        }
        return r;
    } else {
        r.method = "direct";
        std::vector<double> x(n);
        Eigen::VectorXd rhs(static_cast<Eigen::Index>(n)), sol;
        for (std::size_t k = 0; k < K; ++k) {
            const double* vin = Vt.col(static_cast<Eigen::Index>(k)).data();
            sol = ldlt.solve(B * Vt.col(static_cast<Eigen::Index>(k))); // small-signal first guess
            std::copy(sol.data(), sol.data() + n, x.begin());
            auto lin = [&](const std::vector<double>& g, const std::vector<double>& F,
                           std::vector<double>& dx) {
                ldlt.factorize(A.assemble([&](std::size_t c) { return g[c]; }));
                if (ldlt.info() != Eigen::Success) throw convergence_error("Newton: singular Jacobian");
                std::copy(F.begin(), F.end(), rhs.data());
                sol = ldlt.solve(rhs);
                std::copy(sol.data(), sol.data() + n, dx.begin());
            };
            r.newton_iterations = std::max(r.newton_iterations, newton(t, law, vin, x, o, lin, r.residual));
            ev.outputs({x.data(), vin}, o, r, static_cast<Eigen::Index>(k));
        }
        return r;
    }
}

template <class Law>
dc_result solve_iterative(const crossbar_circuit& c, const nodal_topology& t, const Law& law,
                          const Eigen::MatrixXd& V, const dc_options& o) {
    const std::size_t N = t.rows(), M = t.cols(), K = static_cast<std::size_t>(V.rows()), n = t.unknowns();
    dc_result r = make_result(K, N, M, o);
    r.method = "pcg";
    const evaluator<Law> ev{t, law};
    const Eigen::MatrixXd Vt = V.transpose();
    line_pcg pcg(c);
    std::vector<double> g(N * M), x(n), b(n);
    for (std::size_t k = 0; k < N * M; ++k)
        g[k] = law.conductance(k, 0.0);
    for (std::size_t k = 0; k < K; ++k) {
        const double* vin = Vt.col(static_cast<Eigen::Index>(k)).data();
        pcg.set_conductances(g);
        std::fill(b.begin(), b.end(), 0.0);
        for (std::size_t i = 0; i < N; ++i) {
            b[t.drive_node(i)] += t.g_in() * vin[i];
            if (t.both_ends()) b[t.drive_node_right(i)] += t.g_in() * vin[i];
        }
        pcg.initial_guess(vin, x);
        r.linear_iterations =
            std::max(r.linear_iterations, pcg.solve(b, x, o.pcg_tolerance, o.pcg_max_iterations));
        if constexpr (!Law::is_linear) {
            auto lin = [&](const std::vector<double>& gg, const std::vector<double>& F,
                           std::vector<double>& dx) {
                pcg.set_conductances(gg);
                std::fill(dx.begin(), dx.end(), 0.0);
                r.linear_iterations =
                    std::max(r.linear_iterations, pcg.solve(F, dx, o.pcg_tolerance, o.pcg_max_iterations));
            };
            r.newton_iterations = std::max(r.newton_iterations, newton(t, law, vin, x, o, lin, r.residual));
        } else {
            std::vector<double> F(n);
            ev.residual({x.data(), vin}, F.data());
            r.residual = std::max(r.residual, max_abs(F.data(), n));
        }
        ev.outputs({x.data(), vin}, o, r, static_cast<Eigen::Index>(k));
    }
    return r;
}

} // namespace

template <class Law>
dc_result solve_dc(const crossbar_circuit& c, const Law& law, const Eigen::MatrixXd& V, const dc_options& o) {
    c.validate();
    if (V.cols() != static_cast<Eigen::Index>(c.rows))
        throw circuit_error("input vectors have " + std::to_string(V.cols()) + " voltages, the array has " +
                            std::to_string(c.rows) + " rows");
    if (law.cells() != c.cells())
        throw circuit_error("conductance matrix has " + std::to_string(law.cells()) +
                            " entries, the array has " + std::to_string(c.cells()) + " cells");
    const nodal_topology t(c);
    const bool structured = c.r_wire_row > 0.0 && c.r_wire_col > 0.0;
    dc_method m = o.method;
    if (m == dc_method::automatic) {
        const bool transfer = Law::is_linear && !o.node_voltages &&
                              static_cast<std::size_t>(V.rows()) > c.rows &&
                              t.unknowns() <= o.transfer_max_unknowns;
        m = (structured && !transfer && t.unknowns() > o.iterative_min_unknowns) ? dc_method::iterative
                                                                                 : dc_method::direct;
    }
    if (m == dc_method::iterative && !structured)
        throw circuit_error("the iterative solver needs wire resistance on rows and columns (r_wire > 0)");
    return m == dc_method::iterative ? solve_iterative(c, t, law, V, o) : solve_direct(t, law, V, o);
}

template dc_result solve_dc<linear_law>(const crossbar_circuit&, const linear_law&, const Eigen::MatrixXd&,
                                        const dc_options&);
template dc_result solve_dc<sinh_law>(const crossbar_circuit&, const sinh_law&, const Eigen::MatrixXd&,
                                      const dc_options&);

template dc_result solve_dc<series_selector_law<linear_law, sinh_selector>>(
    const crossbar_circuit&, const series_selector_law<linear_law, sinh_selector>&, const Eigen::MatrixXd&,
    const dc_options&);
// every switching model at a fixed state (Newton with the model's own dI/dv)
#define MEMXBAR_MODEL_LAW(M)                                                                                 \
    template dc_result solve_dc<model_law<devices::M>>(                                                      \
        const crossbar_circuit&, const model_law<devices::M>&, const Eigen::MatrixXd&, const dc_options&);
MEMXBAR_MODEL_LAW(hp_linear_drift)
MEMXBAR_MODEL_LAW(team)
MEMXBAR_MODEL_LAW(vteam)
MEMXBAR_MODEL_LAW(yakopcic)
MEMXBAR_MODEL_LAW(stanford_pku)
MEMXBAR_MODEL_LAW(pcm_electrothermal)
#undef MEMXBAR_MODEL_LAW

} // namespace memxbar::crossbar
