#include "devices/card.hpp"

#include "memxbar/build_info.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace memxbar::devices {
namespace fs = std::filesystem;

namespace {

origin where_of(const std::string& path, const toml::node& n) {
    return {path, static_cast<std::int64_t>(n.source().begin.line)};
}

// A number from a TOML node: floats and integers both count; anything else is an error.
double number_of(const std::string& path, std::string_view key, const toml::node& n) {
    if (auto f = n.as_floating_point()) return f->get();
    if (auto i = n.as_integer()) return static_cast<double>(i->get());
    throw card_error(where_of(path, n).str() + "'" + std::string(key) + "' must be a number");
}

double fraction_of(const std::string& path, std::string_view key, const toml::node& n, double max) {
    const double v = number_of(path, key, n);
    if (!std::isfinite(v) || v < 0.0 || v > max) {
        std::ostringstream s;
        s << where_of(path, n).str() << "variability." << key << " = " << v << ": out of range [0, " << max
          << "]";
        throw card_error(s.str());
    }
    return v;
}

void parse_variability(const std::string& path, const toml::table& t, variability_spec& out) {
    for (const auto& [k, node] : t) {
        const std::string key(k.str());
        if (key == "c2c_sigma")
            out.c2c_sigma = fraction_of(path, key, node, 10.0);
        else if (key == "read_noise_sigma")
            out.read_noise_sigma = fraction_of(path, key, node, 10.0);
        else if (key == "flicker_q")
            out.flicker_q = fraction_of(path, key, node, 10.0);
        else if (key == "stuck_on_fraction")
            out.stuck_on_fraction = fraction_of(path, key, node, 1.0);
        else if (key == "stuck_off_fraction")
            out.stuck_off_fraction = fraction_of(path, key, node, 1.0);
        else if (key == "levels") {
            const double v = fraction_of(path, key, node, 1e6);
            if (v != std::floor(v) || v == 1.0)
                throw card_error(where_of(path, node).str() + "variability.levels = " + std::to_string(v) +
                                 ": must be 0 (continuous) or an integer >= 2");
            out.levels = static_cast<long>(v);
        } else if (key == "d2d") {
            const auto* d2d = node.as_table();
            if (d2d == nullptr)
                throw card_error(where_of(path, node).str() + "variability.d2d must be a table");
            for (const auto& [pk, spec_node] : *d2d) {
                const auto* spec = spec_node.as_table();
                const std::string param(pk.str());
                if (spec == nullptr)
                    throw card_error(
                        where_of(path, spec_node).str() + "variability.d2d." + param +
                        " must be a table { distribution = \"normal\"|\"lognormal\", sigma = S }");
                d2d_spec d{param, spread_distribution::normal, 0.0, where_of(path, spec_node)};
                for (const auto& [sk, sv] : *spec) {
                    if (sk.str() == "distribution") {
                        const auto name = sv.value<std::string>();
                        if (name == "normal")
                            d.distribution = spread_distribution::normal;
                        else if (name == "lognormal")
                            d.distribution = spread_distribution::lognormal;
                        else
                            throw card_error(where_of(path, sv).str() + "variability.d2d." + param +
                                             ".distribution: expected \"normal\" or \"lognormal\"");
                    } else if (sk.str() == "sigma") {
                        d.sigma = fraction_of(path, "d2d." + param + ".sigma", sv, 10.0);
                    } else {
                        throw card_error(where_of(path, sv).str() + "variability.d2d." + param +
                                         ": unknown key '" + std::string(sk.str()) +
                                         "'; known: distribution, sigma");
                    }
                }
                out.d2d.push_back(std::move(d));
            }
        } else {
            throw card_error(where_of(path, node).str() + "unknown key 'variability." + key +
                             "'; known: c2c_sigma, read_noise_sigma, flicker_q, stuck_on_fraction, "
                             "stuck_off_fraction, levels, d2d");
        }
    }
    if (out.stuck_on_fraction + out.stuck_off_fraction > 1.0)
        throw card_error(path + ": variability: stuck_on_fraction + stuck_off_fraction exceeds 1");
}

card_value value_of(const std::string& path, std::string key, const toml::node& n) {
    card_value v;
    v.key = std::move(key);
    v.where = where_of(path, n);
    if (auto s = n.as_string()) {
        v.is_text = true;
        v.text = s->get();
    } else if (n.is_number()) {
        v.number = number_of(path, v.key, n);
    } else {
        throw card_error(v.where.str() + "parameter '" + v.key +
                         "' must be a number (SI units) or a choice name");
    }
    return v;
}

} // namespace

card parse_card(std::string_view text, std::string path) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw card_error(path + ":" + std::to_string(e.source().begin.line) +
                         ": TOML syntax error: " + std::string(e.description()));
    }
    card c;
    c.path = path;
    for (const auto& [k, node] : root) {
        const std::string key(k.str());
        if (key == "model" || key == "description" || key == "source") {
            const auto s = node.value<std::string>();
            if (!s) throw card_error(where_of(path, node).str() + "'" + key + "' must be a string");
            (key == "model" ? c.model : key == "description" ? c.description : c.source) = *s;
        } else if (key == "parameters") {
            const auto* t = node.as_table();
            if (t == nullptr) throw card_error(where_of(path, node).str() + "[parameters] must be a table");
            for (const auto& [pk, pv] : *t)
                c.parameters.push_back(value_of(path, std::string(pk.str()), pv));
        } else if (key == "variability") {
            const auto* t = node.as_table();
            if (t == nullptr) throw card_error(where_of(path, node).str() + "[variability] must be a table");
            parse_variability(path, *t, c.variability);
        } else {
            throw card_error(where_of(path, node).str() + "unknown key '" + key +
                             "'; known: model, description, source, parameters, variability");
        }
    }
    if (c.model.empty()) throw card_error(path + ": missing 'model = \"...\"'");
    return c;
}

std::string cards_dir() {
    if (const char* env = std::getenv("MEMXBAR_CARDS")) return env;
    return std::string(memxbar::source_dir) + "/devices/cards";
}

std::vector<std::string> card_names() {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(cards_dir(), ec))
        if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

card load_card(std::string_view name_or_path) {
    fs::path path(name_or_path);
    if (!fs::exists(path) && path.extension() != ".toml")
        path = fs::path(cards_dir()) / (std::string(name_or_path) + ".toml");
    std::ifstream in(path);
    if (!in) {
        std::string known;
        for (const auto& n : card_names())
            known += (known.empty() ? "" : ", ") + n;
        throw card_error("cannot read device card '" + std::string(name_or_path) + "' (looked for " +
                         path.string() + "); shipped cards: " + known);
    }
    std::stringstream buf;
    buf << in.rdbuf();
    return parse_card(buf.str(), path.string());
}

void apply_override(card& c, std::string_view assignment) {
    const auto eq = assignment.find('=');
    if (eq == std::string_view::npos || eq == 0)
        throw card_error("--set '" + std::string(assignment) + "': expected key=value");
    card_value v;
    v.key = std::string(assignment.substr(0, eq));
    v.where = {"--set", 0};
    const std::string text(assignment.substr(eq + 1));
    char* end = nullptr;
    const double num = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size()) {
        v.number = num;
    } else {
        v.is_text = true;
        v.text = text;
    }
    auto it = std::find_if(c.parameters.begin(), c.parameters.end(),
                           [&](const card_value& p) { return p.key == v.key; });
    if (it != c.parameters.end())
        *it = v;
    else
        c.parameters.push_back(v);
}

} // namespace memxbar::devices
