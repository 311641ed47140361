// The experiment runner: sweep expansion, config errors, resumable runs (SIGINT and SIGKILL), and
// byte-identical CSVs whatever the thread or MPI rank count.
#include "cli_runner.hpp"
#include "experiments/config.hpp"
#include "experiments/runner.hpp"
#include "memxbar/build_info.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <set>
#include <thread>

using namespace memxbar::testing;
using namespace memxbar::experiments;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

std::size_t finished_runs(const fs::path& out) {
    std::size_t n = 0;
    if (!fs::exists(out / ".memxbar")) return 0;
    for (const auto& e : fs::directory_iterator(out / ".memxbar"))
        if (e.path().filename().string().rfind("run", 0) == 0 && e.path().extension() == ".csv") ++n;
    return n;
}

// Starts memxbar in the background (its own process, so that the test can signal it).
pid_t spawn_memxbar(const std::vector<std::string>& words, const std::string& log) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<std::string> storage = {std::string(MEMXBAR_BINARY_DIR) + "/memxbar"};
        storage.insert(storage.end(), words.begin(), words.end());
        std::vector<char*> argv;
        for (auto& w : storage)
            argv.push_back(w.data());
        argv.push_back(nullptr);
        std::freopen(log.c_str(), "w", stderr);
        std::freopen("/dev/null", "w", stdout);
        ::execv(argv[0], argv.data());
        std::_Exit(127);
    }
    return pid;
}

const char* slow_sweep = R"(job = "crossbar_ir_drop"
name = "resume"
seed = 3
repetitions = 2
[parameters]
vectors = 4
[sweep]
rows = [48, 56, 64, 72]
r_wire = { from = 0.5, to = 8, points = 10, scale = "log" }
)";

} // namespace

TEST_CASE("grid sweeps, zipped lists and repetitions expand to exactly the intended points", "[runner]") {
    const auto c = parse_config(R"(job = "crossbar_ir_drop"
seed = 10
repetitions = 3
[parameters]
g_max = 2e-4
[sweep]
rows = [8, 16]
[zip]
r_wire = [1.0, 2.0, 3.0]
r_source = [10, 20, 30]
)",
                                "grid.toml");
    CHECK(c.name == "grid");
    CHECK(c.points() == 6);
    CHECK(c.repetitions == 3);
    const auto pts = expand(c);
    REQUIRE(pts.size() == 6);
    const auto& j = *c.the_job;
    const auto rows = j.param_index("rows"), rw = j.param_index("r_wire"), rs = j.param_index("r_source");
    // Axes in the job's parameter order (rows before r_wire), the last varying fastest; zipped lists
    // move together.
    const std::vector<std::tuple<std::int64_t, double, double>> expected = {
        {8, 1, 10}, {8, 2, 20}, {8, 3, 30}, {16, 1, 10}, {16, 2, 20}, {16, 3, 30}};
    std::set<std::string> distinct;
    for (std::size_t k = 0; k < pts.size(); ++k) {
        CHECK(std::get<std::int64_t>(pts[k][rows]) == std::get<0>(expected[k]));
        CHECK(std::get<double>(pts[k][rw]) == std::get<1>(expected[k]));
        CHECK(std::get<double>(pts[k][rs]) == std::get<2>(expected[k]));
        CHECK(std::get<double>(pts[k][j.param_index("g_max")]) == 2e-4); // fixed
        CHECK(std::get<double>(pts[k][j.param_index("g_min")]) == 1e-6); // default
        std::string key;
        for (const auto& v : pts[k])
            key += to_csv_cell(v) + ";";
        distinct.insert(key);
    }
    CHECK(distinct.size() == 6);

    // A log range: end points exact, ratios equal.
    const auto r =
        parse_config("job = \"crossbar_ir_drop\"\n[sweep]\nr_wire = {from = 0.1, to = 1000, points = 5, "
                     "scale = \"log\"}\n",
                     "range.toml");
    const auto rp = expand(r);
    REQUIRE(rp.size() == 5);
    const auto at = [&](std::size_t k) { return std::get<double>(rp[k][r.the_job->param_index("r_wire")]); };
    CHECK(at(0) == 0.1);
    CHECK(at(4) == 1000.0);
    CHECK(at(2) == Approx(10.0).epsilon(1e-12));
    CHECK(at(1) / at(0) == Approx(at(3) / at(2)).epsilon(1e-12));
}

