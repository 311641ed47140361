// Device cards: TOML files naming a model, its parameter values, variability and source paper.
// Loading is two steps: `load_card` parses the file and keeps every value's line; `bind<M>` checks each
// value against model M's parameter table and lowers it into M::params. Every failure is a card_error
// naming the file, line, key, value and allowed range.
#pragma once

#include "devices/model.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace memxbar::devices {

struct card_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Where a value came from, for messages: "devices/cards/x.toml:12: ".
struct origin {
    std::string file;
    std::int64_t line = 0;
    [[nodiscard]] std::string str() const {
        return line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
    }
};

struct card_value {
    std::string key;
    bool is_text = false; // a choice spelled by name
    double number = 0.0;
    std::string text;
    origin where;
    [[nodiscard]] std::string shown() const {
        if (is_text) return "\"" + text + "\"";
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, number); // shortest form that round-trips
        return std::string(buf, r.ptr);
    }
};

enum class spread_distribution { normal, lognormal };

// Device-to-device spread of one parameter: normal p (1 + sigma xi) or lognormal p exp(sigma xi),
// sampled once per device and redrawn (up to a bound) until inside the parameter's allowed range.
struct d2d_spec {
    std::string param;
    spread_distribution distribution = spread_distribution::normal;
    double sigma = 0.0;
    origin where;
};

struct variability_spec {
    std::vector<d2d_spec> d2d;
    double c2c_sigma = 0.0;          // relative spread of each pulse's state change (per cycle)
    double read_noise_sigma = 0.0;   // relative white read noise on each read current
    double flicker_q = 0.0;          // 1/f read noise: sigma_rel = Q sqrt(ln(t_since / (2 t_read)))
    double stuck_on_fraction = 0.0;  // probability a device is stuck at its on (low-R) state
    double stuck_off_fraction = 0.0; // probability a device is stuck at its off (high-R) state
    long levels = 0;                 // finite conductance levels between G_off and G_on; 0 = continuous
    [[nodiscard]] bool any() const {
        return !d2d.empty() || c2c_sigma > 0 || read_noise_sigma > 0 || flicker_q > 0 ||
               stuck_on_fraction > 0 || stuck_off_fraction > 0 || levels > 0;
    }
};

struct card {
    std::string path; // as loaded
    std::string model;
    std::string description;
    std::string source; // the paper
    std::vector<card_value> parameters;
    variability_spec variability;
};

// NAME (a file devices/cards/NAME.toml) or a path to a .toml file. Throws card_error.
card load_card(std::string_view name_or_path);
// Parse card text already in memory (`path` is used in messages only).
card parse_card(std::string_view text, std::string path);
// The folder of shipped cards, and the names of the cards in it, sorted.
std::string cards_dir();
std::vector<std::string> card_names();

// "key=value" from the command line, taking precedence over the card. Throws card_error.
void apply_override(card& c, std::string_view assignment);

template <class Params>
void check_value(const param_info<Params>& info, const card_value& value, double& out) {
    const auto err = [&](const std::string& why) {
        return card_error(value.where.str() + "parameter '" + value.key + "' = " + value.shown() + ": " +
                          why);
    };
    if (!info.choices.empty()) {
        if (!value.is_text) {
            std::string names;
            for (auto c : info.choices)
                names += (names.empty() ? "" : ", ") + std::string(c);
            throw err("expected one of: " + names);
        }
        for (std::size_t k = 0; k < info.choices.size(); ++k)
            if (info.choices[k] == value.text) {
                out = static_cast<double>(k);
                return;
            }
        std::string names;
        for (auto c : info.choices)
            names += (names.empty() ? "" : ", ") + std::string(c);
        throw err("unknown choice; allowed: " + names);
    }
    if (value.is_text) throw err("expected a number in " + std::string(info.unit));
    if (!std::isfinite(value.number) || value.number < info.min || value.number > info.max) {
        std::ostringstream s;
        s.precision(6);
        s << (std::isfinite(value.number) ? "out of range" : "not a finite number; allowed") << " ["
          << info.min << ", " << info.max << "] " << info.unit << " (" << info.description << ")";
        throw err(s.str());
    }
    out = value.number;
}

// Lower a card's parameter values onto M's defaults, checking each against M's table.
template <device_model M> typename M::params bind(const card& c) {
    if (c.model != M::name)
        throw card_error(c.path + ": card is for model '" + c.model + "', not '" + std::string(M::name) +
                         "'");
    typename M::params p{};
    for (const auto& value : c.parameters) {
        const auto* info = find_param(M::parameters(), value.key);
        if (info == nullptr) {
            std::string names;
            for (const auto& q : M::parameters())
                names += (names.empty() ? "" : ", ") + std::string(q.name);
            throw card_error(value.where.str() + "unknown parameter '" + value.key + "' = " + value.shown() +
                             " for model '" + std::string(M::name) + "'; known: " + names);
        }
        check_value(*info, value, p.*(info->field));
    }
    for (const auto& d : c.variability.d2d)
        if (find_param(M::parameters(), d.param) == nullptr)
            throw card_error(d.where.str() + "variability.d2d: unknown parameter '" + d.param +
                             "' for model '" + std::string(M::name) + "'");
    if constexpr (requires { M::validate(p); }) {
        if (const std::string why = M::validate(p); !why.empty()) throw card_error(c.path + ": " + why);
    }
    return p;
}

} // namespace memxbar::devices
