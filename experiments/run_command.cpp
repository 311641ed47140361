#include "experiments/run_command.hpp"

#include "experiments/args.hpp"
#include "experiments/atomic_file.hpp"
#include "experiments/device_command.hpp"
#include "experiments/gallery.hpp"
#include "experiments/plot_command.hpp"
#include "memxbar/build_info.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace memxbar::experiments {

namespace {

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> out;
    std::istringstream in{std::string(s)};
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

int call_device(const std::vector<std::string>& words) {
    std::vector<std::string> storage = {"memxbar", "device"};
    storage.insert(storage.end(), words.begin(), words.end());
    std::vector<char*> argv;
    for (auto& w : storage)
        argv.push_back(w.data());
    return device_command(static_cast<int>(argv.size()), argv.data());
}

} // namespace

int run_command(int argc, char** argv) {
    args a("run", {{"out", "DIR", "results folder (default results/default)"},
                   {"no-plot", "", "write the CSVs only"},
                   {"help", "", "this help"}});
    a.parse(argc, argv, 2);
    if (a.has("help")) {
        std::cout
            << "usage: memxbar run [--out DIR] [--no-plot]\n\n"
               "Runs the default experiment: each shipped device card under the drive its paper uses\n"
               "(I-V loops for switching models, conductance vs pulse number for pulse-response models).\n"
               "Writes DIR/<card>.csv, DIR/commands.txt (the memxbar device command behind each CSV),\n"
               "DIR/<card>.pdf|png and the overview DIR/gallery.pdf|png.\n\n"
               "options:\n"
            << a.help();
        return 0;
    }
    if (!a.positionals().empty())
        throw usage_error("memxbar run: experiment configs (memxbar run CONFIG) are not supported yet; run "
                          "without arguments for the default experiment");
    const std::string dir = a.get("out", "results/default");
    std::filesystem::create_directories(dir);
    atomic_file commands(dir + "/commands.txt");
    std::vector<std::string> csvs, labels;
    const auto start = std::chrono::steady_clock::now();
    std::size_t k = 0;
    for (const auto& e : gallery) {
        ++k;
        const std::string csv = dir + "/" + std::string(e.card) + ".csv";
        std::vector<std::string> words = {"--card", std::string(e.card)};
        if (e.mode == "trace") {
            words.insert(words.end(), {"--waveform", std::string(e.drive)});
            if (!e.duration.empty()) words.insert(words.end(), {"--duration", std::string(e.duration)});
        } else if (e.mode == "pulses") {
            words.insert(words.end(), {"--pulses", std::string(e.drive)});
        } else {
            words.push_back("--drift");
            if (!e.drive.empty()) words.insert(words.end(), {"--targets", std::string(e.drive)});
        }
        for (auto& w : split_words(e.extra))
            words.push_back(w);
        words.insert(words.end(), {"--out", csv});
        std::string line = "memxbar device";
        for (const auto& w : words)
            line +=
                (w.find_first_of(" :;=") != std::string::npos && w[0] != '-') ? " \"" + w + "\"" : " " + w;
        commands.stream() << line << "\n";
        const auto t0 = std::chrono::steady_clock::now();
        if (const int rc = call_device(words); rc != 0) return rc;
        const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::cerr << "[" << k << "/" << gallery.size() << "] " << e.card << " (" << dt << " s)\n";
        csvs.push_back(csv);
        labels.push_back(std::string(e.card));
    }
    commands.commit();
    if (!a.has("no-plot")) {
        std::vector<std::string> args_ = csvs;
        std::string joined;
        for (const auto& l : labels)
            joined += (joined.empty() ? "" : ",") + l;
        args_.insert(args_.end(), {"--grid", "--each", "--labels", joined, "--out", dir + "/gallery"});
        std::cerr << "plotting " << csvs.size() << " figures and the overview\n";
        run_plot_script("plot_device.py", args_);
    }
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "wrote " << csvs.size() << " CSVs" << (a.has("no-plot") ? "" : " and figures") << " to "
              << dir << " in " << total << " s"
              << (a.has("no-plot") ? "" : "; overview: " + dir + "/gallery.png") << "\n";
    return 0;
}

} // namespace memxbar::experiments
