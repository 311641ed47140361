#include "experiments/config.hpp"

#include "experiments/csv_format.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace memxbar::experiments {

namespace {

struct reader {
    const std::string& path;

    std::string at(const toml::node& n) const {
        if (path.rfind("--set", 0) == 0) return path + ": "; // a command-line override has no line
        return path + ":" + std::to_string(n.source().begin.line) + ": ";
    }
    [[noreturn]] void fail(const toml::node& n, const std::string& what) const {
        throw config_error(at(n) + what);
    }

    static std::string shown(const toml::node& n) {
        std::ostringstream s;
        if (auto str = n.as_string())
            s << '"' << str->get() << '"';
        else if (n.is_array())
            s << "[...]";
        else if (n.is_table())
            s << "{...}";
        else
            n.visit([&](const auto& x) {
                if constexpr (toml::is_value<decltype(x)>) s << x.get();
            });
        return s.str();
    }

    static std::string range_text(const param_spec& p) {
        if (p.kind == value_kind::integer)
            return "[" + std::to_string(static_cast<long long>(p.min)) + ", " +
                   std::to_string(static_cast<long long>(p.max)) + "]";
        std::ostringstream s;
        s << "[" << p.min << ", " << p.max << "]";
        return s.str();
    }

    // A TOML value as a value of parameter p, checked against its kind, range and choices.
    value convert(const toml::node& n, const param_spec& p, const std::string& key) const {
        const std::string what = key + " = " + shown(n);
        const std::string about =
            " (" + p.name + ": " + p.description + (p.unit.empty() ? "" : ", " + p.unit) + ")";
        switch (p.kind) {
        case value_kind::real: {
            double x;
            if (auto f = n.as_floating_point())
                x = f->get();
            else if (auto i = n.as_integer())
                x = static_cast<double>(i->get());
            else
                fail(n, what + ": must be " + std::string(kind_name(p.kind)) + about);
            if (!std::isfinite(x) || x < p.min || x > p.max)
                fail(n, what + ": out of range " + range_text(p) + about);
            return x;
        }
        case value_kind::integer: {
            auto i = n.as_integer();
            if (!i) fail(n, what + ": must be " + std::string(kind_name(p.kind)) + about);
            const auto x = i->get();
            if (static_cast<double>(x) < p.min || static_cast<double>(x) > p.max)
                fail(n, what + ": out of range " + range_text(p) + about);
            return static_cast<std::int64_t>(x);
        }
        case value_kind::text: {
            auto s = n.as_string();
            if (!s) fail(n, what + ": must be " + std::string(kind_name(p.kind)) + about);
            const std::string x = s->get();
            if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(), x) == p.choices.end()) {
                std::string allowed;
                for (const auto& c : p.choices)
                    allowed += (allowed.empty() ? "" : ", ") + c;
                fail(n, what + ": not one of " + allowed + about);
            }
            return x;
        }
        case value_kind::boolean: {
            auto b = n.as_boolean();
            if (!b) fail(n, what + ": must be " + std::string(kind_name(p.kind)) + about);
            return b->get();
        }
        }
        fail(n, what + ": unsupported kind");
    }

    const param_spec& param(const job& j, const toml::node& n, const std::string& section,
                            const std::string& key) const {
        if (const auto* p = j.find_param(key)) return *p;
        std::string known;
        for (const auto& q : j.params)
            known += (known.empty() ? "" : ", ") + q.name;
        fail(n, (section.empty() ? key : section + "." + key) + ": job '" + j.name + "' has no parameter '" +
                    key + "' (its parameters: " + known + ")");
    }

    // A sweep list: an array of values, or {from, to, points, scale = "linear"|"log"} for numbers.
    std::vector<value> list(const toml::node& n, const param_spec& p, const std::string& key) const {
        std::vector<value> out;
        if (const auto* a = n.as_array()) {
            if (a->empty()) fail(n, key + ": an empty list sweeps nothing; give at least one value");
            for (const auto& e : *a)
                out.push_back(convert(e, p, key));
            return out;
        }
        const auto* t = n.as_table();
        if (!t)
            fail(n, key + ": a sweep is a list of values, e.g. [1, 2, 4], or a range {from = 1, to = 100, "
                          "points = 5, scale = \"log\"}");
        if (p.kind != value_kind::real && p.kind != value_kind::integer)
            fail(n, key + ": a range sweep needs a numeric parameter; give a list of values");
        double from = 0, to = 0;
        std::int64_t points = 0;
        bool log = false, has_from = false, has_to = false;
        for (const auto& [k, v] : *t) {
            const std::string kk(k.str());
            if (kk == "from" || kk == "to") {
                auto f = v.as_floating_point();
                auto i = v.as_integer();
                if (!f && !i) fail(v, key + "." + kk + ": must be a number");
                (kk == "from" ? from : to) = f ? f->get() : static_cast<double>(i->get());
                (kk == "from" ? has_from : has_to) = true;
            } else if (kk == "points") {
                auto i = v.as_integer();
                if (!i || i->get() < 1 || i->get() > 1000000)
                    fail(v, key + ".points = " + shown(v) + ": must be an integer in [1, 1000000]");
                points = i->get();
            } else if (kk == "scale") {
                auto s = v.as_string();
                if (!s || (s->get() != "linear" && s->get() != "log"))
                    fail(v, key + ".scale = " + shown(v) + ": must be \"linear\" or \"log\"");
                log = s->get() == "log";
            } else {
                fail(v, key + "." + kk + ": unknown key of a range (known: from, to, points, scale)");
            }
        }
        if (!has_from || !has_to || points == 0) fail(n, key + ": a range needs from, to and points");
        if (log && !(from > 0 && to > 0)) fail(n, key + ": a log range needs from > 0 and to > 0");
        for (std::int64_t k = 0; k < points; ++k) {
            const double f = points == 1 ? 0.0 : static_cast<double>(k) / static_cast<double>(points - 1);
            double x = log ? from * std::pow(to / from, f) : from + (to - from) * f;
            if (k == points - 1) x = to; // exact end point
            if (p.kind == value_kind::integer) x = std::round(x);
            if (!std::isfinite(x) || x < p.min || x > p.max)
                fail(n, key + ": range value " + fmt17(x) + " out of range " + range_text(p));
            if (p.kind == value_kind::integer)
                out.emplace_back(static_cast<std::int64_t>(x));
            else
                out.emplace_back(x);
        }
        if (p.kind == value_kind::integer) // rounding may repeat values on a short log range
            out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }
};

} // namespace

