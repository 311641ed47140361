// The analog MVM engine: the ideal pipeline reproduces W X; each non-ideality switched on alone moves
// the result the way theory says (DAC and ADC within half an LSB, read noise with its predicted sigma,
// drift lowers the output and compensation restores its mean); the exact IR-drop read is solve_dc's
// answer; the fast IR-drop approximation stays within its documented error; bad configs are named.
#include "crossbar/analog_mvm.hpp"
#include "crossbar/dc_solver.hpp"
#include "devices/random_stream.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace memxbar;
using namespace memxbar::crossbar;
using Catch::Matchers::Contains;

namespace {
Eigen::MatrixXd random_matrix(long r, long c, std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
    const devices::random_stream rng(seed, devices::purpose::user);
    Eigen::MatrixXd M(r, c);
    for (long i = 0; i < r; ++i)
        for (long j = 0; j < c; ++j)
            M(i, j) =
                lo + (hi - lo) * rng.uniform(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(j));
    return M;
}

analog_config ideal_config() {
    analog_config c;
    c.dac_ideal = true;
    c.adc_ideal = true;
    c.tile_rows = 16;
    c.tile_cols = 16;
    return c;
}

double rel_max(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    return (a - b).cwiseAbs().maxCoeff() / b.cwiseAbs().maxCoeff();
}
} // namespace

TEST_CASE("ideal pipeline: map, program ideally, read ideally recovers W and W X", "[analog]") {
    const Eigen::MatrixXd W = random_matrix(19, 40, 1), X = random_matrix(40, 7, 2);
    for (auto scheme : {mapping_scheme::differential, mapping_scheme::offset}) {
        analog_config c = ideal_config();
        c.mapping = scheme;
        c.devices_per_weight = 2;
        analog_mvm mvm(W, c);
        REQUIRE(mvm.tile_count() > 1);
        // Double rounding only: 1e-12 relative.
        REQUIRE(rel_max(mvm.effective_weights(), W) < 1e-12);
        REQUIRE(rel_max(mvm.apply(X), W * X) < 1e-12);
        // The general path (ADC on the ideal setting is skipped only by the fast path) agrees too.
        c.read_noise = true; // with zero noise sources: forces the per-column path
        analog_mvm general(W, c);
        REQUIRE(rel_max(general.apply(X), W * X) < 1e-12);
        // Float interface: float precision.
        const Eigen::MatrixXf Xf = X.cast<float>(); // a named matrix: an expression would be ambiguous
        const Eigen::MatrixXf Yf = mvm.apply(Xf);
        REQUIRE(rel_max(Yf.cast<double>(), W * X) < 1e-6);
    }
}

TEST_CASE("bit-sliced weights and bit-serial inputs recover W X on representable values", "[analog]") {
    analog_config c = ideal_config();
    c.slices = 2;
    c.bits_per_slice = 3;
    c.weight_scale = 1.0;
    c.tile_cols = 32;
    const Eigen::MatrixXd W0 = random_matrix(6, 20, 3);
    const Eigen::MatrixXd W = analog_mvm(W0, c).effective_weights(); // on the 6-bit grid
    analog_mvm mvm(W, c);
    REQUIRE(rel_max(mvm.effective_weights(), W) < 1e-12);
    // The weight error against the float weights is at most half a weight LSB.
    REQUIRE((W - W0).cwiseAbs().maxCoeff() <= 0.5 * mvm.mapping().weight_lsb() * (1 + 1e-9));

    // Bit-serial input on a 5-bit DAC: inputs on the DAC grid (k / 15) are exact with an ideal ADC.
    c.dac_ideal = false;
    c.dac_bits = 5;
    c.encoding = dac_encoding::bit_serial;
    c.scaling = input_scaling::fixed;
    Eigen::MatrixXd X = (random_matrix(20, 5, 4) * 15.0).array().round().matrix() / 15.0;
    analog_mvm serial(W, c);
    REQUIRE(rel_max(serial.apply(X), W * X) < 1e-12);
    c.read_noise = true; // general path, plane by plane
    analog_mvm serial_general(W, c);
    REQUIRE(rel_max(serial_general.apply(X), W * X) < 1e-12);
}

