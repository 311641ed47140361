#include "experiments/job.hpp"

#include <charconv>
#include <cmath>

namespace memxbar::experiments {

std::string_view kind_name(value_kind k) {
    switch (k) {
    case value_kind::real:
        return "a number";
    case value_kind::integer:
        return "an integer";
    case value_kind::text:
        return "a string";
    case value_kind::boolean:
        return "true or false";
    }
    return "?";
}

std::string to_csv_cell(const value& v) {
    if (const auto* d = std::get_if<double>(&v)) {
        // Shortest text that reads back to the same double: 0.05, not 0.050000000000000003.
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, *d);
        return std::string(buf, r.ptr);
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (std::holds_alternative<std::monostate>(v)) return "";
    const auto& s = std::get<std::string>(v);
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::size_t job::param_index(std::string_view n) const {
    for (std::size_t k = 0; k < params.size(); ++k)
        if (params[k].name == n) return k;
    throw std::out_of_range("job '" + name + "' has no parameter '" + std::string(n) + "'");
}

const param_spec* job::find_param(std::string_view n) const {
    for (const auto& p : params)
        if (p.name == n) return &p;
    return nullptr;
}

const value& point::get(std::string_view name) const {
    return values_.at(job_->param_index(name));
}
bool point::has(std::string_view name) const {
    return job_->find_param(name) != nullptr;
}

double point::real(std::string_view name) const {
    const auto& v = get(name);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    return std::get<double>(v);
}
std::int64_t point::integer(std::string_view name) const {
    return std::get<std::int64_t>(get(name));
}
const std::string& point::text(std::string_view name) const {
    return std::get<std::string>(get(name));
}
bool point::boolean(std::string_view name) const {
    return std::get<bool>(get(name));
}

const job* find_job(std::string_view name) {
    for (const auto& j : all_jobs())
        if (j.name == name) return &j;
    return nullptr;
}

} // namespace memxbar::experiments
