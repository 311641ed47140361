// Declarative parameter tables: the one place that says, for every model parameter, its unit, allowed
// range, meaning and source. The card loader, the validation, --set and the doc pages all read it.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace memxbar::devices {

// A parameter is a double in SI units. A "choice" parameter (a window function, an I-V relation) is
// stored as the index into `choices`, so kernels branch on a small integer, and cards spell the name.
template <class Params> struct param_info {
    std::string_view name;
    std::string_view unit; // SI, "1" for dimensionless
    double Params::*field;
    double min;
    double max;
    std::string_view description;
    std::string_view source;
    std::span<const std::string_view> choices = {}; // empty for numeric parameters
};

// A state variable: name (CSV header), unit, hard bounds the physics keeps it in.
struct state_info {
    std::string_view name;
    std::string_view unit;
    double min;
    double max;
    std::string_view description;
};

template <class Params> using param_table = std::span<const param_info<Params>>;

template <class Params>
constexpr const param_info<Params>* find_param(param_table<Params> table, std::string_view name) {
    for (const auto& p : table)
        if (p.name == name) return &p;
    return nullptr;
}

} // namespace memxbar::devices
