#include "experiments/args.hpp"

#include <cmath>
#include <sstream>

namespace memxbar::experiments {

void args::parse(int argc, char** argv, int first) {
    for (int k = first; k < argc; ++k) {
        std::string a = argv[k];
        if (a.rfind("--", 0) != 0 || a == "--") {
            positionals_.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        bool inline_value = false;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inline_value = true;
        }
        const option_spec* spec = nullptr;
        for (const auto& o : options_)
            if (o.name == name) spec = &o;
        if (spec == nullptr) {
            std::string known;
            for (const auto& o : options_)
                known += " --" + o.name;
            throw usage_error("memxbar " + command_ + ": unknown option '--" + name + "'; known:" + known);
        }
        if (spec->value_name.empty()) {
            if (inline_value) throw usage_error("memxbar " + command_ + ": --" + name + " takes no value");
            value = "1";
        } else if (!inline_value) {
            if (k + 1 >= argc)
                throw usage_error("memxbar " + command_ + ": --" + name + " needs a value (" +
                                  spec->value_name + ")");
            value = argv[++k];
        }
        auto& slot = values_[name];
        if (!slot.empty() && !spec->repeatable)
            throw usage_error("memxbar " + command_ + ": --" + name + " given twice");
        slot.push_back(value);
    }
}

std::string args::get(const std::string& name, const std::string& fallback) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> args::all(const std::string& name) const {
    const auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

double args::number(const std::string& name, double fallback) const {
    if (!has(name)) return fallback;
    const std::string s = get(name);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
        throw usage_error("memxbar " + command_ + ": --" + name + " = '" + s + "' is not a finite number");
    return v;
}

long long args::integer(const std::string& name, long long fallback) const {
    if (!has(name)) return fallback;
    const std::string s = get(name);
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size())
        throw usage_error("memxbar " + command_ + ": --" + name + " = '" + s + "' is not an integer");
    return v;
}

std::string args::help() const {
    std::ostringstream s;
    for (const auto& o : options_) {
        std::string left = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
        if (left.size() < 28)
            left.resize(28, ' ');
        else
            left += "\n" + std::string(28, ' ');
        s << left << o.help << (o.repeatable ? " (repeatable)" : "") << "\n";
    }
    return s.str();
}

} // namespace memxbar::experiments
