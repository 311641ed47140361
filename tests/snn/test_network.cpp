// The Diehl & Cook network on a small synthetic task: 10 random prototype images (~19 % of 784 pixels on,
// like MNIST, 12 % shared by all classes) shown with noise. Unsupervised training, labeling by strongest
// response, accuracy on held-out noisy images must clear chance (10 %) by a wide margin. Same seed =>
// identical weights.
#include "snn/labeling.hpp"
#include "snn/network.hpp"
#include "snn/random_keys.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <vector>

using namespace memxbar::snn;
using memxbar::devices::random_stream;

namespace {

struct synthetic {
    std::vector<float> pixels;
    std::vector<std::uint8_t> labels;
    image_set set() const { return {pixels, 784, labels}; }
};

// n images cycling through 10 prototypes; each "on" pixel of the prototype kept with probability 0.8 at
// a random grey level in [0.4, 1], plus 3 % random background pixels.
synthetic make_images(std::size_t n, std::uint64_t seed) {
    const random_stream proto(99, test_purpose), noise(seed, test_purpose);
    synthetic s;
    s.pixels.assign(n * 784, 0.0f);
    for (std::size_t k = 0; k < n; ++k) {
        const auto c = static_cast<std::uint8_t>(k % 10);
        s.labels.push_back(c);
        for (std::size_t i = 0; i < 784; ++i) {
            // a shared background pattern (12 % of the pixels) plus 8 % specific to the class: random
            // weights respond to every class alike
            const bool on = proto.uniform(100, i) < 0.12 || proto.uniform(c, i) < 0.08;
            const double u = noise.uniform(k, i, 0), g = noise.uniform(k, i, 1);
            if ((on && u < 0.8) || (!on && u < 0.03))
                s.pixels[k * 784 + i] = static_cast<float>(0.4 + 0.6 * g);
        }
    }
    return s;
}

double run(network_config cfg, std::size_t n_train, std::uint64_t seed) {
    network net(cfg, seed);
    const auto train = make_images(n_train, 1), label = make_images(100, 2), test = make_images(100, 3);
    net.train(train.set());
    const auto e = evaluate(net, label.set(), test.set(), 10);
    return e.accuracy;
}

network_config small(rule_kind rule, const char* card = "") {
    network_config c;
    c.n_neurons = 20;
    c.synapses.rule = rule;
    c.synapses.device_card = card;
    return c;
}

} // namespace

TEST_CASE("Unsupervised learning on noisy prototypes beats chance", "[network]") {
    SECTION("ideal trace STDP") {
        const double acc = run(small(rule_kind::trace_stdp), 400, 1);
        std::printf("trace_stdp accuracy %.2f\n", acc);
        CHECK(acc >= 0.6); // chance is 0.1, random weights reach ~0.3
    }
    SECTION("8-bit trace STDP") {
        network_config c = small(rule_kind::kbit_stdp);
        c.synapses.bits = 8;
        const double acc = run(c, 400, 1);
        std::printf("kbit_stdp accuracy %.2f\n", acc);
        CHECK(acc >= 0.5);
    }
    SECTION("device STDP on the NeuroSim Ag:a-Si card") {
        const double acc = run(small(rule_kind::device_stdp, "neurosim_agsi"), 400, 1);
        std::printf("device_stdp neurosim accuracy %.2f\n", acc);
        CHECK(acc >= 0.45);
    }
    SECTION("Querlioz rule on the soft-bounds card") {
        const double acc = run(small(rule_kind::querlioz, "soft_bounds_default"), 400, 1);
        std::printf("querlioz soft_bounds accuracy %.2f\n", acc);
        CHECK(acc >= 0.6);
    }
    SECTION("static random weights stay near chance") {
        network_config c = small(rule_kind::none);
        const double acc = run(c, 10, 1);
        std::printf("no learning accuracy %.2f\n", acc);
        CHECK(acc < 0.4); // the learned networks above clear this
    }
}

TEST_CASE("Same seed, same weights; another seed, other weights", "[network]") {
    for (auto [rule, card] :
         {std::pair{rule_kind::trace_stdp, ""}, std::pair{rule_kind::device_stdp, "neurosim_agsi"},
          std::pair{rule_kind::kbit_stdp, ""}}) {
        const auto imgs = make_images(20, 4);
        network a(small(rule, card), 11), b(small(rule, card), 11), other(small(rule, card), 12);
        a.train(imgs.set());
        b.train(imgs.set());
        other.train(imgs.set());
        const auto wa = a.weights(), wb = b.weights(), wo = other.weights();
        bool same = true, differ = false;
        for (std::size_t k = 0; k < wa.size(); ++k) {
            same = same && wa[k] == wb[k];
            differ = differ || wa[k] != wo[k];
        }
        CHECK(same);
        CHECK(differ);
        CHECK(a.theta() == b.theta());
    }
}

TEST_CASE("Network configuration errors name the parameter", "[network]") {
    network_config c;
    c.dt = 0.0;
    CHECK_THROWS_WITH(network(c, 1), Catch::Contains("dt"));
    c = network_config{};
    c.synapses.rule = rule_kind::device_stdp; // no card
    CHECK_THROWS_WITH(network(c, 1), Catch::Contains("device card"));
    c = network_config{};
    network net(c, 1);
    std::vector<float> bad(784, 0.5f);
    bad[3] = 2.0f;
    CHECK_THROWS_WITH(net.present(bad, true), Catch::Contains("pixel[3]"));
}

TEST_CASE("Circuit readout: the exact crossbar solve reduces to the ideal product without wires",
          "[readout]") {
    for (const char* card : {"", "neurosim_agsi"}) {
        INFO(card);
        synapse_config c;
        c.rule = *card ? rule_kind::device_stdp : rule_kind::trace_stdp;
        c.device_card = card;
        auto ideal = make_synapses(c, 16, 6, 0.5e-3, 3);
        c.readout = readout_kind::circuit;
        auto exact = make_synapses(c, 16, 6, 0.5e-3, 3);
        std::vector<std::uint32_t> rows{1, 4, 9, 15};
        std::vector<double> a(6, 0.0), b(6, 0.0);
        ideal->propagate(rows, a);
        exact->propagate(rows, b);
        for (std::size_t j = 0; j < 6; ++j)
            CHECK(b[j] == Approx(a[j]).epsilon(1e-9));
        // with wire resistance the far cells see less voltage: every column current drops
        c.wires.r_wire_row = c.wires.r_wire_col = *card ? 1e5 : 50.0;
        auto wired = make_synapses(c, 16, 6, 0.5e-3, 3);
        std::vector<double> w(6, 0.0);
        wired->propagate(rows, w);
        for (std::size_t j = 0; j < 6; ++j)
            CHECK(w[j] < a[j]);
    }
}
