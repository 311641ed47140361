#include "snn/synapses.hpp"

#include "crossbar/dc_solver.hpp"
#include "snn/device_synapses.hpp"
#include "snn/errors.hpp"
#include "snn/trace_synapses.hpp"

#include <Eigen/Core>

namespace memxbar::snn {

rule_kind parse_rule(const std::string& name) {
    for (auto r : {rule_kind::trace_stdp, rule_kind::kbit_stdp, rule_kind::device_stdp, rule_kind::querlioz,
                   rule_kind::none})
        if (name == to_string(r)) return r;
    throw snn_error("unknown learning rule '" + name +
                    "'; known: trace_stdp, kbit_stdp, device_stdp, querlioz, none");
}

const char* to_string(rule_kind r) {
    switch (r) {
    case rule_kind::trace_stdp:
        return "trace_stdp";
    case rule_kind::kbit_stdp:
        return "kbit_stdp";
    case rule_kind::device_stdp:
        return "device_stdp";
    case rule_kind::querlioz:
        return "querlioz";
    case rule_kind::none:
        return "none";
    }
    return "?";
}

// Presets: a 1 ms peak and a 20 ms linearly decaying tail of the opposite sign (Serrano-Gotarredona
// 2013's shape). v = V_post - V_pre reaches A_peak_post - A_tail_pre for a causal pair (potentiation)
// and A_tail_post - A_peak_pre for an anti-causal one; each waveform alone stays below the thresholds.
device_stdp_params default_device_stdp(const std::string& model) {
    device_stdp_params p;
    if (model == "neurosim" || model == "soft_bounds" || model == "pcm_cumulative") {
        // Generic pulse models: thresholds 1 V, nominal pulse 1.5 V x 1 ms. A causal pair at dt -> 0
        // exceeds the threshold by 0.4 V for 1 ms: 0.8 nominal pulses; the window closes at ~14 ms.
        p.pre = {0.8, 1e-3, -0.6, 20e-3};
        p.post = {0.8, 1e-3, -0.6, 20e-3};
        p.v_th_pot = p.v_th_dep = 1.0;
        p.v_pulse_pot = p.v_pulse_dep = 1.5;
        p.t_pulse = 1e-3;
        return p;
    }
    if (model == "vteam") {
        // MemTorch VTEAM: v_on = -0.2 V (ON = potentiation; the device is mounted so that a positive
        // v = V_post - V_pre drives it negative), v_off = +0.02 V, switching in ns. Single waveforms must
        // stay within (-0.02, 0.2) V on the device, so depression (anti-causal peak < 0.04 V, k_off =
        // 5e-4 m/s) stays ~20x weaker than potentiation (k_on = -10 m/s): the device's asymmetry. The
        // device time runs 3e-6 of the network's (1 ms of waveform = 3 ns on the device).
        p.pre = {0.0199, 1e-3, -0.03, 20e-3};
        p.post = {0.195, 1e-3, -0.0199, 20e-3};
        p.time_scale = 3e-6;
        p.substeps = 4;
        return p;
    }
    if (model == "stanford_pku") {
        // Stanford-PKU: field threshold F_min, |V| > 1.05 V (small gap) to 1.39 V (large gap).
        p.pre = {0.6, 1e-3, -0.6, 20e-3};
        p.post = {0.6, 1e-3, -0.6, 20e-3};
        p.time_scale = 1e-6;
        p.substeps = 4;
        return p;
    }
    throw snn_error(
        "no device STDP preset for model '" + model +
        "' (presets: neurosim, soft_bounds, pcm_cumulative, vteam, stanford_pku); set custom_waveforms");
}

namespace {

// The exact circuit readout: each step's active rows get v_read, the others 0 V; the column currents of
// crossbar::solve_dc (wire resistance, source and sense resistances), minus the reference current of an
// all-G_off column, divided by v_read g_unit, are the column drive. Learning goes to the inner layer.
class circuit_readout final : public synapse_layer {
  public:
    circuit_readout(std::unique_ptr<synapse_layer> inner, const synapse_config& c)
        : synapse_layer(inner->n_inputs(), inner->n_outputs()), inner_(std::move(inner)), c_(c),
          G_(n_in_ * n_out_) {
        circuit_ = c.wires;
        circuit_.rows = n_in_;
        circuit_.cols = n_out_;
        circuit_.validate();
        V_ = Eigen::MatrixXd::Zero(1, static_cast<Eigen::Index>(n_in_));
    }
    void propagate(std::span<const std::uint32_t> rows, std::span<double> out) override {
        if (rows.empty()) return;
        inner_->conductances(G_);
        V_.setZero();
        for (const auto i : rows)
            V_(0, static_cast<Eigen::Index>(i)) = c_.v_read;
        const auto r = crossbar::solve_dc(circuit_, crossbar::linear_law{G_}, V_);
        const double ref = static_cast<double>(rows.size()) * c_.v_read * inner_->g_offset();
        const double unit = c_.v_read * inner_->g_unit();
        for (std::size_t j = 0; j < n_out_; ++j)
            out[j] += (r.currents(0, static_cast<Eigen::Index>(j)) - ref) / unit;
    }
    void on_pre(std::span<const std::uint32_t> rows, std::int64_t step) override {
        inner_->learning = learning;
        inner_->on_pre(rows, step);
    }
    void on_post(std::span<const std::uint32_t> cols, std::int64_t step) override {
        inner_->learning = learning;
        inner_->on_post(cols, step);
        stats = inner_->stats;
    }
    void advance(std::int64_t step) override {
        inner_->learning = learning;
        inner_->advance(step);
        stats = inner_->stats;
    }
    [[nodiscard]] bool busy(std::int64_t step) const override { return inner_->busy(step); }
    [[nodiscard]] std::span<const double> weights() const override { return inner_->weights(); }
    void set_weights(std::span<const double> w) override { inner_->set_weights(w); }
    bool scale_columns(std::span<const double> f) override { return inner_->scale_columns(f); }
    void conductances(std::span<double> G) const override { inner_->conductances(G); }
    [[nodiscard]] double g_unit() const override { return inner_->g_unit(); }
    [[nodiscard]] double g_offset() const override { return inner_->g_offset(); }

