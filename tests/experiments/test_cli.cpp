// The memxbar program as users and scripts meet it: help, CSV layouts, reproducibility by seed, and
// bad input reported with file, line, key, value and range.
#include "cli_runner.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <vector>

using namespace memxbar::testing;
using Catch::Matchers::Contains;

namespace {

std::vector<std::vector<double>> parse_csv(const std::string& text, std::string& header) {
    std::istringstream in(text);
    std::getline(in, header);
    std::vector<std::vector<double>> rows;
    for (std::string line; std::getline(in, line);) {
        std::vector<double> row;
        std::istringstream ls(line);
        for (std::string cell; std::getline(ls, cell, ',');)
            row.push_back(std::stod(cell));
        rows.push_back(row);
    }
    return rows;
}

// hp_biolek with device-to-device spread, so that the seed matters.
const char* spread_card = R"(model = "hp"
description = "test"
source = "test"
[parameters]
window = "biolek"
[variability.d2d]
R_off = { distribution = "lognormal", sigma = 0.2 }
mu_v = { distribution = "normal", sigma = 0.1 }
)";

} // namespace

TEST_CASE("help explains every command and option with units", "[cli]") {
    scratch_dir d("help");
    auto r = run_memxbar("--help", d);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("device") && Contains("run") && Contains("plot"));
    r = run_memxbar("device --help", d);
    CHECK(r.status == 0);
    for (const char* opt : {"--card", "--set", "--waveform", "--duration", "--integrator", "--rtol", "--atol",
                            "--seed", "--out", "--pulses"})
        CHECK_THAT(r.out, Contains(opt));
    CHECK_THAT(r.out, Contains("(default 1e-6)") && Contains("OHM"));
    r = run_memxbar("device --bogus 1", d);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("unknown option '--bogus'"));
    r = run_memxbar("frobnicate", d);
    CHECK(r.status == 2);
}

TEST_CASE("trace mode writes t,v,i and the state, obeying Ohm's law on the state", "[cli]") {
    scratch_dir d("trace");
    const auto r = run_memxbar("device --card hp_biolek --waveform sine:amplitude=1.2,frequency=1 --duration "
                               "3 --samples 300 --out " +
                                   (d / "t.csv"),
                               d);
    REQUIRE(r.status == 0);
    std::string header;
    const auto rows = parse_csv(slurp(d / "t.csv"), header);
    CHECK(header == "t,v,i,x");
    REQUIRE(rows.size() == 301);
    for (const auto& row : rows) {
        REQUIRE(row.size() == 4);
        const double R = 100.0 * row[3] + 16e3 * (1.0 - row[3]); // hp_biolek: R_on 100, R_off 16k
        CHECK(row[2] == Approx(row[1] / R).margin(1e-15));
    }
    CHECK(rows.back()[0] == 3.0);
    // stdout when --out is absent
    const auto r2 =
        run_memxbar("device --card hp_biolek --waveform dc:level=0.1 --duration 1 --samples 2", d);
    CHECK(r2.out.rfind("t,v,i,x\n", 0) == 0);
}

TEST_CASE("same seed gives identical bytes, different seeds differ", "[cli]") {
    scratch_dir d("seed");
    d.write("spread.toml", spread_card);
    const std::string base =
        "device --card " + (d / "spread.toml") + " --waveform sine:amplitude=1,frequency=1 --samples 200 ";
    REQUIRE(run_memxbar(base + "--seed 7 --out " + (d / "a.csv"), d).status == 0);
    REQUIRE(run_memxbar(base + "--seed 7 --out " + (d / "b.csv"), d).status == 0);
    REQUIRE(run_memxbar(base + "--seed 8 --out " + (d / "c.csv"), d).status == 0);
    REQUIRE(run_memxbar(base + "--seed 7 --device-index 1 --out " + (d / "e.csv"), d).status == 0);
    CHECK(slurp(d / "a.csv") == slurp(d / "b.csv"));
    CHECK(slurp(d / "a.csv") != slurp(d / "c.csv"));
    CHECK(slurp(d / "a.csv") != slurp(d / "e.csv"));
    // pulse mode with cycle-to-cycle noise from the card's own model
    const std::string pulses = "device --card neurosim_agsi --pulses amplitude=3.2,width=3e-4,count=20 ";
    REQUIRE(run_memxbar(pulses + "--seed 3 --out " + (d / "p1.csv"), d).status == 0);
    REQUIRE(run_memxbar(pulses + "--seed 3 --out " + (d / "p2.csv"), d).status == 0);
    REQUIRE(run_memxbar(pulses + "--seed 4 --out " + (d / "p3.csv"), d).status == 0);
    CHECK(slurp(d / "p1.csv") == slurp(d / "p2.csv"));
    CHECK(slurp(d / "p1.csv") != slurp(d / "p3.csv"));
}