std::size_t experiment_config::points() const {
    std::size_t n = 1;
    for (const auto& a : axes)
        n *= a.size();
    return n;
}

experiment_config parse_config(const std::string& text, const std::string& path) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw config_error(path + ":" + std::to_string(e.source().begin.line) +
                           ": TOML syntax error: " + std::string(e.description()));
    }
    const reader r{path};
    experiment_config c;
    c.path = path;
    c.text = text;
    c.name = std::filesystem::path(path).stem().string();

    const toml::node* job_node = root.get("job");
    if (!job_node || !job_node->is_string()) {
        std::string known;
        for (const auto& j : all_jobs())
            known += (known.empty() ? "" : ", ") + j.name;
        throw config_error(path + ":1: missing job = \"NAME\" (one of: " + known + ")");
    }
    const std::string job_name = job_node->as_string()->get();
    c.the_job = find_job(job_name);
    if (!c.the_job) {
        std::string known;
        for (const auto& j : all_jobs())
            known += (known.empty() ? "" : ", ") + j.name;
        r.fail(*job_node, "job = \"" + job_name + "\": no such job (known: " + known + ")");
    }
    const job& j = *c.the_job;
    for (const auto& p : j.params)
        c.base.push_back(p.default_value);

    std::map<std::size_t, const toml::node*> swept; // parameter -> where it is swept (for messages)
    std::vector<bool> fixed(j.params.size(), false);
    auto add_axis = [&](const toml::table& t, const std::string& section, bool zipped) {
        sweep_axis zip_axis;
        const toml::node* first = nullptr;
        for (const auto& [k, v] : t) {
            const std::string key(k.str());
            const auto& p = r.param(j, v, section, key);
            const auto idx = j.param_index(key);
            if (swept.count(idx))
                r.fail(v, section + "." + key + ": '" + key + "' is already swept on line " +
                              std::to_string(swept[idx]->source().begin.line) + "; sweep a parameter once");
            if (fixed[idx])
                r.fail(v, section + "." + key + ": '" + key +
                              "' is also fixed in [parameters]; fix it or sweep it, not both");
            swept[idx] = &v;
            auto values = r.list(v, p, section + "." + key);
            if (zipped) {
                if (first && values.size() != zip_axis.size())
                    r.fail(v, section + "." + key + ": " + std::to_string(values.size()) +
                                  " values, but zipped lists must all have the same length (line " +
                                  std::to_string(first->source().begin.line) + " has " +
                                  std::to_string(zip_axis.size()) + ")");
                if (!first) first = &v;
                zip_axis.params.push_back(idx);
                zip_axis.values.push_back(std::move(values));
            } else {
                c.axes.push_back({{idx}, {std::move(values)}});
            }
        }
        if (zipped && !zip_axis.params.empty()) c.axes.push_back(std::move(zip_axis));
    };

    // [parameters] first, so that a sweep of a fixed parameter is reported wherever it appears.
    if (const auto* pt = root.get("parameters")) {
        const auto* t = pt->as_table();
        if (!t) r.fail(*pt, "parameters must be a table: [parameters]");
        for (const auto& [k, v] : *t) {
            const std::string key(k.str());
            const auto& p = r.param(j, v, "parameters", key);
            const auto idx = j.param_index(key);
            c.base[idx] = r.convert(v, p, "parameters." + key);
            fixed[idx] = true;
        }
    }
    for (const auto& [k, node] : root) {
        const std::string key(k.str());
        if (key == "job" || key == "parameters") continue;
        if (key == "name" || key == "description") {
            auto s = node.as_string();
            if (!s) r.fail(node, key + " = " + reader::shown(node) + ": must be a string");
            if (key == "name") {
                c.name = s->get();
                if (c.name.empty() || c.name.find_first_of("/\\ \t") != std::string::npos || c.name[0] == '.')
                    r.fail(node, "name = \"" + c.name +
                                     "\": must be a non-empty folder name without spaces or slashes");
            } else {
                c.description = s->get();
            }
        } else if (key == "seed") {
            auto i = node.as_integer();
            if (!i || i->get() < 0)
                r.fail(node, "seed = " + reader::shown(node) + ": must be an integer >= 0");
            c.seed = static_cast<std::uint64_t>(i->get());
        } else if (key == "repetitions") {
            auto i = node.as_integer();
            if (!i || i->get() < 1 || i->get() > 1000000)
                r.fail(node, "repetitions = " + reader::shown(node) + ": must be an integer in [1, 1000000]");
            c.repetitions = static_cast<int>(i->get());
        } else if (key == "sweep") {
            const auto* t = node.as_table();
            if (!t) r.fail(node, "sweep must be a table: [sweep]");
            add_axis(*t, "sweep", false);
        } else if (key == "zip") {
            if (const auto* t = node.as_table()) {
                add_axis(*t, "zip", true);
            } else if (const auto* a = node.as_array()) {
                for (const auto& e : *a) {
                    const auto* et = e.as_table();
                    if (!et) r.fail(e, "zip: each [[zip]] must be a table of equally long lists");
                    add_axis(*et, "zip", true);
                }
            } else {
                r.fail(node, "zip must be a table ([zip]) or an array of tables ([[zip]])");
            }
        } else if (key == "plot") {
            const auto* t = node.as_table();
            if (!t) r.fail(node, "plot must be a table: [plot]");
            for (const auto& [pk, pv] : *t) {
                const std::string kk(pk.str());
                if (kk == "logx" || kk == "logy") {
                    auto b = pv.as_boolean();
                    if (!b) r.fail(pv, "plot." + kk + " = " + reader::shown(pv) + ": must be true or false");
                    (kk == "logx" ? c.plot.logx : c.plot.logy) = b->get();
                } else if (kk == "x" || kk == "y" || kk == "hue" || kk == "facet" || kk == "title") {
                    auto s = pv.as_string();
                    if (!s) r.fail(pv, "plot." + kk + " = " + reader::shown(pv) + ": must be a string");
                    (kk == "x"       ? c.plot.x
                     : kk == "y"     ? c.plot.y
                     : kk == "hue"   ? c.plot.hue
                     : kk == "facet" ? c.plot.facet
                                     : c.plot.title) = s->get();
                } else {
                    r.fail(pv, "plot." + kk + ": unknown key (known: x, y, hue, facet, logx, logy, title)");
                }
            }
        } else {
            r.fail(node, key +
                             ": unknown key (known: job, name, description, seed, repetitions, [parameters], "
                             "[sweep], [zip] or [[zip]], [plot])");
        }
    }
    // Plot columns must exist, or the figure would fail after the whole run.
    for (const std::string* col : {&c.plot.x, &c.plot.y, &c.plot.hue, &c.plot.facet}) {
        if (col->empty()) continue;
        bool ok = *col == "repetition" || *col == "seed" || j.find_param(*col) != nullptr ||
                  std::find(j.columns.begin(), j.columns.end(), *col) != j.columns.end();
        if (!ok) {
            const auto* pt = root.get("plot");
            r.fail(pt ? *pt : root, "plot: no column '" + *col + "' in the results of job '" + j.name + "'");
        }
    }
    std::sort(c.axes.begin(), c.axes.end(),
              [](const sweep_axis& a, const sweep_axis& b) { return a.params.front() < b.params.front(); });
    if (c.points() * static_cast<std::size_t>(c.repetitions) > 100'000'000)
        throw config_error(path + ": the sweep has " + std::to_string(c.points()) + " points x " +
                           std::to_string(c.repetitions) +
                           " repetitions; more than 1e8 runs is surely a mistake");
    return c;
}

