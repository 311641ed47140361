// What a device model is (see docs/devices/README.md): a parameter struct of SI doubles with the paper's
// defaults, a parameter table, and stateless kernels of (params, state, voltage). Kernels never throw.
#pragma once

#include "devices/parameter.hpp"

#include <array>
#include <concepts>
#include <cstddef>
#include <string_view>

namespace memxbar::devices {

template <std::size_t N> using state_vec = std::array<double, N>;
template <std::size_t N> using state_jac = std::array<double, N * N>; // row-major d f_r / d x_c

// Every model: identity, parameters, state, a read current I(v, x) and the conductance states that
// stuck-at faults pin a device to.
template <class M>
concept device_model = requires(const typename M::params& p, const state_vec<M::n_state>& x, double v) {
    { M::name } -> std::convertible_to<std::string_view>;
    { M::title } -> std::convertible_to<std::string_view>;
    { M::n_state } -> std::convertible_to<std::size_t>;
    { M::parameters() } -> std::convertible_to<param_table<typename M::params>>;
    { M::states() } -> std::convertible_to<std::span<const state_info>>;
    { M::initial_state(p) } -> std::same_as<state_vec<M::n_state>>;
    { M::on_state(p) } -> std::same_as<state_vec<M::n_state>>;  // lowest resistance the model reaches
    { M::off_state(p) } -> std::same_as<state_vec<M::n_state>>; // highest resistance
    { M::current(p, x, v) } -> std::same_as<double>;
    { M::di_dv(p, x, v) } -> std::same_as<double>;
};

// ODE models: dx/dt = f(v, x) with analytic partials for Newton and implicit integrators.
template <class M>
concept ode_model = device_model<M> &&
    requires(const typename M::params& p, const state_vec<M::n_state>& x, double v,
             state_vec<M::n_state>& out, state_jac<M::n_state>& jac) {
    M::dstate_dt(p, x, v, out);
    M::di_dx(p, x, v, out);
    M::df_dv(p, x, v, out);
    M::df_dx(p, x, v, jac);
};

// Pulse-response models (NeuroSim, PCM cumulative SET): discrete updates, not ODEs. `polarity` is +1
// (potentiate, towards the on state) or -1; `xi` is a standard normal draw for cycle-to-cycle noise.
template <class M>
concept pulse_model = device_model<M> &&
    requires(const typename M::params& p, state_vec<M::n_state>& x, int polarity, double xi) {
    M::apply_pulse(p, x, polarity, xi);
};

// Small-signal read conductance, the number every LTP/LTD plot shows.
template <device_model M>
inline double read_conductance(const typename M::params& p, const state_vec<M::n_state>& x, double v_read) {
    return M::current(p, x, v_read) / v_read;
}

} // namespace memxbar::devices
