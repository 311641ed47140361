#include "experiments/mpi_world.hpp"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#ifdef MEMXBAR_HAVE_MPI
#include <mpi.h>
#endif

namespace memxbar::experiments::mpi {

namespace {
world the_world;
bool initialised = false;
} // namespace

bool built_with_mpi() {
#ifdef MEMXBAR_HAVE_MPI
    return true;
#else
    return false;
#endif
}

bool launched_by_mpirun() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
        if (std::getenv(v)) return true;
    return false;
}

const world& current() {
    return the_world;
}

#ifdef MEMXBAR_HAVE_MPI

world init(int& argc, char**& argv) {
    if (!launched_by_mpirun() || initialised) return the_world;
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    initialised = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &the_world.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &the_world.size);
    return the_world;
}

void finalize() {
    if (initialised) MPI_Finalize();
    initialised = false;
}

void abort_all(int code) {
    if (initialised) MPI_Abort(MPI_COMM_WORLD, code);
    std::exit(code);
}

void send_to_root(const message& m) {
    std::string buf(1 + 8 + 8, '\0');
    buf[0] = static_cast<char>(m.kind);
    std::memcpy(buf.data() + 1, &m.task, 8);
    std::memcpy(buf.data() + 9, &m.wall, 8);
    buf += m.text;
    MPI_Send(buf.data(), static_cast<int>(buf.size()), MPI_BYTE, 0, static_cast<int>(m.kind), MPI_COMM_WORLD);
}

bool poll(message& m) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag) return false;
    int n = 0;
    MPI_Get_count(&st, MPI_BYTE, &n);
    std::string buf(static_cast<std::size_t>(n), '\0');
    MPI_Recv(buf.data(), n, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (n < 17) throw std::runtime_error("MPI: short message from rank " + std::to_string(st.MPI_SOURCE));
    m.source = st.MPI_SOURCE;
    m.kind = static_cast<tag>(buf[0]);
    std::memcpy(&m.task, buf.data() + 1, 8);
    std::memcpy(&m.wall, buf.data() + 9, 8);
    m.text = buf.substr(17);
    return true;
}

void send_assign(int rank, std::uint64_t task) {
    MPI_Send(&task, 1, MPI_UINT64_T, rank, static_cast<int>(tag::assign), MPI_COMM_WORLD);
}

bool poll_assign(std::uint64_t& task) {
    int flag = 0;
    MPI_Iprobe(0, static_cast<int>(tag::assign), MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    if (!flag) return false;
    MPI_Recv(&task, 1, MPI_UINT64_T, 0, static_cast<int>(tag::assign), MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return true;
}

void broadcast(std::vector<std::uint64_t>& tasks, int& status, std::string& error) {
    if (!initialised) return;
    unsigned long long sizes[3] = {static_cast<unsigned long long>(status), tasks.size(), error.size()};
    MPI_Bcast(sizes, 3, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    status = static_cast<int>(sizes[0]);
    tasks.resize(sizes[1]);
    error.resize(sizes[2]);
    if (!tasks.empty())
        MPI_Bcast(tasks.data(), static_cast<int>(tasks.size()), MPI_UINT64_T, 0, MPI_COMM_WORLD);
    if (!error.empty()) MPI_Bcast(error.data(), static_cast<int>(error.size()), MPI_CHAR, 0, MPI_COMM_WORLD);
}

void barrier() {
    if (initialised) MPI_Barrier(MPI_COMM_WORLD);
}

#else

world init(int&, char**&) {
    if (launched_by_mpirun() && !initialised) {
        // Every rank would run the whole sweep and overwrite the others' files: refuse.
        for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
            if (const char* s = std::getenv(v); s && std::atoi(s) > 1)
                throw std::runtime_error(
                    "memxbar was built without MPI (install libopenmpi-dev and rebuild) but "
                    "was started by mpirun with " +
                    std::string(s) + " ranks");
    }
    initialised = true;
    return the_world;
}
void finalize() {}
void abort_all(int code) {
    std::exit(code);
}
void send_to_root(const message&) {}
bool poll(message&) {
    return false;
}
void broadcast(std::vector<std::uint64_t>&, int&, std::string&) {}
void barrier() {}

#endif

} // namespace memxbar::experiments::mpi
