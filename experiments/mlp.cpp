#include "experiments/mlp.hpp"

#include "devices/random_stream.hpp"
#include "experiments/atomic_file.hpp"

#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace memxbar::experiments {

namespace {

// Philox purposes of this file: distinct from every device stream (devices/random_stream.hpp).
constexpr devices::purpose init_purpose =
    static_cast<devices::purpose>(static_cast<std::uint64_t>(devices::purpose::user) + 10);
constexpr devices::purpose shuffle_purpose =
    static_cast<devices::purpose>(static_cast<std::uint64_t>(devices::purpose::user) + 11);

constexpr char file_magic[8] = {'M', 'X', 'B', 'R', 'M', 'L', 'P', '1'};

static_assert(std::endian::native == std::endian::little, "the weight file format is little-endian");

template <class M> bool all_finite(const M& m) {
    return m.allFinite();
}

} // namespace

void train_options::validate() const {
    auto bad = [](const std::string& what) { throw std::invalid_argument("training options: " + what); };
    if (epochs < 0) bad("epochs must be >= 0, got " + std::to_string(epochs));
    if (batch_size < 1) bad("batch size must be >= 1, got " + std::to_string(batch_size));
    if (!(learning_rate > 0.0) || !std::isfinite(learning_rate))
        bad("learning rate must be positive and finite, got " + std::to_string(learning_rate));
    if (!(momentum >= 0.0 && momentum < 1.0))
        bad("momentum must be in [0, 1), got " + std::to_string(momentum));
    if (!(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0))
        bad("Adam betas must be in [0, 1), got " + std::to_string(beta1) + ", " + std::to_string(beta2));
    if (!(epsilon > 0.0)) bad("Adam epsilon must be positive");
    if (!(l2 >= 0.0) || !std::isfinite(l2)) bad("l2 must be >= 0 and finite, got " + std::to_string(l2));
}

std::string train_options::describe() const {
    std::ostringstream s;
    s.precision(17);
    s << (method == optimizer::adam ? "adam" : "sgd") << " epochs=" << epochs << " batch=" << batch_size
      << " lr=" << learning_rate << " l2=" << l2 << " seed=" << seed;
    if (method == optimizer::sgd)
        s << " momentum=" << momentum;
    else
        s << " beta1=" << beta1 << " beta2=" << beta2 << " eps=" << epsilon;
    return s.str();
}

template <class S> basic_mlp<S>::basic_mlp(const std::vector<int>& sizes, std::uint64_t seed) {
    if (sizes.size() < 2) throw std::invalid_argument("an MLP needs at least an input and an output size");
    for (int n : sizes)
        if (n < 1) throw std::invalid_argument("MLP layer sizes must be >= 1, got " + std::to_string(n));
    const devices::random_stream rng(seed, init_purpose);
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        dense_layer<S> layer;
        layer.w.resize(sizes[l + 1], sizes[l]);
        layer.b = vector::Zero(sizes[l + 1]);
        // He et al. (2015): variance 2 / fan_in keeps ReLU activations at a constant scale through depth.
        const double sigma = std::sqrt(2.0 / sizes[l]);
        for (Eigen::Index k = 0; k < layer.w.size(); ++k) {
            const auto uk = static_cast<std::uint64_t>(k);
            layer.w.data()[k] = static_cast<S>(sigma * rng.normal(l, uk / 2, uk % 2));
        }
        layers.push_back(std::move(layer));
    }
}

template <class S> std::vector<int> basic_mlp<S>::sizes() const {
    std::vector<int> s;
    if (layers.empty()) return s;
    s.push_back(inputs());
    for (const auto& l : layers)
        s.push_back(static_cast<int>(l.w.rows()));
    return s;
}

template <class S> void basic_mlp<S>::check_input(const matrix& x) const {
    if (layers.empty()) throw std::invalid_argument("the MLP has no layers (default-constructed?)");
    if (x.rows() != inputs())
        throw std::invalid_argument("MLP input has " + std::to_string(x.rows()) +
                                    " rows, the network expects " + std::to_string(inputs()));
}

template <class S>
std::vector<typename basic_mlp<S>::matrix> basic_mlp<S>::forward_all(const matrix& x,
                                                                     const matmul_fn& matmul) const {
    check_input(x);
    std::vector<matrix> acts;
    acts.reserve(layers.size() + 1);
    acts.push_back(x);
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const auto& layer = layers[l];
        matrix z;
        if (matmul) {
            z = matmul(static_cast<int>(l), acts.back());
            if (z.rows() != layer.w.rows() || z.cols() != x.cols())
                throw std::runtime_error("layer " + std::to_string(l) + ": the product hook returned " +
                                         std::to_string(z.rows()) + " x " + std::to_string(z.cols()) +
                                         ", expected " + std::to_string(layer.w.rows()) + " x " +
                                         std::to_string(x.cols()));
        } else {
            z.noalias() = layer.w * acts.back();
        }
        z.colwise() += layer.b;
        if (l + 1 < layers.size()) z = z.cwiseMax(S(0));
        acts.push_back(std::move(z));
    }
    return acts;
}

