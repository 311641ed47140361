// A multilayer perceptron trained in floating point inside memxbar (issue 5: no Python ML stack).
// ReLU hidden layers, softmax cross-entropy, He initialisation from Philox streams keyed by the seed,
// minibatch SGD with momentum or Adam. Single-threaded Eigen, so a seed gives bit-identical weights.
// The forward pass takes an optional per-layer product hook: the analog study replaces W * x by a
// crossbar read, the quantized network (quantize.hpp) by an integer product.
#pragma once

#include "experiments/datasets.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace memxbar::experiments {

template <class S> struct dense_layer {
    Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> w; // out x in
    Eigen::Matrix<S, Eigen::Dynamic, 1> b;              // out
};

enum class optimizer { sgd, adam };

struct train_options {
    int epochs = 10;
    int batch_size = 64;
    double learning_rate = 1e-3; // Adam's default; SGD with momentum wants about 0.05
    optimizer method = optimizer::adam;
    double momentum = 0.9;                             // SGD only
    double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8; // Adam only
    double l2 = 0.0;                            // adds l2/2 * sum(w^2) (weights, not biases) to the loss
    std::uint64_t seed = 1;                     // shuffling; the initial weights take the constructor's seed
    void validate() const;                      // throws std::invalid_argument
    [[nodiscard]] std::string describe() const; // one line, for cache tags and logs
};

struct epoch_report {
    int epoch = 0;        // from 1
    double loss = 0.0;    // mean training loss over the epoch (cross-entropy + L2 term)
    double seconds = 0.0; // wall time of this epoch
};

template <class S> class basic_mlp {
  public:
    using matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
    using vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;
    // Returns the layer's W * input (out x batch), bias excluded: the bias is added digitally after it.
    using matmul_fn = std::function<matrix(int layer, const matrix& input)>;

    basic_mlp() = default;
    // sizes = {inputs, hidden..., outputs}, e.g. {784, 256, 10}; He-normal weights, zero biases.
    basic_mlp(const std::vector<int>& sizes, std::uint64_t seed);

    [[nodiscard]] std::vector<int> sizes() const;
    [[nodiscard]] int inputs() const { return static_cast<int>(layers.front().w.cols()); }
    [[nodiscard]] int outputs() const { return static_cast<int>(layers.back().w.rows()); }

    // x: inputs x batch. Returns the logits (outputs x batch). With matmul, each W * a is matmul(l, a).
    [[nodiscard]] matrix forward(const matrix& x, const matmul_fn& matmul = {}) const;
    // Every layer's input (activations[l] feeds layer l) and the logits last: size = layers + 1.
    [[nodiscard]] std::vector<matrix> forward_all(const matrix& x, const matmul_fn& matmul = {}) const;

    [[nodiscard]] std::vector<int> predict(const matrix& x, const matmul_fn& matmul = {}) const;
    // Fraction correct over the columns of x, evaluated in chunks of 1024 columns.
    [[nodiscard]] double accuracy(const matrix& x, const std::vector<std::uint8_t>& labels,
                                  const matmul_fn& matmul = {}) const;
    [[nodiscard]] double accuracy(const dataset& d,
                                  const matmul_fn& matmul = {}) const requires std::is_same_v<S, float> {
        return accuracy(d.images, d.labels, matmul);
    }

    // Mean cross-entropy over the batch plus l2/2 * sum of squared weights.
    [[nodiscard]] double loss(const matrix& x, const std::vector<std::uint8_t>& labels,
                              double l2 = 0.0) const;
    // Gradient of loss() with respect to every weight and bias (one backward pass); returns the loss.
    double gradient(const matrix& x, const std::vector<std::uint8_t>& labels, double l2,
                    std::vector<dense_layer<S>>& grad) const;

    // Trains in place; on_epoch (optional) sees each epoch's report. Throws std::runtime_error if the
    // loss stops being finite (learning rate too high), std::invalid_argument on bad options or data.
    std::vector<epoch_report> train(const matrix& x, const std::vector<std::uint8_t>& labels,
                                    const train_options& opt,
                                    const std::function<void(const epoch_report&)>& on_epoch = {});

    // Binary file: magic, tag (free text, e.g. what the net was trained on), sizes, then each layer's
    // W (column-major) and b as little-endian S. Written atomically (temporary file + rename).
    void save(const std::filesystem::path& path, const std::string& tag = "") const;
    // Throws std::runtime_error naming the file on a missing, foreign, truncated or non-finite file.
    static basic_mlp load(const std::filesystem::path& path, std::string* tag = nullptr);

    std::vector<dense_layer<S>> layers; // public: the study reads and maps these weights

  private:
    void check_input(const matrix& x) const;
};

using mlp = basic_mlp<float>;

// Trains once and caches: loads `cache` if it exists and its tag equals `tag`, else calls train_fn,
// saves the result under `tag` and returns it. A sweep of many analog runs shares one trained net.
mlp load_or_train(const std::filesystem::path& cache, const std::string& tag,
                  const std::function<mlp()>& train_fn);

extern template class basic_mlp<float>;
extern template class basic_mlp<double>;

} // namespace memxbar::experiments
