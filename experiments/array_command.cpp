#include "experiments/array_command.hpp"

#include "crossbar/dc_solver.hpp"
#include "crossbar/netlist.hpp"
#include "experiments/args.hpp"
#include "experiments/atomic_file.hpp"
#include "experiments/csv_format.hpp"
#include "experiments/csv_matrix.hpp"

#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>

namespace memxbar::experiments {
namespace {

std::vector<option_spec> circuit_options() {
    return {
        {"conductance", "G.csv", "N lines of M comma-separated device conductances (S), no header"},
        {"input", "V.csv", "N lines of one voltage each, or K lines of N comma-separated voltages (V)"},
        {"r-wire", "OHM", "resistance of every wire segment, rows and columns (default 0)"},
        {"r-wire-row", "OHM", "row wire segments only (default: --r-wire)"},
        {"r-wire-col", "OHM", "column wire segments only (default: --r-wire)"},
        {"r-source", "OHM", "driver output resistance (default 0)"},
        {"r-sense", "OHM", "sense amplifier input resistance (default 0)"},
        {"both-ends", "",
         "drive every row from both ends (a second driver of V_i through r_source at the right end)"},
        {"device", "linear|sinh", "crosspoint law: I = G V, or I = G sinh(b V) / b (default linear)"},
        {"sinh-b", "PER_VOLT", "b of the sinh law (default 1)"},
    };
}

struct array_inputs {
    crossbar::crossbar_circuit circuit;
    csv_matrix G;
    Eigen::MatrixXd V; // K x N
    std::string device;
    double b = 1.0;
};

double resistance(const args& a, const std::string& name, double fallback) {
    const double r = a.number(name, fallback);
    if (r < 0.0) throw usage_error("--" + name + " = " + a.get(name) + " ohm: must be >= 0");
    return r;
}

array_inputs load(const args& a) {
    if (!a.has("conductance") || !a.has("input"))
        throw usage_error("memxbar " +
                          std::string("solve/netlist: --conductance G.csv and --input V.csv are required"));
    array_inputs in;
    const std::string gpath = a.get("conductance"), vpath = a.get("input");
    in.G = read_csv_matrix(gpath);
    for (std::size_t k = 0; k < in.G.values.size(); ++k)
        if (in.G.values[k] < 0.0)
            throw csv_error(gpath + ":" + std::to_string(k / in.G.cols + 1) + ": column " +
                            std::to_string(k % in.G.cols + 1) + ": conductance " + fmt17(in.G.values[k]) +
                            " S is negative");
    const csv_matrix v = read_csv_matrix(vpath);
    const std::size_t N = in.G.rows;
    if (v.cols == 1 && v.rows == N) { // one vector, one voltage per line
        in.V.resize(1, static_cast<Eigen::Index>(N));
        for (std::size_t i = 0; i < N; ++i)
            in.V(0, static_cast<Eigen::Index>(i)) = v.values[i];
    } else if (v.cols == N) { // K vectors, one per line
        in.V.resize(static_cast<Eigen::Index>(v.rows), static_cast<Eigen::Index>(N));
        for (std::size_t k = 0; k < v.rows; ++k)
            for (std::size_t i = 0; i < N; ++i)
                in.V(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(i)) = v(k, i);
    } else {
        throw csv_error(vpath + ": " + std::to_string(v.rows) + " lines of " + std::to_string(v.cols) +
                        " values do not match " + gpath + " (" + std::to_string(N) + " rows): expected " +
                        std::to_string(N) + " lines of one voltage, or lines of " + std::to_string(N) +
                        " voltages");
    }
    const double rw = resistance(a, "r-wire", 0.0);
    in.circuit.rows = N;
    in.circuit.cols = in.G.cols;
    in.circuit.r_wire_row = resistance(a, "r-wire-row", rw);
    in.circuit.r_wire_col = resistance(a, "r-wire-col", rw);
    in.circuit.r_source = resistance(a, "r-source", 0.0);
    in.circuit.r_sense = resistance(a, "r-sense", 0.0);
    in.circuit.drive_both_ends = a.has("both-ends");
    in.device = a.get("device", "linear");
    if (in.device != "linear" && in.device != "sinh")
        throw usage_error("--device '" + in.device + "': expected linear or sinh");
    in.b = a.number("sinh-b", 1.0);
    if (!(in.b > 0.0)) throw usage_error("--sinh-b = " + a.get("sinh-b") + " 1/V: must be > 0");
    return in;
}

crossbar::dc_result run_solve(const array_inputs& in, const crossbar::dc_options& o) {
    const std::span<const double> G(in.G.values);
    if (in.device == "sinh") return crossbar::solve_dc(in.circuit, crossbar::sinh_law{G, in.b}, in.V, o);
    return crossbar::solve_dc(in.circuit, crossbar::linear_law{G}, in.V, o);
}

} // namespace

int solve_command(int argc, char** argv) {
    auto opts = circuit_options();
    opts.insert(opts.end(),
                {
                    {"out", "I.csv",
                     "column currents (A), one line per input vector, M values, 17 significant digits; "
                     "stdout if absent"},
                    {"voltages-out", "FILE.csv",
                     "every node: vector,i,j,v_row,v_col,v_device (V), for IR-drop and sneak-path maps"},
                    {"method", "auto|direct|iterative",
                     "direct sparse LDL^T, or line-preconditioned CG (auto: CG with wire resistance above "
                     "512 unknowns, direct below and for large linear batches)"},
                    {"tolerance", "REL", "relative residual of the iterative solver (default 1e-13)"},
                    {"info", "", "print the method, iterations, KCL residual and power to stderr"},
                    {"help", "", "this help"},
                });
    args a("solve", opts);
    a.parse(argc, argv, 2);
    if (a.has("help")) {
        std::cout << "usage: memxbar solve --conductance G.csv --input V.csv [--r-wire OHM] [--r-source OHM] "
                     "[--r-sense OHM]\n"
                     "                     [--device linear|sinh] [--sinh-b PER_VOLT] [--out I.csv] "
                     "[--voltages-out V_nodes.csv]\n\n"
                     "DC solution of the passive crossbar of docs/crossbar.md. Row i is driven by V_i "
                     "through r_source, then\n"
                     "M row-wire segments; column j runs through N column-wire segments into a sense "
                     "amplifier held at 0 V\n"
                     "through r_sense. Output: I_j, the current into sense node j. With no wire, source or "
                     "sense resistance\n"
                     "the result is the ideal product I = G^T V.\n\noptions:\n"
                  << a.help();
        return 0;
    }
    const auto t_start = std::chrono::steady_clock::now();
    const auto in = load(a);
    const auto t_loaded = std::chrono::steady_clock::now();
    crossbar::dc_options o;
    const std::string m = a.get("method", "auto");
    if (m == "direct")
        o.method = crossbar::dc_method::direct;
    else if (m == "iterative")
        o.method = crossbar::dc_method::iterative;
    else if (m != "auto")
        throw usage_error("--method '" + m + "': expected auto, direct or iterative");
    o.pcg_tolerance = a.number("tolerance", o.pcg_tolerance);
    if (!(o.pcg_tolerance > 0.0 && o.pcg_tolerance < 1.0)) throw usage_error("--tolerance must be in (0, 1)");
    o.node_voltages = a.has("voltages-out");
    const auto r = run_solve(in, o);
    const auto t_solved = std::chrono::steady_clock::now();
    {
        std::unique_ptr<atomic_file> file;
        if (a.has("out")) file = std::make_unique<atomic_file>(a.get("out"));
        std::ostream& s = file ? file->stream() : std::cout;
        std::string line;
        for (Eigen::Index k = 0; k < r.currents.rows(); ++k) {
            line.clear();
            for (Eigen::Index j = 0; j < r.currents.cols(); ++j)
                line += (j ? "," : "") + fmt17(r.currents(k, j));
            s << line << '\n';
        }
        if (file) file->commit();
    }
    if (a.has("voltages-out")) {
        atomic_file f(a.get("voltages-out"));
        auto& s = f.stream();
        s << "vector,i,j,v_row,v_col,v_device\n";
        const std::size_t M = in.circuit.cols;
        for (Eigen::Index k = 0; k < r.v_row.rows(); ++k)
            for (Eigen::Index c = 0; c < r.v_row.cols(); ++c)
                s << k << ',' << static_cast<std::size_t>(c) / M << ',' << static_cast<std::size_t>(c) % M
                  << ',' << fmt17(r.v_row(k, c)) << ',' << fmt17(r.v_col(k, c)) << ','
                  << fmt17(r.v_row(k, c) - r.v_col(k, c)) << '\n';
        f.commit();
    }
    if (a.has("info")) {
        std::cerr << "method " << r.method << ", Newton iterations " << r.newton_iterations
                  << ", CG iterations " << r.linear_iterations << ", largest KCL residual " << r.residual
                  << " A, power (vector 0) " << r.power(0) << " W; read inputs "
                  << std::chrono::duration<double>(t_loaded - t_start).count() << " s, solve "
                  << std::chrono::duration<double>(t_solved - t_loaded).count() << " s\n";
    }
    return 0;
}

int netlist_command(int argc, char** argv) {
    auto opts = circuit_options();
    opts.insert(opts.end(),
                {
                    {"vector", "K", "which input vector of V.csv to write (default 0)"},
                    {"tight", "",
                     "ngspice options reltol=1e-12 vntol=1e-15 abstol=1e-18 (for nonlinear comparisons)"},
                    {"spice-options", "TEXT", "a .options line of your own"},
                    {"out", "FILE.cir", "the netlist (stdout if absent)"},
                    {"help", "", "this help"},
                });
    args a("netlist", opts);
    a.parse(argc, argv, 2);
    if (a.has("help")) {
        std::cout << "usage: memxbar netlist --conductance G.csv --input V.csv [circuit options as for "
                     "solve] [--out x.cir]\n\n"
                     "Writes an ngspice netlist of exactly the circuit `memxbar solve` solves with the same "
                     "options;\n"
                     "`ngspice -b x.cir` prints i(vs<j>), the current into sense node j.\n\noptions:\n"
                  << a.help();
        return 0;
    }
    const auto in = load(a);
    const long long k = a.integer("vector", 0);
    if (k < 0 || k >= in.V.rows())
        throw usage_error("--vector " + std::to_string(k) + ": V.csv has " + std::to_string(in.V.rows()) +
                          " input vectors");
    std::vector<double> v(static_cast<std::size_t>(in.V.cols()));
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = in.V(k, static_cast<Eigen::Index>(i));
    crossbar::netlist_options no;
    no.device = in.device;
    no.sinh_b = in.b;
    if (a.has("tight")) no.spice_options = "reltol=1e-12 vntol=1e-15 abstol=1e-18";
    if (a.has("spice-options")) no.spice_options = a.get("spice-options");
    std::unique_ptr<atomic_file> file;
    if (a.has("out")) file = std::make_unique<atomic_file>(a.get("out"));
    crossbar::write_netlist(file ? file->stream() : std::cout, in.circuit, in.G.values, v, no);
    if (file) file->commit();
    return 0;
}

} // namespace memxbar::experiments
