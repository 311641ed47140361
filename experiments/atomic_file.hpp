// Results are written to a temporary file beside the target and renamed into place, so a reader (or a
// resumed run) never sees half a file.
#pragma once

#include <fstream>
#include <string>

namespace memxbar::experiments {

class atomic_file {
  public:
    explicit atomic_file(std::string path); // throws std::runtime_error if the folder is not writable
    ~atomic_file();                         // removes the temporary file unless commit() ran
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;
    std::ofstream& stream() { return out_; }
    void commit(); // flush, close, rename; throws on failure

  private:
    std::string path_, tmp_;
    std::ofstream out_;
    bool done_ = false;
};

} // namespace memxbar::experiments