TEST_CASE("DAC alone: error bounded by half an input LSB times sum |W|", "[analog]") {
    const Eigen::MatrixXd W = random_matrix(10, 30, 5), X = random_matrix(30, 50, 6);
    analog_config c = ideal_config();
    c.dac_ideal = false;
    c.dac_bits = 4; // L = 7 steps each side
    c.scaling = input_scaling::fixed;
    c.input_max = 1.0;
    analog_mvm mvm(W, c);
    const Eigen::MatrixXd err = (mvm.apply(X) - W * X).cwiseAbs();
    // |W (x_q - x)| <= sum_j |W_ij| |x_q - x|_max = sum_j |W_ij| / (2 L).
    const Eigen::VectorXd bound = W.cwiseAbs().rowwise().sum() / (2.0 * 7.0);
    for (long k = 0; k < X.cols(); ++k)
        REQUIRE((err.col(k).array() <= bound.array() * (1 + 1e-12)).all());
    REQUIRE(err.maxCoeff() > 0.0); // and it does something
}

TEST_CASE("ADC alone: error bounded by half an output LSB through the readout", "[analog]") {
    const Eigen::MatrixXd W = random_matrix(12, 24, 7), X = random_matrix(24, 40, 8);
    analog_config c = ideal_config();
    c.adc_ideal = false;
    c.adc_bits = 6;
    c.adc_mode = adc_range_mode::fixed;
    c.scaling = input_scaling::fixed;
    c.R_tia = 1e4;
    c.adc_range = 1.0; // V: 24 rows x 0.2 V x 25 uS x 1e4 ohm = 1.2 V worst case, typical |I| well below
    analog_mvm mvm(W, c);
    const Eigen::MatrixXd Y = mvm.apply(X);
    // Per column the current error is <= LSB_V / (2 R_tia) if not clipped; the digital readout sums
    // |readout_ic| of them, divided by V_read (weight units per normalised input).
    const double lsb_I = c.adc_range / 31.0 / c.R_tia;
    Eigen::VectorXd bound = Eigen::VectorXd::Zero(12);
    for (const auto& t : mvm.mapping().tiles())
        bound.segment(t.col0, t.cols) += t.readout.cwiseAbs().rowwise().sum() * 0.5 * lsb_I / c.V_read;
    // Clipping check: no ideal column voltage beyond the range for these inputs.
    Eigen::MatrixXd I;
    for (std::size_t k = 0; k < mvm.tile_count(); ++k) {
        const auto& t = mvm.mapping().tiles()[k];
        mvm.tile_currents(k, c.V_read * X.middleRows(t.row0, t.rows), I);
        REQUIRE(I.cwiseAbs().maxCoeff() * c.R_tia < c.adc_range);
    }
    const Eigen::MatrixXd err = (Y - W * X).cwiseAbs();
    for (long k = 0; k < X.cols(); ++k)
        REQUIRE((err.col(k).array() <= bound.array() * (1 + 1e-9)).all());
    REQUIRE(err.maxCoeff() > 0.0);
    // Calibrated range: clipping at the calibration peak, and a smaller error than the worst case.
    c.adc_mode = adc_range_mode::calibrated;
    analog_mvm worst(W, c), cal(W, c);
    cal.calibrate(X);
    REQUIRE((cal.apply(X) - W * X).norm() < (worst.apply(X) - W * X).norm());
}

TEST_CASE("read noise alone: output spread matches the propagated sigma", "[analog]") {
    const Eigen::MatrixXd W = random_matrix(4, 32, 9);
    analog_config c = ideal_config();
    c.tile_rows = 32;
    c.read_noise = true;
    c.read_noise_extra = 0.05; // 5 % white noise on every device conductance
    c.scaling = input_scaling::fixed;
    analog_mvm mvm(W, c);
    const Eigen::VectorXd x = random_matrix(32, 1, 10);
    const long K = 4000;
    const Eigen::MatrixXd X = x.replicate(1, K);
    const Eigen::MatrixXd Y = mvm.apply(X);
    // Predicted: sigma_i^2 = sum_c (readout_ic / V_read)^2 sum_j (0.05 G_jc)^2 (V_read x_j)^2.
    const auto& t = mvm.mapping().tiles()[0];
    const Eigen::MatrixXd& G = mvm.conductances(0);
    const Eigen::VectorXd col_var =
        (0.05 * G).array().square().matrix().transpose() * (c.V_read * x).array().square().matrix();
    const Eigen::VectorXd sigma =
        ((t.readout / c.V_read).array().square().matrix() * col_var).array().sqrt().matrix();
    const Eigen::VectorXd mean = Y.rowwise().mean();
    for (long i = 0; i < 4; ++i) {
        const double sd = std::sqrt((Y.row(i).array() - mean(i)).square().sum() / double(K - 1));
        // Sample sd of K normals has relative sd 1/sqrt(2K) = 1.1 %: 5 % is 4.5 sigma.
        REQUIRE(sd == Approx(sigma(i)).epsilon(0.05));
        // The mean is unbiased: within 5 standard errors.
        REQUIRE(std::abs(mean(i) - (W * x)(i)) < 5.0 * sigma(i) / std::sqrt(double(K)));
    }
    // Reproducible: same seed and read index, same numbers; the next read differs.
    mvm.reset_reads(0);
    REQUIRE(mvm.apply(X) == Y);
    REQUIRE(mvm.apply(X) != Y);
}