TEST_CASE("malformed configs give file, line and key, and write nothing", "[runner]") {
    scratch_dir d("badcfg");
    struct bad_case {
        const char* text;
        const char* expected; // fragment of the message
    };
    const std::vector<bad_case> cases = {
        {"job = \"crossbar_ir_drop\"\n[sweep\nrows = [1]\n", "bad.toml:2: TOML syntax error"},
        {"job = \"crossbar_ir_drop\"\nbogus = 1\n", "bad.toml:2: bogus: unknown key"},
        {"job = \"crossbar_ir_drop\"\n[parameters]\nrows = \"many\"\n",
         "bad.toml:3: parameters.rows = \"many\": must be an integer"},
        {"job = \"crossbar_ir_drop\"\n[parameters]\nr_wire = -1.0\n",
         "bad.toml:3: parameters.r_wire = -1: out of range [0, 1e+06]"},
        {"job = \"crossbar_ir_drop\"\n[sweep]\nr_wyre = [1, 2]\n",
         "bad.toml:3: sweep.r_wyre: job 'crossbar_ir_drop' has no parameter 'r_wyre'"},
        {"job = \"crossbar_ir_drop\"\n[zip]\nrows = [8, 16]\nr_wire = [1.0]\n", "same length"},
        {"job = \"crossbar_ir_drop\"\n[parameters]\nrows = 8\n[sweep]\nrows = [8, 16]\n",
         "fix it or sweep it"},
        {"job = \"crossbar_ir_drop\"\n[sweep]\nrows = [8, 0]\n",
         "bad.toml:3: sweep.rows = 0: out of range [1, 4096]"},
        {"job = \"no_such_job\"\n", "bad.toml:1: job = \"no_such_job\": no such job"},
        {"job = \"crossbar_ir_drop\"\nrepetitions = 0\n",
         "repetitions = 0: must be an integer in [1, 1000000]"},
        {"job = \"crossbar_ir_drop\"\n[parameters]\ng_min = 1e-3\ng_max = 1e-4\n", "g_min"},
        {"job = \"device_response\"\n[parameters]\ncard = \"no_such_card\"\n", "no_such_card"},
        {"job = \"device_response\"\n[parameters]\nmode = \"sideways\"\n", "not one of trace, pulses, drift"},
    };
    for (const auto& bc : cases) {
        INFO(bc.text);
        d.write("bad.toml", bc.text);
        const auto r = run_memxbar("run " + (d / "bad.toml") + " --out " + (d / "out"), d);
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Contains(bc.expected));
        CHECK_FALSE(fs::exists(d.path / "out")); // nothing partial
    }
}

TEST_CASE("--jobs 1, --jobs 2 and mpirun -np 2 write identical bytes; metadata records the run",
          "[runner][mpi]") {
    scratch_dir d("identical");
    d.write("sweep.toml", R"(job = "crossbar_ir_drop"
name = "same"
seed = 7
repetitions = 3
[sweep]
rows = [4, 8, 12]
both_ends = [false, true]
[zip]
r_wire = [0.5, 2.0]
r_sense = [0.0, 10.0]
)");
    REQUIRE(run_memxbar("run " + (d / "sweep.toml") + " --no-plot --jobs 1 --out " + (d / "j1"), d).status ==
            0);
    REQUIRE(run_memxbar("run " + (d / "sweep.toml") + " --no-plot --jobs 2 --out " + (d / "j2"), d).status ==
            0);
    const std::string one = slurp(d / "j1/same.csv");
    CHECK(one == slurp(d / "j2/same.csv"));
    // 3 x 2 x 2 points x 3 repetitions, one row each, plus the header
    CHECK(std::count(one.begin(), one.end(), '\n') == 1 + 36);
    CHECK(one.rfind("rows,cols,r_wire,r_source,r_sense,both_ends,g_min,g_max,v_read,vectors,repetition,seed,"
                    "rel_error,",
                    0) == 0);
    const std::string meta = slurp(d / "j1/metadata.json");
    for (const char* key : {"\"memxbar_version\"", "\"git_commit\"", "\"config\"", "\"seeds\": [7, 8, 9]",
                            "\"host\"", "\"started\"", "\"finished\"", "\"run_wall_s\""})
        CHECK_THAT(meta, Contains(key));

    if (std::system("command -v mpirun >/dev/null 2>&1") != 0) {
        FAIL("mpirun not found: tools/install_deps.sh installs openmpi-bin");
    }
    // Rank 0 hands runs out one by one to idle threads of any rank: 2 ranks x 1 thread, 3 ranks x 2.
    for (const auto& [ranks, threads] : std::vector<std::pair<int, int>>{{2, 1}, {3, 2}}) {
        const std::string out = d / ("mpi" + std::to_string(ranks));
        const std::string mpirun =
            "mpirun -np " + std::to_string(ranks) + " --allow-run-as-root --oversubscribe " +
            std::string(MEMXBAR_BINARY_DIR) + "/memxbar run " + (d / "sweep.toml") + " --no-plot --jobs " +
            std::to_string(threads) + " --out " + out + " >" + (d / "mpi.log") + " 2>&1";
        const int rc = std::system(mpirun.c_str());
        INFO(slurp(d / "mpi.log"));
        REQUIRE(rc == 0);
        CHECK(slurp(out + "/same.csv") == one);
        CHECK_THAT(slurp(out + "/metadata.json"), Contains("\"mpi_ranks\": " + std::to_string(ranks)));
    }
}

