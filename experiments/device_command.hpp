#pragma once
#include <string>
#include <vector>
namespace memxbar::experiments {
// memxbar device: one device under a drive (trace mode) or a pulse sequence (pulse mode).
int device_command(int argc, char** argv);
// The CSV text `memxbar device WORDS...` would write (without --out): for jobs that wrap the command.
std::string device_csv(const std::vector<std::string>& words);
} // namespace memxbar::experiments
