// Every `memxbar ...` command shown in a fenced code block of README.md or docs/ runs and exits 0, so
// the documentation cannot drift away from the program. Commands run in a scratch folder.
#include "cli_runner.hpp"
#include "memxbar/build_info.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <vector>

using namespace memxbar::testing;
namespace fs = std::filesystem;

namespace {
struct example {
    std::string file;
    int line;
    std::string command;
};

std::vector<example> collect() {
    std::vector<fs::path> files{fs::path(memxbar::source_dir) / "README.md"};
    for (const auto& e : fs::recursive_directory_iterator(fs::path(memxbar::source_dir) / "docs"))
        if (e.path().extension() == ".md") files.push_back(e.path());
    std::vector<example> out;
    for (const auto& f : files) {
        std::ifstream in(f);
        bool fenced = false, runnable = false;
        int n = 0;
        std::string line;
        while (std::getline(in, line)) {
            ++n;
            if (line.rfind("```", 0) == 0) {
                // ```text blocks show commands on files the reader has; ```sh and bare blocks must run
                runnable = !fenced && line != "```text";
                fenced = !fenced;
                continue;
            }
            if (!fenced || !runnable || line.rfind("memxbar ", 0) != 0) continue;
            example ex{f.string(), n, line};
            while (!ex.command.empty() && ex.command.back() == '\\' && std::getline(in, line)) {
                ++n;
                ex.command.pop_back();
                ex.command += line;
            }
            out.push_back(ex);
        }
    }
    return out;
}
} // namespace

TEST_CASE("the commands in the documentation run", "[cli][docs]") {
    const auto examples = collect();
    REQUIRE(examples.size() >= 10);
    scratch_dir d("docs");
    // Commands name configs as users type them in a checkout: experiments/configs/<name>.toml.
    fs::create_directory_symlink(fs::path(memxbar::source_dir) / "experiments", d.path / "experiments");
    for (const auto& ex : examples) {
        INFO(ex.file << ":" << ex.line << ": " << ex.command);
        const std::string cmd = "cd " + d.path.string() + " && " + std::string(MEMXBAR_BINARY_DIR) +
                                "/memxbar" + ex.command.substr(7) + " >out.txt 2>err.txt";
        const int rc = std::system(cmd.c_str());
        INFO(slurp(d / "err.txt"));
        CHECK(rc == 0);
    }
}
