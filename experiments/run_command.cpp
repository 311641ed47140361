#include "experiments/run_command.hpp"

#include "experiments/args.hpp"
#include "experiments/config.hpp"
#include "experiments/csv_format.hpp"
#include "experiments/mpi_world.hpp"
#include "experiments/plot_command.hpp"
#include "experiments/runner.hpp"
#include "memxbar/build_info.hpp"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

namespace memxbar::experiments {

namespace {

extern "C" void on_sigint(int) {
    if (stop_requested()) {
        std::signal(SIGINT, SIG_DFL); // a second Ctrl-C stops at once (finished runs are on disk)
        std::raise(SIGINT);
        return;
    }
    request_stop();
}

std::string short_number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
}

std::string range_of(const param_spec& p) {
    if (p.kind == value_kind::real) return "[" + short_number(p.min) + ", " + short_number(p.max) + "]";
    if (p.kind == value_kind::integer)
        return "[" + std::to_string(static_cast<long long>(p.min)) + ", " +
               std::to_string(static_cast<long long>(p.max)) + "]";
    if (!p.choices.empty()) {
        std::string s;
        for (const auto& c : p.choices)
            s += (s.empty() ? "" : ", ") + c;
        return s;
    }
    return "";
}

// Markdown table of every job's parameters and columns (the heart of docs/config.md).
void describe_jobs(std::ostream& out) {
    for (const auto& j : all_jobs()) {
        out << "### `" << j.name << "`\n\n"
            << j.summary << "\n\n| parameter | type | default | unit | range | meaning |\n"
            << "|---|---|---|---|---|---|\n";
        for (const auto& p : j.params) {
            std::string def = to_csv_cell(p.default_value);
            if (const auto* t = std::get_if<std::string>(&p.default_value)) def = "\"" + *t + "\"";
            if (const auto* d = std::get_if<double>(&p.default_value)) def = short_number(*d);
            out << "| `" << p.name << "` | " << kind_name(p.kind) << " | `" << def << "` | " << p.unit
                << " | " << range_of(p) << " | " << p.description << " |\n";
        }
        out << "\nResult columns (after the parameters, `repetition` and `seed`): ";
        for (std::size_t q = 0; q < j.columns.size(); ++q) {
            out << (q ? ", " : "") << "`" << j.columns[q] << "`";
            if (q < j.column_units.size() && !j.column_units[q].empty())
                out << " (" << j.column_units[q] << ")";
        }
        out << ".\n\n";
    }
}

} // namespace

int run_command(int argc, char** argv) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    args a("run", {{"out", "DIR", "results folder (default results/<name>, the config's name or file name)"},
                   {"jobs", "N", "threads per process (default: all " + std::to_string(cores) + " cores)"},
                   {"set", "KEY=VALUE",
                    "override the config: fix a parameter (rows=64), sweep it (r_wire=[1,2.5]), or seed, "
                    "repetitions, name",
                    true},
                   {"fresh", "", "discard finished runs of a different config in DIR instead of refusing"},
                   {"no-plot", "", "write the CSV and metadata only"},
                   {"quiet", "", "no progress bar"},
                   {"list-jobs", "", "print every job with its parameters (Markdown) and exit"},
                   {"help", "", "this help"}});
    a.parse(argc, argv, 2);
    if (a.has("help")) {
        std::cout
            << "usage: memxbar run [CONFIG.toml] [--out DIR] [--jobs N] [--fresh] [--no-plot]\n"
               "       mpirun -np K memxbar run CONFIG.toml ...   (runs spread over K MPI ranks)\n\n"
               "Runs every point of the config's sweep (grid and zipped lists) and every Monte Carlo\n"
               "repetition, and writes DIR/<name>.csv (one tidy row per point and repetition), "
               "DIR/metadata.json\n"
               "(version, commit, config, seeds, host, times) and the figures DIR/<name>.pdf|png. Each "
               "finished\n"
               "run is saved at once: after Ctrl-C, a kill or a crash, the same command resumes where it\n"
               "stopped. The CSV is byte-identical for any --jobs and any number of MPI ranks.\n"
               "Without CONFIG: the default experiment, experiments/configs/default.toml (a gallery of\n"
               "every shipped device card). Reference of every key: docs/config.md.\n\n"
               "options:\n"
            << a.help();
        return 0;
    }
    if (a.has("list-jobs")) {
        describe_jobs(std::cout);
        return 0;
    }
    if (a.positionals().size() > 1)
        throw usage_error("memxbar run: one config at a time (got '" + a.positionals()[1] + "' too)");
    const std::string path = a.positionals().empty()
                                 ? std::string(memxbar::source_dir) + "/experiments/configs/default.toml"
                                 : a.positionals()[0];
    auto config = load_config(path);
    apply_overrides(config, a.all("set"));
    run_options o;
    if (a.has("out")) o.out_dir = a.get("out");
    const long long jobs = a.integer("jobs", cores);
    if (jobs < 1 || jobs > 4096)
        throw usage_error("--jobs must be in [1, 4096], got " + std::to_string(jobs));
    o.jobs = static_cast<int>(jobs);
    o.fresh = a.has("fresh");
    o.show_progress = !a.has("quiet");
    for (int k = 0; k < argc; ++k)
        o.command_line += (k ? " " : "") + std::string(argv[k]);
    auto previous = std::signal(SIGINT, on_sigint);
    run_summary s;
    try {
        s = run_experiment(config, o);
    } catch (...) {
        std::signal(SIGINT, previous);
        throw;
    }
    std::signal(SIGINT, previous);
    if (mpi::current().rank != 0) return s.interrupted ? 130 : 0;
    if (s.interrupted) return 130;
    if (!a.has("no-plot")) {
        try {
            run_plot_script("plot_results.py", {s.out_dir.string()});
        } catch (const std::exception& e) {
            std::cerr << "memxbar run: results are complete, but the figure failed: " << e.what() << "\n";
            return 1;
        }
    }
    std::cout << s.csv.string() << "\n";
    if (!a.has("no-plot")) std::cout << (s.out_dir / (config.name + ".png")).string() << "\n";
    return 0;
}

} // namespace memxbar::experiments
