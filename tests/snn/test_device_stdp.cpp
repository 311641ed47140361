// Device-level STDP: the window that emerges from overlapping waveforms on each device card has the
// right signs (causal potentiates, anti-causal depresses), vanishes beyond the waveforms, respects the
// device bounds; a single waveform changes nothing; configurations where it would are refused.
#include "snn/errors.hpp"
#include "snn/stdp_window.hpp"
#include "snn/synapses.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

using namespace memxbar::snn;

namespace {

synapse_config device_rule(const std::string& card) {
    synapse_config c;
    c.rule = rule_kind::device_stdp;
    c.device_card = card;
    return c;
}

} // namespace

TEST_CASE("Device STDP window: signs, extent and bounds for every preset card", "[device_stdp]") {
    const double dt = 0.5e-3;
    const std::vector<double> dts = {-30e-3, -10e-3, -5e-3, -2e-3, 2e-3, 5e-3, 10e-3, 30e-3};
    for (const std::string card :
         {"neurosim_agsi", "soft_bounds_default", "pcm_boybat2018", "vteam_memtorch", "stanford_pku"}) {
        const auto win = measure_stdp_window(device_rule(card), dts, dt, 0.5, 2000, 7);
        std::printf("%-20s", card.c_str());
        for (const auto& p : win)
            std::printf(" %+.0f ms: %+.4f", p.delta_t * 1e3, p.dw_mean);
        std::printf("\n");
        INFO(card);
        // waveforms last 21 ms: pairs 30 ms apart never overlap, the weight does not move at all
        CHECK(win.front().dw_mean == 0.0);
        CHECK(win.back().dw_mean == 0.0);
        CHECK(win.front().dw_std == 0.0);
        for (std::size_t k = 1; k + 1 < win.size(); ++k) {
            INFO("delta_t = " << win[k].delta_t);
            if (win[k].delta_t > 0 && win[k].delta_t < 6e-3) CHECK(win[k].dw_mean > 0.0);
            if (win[k].delta_t < 0 && win[k].delta_t > -6e-3) CHECK(win[k].dw_mean < 0.0);
        }
        // closer pairs act more strongly (the tail decays)
        CHECK(win[4].dw_mean >= win[5].dw_mean);
        CHECK(win[3].dw_mean <= win[2].dw_mean);
    }
}

TEST_CASE("Device STDP respects the device bounds under repeated pairing", "[device_stdp]") {
    const double dt = 0.5e-3;
    for (const std::string card :
         {"neurosim_agsi", "soft_bounds_default", "pcm_boybat2018", "vteam_memtorch"}) {
        INFO(card);
        synapse_config c = device_rule(card);
        c.d2d_sigma = 0.0; // every device with the nominal bounds
        auto layer = make_synapses(c, 1, 8, dt, 3);
        const double lo = card == "pcm_boybat2018" ? -1.0 : 0.0; // differential pair: G+ - G-
        std::vector<std::uint32_t> row{0}, cols{0, 1, 2, 3, 4, 5, 6, 7};
        const auto mean = [&] {
            double m = 0.0;
            for (const double w : layer->weights())
                m += w / 8.0;
            return m;
        };
        const double start = mean();
        double after_causal = 0.0;
        std::int64_t s = 0;
        for (int rep = 0; rep < 2000; ++rep) { // pairs 2 ms apart, every 50 ms: causal, then anti-causal
            const bool causal = rep < 1000;
            for (int k = 0; k < 100; ++k, ++s) {
                if (k == (causal ? 0 : 4)) layer->on_pre(row, s);
                if (k == (causal ? 4 : 0)) layer->on_post(cols, s);
                layer->advance(s);
            }
            for (const double w : layer->weights()) { // after every pair has run its course
                REQUIRE(w <= 1.0 + 1e-12);
                REQUIRE(w >= lo - 1e-12);
            }
            if (rep == 999) after_causal = mean();
        }
        std::printf("%-20s mean weight %.3f -> %.3f (causal) -> %.3f (anti-causal)\n", card.c_str(), start,
                    after_causal, mean());
        CHECK(after_causal > start + 0.1);
        CHECK(mean() < after_causal);
    }
}

TEST_CASE("A single pre or post waveform alone changes nothing", "[device_stdp]") {
    const double dt = 0.5e-3;
    for (const std::string card : {"neurosim_agsi", "pcm_boybat2018", "vteam_memtorch", "stanford_pku"}) {
        INFO(card);
        auto layer = make_synapses(device_rule(card), 4, 4, dt, 5);
        const std::vector<double> before(layer->weights().begin(), layer->weights().end());
        std::vector<std::uint32_t> rows{0, 1}, cols{2, 3};
        // rows 0, 1 and columns 2, 3 spike 100 ms apart: every waveform is alone on its devices
        for (std::int64_t s = 0; s < 400; ++s) {
            if (s % 200 == 0) layer->on_pre(rows, s);
            if (s % 200 == 100) layer->on_post(cols, s);
            layer->advance(s);
        }
        const auto after = layer->weights();
        for (std::size_t k = 0; k < before.size(); ++k)
            CHECK(after[k] == before[k]);
    }
}

TEST_CASE("Waveforms that program a device on their own are refused", "[device_stdp]") {
    synapse_config c = device_rule("neurosim_agsi");
    c.custom_waveforms = true;
    c.waveforms = default_device_stdp("neurosim");
    c.waveforms.post.A_peak = 1.2; // above v_th_pot = 1 V on its own
    CHECK_THROWS_AS(make_synapses(c, 2, 2, 0.5e-3, 1), snn_error);
    CHECK_THROWS_WITH(make_synapses(c, 2, 2, 0.5e-3, 1), Catch::Contains("post waveform alone"));
    c = device_rule("vteam_memtorch");
    c.custom_waveforms = true;
    c.waveforms = default_device_stdp("vteam");
    c.waveforms.pre.A_peak = 0.05; // beyond v_off = 0.02 V
    CHECK_THROWS_WITH(make_synapses(c, 2, 2, 0.5e-3, 1), Catch::Contains("pre waveform alone"));
    c = device_rule("no_such_card");
    CHECK_THROWS(make_synapses(c, 2, 2, 0.5e-3, 1));
}

TEST_CASE("Querlioz rule: LTP for inputs within t_LTP, LTD for the others", "[querlioz]") {
    synapse_config c;
    c.rule = rule_kind::querlioz;
    c.device_card = "soft_bounds_default";
    const double dt = 0.5e-3;
    const std::vector<double> dts = {-10e-3, 10e-3, 40e-3, 60e-3};
    const auto win = measure_stdp_window(c, dts, dt, 0.5, 16, 1);
    CHECK(win[0].dw_mean < 0.0); // input fired after the post spike: LTD
    CHECK(win[1].dw_mean > 0.0);
    CHECK(win[2].dw_mean > 0.0); // within t_LTP = 45 ms
    CHECK(win[3].dw_mean < 0.0); // beyond
}

TEST_CASE("Device-to-device spread scales with d2d_sigma", "[device_stdp]") {
    synapse_config c = device_rule("neurosim_agsi");
    const double dt = 0.5e-3;
    const std::vector<double> dts = {3e-3};
    c.d2d_sigma = 0.0;
    c.custom_waveforms = false;
    const auto none = measure_stdp_window(c, dts, dt, 0.5, 64, 2);
    c.d2d_sigma = 0.5;
    const auto spread = measure_stdp_window(c, dts, dt, 0.5, 64, 2);
    CHECK(spread[0].dw_std > none[0].dw_std);
}
