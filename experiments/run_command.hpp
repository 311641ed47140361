#pragma once
namespace memxbar::experiments {
// memxbar run [CONFIG]: an experiment config's sweep through the runner (the default experiment
// without a config), then its figures.
int run_command(int argc, char** argv);
} // namespace memxbar::experiments
