#include "experiments/cli.hpp"

#include "crossbar/dc_solver.hpp"
#include "devices/card.hpp"
#include "experiments/args.hpp"
#include "experiments/array_command.hpp"
#include "experiments/config.hpp"
#include "experiments/csv_matrix.hpp"
#include "experiments/device_command.hpp"
#include "experiments/mpi_world.hpp"
#include "experiments/plot_command.hpp"
#include "experiments/run_command.hpp"
#include "memxbar/build_info.hpp"
#include "solvers/ode_integrator.hpp"

#include <cstring>
#include <iostream>

namespace memxbar::experiments {

namespace {
const char* top_usage =
    "memxbar: memristive crossbar simulator (devices, circuits, spiking networks)\n\n"
    "usage: memxbar <command> [options]     (memxbar <command> --help for each command's options)\n\n"
    "commands:\n"
    "  run      run an experiment config (sweeps, Monte Carlo, resumable, MPI) or the default experiment\n"
    "  device   simulate one device: a trace under a drive, or conductance vs pulse number\n"
    "  solve    DC solution of a crossbar (IR drop, sneak paths, nonlinear devices), one or a batch of "
    "inputs\n"
    "  netlist  the same crossbar as an ngspice netlist, to check memxbar against SPICE\n"
    "  plot     draw figures (PDF and PNG) from a CSV written by memxbar\n\n"
    "options:\n"
    "  --help      this help\n"
    "  --version   print the version\n\n"
    "Device cards live in devices/cards/ (memxbar device --list); MEMXBAR_CARDS overrides that folder.\n";
}

namespace {
int dispatch(int argc, char** argv) {
    try {
        if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
            std::strcmp(argv[1], "help") == 0) {
            std::cout << top_usage;
            return argc < 2 ? 2 : 0;
        }
        const std::string cmd = argv[1];
        if (cmd == "--version") {
            std::cout << "memxbar " << memxbar::version << "\n";
            return 0;
        }
        if (cmd == "device") return device_command(argc, argv);
        if (cmd == "plot") return plot_command(argc, argv);
        if (cmd == "run") return run_command(argc, argv);
        if (cmd == "solve") return solve_command(argc, argv);
        if (cmd == "netlist") return netlist_command(argc, argv);
        std::cerr << "memxbar: unknown command '" << cmd << "'\n\n" << top_usage;
        return 2;
    } catch (const usage_error& e) {
        std::cerr << e.what() << "\n";
        return 2;
    } catch (const devices::card_error& e) {
        std::cerr << "memxbar: bad device card: " << e.what() << "\n";
        return 1;
    } catch (const experiments::csv_error& e) {
        std::cerr << "memxbar: bad input file: " << e.what() << "\n";
        return 1;
    } catch (const crossbar::convergence_error& e) {
        std::cerr << "memxbar: no solution: " << e.what() << "\n";
        return 1;
    } catch (const solvers::integration_error& e) {
        std::cerr << "memxbar: integration failed: " << e.what() << "\n";
        return 1;
    } catch (const config_error& e) {
        std::cerr << "memxbar: bad config: " << e.what() << "\n";
        return 1;
    } catch (const job_error& e) {
        std::cerr << "memxbar: run failed: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "memxbar: " << e.what() << "\n";
        return 1;
    }
}
} // namespace

int main(int argc, char** argv) {
    try {
        mpi::init(argc, argv); // a no-op unless started by mpirun
    } catch (const std::exception& e) {
        std::cerr << "memxbar: " << e.what() << "\n";
        return 1;
    }
    const int rc = dispatch(argc, argv);
    if (rc != 0 && mpi::current().size > 1) mpi::abort_all(rc); // do not leave other ranks waiting
    mpi::finalize();
    return rc;
}

} // namespace memxbar::experiments
