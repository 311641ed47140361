#include "crossbar/netlist.hpp"

#include "crossbar/nodal.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

namespace memxbar::crossbar {

namespace {
// Shortest text that reads back as the same double (what ngspice then parses).
std::string num(double x) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);
    return std::string(buf, r.ptr);
}
} // namespace

void write_netlist(std::ostream& out, const crossbar_circuit& c, std::span<const double> G,
                   std::span<const double> v_in, const netlist_options& o) {
    const nodal_topology t(c);
    const std::size_t N = c.rows, M = c.cols;
    if (G.size() != N * M || v_in.size() != N)
        throw circuit_error("write_netlist: G or V does not match the array size");
    if (o.device != "linear" && o.device != "sinh")
        throw circuit_error("device law '" + o.device + "': expected linear or sinh");
    auto row_name = [&](std::size_t i, std::size_t j) {
        const int id = t.row_node(i, j);
        return id >= 0 ? "n" + std::to_string(id) : "in" + std::to_string(i);
    };
    auto col_name = [&](std::size_t i, std::size_t j) {
        const int id = t.col_node(i, j);
        return id >= 0 ? "n" + std::to_string(id) : "s" + std::to_string(j);
    };
    out << "* memxbar " << N << "x" << M << " passive crossbar, device=" << o.device
        << (o.device == "sinh" ? " b=" + num(o.sinh_b) : "") << " r_wire_row=" << num(c.r_wire_row)
        << " r_wire_col=" << num(c.r_wire_col) << " r_source=" << num(c.r_source)
        << " r_sense=" << num(c.r_sense) << (c.drive_both_ends ? " driven from both ends" : "") << "\n";
    if (!o.spice_options.empty()) out << ".options " << o.spice_options << "\n";
    for (std::size_t i = 0; i < N; ++i)
        out << "V" << i << " in" << i << " 0 DC " << num(v_in[i]) << "\n";
    for (std::size_t j = 0; j < M; ++j)
        out << "Vs" << j << " s" << j << " 0 DC 0\n";
    std::size_t w = 0, sense = 0; // sense edges come in column order (nodal_topology)
    std::vector<bool> seen_left(N, false);
    for (const auto& e : t.fixed_edges()) {
        const std::string r = num(1.0 / e.g);
        if (is_source(e.a)) {
            // with drive_both_ends each row has two driver resistors: Rin<i> (left) and Rinr<i> (right)
            const std::size_t i = source_index(e.a);
            out << (seen_left[i] ? "Rinr" : "Rin") << i << " in" << i << " n" << e.b << " " << r << "\n";
            seen_left[i] = true;
        } else if (e.b == ground_node) {
            out << "Rout" << sense << " n" << e.a << " s" << sense << " " << r << "\n";
            ++sense;
        } else {
            out << "Rw" << w++ << " n" << e.a << " n" << e.b << " " << r << "\n";
        }
    }
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < M; ++j) {
            const double g = G[i * M + j];
            if (g == 0.0) continue; // an open device
            const std::string a = row_name(i, j), b = col_name(i, j);
            if (o.device == "linear")
                out << "Rd" << i << "_" << j << " " << a << " " << b << " " << num(1.0 / g) << "\n";
            else
                out << "Bd" << i << "_" << j << " " << a << " " << b << " I=" << num(g) << "*sinh("
                    << num(o.sinh_b) << "*V(" << a << "," << b << "))/" << num(o.sinh_b) << "\n";
        }
    out << ".control\nop\nset numdgt=17\n";
    for (std::size_t j = 0; j < M; j += 8) {
        out << "print";
        for (std::size_t q = j; q < std::min(M, j + 8); ++q)
            out << " i(vs" << q << ")";
        out << "\n";
    }
    out << "quit 0\n.endc\n.end\n";
}

} // namespace memxbar::crossbar
