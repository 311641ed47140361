// Plastic synapses as a crossbar: rows = inputs (pre), columns = neurons (post). A layer stores the
// synaptic state (float weights or device states), delivers the column drive of the rows that spiked,
// and learns by one rule chosen at run time, once per layer. Inside, every loop over synapses is a
// template on the rule and the device model (dynamic dispatch per layer, static per element).
//
// Weights are dimensionless: w in [0, w_max] for float synapses; for devices w = (G - G_off) / (G_on -
// G_off) of the nominal device (a reference column carrying G_off per active row is subtracted, so a
// device at its off state contributes nothing), or (G+ - G-) / (G_on - G_off) for a differential pair.
#pragma once

#include "crossbar/circuit.hpp"
#include "snn/waveform.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace memxbar::snn {

enum class rule_kind {
    trace_stdp,  // ideal trace-based STDP on float weights (digital synapse)
    kbit_stdp,   // the same, weights kept on 2^k levels by stochastic rounding
    device_stdp, // device-level STDP: overlapping spike waveforms program the devices
    querlioz,    // simplified memristive STDP (Querlioz et al. 2013): LTP if the input fired within t_LTP
    none,        // static weights
};
rule_kind parse_rule(const std::string& name); // "trace_stdp", "kbit_stdp", "device_stdp", "querlioz", "none"
const char* to_string(rule_kind r);

enum class readout_kind {
    ideal,   // column drive = sum of the active rows' weights (the ideal product, event driven)
    circuit, // exact DC solve of the crossbar with wire resistance (crossbar::solve_dc), slow
};

// Trace STDP. With tau_post2 > 0 it is the triplet rule of Diehl & Cook's code: on a pre spike
// x_pre = 1, w -= eta_pre x_post1; on a post spike w += eta_post x_pre x_post2(before), then
// x_post1 = x_post2 = 1. With tau_post2 = 0 it is the pair rule: w += eta_post x_pre on a post spike.
// `accumulate`: traces add 1 per spike (all-to-all pairing, Song et al. 2000) instead of being set to 1.
struct trace_stdp_params {
    double tau_pre = 20e-3;   // s
    double tau_post1 = 20e-3; // s
    double tau_post2 = 40e-3; // s; 0 = pair rule
    double eta_pre = 1e-4;    // depression per pre spike (times x_post1)
    double eta_post = 1e-2;   // potentiation per post spike (times x_pre [x_post2])
    bool accumulate = false;
    double w_max = 1.0; // hard bound
};

// Querlioz et al. (2013): on a post spike, one potentiating pulse to every device whose input fired
// within t_LTP, one depressing pulse to all others. ODE devices get a rectangular voltage pulse.
struct querlioz_params {
    double t_LTP = 45e-3; // s
    int pulses_pot = 1;   // pulses per LTP event
    int pulses_dep = 1;   // pulses per LTD event
    double v_pot = 0.0;   // V, ODE devices only (0 = the model's preset)
    double v_dep = 0.0;   // V, ODE devices only (0 = the model's preset)
    double t_pulse = 0.0; // s of device time, ODE devices only (0 = the model's preset)
};

// How a device responds to the waveforms. Pulse-response models (NeuroSim, soft bounds, PCM) program
// only where |v| exceeds a threshold: the exceedance integral, in units of one nominal pulse of
// amplitude v_pulse and width t_pulse, n = int max(0, |v| - v_th) dt / ((v_pulse - v_th) t_pulse), is
// the number of identical pulses applied (its fraction as a keyed Bernoulli draw, so the mean is
// exact). ODE models (VTEAM, Stanford-PKU) integrate their state equation under v(t) directly, the
// device time running time_scale times faster than the network's (accelerated drivers; 1 = real time).
struct device_stdp_params {
    spike_waveform pre, post;
    double v_th_pot = 1.0, v_th_dep = 1.0;       // V, pulse models: programming thresholds
    double v_pulse_pot = 1.5, v_pulse_dep = 1.5; // V, pulse models: amplitude of one nominal pulse
    double t_pulse = 1e-3;                       // s, pulse models: width of one nominal pulse
    double time_scale = 1.0;                     // ODE models: device seconds per network second
    int substeps = 4;                            // ODE models: integration steps per network step
};

enum class pair_mode { automatic, single, differential };

