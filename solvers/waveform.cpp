#include "solvers/waveform.hpp"

// csv.h trips -Wstringop-truncation inside its own error class; not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#include <csv.h>
#pragma GCC diagnostic pop

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <sstream>
#include <stdexcept>

namespace memxbar::solvers {

namespace {

std::string fmt(double x) {
    std::ostringstream s;
    s.precision(10);
    s << x;
    return s.str();
}

// Position within a pulse-train period, and which pulse.
struct pulse_phase {
    long index;
    double tau; // time since the start of this period's rising edge
};
pulse_phase phase_of(const pulse_train& p, double t) {
    const double rel = t - p.delay;
    if (rel < 0.0) return {-1, 0.0};
    const long k = static_cast<long>(std::floor(rel / p.period));
    return {k, rel - static_cast<double>(k) * p.period};
}

} // namespace

waveform waveform::dc(double level) {
    waveform w;
    w.kind_ = kind::dc;
    w.level_ = level;
    w.description_ = "dc:level=" + fmt(level);
    return w;
}

waveform waveform::sine(const sine_wave& s) {
    if (!(s.frequency > 0.0) || !std::isfinite(s.frequency))
        throw std::invalid_argument("sine: frequency = " + fmt(s.frequency) + " Hz: must be > 0");
    waveform w;
    w.kind_ = kind::sine;
    w.sine_ = s;
    w.description_ = "sine:amplitude=" + fmt(s.amplitude) + ",frequency=" + fmt(s.frequency);
    return w;
}

waveform waveform::triangle(const triangle_wave& s) {
    if (!(s.frequency > 0.0) || !std::isfinite(s.frequency))
        throw std::invalid_argument("triangle: frequency = " + fmt(s.frequency) + " Hz: must be > 0");
    waveform w;
    w.kind_ = kind::triangle;
    w.tri_ = s;
    w.description_ = "triangle:amplitude=" + fmt(s.amplitude) + ",frequency=" + fmt(s.frequency);
    return w;
}

waveform waveform::pulses(const pulse_train& s) {
    if (!(s.width > 0.0)) throw std::invalid_argument("pulse: width = " + fmt(s.width) + " s: must be > 0");
    if (s.rise < 0.0 || s.fall < 0.0) throw std::invalid_argument("pulse: rise and fall must be >= 0 s");
    if (s.delay < 0.0) throw std::invalid_argument("pulse: delay = " + fmt(s.delay) + " s: must be >= 0");
    if (!(s.period >= s.rise + s.width + s.fall))
        throw std::invalid_argument("pulse: period = " + fmt(s.period) +
                                    " s: must be >= rise + width + fall = " + fmt(s.rise + s.width + s.fall) +
                                    " s");
    if (s.count < 1)
        throw std::invalid_argument("pulse: count = " + std::to_string(s.count) + ": must be >= 1");
    waveform w;
    w.kind_ = kind::pulse;
    w.pulse_ = s;
    w.description_ = "pulse:amplitude=" + fmt(s.amplitude) + ",width=" + fmt(s.width) +
                     ",period=" + fmt(s.period) + ",count=" + std::to_string(s.count);
    return w;
}

waveform waveform::pwl(pwl_wave s) {
    if (s.t.size() != s.v.size() || s.t.empty())
        throw std::invalid_argument("pwl: need at least one (t, v) point");
    for (std::size_t k = 0; k < s.t.size(); ++k) {
        if (!std::isfinite(s.t[k]) || !std::isfinite(s.v[k]))
            throw std::invalid_argument("pwl: point " + std::to_string(k + 1) + " is not finite");
        if (k > 0 && !(s.t[k] > s.t[k - 1]))
            throw std::invalid_argument("pwl: times must increase strictly (point " + std::to_string(k + 1) +
                                        ": t = " + fmt(s.t[k]) + " after " + fmt(s.t[k - 1]) + ")");
    }
    waveform w;
    w.kind_ = kind::pwl;
    w.description_ = "pwl:" + std::to_string(s.t.size()) + " points";
    w.pwl_ = std::move(s);
    return w;
}

double waveform::operator()(double t) const {
    switch (kind_) {
    case kind::dc:
        return level_;
    case kind::sine:
        return sine_.offset +
               sine_.amplitude * std::sin(2.0 * std::numbers::pi * sine_.frequency * t + sine_.phase);
    case kind::triangle: {
        // Phase in [0,1): 0 -> 0, 0.25 -> +A, 0.75 -> -A.
        const double ph = t * tri_.frequency - std::floor(t * tri_.frequency);
        const double shape = ph < 0.25 ? 4.0 * ph : ph < 0.75 ? 2.0 - 4.0 * ph : 4.0 * ph - 4.0;
        return tri_.offset + tri_.amplitude * shape;
    }
    case kind::pulse: {
        const auto [k, tau] = phase_of(pulse_, t);
        if (k < 0 || k >= pulse_.count) return pulse_.base;
        const double d = pulse_.amplitude - pulse_.base;
        if (tau < pulse_.rise) return pulse_.base + d * tau / pulse_.rise;
        if (tau < pulse_.rise + pulse_.width) return pulse_.amplitude;
        if (tau < pulse_.rise + pulse_.width + pulse_.fall)
            return pulse_.amplitude - d * (tau - pulse_.rise - pulse_.width) / pulse_.fall;
        return pulse_.base;
    }
    case kind::pwl: {
        const auto& T = pwl_.t;
        if (t <= T.front()) return pwl_.v.front();
        if (t >= T.back()) return pwl_.v.back();
        const auto it = std::upper_bound(T.begin(), T.end(), t);
        const std::size_t k = static_cast<std::size_t>(it - T.begin());
        const double a = (t - T[k - 1]) / (T[k] - T[k - 1]);
        return pwl_.v[k - 1] + a * (pwl_.v[k] - pwl_.v[k - 1]);
    }
    }
    return 0.0;
}

double waveform::derivative(double t) const {
    switch (kind_) {
    case kind::dc:
        return 0.0;
    case kind::sine: {
        const double w = 2.0 * std::numbers::pi * sine_.frequency;
        return sine_.amplitude * w * std::cos(w * t + sine_.phase);
    }
    case kind::triangle: {
        const double ph = t * tri_.frequency - std::floor(t * tri_.frequency);
        const double slope = 4.0 * tri_.amplitude * tri_.frequency;
        return (ph < 0.25 || ph >= 0.75) ? slope : -slope;
    }
    case kind::pulse: {
        const auto [k, tau] = phase_of(pulse_, t);
        if (k < 0 || k >= pulse_.count) return 0.0;
        const double d = pulse_.amplitude - pulse_.base;
        if (tau < pulse_.rise) return d / pulse_.rise;
        if (tau < pulse_.rise + pulse_.width) return 0.0;
        if (tau < pulse_.rise + pulse_.width + pulse_.fall) return -d / pulse_.fall;
        return 0.0;
    }
    case kind::pwl: {
        const auto& T = pwl_.t;
        if (t < T.front() || t >= T.back()) return 0.0;
        const auto it = std::upper_bound(T.begin(), T.end(), t);
        const std::size_t k = static_cast<std::size_t>(it - T.begin());
        return (pwl_.v[k] - pwl_.v[k - 1]) / (T[k] - T[k - 1]);
    }
    }
    return 0.0;
}

std::vector<double> waveform::breakpoints(double t0, double t1) const {
    std::vector<double> out;
    auto add = [&](double t) {
        if (t > t0 && t < t1) out.push_back(t);
    };
    switch (kind_) {
    case kind::dc:
    case kind::sine:
        break;
    case kind::triangle: {
        const double period = 1.0 / tri_.frequency;
        for (double k = std::floor(t0 / period); k * period <= t1 + period; k += 1.0) {
            add((k + 0.25) * period);
            add((k + 0.75) * period);
        }
        break;
    }
    case kind::pulse:
        for (long k = 0; k < pulse_.count; ++k) {
            const double s = pulse_.delay + static_cast<double>(k) * pulse_.period;
            if (s > t1) break;
            add(s);
            add(s + pulse_.rise);
            add(s + pulse_.rise + pulse_.width);
            add(s + pulse_.rise + pulse_.width + pulse_.fall);
        }
        break;
    case kind::pwl:
        for (double t : pwl_.t)
            add(t);
        break;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

double waveform::natural_duration() const {
    switch (kind_) {
    case kind::dc:
        return 1.0;
    case kind::sine:
        return 3.0 / sine_.frequency;
    case kind::triangle:
        return 3.0 / tri_.frequency;
    case kind::pulse:
        return pulse_.delay + static_cast<double>(pulse_.count) * pulse_.period;
    case kind::pwl:
        return pwl_.t.back();
    }
    return 1.0;
}

waveform waveform::parse(std::string_view spec) {
    const auto colon = spec.find(':');
    const std::string type(spec.substr(0, colon));
    std::map<std::string, std::string> kv;
    if (colon != std::string_view::npos) {
        std::string rest(spec.substr(colon + 1));
        std::stringstream ss(rest);
        std::string item;
        while (std::getline(ss, item, ',')) {
            if (item.empty()) continue;
            const auto eq = item.find('=');
            if (eq == std::string::npos)
                throw std::invalid_argument("waveform '" + std::string(spec) + "': '" + item +
                                            "' is not key=value");
            kv[item.substr(0, eq)] = item.substr(eq + 1);
        }
    }
    auto take = [&](const char* key, double fallback) {
        const auto it = kv.find(key);
        if (it == kv.end()) return fallback;
        char* end = nullptr;
        const double v = std::strtod(it->second.c_str(), &end);
        if (it->second.empty() || end != it->second.c_str() + it->second.size() || !std::isfinite(v))
            throw std::invalid_argument("waveform " + type + ": " + key + " = '" + it->second +
                                        "' is not a number");
        kv.erase(it);
        return v;
    };
    auto done = [&](const char* known) {
        if (!kv.empty())
            throw std::invalid_argument("waveform " + type + ": unknown key '" + kv.begin()->first +
                                        "'; known: " + known);
    };
    if (type == "dc") {
        const double level = take("level", 0.0);
        done("level");
        return dc(level);
    }
    if (type == "sine") {
        sine_wave s;
        s.amplitude = take("amplitude", s.amplitude);
        s.frequency = take("frequency", s.frequency);
        s.phase = take("phase", s.phase);
        s.offset = take("offset", s.offset);
        done("amplitude (V), frequency (Hz), phase (rad), offset (V)");
        return sine(s);
    }
    if (type == "triangle") {
        triangle_wave s;
        s.amplitude = take("amplitude", s.amplitude);
        s.frequency = take("frequency", s.frequency);
        s.offset = take("offset", s.offset);
        done("amplitude (V), frequency (Hz), offset (V)");
        return triangle(s);
    }
    if (type == "pulse") {
        pulse_train s;
        s.amplitude = take("amplitude", s.amplitude);
        s.base = take("base", s.base);
        s.width = take("width", s.width);
        s.period = take("period", std::max(s.period, 2.0 * s.width));
        s.delay = take("delay", s.delay);
        s.rise = take("rise", s.rise);
        s.fall = take("fall", s.fall);
        const double count = take("count", 1.0);
        if (count != std::floor(count) || count < 1.0 || count > 1e9)
            throw std::invalid_argument("waveform pulse: count = " + fmt(count) +
                                        ": must be an integer in [1, 1e9]");
        s.count = static_cast<long>(count);
        done("amplitude (V), base (V), width (s), period (s), delay (s), rise (s), fall (s), count");
        return pulses(s);
    }
    if (type == "pwl") {
        const auto it = kv.find("file");
        if (it == kv.end())
            throw std::invalid_argument("waveform pwl: needs file=PATH (CSV with columns t,v)");
        const std::string path = it->second;
        kv.erase(it);
        done("file");
        pwl_wave w;
        try {
            io::LineReader in(path);
            char* line = nullptr;
            bool first = true;
            while ((line = in.next_line()) != nullptr) {
                std::string s(line);
                if (s.empty()) continue;
                const auto comma = s.find(',');
                if (comma == std::string::npos)
                    throw std::invalid_argument(path + ":" + std::to_string(in.get_file_line()) +
                                                ": expected two columns t,v");
                const std::string a = s.substr(0, comma), b = s.substr(comma + 1);
                char* e1 = nullptr;
                char* e2 = nullptr;
                const double t = std::strtod(a.c_str(), &e1);
                const double v = std::strtod(b.c_str(), &e2);
                const bool ok =
                    e1 != a.c_str() && *e1 == '\0' && e2 != b.c_str() && (*e2 == '\0' || *e2 == '\r');
                if (!ok) {
                    if (first) {
                        first = false;
                        continue;
                    } // a header line
                    throw std::invalid_argument(path + ":" + std::to_string(in.get_file_line()) + ": '" + s +
                                                "' is not two numbers t,v");
                }
                first = false;
                w.t.push_back(t);
                w.v.push_back(v);
            }
        } catch (const io::error::base& e) {
            throw std::invalid_argument(std::string("waveform pwl: ") + e.what());
        }
        try {
            return pwl(std::move(w));
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(path + ": " + e.what());
        }
    }
    throw std::invalid_argument("waveform '" + std::string(spec) + "': unknown type '" + type +
                                "'; known: sine, triangle, pulse, dc, pwl");
}

} // namespace memxbar::solvers