TEST_CASE("pulse mode: noise-free LTP of an ODE model rises monotonically; stuck devices do not move",
          "[cli]") {
    scratch_dir d("pulses");
    // 20 positive 10 ms pulses of 1 V on the window-less HP device: each raises x by the same flux.
    auto r = run_memxbar(
        "device --card hp_nowindow --pulses amplitude=1,width=1e-2,count=20 --out " + (d / "p.csv"), d);
    REQUIRE(r.status == 0);
    std::string header;
    auto rows = parse_csv(slurp(d / "p.csv"), header);
    CHECK(header == "pulse,v_pulse,g,x");
    REQUIRE(rows.size() == 21);
    for (std::size_t k = 1; k < rows.size(); ++k) {
        CHECK(rows[k][0] == static_cast<double>(k));
        CHECK(rows[k][2] > rows[k - 1][2]);
        // g is the read conductance of the state it reports
        CHECK(rows[k][2] == Approx(1.0 / (100.0 * rows[k][3] + 16e3 * (1.0 - rows[k][3]))).epsilon(1e-12));
    }
    d.write("stuck.toml", "model = \"hp\"\n[variability]\nstuck_off_fraction = 1.0\n");
    r = run_memxbar("device --card " + (d / "stuck.toml") +
                        " --pulses amplitude=1,width=1e-2,count=5 --out " + (d / "s.csv"),
                    d);
    REQUIRE(r.status == 0);
    rows = parse_csv(slurp(d / "s.csv"), header);
    for (const auto& row : rows)
        CHECK(row[3] == 0.0); // pinned at the off state
}

TEST_CASE("bad cards and options name file, line, key, value and range", "[cli]") {
    scratch_dir d("bad");
    d.write("bad.toml", "model = \"hp\"\n[parameters]\nR_on = 100.0\nR_off = -5.0\n");
    auto r = run_memxbar(
        "device --card " + (d / "bad.toml") + " --waveform dc:level=0.1 --out " + (d / "x.csv"), d);
    CHECK(r.status == 1);
    CHECK_THAT(r.err,
               Contains("bad.toml:4") && Contains("R_off") && Contains("-5") && Contains("[0.001, 1e+15]"));
    CHECK_FALSE(std::filesystem::exists(d / "x.csv")); // nothing partial written

    d.write("syntax.toml", "model = \"hp\"\n[parameters\nR_on = 1\n");
    r = run_memxbar("device --card " + (d / "syntax.toml") + " --waveform dc:level=0.1", d);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("syntax.toml:2") && Contains("TOML syntax error"));

    r = run_memxbar("device --card hp_biolek --set p=0.5 --waveform dc:level=0.1", d);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("--set") && Contains("'p' = 0.5") && Contains("[1, 50]"));

    r = run_memxbar("device --card no_such_card --waveform dc:level=0.1", d);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("no_such_card") && Contains("hp_biolek"));

    r = run_memxbar("device --card hp_biolek --waveform sine:amplitude=1,freq=2", d);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("unknown key 'freq'"));

    r = run_memxbar("device --card hp_biolek --waveform dc:level=0.1 --rtol 2", d);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("rtol"));

    r = run_memxbar("device --card hp_biolek --pulses amplitude=1,width=-1", d);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("width"));
}

TEST_CASE("plot draws PDF and PNG from a trace", "[cli][plot]") {
    scratch_dir d("plot");
    REQUIRE(
        run_memxbar("device --card hp_biolek --waveform sine:amplitude=1.2,frequency=1 --samples 100 --out " +
                        (d / "t.csv"),
                    d)
            .status == 0);
    const auto r = run_memxbar("plot " + (d / "t.csv") + " --out " + (d / "fig"), d);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(std::filesystem::file_size(d / "fig.pdf") > 1000);
    CHECK(std::filesystem::file_size(d / "fig.png") > 1000);
    CHECK(slurp(d / "fig.png").substr(1, 3) == "PNG");
}
