#include "crossbar/line_pcg.hpp"

#include "crossbar/dc_solver.hpp"

#include <cmath>
#include <sstream>

namespace memxbar::crossbar {

line_pcg::line_pcg(const crossbar_circuit& c)
    : N_(c.rows), M_(c.cols), g_wr_(1.0 / c.r_wire_row), g_wc_(1.0 / c.r_wire_col),
      g_in_(1.0 / (c.r_source + c.r_wire_row)), g_out_(1.0 / (c.r_wire_col + c.r_sense)),
      g_in_right_(c.drive_both_ends ? g_in_ : 0.0) {
    const std::size_t n = 2 * N_ * M_;
    row_c_.resize(N_ * M_);
    row_d_.resize(N_ * M_);
    col_c_.resize(N_ * M_);
    col_d_.resize(N_ * M_);
    r_.resize(n);
    z_.resize(n);
    p_.resize(n);
    q_.resize(n);
}

// Tridiagonal line with off-diagonal -w: diag(k) given, factor into c'_k and 1/denominator.
namespace {
template <class Diag> void thomas_factor(std::size_t len, double w, Diag diag, double* c, double* d) {
    double cprev = 0.0;
    for (std::size_t k = 0; k < len; ++k) {
        const double denom = diag(k) - (k > 0 ? -w * cprev : 0.0);
        d[k] = 1.0 / denom;
        c[k] = -w * d[k];
        cprev = c[k];
    }
}
} // namespace

void line_pcg::set_conductances(std::span<const double> g) {
    g_.assign(g.begin(), g.end());
    const std::size_t N = N_, M = M_;
    for (std::size_t i = 0; i < N; ++i)
        thomas_factor(
            M, g_wr_,
            [&](std::size_t j) {
                return g_[i * M + j] + g_wr_ * ((j > 0) + (j + 1 < M)) + (j == 0 ? g_in_ : 0.0) +
                       (j + 1 == M ? g_in_right_ : 0.0);
            },
            &row_c_[i * M], &row_d_[i * M]);
    // column lines, all M at once (Thomas recurrence along i, j innermost)
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < M; ++j) {
            const std::size_t k = i * M + j;
            const double diag = g_[k] + g_wc_ * ((i > 0) + (i + 1 < N)) + (i + 1 == N ? g_out_ : 0.0);
            const double denom = diag + (i > 0 ? g_wc_ * col_c_[k - M] : 0.0);
            col_d_[k] = 1.0 / denom;
            col_c_[k] = -g_wc_ * col_d_[k];
        }
}

void line_pcg::initial_guess(const double* v_in, std::vector<double>& x) const {
    for (std::size_t i = 0; i < N_; ++i)
        for (std::size_t j = 0; j < M_; ++j)
            x[i * M_ + j] = v_in[i];
    std::fill(x.begin() + static_cast<std::ptrdiff_t>(N_ * M_), x.end(), 0.0);
}

void line_pcg::apply(const double* x, double* y) const {
    const std::size_t N = N_, M = M_, NM = N * M;
    const double* xr = x;
    const double* xc = x + NM;
    double* yr = y;
    double* yc = y + NM;
    for (std::size_t i = 0; i < N; ++i) {
        const std::size_t o = i * M;
        for (std::size_t j = 0; j < M; ++j) { // device currents, row to column
            const double d = g_[o + j] * (xr[o + j] - xc[o + j]);
            yr[o + j] = d;
            yc[o + j] = -d;
        }
        for (std::size_t j = 0; j < M; ++j) { // row wires
            double s = 0.0;
            if (j > 0) s += xr[o + j] - xr[o + j - 1];
            if (j + 1 < M) s += xr[o + j] - xr[o + j + 1];
            yr[o + j] += g_wr_ * s;
        }
        yr[o] += g_in_ * xr[o];
        yr[o + M - 1] += g_in_right_ * xr[o + M - 1];
        for (std::size_t j = 0; j < M; ++j) { // column wires, to the rows above and below
            double s = 0.0;
            if (i > 0) s += xc[o + j] - xc[o + j - M];
            if (i + 1 < N) s += xc[o + j] - xc[o + j + M];
            yc[o + j] += g_wc_ * s;
        }
    }
    for (std::size_t j = 0; j < M; ++j)
        yc[NM - M + j] += g_out_ * xc[NM - M + j];
}

void line_pcg::precondition(const double* r, double* z) const {
    const std::size_t N = N_, M = M_, NM = N * M;
    for (std::size_t i = 0; i < N; ++i) { // each row line: forward z'_k = (r_k + w z'_{k-1}) d_k, then back
        const std::size_t o = i * M;
        double prev = 0.0;
        for (std::size_t j = 0; j < M; ++j) {
            prev = (r[o + j] + g_wr_ * prev) * row_d_[o + j];
            z[o + j] = prev;
        }
        for (std::size_t j = M - 1; j-- > 0;)
            z[o + j] -= row_c_[o + j] * z[o + j + 1];
    }
    const double* rc = r + NM;
    double* zc = z + NM;
    for (std::size_t j = 0; j < M; ++j)
        zc[j] = rc[j] * col_d_[j];
    for (std::size_t i = 1; i < N; ++i)
        for (std::size_t j = 0; j < M; ++j) {
            const std::size_t k = i * M + j;
            zc[k] = (rc[k] + g_wc_ * zc[k - M]) * col_d_[k];
        }
    for (std::size_t i = N - 1; i-- > 0;)
        for (std::size_t j = 0; j < M; ++j) {
            const std::size_t k = i * M + j;
            zc[k] -= col_c_[k] * zc[k + M];
        }
}

int line_pcg::solve(const std::vector<double>& b, std::vector<double>& x, double rel_tol,
                    int max_iterations) {
    const std::size_t n = x.size();
    apply(x.data(), q_.data());
    double bnorm = 0.0, rz = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        r_[k] = b[k] - q_[k];
        bnorm += b[k] * b[k];
    }
    bnorm = std::sqrt(bnorm);
    if (bnorm == 0.0) bnorm = 1.0;
    precondition(r_.data(), z_.data());
    for (std::size_t k = 0; k < n; ++k) {
        p_[k] = z_[k];
        rz += r_[k] * z_[k];
    }
    double rnorm = 0.0;
    for (int it = 0; it <= max_iterations; ++it) {
        rnorm = 0.0;
        for (std::size_t k = 0; k < n; ++k)
            rnorm += r_[k] * r_[k];
        rnorm = std::sqrt(rnorm);
        if (rnorm <= rel_tol * bnorm) return it;
        apply(p_.data(), q_.data());
        double pq = 0.0;
        for (std::size_t k = 0; k < n; ++k)
            pq += p_[k] * q_[k];
        const double alpha = rz / pq;
        for (std::size_t k = 0; k < n; ++k) {
            x[k] += alpha * p_[k];
            r_[k] -= alpha * q_[k];
        }
        precondition(r_.data(), z_.data());
        double rz_new = 0.0;
        for (std::size_t k = 0; k < n; ++k)
            rz_new += r_[k] * z_[k];
        const double beta = rz_new / rz;
        rz = rz_new;
        for (std::size_t k = 0; k < n; ++k)
            p_[k] = z_[k] + beta * p_[k];
    }
    std::ostringstream s;
    s << "conjugate gradients did not reach the relative residual " << rel_tol << " in " << max_iterations
      << " iterations (reached " << rnorm / bnorm << ")";
    throw convergence_error(s.str());
}

} // namespace memxbar::crossbar