TEST_CASE("a run killed midway (SIGINT, SIGKILL) resumes to the uninterrupted CSV", "[runner][slow]") {
    scratch_dir d("resume");
    d.write("sweep.toml", slow_sweep);
    REQUIRE(
        run_memxbar("run " + (d / "sweep.toml") + " --no-plot --jobs 2 --out " + (d / "whole"), d).status ==
        0);
    const std::string whole = slurp(d / "whole/resume.csv");
    const std::size_t total = 4 * 10 * 2;

    for (int sig : {SIGINT, SIGKILL}) {
        const fs::path out = d.path / (sig == SIGINT ? "int" : "kill");
        const pid_t pid = spawn_memxbar(
            {"run", d / "sweep.toml", "--no-plot", "--jobs", "1", "--out", out.string()}, d / "spawn.log");
        // Wait for a few finished runs, then interrupt.
        const auto t0 = std::chrono::steady_clock::now();
        while (finished_runs(out) < 5 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ::kill(pid, sig);
        int status = 0;
        ::waitpid(pid, &status, 0);
        const std::size_t saved = finished_runs(out);
        INFO("signal " << sig << ", saved " << saved << " of " << total);
        REQUIRE(saved >= 5);
        REQUIRE(saved < total); // it really was interrupted
        CHECK_FALSE(fs::exists(out / "resume.csv"));
        if (sig == SIGINT) {
            CHECK(WIFEXITED(status));
            CHECK(WEXITSTATUS(status) == 130);
            CHECK_THAT(slurp(d / "spawn.log"), Contains("run the same command again to resume"));
        }
        const auto r =
            run_memxbar("run " + (d / "sweep.toml") + " --no-plot --jobs 2 --out " + out.string(), d);
        REQUIRE(r.status == 0);
        CHECK_THAT(r.err, Contains("(" + std::to_string(saved) + " resumed)"));
        CHECK(slurp((out / "resume.csv").string()) == whole);
    }

    // The same folder with a different config is refused, then accepted with --fresh.
    d.write("other.toml", std::string(slow_sweep) + "\n[plot]\n");
    auto text = std::string(slow_sweep);
    text.replace(text.find("seed = 3"), 8, "seed = 4");
    d.write("other.toml", text);
    auto r = run_memxbar("run " + (d / "other.toml") + " --no-plot --out " + (d / "whole"), d);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("holds runs of a different config") && Contains("--fresh"));
}

