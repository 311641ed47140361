// Device kernels at scale: 1,000,000 devices of each model through one read and one programming pulse
// (10 linearly implicit Euler substeps), structure of arrays with the model as a template parameter,
// against the naive design measured in the same run: one heap object per device behind a virtual
// interface (dynamic dispatch per element). Prints device-steps per second and the ratio.
//
//   ./build/bench/bench_devices [devices]        (default 1000000)
#include "devices/device_array.hpp"
#include "devices/registry.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace memxbar::devices;
using clock_type = std::chrono::steady_clock;

namespace {

struct naive_device {
    virtual ~naive_device() = default;
    virtual double read(double v) const = 0;
    virtual void pulse(double v, double width, int substeps) = 0;
};

template <class M> struct naive_impl final : naive_device {
    typename M::params p;
    state_vec<M::n_state> x;
    std::uint64_t index, cycle = 0;
    naive_impl(const typename M::params& q, std::uint64_t k) : p(q), x(M::initial_state(q)), index(k) {}
    double read(double v) const override { return M::current(p, x, v); }
    void pulse(double v, double width, int substeps) override {
        if constexpr (ode_model<M>) {
            // the same linearly implicit Euler step as device_array, one object at a time
            const double h = width / substeps;
            const auto info = M::states();
            for (int s = 0; s < substeps; ++s) {
                linearly_implicit_euler<M>(p, x, v, h);
                for (std::size_t r = 0; r < M::n_state; ++r)
                    x[r] = std::clamp(x[r], info[r].min, info[r].max);
            }
        } else if constexpr (pulse_model<M>) {
            // the same keyed cycle-to-cycle draw as device_array
            M::apply_pulse(p, x, v >= 0 ? 1 : -1,
                           random_stream(1, purpose::cycle_to_cycle).normal(index, cycle++));
        }
    }
};

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

struct job {
    const char* card;
    double v, width;
};

template <class M> void bench(const job& j, std::size_t n) {
    const auto c = load_card(j.card);
    const auto p = bind<M>(c);
    constexpr int substeps = 10;
    device_array<M> arr(n, p, {}, 1);
    std::vector<double> current(n);
    auto t0 = clock_type::now();
    arr.read(0.1, current);
    const double t_read = seconds_since(t0);
    t0 = clock_type::now();
    double steps = 0.0;
    if constexpr (ode_model<M>) {
        arr.pulse(j.v, j.width, substeps);
        steps = double(n) * substeps;
    } else if constexpr (pulse_model<M>) {
        arr.pulse(+1);
        steps = double(n);
    } else {
        // statistical model: programming is one draw per device
        for (std::size_t k = 0; k < n; ++k)
            arr.set_state(k, M::sample_program(p, 0.5 * p.g_max, 1, k));
        steps = double(n);
    }
    const double t_pulse = seconds_since(t0);

    std::vector<std::unique_ptr<naive_device>> naive;
    naive.reserve(n);
    for (std::size_t k = 0; k < n; ++k)
        naive.push_back(std::make_unique<naive_impl<M>>(p, k));
    t0 = clock_type::now();
    double sink = 0.0;
    for (const auto& d : naive)
        sink += d->read(0.1);
    const double t_read_naive = seconds_since(t0);
    t0 = clock_type::now();
    if constexpr (ode_model<M> || pulse_model<M>)
        for (const auto& d : naive)
            d->pulse(j.v, j.width, substeps);
    const double t_pulse_naive = seconds_since(t0);
    double check = 0.0;
    for (double i : current)
        check += i;
    std::printf("| %-14s | %-20s | %8.1f | %8.1f | %5.2fx | %8.2f |", std::string(M::name).c_str(), j.card,
                double(n) / t_read / 1e6, double(n) / t_read_naive / 1e6, t_read_naive / t_read,
                steps / t_pulse / 1e6);
    if constexpr (ode_model<M> || pulse_model<M>)
        std::printf(" %8.2f | %5.2fx |\n", steps / t_pulse_naive / 1e6, t_pulse_naive / t_pulse);
    else
        std::printf("        - |      - |\n"); // programming draws only: no pulse kernel to compare
    if (!(std::isfinite(check) && std::isfinite(sink))) std::printf("  (non-finite currents!)\n");
}

} // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    std::printf(
        "%zu devices per model; pulse = 10 linearly implicit Euler substeps (pulse models: one update)\n\n",
        n);
    std::printf("| model          | card                 | read M/s | naive    | ratio  | step M/s | naive   "
                " | ratio  |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    bench<hp_linear_drift>({"hp_biolek", 1.0, 1e-3}, n);
    bench<team>({"team_xyce", 1.0, 1e-6}, n);
    bench<vteam>({"vteam_memtorch", 1.0, 1e-8}, n);
    bench<yakopcic>({"yakopcic_oblea", 1.0, 1e-3}, n);
    bench<stanford_pku>({"stanford_pku", 1.5, 1e-8}, n);
    bench<pcm_electrothermal>({"pcm_gst", 1.4, 1e-7}, n);
    bench<pcm_statistical>({"pcm_joshi2020", 0.0, 0.0}, n);
    bench<neurosim_pulse>({"neurosim_agsi", 1.0, 0.0}, n);
    bench<soft_bounds>({"soft_bounds_default", 1.0, 0.0}, n);
    bench<pcm_cumulative>({"pcm_boybat2018", 1.0, 0.0}, n);
    return 0;
}
