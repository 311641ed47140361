// A thin RAII wrapper around SUNDIALS CVODE (BDF, Newton, dense direct linear solver with a user
// Jacobian), so the templated drivers stay free of SUNDIALS' C API.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace memxbar::solvers {

struct cvode_problem {
    std::size_t n = 0;
    // dy/dt = rhs(t, y); jac fills J row-major (n*n). Return 0 on success, > 0 for a recoverable failure.
    int (*rhs)(double t, const double* y, double* ydot, void* user) = nullptr;
    int (*jac)(double t, const double* y, double* J, void* user) = nullptr;
    void* user = nullptr;
    double rtol = 1e-6;
    std::vector<double> atol; // per component
    double max_step = 0.0;    // 0 = unlimited
    long max_steps = 50'000'000;
};

class cvode_session {
  public:
    cvode_session(const cvode_problem& problem, double t0, const double* y0);
    ~cvode_session();
    cvode_session(const cvode_session&) = delete;
    cvode_session& operator=(const cvode_session&) = delete;

    // Restart from (t0, y0): after a breakpoint of the drive or a clamp of the state.
    void reinit(double t0, const double* y0);
    // One internal step, never past t_stop. Returns the time reached; the state is in y().
    double step(double t_stop);
    // Interpolated state at t inside the last step.
    void interpolate(double t, double* out) const;
    [[nodiscard]] const double* y() const;
    [[nodiscard]] long steps() const;

  private:
    struct impl;
    std::unique_ptr<impl> d_;
};

} // namespace memxbar::solvers
