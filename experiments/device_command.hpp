#pragma once
namespace memxbar::experiments {
// memxbar device: one device under a drive (trace mode) or a pulse sequence (pulse mode).
int device_command(int argc, char** argv);
} // namespace memxbar::experiments
