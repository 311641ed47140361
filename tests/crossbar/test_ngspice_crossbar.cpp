// memxbar solve against ngspice on the same circuits: the netlists come from `memxbar netlist`, so the
// two tools see the same nodes and values. Random arrays up to 32 x 32, linear and sinh devices, wire
// resistance 1, 2.5 and 10 ohm. Agreement 1e-6 relative (the bar; observed ~1e-13, limited by
// ngspice's own tolerances, tightened with --tight for the nonlinear case).
#include "cli_runner.hpp"
#include "devices/random_stream.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

using namespace memxbar::testing;

namespace {

void write_inputs(const scratch_dir& d, std::size_t N, std::size_t M, std::uint64_t seed) {
    const memxbar::devices::random_stream rng(seed, memxbar::devices::purpose::user);
    std::ofstream g(d / "G.csv"), v(d / "V.csv");
    g.precision(17);
    v.precision(17);
    for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t j = 0; j < M; ++j)
            g << (j ? "," : "") << 1e-6 + 99e-6 * rng.uniform(i * M + j, 0);
        g << "\n";
        v << 0.2 * rng.uniform(i, 1) << "\n";
    }
}

// Lines "i(vs<j>) = <value>" of ngspice's print output.
std::vector<double> ngspice_currents(const std::string& log, std::size_t M) {
    std::vector<double> I(M, std::nan(""));
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("i(vs", 0) != 0) continue;
        const auto close = line.find(')'), eq = line.find('=');
        if (close == std::string::npos || eq == std::string::npos) continue;
        const auto j = std::stoul(line.substr(4, close - 4));
        if (j < M) I[j] = std::stod(line.substr(eq + 1));
    }
    return I;
}

} // namespace

TEST_CASE("memxbar solve agrees with ngspice on the netlists memxbar netlist writes",
          "[slow][cli][ngspice]") {
    INFO("ngspice is the reference here; if it is missing: apt-get install ngspice");
    REQUIRE(std::system("command -v ngspice >/dev/null 2>&1") == 0);
    scratch_dir d("ngspice_crossbar");
    struct shape {
        std::size_t N, M;
    };
    std::uint64_t seed = 0;
    for (const shape s : {shape{8, 8}, shape{13, 21}, shape{32, 32}})
        for (const char* device : {"linear", "sinh"})
            for (const char* r_wire : {"1", "2.5", "10", "2.5 --both-ends"}) {
                write_inputs(d, s.N, s.M, ++seed);
                const std::string circuit = "--conductance " + (d / "G.csv") + " --input " + (d / "V.csv") +
                                            " --r-wire " + r_wire + " --r-source 5 --device " + device +
                                            " --sinh-b 3";
                INFO(s.N << "x" << s.M << " " << device << " r_wire " << r_wire);
                REQUIRE(run_memxbar("solve " + circuit + " --out " + (d / "I.csv"), d).status == 0);
                REQUIRE(run_memxbar("netlist " + circuit + " --tight --out " + (d / "x.cir"), d).status == 0);
                const std::string cmd = "ngspice -b " + (d / "x.cir") + " > " + (d / "ng.log") + " 2>&1";
                REQUIRE(std::system(cmd.c_str()) == 0);
                const auto spice = ngspice_currents(slurp(d / "ng.log"), s.M);
                std::vector<double> mine;
                std::istringstream in(slurp(d / "I.csv"));
                for (std::string cell; std::getline(in, cell, ',');)
                    mine.push_back(std::stod(cell));
                REQUIRE(mine.size() == s.M);
                double worst = 0.0;
                for (std::size_t j = 0; j < s.M; ++j) {
                    REQUIRE(std::isfinite(spice[j]));
                    worst = std::max(worst, std::abs(mine[j] - spice[j]) / std::abs(spice[j]));
                }
                INFO("worst relative difference " << worst);
                CHECK(worst < 1e-6);
                WARN(s.N << "x" << s.M << " " << device << " r_wire " << r_wire
                         << ": worst relative difference " << worst);
            }
}
