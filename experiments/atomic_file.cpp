#include "experiments/atomic_file.hpp"

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace memxbar::experiments {

atomic_file::atomic_file(std::string path) : path_(std::move(path)) {
    const auto parent = std::filesystem::path(path_).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    tmp_ = path_ + ".tmp." + std::to_string(::getpid());
    out_.open(tmp_, std::ios::binary | std::ios::trunc);
    if (!out_) throw std::runtime_error("cannot write '" + tmp_ + "' (is the folder writable?)");
}

atomic_file::~atomic_file() {
    if (!done_) {
        out_.close();
        std::remove(tmp_.c_str());
    }
}

void atomic_file::commit() {
    out_.flush();
    if (!out_) throw std::runtime_error("writing '" + path_ + "' failed (disk full?)");
    out_.close();
    std::error_code ec;
    std::filesystem::rename(tmp_, path_, ec);
    if (ec) throw std::runtime_error("cannot rename '" + tmp_ + "' to '" + path_ + "': " + ec.message());
    done_ = true;
}

} // namespace memxbar::experiments