void apply_overrides(experiment_config& c, const std::vector<std::string>& sets) {
    const job& j = *c.the_job;
    for (const auto& item : sets) {
        const auto eq = item.find('=');
        const std::string where = "--set " + item;
        if (eq == std::string::npos || eq == 0)
            throw config_error(where + ": expected KEY=VALUE, e.g. --set rows=64 or --set r_wire=[1,2.5]");
        const std::string key = item.substr(0, eq), text = item.substr(eq + 1);
        toml::table t;
        try {
            t = toml::parse("v = " + text, where);
        } catch (const toml::parse_error&) {
            // A bare word for a text parameter or the name: --set card=neurosim_agsi
            const auto* p = j.find_param(key);
            if ((p && p->kind == value_kind::text) || key == "name") {
                t = toml::table{{"v", text}};
            } else {
                throw config_error(where + ": '" + text +
                                   "' is not a TOML value (numbers, true/false, \"text\", [lists])");
            }
        }
        const toml::node& v = *t.get("v");
        const reader r{where};
        if (key == "seed" || key == "repetitions") {
            auto i = v.as_integer();
            if (!i || i->get() < (key == "seed" ? 0 : 1) || (key == "repetitions" && i->get() > 1000000))
                throw config_error(where + ": " + key + " must be an integer" +
                                   (key == "seed" ? " >= 0" : " in [1, 1000000]"));
            if (key == "seed")
                c.seed = static_cast<std::uint64_t>(i->get());
            else
                c.repetitions = static_cast<int>(i->get());
            continue;
        }
        if (key == "name") {
            auto sv = v.as_string();
            if (!sv || sv->get().empty() || sv->get().find_first_of("/\\ \t") != std::string::npos)
                throw config_error(where + ": name must be a folder name without spaces or slashes");
            c.name = sv->get();
            continue;
        }
        const auto& p = r.param(j, v, "", key);
        const auto idx = j.param_index(key);
        // The override replaces whatever the config did with this parameter (fixed, swept or zipped).
        for (auto& a : c.axes)
            for (std::size_t q = 0; q < a.params.size(); ++q)
                if (a.params[q] == idx) {
                    a.params.erase(a.params.begin() + static_cast<std::ptrdiff_t>(q));
                    a.values.erase(a.values.begin() + static_cast<std::ptrdiff_t>(q));
                    break;
                }
        std::erase_if(c.axes, [](const sweep_axis& a) { return a.params.empty(); });
        c.base[idx] = p.default_value;
        if (v.is_array() || v.is_table())
            c.axes.push_back({{idx}, {r.list(v, p, key)}});
        else
            c.base[idx] = r.convert(v, p, key);
        c.overrides.push_back(item);
    }
    std::sort(c.axes.begin(), c.axes.end(),
              [](const sweep_axis& a, const sweep_axis& b) { return a.params.front() < b.params.front(); });
}

