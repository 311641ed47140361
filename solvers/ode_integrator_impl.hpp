// Template definitions for ode_integrator.hpp. Internally each state variable is scaled by the width of
// its physical range (x / (max - min)), so one absolute tolerance means the same thing for a gap in
// metres and a temperature in kelvin; the integrator restarts at every breakpoint of the drive and
// after clamping a state that overshot its bounds.
#pragma once

#include <boost/numeric/odeint.hpp>

#include "solvers/cvode_session.hpp"
#include "solvers/rosenbrock_session.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace memxbar::solvers {
namespace detail {

// The device, its drive and the optional series resistor, seen as dy/dt = F(t, y) in scaled units.
template <devices::ode_model M> struct device_system {
    static constexpr std::size_t N = M::n_state;
    using params = typename M::params;
    using state = devices::state_vec<N>;

    const params& p;
    const waveform& drive;
    double r_series;
    std::array<double, N> scale{}, lo{}, hi{};

    device_system(const params& p_, const waveform& drive_, double r_series_)
        : p(p_), drive(drive_), r_series(r_series_) {
        const auto info = M::states();
        for (std::size_t k = 0; k < N; ++k) {
            lo[k] = info[k].min;
            hi[k] = info[k].max;
            const double w = hi[k] - lo[k];
            scale[k] = (std::isfinite(w) && w > 0.0) ? w : 1.0;
        }
    }

    state to_x(const double* y) const {
        state x;
        for (std::size_t k = 0; k < N; ++k)
            x[k] = y[k] * scale[k];
        return x;
    }

    // Voltage across the device: v_s = v + r I(v, x). I(0) = 0 and I rises with v for a passive device,
    // so the root lies between 0 and v_s; Newton, safeguarded by bisection on that bracket.
    double device_voltage(double v_source, const state& x) const {
        if (r_series <= 0.0 || v_source == 0.0) return v_source;
        double a = std::min(0.0, v_source), b = std::max(0.0, v_source);
        double v = 0.5 * (a + b);
        for (int it = 0; it < 200; ++it) {
            const double g = v + r_series * M::current(p, x, v) - v_source;
            if (g > 0.0)
                b = v;
            else
                a = v;
            const double dg = 1.0 + r_series * M::di_dv(p, x, v);
            double next = v - g / dg;
            if (!(next > a && next < b) || !std::isfinite(next)) next = 0.5 * (a + b);
            if (std::abs(next - v) <= 1e-15 * std::abs(v_source) || b - a <= 1e-15 * std::abs(v_source))
                return next;
            v = next;
        }
        return v;
    }

    void rhs(double t, const double* y, double* dydt) const {
        const state x = to_x(y);
        const double v = device_voltage(drive(t), x);
        state f{};
        M::dstate_dt(p, x, v, f);
        for (std::size_t k = 0; k < N; ++k)
            dydt[k] = f[k] / scale[k];
    }

    // J = dF/dy (row-major) and dF/dt, including the series resistor's coupling of v to the state.
    void jacobian(double t, const double* y, double* J, double* dfdt) const {
        const state x = to_x(y);
        const double v = device_voltage(drive(t), x);
        devices::state_jac<N> jx{};
        state fv{}, ix{};
        M::df_dx(p, x, v, jx);
        M::df_dv(p, x, v, fv);
        double dv_dvs = 1.0;
        state dv_dx{};
        if (r_series > 0.0) {
            M::di_dx(p, x, v, ix);
            const double denom = 1.0 + r_series * M::di_dv(p, x, v);
            dv_dvs = 1.0 / denom;
            for (std::size_t c = 0; c < N; ++c)
                dv_dx[c] = -r_series * ix[c] / denom;
        }
        const double dvdt = dv_dvs * drive.derivative(t);
        for (std::size_t r = 0; r < N; ++r) {
            for (std::size_t c = 0; c < N; ++c)
                J[r * N + c] = (jx[r * N + c] + fv[r] * dv_dx[c]) * scale[c] / scale[r];
            dfdt[r] = fv[r] * dvdt / scale[r];
        }
    }

    // Pull a state that overshot its physical bounds back inside; true if anything moved.
    bool clamp(double* y) const {
        bool moved = false;
        for (std::size_t k = 0; k < N; ++k) {
            const double x = y[k] * scale[k];
            const double c = std::clamp(x, lo[k], hi[k]);
            if (c != x) {
                y[k] = c / scale[k];
                moved = true;
            }
        }
        return moved;
    }
};

// rosenbrock_session seen through the dense-output stepper interface that run_dense uses.
template <std::size_t N> struct rosenbrock_adapter {
    using vec = std::array<double, N>;
    rosenbrock_session& s;
    void initialize(const vec& y, double t, double h) { s.initialize(y.data(), t, h); }
    template <class System> std::pair<double, double> do_step(System&) { return s.do_step(); }
    void calc_state(double t, vec& out) const { s.calc_state(t, out.data()); }
    vec current_state() const {
        vec v;
        std::copy_n(s.current_state(), N, v.begin());
        return v;
    }
    double current_time_step() const { return s.current_time_step(); }
};

// Collects the sampled trace.
template <devices::ode_model M> struct recorder {
    const device_system<M>& sys;
    trace& out;
    void operator()(double t, const double* y) const {
        const auto x = sys.to_x(y);
        const double v = sys.device_voltage(sys.drive(t), x);
        out.t.push_back(t);
        out.v.push_back(v);
        out.i.push_back(M::current(sys.p, x, v));
        for (double xk : x)
            out.x.push_back(xk);
    }
};

// A model that keeps pushing its state out through a bound (instead of stopping at it) makes every
// step end in a clamp and a restart; past this many the run stops with an error naming the time.
inline constexpr std::size_t max_clamps = 20000;
inline void count_clamp(std::size_t& clamps, double t) {
    if (++clamps > max_clamps) {
        std::ostringstream m;
        m << "the state left its physical bounds " << max_clamps << " times (last at t = " << t
          << " s): the model drives the state outward at a bound instead of stopping there";
        throw integration_error(m.str());
    }
}

inline std::vector<double> output_times(double t_end, double output_dt) {
    if (!(t_end > 0.0) || !std::isfinite(t_end))
        throw std::invalid_argument("duration must be a positive number of seconds");
    const double dt = output_dt > 0.0 ? output_dt : t_end / 1000.0;
    const auto n = static_cast<std::size_t>(std::ceil(t_end / dt - 1e-9));
    if (n > 100'000'000) throw std::invalid_argument("output_dt gives more than 1e8 samples");
    std::vector<double> times;
    times.reserve(n + 1);
    for (std::size_t k = 0; k < n; ++k)
        times.push_back(static_cast<double>(k) * dt);
    times.push_back(t_end);
    return times;
}

template <devices::ode_model M> trace make_trace() {
    trace tr;
    tr.n_state = M::n_state;
    for (const auto& s : M::states())
        tr.state_names.emplace_back(s.name);
    return tr;
}

inline void check_options(const integration_options& o) {
    if (!(o.rtol > 0.0 && o.rtol < 1.0)) throw std::invalid_argument("rtol must be in (0, 1)");
    if (!(o.atol > 0.0 && o.atol < 1.0))
        throw std::invalid_argument("atol must be in (0, 1) (fraction of each state's range)");
    if (!(o.r_series >= 0.0) || !std::isfinite(o.r_series))
        throw std::invalid_argument("series resistance must be >= 0 ohm");
    if (!(o.max_step > 0.0)) throw std::invalid_argument("max_step must be > 0 s");
}

// Runs an odeint dense-output stepper segment by segment between the drive's breakpoints.
template <class Stepper, class System, class Vec, class Record, class Clamp>
void run_dense(Stepper stepper, System system, Vec& y, const std::vector<double>& edges,
               const std::vector<double>& times, double h0, Record record_at, Clamp clamp,
               std::size_t max_steps, std::size_t& steps) {
    std::size_t k = 0, clamps = 0;
    Vec tmp = y;
    for (std::size_t s = 0; s + 1 < edges.size(); ++s) {
        const double a = edges[s], b = edges[s + 1];
        while (k < times.size() && times[k] <= a)
            record_at(times[k++], y);
        stepper.initialize(y, a, std::min(h0, b - a));
        while (true) {
            const auto [t0, t1] = stepper.do_step(system);
            (void)t0;
            if (++steps > max_steps) {
                std::ostringstream m;
                m << "more than " << max_steps << " steps before t = " << t1 << " s";
                throw integration_error(m.str());
            }
            const double end = std::min(t1, b);
            while (k < times.size() && times[k] <= end && (times[k] < b || s + 2 == edges.size())) {
                stepper.calc_state(times[k], tmp);
                clamp(tmp);
                record_at(times[k++], tmp);
            }
            if (t1 >= b) {
                if (t1 > b)
                    stepper.calc_state(b, y);
                else
                    y = stepper.current_state();
                clamp(y);
                break;
            }
            y = stepper.current_state();
            // Land the next step exactly on the breakpoint rather than integrating across a jump in
            // the drive (dopri5's error estimate does not see a jump inside its last stages).
            const double h = stepper.current_time_step();
            if (b - t1 <= 1e-12 * (b - a)) {
                clamp(y);
                break;
            }
            const bool clamped = clamp(y);
            if (clamped) count_clamp(clamps, t1);
            if (clamped || t1 + h > b) stepper.initialize(y, t1, std::min(h, b - t1));
        }
    }
    while (k < times.size())
        record_at(times[k++], y);
}

} // namespace detail

