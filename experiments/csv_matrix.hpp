// Numeric CSV files (no header): every cell parsed as a double; a ragged row, an empty cell or text
// that is not a number is an error naming the file, line and column.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace memxbar::experiments {

struct csv_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct csv_matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<double> values; // row-major
    [[nodiscard]] double operator()(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
};

csv_matrix read_csv_matrix(const std::string& path);

} // namespace memxbar::experiments
