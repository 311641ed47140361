#include "experiments/csv_matrix.hpp"

// csv.h trips -Wstringop-truncation inside its own error class; not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#include <csv.h>
#pragma GCC diagnostic pop

#include <charconv>
#include <cmath>

namespace memxbar::experiments {

csv_matrix read_csv_matrix(const std::string& path) {
    csv_matrix m;
    try {
        io::LineReader in(path);
        std::size_t line_no = 0;
        while (char* raw = in.next_line()) {
            ++line_no;
            std::string_view line(raw);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.find_first_not_of(" \t") == std::string_view::npos) {
                continue; // blank lines (a trailing newline) are allowed
            }
            std::size_t col = 0, start = 0;
            while (true) {
                const std::size_t comma = line.find(',', start);
                std::string_view cell = line.substr(
                    start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
                while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t'))
                    cell.remove_prefix(1);
                while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t'))
                    cell.remove_suffix(1);
                ++col;
                double v = 0.0;
                const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
                if (cell.empty() || ec != std::errc() || ptr != cell.data() + cell.size())
                    throw csv_error(path + ":" + std::to_string(line_no) + ": column " + std::to_string(col) +
                                    ": '" + std::string(cell) + "' is not a number");
                if (!std::isfinite(v))
                    throw csv_error(path + ":" + std::to_string(line_no) + ": column " + std::to_string(col) +
                                    ": " + std::string(cell) + " is not finite");
                m.values.push_back(v);
                if (comma == std::string_view::npos) break;
                start = comma + 1;
            }
            if (m.rows == 0)
                m.cols = col;
            else if (col != m.cols)
                throw csv_error(path + ":" + std::to_string(line_no) + ": " + std::to_string(col) +
                                " columns, but the first row has " + std::to_string(m.cols) +
                                " (ragged rows)");
            ++m.rows;
        }
    } catch (const io::error::base& e) {
        throw csv_error(std::string("cannot read '") + path + "': " + e.what());
    }
    if (m.rows == 0) throw csv_error(path + ": no numbers in the file");
    return m;
}

} // namespace memxbar::experiments
