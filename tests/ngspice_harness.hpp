// Runs a netlist through ngspice in batch mode and reads the vectors back, so device models can be
// cross-checked against an independent circuit simulator. Test-only; not part of the library.
//
// Use: write the circuit and its analysis line (".tran ..."), name the vectors to save, call
// run_ngspice(netlist, {"v(x)", "i(V1)"}). The harness appends a .control block that runs the
// analysis and writes every vector with `wrdata` on one shared time column at 15 significant digits
// (the default 6 digits would be the error budget of a 1e-6 comparison). Every failure throws
// ngspice_error with a message that says what to do; a missing ngspice is an error, never a skip.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h> // mkdtemp

namespace memxbar::testing {

struct ngspice_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The vectors ngspice wrote: column 0 is the scale (time), then one column per requested vector.
struct spice_data {
    std::vector<std::string> names; // as written in ngspice's header, e.g. "time", "v(x)", "i(v1)"
    std::vector<std::vector<double>> columns;

    [[nodiscard]] std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
    [[nodiscard]] const std::vector<double>& time() const { return columns.at(0); }
    // Case-insensitive, because ngspice lower-cases names ("i(V1)" comes back as "i(v1)").
    [[nodiscard]] const std::vector<double>& operator[](const std::string& name) const {
        const auto lower = [](std::string s) {
            std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
            return s;
        };
        for (std::size_t k = 0; k < names.size(); ++k)
            if (lower(names[k]) == lower(name)) return columns[k];
        std::string known;
        for (const auto& n : names)
            known += " " + n;
        throw ngspice_error("ngspice output has no vector '" + name + "'; it has:" + known);
    }
};

// Linear interpolation of a column at time t (ngspice picks its own time points).
inline double interpolate(const std::vector<double>& t, const std::vector<double>& y, double at) {
    if (t.empty()) return 0.0;
    if (at <= t.front()) return y.front();
    if (at >= t.back()) return y.back();
    const auto hi = static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), at) - t.begin());
    const std::size_t lo = hi - 1;
    const double span = t[hi] - t[lo];
    if (span <= 0.0) return y[hi];
    const double a = (at - t[lo]) / span;
    return (1.0 - a) * y[lo] + a * y[hi];
}

inline bool ngspice_available() {
    return std::system("command -v ngspice >/dev/null 2>&1") == 0;
}

// `netlist`: a title line, the circuit, options and one analysis line, without .control or .end.
// `vectors`: what to save, in ngspice syntax. Throws ngspice_error on any failure.
inline spice_data run_ngspice(const std::string& netlist, const std::vector<std::string>& vectors) {
    namespace fs = std::filesystem;
    if (!ngspice_available())
        throw ngspice_error("ngspice is not installed (not found on PATH); the ngspice cross-checks need it: "
                            "apt-get install ngspice");
    if (vectors.empty()) throw ngspice_error("run_ngspice: no vectors to save");

    std::string dir_template = (fs::temp_directory_path() / "memxbar_ngspice_XXXXXX").string();
    if (mkdtemp(dir_template.data()) == nullptr)
        throw ngspice_error("run_ngspice: cannot create a temporary directory from " + dir_template);
    const fs::path dir = dir_template;
    const fs::path cir = dir / "circuit.cir", data = dir / "data.txt", log = dir / "ngspice.log";

    {
        std::ofstream out(cir);
        out << netlist << "\n.control\nrun\nset wr_singlescale\nset wr_vecnames\noption numdgt=15\nwrdata "
            << data.string();
        for (const auto& v : vectors)
            out << " " << v;
        out << "\nquit\n.endc\n.end\n";
        if (!out) throw ngspice_error("run_ngspice: cannot write " + cir.string());
    }

    const std::string command = "cd '" + dir.string() + "' && ngspice -b circuit.cir > ngspice.log 2>&1";
    const int rc = std::system(command.c_str());

    const auto log_tail = [&] {
        std::ifstream in(log);
        std::stringstream s;
        s << in.rdbuf();
        std::string text = s.str();
        if (text.size() > 3000) text = "..." + text.substr(text.size() - 3000);
        return text;
    };
    const auto fail = [&](const std::string& why) {
        return ngspice_error("ngspice " + why + " (netlist, log and data kept in " + dir.string() +
                             ")\n--- ngspice log ---\n" + log_tail());
    };
    if (rc != 0) throw fail("exited with status " + std::to_string(rc));

    std::ifstream in(data);
    if (!in) throw fail("wrote no data file " + data.string());
    spice_data result;
    std::string line;
    if (!std::getline(in, line)) throw fail("wrote an empty data file");
    {
        std::istringstream header(line);
        for (std::string name; header >> name;)
            result.names.push_back(name);
    }
    if (result.names.size() != vectors.size() + 1)
        throw fail("wrote " + std::to_string(result.names.size()) + " columns, expected time + " +
                   std::to_string(vectors.size()));
    result.columns.resize(result.names.size());
    std::size_t line_no = 1;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        std::istringstream row(line);
        for (auto& column : result.columns) {
            double value = 0.0;
            if (!(row >> value))
                throw fail("data line " + std::to_string(line_no) + " is malformed: " + line);
            column.push_back(value);
        }
    }
    if (result.rows() < 2) throw fail("wrote fewer than two time points");
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return result;
}

} // namespace memxbar::testing