template <class S>
typename basic_mlp<S>::matrix basic_mlp<S>::forward(const matrix& x, const matmul_fn& matmul) const {
    return std::move(forward_all(x, matmul).back());
}

template <class S> std::vector<int> basic_mlp<S>::predict(const matrix& x, const matmul_fn& matmul) const {
    const matrix logits = forward(x, matmul);
    std::vector<int> out(static_cast<std::size_t>(logits.cols()));
    for (Eigen::Index j = 0; j < logits.cols(); ++j) {
        Eigen::Index best = 0;
        logits.col(j).maxCoeff(&best); // NaN logits never win: a NaN column predicts class 0, counted wrong
        out[static_cast<std::size_t>(j)] = static_cast<int>(best);
    }
    return out;
}

template <class S>
double basic_mlp<S>::accuracy(const matrix& x, const std::vector<std::uint8_t>& labels,
                              const matmul_fn& matmul) const {
    if (labels.size() != static_cast<std::size_t>(x.cols()))
        throw std::invalid_argument("accuracy: " + std::to_string(x.cols()) + " inputs but " +
                                    std::to_string(labels.size()) + " labels");
    if (labels.empty()) throw std::invalid_argument("accuracy of an empty data set");
    std::size_t correct = 0;
    constexpr Eigen::Index chunk = 1024;
    for (Eigen::Index start = 0; start < x.cols(); start += chunk) {
        const Eigen::Index n = std::min(chunk, x.cols() - start);
        const auto pred = predict(x.middleCols(start, n), matmul);
        for (Eigen::Index j = 0; j < n; ++j)
            if (pred[static_cast<std::size_t>(j)] == labels[static_cast<std::size_t>(start + j)]) ++correct;
    }
    return static_cast<double>(correct) / static_cast<double>(labels.size());
}

namespace {

template <class S>
void check_labels(const Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>& x,
                  const std::vector<std::uint8_t>& labels, int outputs) {
    if (labels.size() != static_cast<std::size_t>(x.cols()))
        throw std::invalid_argument(std::to_string(x.cols()) + " inputs but " +
                                    std::to_string(labels.size()) + " labels");
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= outputs)
            throw std::invalid_argument("label " + std::to_string(labels[i]) + " of sample " +
                                        std::to_string(i) + " is not below the network's " +
                                        std::to_string(outputs) + " outputs");
}

// Softmax in place, column by column, with the max subtracted (no overflow); returns the summed
// cross-entropy -log p(label).
template <class M> double softmax_cross_entropy(M& z, const std::vector<std::uint8_t>& labels) {
    double total = 0.0;
    for (Eigen::Index j = 0; j < z.cols(); ++j) {
        auto col = z.col(j);
        const auto m = col.maxCoeff();
        col.array() = (col.array() - m).exp();
        const auto sum = col.sum();
        const auto y = labels[static_cast<std::size_t>(j)];
        total -= std::log(static_cast<double>(col(y))) - std::log(static_cast<double>(sum));
        col /= sum;
    }
    return total;
}

} // namespace

template <class S>
double basic_mlp<S>::loss(const matrix& x, const std::vector<std::uint8_t>& labels, double l2) const {
    check_labels(x, labels, outputs());
    matrix z = forward(x);
    double total = softmax_cross_entropy(z, labels) / static_cast<double>(x.cols());
    if (l2 > 0.0)
        for (const auto& layer : layers)
            total += 0.5 * l2 * static_cast<double>(layer.w.squaredNorm());
    return total;
}

template <class S>
double basic_mlp<S>::gradient(const matrix& x, const std::vector<std::uint8_t>& labels, double l2,
                              std::vector<dense_layer<S>>& grad) const {
    check_labels(x, labels, outputs());
    auto acts = forward_all(x);
    matrix dz = std::move(acts.back());
    const auto batch = static_cast<double>(x.cols());
    double total = softmax_cross_entropy(dz, labels) / batch;
    for (Eigen::Index j = 0; j < dz.cols(); ++j)
        dz(labels[static_cast<std::size_t>(j)], j) -= S(1);
    dz *= static_cast<S>(1.0 / batch);
    grad.resize(layers.size());
    for (std::size_t l = layers.size(); l-- > 0;) {
        const auto& w = layers[l].w;
        grad[l].w.noalias() = dz * acts[l].transpose();
        if (l2 > 0.0) {
            grad[l].w += static_cast<S>(l2) * w;
            total += 0.5 * l2 * static_cast<double>(w.squaredNorm());
        }
        grad[l].b = dz.rowwise().sum();
        if (l > 0) {
            matrix da;
            da.noalias() = w.transpose() * dz;
            // ReLU derivative: acts[l] = max(z, 0) > 0 exactly where z > 0.
            dz = (acts[l].array() > S(0)).select(da.array(), S(0)).matrix();
        }
    }
    return total;
}

