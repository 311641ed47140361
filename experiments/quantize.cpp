#include "experiments/quantize.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace memxbar::experiments {

uniform_quantizer::uniform_quantizer(double lo, double hi, int bits) : lo_(lo), hi_(hi), bits_(bits) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi))
        throw std::invalid_argument("quantizer range must be finite with lo < hi, got [" +
                                    std::to_string(lo) + ", " + std::to_string(hi) + "]");
    if (bits < 1 || bits > 24)
        throw std::invalid_argument("quantizer bits must be in 1..24, got " + std::to_string(bits));
    levels_ = std::int64_t{1} << bits;
    step_ = (hi - lo) / static_cast<double>(levels_ - 1);
}

std::int64_t uniform_quantizer::level(double x) const {
    if (std::isnan(x)) throw std::invalid_argument("cannot quantize NaN");
    const double pos = std::clamp((x - lo_) / step_, 0.0, static_cast<double>(levels_ - 1));
    return static_cast<std::int64_t>(std::nearbyint(pos));
}

double uniform_quantizer::stochastic(double x, double u) const {
    if (std::isnan(x)) throw std::invalid_argument("cannot quantize NaN");
    const double pos = std::clamp((x - lo_) / step_, 0.0, static_cast<double>(levels_ - 1));
    const double below = std::floor(pos);
    const auto lvl = static_cast<std::int64_t>(below) + (u < pos - below ? 1 : 0);
    return value(std::min(lvl, levels_ - 1));
}

namespace {

void check_bits(int bits, int lo, const char* what) {
    if (bits < lo || bits > 16)
        throw std::invalid_argument(std::string(what) + " bits must be in " + std::to_string(lo) +
                                    "..16, got " + std::to_string(bits));
}

// Scale such that max_abs maps to qmax; an all-zero tensor gets scale 1 (every q is 0 anyway).
float symmetric_scale(float max_abs, std::int32_t qmax) {
    return max_abs > 0.0f ? max_abs / static_cast<float>(qmax) : 1.0f;
}

} // namespace

Eigen::MatrixXf quantized_matrix::dequantize() const {
    Eigen::MatrixXf w = q.cast<float>();
    for (Eigen::Index r = 0; r < w.rows(); ++r)
        w.row(r) *= row_scale(r);
    return w;
}

quantized_matrix quantize_symmetric(const Eigen::MatrixXf& w, int bits, granularity g) {
    check_bits(bits, 2, "weight");
    if (!w.allFinite()) throw std::invalid_argument("cannot quantize a matrix with NaN or infinite entries");
    const std::int32_t qmax = (std::int32_t{1} << (bits - 1)) - 1;
    quantized_matrix out;
    out.bits = bits;
    if (g == granularity::per_tensor) {
        out.scale =
            Eigen::VectorXf::Constant(1, symmetric_scale(w.size() ? w.cwiseAbs().maxCoeff() : 0.0f, qmax));
    } else {
        out.scale.resize(w.rows());
        for (Eigen::Index r = 0; r < w.rows(); ++r)
            out.scale(r) = symmetric_scale(w.cols() ? w.row(r).cwiseAbs().maxCoeff() : 0.0f, qmax);
    }
    out.q.resize(w.rows(), w.cols());
    for (Eigen::Index c = 0; c < w.cols(); ++c)
        for (Eigen::Index r = 0; r < w.rows(); ++r) {
            const float v = std::nearbyint(w(r, c) / out.row_scale(r));
            out.q(r, c) =
                static_cast<std::int32_t>(std::clamp(v, -static_cast<float>(qmax), static_cast<float>(qmax)));
        }
    return out;
}

Eigen::MatrixXf fake_quantize(const Eigen::MatrixXf& w, int bits, granularity g) {
    return quantize_symmetric(w, bits, g).dequantize();
}

Eigen::MatrixXf activation_quantizer::quantize(const Eigen::MatrixXf& x) const {
    const float inv = 1.0f / scale;
    const auto lo = static_cast<float>(qmin), hi = static_cast<float>(qmax);
    // NaN inputs would clamp to an arbitrary level; the float path upstream never produces them, so refuse.
    if (!x.allFinite()) throw std::invalid_argument("activation quantizer: non-finite input");
    return x.unaryExpr([=](float v) { return std::clamp(std::nearbyint(v * inv), lo, hi); });
}

void quant_config::validate() const {
    check_bits(weight_bits, 2, "weight");
    check_bits(activation_bits, 2, "activation");
    if (!(activation_percentile > 0.0 && activation_percentile <= 100.0))
        throw std::invalid_argument("activation percentile must be in (0, 100], got " +
                                    std::to_string(activation_percentile));
}

quantized_mlp::quantized_mlp(const mlp& net, const Eigen::MatrixXf& calibration, const quant_config& cfg)
    : net_(net), cfg_(cfg) {
    cfg.validate();
    if (net.layers.empty()) throw std::invalid_argument("cannot quantize an MLP without layers");
    if (calibration.cols() == 0) throw std::invalid_argument("quantization needs calibration inputs");
    const auto acts = net.forward_all(calibration);
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        weights_.push_back(quantize_symmetric(net.layers[l].w, cfg.weight_bits, cfg.weights));
        weights_exact_.push_back(weights_.back().q.cast<double>());

        const Eigen::MatrixXf& a = acts[l];
        if (!a.allFinite())
            throw std::invalid_argument("calibration activations of layer " + std::to_string(l) +
                                        " are not finite");
        const bool is_signed = a.minCoeff() < 0.0f;
        float range = 0.0f;
        if (cfg.activation_percentile >= 100.0) {
            range = a.cwiseAbs().maxCoeff();
        } else {
            std::vector<float> v(a.data(), a.data() + a.size());
            for (auto& e : v)
                e = std::abs(e);
            const auto k = static_cast<std::size_t>(
                std::ceil(cfg.activation_percentile / 100.0 * static_cast<double>(v.size())) - 1.0);
            std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
            range = v[k];
        }
        activation_quantizer aq;
        aq.qmax = is_signed ? (std::int32_t{1} << (cfg.activation_bits - 1)) - 1
                            : (std::int32_t{1} << cfg.activation_bits) - 1;
        aq.qmin = is_signed ? -aq.qmax : 0;
        aq.scale = range > 0.0f ? range / static_cast<float>(aq.qmax) : 1.0f;
        inputs_.push_back(aq);
    }
}

mlp::matmul_fn quantized_mlp::matmul() const {
    return [this](int layer, const Eigen::MatrixXf& input) -> Eigen::MatrixXf {
        const auto l = static_cast<std::size_t>(layer);
        const activation_quantizer& aq = inputs_.at(l);
        const Eigen::MatrixXd xq = aq.quantize(input).cast<double>();
        Eigen::MatrixXd acc;
        acc.noalias() = weights_exact_[l] * xq; // integers: exact in double
        const quantized_matrix& wq = weights_[l];
        for (Eigen::Index r = 0; r < acc.rows(); ++r)
            acc.row(r) *= static_cast<double>(wq.row_scale(r)) * static_cast<double>(aq.scale);
        return acc.cast<float>();
    };
}

} // namespace memxbar::experiments
