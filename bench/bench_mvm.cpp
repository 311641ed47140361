// Analog MVM engine speed against an Eigen GEMM of the same size, and the fast IR-drop approximation's
// error against the exact nodal solve. Prints the figures docs/analog_mvm.md and docs/benchmarks.md quote.
//   bench_mvm [rows=256] [cols=256] [batch=1000]
#include "crossbar/analog_mvm.hpp"
#include "devices/random_stream.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace memxbar;
using namespace memxbar::crossbar;

namespace {
Eigen::MatrixXd random_matrix(long r, long c, std::uint64_t seed) {
    const devices::random_stream rng(seed, devices::purpose::user);
    Eigen::MatrixXd M(r, c);
    for (long i = 0; i < r; ++i)
        for (long j = 0; j < c; ++j)
            M(i, j) = 2.0 * rng.uniform(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(j)) - 1.0;
    return M;
}

// Best of `reps` wall times of f, in seconds (the minimum filters out scheduler noise).
template <class F> double best_time(int reps, F&& f) {
    double best = 1e300;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}
} // namespace

int main(int argc, char** argv) {
    const long out = argc > 1 ? std::atol(argv[1]) : 256;
    const long in = argc > 2 ? std::atol(argv[2]) : 256;
    const long K = argc > 3 ? std::atol(argv[3]) : 1000;
    const Eigen::MatrixXd W = random_matrix(out, in, 1), X = random_matrix(in, K, 2);
    Eigen::MatrixXd Y(out, K), Ya(out, K);

    const double t_gemm = best_time(10, [&] { Y.noalias() = W * X; });

    analog_config c; // 256 x 256 tiles, differential pairs
    c.dac_ideal = true;
    c.adc_ideal = true;
    analog_mvm ideal(W, c);
    const double t_ideal = best_time(10, [&] { ideal.apply(X, Ya); });
    const double err = (Ya - Y).cwiseAbs().maxCoeff() / Y.cwiseAbs().maxCoeff();

    c.dac_ideal = false; // 8-bit DAC: still the fused path
    analog_mvm dac8(W, c);
    const double t_dac = best_time(5, [&] { dac8.apply(X, Ya); });

    c.adc_ideal = false; // 8-bit ADC and read noise: the per-column path
    c.read_noise = true;
    c.read_noise_extra = 0.02;
    analog_mvm noisy(W, c);
    const double t_noisy = best_time(3, [&] { noisy.apply(X, Ya); });

    std::printf("analog MVM, %ld x %ld weights, %ld vectors (double precision, 1 thread)\n", out, in, K);
    std::printf("  Eigen GEMM                           %9.3f ms\n", 1e3 * t_gemm);
    std::printf("  ideal path (ideal DAC/ADC, no noise) %9.3f ms  ratio %.2f  (max rel. diff %.1e)\n",
                1e3 * t_ideal, t_ideal / t_gemm, err);
    std::printf("  8-bit DAC, ideal ADC, no noise       %9.3f ms  ratio %.2f\n", 1e3 * t_dac, t_dac / t_gemm);
    std::printf("  8-bit DAC + 8-bit ADC + read noise   %9.3f ms  ratio %.2f\n", 1e3 * t_noisy,
                t_noisy / t_gemm);
    std::printf("  %s\n", noisy.energy().summary().c_str());

    // Fast IR-drop approximation against the exact nodal solve: max column-current error relative to the
    // largest column current, G in [1, 25] uS (differential mapping of uniform weights), inputs uniform
    // in [-0.2, 0.2] V, no source or sense resistance.
    std::printf(
        "\nfast IR-drop read vs exact solve (max |I_fast - I_exact| / max |I_exact|; 'ideal' = no wires)\n");
    std::printf("  %-6s %-6s %-7s %-10s %-10s %-10s %-10s\n", "rows", "wcols", "r_wire", "ideal", "fast(1)",
                "fast(2)", "fast(4)");
    for (long n : {32L, 64L, 128L})
        for (double r : {0.5, 1.0, 2.5}) {
            const Eigen::MatrixXd Ws = random_matrix(n / 2, n, 3), Xs = random_matrix(n, 8, 4);
            analog_config e;
            e.tile_rows = n;
            e.tile_cols = n;
            e.r_wire = r;
            e.mode = read_mode::exact;
            analog_mvm exact(Ws, e);
            Eigen::MatrixXd Ie, If;
            const Eigen::MatrixXd V = e.V_read * Xs;
            exact.tile_currents(0, V, Ie);
            const double scale = Ie.cwiseAbs().maxCoeff();
            e.mode = read_mode::ideal;
            analog_mvm id(Ws, e);
            id.tile_currents(0, V, If);
            double errs[4];
            errs[0] = (If - Ie).cwiseAbs().maxCoeff() / scale;
            int k = 1;
            for (int it : {1, 2, 4}) {
                e.mode = read_mode::fast;
                e.fast_iterations = it;
                analog_mvm f(Ws, e);
                f.tile_currents(0, V, If);
                errs[k++] = (If - Ie).cwiseAbs().maxCoeff() / scale;
            }
            std::printf("  %-6ld %-6ld %-7.1f %-10.2e %-10.2e %-10.2e %-10.2e\n", n, n / 2, r, errs[0],
                        errs[1], errs[2], errs[3]);
        }
    return 0;
}
