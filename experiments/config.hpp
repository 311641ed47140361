// Experiment configs (TOML): which job, its parameters, sweeps (grid and zipped lists), Monte Carlo
// repetitions, base seed and figure options. Every mistake is a config_error naming file, line, key,
// the value and what is allowed. docs/config.md is the reference of every key.
#pragma once

#include "experiments/job.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace memxbar::experiments {

struct config_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One dimension of the sweep: a single swept parameter (grid) or several zipped together. values[k]
// holds the list of parameter params[k]; all lists have the same length.
struct sweep_axis {
    std::vector<std::size_t> params;
    std::vector<std::vector<value>> values;
    std::size_t size() const { return values.empty() ? 0 : values.front().size(); }
};

struct plot_options {
    std::string x, y, hue, facet; // column names ("" = the job's own figure decides)
    bool logx = false, logy = false;
    std::string title;
};

struct experiment_config {
    std::string path; // the file, or "<string>"
    std::string text; // the config as written (recorded in the metadata)
    std::string name; // results/<name>/ and <name>.csv
    std::string description;
    const job* the_job = nullptr;
    std::uint64_t seed = 1; // repetition r uses seed + r
    int repetitions = 1;
    std::vector<value> base;      // every parameter: default, or the [parameters] value
    std::vector<sweep_axis> axes; // in the order of the job's parameters; the last varies fastest
    plot_options plot;
    std::vector<std::string> overrides; // --set KEY=VALUE applied after parsing (recorded in the metadata)
    std::size_t points() const;         // product of the axes' sizes (1 without sweeps)
};

experiment_config parse_config(const std::string& text, const std::string& path);
experiment_config load_config(const std::string& path); // throws config_error if unreadable

// Command-line overrides, "KEY=VALUE" with a TOML value: a parameter fixed (rows=64, card=neurosim_agsi)
// or swept (r_wire=[1,2.5]; replaces the config's own sweep of it), or seed, repetitions, name.
void apply_overrides(experiment_config& c, const std::vector<std::string>& sets);

// The parameter values of every point, in run order (grid: odometer over the axes, last fastest).
std::vector<std::vector<value>> expand(const experiment_config& c);

// "rows=64, r_wire=2.5": the swept parameters of a point, for messages.
std::string describe_point(const experiment_config& c, const std::vector<value>& values);

} // namespace memxbar::experiments
