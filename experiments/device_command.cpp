#include "experiments/device_command.hpp"

#include "devices/device_array.hpp"
#include "devices/registry.hpp"
#include "devices/variability.hpp"
#include "experiments/args.hpp"
#include "experiments/atomic_file.hpp"
#include "experiments/csv_format.hpp"
#include "memxbar/build_info.hpp"
#include "solvers/ode_integrator.hpp"
#include "solvers/stochastic_integrator.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>

namespace memxbar::experiments {
namespace {

std::vector<option_spec> device_options() {
    return {
        {"card", "NAME|PATH", "device card: a name from devices/cards/ (see --list) or a .toml path"},
        {"set", "KEY=VALUE", "override one card parameter, in SI units (choices by name)", true},
        {"waveform", "SPEC",
         "drive, e.g. \"sine:amplitude=0.5,frequency=1\", \"triangle:...\", "
         "\"pulse:amplitude=1,width=1e-6,period=2e-6,count=10\", \"dc:level=0.1\", \"pwl:file=v.csv\""},
        {"duration", "SECONDS",
         "simulated time (default: 3 periods, the whole pulse train, or the PWL span)"},
        {"integrator", "NAME",
         "cvode (BDF, default) | rk (Dormand-Prince 5(4)) | rosenbrock (stiff, 4th order)"},
        {"rtol", "R", "relative tolerance (default 1e-6)"},
        {"atol", "A", "absolute tolerance as a fraction of each state variable's range (default 1e-9)"},
        {"max-step", "SECONDS", "largest internal step (default: the output interval)"},
        {"r-series", "OHM", "resistor between the source and the device (default 0)"},
        {"samples", "N", "output rows in trace mode (default 1000)"},
        {"pulses", "SPEC",
         "pulse mode: groups \"amplitude=V,width=S,count=N;...\"; writes conductance vs pulse number"},
        {"read-voltage", "V", "read voltage for the conductance in pulse mode (default 0.1)"},
        {"drift", "",
         "drift mode (statistical models such as pcm_stat): program --devices devices to each of --targets, "
         "then write t,g_target,g_mean,g_p05,g_median,g_p95 of the read conductance (S) on log-spaced times"},
        {"targets", "S,S,...",
         "drift mode: target conductances in S (default: 1, 0.5, 0.25, 0.1 of the card's g_max)"},
        {"devices", "N", "drift mode: devices per target (default 10000)"},
        {"times", "T0,T1,N",
         "drift mode: N log-spaced times from T0 to T1 s after programming (default 20,3.15e7,40)"},
        {"seed", "S", "random seed for device-to-device, cycle-to-cycle and read noise draws (default 1)"},
        {"device-index", "K",
         "which device of the population to simulate; keys its random streams (default 0)"},
        {"out", "FILE", "CSV output (written atomically); standard output when absent"},
        {"describe", "", "print the model's parameter table (Markdown) and exit"},
        {"list", "", "list the shipped device cards and exit"},
        {"help", "", "this help"},
    };
}

const char* device_usage =
    "usage: memxbar device --card NAME_OR_PATH [--set key=value]... --waveform SPEC [--duration SECONDS]\n"
    "                      [--integrator cvode|rk|rosenbrock] [--rtol R --atol A] [--seed S] [--out "
    "trace.csv]\n"
    "       memxbar device --card NAME_OR_PATH --pulses "
    "\"amplitude=1,width=1e-6,count=50;amplitude=-1,width=1e-6,count=50\"\n"
    "       memxbar device --card pcm_joshi2020 --drift [--targets S,S] [--devices N] [--times T0,T1,N]\n"
    "       memxbar device --list | --card NAME --describe\n\n"
    "Trace mode writes CSV with header t,v,i,<state variables> (s, V, A, state units); pulse mode writes\n"
    "pulse,v_pulse,g,<state variables> (the conductance g = I(v_read)/v_read in S after each pulse, row 0 "
    "before\n"
    "any pulse). Device-to-device spread and stuck-at faults of the card apply to the device "
    "--device-index;\n"
    "cycle-to-cycle noise scales each pulse's state change; read noise and finite levels apply to g. Models\n"
    "with a noise term of their own (stanford_pku with model_switch = 1) are stepped at their bound step\n"
    "(time_step) with keyed draws instead of the adaptive integrator.\n\n"
    "options:\n";

struct pulse_group {
    double amplitude = 1.0, width = 1e-6;
    long count = 1;
};

std::vector<pulse_group> parse_pulses(const std::string& spec) {
    std::vector<pulse_group> groups;
    std::stringstream ss(spec);
    std::string group;
    while (std::getline(ss, group, ';')) {
        if (group.empty()) continue;
        pulse_group g;
        std::stringstream gs(group);
        std::string item;
        while (std::getline(gs, item, ',')) {
            const auto eq = item.find('=');
            const std::string key = item.substr(0, eq);
            const std::string val = eq == std::string::npos ? "" : item.substr(eq + 1);
            char* end = nullptr;
            const double v = std::strtod(val.c_str(), &end);
            if (val.empty() || end != val.c_str() + val.size() || !std::isfinite(v))
                throw usage_error("--pulses: '" + item + "' is not key=number");
            if (key == "amplitude")
                g.amplitude = v;
            else if (key == "width") {
                if (!(v > 0.0)) throw usage_error("--pulses: width = " + val + " s: must be > 0");
                g.width = v;
            } else if (key == "count") {
                if (v < 1 || v > 1e7 || v != std::floor(v))
                    throw usage_error("--pulses: count = " + val + ": must be an integer in [1, 1e7]");
                g.count = static_cast<long>(v);
            } else {
                throw usage_error("--pulses: unknown key '" + key +
                                  "'; known: amplitude (V), width (s), count");
            }
        }
        groups.push_back(g);
    }
    if (groups.empty()) throw usage_error("--pulses: no pulse groups given");
    return groups;
}

template <class M> void describe(std::ostream& out) {
    out << "### " << M::title << " (`model = \"" << M::name << "\"`)\n\n";
    out << "| name | unit | default | range | meaning | source |\n|---|---|---|---|---|---|\n";
    const typename M::params d{};
    for (const auto& p : M::parameters()) {
        out << "| `" << p.name << "` | " << p.unit << " | ";
        if (!p.choices.empty()) {
            out << p.choices[static_cast<std::size_t>(d.*(p.field))] << " | ";
            for (std::size_t k = 0; k < p.choices.size(); ++k)
                out << (k ? ", " : "") << p.choices[k];
        } else {
            out << d.*(p.field) << " | [" << p.min << ", " << p.max << "]";
        }
        out << " | " << p.description << " | " << p.source << " |\n";
    }
    out << "\nState variables:\n\n| name | unit | range | meaning |\n|---|---|---|---|\n";
    for (const auto& s : M::states())
        out << "| `" << s.name << "` | " << s.unit << " | [" << s.min << ", " << s.max << "] | "
            << s.description << " |\n";
}

struct output {
    std::unique_ptr<atomic_file> file;
    std::ostream* sink = &std::cout;
    std::ostream& stream() { return file ? file->stream() : *sink; }
    void commit() {
        if (file) file->commit();
    }
};

template <class M> void write_header(std::ostream& out, const char* first) {
    out << first;
    for (const auto& s : M::states())
        out << ',' << s.name;
    out << '\n';
}

// The device this run simulates: nominal card parameters with this device's spread and faults.
template <class M> struct one_device {
    typename M::params p;
    devices::state_vec<M::n_state> x;
    devices::stuck_state stuck;
};
template <class M>
one_device<M> make_device(const devices::card& c, std::uint64_t seed, std::uint64_t index) {
    const auto nominal = devices::bind<M>(c);
    one_device<M> d{devices::sample_device<M>(nominal, c.variability, seed, index),
                    {},
                    devices::sample_stuck(c.variability, seed, index)};
    d.x = d.stuck == devices::stuck_state::on    ? M::on_state(d.p)
          : d.stuck == devices::stuck_state::off ? M::off_state(d.p)
                                                 : M::initial_state(d.p);
    return d;
}

template <class M> int run_trace(const args& a, const devices::card& c, output& out) {
    if (!a.has("waveform"))
        throw usage_error("memxbar device: trace mode needs --waveform SPEC (or use --pulses)");
    const auto drive = solvers::waveform::parse(a.get("waveform"));
    const double duration = a.number("duration", drive.natural_duration());
    if (!(duration > 0.0)) throw usage_error("--duration must be > 0 s");
    const auto seed = static_cast<std::uint64_t>(a.integer("seed", 1));
    auto dev = make_device<M>(c, seed, static_cast<std::uint64_t>(a.integer("device-index", 0)));
    solvers::integration_options o;
    o.method = solvers::parse_integrator(a.get("integrator", "cvode"));
    o.rtol = a.number("rtol", o.rtol);
    o.atol = a.number("atol", o.atol);
    o.r_series = a.number("r-series", 0.0);
    o.max_step = a.number("max-step", o.max_step);
    const long long samples = a.integer("samples", 1000);
    if (samples < 1 || samples > 100'000'000) throw usage_error("--samples must be in [1, 1e8]");
    o.output_dt = duration / static_cast<double>(samples);
    solvers::trace tr;
    if (dev.stuck != devices::stuck_state::none) {
        // A stuck device does not switch: its state stays pinned while the drive sweeps.
        tr.n_state = M::n_state;
        for (long long r = 0; r <= samples; ++r) {
            const double t = duration * static_cast<double>(r) / static_cast<double>(samples);
            tr.t.push_back(t);
            tr.v.push_back(drive(t));
            tr.i.push_back(M::current(dev.p, dev.x, tr.v.back()));
            tr.x.insert(tr.x.end(), dev.x.begin(), dev.x.end());
        }
    } else if constexpr (solvers::stochastic_model<M>) {
        if (solvers::noise_active<M>(dev.p, dev.x))
            tr = solvers::integrate_stochastic<M>(dev.p, dev.x, drive, duration, dev.p.time_step, o.output_dt,
                                                  o.r_series, seed,
                                                  static_cast<std::uint64_t>(a.integer("device-index", 0)));
        else
            tr = solvers::integrate<M>(dev.p, dev.x, drive, duration, o);
    } else {
        tr = solvers::integrate<M>(dev.p, dev.x, drive, duration, o);
    }
    auto& s = out.stream();
    write_header<M>(s, "t,v,i");
    std::string line;
    for (std::size_t r = 0; r < tr.rows(); ++r) {
        line = fmt17(tr.t[r]) + ',' + fmt17(tr.v[r]) + ',' + fmt17(tr.i[r]);
        for (std::size_t k = 0; k < tr.n_state; ++k)
            line += ',' + fmt17(tr.state(r, k));
        s << line << '\n';
    }
    out.commit();
    return 0;
}

// Drift mode: program a population to each target, then read it on log-spaced times after
// programming (the device's own drift and 1/f read noise, every draw keyed by (seed, device, read)).
template <class M> int run_drift(const args& a, const devices::card& c, output& out) {
    const auto p = devices::bind<M>(c);
    std::vector<double> targets;
    if (a.has("targets")) {
        std::stringstream ss(a.get("targets"));
        for (std::string item; std::getline(ss, item, ',');) {
            char* end = nullptr;
            const double g = std::strtod(item.c_str(), &end);
            if (item.empty() || end != item.c_str() + item.size() || !(g >= 0.0) || !std::isfinite(g))
                throw usage_error("--targets: '" + item + "' is not a conductance >= 0 S");
            targets.push_back(g);
        }
    } else {
        for (double f : {1.0, 0.5, 0.25, 0.1})
            targets.push_back(f * p.g_max);
    }
    const long long n = a.integer("devices", 10000);
    if (n < 1 || n > 10'000'000) throw usage_error("--devices must be in [1, 1e7]");
    double t0 = 20.0, t1 = 3.15e7;
    long long points = 40;
    if (a.has("times")) {
        std::stringstream ss(a.get("times"));
        std::string x0, x1, xn;
        std::getline(ss, x0, ',');
        std::getline(ss, x1, ',');
        std::getline(ss, xn, ',');
        try {
            t0 = std::stod(x0), t1 = std::stod(x1), points = std::stoll(xn);
        } catch (const std::exception&) {
            throw usage_error("--times: expected T0,T1,N (seconds, seconds, count), got '" + a.get("times") +
                              "'");
        }
        if (!(t0 > 0.0) || !(t1 > t0) || points < 2 || points > 100000)
            throw usage_error("--times: need 0 < T0 < T1 and 2 <= N <= 1e5");
    }
    const auto seed = static_cast<std::uint64_t>(a.integer("seed", 1));
    auto& s = out.stream();
    s << "t,g_target,g_mean,g_p05,g_median,g_p95\n";
    std::vector<devices::state_vec<M::n_state>> states(static_cast<std::size_t>(n));
    std::vector<double> reads(static_cast<std::size_t>(n));
    for (std::size_t tgt = 0; tgt < targets.size(); ++tgt) {
        const std::uint64_t base = tgt * static_cast<std::uint64_t>(n); // distinct devices per target
        for (std::size_t d = 0; d < states.size(); ++d)
            states[d] = M::sample_program(p, targets[tgt], seed, base + d);
        for (long long k = 0; k < points; ++k) {
            const double t = t0 * std::pow(t1 / t0, static_cast<double>(k) / static_cast<double>(points - 1));
            double sum = 0.0;
            for (std::size_t d = 0; d < states.size(); ++d) {
                reads[d] = M::sample_read(p, states[d], t, seed, base + d, static_cast<std::uint64_t>(k));
                sum += reads[d];
            }
            std::sort(reads.begin(), reads.end());
            const auto q = [&](double f) {
                return reads[static_cast<std::size_t>(f * static_cast<double>(reads.size() - 1) + 0.5)];
            };
            s << fmt17(t) << ',' << fmt17(targets[tgt]) << ',' << fmt17(sum / static_cast<double>(n)) << ','
              << fmt17(q(0.05)) << ',' << fmt17(q(0.5)) << ',' << fmt17(q(0.95)) << '\n';
        }
    }
    out.commit();
    return 0;
}

template <class M> int run_pulses(const args& a, const devices::card& c, output& out) {
    const auto groups = parse_pulses(a.get("pulses"));
    const double v_read = a.number("read-voltage", 0.1);
    if (v_read == 0.0) throw usage_error("--read-voltage must be non-zero");
    const auto seed = static_cast<std::uint64_t>(a.integer("seed", 1));
    const auto index = static_cast<std::uint64_t>(a.integer("device-index", 0));
    auto dev = make_device<M>(c, seed, index);
    const auto& var = c.variability;
    const double g_on = devices::read_conductance<M>(dev.p, M::on_state(dev.p), v_read);
    const double g_off = devices::read_conductance<M>(dev.p, M::off_state(dev.p), v_read);
    const auto info = M::states();
    auto& s = out.stream();
    write_header<M>(s, "pulse,v_pulse,g");
    std::uint64_t cycle = 0;
    auto emit = [&](double v_pulse) {
        const double i = M::current(dev.p, dev.x, v_read);
        const double i_read = devices::noisy_read(var, i, seed, index, cycle, 1.0, 1e-6);
        double g = i_read / v_read;
        if (var.levels >= 2)
            g = devices::quantize_conductance(g, std::min(g_on, g_off), std::max(g_on, g_off), var.levels);
        std::string line = std::to_string(cycle) + ',' + fmt17(v_pulse) + ',' + fmt17(g);
        for (double xk : dev.x)
            line += ',' + fmt17(xk);
        s << line << '\n';
    };
    emit(0.0);
    solvers::integration_options o;
    o.method = solvers::parse_integrator(a.get("integrator", "cvode"));
    o.rtol = a.number("rtol", o.rtol);
    o.atol = a.number("atol", o.atol);
    o.r_series = a.number("r-series", 0.0);
    for (const auto& g : groups) {
        for (long n = 0; n < g.count; ++n) {
            if (dev.stuck == devices::stuck_state::none) {
                if constexpr (devices::pulse_model<M>) {
                    const int polarity = g.amplitude >= 0.0 ? +1 : -1;
                    M::apply_pulse(
                        dev.p, dev.x, polarity,
                        devices::random_stream(seed, devices::purpose::cycle_to_cycle).normal(index, cycle));
                } else if constexpr (devices::ode_model<M>) {
                    solvers::pulse_train pt;
                    pt.amplitude = g.amplitude;
                    pt.width = g.width;
                    pt.period = g.width;
                    o.output_dt = g.width;
                    const auto tr =
                        solvers::integrate<M>(dev.p, dev.x, solvers::waveform::pulses(pt), g.width, o);
                    const double factor = devices::c2c_factor(var, seed, index, cycle);
                    for (std::size_t k = 0; k < M::n_state; ++k) {
                        const double moved = tr.state(tr.rows() - 1, k) - dev.x[k];
                        dev.x[k] = std::clamp(dev.x[k] + factor * moved, info[k].min, info[k].max);
                    }
                }
            }
            ++cycle;
            emit(g.amplitude);
        }
    }
    out.commit();
    return 0;
}

int device_run(int argc, char** argv, std::ostream& sink) {
    args a("device", device_options());
    a.parse(argc, argv, 2);
    if (a.has("help")) {
        std::cout << device_usage << a.help();
        return 0;
    }
    if (!a.positionals().empty())
        throw usage_error("memxbar device: unexpected argument '" + a.positionals()[0] + "'");
    if (a.has("list")) {
        for (const auto& name : devices::card_names()) {
            const auto c = devices::load_card(name);
            std::cout << name << "  [" << c.model << "]  " << c.description << "\n    source: " << c.source
                      << "\n";
        }
        return 0;
    }
    if (!a.has("card")) throw usage_error("memxbar device: --card is required (see memxbar device --list)");
    auto c = devices::load_card(a.get("card"));
    for (const auto& kv : a.all("set"))
        devices::apply_override(c, kv);
    return devices::all_models::with(c.model, [&]<class M>() -> int {
        if (a.has("describe")) {
            describe<M>(std::cout);
            return 0;
        }
        (void)devices::bind<M>(c); // validate before anything is written
        output out;
        out.sink = &sink;
        if (a.has("out")) out.file = std::make_unique<atomic_file>(a.get("out"));
        if (a.has("drift")) {
            if constexpr (requires(const typename M::params& q, const devices::state_vec<M::n_state>& x) {
                              M::sample_program(q, 1.0, 1u, 1u);
                              M::sample_read(q, x, 1.0, 1u, 1u, 1u);
                          }) {
                return run_drift<M>(a, c, out);
            } else {
                throw usage_error("memxbar device: --drift needs a statistical model (such as pcm_stat); '" +
                                  std::string(M::name) + "' is not one");
            }
        }
        if (a.has("pulses")) {
            if constexpr (devices::pulse_model<M> || devices::ode_model<M>) {
                if (devices::pulse_model<M> && c.variability.c2c_sigma > 0.0)
                    throw devices::card_error(c.path + ": variability.c2c_sigma: model '" +
                                              std::string(M::name) +
                                              "' has its own cycle-to-cycle parameter; set that instead");
                return run_pulses<M>(a, c, out);
            }
        } else if constexpr (devices::ode_model<M>) {
            return run_trace<M>(a, c, out);
        }
        throw usage_error("memxbar device: model '" + std::string(M::name) + "' " +
                          (devices::ode_model<M> || devices::pulse_model<M>
                               ? "is a pulse-response model: use --pulses"
                               : "has no switching dynamics (a statistical model of programmed devices): use "
                                 "--drift or --describe"));
    });
}

} // namespace

int device_command(int argc, char** argv) {
    return device_run(argc, argv, std::cout);
}

std::string device_csv(const std::vector<std::string>& words) {
    std::vector<std::string> storage = {"memxbar", "device"};
    storage.insert(storage.end(), words.begin(), words.end());
    std::vector<char*> argv;
    for (auto& w : storage)
        argv.push_back(w.data());
    std::ostringstream out;
    device_run(static_cast<int>(argv.size()), argv.data(), out);
    return out.str();
}

} // namespace memxbar::experiments
