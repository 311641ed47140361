#include "experiments/plot_command.hpp"

#include "experiments/args.hpp"
#include "memxbar/build_info.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace memxbar::experiments {

namespace {
std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Debian's interpreter is the one with python3-matplotlib; MEMXBAR_PYTHON overrides.
std::string python() {
    if (const char* p = std::getenv("MEMXBAR_PYTHON")) return p;
    return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}
} // namespace

void run_plot_script(const std::string& script, const std::vector<std::string>& arguments) {
    const std::string path = std::string(memxbar::source_dir) + "/experiments/plots/" + script;
    std::string cmd = quote(python()) + " " + quote(path);
    for (const auto& a : arguments)
        cmd += " " + quote(a);
    cmd += " >/dev/null";
    const int rc = std::system(cmd.c_str());
    if (rc != 0)
        throw std::runtime_error(
            "plotting failed (exit " + std::to_string(rc) + "): " + cmd +
            "\n  (needs Debian's python3-matplotlib: apt-get install python3-matplotlib)");
}

int plot_command(int argc, char** argv) {
    args a("plot",
           {{"out", "PREFIX", "write PREFIX.pdf and PREFIX.png (default: the first CSV's name without .csv)"},
            {"labels", "A,B,...", "legend labels, one per CSV (default: file names)"},
            {"title", "TEXT", "figure title"},
            {"grid", "", "one panel per CSV instead of overlaying them"},
            {"help", "", "this help"}});
    a.parse(argc, argv, 2);
    if (a.has("help") || a.positionals().empty()) {
        std::cout
            << "usage: memxbar plot RESULTS_DIR\n"
               "       memxbar plot FILE.csv [FILE.csv ...] [--out PREFIX] [--labels A,B] [--grid]\n\n"
               "RESULTS_DIR (a folder written by memxbar run): the experiment's figures, "
               "RESULTS_DIR/<name>.pdf|png.\n"
               "Trace CSVs (t,v,i,...) give the I-V loop and the state vs time; pulse CSVs\n"
               "(pulse,v_pulse,g,...) give conductance vs pulse number. Publication style, PDF and PNG.\n\n"
               "options:\n"
            << a.help();
        return a.has("help") ? 0 : 2;
    }
    std::vector<std::string> script_args = a.positionals();
    // A results folder of `memxbar run`: its job's figure (or the generic sweep figure).
    if (script_args.size() == 1 && std::filesystem::is_directory(script_args[0])) {
        if (!std::filesystem::exists(std::filesystem::path(script_args[0]) / "metadata.json"))
            throw usage_error("memxbar plot: " + script_args[0] +
                              " has no metadata.json; is it a folder written by memxbar run (and finished)?");
        run_plot_script("plot_results.py", {script_args[0]});
        std::cout << (std::filesystem::path(script_args[0]) / "").string() << "\n";
        return 0;
    }
    for (const auto& f : script_args)
        if (!std::filesystem::exists(f)) throw usage_error("memxbar plot: no such file '" + f + "'");
    std::string prefix = a.get("out", script_args.front());
    if (!a.has("out") && prefix.size() > 4 && prefix.substr(prefix.size() - 4) == ".csv")
        prefix.resize(prefix.size() - 4);
    script_args.insert(script_args.end(), {"--out", prefix});
    if (a.has("labels")) script_args.insert(script_args.end(), {"--labels", a.get("labels")});
    if (a.has("title")) script_args.insert(script_args.end(), {"--title", a.get("title")});
    if (a.has("grid")) script_args.push_back("--grid");
    run_plot_script("plot_device.py", script_args);
    std::cout << prefix << ".pdf\n" << prefix << ".png\n";
    return 0;
}

} // namespace memxbar::experiments
