#include "experiments/runner.hpp"

#include "experiments/atomic_file.hpp"
#include "experiments/csv_format.hpp"
#include "experiments/mpi_world.hpp"
#include "experiments/progress.hpp"
#include "memxbar/build_info.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace memxbar::experiments {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> stop_flag{false};

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
    for (unsigned char ch : s) {
        h ^= ch;
        h *= 1099511628211ull;
    }
    return h;
}

std::string hex(std::uint64_t x) {
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
    return buf;
}

std::string iso_now() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string json_string(std::string_view s) {
    std::string o = "\"";
    for (char ch : s) {
        switch (ch) {
        case '"':
            o += "\\\"";
            break;
        case '\\':
            o += "\\\\";
            break;
        case '\n':
            o += "\\n";
            break;
        case '\r':
            o += "\\r";
            break;
        case '\t':
            o += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(ch) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", ch);
                o += buf;
            } else {
                o += ch;
            }
        }
    }
    return o + "\"";
}

std::string shell_output(const std::string& cmd) {
    std::string out;
    if (FILE* f = ::popen(cmd.c_str(), "r")) {
        char buf[256];
        while (std::fgets(buf, sizeof buf, f))
            out += buf;
        ::pclose(f);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    return out;
}

std::string git_commit() {
    const std::string src = memxbar::source_dir;
    std::string commit = shell_output("git -C '" + src + "' rev-parse HEAD 2>/dev/null");
    if (commit.empty()) return "unknown";
    if (!shell_output("git -C '" + src + "' status --porcelain --untracked-files=no 2>/dev/null").empty())
        commit += "-dirty";
    return commit;
}

std::string hostname() {
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    return buf;
}

// The identity of a run's results: what was computed, not how (threads, ranks, paths).
std::string fingerprint(const experiment_config& c, const std::vector<std::vector<value>>& points) {
    std::uint64_t h = fnv1a(c.the_job->name);
    h = fnv1a(csv_header(*c.the_job), h);
    h = fnv1a(std::to_string(c.seed) + "/" + std::to_string(c.repetitions), h);
    for (const auto& p : points)
        for (const auto& v : p)
            h = fnv1a(to_csv_cell(v) + "\x1f", h);
    return hex(h);
}

std::string run_file(const fs::path& state, std::uint64_t task) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "run%09llu.csv", static_cast<unsigned long long>(task));
    return (state / buf).string();
}

void save_run(const fs::path& state, std::uint64_t task, double wall, const std::string& rows) {
    atomic_file f(run_file(state, task));
    f.stream() << "#wall_s=" << fmt17(wall) << '\n' << rows;
    f.commit();
}

// Rows of a finished run and its wall time; false if the run is not (completely) saved.
bool read_run(const fs::path& state, std::uint64_t task, std::string& rows, double& wall) {
    std::ifstream in(run_file(state, task), std::ios::binary);
    if (!in) return false;
    std::string first;
    if (!std::getline(in, first) || first.rfind("#wall_s=", 0) != 0) return false;
    wall = std::strtod(first.c_str() + 8, nullptr);
    std::stringstream ss;
    ss << in.rdbuf();
    rows = ss.str();
    return true;
}

struct task_failure {
    std::uint64_t task;
    std::string message;
};

} // namespace

void request_stop() {
    stop_flag.store(true);
}
bool stop_requested() {
    return stop_flag.load();
}

std::string csv_header(const job& j) {
    std::string h;
    for (const auto& p : j.params)
        h += p.name + ",";
    h += "repetition,seed";
    for (const auto& c : j.columns)
        h += "," + c;
    return h;
}