experiment_config load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw config_error(path + ": cannot read the config (does the file exist?)");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_config(ss.str(), path);
}

std::vector<std::vector<value>> expand(const experiment_config& c) {
    std::vector<std::vector<value>> out;
    const std::size_t n = c.points();
    out.reserve(n);
    std::vector<std::size_t> digit(c.axes.size(), 0);
    for (std::size_t k = 0; k < n; ++k) {
        auto v = c.base;
        for (std::size_t a = 0; a < c.axes.size(); ++a)
            for (std::size_t q = 0; q < c.axes[a].params.size(); ++q)
                v[c.axes[a].params[q]] = c.axes[a].values[q][digit[a]];
        out.push_back(std::move(v));
        for (std::size_t a = c.axes.size(); a-- > 0;) { // odometer, last axis fastest
            if (++digit[a] < c.axes[a].size()) break;
            digit[a] = 0;
        }
    }
    return out;
}

std::string describe_point(const experiment_config& c, const std::vector<value>& values) {
    std::string s;
    for (const auto& a : c.axes)
        for (auto idx : a.params)
            s += (s.empty() ? "" : ", ") + c.the_job->params[idx].name + "=" + to_csv_cell(values[idx]);
    return s.empty() ? "the single point" : s;
}

} // namespace memxbar::experiments
