// The Diehl & Cook (2015) network: n_inputs Poisson inputs -> N excitatory LIF neurons through a
// plastic crossbar (synapse_layer), each excitatory neuron driving one inhibitory neuron, each
// inhibitory neuron inhibiting every excitatory neuron but its own (winner-take-all). An image is
// presented for t_present, then the network rests for t_rest (the tail of any STDP waveform is stepped,
// the remainder is skipped in closed form). Fewer than min_spikes excitatory spikes: the image is shown
// again with the input rates raised by rate_boost.
#pragma once

#include "snn/lif.hpp"
#include "snn/poisson_encoder.hpp"
#include "snn/synapses.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace memxbar::snn {

struct encoder_params {
    double max_rate = 63.75;    // Hz at pixel value 1 (Diehl & Cook: pixel / 4 on the 0..255 scale)
    double rate_boost = 31.875; // Hz added to max_rate per repeat (Diehl & Cook: intensity + 1 -> pixel / 8)
    int min_spikes = 5;         // excitatory spikes below which the image is shown again
    int max_boosts = 8;         // repeats at most
};

struct network_config {
    std::size_t n_inputs = 784;
    std::size_t n_neurons = 100; // excitatory = inhibitory
    double dt = 0.5e-3;          // s
    double t_present = 0.35;     // s
    double t_rest = 0.15;        // s
    lif_params exc = diehl_cook_excitatory();
    lif_params inh = diehl_cook_inhibitory();
    double w_ei = 10.4; // excitatory -> its inhibitory neuron (dimensionless conductance)
    double w_ie = 17.0; // inhibitory -> every other excitatory neuron
    encoder_params input;
    // Before every image each neuron's input weights are scaled to sum to weight_sum (float synapses),
    // or its column current is amplified by weight_sum / sum (device synapses, a per-column gain);
    // 0 = off.
    double weight_sum = 78.0;
    synapse_config synapses;

    void validate() const; // throws snn_error naming parameter, value and range
};

// Images stored one after another, grey values in [0, 1] (experiments::dataset::images.data()).
struct image_set {
    std::span<const float> pixels;
    std::size_t n_pixels = 784;
    std::span<const std::uint8_t> labels; // may be empty for training
    [[nodiscard]] std::size_t size() const { return n_pixels == 0 ? 0 : pixels.size() / n_pixels; }
    [[nodiscard]] std::span<const float> image(std::size_t k) const {
        return pixels.subspan(k * n_pixels, n_pixels);
    }
};

struct presentation_stats {
    std::uint64_t input_spikes = 0;
    std::uint32_t exc_spikes = 0; // of the last (accepted) presentation
    int boosts = 0;               // repeats with raised rates
};

struct progress {
    std::size_t done = 0, total = 0;
    presentation_stats last;
};
using progress_fn = std::function<void(const progress&)>;

// Spike counts of every excitatory neuron for every image (row-major images x neurons).
struct response_matrix {
    std::size_t n_images = 0, n_neurons = 0;
    std::vector<std::uint32_t> counts;
    [[nodiscard]] std::span<const std::uint32_t> row(std::size_t k) const {
        return std::span(counts).subspan(k * n_neurons, n_neurons);
    }
};

class network {
  public:
    network(const network_config& c, std::uint64_t seed);

    // One image (with repeats), learning or not; spike counts of the accepted presentation into `counts`
    // (size n_neurons) if given.
    presentation_stats present(std::span<const float> image, bool learn,
                               std::span<std::uint32_t> counts = {});

    // Unsupervised training on the images in order (theta adapts, synapses learn).
    void train(const image_set& images, const progress_fn& on_progress = {});
    // Responses without learning, theta frozen (for labeling and testing).
    response_matrix respond(const image_set& images, const progress_fn& on_progress = {});

    [[nodiscard]] std::span<const double> weights() const { return syn_->weights(); }
    [[nodiscard]] const std::vector<double>& theta() const { return exc_.theta; }
    [[nodiscard]] synapse_layer& synapses() { return *syn_; }
    [[nodiscard]] const network_config& config() const { return c_; }
    [[nodiscard]] double simulated_seconds() const { return static_cast<double>(step_) * c_.dt; }

  private:
    void normalize();
    void step(std::int64_t k_in_presentation, std::span<std::uint32_t> counts);

    network_config c_;
    std::uint64_t seed_;
    std::unique_ptr<synapse_layer> syn_;
    lif_group exc_, inh_;
    poisson_encoder enc_;
    std::int64_t step_ = 0;           // global step counter (also keys STDP events)
    std::uint64_t presentations_ = 0; // keys the Poisson draws
    std::int64_t n_present_steps_, n_rest_steps_;
    std::vector<double> rates_, drive_, gain_, colsum_;
    std::vector<std::uint32_t> in_spikes_, exc_spikes_, inh_spikes_, scratch_counts_;
    std::uint64_t input_count_ = 0;
};

} // namespace memxbar::snn
