// Reading the runner's tidy CSVs in tests: header plus rows of text cells, columns by name.
#pragma once

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace memxbar::testing {

struct results_table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    [[nodiscard]] std::size_t col(const std::string& name) const {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return i;
        FAIL("no column " << name);
        return 0;
    }
};

// For CSVs without quoted cells (no commas in any value), which is what these tests write: a plain
// split, keeping a trailing empty cell.
inline results_table read_results_csv(const std::string& text) {
    results_table t;
    std::stringstream in(text);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ls(line);
        std::string c;
        while (std::getline(ls, c, ','))
            cells.push_back(c);
        if (!line.empty() && line.back() == ',') cells.emplace_back();
        if (first)
            t.header = cells;
        else
            t.rows.push_back(cells);
        first = false;
    }
    return t;
}

} // namespace memxbar::testing