TEST_CASE("the default experiment runs end to end and draws its figure", "[runner]") {
    scratch_dir d("default_run");
    const auto r = run_memxbar("run --out " + (d / "default"), d);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const std::string csv = slurp(d / "default/default.csv");
    CHECK(csv.rfind("card,mode,", 0) == 0);
    for (const char* card : {"hp_biolek", "vteam_memtorch", "stanford_pku", "pcm_joshi2020", "neurosim_agsi"})
        CHECK_THAT(csv, Contains(std::string("\n") + card + ","));
    CHECK(fs::file_size(d.path / "default/default.png") > 10000);
    CHECK(fs::file_size(d.path / "default/default.pdf") > 10000);
    CHECK(fs::exists(d.path / "default/figures/hp_biolek.png"));
    // A second run finds everything done and rewrites the same CSV.
    const auto again = run_memxbar("run --no-plot --out " + (d / "default"), d);
    REQUIRE(again.status == 0);
    CHECK(slurp(d / "default/default.csv") == csv);
}

TEST_CASE("docs/config.md lists every job exactly as memxbar run --list-jobs prints it", "[runner][docs]") {
    scratch_dir d("listjobs");
    const auto r = run_memxbar("run --list-jobs", d);
    REQUIRE(r.status == 0);
    const std::string doc = slurp(std::string(memxbar::source_dir) + "/docs/config.md");
    INFO("run tools/update_config_doc.sh to refresh docs/config.md");
    CHECK_THAT(doc, Contains("<!-- jobs:begin -->\n" + r.out.substr(0, r.out.find_last_not_of('\n') + 1) +
                             "\n<!-- jobs:end -->"));
}

TEST_CASE("memxbar plot RESULTS_DIR draws the generic sweep figure from the tidy CSV", "[runner][plot]") {
    scratch_dir d("plotdir");
    d.write("small.toml", R"(job = "crossbar_ir_drop"
name = "small"
repetitions = 2
[parameters]
vectors = 2
[sweep]
rows = [4, 8]
r_wire = [1.0, 2.0]
[plot]
x = "rows"
y = "rel_error"
hue = "r_wire"
logy = true
)");
    auto r = run_memxbar("run " + (d / "small.toml") + " --out " + (d / "out"), d);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(fs::file_size(d.path / "out/small.png") > 5000);
    fs::remove(d.path / "out/small.png");
    fs::remove(d.path / "out/small.pdf");
    r = run_memxbar("plot " + (d / "out"), d);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(fs::file_size(d.path / "out/small.png") > 5000);
    CHECK(fs::file_size(d.path / "out/small.pdf") > 5000);
    // A folder that is not a finished run says so.
    r = run_memxbar("plot " + d.path.string(), d);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("no metadata.json"));
}

TEST_CASE("--set overrides fix or sweep parameters from the command line", "[runner]") {
    scratch_dir d("overrides");
    d.write("base.toml", R"(job = "crossbar_ir_drop"
name = "base"
repetitions = 3
[sweep]
rows = [4, 8, 12]
[zip]
r_wire = [1.0, 2.0]
r_source = [0.0, 5.0]
)");
    // rows fixed (its sweep dropped), r_wire swept over 3 values (leaving r_source's zip of 2),
    // one repetition: 3 x 2 = 6 rows.
    auto r = run_memxbar(
        "run " + (d / "base.toml") +
            " --no-plot --set rows=6 --set \"r_wire=[0.5, 1, 4]\" --set repetitions=1 --set name=over"
            " --out " +
            (d / "o"),
        d);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto csv = slurp(d / "o/over.csv");
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 6);
    CHECK_THAT(csv, Contains("\n6,0,0.5,0,") && Contains("\n6,0,4,5,"));
    CHECK_THAT(slurp(d / "o/metadata.json"), Contains("\"overrides\": [\"rows=6\""));
    for (const auto& [set, expected] : std::vector<std::pair<std::string, std::string>>{
             {"rows=abc", "--set rows=abc: 'abc' is not a TOML value"},
             {"rows=0", "--set rows=0: rows = 0: out of range [1, 4096]"},
             {"r_wyre=1", "--set r_wyre=1: r_wyre: job 'crossbar_ir_drop' has no parameter 'r_wyre'"},
             {"repetitions=0", "--set repetitions=0: repetitions must be an integer in [1, 1000000]"},
             {"rows", "expected KEY=VALUE"}}) {
        r = run_memxbar("run " + (d / "base.toml") + " --no-plot --set " + set + " --out " + (d / "bad"), d);
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Contains(expected));
        CHECK_FALSE(fs::exists(d.path / "bad"));
    }
}
