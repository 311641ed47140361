#include "snn/network.hpp"

#include "snn/errors.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace memxbar::snn {

void network_config::validate() const {
    check_range("n_inputs", static_cast<double>(n_inputs), 1, 1e7, "", "input count");
    check_range("n_neurons", static_cast<double>(n_neurons), 1, 1e6, "", "excitatory neuron count");
    check_range("dt", dt, 1e-6, 5e-3, "s", "time step");
    check_range("t_present", t_present, dt, 100.0, "s", "presentation time, at least one step");
    check_range("t_rest", t_rest, 0.0, 100.0, "s", "rest between images");
    check_range("w_ei", w_ei, 0.0, 1e4, "", "excitatory -> inhibitory conductance (leak units)");
    check_range("w_ie", w_ie, 0.0, 1e4, "", "inhibitory -> excitatory conductance (leak units)");
    check_range("input.max_rate", input.max_rate, 0.0, 1.0 / dt, "Hz", "rate at pixel value 1, at most 1/dt");
    check_range("input.rate_boost", input.rate_boost, 0.0, 1.0 / dt, "Hz", "rate added per repeat");
    check_range("input.min_spikes", input.min_spikes, 0, 1e6, "", "spikes below which an image is repeated");
    check_range("input.max_boosts", input.max_boosts, 0, 1000, "", "repeats at most");
    check_range("weight_sum", weight_sum, 0.0, 1e9, "", "target sum of a neuron's input weights, 0 = off");
    exc.validate("exc");
    inh.validate("inh");
}

network::network(const network_config& c, std::uint64_t seed)
    : c_((c.validate(), c)), seed_(seed),
      syn_(make_synapses(c.synapses, c.n_inputs, c.n_neurons, c.dt, seed)), exc_(c.n_neurons, c.exc, c.dt),
      inh_(c.n_neurons, c.inh, c.dt), enc_(c.n_inputs, seed),
      n_present_steps_(std::llround(c.t_present / c.dt)), n_rest_steps_(std::llround(c.t_rest / c.dt)),
      rates_(c.n_inputs), drive_(c.n_neurons), gain_(c.n_neurons, 1.0), colsum_(c.n_neurons) {
    in_spikes_.reserve(c.n_inputs);
    exc_spikes_.reserve(c.n_neurons);
    inh_spikes_.reserve(c.n_neurons);
    scratch_counts_.resize(c.n_neurons);
}

// Diehl & Cook: before each image, every neuron's input weights are rescaled to sum to weight_sum.
// Device synapses cannot be rescaled for free: the column's amplifier gain does it instead.
void network::normalize() {
    if (c_.weight_sum <= 0.0) return;
    const auto w = syn_->weights();
    const std::size_t n = c_.n_neurons;
    std::fill(colsum_.begin(), colsum_.end(), 0.0);
    for (std::size_t i = 0; i < c_.n_inputs; ++i)
        for (std::size_t j = 0; j < n; ++j)
            colsum_[j] += w[i * n + j];
    for (std::size_t j = 0; j < n; ++j)
        gain_[j] = colsum_[j] > 1e-12 ? c_.weight_sum / colsum_[j] : 1.0;
    if (syn_->scale_columns(gain_)) std::fill(gain_.begin(), gain_.end(), 1.0);
    // a column of (nearly) all-zero weights stays as it is: nothing to scale
}

void network::step(std::int64_t k, std::span<std::uint32_t> counts) {
    const std::size_t n = c_.n_neurons;
    enc_.spikes_at(k, in_spikes_);
    if (!in_spikes_.empty()) {
        input_count_ += in_spikes_.size();
        std::fill(drive_.begin(), drive_.end(), 0.0);
        syn_->propagate(in_spikes_, drive_);
        for (std::size_t j = 0; j < n; ++j)
            exc_.g_e[j] += gain_[j] * drive_[j];
        syn_->on_pre(in_spikes_, step_);
    }
    exc_.step(exc_spikes_);
    inh_.step(inh_spikes_);
    for (const auto j : exc_spikes_) {
        inh_.g_e[j] += c_.w_ei;
        ++counts[j];
    }
    for (const auto j : inh_spikes_) {
        for (std::size_t m = 0; m < n; ++m)
            exc_.g_i[m] += c_.w_ie;
        exc_.g_i[j] -= c_.w_ie; // all but self
    }
    syn_->advance(step_);
    syn_->on_post(exc_spikes_, step_ + 1);
    ++step_;
}

presentation_stats network::present(std::span<const float> image, bool learn,
                                    std::span<std::uint32_t> counts) {
    if (image.size() != c_.n_inputs)
        throw snn_error("present: image of " + std::to_string(image.size()) + " pixels for " +
                        std::to_string(c_.n_inputs) + " inputs");
    if (counts.empty()) counts = scratch_counts_;
    if (counts.size() != c_.n_neurons) throw snn_error("present: counts must have n_neurons entries");
    syn_->learning = learn && c_.synapses.rule != rule_kind::none;
    exc_.adapt_theta = learn;
    normalize();
    presentation_stats st;
    const std::uint64_t input_before = input_count_;
    for (int boost = 0;; ++boost) {
        const double peak = c_.input.max_rate + boost * c_.input.rate_boost;
        for (std::size_t i = 0; i < c_.n_inputs; ++i) {
            const double px = image[i];
            if (!(px >= 0.0f && px <= 1.0f))
                check_range("pixel[" + std::to_string(i) + "]", px, 0.0, 1.0, "", "grey value");
            rates_[i] = std::min(px * peak, 1.0 / c_.dt);
        }
        enc_.start(rates_, c_.dt, n_present_steps_, presentations_++);
        std::fill(counts.begin(), counts.end(), 0u);
        for (std::int64_t k = 0; k < n_present_steps_; ++k)
            step(k, counts);
        // Rest: step while STDP waveforms still overlap (no input), then skip the remainder in closed form.
        std::int64_t rested = 0;
        while (rested < n_rest_steps_ && syn_->busy(step_)) {
            step(n_present_steps_, counts); // beyond the presentation: no input spikes
            ++rested;
        }
        const double t_left = static_cast<double>(n_rest_steps_ - rested) * c_.dt;
        exc_.rest(t_left);
        inh_.rest(t_left);
        step_ += n_rest_steps_ - rested;
        std::uint32_t total = 0;
        for (const auto x : counts)
            total += x;
        st.exc_spikes = total;
        st.boosts = boost;
        if (static_cast<int>(total) >= c_.input.min_spikes || boost >= c_.input.max_boosts) break;
    }
    st.input_spikes = input_count_ - input_before;
    return st;
}

void network::train(const image_set& images, const progress_fn& on_progress) {
    for (std::size_t k = 0; k < images.size(); ++k) {
        const auto st = present(images.image(k), true);
        if (on_progress) on_progress({k + 1, images.size(), st});
    }
}

response_matrix network::respond(const image_set& images, const progress_fn& on_progress) {
    response_matrix r;
    r.n_images = images.size();
    r.n_neurons = c_.n_neurons;
    r.counts.assign(r.n_images * r.n_neurons, 0);
    for (std::size_t k = 0; k < images.size(); ++k) {
        const auto st =
            present(images.image(k), false, std::span(r.counts).subspan(k * r.n_neurons, r.n_neurons));
        if (on_progress) on_progress({k + 1, images.size(), st});
    }
    return r;
}

} // namespace memxbar::snn
