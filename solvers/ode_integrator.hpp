// Time integration of one device's state ODE under a voltage drive, optionally through a series
// resistor. Three methods: Boost.Odeint adaptive Runge-Kutta (runge_kutta_dopri5, non-stiff),
// Boost.Odeint Rosenbrock (rosenbrock4, stiff, uses the model's analytic Jacobian) and SUNDIALS CVODE
// (BDF with Newton and the analytic Jacobian). Fixed-step methods exist for convergence studies.
#pragma once

#include "devices/model.hpp"
#include "solvers/waveform.hpp"

#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace memxbar::solvers {

enum class integrator { rk, rosenbrock, cvode };
enum class fixed_method { euler, rk4 }; // orders 1 and 4, for convergence studies

integrator parse_integrator(std::string_view name); // throws std::invalid_argument

struct integration_options {
    integrator method = integrator::cvode;
    double rtol = 1e-6;
    double atol = 1e-9;    // absolute tolerance on the state variables
    double r_series = 0.0; // ohm, resistor between the source and the device
    double max_step = std::numeric_limits<double>::infinity(); // s
    double output_dt = 0.0; // s, sampling interval of the trace; 0 = duration / 1000
    std::size_t max_steps = 50'000'000;
};

// A sampled trace: one row per output time.
struct trace {
    std::vector<std::string> state_names;
    std::vector<double> t, v, i; // time (s), device voltage (V), device current (A)
    std::vector<double> x;       // row-major: x[row * n_state + k]
    std::size_t n_state = 0;
    std::size_t steps = 0; // internal steps taken (accepted)
    [[nodiscard]] std::size_t rows() const { return t.size(); }
    [[nodiscard]] double state(std::size_t row, std::size_t k) const { return x[row * n_state + k]; }
};

// Thrown when the integrator gives up; the message carries time, step size and state.
struct integration_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace memxbar::solvers

#include "solvers/ode_integrator_impl.hpp" // template definitions:
// template <ode_model M> trace integrate(const typename M::params&, state_vec<M::n_state> x0,
//                                         const waveform&, double t_end, const integration_options&);
// template <ode_model M> trace integrate_fixed(const typename M::params&, state_vec<M::n_state> x0,
//                                               const waveform&, double t_end, double dt, fixed_method,
//                                               double r_series = 0);
