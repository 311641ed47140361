#pragma once
#include <string>
#include <vector>
namespace memxbar::experiments {
// memxbar plot: figures from memxbar CSVs through Debian's python3-matplotlib.
int plot_command(int argc, char** argv);
// Runs experiments/plots/<script> with the given arguments; throws std::runtime_error with the
// command line if it fails (for example when python3-matplotlib is missing).
void run_plot_script(const std::string& script, const std::vector<std::string>& arguments);
} // namespace memxbar::experiments
