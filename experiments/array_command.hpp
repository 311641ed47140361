#pragma once
namespace memxbar::experiments {
// memxbar solve: DC solution of a crossbar for one or a batch of input vectors.
int solve_command(int argc, char** argv);
// memxbar netlist: the same circuit as an ngspice netlist.
int netlist_command(int argc, char** argv);
} // namespace memxbar::experiments