template <devices::ode_model M>
trace integrate(const typename M::params& p, devices::state_vec<M::n_state> x0, const waveform& drive,
                double t_end, const integration_options& opt) {
    namespace odeint = boost::numeric::odeint;
    constexpr std::size_t N = M::n_state;
    detail::check_options(opt);
    const detail::device_system<M> sys(p, drive, opt.r_series);
    const auto times = detail::output_times(t_end, opt.output_dt);
    const double sample_dt = times.size() > 1 ? times[1] - times[0] : t_end;
    // At most one output interval per step: threshold models are flat below threshold, and an
    // adaptive step must not leap over the part of the drive where they move.
    const double max_step = std::min(opt.max_step, sample_dt);
    std::vector<double> edges{0.0};
    for (double b : drive.breakpoints(0.0, t_end))
        edges.push_back(b);
    edges.push_back(t_end);

    trace out = detail::make_trace<M>();
    out.t.reserve(times.size());
    const detail::recorder<M> rec{sys, out};
    std::array<double, N> y0{};
    for (std::size_t k = 0; k < N; ++k)
        y0[k] = x0[k] / sys.scale[k];
    sys.clamp(y0.data());
    const double h0 = std::min(max_step, t_end * 1e-6);
    std::size_t steps = 0;

    switch (opt.method) {
    case integrator::rk: {
        using vec = std::array<double, N>;
        auto f = [&](const vec& y, vec& dydt, double t) { sys.rhs(t, y.data(), dydt.data()); };
        vec y = y0;
        detail::run_dense(
            odeint::make_dense_output(opt.atol, opt.rtol, max_step, odeint::runge_kutta_dopri5<vec>()), f, y,
            edges, times, h0, [&](double t, const vec& v) { rec(t, v.data()); },
            [&](vec& v) { return sys.clamp(v.data()); }, opt.max_steps, steps);
        break;
    }
    case integrator::rosenbrock: {
        using vec = std::array<double, N>;
        rosenbrock_problem prob;
        prob.n = N;
        prob.user = const_cast<void*>(static_cast<const void*>(&sys));
        prob.rhs = [](double t, const double* y, double* ydot, void* u) {
            static_cast<const detail::device_system<M>*>(u)->rhs(t, y, ydot);
            return 0;
        };
        prob.jac = [](double t, const double* y, double* J, double* dfdt, void* u) {
            static_cast<const detail::device_system<M>*>(u)->jacobian(t, y, J, dfdt);
            return 0;
        };
        prob.rtol = opt.rtol;
        prob.atol = opt.atol;
        prob.max_step = max_step;
        rosenbrock_session session(prob);
        vec y = y0;
        int unused_system = 0;
        detail::run_dense(
            detail::rosenbrock_adapter<N>{session}, unused_system, y, edges, times, h0,
            [&](double t, const vec& v) { rec(t, v.data()); }, [&](vec& v) { return sys.clamp(v.data()); },
            opt.max_steps, steps);
        break;
    }
    case integrator::cvode: {
        cvode_problem prob;
        prob.n = N;
        prob.user = const_cast<void*>(static_cast<const void*>(&sys));
        prob.rhs = [](double t, const double* y, double* ydot, void* u) {
            static_cast<const detail::device_system<M>*>(u)->rhs(t, y, ydot);
            return 0;
        };
        prob.jac = [](double t, const double* y, double* J, void* u) {
            std::array<double, N> dfdt{};
            static_cast<const detail::device_system<M>*>(u)->jacobian(t, y, J, dfdt.data());
            return 0;
        };
        prob.rtol = opt.rtol;
        prob.atol.assign(N, opt.atol);
        prob.max_step = max_step;
        prob.max_steps = static_cast<long>(std::min<std::size_t>(opt.max_steps, 2'000'000'000));
        std::array<double, N> y = y0, tmp{};
        cvode_session cv(prob, 0.0, y.data());
        std::size_t k = 0, clamps = 0;
        for (std::size_t s = 0; s + 1 < edges.size(); ++s) {
            const double a = edges[s], b = edges[s + 1];
            while (k < times.size() && times[k] <= a)
                rec(times[k++], y.data());
            if (s > 0) cv.reinit(a, y.data());
            double t = a;
            while (t < b) {
                const double t_prev = t;
                t = cv.step(b);
                if (++steps > opt.max_steps) throw integration_error("too many steps");
                while (k < times.size() && times[k] <= t && times[k] > t_prev &&
                       (times[k] < b || s + 2 == edges.size())) {
                    if (times[k] == t)
                        std::copy_n(cv.y(), N, tmp.begin());
                    else
                        cv.interpolate(times[k], tmp.data());
                    sys.clamp(tmp.data());
                    rec(times[k++], tmp.data());
                }
                std::copy_n(cv.y(), N, y.begin());
                if (sys.clamp(y.data()) && t < b) {
                    detail::count_clamp(clamps, t);
                    cv.reinit(t, y.data());
                }
            }
        }
        while (k < times.size())
            rec(times[k++], y.data());
        break;
    }
    }
    out.steps = steps;
    return out;
}

// Fixed-step explicit integration (odeint euler / runge_kutta4), one output row per step; for
// convergence-order studies and for comparing with fixed-step peers.
template <devices::ode_model M>
trace integrate_fixed(const typename M::params& p, devices::state_vec<M::n_state> x0, const waveform& drive,
                      double t_end, double dt, fixed_method method, double r_series = 0.0) {
    namespace odeint = boost::numeric::odeint;
    constexpr std::size_t N = M::n_state;
    if (!(dt > 0.0) || !(t_end > 0.0))
        throw std::invalid_argument("integrate_fixed: dt and t_end must be > 0");
    const detail::device_system<M> sys(p, drive, r_series);
    using vec = std::array<double, N>;
    auto f = [&](const vec& y, vec& dydt, double t) { sys.rhs(t, y.data(), dydt.data()); };
    vec y{};
    for (std::size_t k = 0; k < N; ++k)
        y[k] = x0[k] / sys.scale[k];
    trace out = detail::make_trace<M>();
    const detail::recorder<M> rec{sys, out};
    const auto n = static_cast<std::size_t>(std::llround(t_end / dt));
    rec(0.0, y.data());
    odeint::euler<vec> euler;
    odeint::runge_kutta4<vec> rk4;
    for (std::size_t s = 0; s < n; ++s) {
        const double t = static_cast<double>(s) * dt;
        if (method == fixed_method::euler)
            euler.do_step(f, y, t, dt);
        else
            rk4.do_step(f, y, t, dt);
        sys.clamp(y.data());
        rec(static_cast<double>(s + 1) * dt, y.data());
    }
    out.steps = n;
    return out;
}

} // namespace memxbar::solvers