run_summary run_experiment(const experiment_config& c, const run_options& o) {
    const job& j = *c.the_job;
    const auto& w = mpi::current();
    const bool root = w.rank == 0;
    const auto start_wall = std::chrono::steady_clock::now();
    const std::string started = iso_now();
    run_summary s;
    s.out_dir = o.out_dir.empty() ? fs::path("results") / c.name : o.out_dir;
    s.csv = s.out_dir / (c.name + ".csv");
    s.metadata = s.out_dir / "metadata.json";
    const fs::path state = s.out_dir / ".memxbar";
    const auto points = expand(c);
    const auto reps = static_cast<std::uint64_t>(c.repetitions);
    s.runs = points.size() * reps;

    // Check every point before anything is written: a bad combination fails now, not after hours.
    if (j.validate) {
        for (std::size_t k = 0; k < points.size(); ++k) {
            try {
                j.validate(point(j, points[k], k, 0, c.seed));
            } catch (const std::exception& e) {
                throw config_error(c.path + ": point " + std::to_string(k) + " (" +
                                   describe_point(c, points[k]) + "): " + e.what());
            }
        }
    }

    // Rank 0 decides which runs are left and tells the others.
    std::vector<std::uint64_t> pending;
    int status = 0;
    std::string error;
    if (root) {
        try {
            const std::string fp = fingerprint(c, points);
            const fs::path fp_file = state / "fingerprint";
            if (fs::exists(fp_file)) {
                std::ifstream in(fp_file);
                std::string old;
                std::getline(in, old);
                if (old != fp) {
                    if (!o.fresh)
                        throw std::runtime_error(
                            s.out_dir.string() +
                            " holds runs of a different config (or of another version of "
                            "it); rerun with --fresh to discard them, or choose another --out");
                    fs::remove_all(state);
                }
            }
            fs::create_directories(state);
            {
                atomic_file f(fp_file.string());
                f.stream() << fp << '\n';
                f.commit();
                atomic_file cfg((state / "config.toml").string());
                cfg.stream() << c.text;
                cfg.commit();
            }
            for (std::uint64_t t = 0; t < s.runs; ++t)
                if (!fs::exists(run_file(state, t))) pending.push_back(t);
        } catch (const std::exception& e) {
            status = 1;
            error = e.what();
        }
    }
    mpi::broadcast(pending, status, error);
    if (status != 0) throw std::runtime_error(error);
    s.skipped = s.runs - pending.size();

    // Work is handed out run by run (points may differ a lot in cost): rank 0's threads take the next
    // pending run directly, the other ranks ask rank 0 for one whenever a thread of theirs is idle.
    const int n_threads = static_cast<int>(std::max<std::size_t>(
        1, std::min<std::size_t>(static_cast<std::size_t>(std::max(1, o.jobs)), pending.size())));
    std::atomic<std::size_t> next{0}, local_done{0};
    std::atomic<int> active{n_threads}, running{0};
    std::deque<std::uint64_t> assigned; // ranks > 0: runs received from rank 0, not yet started
    bool exhausted = false;             // ranks > 0: rank 0 has no more runs
    bool asking = false;                // ranks > 0: a request is on its way
    std::condition_variable work_cv;
    std::vector<std::unique_ptr<std::atomic<double>>> fraction;
    for (int t = 0; t < n_threads; ++t)
        fraction.push_back(std::make_unique<std::atomic<double>>(0.0));
    std::mutex mx;
    std::deque<mpi::message> outbox; // ranks > 0: finished runs for the main thread to send
    std::vector<task_failure> failures;

    auto worker = [&](int slot) {
        job_context ctx;
        ctx.out_dir = s.out_dir;
        ctx.source_dir = memxbar::source_dir;
        ctx.report = [&, slot](double f) {
            fraction[static_cast<std::size_t>(slot)]->store(std::clamp(f, 0.0, 1.0));
        };
        for (;;) {
            if (stop_flag.load()) break;
            std::uint64_t task = 0;
            if (root) {
                const std::size_t k = next.fetch_add(1);
                if (k >= pending.size()) break;
                task = pending[k];
            } else {
                std::unique_lock lock(mx);
                while (assigned.empty() && !exhausted && !stop_flag.load())
                    work_cv.wait_for(lock, std::chrono::milliseconds(50));
                if (assigned.empty()) break;
                task = assigned.front();
                assigned.pop_front();
            }
            running.fetch_add(1);
            const std::size_t pi = static_cast<std::size_t>(task / reps);
            const int rep = static_cast<int>(task % reps);
            const point p(j, points[pi], pi, rep, c.seed + static_cast<std::uint64_t>(rep));
            try {
                const auto t0 = std::chrono::steady_clock::now();
                const auto rows = j.run(p, ctx);
                const double wall =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                std::string prefix;
                for (const auto& v : p.values())
                    prefix += to_csv_cell(v) + ",";
                prefix += std::to_string(rep) + "," + std::to_string(p.seed());
                std::string text;
                for (const auto& r : rows) {
                    if (r.size() != j.columns.size())
                        throw std::logic_error("job '" + j.name + "' returned a row of " +
                                               std::to_string(r.size()) + " cells for " +
                                               std::to_string(j.columns.size()) + " columns");
                    text += prefix;
                    for (std::size_t q = 0; q < r.size(); ++q) {
                        if (const auto* d = std::get_if<double>(&r[q]); d && !std::isfinite(*d))
                            throw job_error("column '" + j.columns[q] + "' is " + fmt17(*d) +
                                            " (not finite): the computation broke down");
                        text += "," + to_csv_cell(r[q]);
                    }
                    text += '\n';
                }
                if (root) {
                    save_run(state, task, wall, text);
                } else {
                    std::lock_guard lock(mx);
                    outbox.push_back({w.rank, mpi::tag::result, task, wall, std::move(text)});
                }
                local_done.fetch_add(1);
            } catch (const std::exception& e) {
                std::lock_guard lock(mx);
                failures.push_back({task, e.what()});
                stop_flag.store(true); // the others finish the runs in flight
            }
            fraction[static_cast<std::size_t>(slot)]->store(0.0);
            running.fetch_sub(1);
        }
        active.fetch_sub(1);
    };

    progress bar(c.name, s.runs, s.skipped, root && o.show_progress);
    std::vector<std::thread> threads;
    for (int t = 0; t < n_threads; ++t)
        threads.emplace_back(worker, t);
    int remote_running = root ? w.size - 1 : 0;
    std::size_t remote_done = 0;
    for (;;) {
        if (root && active.load() == 0 && remote_running == 0) break;
        bool busy = false;
        if (root) {
            mpi::message m;
            while (remote_running > 0 && mpi::poll(m)) {
                busy = true;
                if (m.kind == mpi::tag::result) {
                    save_run(state, m.task, m.wall, m.text);
                    ++remote_done;
                } else if (m.kind == mpi::tag::request) {
                    const std::size_t k = stop_flag.load() ? pending.size() : next.fetch_add(1);
                    mpi::send_assign(m.source, k < pending.size() ? pending[k] : mpi::no_task);
                } else if (m.kind == mpi::tag::error) {
                    std::lock_guard lock(mx);
                    failures.push_back({m.task, "rank " + std::to_string(m.source) + ": " + m.text});
                    stop_flag.store(true);
                } else {
                    --remote_running;
                }
            }
            double in_flight = 0.0;
            for (const auto& f : fraction)
                in_flight += f->load();
            bar.update(s.skipped + local_done.load() + remote_done, in_flight);
        } else {
            std::deque<mpi::message> batch;
            bool ask = false;
            {
                std::lock_guard lock(mx);
                batch.swap(outbox);
                if (stop_flag.load() && !exhausted) {
                    exhausted = true; // ask for nothing more; the threads finish what they hold
                    work_cv.notify_all();
                }
                // One request at a time, whenever a thread would otherwise be idle.
                ask = !exhausted && !asking &&
                      static_cast<int>(assigned.size()) + running.load() < active.load();
                if (ask) asking = true;
            }
            if (ask) mpi::send_to_root({w.rank, mpi::tag::request, 0, 0.0, ""});
            if (std::uint64_t task = 0; mpi::poll_assign(task)) {
                std::lock_guard lock(mx);
                asking = false;
                if (task == mpi::no_task)
                    exhausted = true;
                else
                    assigned.push_back(task);
                work_cv.notify_all();
                busy = true;
            }
            for (const auto& m : batch)
                mpi::send_to_root(m);
            busy = !batch.empty();
            if (active.load() == 0) {
                std::lock_guard lock(mx);
                if (outbox.empty() && !asking) break; // an answer on its way is received first
            }
        }
        if (!busy) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (auto& t : threads)
        t.join();
    if (!root) {
        for (const auto& f : failures)
            mpi::send_to_root({w.rank, mpi::tag::error, f.task, 0.0, f.message});
        mpi::send_to_root({w.rank, mpi::tag::done, 0, 0.0, ""});
        s.ran = local_done.load();
        mpi::barrier();
        return s;
    }
    s.ran = local_done.load() + remote_done;
    s.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_wall).count();

    if (!failures.empty()) {
        std::sort(failures.begin(), failures.end(),
                  [](const task_failure& a, const task_failure& b) { return a.task < b.task; });
        const auto& f = failures.front();
        const std::size_t pi = static_cast<std::size_t>(f.task / reps);
        bar.finish("");
        mpi::barrier();
        throw job_error(c.path + ": point " + std::to_string(pi) + " (" + describe_point(c, points[pi]) +
                        "), repetition " + std::to_string(f.task % reps) + ": " + f.message + "\n" +
                        std::to_string(s.skipped + s.ran) + " of " + std::to_string(s.runs) +
                        " runs are saved in " + state.string() +
                        "; fix the cause and run the same command to resume");
    }

    // Assemble in task order; a run file missing here means the run was interrupted.
    std::string csv = csv_header(j) + "\n";
    std::vector<double> walls(s.runs, 0.0);
    std::size_t have = 0;
    for (std::uint64_t t = 0; t < s.runs; ++t) {
        std::string rows;
        if (read_run(state, t, rows, walls[t])) {
            csv += rows;
            ++have;
        }
    }
    if (have < s.runs) {
        s.interrupted = true;
        bar.finish("interrupted: " + std::to_string(have) + " of " + std::to_string(s.runs) +
                   " runs saved in " + state.string() + "; run the same command again to resume");
        mpi::barrier();
        return s;
    }
    {
        atomic_file f(s.csv.string());
        f.stream() << csv;
        f.commit();
    }
    {
        std::ostringstream m;
        m << "{\n  \"memxbar_version\": " << json_string(memxbar::version)
          << ",\n  \"git_commit\": " << json_string(git_commit()) << ",\n  \"job\": " << json_string(j.name)
          << ",\n  \"name\": " << json_string(c.name)
          << ",\n  \"description\": " << json_string(c.description)
          << ",\n  \"config_path\": " << json_string(c.path) << ",\n  \"config\": " << json_string(c.text)
          << ",\n  \"overrides\": [";
        for (std::size_t q = 0; q < c.overrides.size(); ++q)
            m << (q ? ", " : "") << json_string(c.overrides[q]);
        m << "],\n  \"command\": " << json_string(o.command_line)
          << ",\n  \"csv\": " << json_string(s.csv.filename().string()) << ",\n  \"base_seed\": " << c.seed
          << ",\n  \"repetitions\": " << c.repetitions << ",\n  \"seeds\": [";
        for (int r = 0; r < c.repetitions; ++r)
            m << (r ? ", " : "") << c.seed + static_cast<std::uint64_t>(r);
        m << "],\n  \"points\": " << points.size() << ",\n  \"runs\": " << s.runs
          << ",\n  \"runs_resumed\": " << s.skipped << ",\n  \"host\": " << json_string(hostname())
          << ",\n  \"mpi_ranks\": " << w.size << ",\n  \"threads_per_rank\": " << o.jobs
          << ",\n  \"started\": " << json_string(started) << ",\n  \"finished\": " << json_string(iso_now())
          << ",\n  \"wall_s\": " << fmt17(s.wall_s) << ",\n  \"plot\": {\"x\": " << json_string(c.plot.x)
          << ", \"y\": " << json_string(c.plot.y) << ", \"hue\": " << json_string(c.plot.hue)
          << ", \"facet\": " << json_string(c.plot.facet)
          << ", \"logx\": " << (c.plot.logx ? "true" : "false")
          << ", \"logy\": " << (c.plot.logy ? "true" : "false")
          << ", \"title\": " << json_string(c.plot.title)
          << "},\n  \"plot_script\": " << json_string(j.plot_script) << ",\n  \"swept\": [";
        bool first = true;
        for (const auto& a : c.axes)
            for (auto idx : a.params) {
                m << (first ? "" : ", ") << json_string(j.params[idx].name);
                first = false;
            }
        m << "],\n  \"columns\": [";
        for (std::size_t q = 0; q < j.columns.size(); ++q)
            m << (q ? ", " : "") << "{\"name\": " << json_string(j.columns[q])
              << ", \"unit\": " << json_string(q < j.column_units.size() ? j.column_units[q] : "") << "}";
        m << "],\n  \"parameters\": [";
        for (std::size_t q = 0; q < j.params.size(); ++q)
            m << (q ? ", " : "") << "{\"name\": " << json_string(j.params[q].name)
              << ", \"unit\": " << json_string(j.params[q].unit) << "}";
        m << "],\n  \"run_wall_s\": [";
        for (std::size_t t = 0; t < walls.size(); ++t)
            m << (t ? ", " : "") << fmt17(walls[t]);
        m << "]\n}\n";
        atomic_file f(s.metadata.string());
        f.stream() << m.str();
        f.commit();
    }
    s.complete = true;
    bar.finish(c.name + ": " + std::to_string(s.runs) + " runs (" + std::to_string(s.skipped) +
               " resumed) in " + format_seconds(s.wall_s) + " -> " + s.csv.string());
    mpi::barrier();
    return s;
}

} // namespace memxbar::experiments
