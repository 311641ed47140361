#include "snn/stdp_window.hpp"

#include "devices/card.hpp"
#include "snn/errors.hpp"

#include <algorithm>
#include <cmath>

namespace memxbar::snn {

std::vector<window_point> measure_stdp_window(const synapse_config& c, std::span<const double> delta_t,
                                              double dt, double w0, std::size_t devices, std::uint64_t seed) {
    check_range("w0", w0, 0.0, 1.0, "", "initial weight of the measured synapses");
    if (devices == 0) throw snn_error("measure_stdp_window: devices must be at least 1");
    std::vector<window_point> out;
    // Longest waveform or trace the pair could still be acting through (steps after the later spike).
    const device_stdp_params wf = (c.rule == rule_kind::device_stdp && !c.custom_waveforms)
                                      ? default_device_stdp(devices::load_card(c.device_card).model)
                                      : c.waveforms;
    const double tail =
        std::max({wf.pre.duration(), wf.post.duration(), 5 * c.stdp.tau_pre, 5 * c.stdp.tau_post1});
    const auto tail_steps = static_cast<std::int64_t>(std::ceil(tail / dt)) + 2;
    std::vector<std::uint32_t> one{0}, cols(devices);
    for (std::size_t j = 0; j < devices; ++j)
        cols[j] = static_cast<std::uint32_t>(j);
    std::uint64_t point = 0;
    for (const double d : delta_t) {
        check_range("delta_t", d, -10.0, 10.0, "s", "spike-time difference");
        auto layer = make_synapses(c, 1, devices, dt, seed * 1000003ull + point++);
        const std::vector<double> start(devices, w0);
        layer->set_weights(start);
        const std::vector<double> before(layer->weights().begin(), layer->weights().end());
        const auto lag = static_cast<std::int64_t>(std::llround(d / dt));
        const std::int64_t t_pre = lag >= 0 ? 10 : 10 - lag, t_post = t_pre + lag;
        const std::int64_t end = std::max(t_pre, t_post) + tail_steps;
        layer->learning = true;
        for (std::int64_t s = 0; s < end; ++s) {
            if (s == t_pre) layer->on_pre(one, s);
            if (s == t_post) layer->on_post(cols, s);
            layer->advance(s);
        }
        const auto after = layer->weights();
        double m = 0.0, m2 = 0.0;
        for (std::size_t j = 0; j < devices; ++j) {
            const double dw = after[j] - before[j];
            m += dw;
            m2 += dw * dw;
        }
        m /= static_cast<double>(devices);
        const double var = std::max(0.0, m2 / static_cast<double>(devices) - m * m);
        out.push_back({static_cast<double>(lag) * dt, m, std::sqrt(var)});
    }
    return out;
}

} // namespace memxbar::snn
