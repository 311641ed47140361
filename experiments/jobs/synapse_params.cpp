#include "experiments/jobs/synapse_params.hpp"

#include "devices/card.hpp"

namespace memxbar::experiments {

namespace {
bool uses_device(snn::rule_kind r) {
    return r == snn::rule_kind::device_stdp || r == snn::rule_kind::querlioz;
}
} // namespace

snn::synapse_config synapse_config_of(const point& p) {
    snn::synapse_config c;
    try {
        c.rule = snn::parse_rule(p.text("rule"));
    } catch (const std::exception& e) {
        throw job_error(std::string("rule: ") + e.what());
    }
    c.bits = static_cast<int>(p.integer("bits"));
    c.device_card = p.text("device_card");
    c.d2d_sigma = p.real("d2d_sigma");
    if (p.has("d2d_scale")) c.d2d_scale = p.real("d2d_scale");
    return c;
}

void validate_synapses(const snn::synapse_config& c, const std::string& rule, double dt,
                       const std::function<void()>& more) {
    if (uses_device(c.rule)) {
        if (c.device_card.empty())
            throw job_error("device_card = \"\": rule " + rule +
                            " needs a device card (memxbar device --list)");
        try {
            (void)devices::load_card(c.device_card);
        } catch (const std::exception& e) {
            throw job_error("device_card = \"" + c.device_card + "\": " + e.what());
        }
    }
    if (c.rule == snn::rule_kind::kbit_stdp && c.bits < 1)
        throw job_error("bits = " + std::to_string(c.bits) + ": kbit_stdp needs at least 1 bit");
    try {
        if (more) more();
        (void)snn::make_synapses(c, 1, 1, dt, 1);
    } catch (const std::exception& e) {
        throw job_error(std::string(uses_device(c.rule) ? "device_card = \"" + c.device_card + "\": " : "") +
                        e.what());
    }
}

} // namespace memxbar::experiments