template <class S>
std::vector<epoch_report> basic_mlp<S>::train(const matrix& x, const std::vector<std::uint8_t>& labels,
                                              const train_options& opt,
                                              const std::function<void(const epoch_report&)>& on_epoch) {
    opt.validate();
    check_input(x);
    check_labels(x, labels, outputs());
    if (x.cols() == 0) throw std::invalid_argument("training on an empty data set");
    if (!x.allFinite()) throw std::invalid_argument("training inputs contain NaN or infinity");

    const auto n = static_cast<std::size_t>(x.cols());
    const devices::random_stream rng(opt.seed, shuffle_purpose);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});

    // Optimiser state: momentum velocity (SGD) or first and second moments (Adam).
    std::vector<dense_layer<S>> m(layers.size()), v(layers.size()), grad;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        m[l].w = matrix::Zero(layers[l].w.rows(), layers[l].w.cols());
        m[l].b = vector::Zero(layers[l].b.size());
        v[l] = m[l];
    }
    const S lr = static_cast<S>(opt.learning_rate), mu = static_cast<S>(opt.momentum);
    const S b1 = static_cast<S>(opt.beta1), b2 = static_cast<S>(opt.beta2), eps = static_cast<S>(opt.epsilon);
    std::uint64_t step = 0;
    matrix xb;
    std::vector<std::uint8_t> yb;
    std::vector<epoch_report> reports;

    for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
        const auto t0 = std::chrono::steady_clock::now();
        // Fisher-Yates with counter-based draws: the order depends on (seed, epoch) only.
        for (std::size_t i = n - 1; i > 0; --i) {
            const double u = rng.uniform(static_cast<std::uint64_t>(epoch), i);
            const auto j = std::min(i, static_cast<std::size_t>(u * static_cast<double>(i + 1)));
            std::swap(order[i], order[j]);
        }
        double loss_sum = 0.0;
        std::size_t batches = 0;
        for (std::size_t start = 0; start < n; start += static_cast<std::size_t>(opt.batch_size)) {
            const std::size_t bs = std::min(static_cast<std::size_t>(opt.batch_size), n - start);
            xb.resize(x.rows(), static_cast<Eigen::Index>(bs));
            yb.resize(bs);
            for (std::size_t k = 0; k < bs; ++k) {
                xb.col(static_cast<Eigen::Index>(k)) = x.col(static_cast<Eigen::Index>(order[start + k]));
                yb[k] = labels[order[start + k]];
            }
            const double batch_loss = gradient(xb, yb, opt.l2, grad);
            if (!std::isfinite(batch_loss))
                throw std::runtime_error("training diverged in epoch " + std::to_string(epoch) + ", batch " +
                                         std::to_string(batches + 1) + " (loss " +
                                         std::to_string(batch_loss) + "): lower the learning rate (" +
                                         std::to_string(opt.learning_rate) + ")");
            loss_sum += batch_loss;
            ++batches;
            ++step;
            if (opt.method == optimizer::sgd) {
                for (std::size_t l = 0; l < layers.size(); ++l) {
                    m[l].w = mu * m[l].w - lr * grad[l].w;
                    m[l].b = mu * m[l].b - lr * grad[l].b;
                    layers[l].w += m[l].w;
                    layers[l].b += m[l].b;
                }
            } else {
                // Kingma & Ba (2015) with bias correction folded into the step size.
                const auto t = static_cast<double>(step);
                const S c1 = static_cast<S>(1.0 - std::pow(opt.beta1, t));
                const S c2 = static_cast<S>(1.0 - std::pow(opt.beta2, t));
                auto update = [&](auto& param, auto& mom1, auto& mom2, const auto& g) {
                    mom1 = b1 * mom1 + (S(1) - b1) * g;
                    mom2 = b2 * mom2 + (S(1) - b2) * g.cwiseAbs2();
                    param.array() -= lr * (mom1.array() / c1) / ((mom2.array() / c2).sqrt() + eps);
                };
                for (std::size_t l = 0; l < layers.size(); ++l) {
                    update(layers[l].w, m[l].w, v[l].w, grad[l].w);
                    update(layers[l].b, m[l].b, v[l].b, grad[l].b);
                }
            }
        }
        epoch_report r;
        r.epoch = epoch;
        r.loss = loss_sum / static_cast<double>(batches);
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        reports.push_back(r);
        if (on_epoch) on_epoch(r);
    }
    for (std::size_t l = 0; l < layers.size(); ++l)
        if (!all_finite(layers[l].w) || !all_finite(layers[l].b))
            throw std::runtime_error("training produced non-finite weights in layer " + std::to_string(l) +
                                     ": lower the learning rate");
    return reports;
}