TEST_CASE("drift lowers the output; global compensation restores the mean output", "[analog]") {
    const Eigen::MatrixXd W = random_matrix(20, 64, 11, 0.0, 1.0), X = random_matrix(64, 30, 12, 0.0, 1.0);
    analog_config c = ideal_config();
    c.card = "pcm_joshi2020";
    c.tile_rows = 64;
    c.tile_cols = 64;
    analog_mvm fresh(W, c);
    const Eigen::MatrixXd Y0 = fresh.apply(X);
    REQUIRE(rel_max(Y0, W * X) < 1e-12); // ideal programming, read at t = 0
    c.drift_time = 86400.0;              // one day
    analog_mvm drifted(W, c);
    const Eigen::MatrixXd Y1 = drifted.apply(X);
    // Every output falls: nu >= 0.049 gives ((86400 + 20) / 20)^-0.049 = 0.66 at most.
    REQUIRE((Y1.array() < Y0.array()).all());
    REQUIRE(Y1.mean() < 0.7 * Y0.mean());
    c.drift_compensation = true;
    analog_mvm comp(W, c);
    const Eigen::MatrixXd Y2 = comp.apply(X);
    // The mean output comes back: alpha restores sum G, the weights differ only through the spread of
    // nu with G_T (0.049..0.1): 2 % of the mean.
    REQUIRE(Y2.mean() == Approx(Y0.mean()).epsilon(0.02));
    REQUIRE(comp.compensation()[0] > 1.4);
    // set_drift_time on the same devices gives the same answer as programming anew.
    fresh.set_drift_time(86400.0);
    REQUIRE(rel_max(fresh.apply(X), Y1) < 1e-12);
}

TEST_CASE("exact IR-drop read equals solve_dc on the same array", "[analog]") {
    const Eigen::MatrixXd W = random_matrix(6, 12, 13), X = random_matrix(12, 5, 14);
    analog_config c = ideal_config();
    c.mode = read_mode::exact;
    c.r_wire = 2.0;
    c.r_source = 10.0;
    c.r_sense = 5.0;
    c.tile_rows = 12;
    c.tile_cols = 12;
    analog_mvm mvm(W, c);
    for (std::size_t k = 0; k < mvm.tile_count(); ++k) {
        const auto& t = mvm.mapping().tiles()[k];
        const Eigen::MatrixXd V = c.V_read * X.middleRows(t.row0, t.rows);
        Eigen::MatrixXd I;
        mvm.tile_currents(k, V, I);
        crossbar_circuit circ;
        circ.rows = static_cast<std::size_t>(t.rows);
        circ.cols = static_cast<std::size_t>(t.phys_cols());
        circ.r_wire_row = circ.r_wire_col = 2.0;
        circ.r_source = 10.0;
        circ.r_sense = 5.0;
        const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> G = mvm.conductances(k);
        const dc_result ref =
            solve_dc(circ, linear_law{std::span<const double>(G.data(), G.size())}, V.transpose());
        // 1e-10 relative: the same solver on the same numbers (only the batch layout differs).
        REQUIRE((I - ref.currents.transpose()).cwiseAbs().maxCoeff() <=
                1e-10 * ref.currents.cwiseAbs().maxCoeff());
    }
    // IR drop lowers every column current magnitude against the ideal read.
    const Eigen::MatrixXd Y = mvm.apply(X);
    REQUIRE(rel_max(Y, W * X) > 1e-6);
}

