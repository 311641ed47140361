// Runs every point and repetition of an experiment config: threads (--jobs) and MPI ranks share the
// runs, each finished run is saved at once (atomically) so an interrupted sweep resumes where it
// stopped, and the tidy CSV is assembled in point order, byte-identical whatever the thread or rank
// count. Layout of the results folder:
//   <out>/<name>.csv          one row per point and repetition (and per row a job returns)
//   <out>/metadata.json       version, git commit, config as run, seeds, host, times, wall time per run
//   <out>/.memxbar/           fingerprint of the config and one file per finished run (the resume state)
#pragma once

#include "experiments/config.hpp"

#include <filesystem>
#include <string>

namespace memxbar::experiments {

struct run_options {
    std::filesystem::path out_dir; // empty: results/<name>
    int jobs = 1;                  // threads per process
    bool fresh = false;            // discard the finished runs of an earlier, different config
    bool show_progress = true;
    std::string command_line; // recorded in the metadata
};

struct run_summary {
    std::size_t runs = 0;    // points x repetitions
    std::size_t skipped = 0; // finished before this invocation
    std::size_t ran = 0;     // finished now (all ranks)
    bool interrupted = false;
    bool complete = false; // the CSV and metadata are written
    std::filesystem::path out_dir, csv, metadata;
    double wall_s = 0;
};

// Throws config_error (bad points, before anything is written), job_error (a run failed: finished runs
// are kept) or std::runtime_error (files). On MPI ranks other than 0 the summary is partial.
run_summary run_experiment(const experiment_config& c, const run_options& o);

// Asks a running run_experiment to stop after the runs in flight (async-signal-safe: for SIGINT).
void request_stop();
bool stop_requested();

// The CSV header the runner writes for a job: parameters, repetition, seed, the job's columns.
std::string csv_header(const job& j);

} // namespace memxbar::experiments
