// Conductance-based leaky integrate-and-fire neurons with an adaptive threshold (Diehl & Cook 2015):
//
//   tau_m dv/dt = (E_rest + mu - v) + g_e (E_exc - v) + g_i (E_inh - v),   dg_e/dt = -g_e / tau_ge,
//   dg_i/dt = -g_i / tau_gi,   dtheta/dt = -theta / tau_theta,
//   spike when v > v_thresh + theta - theta_offset: v = v_reset, theta += theta_plus, refractory t_ref.
//
// g_e, g_i are dimensionless (in units of the leak conductance); mu (V) is a constant drive (R I) used by
// the f-I tests. Each step integrates v exactly for the conductances frozen at their start-of-step values
// (exponential Euler: exact for constant input), then decays g_e, g_i, theta exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace memxbar::snn {

struct lif_params {
    double tau_m = 0.1;        // s, membrane time constant
    double E_rest = -65e-3;    // V
    double E_exc = 0.0;        // V, excitatory reversal potential
    double E_inh = -100e-3;    // V, inhibitory reversal potential
    double v_reset = -65e-3;   // V
    double v_thresh = -52e-3;  // V
    double t_ref = 5e-3;       // s, refractory period (v held at v_reset)
    double tau_ge = 1e-3;      // s
    double tau_gi = 2e-3;      // s
    double theta0 = 0.0;       // V, initial adaptive threshold
    double theta_offset = 0.0; // V, subtracted from theta in the threshold
    double theta_plus = 0.0;   // V, threshold increase per spike (homeostasis)
    double tau_theta = 1e4;    // s, decay of theta
    double v_init = -65e-3;    // V, membrane potential at construction

    // Throws snn_error naming `who`.parameter, value and range.
    void validate(std::string_view who) const;
};

// Diehl & Cook (2015) public code: excitatory (theta0 = offset = 20 mV, theta_plus = 0.05 mV,
// tau_theta = 1e7 ms, v_init = E_rest - 40 mV) and inhibitory neurons.
lif_params diehl_cook_excitatory();
lif_params diehl_cook_inhibitory();

// N neurons of one kind, structure of arrays.
class lif_group {
  public:
    lif_group(std::size_t n, const lif_params& p, double dt);

    // Advance one step. Inputs arriving this step have already been added to g_e, g_i. The indices of
    // the neurons that fire are appended to `spikes` (cleared first). No allocation once `spikes` has
    // capacity for n entries.
    void step(std::vector<std::uint32_t>& spikes);

    // Closed-form evolution over `t` seconds without input or spikes (the rest between images): g_e,
    // g_i, theta decay exactly; v relaxes exactly once the conductances are gone. Conductances still
    // above 1e-6 are first stepped explicitly (they vanish within a few tau_ge).
    void rest(double t);

    [[nodiscard]] std::size_t size() const { return v.size(); }
    [[nodiscard]] const lif_params& params() const { return p_; }
    [[nodiscard]] double dt() const { return dt_; }
    [[nodiscard]] int refractory_steps() const { return n_ref_; }
    void reset_state(); // v = v_init, g = 0, no refractoriness (theta kept)

    bool adapt_theta = true; // false: theta frozen (test phase of Diehl & Cook)

    std::vector<double> v, g_e, g_i, theta, mu;
    std::vector<std::int32_t> ref_left; // steps of refractoriness left

  private:
    lif_params p_;
    double dt_;
    int n_ref_;
    double decay_e_, decay_i_, decay_theta_, leak_; // per-step factors
    std::vector<std::uint32_t> scratch_;
};

} // namespace memxbar::snn
