// Speed of the Diehl & Cook network (N excitatory + N inhibitory, 784 Poisson inputs, dt = 0.5 ms,
// 350 ms + 150 ms per image) on random "MNIST-statistics" images: 19 % of the pixels on with grey
// levels U(95, 255)/255, as ../shared/tools/brian2_stdp_bench.py draws them. Prints one JSON line per
// configuration with seconds per image (wall), spike counts and device updates. Runs one core.
//
//   ./bench_snn [N=400] [images=100] [device_images=100] [card=neurosim_agsi]
// bench/bench_snn.py runs this and Brian2 (cpp_standalone) in the same session and prints the ratio.
#include "snn/network.hpp"
#include "snn/random_keys.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace memxbar::snn;
using clock_type = std::chrono::steady_clock;

namespace {

std::vector<float> mnist_like(std::size_t n, std::uint64_t seed) {
    const memxbar::devices::random_stream rng(seed, test_purpose);
    std::vector<float> px(n * 784, 0.0f);
    for (std::size_t k = 0; k < n; ++k)
        for (std::size_t i = 0; i < 784; ++i)
            if (rng.uniform(k, i, 0) < 0.19)
                px[k * 784 + i] = static_cast<float>((95.0 + 160.0 * rng.uniform(k, i, 1)) / 255.0);
    return px;
}

void run(const char* name, network_config c, std::size_t images, std::uint64_t seed) {
    const auto px = mnist_like(images, 1);
    const auto t_build = clock_type::now();
    network net(c, seed);
    const double build = std::chrono::duration<double>(clock_type::now() - t_build).count();
    std::uint64_t in = 0, exc = 0, boosts = 0;
    const auto t0 = clock_type::now();
    net.train({px, 784, {}}, [&](const progress& p) {
        in += p.last.input_spikes;
        exc += p.last.exc_spikes;
        boosts += static_cast<std::uint64_t>(p.last.boosts);
    });
    const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
    const auto& st = net.synapses().stats;
    std::printf(
        "{\"config\": \"%s\", \"N\": %zu, \"images\": %zu, \"s_per_image\": %.5f, \"wall_s\": %.3f, "
        "\"setup_s\": %.3f, \"input_spikes\": %llu, \"exc_spikes_accepted\": %llu, \"repeats\": %llu, "
        "\"device_updates\": %llu, \"pulses\": %llu, \"refreshes\": %llu, \"simulated_s\": %.1f}\n",
        name, c.n_neurons, images, wall / static_cast<double>(images), wall, build,
        static_cast<unsigned long long>(in), static_cast<unsigned long long>(exc),
        static_cast<unsigned long long>(boosts), static_cast<unsigned long long>(st.device_updates),
        static_cast<unsigned long long>(st.pulses), static_cast<unsigned long long>(st.refreshes),
        net.simulated_seconds());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    const std::size_t N = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 400;
    const std::size_t images = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 100;
    const std::size_t dev_images = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 100;
    const std::string card = argc > 4 ? argv[4] : "neurosim_agsi";
    try {
        network_config c;
        c.n_neurons = N;
        c.synapses.rule = rule_kind::trace_stdp;
        run("ideal trace STDP (float)", c, images, 1);
        c.synapses.rule = rule_kind::none;
        run("static float weights (no STDP)", c, images, 1);
        c.synapses.rule = rule_kind::device_stdp;
        c.synapses.device_card = card;
        run(("device STDP, " + card).c_str(), c, dev_images, 1);
        c.synapses.rule = rule_kind::querlioz;
        run(("Querlioz rule, " + card).c_str(), c, dev_images, 1);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_snn: %s\n", e.what());
        return 1;
    }
}
