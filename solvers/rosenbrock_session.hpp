// Boost.Odeint's rosenbrock4 (stiff, 4th order, dense output) behind a non-template interface. Its
// uBLAS containers do not compile as C++20 with Boost 1.74 (std::allocator::construct was removed), so
// rosenbrock_session.cpp alone is built as C++17 and the templated drivers reach it through this header.
#pragma once

#include "solvers/cvode_session.hpp" // cvode_problem: the same (rhs, jac, user) description

#include <memory>
#include <utility>

namespace memxbar::solvers {

struct rosenbrock_problem {
    std::size_t n = 0;
    int (*rhs)(double t, const double* y, double* ydot, void* user) = nullptr;
    // J row-major (n*n) and dF/dt (n).
    int (*jac)(double t, const double* y, double* J, double* dfdt, void* user) = nullptr;
    void* user = nullptr;
    double rtol = 1e-6, atol = 1e-9, max_step = 0.0;
};

class rosenbrock_session {
  public:
    explicit rosenbrock_session(const rosenbrock_problem& problem);
    ~rosenbrock_session();
    rosenbrock_session(const rosenbrock_session&) = delete;
    rosenbrock_session& operator=(const rosenbrock_session&) = delete;

    void initialize(const double* y0, double t0, double h0);
    std::pair<double, double> do_step(); // the interval of the step just taken
    void calc_state(double t, double* out) const;
    [[nodiscard]] const double* current_state() const;
    [[nodiscard]] double current_time_step() const;

  private:
    struct impl;
    std::unique_ptr<impl> d_;
};

} // namespace memxbar::solvers
