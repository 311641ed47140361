// memxbar solve and netlist as scripts use them: the CSV contract, the 17-digit output, the ideal
// limit, and malformed inputs reported with file, line and column.
#include "cli_runner.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <vector>

using namespace memxbar::testing;
using Catch::Matchers::Contains;

namespace {
std::vector<std::vector<double>> read_rows(const std::string& text) {
    std::vector<std::vector<double>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::vector<double> r;
        std::istringstream ls(line);
        for (std::string c; std::getline(ls, c, ',');)
            r.push_back(std::stod(c));
        rows.push_back(r);
    }
    return rows;
}
} // namespace

TEST_CASE("solve: the ideal product by hand, 17 significant digits, batches one line per vector", "[cli]") {
    scratch_dir d("solve");
    d.write("G.csv", "1e-6,2e-6,3e-6\n4e-6,5e-6,6e-6\n");
    d.write("V.csv", "0.1\n0.2\n");
    auto r = run_memxbar("solve --conductance " + (d / "G.csv") + " --input " + (d / "V.csv"), d);
    REQUIRE(r.status == 0);
    auto rows = read_rows(r.out);
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0].size() == 3);
    CHECK(rows[0][0] == Approx(0.1 * 1e-6 + 0.2 * 4e-6).epsilon(1e-15));
    CHECK(rows[0][2] == Approx(0.1 * 3e-6 + 0.2 * 6e-6).epsilon(1e-15));
    // 17 significant digits: 0.1 x 1e-6 + 0.2 x 4e-6 in doubles prints as 8.9999999999999996e-07
    CHECK(r.out.rfind("8.9999999999999996e-07,", 0) == 0);
    d.write("VB.csv", "0.1,0.2\n1,0\n0,1\n");
    r = run_memxbar(
        "solve --conductance " + (d / "G.csv") + " --input " + (d / "VB.csv") + " --out " + (d / "I.csv"), d);
    REQUIRE(r.status == 0);
    rows = read_rows(slurp(d / "I.csv"));
    REQUIRE(rows.size() == 3);
    CHECK(rows[1][1] == Approx(2e-6).epsilon(1e-15)); // unit input on row 0 reads out row 0 of G
    CHECK(rows[2][2] == Approx(6e-6).epsilon(1e-15));
}

TEST_CASE("solve: node voltages for IR-drop maps", "[cli]") {
    scratch_dir d("solve_v");
    d.write("G.csv", "1e-4,1e-4\n1e-4,1e-4\n");
    d.write("V.csv", "1\n1\n");
    const auto r = run_memxbar("solve --conductance " + (d / "G.csv") + " --input " + (d / "V.csv") +
                                   " --r-wire 10 --out " + (d / "I.csv") + " --voltages-out " +
                                   (d / "N.csv") + " --info",
                               d);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.err, Contains("method direct") && Contains("residual"));
    const std::string nodes = slurp(d / "N.csv");
    CHECK(nodes.rfind("vector,i,j,v_row,v_col,v_device\n", 0) == 0);
    std::istringstream in(nodes);
    std::string line;
    std::getline(in, line);
    int n = 0;
    while (std::getline(in, line)) {
        std::vector<double> c;
        std::istringstream ls(line);
        for (std::string x; std::getline(ls, x, ',');)
            c.push_back(std::stod(x));
        REQUIRE(c.size() == 6);
        CHECK(c[5] == Approx(c[3] - c[4]).margin(1e-15));
        CHECK(c[3] < 1.0); // IR drop
        ++n;
    }
    CHECK(n == 4);
}

TEST_CASE("solve: malformed inputs name the file, line and column", "[cli]") {
    scratch_dir d("solve_bad");
    d.write("V.csv", "0.1\n0.2\n");
    const auto solve = [&](const std::string& g_text, const std::string& extra = "") {
        d.write("G.csv", g_text);
        return run_memxbar("solve --conductance " + (d / "G.csv") + " --input " + (d / "V.csv") + " " + extra,
                           d);
    };
    auto r = solve("1e-6,2e-6\n3e-6\n");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("G.csv:2") && Contains("ragged"));
    r = solve("1e-6,abc\n3e-6,4e-6\n");
    CHECK_THAT(r.err, Contains("G.csv:1: column 2") && Contains("'abc' is not a number"));
    r = solve("1e-6,-2e-6\n3e-6,4e-6\n");
    CHECK_THAT(r.err, Contains("G.csv:1: column 2") && Contains("negative"));
    r = solve("1e-6,nan\n3e-6,4e-6\n");
    CHECK_THAT(r.err, Contains("G.csv:1: column 2") && Contains("not finite"));
    r = solve("1e-6,2e-6\n3e-6,4e-6\n5e-6,6e-6\n");
    CHECK_THAT(r.err, Contains("V.csv") && Contains("do not match") && Contains("3 rows"));
    r = solve("1e-6,2e-6\n3e-6,4e-6\n", "--r-wire -2");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("--r-wire") && Contains(">= 0"));
    r = solve("1e-6,2e-6\n3e-6,4e-6\n", "--device tanh");
    CHECK_THAT(r.err, Contains("linear or sinh"));
    r = run_memxbar("solve --conductance " + (d / "missing.csv") + " --input " + (d / "V.csv"), d);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("missing.csv"));
    r = run_memxbar("solve --input " + (d / "V.csv"), d);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("--conductance"));
}

TEST_CASE("netlist: one source per row, one sense source per column, every device", "[cli]") {
    scratch_dir d("netlist");
    d.write("G.csv", "1e-6,2e-6,3e-6\n4e-6,5e-6,6e-6\n");
    d.write("V.csv", "0.1\n0.2\n");
    const auto r = run_memxbar("netlist --conductance " + (d / "G.csv") + " --input " + (d / "V.csv") +
                                   " --r-wire 2.5 --r-source 3 --device sinh --sinh-b 3 --tight",
                               d);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out,
               Contains("V0 in0 0 DC 0.1") && Contains("V1 in1 0 DC 0.2") && Contains("Vs2 s2 0 DC 0"));
    CHECK_THAT(r.out,
               Contains(".options reltol=1e-12") && Contains("sinh(3*V(") && Contains("Rin0 in0 n0 5.5"));
    std::size_t devices = 0;
    for (std::size_t p = r.out.find("\nBd"); p != std::string::npos; p = r.out.find("\nBd", p + 1))
        ++devices;
    CHECK(devices == 6);
}
