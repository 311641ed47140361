// Runs the memxbar program built next to the tests and captures its exit code, stdout and stderr.
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace memxbar::testing {

struct cli_result {
    int status = -1;
    std::string out, err;
};

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A fresh scratch folder per test case, removed at the end.
struct scratch_dir {
    std::filesystem::path path;
    explicit scratch_dir(const std::string& name)
        : path(std::filesystem::temp_directory_path() /
               ("memxbar_test_" + name + "_" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~scratch_dir() { std::filesystem::remove_all(path); }
    [[nodiscard]] std::string operator/(const std::string& f) const { return (path / f).string(); }
    void write(const std::string& f, const std::string& text) const { std::ofstream(path / f) << text; }
};

// `args` is appended to the program path as shell words (quote them yourself).
inline cli_result run_memxbar(const std::string& args, const scratch_dir& dir) {
    const std::string out = dir / "stdout.txt", err = dir / "stderr.txt";
    const std::string cmd = std::string(MEMXBAR_BINARY_DIR) + "/memxbar " + args + " >" + out + " 2>" + err;
    const int raw = std::system(cmd.c_str());
    cli_result r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

} // namespace memxbar::testing
