#include "snn/lif.hpp"

#include "snn/errors.hpp"

#include <cmath>
#include <string>

namespace memxbar::snn {

void lif_params::validate(std::string_view who) const {
    const std::string w(who);
    check_range(w + ".tau_m", tau_m, 1e-6, 1e3, "s", "membrane time constant");
    check_range(w + ".tau_ge", tau_ge, 1e-6, 1e3, "s", "excitatory conductance time constant");
    check_range(w + ".tau_gi", tau_gi, 1e-6, 1e3, "s", "inhibitory conductance time constant");
    check_range(w + ".tau_theta", tau_theta, 1e-6, 1e12, "s", "adaptive threshold decay");
    check_range(w + ".t_ref", t_ref, 0.0, 1.0, "s", "refractory period");
    for (auto [name, value] : {std::pair{".E_rest", E_rest},
                               {".E_exc", E_exc},
                               {".E_inh", E_inh},
                               {".v_reset", v_reset},
                               {".v_thresh", v_thresh},
                               {".v_init", v_init},
                               {".theta0", theta0},
                               {".theta_offset", theta_offset}})
        check_range(w + name, value, -1.0, 1.0, "V", "membrane-scale voltage");
    check_range(w + ".theta_plus", theta_plus, 0.0, 1.0, "V", "threshold increase per spike");
    if (!(v_reset < v_thresh + theta0 - theta_offset))
        throw snn_error(w + ".v_reset = " + std::to_string(v_reset) +
                        " V must lie below the initial threshold v_thresh + theta0 - theta_offset = " +
                        std::to_string(v_thresh + theta0 - theta_offset) +
                        " V (else the neuron fires forever)");
}

lif_params diehl_cook_excitatory() {
    lif_params p;
    p.tau_m = 100e-3;
    p.E_rest = -65e-3;
    p.E_exc = 0.0;
    p.E_inh = -100e-3;
    p.v_reset = -65e-3;
    p.v_thresh = -52e-3;
    p.t_ref = 5e-3;
    p.tau_ge = 1e-3;
    p.tau_gi = 2e-3;
    p.theta0 = 20e-3;
    p.theta_offset = 20e-3;
    p.theta_plus = 0.05e-3;
    p.tau_theta = 1e4; // 1e7 ms
    p.v_init = -105e-3;
    return p;
}

lif_params diehl_cook_inhibitory() {
    lif_params p;
    p.tau_m = 10e-3;
    p.E_rest = -60e-3;
    p.E_exc = 0.0;
    p.E_inh = -85e-3;
    p.v_reset = -45e-3;
    p.v_thresh = -40e-3;
    p.t_ref = 2e-3;
    p.tau_ge = 1e-3;
    p.tau_gi = 2e-3;
    p.v_init = -100e-3;
    return p;
}

lif_group::lif_group(std::size_t n, const lif_params& p, double dt)
    : v(n, p.v_init), g_e(n, 0.0), g_i(n, 0.0), theta(n, p.theta0), mu(n, 0.0), ref_left(n, 0), p_(p),
      dt_(dt) {
    p.validate("lif");
    check_range("dt", dt, 1e-7, 1e-2, "s", "time step");
    n_ref_ = static_cast<int>(std::lround(p.t_ref / dt));
    decay_e_ = std::exp(-dt / p.tau_ge);
    decay_i_ = std::exp(-dt / p.tau_gi);
    decay_theta_ = std::exp(-dt / p.tau_theta);
    leak_ = std::exp(-dt / p.tau_m);
}

void lif_group::reset_state() {
    for (std::size_t k = 0; k < size(); ++k) {
        v[k] = p_.v_init;
        g_e[k] = g_i[k] = 0.0;
        ref_left[k] = 0;
    }
}

void lif_group::step(std::vector<std::uint32_t>& spikes) {
    spikes.clear();
    const std::size_t n = size();
    const double thresh0 = p_.v_thresh - p_.theta_offset;
    for (std::size_t k = 0; k < n; ++k) {
        const double ge = g_e[k], gi = g_i[k];
        if (ref_left[k] > 0) {
            --ref_left[k]; // v held at v_reset (Brian2's "unless refractory")
        } else {
            const double v_rest = p_.E_rest + mu[k];
            // Conductances below 1e-12 of the leak change nothing visible: skip the exp.
            if (ge + gi < 1e-12) {
                v[k] = v_rest + (v[k] - v_rest) * leak_;
            } else {
                const double gt = 1.0 + ge + gi;
                const double v_inf = (v_rest + ge * p_.E_exc + gi * p_.E_inh) / gt;
                v[k] = v_inf + (v[k] - v_inf) * std::exp(-dt_ * gt / p_.tau_m);
            }
            if (v[k] > thresh0 + theta[k]) {
                v[k] = p_.v_reset;
                ref_left[k] = n_ref_;
                if (adapt_theta) theta[k] += p_.theta_plus;
                spikes.push_back(static_cast<std::uint32_t>(k));
            }
        }
        g_e[k] = ge * decay_e_;
        g_i[k] = gi * decay_i_;
        if (adapt_theta) theta[k] *= decay_theta_;
    }
}

void lif_group::rest(double t) {
    if (!(t > 0.0)) return;
    // Step explicitly while conductances matter (a few tau_g), then closed form for the rest.
    double done = 0.0;
    auto active = [&] {
        for (std::size_t k = 0; k < size(); ++k)
            if (g_e[k] > 1e-6 || g_i[k] > 1e-6) return true;
        return false;
    };
    while (done + dt_ <= t && active()) {
        step(scratch_); // no input arrives during the rest; a neuron may still fire off its residue
        done += dt_;
    }
    const double left = t - done;
    const double leak = std::exp(-left / p_.tau_m);
    const double de = std::exp(-left / p_.tau_ge), di = std::exp(-left / p_.tau_gi);
    const double dth = adapt_theta ? std::exp(-left / p_.tau_theta) : 1.0;
    for (std::size_t k = 0; k < size(); ++k) {
        const double v_rest = p_.E_rest + mu[k];
        v[k] = v_rest + (v[k] - v_rest) * leak; // g below 1e-6: their effect on v is below 1e-6 relative
        g_e[k] *= de;
        g_i[k] *= di;
        theta[k] *= dth;
        ref_left[k] = 0;
    }
}

} // namespace memxbar::snn
