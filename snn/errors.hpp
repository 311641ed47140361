// Errors of the spiking layer: every message names the parameter, its value and the allowed range, so
// a bad configuration fails where it is built, never as a NaN deep inside a run.
#pragma once

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace memxbar::snn {

struct snn_error : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Throws snn_error unless lo <= value <= hi (and value is finite).
inline void check_range(std::string_view name, double value, double lo, double hi, std::string_view unit,
                        std::string_view what) {
    if (std::isfinite(value) && value >= lo && value <= hi) return;
    std::ostringstream s;
    s.precision(6);
    s << name << " = " << value << " " << unit << ": "
      << (std::isfinite(value) ? "out of range" : "not finite") << "; allowed [" << lo << ", " << hi << "] "
      << unit << " (" << what << ")";
    throw snn_error(s.str());
}

} // namespace memxbar::snn
