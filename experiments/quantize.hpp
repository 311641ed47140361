// Digital low-precision baselines: int8/int4 inference of a trained MLP (the "digital" rows of the
// analog-vs-digital table, issue 5) and a k-bit uniform quantizer for the SNN's k-bit synapses (issue 6).
#pragma once

#include "experiments/mlp.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace memxbar::experiments {

// k-bit uniform quantizer: 2^bits levels evenly spaced over [lo, hi], both ends included.
// Inside [lo, hi] the nearest level is at most step()/2 away; outside, values clamp to the ends.
class uniform_quantizer {
  public:
    uniform_quantizer(double lo, double hi, int bits); // needs lo < hi, 1 <= bits <= 24
    [[nodiscard]] int bits() const { return bits_; }
    [[nodiscard]] std::int64_t levels() const { return levels_; }
    [[nodiscard]] double lo() const { return lo_; }
    [[nodiscard]] double hi() const { return hi_; }
    [[nodiscard]] double step() const { return step_; }
    // Nearest level index in [0, levels - 1]; throws std::invalid_argument on NaN.
    [[nodiscard]] std::int64_t level(double x) const;
    [[nodiscard]] double value(std::int64_t level) const { return lo_ + step_ * static_cast<double>(level); }
    [[nodiscard]] double operator()(double x) const { return value(level(x)); }
    // Stochastic rounding: rounds up with probability equal to the fractional position between the two
    // neighbouring levels (u uniform in [0, 1), from the caller's Philox stream), so small updates survive
    // on average where nearest rounding would drop them (k-bit STDP).
    [[nodiscard]] double stochastic(double x, double u) const;

  private:
    double lo_, hi_, step_;
    int bits_;
    std::int64_t levels_;
};

enum class granularity { per_tensor, per_channel }; // per_channel: one scale per output row

// Symmetric signed quantization: q in [-(2^(bits-1) - 1), 2^(bits-1) - 1], w ~ scale * q, with the scale set
// by max |w| (of the tensor or of each row), so every weight is within scale/2 of its dequantized value.
struct quantized_matrix {
    Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic> q;
    Eigen::VectorXf scale; // one per row (per_channel) or a single one
    int bits = 0;
    [[nodiscard]] float row_scale(Eigen::Index r) const { return scale.size() == 1 ? scale(0) : scale(r); }
    [[nodiscard]] Eigen::MatrixXf dequantize() const;
};
quantized_matrix quantize_symmetric(const Eigen::MatrixXf& w, int bits, granularity g); // 2 <= bits <= 16
Eigen::MatrixXf fake_quantize(const Eigen::MatrixXf& w, int bits, granularity g); // dequantize(quantize())

// One layer input's quantizer, calibrated on data: unsigned [0, range] with 2^bits - 1 steps when the
// calibration inputs are never negative (pixels, ReLU outputs), symmetric signed otherwise.
struct activation_quantizer {
    float scale = 1.0f;
    std::int32_t qmin = 0, qmax = 0;
    [[nodiscard]] Eigen::MatrixXf quantize(const Eigen::MatrixXf& x) const; // integer-valued floats, clamped
};

struct quant_config {
    int weight_bits = 8;
    int activation_bits = 8;
    granularity weights = granularity::per_channel;
    // Activation range = this percentile of |activation| over the calibration set (100 = the maximum);
    // a lower percentile clips rare outliers to give the common values finer steps (helps at 4 bits).
    double activation_percentile = 100.0;
    void validate() const; // throws std::invalid_argument
};

// Integer inference of a trained float MLP: each layer's input is quantized with its calibrated
// quantizer, multiplied by the quantized weights with exact integer accumulation (int32 semantics; done
// in double, exact below 2^53), rescaled, and the float bias added (as int32-bias hardware does to
// within one part in 2^31).
class quantized_mlp {
  public:
    // calibration: inputs x samples (e.g. 512 training images) that set the activation ranges.
    quantized_mlp(const mlp& net, const Eigen::MatrixXf& calibration, const quant_config& cfg);

    [[nodiscard]] Eigen::MatrixXf forward(const Eigen::MatrixXf& x) const {
        return net_.forward(x, matmul());
    }
    [[nodiscard]] double accuracy(const dataset& d) const { return net_.accuracy(d, matmul()); }
    // The integer product as the float net's hook: net.forward(x, q.matmul()) == q.forward(x).
    [[nodiscard]] mlp::matmul_fn matmul() const;

    [[nodiscard]] const std::vector<quantized_matrix>& weights() const { return weights_; }
    [[nodiscard]] const std::vector<activation_quantizer>& activations() const { return inputs_; }
    [[nodiscard]] const quant_config& config() const { return cfg_; }

  private:
    mlp net_; // biases and sizes; its float weights are not used by matmul()
    quant_config cfg_;
    std::vector<quantized_matrix> weights_;
    std::vector<Eigen::MatrixXd> weights_exact_; // q as double for the exact product
    std::vector<activation_quantizer> inputs_;
};

} // namespace memxbar::experiments
