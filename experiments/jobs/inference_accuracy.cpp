// inference_accuracy: test accuracy of one trained MLP run as float32, int8 or int4 digital, or through
// the analog MVM engine (crossbar/analog_mvm.hpp) with the non-idealities a point switches on: the
// analog-vs-digital study of issue 5 (docs/analog_vs_digital.md). The network is trained once per
// (dataset, sizes, epochs, train_limit, train_seed) and shared by every point and repetition, so the
// repetitions vary only the device draws (the repetition seed), never the network.
#include "experiments/quantize.hpp"

#include "crossbar/analog_mvm.hpp"
#include "experiments/datasets.hpp"
#include "experiments/jobs/analog_params.hpp"
#include "experiments/jobs/jobs.hpp"
#include "experiments/jobs/shared_cache.hpp"
#include "experiments/mlp.hpp"

#include <cmath>
#include <memory>
#include <sstream>

namespace memxbar::experiments {

namespace {

// "256" or "256,128" -> {256, 128}; throws job_error on anything else.
std::vector<int> parse_hidden(const std::string& text) {
    std::vector<int> out;
    std::stringstream s(text);
    std::string item;
    while (std::getline(s, item, ',')) {
        std::size_t used = 0;
        int n = 0;
        try {
            n = std::stoi(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != item.size() || n < 1 || n > 65536)
            throw job_error(
                "hidden = \"" + text +
                "\": expected comma-separated layer sizes in [1, 65536], e.g. \"256\" or \"256,128\"");
        out.push_back(n);
    }
    if (out.empty()) throw job_error("hidden = \"\": at least one hidden layer size, e.g. \"256\"");
    return out;
}

// Everything one trained network needs, shared read-only by every point that uses it.
struct trained_net {
    mlp net;
    dataset test;
    Eigen::MatrixXf calibration; // first training images: ADC ranges and int8/int4 activation ranges
    double float_accuracy = 0.0;
};

std::string cache_key(const point& p) {
    std::ostringstream k;
    k << p.text("dataset") << "_h" << p.text("hidden") << "_e" << p.integer("epochs") << "_n"
      << p.integer("train_limit") << "_s" << p.integer("train_seed") << "_t" << p.integer("test_limit");
    return k.str();
}

// Training and data loading are by far the most expensive part of a point: one in-process entry per key
// (threads of one run wait on the first), and mlp files under out_dir/cache (resumed runs, MPI ranks).
std::shared_ptr<const trained_net> trained_for(const point& p, const job_context& ctx) {
    const std::string key = cache_key(p);
    return shared_cache<trained_net>::get(key, [&] {
        const auto& name = p.text("dataset");
        const auto train_limit = static_cast<std::size_t>(p.integer("train_limit"));
        const auto test_limit = static_cast<std::size_t>(p.integer("test_limit"));
        const dataset train = load_dataset(name, split::train, train_limit);
        auto t = std::make_shared<trained_net>();
        t->test = load_dataset(name, split::test, test_limit);
        std::vector<int> sizes = {train.pixels()};
        for (int h : parse_hidden(p.text("hidden")))
            sizes.push_back(h);
        sizes.push_back(train.classes);
        train_options opt;
        opt.epochs = static_cast<int>(p.integer("epochs"));
        const auto seed = static_cast<std::uint64_t>(p.integer("train_seed"));
        opt.seed = seed;
        // The tag pins everything the weights depend on, so a stale file is retrained, never reused.
        const std::string tag = "inference_accuracy " + key + " " + opt.describe();
        const auto file = ctx.out_dir / "cache" / (key + ".mlp");
        std::filesystem::create_directories(file.parent_path());
        t->net = load_or_train(file, tag, [&] {
            mlp net(sizes, seed);
            net.train(train.images, train.labels, opt);
            return net;
        });
        const Eigen::Index n_cal = std::min<Eigen::Index>(512, train.images.cols());
        t->calibration = train.images.leftCols(n_cal);
        t->float_accuracy = t->net.accuracy(t->test);
        return std::shared_ptr<const trained_net>(std::move(t));
    });
}

std::vector<row> run(const point& p, const job_context& ctx) {
    const auto t = trained_for(p, ctx);
    const mlp& net = t->net;
    const auto& backend = p.text("backend");
    const auto n_test = static_cast<double>(t->test.size());

    // First layer's output against float: accumulated inside the product hook (one thread per run).
    double err2 = 0.0, ref2 = 0.0;
    const Eigen::MatrixXf& W0 = net.layers.front().w;
    auto track = [&](int layer, const Eigen::MatrixXf& x, const Eigen::MatrixXf& y) {
        if (layer != 0) return;
        const Eigen::MatrixXf y0 = W0 * x;
        err2 += static_cast<double>((y - y0).squaredNorm());
        ref2 += static_cast<double>(y0.squaredNorm());
    };
    const value none = std::monostate{};
    row r;
    try {
        if (backend == "float32") {
            r = {t->float_accuracy, t->float_accuracy, 0.0, none, none, none, none, none};
        } else if (backend == "int8" || backend == "int4") {
            quant_config q;
            q.weight_bits = q.activation_bits = backend == "int8" ? 8 : 4;
            // At 4 bits, clipping the rare largest activations buys finer steps for the common ones.
            q.activation_percentile = backend == "int8" ? 100.0 : 99.9;
            const quantized_mlp qnet(net, t->calibration, q);
            const auto hook = qnet.matmul();
            const double acc = net.accuracy(t->test, [&](int l, const Eigen::MatrixXf& x) {
                Eigen::MatrixXf y = hook(l, x);
                track(l, x, y);
                return y;
            });
            r = {acc, t->float_accuracy, std::sqrt(err2 / ref2), none, none, none, none, none};
        } else {
            // Program and calibrate the ADC ranges right after programming (drift_time 0), then read at
            // drift_time: a range set on the drifted array would hide what drift does to the converters.
            auto cfg = analog_config_of(p);
            cfg.drift_time = 0.0;
            // Calibration activations of every layer from the float network (noise-free ADC ranges).
            const auto acts = net.forward_all(t->calibration);
            std::vector<crossbar::analog_mvm> mvms;
            mvms.reserve(net.layers.size());
            double pulses = 0.0, program_energy = 0.0;
            for (std::size_t l = 0; l < net.layers.size(); ++l) {
                mvms.emplace_back(net.layers[l].w, cfg);
                mvms.back().calibrate(acts[l].cast<double>());
                mvms.back().set_drift_time(p.real("drift_time"));
                pulses += static_cast<double>(mvms.back().programming().pulses_total);
                program_energy += mvms.back().programming().energy_total;
            }
            double e_analog = 0.0, e_int8 = 0.0, e_fp32 = 0.0;
            const double acc = net.accuracy(t->test, [&](int l, const Eigen::MatrixXf& x) {
                auto& m = mvms[static_cast<std::size_t>(l)];
                Eigen::MatrixXf y = m.apply(x);
                const auto& e = m.energy();
                e_analog += e.analog_total();
                e_int8 += e.digital_int8_sram;
                e_fp32 += e.digital_fp32_sram;
                track(l, x, y);
                return y;
            });
            r = {acc,
                 t->float_accuracy,
                 std::sqrt(err2 / ref2),
                 e_analog / n_test,
                 e_int8 / n_test,
                 e_fp32 / n_test,
                 static_cast<std::int64_t>(pulses),
                 program_energy};
        }
    } catch (const job_error&) {
        throw;
    } catch (const std::exception& ex) {
        throw job_error(ex.what());
    }
    return {r};
}

} // namespace

job make_inference_accuracy_job() {
    job j;
    j.name = "inference_accuracy";
    j.summary = "test accuracy of one trained MLP as float32, int8, int4 or on the analog MVM engine (device "
                "card, noise, converters, IR drop, drift)";
    j.params = {
        {"dataset",
         value_kind::text,
         std::string("mnist"),
         0,
         0,
         "",
         "data set (docs/datasets.md)",
         {"mnist", "fashion_mnist"}},
        {"hidden",
         value_kind::text,
         std::string("256"),
         0,
         0,
         "",
         "hidden layer sizes, comma-separated (\"256\", \"256,128\")",
         {}},
        {"epochs",
         value_kind::integer,
         std::int64_t{20},
         1,
         1000,
         "",
         "training epochs (Adam, batch 64)",
         {}},
        {"train_limit",
         value_kind::integer,
         std::int64_t{0},
         0,
         1000000,
         "",
         "training images, balanced per class (0: all)",
         {}},
        {"test_limit",
         value_kind::integer,
         std::int64_t{0},
         0,
         1000000,
         "",
         "test images, balanced per class (0: all)",
         {}},
        {"train_seed",
         value_kind::integer,
         std::int64_t{1},
         0,
         1000000000,
         "",
         "seed of the training (fixed: every repetition uses the same network)",
         {}},
        {"backend",
         value_kind::text,
         std::string("analog"),
         0,
         0,
         "",
         "float32, int8 or int4 digital, or analog (the engine)",
         {"float32", "int8", "int4", "analog"}},
    };
    for (auto& q : analog_params("analog: "))
        j.params.push_back(std::move(q));
    j.columns = {"accuracy",    "float_accuracy", "layer1_rel_error", "energy_analog",
                 "energy_int8", "energy_fp32",    "program_pulses",   "program_energy"};
    j.column_units = {"", "", "", "J", "J", "J", "", "J"};
    j.run = run;
    j.validate = [](const point& p) {
        parse_hidden(p.text("hidden"));
        if (p.text("backend") != "analog") return;
        try {
            analog_config_of(p).validate();
        } catch (const std::exception& e) {
            throw job_error(e.what());
        }
    };
    j.plot_script = "plot_inference";
    return j;
}

} // namespace memxbar::experiments
