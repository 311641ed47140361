// The spiking-network experiments of issue 6 end to end through `memxbar run` (docs/snn_experiments.md):
// the stdp_window job's windows have the right signs and vanish beyond the waveforms; a short
// unsupervised run on a small MNIST slice learns well above chance and writes its receptive fields and
// their figures; bad configurations stop before any run and name the key. About 30 s on one core.
#include "cli_runner.hpp"
#include "results_csv.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <vector>

using namespace memxbar::testing;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {} // namespace

TEST_CASE("stdp_window: causal pairs potentiate, anti-causal depress, nothing beyond the waveforms",
          "[snn_study]") {
    const scratch_dir d("snn_window");
    // 5 ms steps from -30 to +30 ms; the preset waveforms last 21 ms (1 ms peak + 20 ms tail)
    d.write("w.toml", R"(job = "stdp_window"
name = "w"
[parameters]
rule = "device_stdp"
delta_t_min = -0.03
delta_t_max = 0.03
delta_t_points = 13
devices = 100
[sweep]
device_card = ["neurosim_agsi", "soft_bounds_default", "pcm_boybat2018", "vteam_memtorch"]
)");
    const auto r = run_memxbar("run " + (d / "w.toml") + " --jobs 1 --out " + (d / "w"), d);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto t = read_results_csv(slurp(d / "w/w.csv"));
    REQUIRE(t.rows.size() == 4 * 13);
    const auto card = t.col("device_card"), dt = t.col("delta_t"), m = t.col("dw_mean"), s = t.col("dw_std");
    for (const auto& row : t.rows) {
        const double delta = std::stod(row[dt]), mean = std::stod(row[m]), sd = std::stod(row[s]);
        INFO(row[card] << " delta_t = " << delta << " dw = " << mean);
        if (delta > 0 && delta <= 5.001e-3) CHECK(mean > 0.0);
        if (delta < 0 && delta >= -5.001e-3) CHECK(mean < 0.0);
        if (std::abs(delta) >= 24.999e-3) { // beyond the waveform span: not a single device moves
            CHECK(mean == 0.0);
            CHECK(sd == 0.0);
        }
    }
    CHECK(fs::exists(d / "w/w.png"));
}

TEST_CASE("snn_accuracy: a short unsupervised run learns MNIST well above chance and draws its fields",
          "[snn_study]") {
    const scratch_dir d("snn_learn");
    // N = 50, 1,000 balanced training digits (one pass), labels from the same 1,000, 500 test digits.
    d.write("s.toml", R"(job = "snn_accuracy"
name = "s"
seed = 1
[parameters]
dataset = "mnist"
n_neurons = 50
train_limit = 1000
label_limit = 1000
test_limit = 500
[sweep]
rule = ["trace_stdp", "none"]
)");
    const auto r = run_memxbar("run " + (d / "s.toml") + " --jobs 1 --out " + (d / "s"), d);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto t = read_results_csv(slurp(d / "s/s.csv"));
    REQUIRE(t.rows.size() == 2);
    const double learned = std::stod(t.rows[0][t.col("accuracy")]);
    const double fixed = std::stod(t.rows[1][t.col("accuracy")]);
    std::printf("N = 50, 1000 digits: trace STDP %.3f, static random weights %.3f\n", learned, fixed);
    // Chance is 10 %. Measured with seed 1: 0.678 learned, 0.358 with the initial random weights frozen
    // (the winner-take-all and labeling alone already beat chance). The floors leave ~0.15 for the
    // Poisson draws while still failing if the rule, the labeling or the training order breaks (a class-
    // ordered pass, for one, leaves most neurons on the last classes shown).
    CHECK(learned > 0.5);
    CHECK(learned > fixed + 0.15);
    CHECK(std::stod(t.rows[0][t.col("spikes_per_image")]) > 1.0);
    const std::string fields = t.rows[0][t.col("fields")];
    CHECK(fields == "fields/point_0");
    REQUIRE(fs::exists(d / ("s/" + fields + ".bin")));
    CHECK(fs::file_size(d / ("s/" + fields + ".bin")) == 784u * 50u * sizeof(float));
    CHECK(fs::exists(d / ("s/" + fields + ".csv")));
    CHECK(fs::exists(d / "s/s.png"));
    CHECK(fs::exists(d / "s/figures/fields_0.png"));
    CHECK(fs::exists(d / "s/figures/hist_0.png"));
}

TEST_CASE("snn_accuracy: bad configurations stop before any run and name the key", "[snn_study]") {
    const scratch_dir d("snn_bad");
    const auto expect_error = [&](const std::string& name, const std::string& body, const std::string& key) {
        d.write(name + ".toml", "job = \"snn_accuracy\"\n[parameters]\ntrain_limit = 10\n" + body);
        const auto r = run_memxbar("run " + (d / (name + ".toml")) + " --no-plot --out " + (d / name), d);
        INFO(r.err);
        CHECK(r.status != 0);
        CHECK_THAT(r.err, Contains(key));
        CHECK_FALSE(fs::exists(d / (name + "/" + name + ".csv")));
    };
    expect_error("rule", "rule = \"hebbian\"\n", "rule");
    expect_error("bits", "rule = \"kbit_stdp\"\nbits = 0\n", "bits = 0");
    expect_error("card", "rule = \"device_stdp\"\ndevice_card = \"no_such_device\"\n", "device_card");
    expect_error("nocard", "rule = \"querlioz\"\n", "device_card");
}