struct synapse_config {
    rule_kind rule = rule_kind::trace_stdp;
    trace_stdp_params stdp;        // trace_stdp, kbit_stdp
    int bits = 4;                  // kbit_stdp: 2^bits levels on [0, w_max]
    std::string device_card;       // device rules: card name (devices/cards/NAME.toml) or path
    bool custom_waveforms = false; // false: the preset of the card's model (default_device_stdp)
    device_stdp_params waveforms;
    querlioz_params querlioz;
    // Device-to-device spread: the card's [variability.d2d] sigmas times d2d_scale; d2d_sigma >= 0 instead
    // puts a normal spread of that relative sigma on the model's main parameters (spread_parameters()).
    double d2d_scale = 1.0;
    double d2d_sigma = -1.0;
    pair_mode pairing = pair_mode::automatic; // automatic: differential for pcm_cumulative
    double refresh_fraction =
        0.9; // differential pairs: refresh when a device passes this fraction of its range
    double w_init_lo = 0.003, w_init_hi = 0.303; // initial weights U(lo, hi) (Diehl & Cook 0.3 (U + 0.01))
    readout_kind readout = readout_kind::ideal;
    crossbar::crossbar_circuit
        wires;           // circuit readout: wire and source/sense resistances (rows, cols set by the layer)
    double v_read = 0.1; // V, read pulse of an input spike (circuit readout, ODE read conductance)
};

// Preset waveforms and thresholds for a device model (by model name), with causal pairs potentiating
// and single waveforms below threshold. Throws snn_error for an unknown model.
device_stdp_params default_device_stdp(const std::string& model);

// Per-layer counters for benchmarks and tests.
struct synapse_stats {
    std::uint64_t device_updates = 0; // device integrations (hot pairs x steps, or pulses)
    std::uint64_t pulses = 0;         // pulses applied (pulse models)
    std::uint64_t refreshes = 0;      // differential-pair refreshes
};

class synapse_layer {
  public:
    virtual ~synapse_layer() = default;
    [[nodiscard]] std::size_t n_inputs() const { return n_in_; }
    [[nodiscard]] std::size_t n_outputs() const { return n_out_; }

    // out[j] += sum over the spiking rows i of w_ij (weight units; callers scale by a column gain).
    virtual void propagate(std::span<const std::uint32_t> rows, std::span<double> out) = 0;
    // Learning events at time step `step` (spikes are stamped with the step at whose start they count:
    // inputs of step k at k, neuron spikes found during step k at k + 1).
    virtual void on_pre(std::span<const std::uint32_t> rows, std::int64_t step) = 0;
    virtual void on_post(std::span<const std::uint32_t> cols, std::int64_t step) = 0;
    // End of step k: trace decay, integration of overlapping waveforms over [k dt, (k+1) dt].
    virtual void advance(std::int64_t step) = 0;
    // True while some waveform is still being driven (device STDP): the caller keeps stepping.
    [[nodiscard]] virtual bool busy(std::int64_t step) const { return (void)step, false; }

    // Weights, row-major n_inputs x n_outputs, in weight units.
    [[nodiscard]] virtual std::span<const double> weights() const = 0;
    // Program every synapse to a target weight (float: exact; devices: state set to the nearest).
    virtual void set_weights(std::span<const double> w) = 0;
    // Scale column j's float weights by factor[j] (Diehl & Cook's normalisation). Returns false if the
    // layer cannot (devices): the caller then uses a column gain instead.
    virtual bool scale_columns(std::span<const double> factor) = 0;
    // Conductance matrix (S, row-major) and the mapping w = (G - g_offset) / g_unit, for the circuit readout.
    virtual void conductances(std::span<double> G) const = 0;
    [[nodiscard]] virtual double g_unit() const = 0;
    [[nodiscard]] virtual double g_offset() const = 0;

    bool learning = true;
    synapse_stats stats;

  protected:
    synapse_layer(std::size_t n_in, std::size_t n_out) : n_in_(n_in), n_out_(n_out) {}
    // The event-driven ideal product: out[j] += w[i][j] over the spiking rows i (w row-major).
    void add_rows(std::span<const double> w, std::span<const std::uint32_t> rows,
                  std::span<double> out) const {
        for (const auto i : rows) {
            const double* row = w.data() + static_cast<std::size_t>(i) * n_out_;
            for (std::size_t j = 0; j < n_out_; ++j)
                out[j] += row[j];
        }
    }
    std::size_t n_in_, n_out_;
};

// Build a layer for `dt`; all draws keyed by `seed`. Initial weights U(w_init_lo, w_init_hi).
// Throws snn_error (or devices::card_error) naming what is wrong.
std::unique_ptr<synapse_layer> make_synapses(const synapse_config& c, std::size_t n_in, std::size_t n_out,
                                             double dt, std::uint64_t seed);

} // namespace memxbar::snn