TEST_CASE("fast IR-drop approximation stays within its documented error of the exact solve", "[analog]") {
    // 32 x 32 weights -> 32 rows x 64 device columns, G up to 25 uS, r_wire 1 ohm: r G N M ~ 0.05.
    const Eigen::MatrixXd W = random_matrix(32, 32, 15), X = random_matrix(32, 8, 16);
    analog_config c = ideal_config();
    c.tile_rows = 32;
    c.tile_cols = 64;
    c.r_wire = 1.0;
    c.mode = read_mode::exact;
    analog_mvm exact(W, c);
    c.mode = read_mode::fast;
    analog_mvm fast(W, c);
    c.mode = read_mode::ideal;
    analog_mvm ideal(W, c);
    Eigen::MatrixXd Ie, If, Ii;
    const Eigen::MatrixXd V = c.V_read * X;
    exact.tile_currents(0, V, Ie);
    fast.tile_currents(0, V, If);
    ideal.tile_currents(0, V, Ii);
    const double scale = Ie.cwiseAbs().maxCoeff();
    const double e_fast = (If - Ie).cwiseAbs().maxCoeff() / scale;
    const double e_ideal = (Ii - Ie).cwiseAbs().maxCoeff() / scale;
    WARN("column-current error vs exact: ideal " << e_ideal << ", fast " << e_fast);
    REQUIRE(e_ideal > 1e-3); // IR drop matters here...
    REQUIRE(e_fast < 1e-4);  // ...and the fast read removes all but 1e-4 of it (docs/analog_mvm.md)
    REQUIRE(e_fast < 0.05 * e_ideal);
    // Zero wire resistance: fast is exactly ideal.
    c.mode = read_mode::fast;
    c.r_wire = 0.0;
    analog_mvm fast0(W, c);
    fast0.tile_currents(0, V, If);
    REQUIRE((If - Ii).cwiseAbs().maxCoeff() <= 1e-12 * Ii.cwiseAbs().maxCoeff());
}

TEST_CASE("energy report: device energy from the currents, digital reference from Horowitz", "[analog]") {
    const Eigen::MatrixXd W = random_matrix(8, 16, 17), X = random_matrix(16, 3, 18);
    analog_config c = ideal_config();
    c.scaling = input_scaling::fixed;
    analog_mvm mvm(W, c);
    (void)mvm.apply(X);
    const auto& e = mvm.energy();
    // Device: sum_k sum_ij V_i^2 G_ij t_read / K.
    const Eigen::MatrixXd& G = mvm.conductances(0);
    const double expect = (c.V_read * c.V_read) *
                          ((X.array().square().matrix().transpose() * G.rowwise().sum()).sum()) * c.t_read /
                          3.0;
    REQUIRE(e.device == Approx(expect).epsilon(1e-12));
    REQUIRE(e.digital_int8 == Approx(8 * 16 * 0.23e-12));
    REQUIRE(e.digital_fp32 == Approx(8 * 16 * 4.6e-12));
    REQUIRE(e.adc > 0.0);
    REQUIRE(e.latency > c.t_read);
}

TEST_CASE("bad configurations are named with value and allowed range", "[analog]") {
    const Eigen::MatrixXd W = random_matrix(4, 4, 19);
    analog_config c;
    c.adc_bits = 0;
    REQUIRE_THROWS_WITH(analog_mvm(W, c), Contains("adc_bits = 0") && Contains("2 to 24"));
    c = {};
    c.G_min = 30e-6;
    REQUIRE_THROWS_WITH(analog_mvm(W, c), Contains("G_max") && Contains("G_min"));
    c = {};
    c.tile_rows = -4;
    REQUIRE_THROWS_WITH(analog_mvm(W, c), Contains("tile_rows = -4"));
    c = {};
    c.tile_rows = 1000; // larger than the matrix: fine
    c.tile_cols = 1000;
    REQUIRE_NOTHROW(analog_mvm(W, c));
    c = {};
    c.card = "no_such_card";
    REQUIRE_THROWS(analog_mvm(W, c));
    c = {};
    c.programming = programming_mode::write_verify; // no pulse model without a card
    REQUIRE_THROWS_WITH(analog_mvm(W, c), Contains("write_verify"));
    analog_mvm ok(W, analog_config{});
    const Eigen::MatrixXd wrong = Eigen::MatrixXd::Ones(5, 2);
    REQUIRE_THROWS_WITH(ok.apply(wrong), Contains("5 rows"));
}
