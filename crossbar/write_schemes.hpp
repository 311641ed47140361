// The standard drive schemes for writing selected cells of a passive crossbar (docs/crossbar_transient.md).
// The selected rows get the pulse (amplitude V), the selected columns stay at 0 V, so a selected cell sees
// +V (row minus column). The unselected lines get a fraction of the pulse, or float:
//
//   scheme     unselected  unselected  cells on a selected row /    cells on neither
//              rows        columns     a selected column only       (unselected)
//   v_half     V/2         V/2         V/2 / V/2                    0
//   v_third    V/3         2V/3        V/3 / V/3                    -V/3
//   grounded   0           0           V (written too!) / 0         0
//   floating   undriven    undriven    set by the sneak paths (3V/7 for a 4 x 4 of equal cells)
//
// (ideal wires and drivers). Every driven line follows the same pulse train scaled by its fraction (its
// base level too), so all edges coincide. With VTEAM a positive V raises x (towards R_off, RESET); write
// with V < 0 to SET.
#pragma once

#include "crossbar/circuit.hpp"
#include "crossbar/transient.hpp"
#include "solvers/waveform.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace memxbar::crossbar {

enum class write_scheme { v_half, v_third, grounded, floating };

inline std::string_view scheme_name(write_scheme s) {
    switch (s) {
    case write_scheme::v_half:
        return "V/2";
    case write_scheme::v_third:
        return "V/3";
    case write_scheme::grounded:
        return "grounded";
    case write_scheme::floating:
        return "floating";
    }
    return "?";
}

namespace detail {
inline solvers::waveform scaled_pulse(const solvers::pulse_train& pulse, double fraction) {
    if (fraction == 0.0) return solvers::waveform::dc(0.0);
    solvers::pulse_train q = pulse;
    q.amplitude *= fraction;
    q.base *= fraction;
    return solvers::waveform::pulses(q);
}
} // namespace detail

// Drives that write every cell at the crossing of a selected row and a selected column with `pulse`
// (pulse.amplitude = V). Throws circuit_error for an empty selection or an index outside the array, and
// std::invalid_argument for a bad pulse train.
inline line_drives write_drives(std::size_t rows, std::size_t cols,
                                std::span<const std::size_t> selected_rows,
                                std::span<const std::size_t> selected_cols, write_scheme scheme,
                                const solvers::pulse_train& pulse) {
    if (selected_rows.empty() || selected_cols.empty())
        throw circuit_error("write: select at least one row and one column");
    std::vector<char> row_sel(rows, 0), col_sel(cols, 0);
    for (std::size_t r : selected_rows) {
        if (r >= rows)
            throw circuit_error("write: row " + std::to_string(r) + " outside the array (" +
                                std::to_string(rows) + " rows)");
        row_sel[r] = 1;
    }
    for (std::size_t c : selected_cols) {
        if (c >= cols)
            throw circuit_error("write: column " + std::to_string(c) + " outside the array (" +
                                std::to_string(cols) + " columns)");
        col_sel[c] = 1;
    }
    double f_row = 0.0, f_col = 0.0; // unselected lines, as fractions of the pulse
    switch (scheme) {
    case write_scheme::v_half:
        f_row = 0.5;
        f_col = 0.5;
        break;
    case write_scheme::v_third:
        f_row = 1.0 / 3.0;
        f_col = 2.0 / 3.0;
        break;
    case write_scheme::grounded:
    case write_scheme::floating:
        break;
    }
    const bool floating = scheme == write_scheme::floating;
    line_drives d = line_drives::floating(rows, cols);
    for (std::size_t r = 0; r < rows; ++r)
        if (row_sel[r])
            d.rows[r] = detail::scaled_pulse(pulse, 1.0);
        else if (!floating)
            d.rows[r] = detail::scaled_pulse(pulse, f_row);
    for (std::size_t c = 0; c < cols; ++c)
        if (col_sel[c])
            d.cols[c] = solvers::waveform::dc(0.0);
        else if (!floating)
            d.cols[c] = detail::scaled_pulse(pulse, f_col);
    return d;
}

// Write cell (row, col).
inline line_drives write_cell(const crossbar_circuit& c, std::size_t row, std::size_t col,
                              write_scheme scheme, const solvers::pulse_train& pulse) {
    const std::size_t r[1] = {row}, k[1] = {col};
    return write_drives(c.rows, c.cols, r, k, scheme, pulse);
}

// Write the cells of one row at the given columns in parallel.
inline line_drives write_row(const crossbar_circuit& c, std::size_t row, std::span<const std::size_t> cols,
                             write_scheme scheme, const solvers::pulse_train& pulse) {
    const std::size_t r[1] = {row};
    return write_drives(c.rows, c.cols, r, cols, scheme, pulse);
}

} // namespace memxbar::crossbar