template <class S> void basic_mlp<S>::save(const std::filesystem::path& path, const std::string& tag) const {
    if (layers.empty()) throw std::invalid_argument("cannot save an MLP without layers");
    atomic_file file(path.string());
    auto& out = file.stream();
    auto put_u32 = [&out](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), sizeof v); };
    out.write(file_magic, sizeof file_magic);
    put_u32(static_cast<std::uint32_t>(sizeof(S)));
    put_u32(static_cast<std::uint32_t>(tag.size()));
    out.write(tag.data(), static_cast<std::streamsize>(tag.size()));
    const auto s = sizes();
    put_u32(static_cast<std::uint32_t>(s.size()));
    for (int n : s)
        put_u32(static_cast<std::uint32_t>(n));
    for (const auto& layer : layers) {
        out.write(reinterpret_cast<const char*>(layer.w.data()),
                  static_cast<std::streamsize>(sizeof(S) * static_cast<std::size_t>(layer.w.size())));
        out.write(reinterpret_cast<const char*>(layer.b.data()),
                  static_cast<std::streamsize>(sizeof(S) * static_cast<std::size_t>(layer.b.size())));
    }
    file.commit();
}

template <class S> basic_mlp<S> basic_mlp<S>::load(const std::filesystem::path& path, std::string* tag) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open MLP weight file '" + path.string() + "'");
    std::uint64_t offset = 0;
    auto fail = [&](const std::string& what) -> void {
        throw std::runtime_error("MLP weight file '" + path.string() + "' at byte " + std::to_string(offset) +
                                 ": " + what);
    };
    auto read = [&](void* dst, std::size_t bytes, const char* what) {
        in.read(static_cast<char*>(dst), static_cast<std::streamsize>(bytes));
        if (static_cast<std::size_t>(in.gcount()) != bytes)
            fail(std::string("file ends while reading ") + what);
        offset += bytes;
    };
    auto get_u32 = [&](const char* what) {
        std::uint32_t v = 0;
        read(&v, sizeof v, what);
        return v;
    };
    char magic[sizeof file_magic] = {};
    read(magic, sizeof magic, "the magic number");
    if (std::memcmp(magic, file_magic, sizeof magic) != 0) fail("not a memxbar MLP weight file");
    if (get_u32("the scalar size") != sizeof(S))
        fail("written with another float type (expected " + std::to_string(sizeof(S)) + "-byte values)");
    const std::uint32_t tag_len = get_u32("the tag length");
    if (tag_len > (1u << 20)) fail("implausible tag length " + std::to_string(tag_len));
    std::string t(tag_len, '\0');
    read(t.data(), tag_len, "the tag");
    const std::uint32_t count = get_u32("the number of sizes");
    if (count < 2 || count > 1000) fail("implausible number of layer sizes " + std::to_string(count));
    std::vector<int> s;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t n = get_u32("a layer size");
        if (n < 1 || n > (1u << 24)) fail("implausible layer size " + std::to_string(n));
        s.push_back(static_cast<int>(n));
    }
    basic_mlp net;
    for (std::size_t l = 0; l + 1 < s.size(); ++l) {
        dense_layer<S> layer;
        layer.w.resize(s[l + 1], s[l]);
        layer.b.resize(s[l + 1]);
        read(layer.w.data(), sizeof(S) * static_cast<std::size_t>(layer.w.size()), "weights");
        read(layer.b.data(), sizeof(S) * static_cast<std::size_t>(layer.b.size()), "biases");
        if (!layer.w.allFinite() || !layer.b.allFinite())
            fail("non-finite weights in layer " + std::to_string(l));
        net.layers.push_back(std::move(layer));
    }
    if (in.peek() != std::char_traits<char>::eof()) fail("unexpected bytes after the last layer");
    if (tag) *tag = std::move(t);
    return net;
}

mlp load_or_train(const std::filesystem::path& cache, const std::string& tag,
                  const std::function<mlp()>& train_fn) {
    if (std::filesystem::exists(cache)) {
        try {
            std::string found;
            mlp net = mlp::load(cache, &found);
            if (found == tag) return net;
            std::cerr << "memxbar: '" << cache.string() << "' was trained otherwise (" << found
                      << "); training again\n";
        } catch (const std::runtime_error& e) {
            std::cerr << "memxbar: ignoring unreadable cache: " << e.what() << "; training again\n";
        }
    }
    mlp net = train_fn();
    net.save(cache, tag);
    return net;
}

template class basic_mlp<float>;
template class basic_mlp<double>;

} // namespace memxbar::experiments
