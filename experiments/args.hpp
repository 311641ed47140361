// A small command-line parser: --key value, --key=value, repeated keys, flags, positionals. Unknown
// options are errors that list the known ones.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace memxbar::experiments {

struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct option_spec {
    std::string name;       // without dashes
    std::string value_name; // empty for a flag
    std::string help;       // with units and default
    bool repeatable = false;
};

class args {
  public:
    args(std::string command, std::vector<option_spec> options)
        : command_(std::move(command)), options_(std::move(options)) {}
    void parse(int argc, char** argv, int first); // throws usage_error
    [[nodiscard]] bool has(const std::string& name) const { return values_.count(name) > 0; }
    [[nodiscard]] std::string get(const std::string& name, const std::string& fallback = "") const;
    [[nodiscard]] std::vector<std::string> all(const std::string& name) const;
    [[nodiscard]] double number(const std::string& name, double fallback) const;        // throws usage_error
    [[nodiscard]] long long integer(const std::string& name, long long fallback) const; // throws usage_error
    [[nodiscard]] const std::vector<std::string>& positionals() const { return positionals_; }
    [[nodiscard]] std::string help() const;

  private:
    std::string command_;
    std::vector<option_spec> options_;
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> positionals_;
};

} // namespace memxbar::experiments
