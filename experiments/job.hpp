// What the runner runs: a job is a named computation with typed parameters (any of which a config may
// sweep) that turns one point of a sweep into result rows. Jobs know nothing of TOML, files of configs,
// threads or MPI; the runner (runner.hpp) expands sweeps, calls run() per point and repetition, and
// writes the tidy CSV: the job's parameters, then `repetition` and `seed`, then the job's columns.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace memxbar::experiments {

enum class value_kind { real, integer, text, boolean };

// One parameter value or one result cell; std::monostate is a cell with nothing in it (an empty CSV
// cell, for columns that one kind of row does not have).
using value = std::variant<double, std::int64_t, std::string, bool, std::monostate>;

std::string_view kind_name(value_kind k);
std::string to_csv_cell(const value& v); // doubles with 17 digits, text quoted when it needs it

struct param_spec {
    std::string name;
    value_kind kind = value_kind::real;
    value default_value;              // the value when a config neither sets nor sweeps it
    double min = -1e308, max = 1e308; // inclusive range for real and integer parameters
    std::string unit;                 // SI unit ("V", "ohm", "s", "" for none)
    std::string description;
    std::vector<std::string> choices; // allowed values of a text parameter (empty: any)
};

class job;

// One point of a sweep: a value for every parameter of the job, in the order of job::params.
class point {
  public:
    point(const job& j, std::vector<value> values, std::size_t index, int repetition, std::uint64_t seed)
        : job_(&j), values_(std::move(values)), index_(index), repetition_(repetition), seed_(seed) {}
    double real(std::string_view name) const; // also accepts integer parameters
    std::int64_t integer(std::string_view name) const;
    const std::string& text(std::string_view name) const;
    bool boolean(std::string_view name) const;
    const value& get(std::string_view name) const;
    bool has(std::string_view name) const; // the job has this parameter
    const std::vector<value>& values() const { return values_; }
    std::size_t index() const { return index_; }   // position in the expanded sweep (0-based)
    int repetition() const { return repetition_; } // Monte Carlo repetition (0-based)
    std::uint64_t seed() const { return seed_; }   // base seed + repetition: key every random stream on it

  private:
    const job* job_;
    std::vector<value> values_;
    std::size_t index_;
    int repetition_;
    std::uint64_t seed_;
};

// What a job may use besides its point. Everything here is optional to use.
struct job_context {
    std::filesystem::path out_dir;      // the results folder; a job may keep caches in out_dir/"cache"
    std::filesystem::path source_dir;   // the memxbar checkout (cards, data/)
    std::function<void(double)> report; // fraction of this point done, for the progress bar (may be empty)
};

// A point that cannot run (a card that does not exist, a combination of parameters the model forbids)
// throws job_error; the runner adds which point and which config line.
struct job_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using row = std::vector<value>; // one cell per job::columns entry

class job {
  public:
    std::string name;    // as written in configs: job = "crossbar_ir_drop"
    std::string summary; // one line for `memxbar run --list-jobs` and docs/config.md
    std::vector<param_spec> params;
    std::vector<std::string> columns;      // result columns, after the parameters, repetition and seed
    std::vector<std::string> column_units; // same length as columns ("" for none)
    // Runs one point; several rows are fine (a trace, accuracy at several times). Must be
    // deterministic in (point values, seed) and safe to call from several threads at once.
    std::function<std::vector<row>(const point&, const job_context&)> run;
    // Optional check of a whole point before any point runs (cross-parameter rules); throw job_error.
    std::function<void(const point&)> validate;
    // Plot script in experiments/plots/ that `memxbar plot DIR` runs for this job ("" = generic sweep plot).
    std::string plot_script;

    std::size_t param_index(std::string_view n) const; // throws std::out_of_range naming the parameter
    const param_spec* find_param(std::string_view n) const;
};

// Every job the runner knows (experiments/job_registry.cpp).
const std::vector<job>& all_jobs();
const job* find_job(std::string_view name);

} // namespace memxbar::experiments
