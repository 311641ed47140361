// device_response: one device card under its drive, as `memxbar device` runs it (trace, pulses or
// drift mode), returned as tidy rows so that many cards and drives share one CSV.
#include "devices/card.hpp"
#include "experiments/device_command.hpp"
#include "experiments/jobs/jobs.hpp"

#include <sstream>

namespace memxbar::experiments {

namespace {

std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');)
        out.push_back(cell);
    return out;
}

std::vector<std::string> device_words(const point& p) {
    std::vector<std::string> w = {"--card", p.text("card"), "--seed", std::to_string(p.seed())};
    const auto& mode = p.text("mode");
    if (mode == "trace") {
        w.insert(w.end(),
                 {"--waveform", p.text("waveform"), "--samples", std::to_string(p.integer("samples"))});
        if (p.real("duration") > 0) {
            std::ostringstream d;
            d.precision(17);
            d << p.real("duration");
            w.insert(w.end(), {"--duration", d.str()});
        }
    } else if (mode == "pulses") {
        w.insert(w.end(), {"--pulses", p.text("pulses")});
    } else {
        w.push_back("--drift");
    }
    for (auto& x : split_words(p.text("options")))
        w.push_back(x);
    return w;
}

std::vector<row> run(const point& p, const job_context&) {
    std::string csv;
    try {
        csv = device_csv(device_words(p));
    } catch (const std::exception& e) {
        throw job_error(e.what());
    }
    std::istringstream in(csv);
    std::string header_line;
    std::getline(in, header_line);
    const auto header = split(header_line);
    const auto& mode = p.text("mode");
    std::vector<row> rows;
    std::int64_t k = 0;
    for (std::string line; std::getline(in, line); ++k) {
        const auto cells = split(line);
        std::vector<double> x(cells.size());
        for (std::size_t q = 0; q < cells.size(); ++q)
            x[q] = std::stod(cells[q]);
        // columns: k, t, v, i, g, x, g_target, g_p05, g_p95; cells a mode does not have stay empty
        row r(9, value{std::monostate{}});
        if (mode == "trace") {
            r[0] = k, r[1] = x[0], r[2] = x[1], r[3] = x[2];
            if (x[1] != 0.0) r[4] = x[2] / x[1];
            if (x.size() > 3) r[5] = x[3];
        } else if (mode == "pulses") {
            r[0] = static_cast<std::int64_t>(x[0]), r[2] = x[1], r[4] = x[2];
            if (x.size() > 3) r[5] = x[3];
        } else {
            r[0] = k, r[1] = x[0], r[4] = x[2], r[6] = x[1], r[7] = x[3], r[8] = x[5];
        }
        rows.push_back(std::move(r));
    }
    if (rows.empty()) throw job_error("the device command wrote no rows (header '" + header_line + "')");
    return rows;
}

} // namespace

job make_device_response_job() {
    job j;
    j.name = "device_response";
    j.summary =
        "one device card under a drive: I-V trace, conductance vs pulse number, or PCM drift statistics";
    j.params = {
        {"card",
         value_kind::text,
         std::string("hp_biolek"),
         0,
         0,
         "",
         "device card: a name from devices/cards/ (memxbar device --list) or a .toml path",
         {}},
        {"mode",
         value_kind::text,
         std::string("trace"),
         0,
         0,
         "",
         "trace (drive waveform), pulses (pulse groups) or drift (statistical models)",
         {"trace", "pulses", "drift"}},
        {"waveform",
         value_kind::text,
         std::string("sine:amplitude=1.2,frequency=1"),
         0,
         0,
         "",
         "trace mode: drive, as memxbar device --waveform",
         {}},
        {"duration",
         value_kind::real,
         0.0,
         0.0,
         1e9,
         "s",
         "trace mode: simulated time (0: the waveform's natural duration)",
         {}},
        {"samples", value_kind::integer, std::int64_t{1000}, 1, 1e6, "", "trace mode: output rows", {}},
        {"pulses",
         value_kind::text,
         std::string("amplitude=1,width=1e-6,count=50;amplitude=-1,width=1e-6,count=50"),
         0,
         0,
         "",
         "pulse mode: pulse groups, as memxbar device --pulses",
         {}},
        {"options",
         value_kind::text,
         std::string(""),
         0,
         0,
         "",
         "further memxbar device options, e.g. \"--r-series 50 --set R_on=120\"",
         {}},
    };
    j.columns = {"k", "t", "v", "i", "g", "x", "g_target", "g_p05", "g_p95"};
    j.column_units = {"", "s", "V", "A", "S", "", "S", "S", "S"};
    j.run = run;
    j.validate = [](const point& p) {
        try {
            (void)devices::load_card(p.text("card"));
        } catch (const std::exception& e) {
            throw job_error(e.what());
        }
    };
    j.plot_script = "plot_device_response.py";
    return j;
}

} // namespace memxbar::experiments
