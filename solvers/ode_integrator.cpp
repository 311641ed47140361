#include "solvers/ode_integrator.hpp"

namespace memxbar::solvers {

integrator parse_integrator(std::string_view name) {
    if (name == "cvode") return integrator::cvode;
    if (name == "rk") return integrator::rk;
    if (name == "rosenbrock") return integrator::rosenbrock;
    throw std::invalid_argument("--integrator '" + std::string(name) + "': expected cvode, rk or rosenbrock");
}

} // namespace memxbar::solvers
