// An ngspice netlist of exactly the circuit memxbar solves (same nodes, same merged series resistors),
// so anyone can check a solve against SPICE: `ngspice -b netlist.cir` prints i(vs<j>), the current into
// sense node j, which is memxbar's output I_j.
#pragma once

#include "crossbar/circuit.hpp"

#include <ostream>
#include <span>
#include <string>

namespace memxbar::crossbar {

struct netlist_options {
    std::string device = "linear"; // "linear" or "sinh"
    double sinh_b = 1.0;           // 1/V
    std::string spice_options;     // a ".options ..." line body, e.g. "reltol=1e-12 vntol=1e-15 abstol=1e-18"
};

// G: N x M row-major conductances (S); v_in: N input voltages (V).
void write_netlist(std::ostream& out, const crossbar_circuit& c, std::span<const double> G,
                   std::span<const double> v_in, const netlist_options& o);

} // namespace memxbar::crossbar
