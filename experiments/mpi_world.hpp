// MPI for sweeps spread over ranks (mpirun -np K memxbar run CONFIG). Only the runner's main thread
// calls MPI. Without MPI at build time, or when not started by mpirun, this is a world of one rank.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace memxbar::experiments::mpi {

bool built_with_mpi();
bool launched_by_mpirun(); // the launcher's environment variables are set (OpenMPI, PMI, PMIx, Slurm srun)

struct world {
    int rank = 0, size = 1;
};
world init(int& argc, char**& argv); // MPI_Init_thread(FUNNELED) under mpirun, else {0, 1}
const world& current();
void finalize();
[[noreturn]] void abort_all(int code);

enum class tag : int { result = 1, error = 2, done = 3, request = 4, assign = 5 };

// Rank 0 answers a request for work with a run index, or no_task when none is left.
inline constexpr std::uint64_t no_task = ~std::uint64_t{0};

struct message {
    int source = 0;
    tag kind = tag::done;
    std::uint64_t task = 0;
    double wall = 0.0;
    std::string text;
};

void send_to_root(const message& m);
void send_assign(int rank, std::uint64_t task); // rank 0 -> rank
bool poll_assign(std::uint64_t& task);          // ranks > 0: an answer from rank 0, false if none yet
bool poll(message& m);                          // rank 0: receives one waiting message, false if none
// Rank 0's task list (or error text) to every rank; status != 0 means rank 0 failed with `error`.
void broadcast(std::vector<std::uint64_t>& tasks, int& status, std::string& error);
void barrier();

} // namespace memxbar::experiments::mpi
