#pragma once
namespace memxbar::experiments {
// memxbar run: the default experiment (a gallery of device I-V loops and pulse responses).
int run_command(int argc, char** argv);
} // namespace memxbar::experiments
