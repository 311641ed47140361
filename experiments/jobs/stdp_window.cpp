// stdp_window: the weight change one pre/post spike pair produces as a function of their time
// difference, measured by simulating fresh synapses (snn/stdp_window.hpp). For device rules the window
// is the device's own response to the overlapping spike waveforms (nothing about it is coded); the
// ideal trace rule is the reference. One row per delta_t.
#include "snn/stdp_window.hpp"
#include "experiments/jobs/jobs.hpp"
#include "experiments/jobs/synapse_params.hpp"
#include "snn/synapses.hpp"

#include <cmath>

namespace memxbar::experiments {

namespace {

snn::synapse_config window_synapse_config(const point& p) {
    auto c = synapse_config_of(p);
    // A single pair never potentiates under the triplet rule (its x_post2 is still 0 at the first post
    // spike), so the window of the trace rule is drawn with the pair rule unless tau_post2 is set.
    c.stdp.tau_post2 = p.real("tau_post2");
    return c;
}

std::vector<double> delta_ts(const point& p) {
    const double lo = p.real("delta_t_min"), hi = p.real("delta_t_max");
    const auto n = static_cast<std::size_t>(p.integer("delta_t_points"));
    std::vector<double> out(n);
    for (std::size_t k = 0; k < n; ++k)
        out[k] = n == 1 ? lo : lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(n - 1);
    return out;
}

void validate(const point& p) {
    if (p.real("delta_t_min") > p.real("delta_t_max"))
        throw job_error("delta_t_min > delta_t_max: the range must be increasing");
    validate_synapses(window_synapse_config(p), p.text("rule"), p.real("dt"));
}

std::vector<row> run(const point& p, const job_context& ctx) {
    const auto c = window_synapse_config(p);
    const auto dts = delta_ts(p);
    std::vector<snn::window_point> win;
    try {
        win = snn::measure_stdp_window(c, dts, p.real("dt"), p.real("w0"),
                                       static_cast<std::size_t>(p.integer("devices")), p.seed());
    } catch (const std::exception& e) {
        throw job_error(e.what());
    }
    if (ctx.report) ctx.report(1.0);
    double peak = 0.0; // largest |mean change|: the normalised curve compares cards of any step size
    for (const auto& w : win)
        peak = std::max(peak, std::abs(w.dw_mean));
    std::vector<row> rows;
    for (const auto& w : win)
        rows.push_back({w.delta_t, w.dw_mean, w.dw_std, peak > 0 ? w.dw_mean / peak : 0.0});
    return rows;
}

} // namespace

job make_stdp_window_job() {
    job j;
    j.name = "stdp_window";
    j.summary = "STDP window of a learning rule or device card: weight change per spike pair vs delta_t";
    j.params = {
        {"rule",
         value_kind::text,
         std::string("device_stdp"),
         0,
         0,
         "",
         "learning rule: device_stdp, querlioz (device cards), trace_stdp, kbit_stdp (digital reference)",
         {"device_stdp", "querlioz", "trace_stdp", "kbit_stdp"}},
        {"device_card",
         value_kind::text,
         std::string("neurosim_agsi"),
         0,
         0,
         "",
         "device rules: card name (memxbar device --list) or .toml path; ignored by the digital rules",
         {}},
        {"bits",
         value_kind::integer,
         std::int64_t{4},
         0,
         16,
         "",
         "kbit_stdp: weight resolution (2^bits levels)",
         {}},
        {"d2d_sigma",
         value_kind::real,
         -1.0,
         -1.0,
         10.0,
         "",
         "relative device-to-device spread of the main model parameters (-1: the card's own)",
         {}},
        {"tau_post2",
         value_kind::real,
         0.0,
         0.0,
         1.0,
         "s",
         "trace rules: slow post trace of the triplet rule (0: pair rule, the only one a single pair moves)",
         {}},
        {"delta_t_min", value_kind::real, -30e-3, -1.0, 1.0, "s", "first t_post - t_pre", {}},
        {"delta_t_max", value_kind::real, 30e-3, -1.0, 1.0, "s", "last t_post - t_pre", {}},
        {"delta_t_points",
         value_kind::integer,
         std::int64_t{121},
         1,
         100000,
         "",
         "spike-time differences, evenly spaced (rounded to the time step)",
         {}},
        {"w0", value_kind::real, 0.5, 0.0, 1.0, "", "initial weight of every measured synapse", {}},
        {"devices",
         value_kind::integer,
         std::int64_t{200},
         1,
         1000000,
         "",
         "independent synapses per delta_t (mean and spread of the change)",
         {}},
        {"dt", value_kind::real, 0.5e-3, 1e-6, 1e-2, "s", "network time step", {}},
    };
    j.columns = {"delta_t", "dw_mean", "dw_std", "dw_norm"};
    j.column_units = {"s", "", "", ""};
    j.run = run;
    j.validate = validate;
    j.plot_script = "plot_stdp_window.py";
    return j;
}

} // namespace memxbar::experiments