  private:
    std::unique_ptr<synapse_layer> inner_;
    synapse_config c_;
    crossbar::crossbar_circuit circuit_;
    std::vector<double> G_;
    Eigen::MatrixXd V_;
};

} // namespace

std::unique_ptr<synapse_layer> make_synapses(const synapse_config& c, std::size_t n_in, std::size_t n_out,
                                             double dt, std::uint64_t seed) {
    if (n_in == 0 || n_out == 0) throw snn_error("synapses: need at least one input and one output");
    check_range("dt", dt, 1e-7, 1e-2, "s", "time step");
    check_range("w_init_lo", c.w_init_lo, 0.0, 1.0, "", "lower end of the initial weights");
    check_range("w_init_hi", c.w_init_hi, c.w_init_lo, 1.0, "",
                "upper end of the initial weights, >= w_init_lo");
    std::unique_ptr<synapse_layer> layer;
    switch (c.rule) {
    case rule_kind::trace_stdp:
    case rule_kind::kbit_stdp:
        layer = make_trace_synapses(c, n_in, n_out, dt, seed);
        break;
    case rule_kind::none:
        layer = c.device_card.empty() ? make_trace_synapses(c, n_in, n_out, dt, seed)
                                      : make_device_synapses(c, n_in, n_out, dt, seed);
        layer->learning = false;
        break;
    case rule_kind::device_stdp:
    case rule_kind::querlioz:
        layer = make_device_synapses(c, n_in, n_out, dt, seed);
        break;
    }
    if (c.readout == readout_kind::circuit) {
        const bool learning = layer->learning;
        layer = std::make_unique<circuit_readout>(std::move(layer), c);
        layer->learning = learning;
    }
    return layer;
}

} // namespace memxbar::snn
