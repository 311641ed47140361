// The passive (0T1R) crossbar of docs/crossbar.md: N rows by M columns. Row i is driven at its left end
// by an ideal source V_i through r_source, then M row-wire segments (the first between the driver and
// cell (i,0)); column j runs through N column-wire segments from cell (0,j) down to its sense node (the
// last segment after cell (N-1,j)), held at 0 V by a transimpedance amplifier through r_sense. The
// device (i,j) sits between row node (i,j) and column node (i,j); output I_j is the current into sense
// node j. All resistances in ohm, conductances in siemens.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace memxbar::crossbar {

struct circuit_error : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct crossbar_circuit {
    std::size_t rows = 0, cols = 0;
    double r_wire_row = 0.0; // ohm per segment
    double r_wire_col = 0.0; // ohm per segment
    double r_source = 0.0;   // ohm, driver output resistance
    double r_sense = 0.0;    // ohm, TIA input resistance
    // Rows driven from both ends: a second driver of the same V_i through r_source at the right end,
    // with one more wire segment between cell (i, M-1) and it (halves the worst IR drop).
    bool drive_both_ends = false;

    [[nodiscard]] std::size_t cells() const { return rows * cols; }
    void validate() const; // throws circuit_error naming the parameter, value and allowed range
};

} // namespace memxbar::crossbar
