// Numbers in result files: 17 significant digits, so every double survives the round trip.
#pragma once

#include <cstdio>
#include <string>

namespace memxbar::experiments {

inline std::string fmt17(double x) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

} // namespace memxbar::experiments
