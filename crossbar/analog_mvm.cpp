#include "crossbar/analog_mvm.hpp"

#include "crossbar/dc_solver.hpp"
#include "devices/random_stream.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace memxbar::crossbar {

namespace {

[[noreturn]] void bad(const std::string& name, double value, const std::string& allowed) {
    std::ostringstream s;
    s.precision(6);
    s << "analog_config: " << name << " = " << value << " is invalid; allowed: " << allowed;
    throw config_error(s.str());
}

void check_bits(const char* name, int bits) {
    if (bits < 2 || bits > 24)
        bad(name, bits, "2 to 24 bits (a signed converter needs a sign and at least one magnitude bit)");
}

void check_nonneg(const char* name, double v) {
    if (!(v >= 0.0) || !std::isfinite(v)) bad(name, v, "finite, >= 0");
}
void check_pos(const char* name, double v, const char* unit) {
    if (!(v > 0.0) || !std::isfinite(v)) bad(name, v, std::string("finite, > 0 ") + unit);
}

} // namespace

void analog_config::validate() const {
    if (card.empty()) {
        if (!(G_min >= 0.0) || !std::isfinite(G_min)) bad("G_min", G_min, "finite, >= 0 S");
        if (!(G_max > G_min) || !std::isfinite(G_max))
            bad("G_max", G_max, "finite and above G_min = " + std::to_string(G_min) + " S (G_min >= G_max)");
    }
    check_pos("v_read_card", v_read_card, "V");
    mapping_spec_for(G_min, G_max).validate();
    check_nonneg("programming_sigma", programming_sigma);
    check_pos("verify_tolerance", verify_tolerance, "(fraction of G_max - G_min)");
    if (verify_max_pulses < 1) bad("verify_max_pulses", verify_max_pulses, ">= 1");
    check_nonneg("V_write", V_write);
    check_nonneg("t_write", t_write);
    check_pos("input_max", input_max, "(input units)");
    check_bits("dac_bits", dac_bits);
    check_pos("V_read", V_read, "V");
    if (encoding == dac_encoding::bit_serial && dac_ideal)
        bad("dac_ideal", 1, "false with bit_serial encoding (bit planes need a finite number of bits)");
    check_nonneg("r_wire", r_wire);
    check_nonneg("r_source", r_source);
    check_nonneg("r_sense", r_sense);
    if (fast_iterations < 1 || fast_iterations > 100) bad("fast_iterations", fast_iterations, "1 to 100");
    check_nonneg("read_noise_extra", read_noise_extra);
    check_pos("t_read", t_read, "s");
    check_pos("R_tia", R_tia, "ohm");
    check_bits("adc_bits", adc_bits);
    check_pos("adc_range", adc_range, "V");
    check_nonneg("drift_time", drift_time);
}

mapping_spec analog_config::mapping_spec_for(double G_lo, double G_hi) const {
    mapping_spec m;
    m.scheme = mapping;
    m.G_min = G_lo;
    m.G_max = G_hi;
    m.slices = slices;
    m.bits_per_slice = bits_per_slice;
    m.devices_per_weight = devices_per_weight;
    m.tile_rows = tile_rows;
    m.tile_cols = tile_cols;
    m.weight_scale = weight_scale;
    return m;
}

analog_mvm::analog_mvm(const Eigen::MatrixXd& W, const analog_config& cfg) : cfg_(cfg) {
    init(W);
}
analog_mvm::analog_mvm(const Eigen::MatrixXf& W, const analog_config& cfg) : cfg_(cfg) {
    init(W.cast<double>());
}

void analog_mvm::init(const Eigen::MatrixXd& W) {
    cfg_.validate();
    dev_ = describe_device(cfg_.card, cfg_.v_read_card);
    if (cfg_.card.empty()) {
        dev_.G_min = cfg_.G_min;
        dev_.G_max = cfg_.G_max;
    }
    map_ = weight_map(W, cfg_.mapping_spec_for(dev_.G_min, dev_.G_max));
    programming_spec ps;
    ps.mode = cfg_.programming;
    ps.sigma_fraction = cfg_.programming_sigma;
    ps.tolerance = cfg_.verify_tolerance;
    ps.max_pulses = cfg_.verify_max_pulses;
    ps.V_write = cfg_.V_write;
    ps.t_write = cfg_.t_write;
    ps.seed = cfg_.seed;
    std::vector<Eigen::MatrixXd> targets;
    targets.reserve(map_.tiles().size());
    for (const auto& t : map_.tiles())
        targets.push_back(t.G_target);
    prog_ = program_tiles(targets, dev_, ps, prog_report_);
    adc_cal_.assign(map_.tiles().size(), 0.0);
    refresh_read_state();
}

void analog_mvm::set_drift_time(double t) {
    if (!(t >= 0.0) || !std::isfinite(t)) bad("drift_time", t, "finite, >= 0 s");
    cfg_.drift_time = t;
    refresh_read_state();
}

void analog_mvm::refresh_read_state() {
    const std::size_t n = map_.tiles().size();
    G_read_.resize(n);
    sigma2_.resize(n);
    G_rm_.resize(n);
    alpha_.assign(n, 1.0);
    W_eff_.setZero(map_.outputs(), map_.inputs());
    for (std::size_t k = 0; k < n; ++k) {
        conductances_at(prog_[k], dev_, cfg_.drift_time, cfg_.read_noise, cfg_.read_noise_extra, cfg_.t_read,
                        G_read_[k], sigma2_[k]);
        // Global drift compensation (Joshi 2020): the calibration read of the all-ones input gives
        // sum_c I_c = V_read sum G, at programming and now; alpha restores the tile's mean output.
        if (cfg_.drift_compensation) {
            const double before = prog_[k].G.sum(), now = G_read_[k].sum();
            alpha_[k] = (now > 0.0 && before > 0.0) ? before / now : 1.0;
        }
        if (cfg_.mode == read_mode::exact) G_rm_[k] = G_read_[k];
        const tile& t = map_.tiles()[k];
        W_eff_.block(t.col0, t.row0, t.cols, t.rows).noalias() +=
            alpha_[k] * t.readout * G_read_[k].transpose();
    }
}

Eigen::MatrixXd analog_mvm::effective_weights() const {
    return W_eff_;
}

bool analog_mvm::fast_path() const {
    return cfg_.mode == read_mode::ideal && !cfg_.read_noise && cfg_.adc_ideal;
}

int analog_mvm::phases() const {
    return cfg_.encoding == dac_encoding::bit_serial ? cfg_.dac_bits - 1 : 1;
}

double analog_mvm::adc_full_scale(std::size_t k) const {
    if (cfg_.adc_mode == adc_range_mode::fixed) return cfg_.adc_range;
    if (adc_cal_[k] > 0.0) return adc_cal_[k];
    // Worst case: every row at V_read on a column of G_max devices.
    return cfg_.R_tia * cfg_.V_read * static_cast<double>(map_.tiles()[k].rows) * dev_.G_max;
}

// Row voltages of phase `phase` for tile t from the normalised DAC outputs U_. Amplitude and pulse
// width: V = V_read u (the same charge on a linear array). Bit-serial: plane b holds bit b of |code|
// at +-V_read.
void analog_mvm::phase_voltages(const tile& t, int phase, Eigen::MatrixXd& V) const {
    const long K = U_.cols();
    V.resize(t.rows, K);
    if (cfg_.encoding != dac_encoding::bit_serial) {
        V.noalias() = cfg_.V_read * U_.middleRows(t.row0, t.rows);
        return;
    }
    const double L = midtread_quantizer{cfg_.dac_bits}.levels();
    const auto bit = static_cast<long long>(1) << phase;
    for (long k = 0; k < K; ++k)
        for (long i = 0; i < t.rows; ++i) {
            const double u = U_(t.row0 + i, k);
            const auto code = static_cast<long long>(std::nearbyint(std::abs(u) * L));
            V(i, k) = (code & bit) ? (u < 0.0 ? -cfg_.V_read : cfg_.V_read) : 0.0;
        }
}

void analog_mvm::tile_currents(std::size_t k, const Eigen::MatrixXd& V, Eigen::MatrixXd& I,
                               Eigen::VectorXd* power) const {
    const Eigen::MatrixXd& G = G_read_[k];
    const long n = G.rows(), m = G.cols(), K = V.cols();
    if (V.rows() != n)
        throw config_error("tile_currents: " + std::to_string(V.rows()) + " input rows for a tile of " +
                           std::to_string(n) + " rows");
    if (cfg_.mode == read_mode::ideal) {
        I.resize(m, K);
        I.noalias() = G.transpose() * V;
        if (power) *power = (V.array().square().matrix().transpose() * G.rowwise().sum());
        return;
    }
    if (cfg_.mode == read_mode::exact) {
        crossbar_circuit c;
        c.rows = static_cast<std::size_t>(n);
        c.cols = static_cast<std::size_t>(m);
        c.r_wire_row = c.r_wire_col = cfg_.r_wire;
        c.r_source = cfg_.r_source;
        c.r_sense = cfg_.r_sense;
        const linear_law law{
            std::span<const double>(G_rm_[k].data(), static_cast<std::size_t>(G_rm_[k].size()))};
        const dc_result r = solve_dc(c, law, V.transpose());
        I = r.currents.transpose();
        if (power) *power = r.power;
        return;
    }
    // Fast: fixed-point IR-drop correction. Start from the ideal cell voltages V_i; each sweep computes
    // the cell currents, the row-wire drops (segment j carries the current of cells j..M-1, the driver
    // r_source all of them) and the column-wire rises (segment i carries the current of cells 0..i, the
    // sense resistor all of them), and updates the cell voltages. Exact for zero wire resistance; the
    // error falls like (r_wire G N M)^(sweeps + 1) (docs/analog_mvm.md has the measured error).
    I.setZero(m, K);
    if (power) power->setZero(K);
    Eigen::MatrixXd vd(n, m), cell(n, m);
    Eigen::VectorXd row_down(n), row_acc(n);
    const double rw = cfg_.r_wire, rs = cfg_.r_source, rsense = cfg_.r_sense;
    for (long kk = 0; kk < K; ++kk) {
        for (long j = 0; j < m; ++j)
            vd.col(j) = V.col(kk);
        for (int sweep = 0; sweep <= cfg_.fast_iterations; ++sweep) {
            cell = G.cwiseProduct(vd);
            if (sweep == cfg_.fast_iterations) break;
            // Rows: suffix sums give each segment's current; the drop at node j accumulates segments 0..j.
            row_down.setZero();
            for (long j = m - 1; j >= 0; --j)
                row_down += cell.col(j); // after the loop: the total row current
            row_acc = rs * row_down;
            Eigen::VectorXd seg = row_down;
            for (long j = 0; j < m; ++j) {
                row_acc += rw * seg; // segment j carries cells j..m-1
                vd.col(j) = V.col(kk) - row_acc;
                seg -= cell.col(j);
            }
            // Columns: the node above segment i is at r_sense I_total + r_wire sum_{s >= i} C_s.
            for (long j = 0; j < m; ++j) {
                const double total = cell.col(j).sum();
                double rise = rsense * total;
                double prefix = total; // current in the last segment (after cell n-1)
                for (long i = n - 1; i >= 0; --i) {
                    rise += rw * prefix; // segment i (below cell i) carries cells 0..i
                    vd(i, j) -= rise;
                    prefix -= cell(i, j);
                }
            }
        }
        I.col(kk) = cell.colwise().sum().transpose();
        if (power) (*power)(kk) = (cell.rowwise().sum().array() * V.col(kk).array()).sum();
    }
}

void analog_mvm::calibrate(const Eigen::MatrixXd& X) {
    if (X.rows() != map_.inputs())
        throw config_error("calibrate: X has " + std::to_string(X.rows()) + " rows, the matrix has " +
                           std::to_string(map_.inputs()) + " inputs");
    Eigen::MatrixXd Y;
    // The DAC outputs of X, through the same scaling as apply().
    const long K = X.cols();
    U_.resize(X.rows(), K);
    for (long k = 0; k < K; ++k) {
        double s = cfg_.scaling == input_scaling::fixed ? cfg_.input_max : X.col(k).cwiseAbs().maxCoeff();
        if (!(s > 0.0)) s = 1.0;
        const dac_spec dac{cfg_.dac_bits, cfg_.dac_ideal, cfg_.V_read, cfg_.encoding};
        for (long i = 0; i < X.rows(); ++i)
            U_(i, k) = dac.normalised(X(i, k) / s);
    }
    for (std::size_t t = 0; t < map_.tiles().size(); ++t) {
        double peak = 0.0;
        for (int ph = 0; ph < phases(); ++ph) {
            phase_voltages(map_.tiles()[t], ph, V_tile_);
            tile_currents(t, V_tile_, I_);
            peak = std::max(peak, cfg_.R_tia * I_.cwiseAbs().maxCoeff());
        }
        adc_cal_[t] = peak > 0.0 ? peak : 0.0;
    }
}

Eigen::MatrixXd analog_mvm::apply(const Eigen::MatrixXd& X) {
    Eigen::MatrixXd Y;
    apply(X, Y);
    return Y;
}

Eigen::MatrixXf analog_mvm::apply(const Eigen::MatrixXf& X) {
    Eigen::MatrixXd Y;
    apply(X.cast<double>(), Y);
    return Y.cast<float>();
}

void analog_mvm::apply(const Eigen::MatrixXd& X, Eigen::MatrixXd& Y) {
    if (X.rows() != map_.inputs())
        throw config_error("apply: X has " + std::to_string(X.rows()) + " rows, the matrix has " +
                           std::to_string(map_.inputs()) + " inputs (X is in x batch)");
    if (!X.allFinite()) throw config_error("apply: X holds NaN or infinite values");
    const long K = X.cols(), in = map_.inputs(), out = map_.outputs();
    const dac_spec dac{cfg_.dac_bits, cfg_.dac_ideal, cfg_.V_read, cfg_.encoding};

    // Input scaling and DAC, into the preallocated U_ (in x K, normalised to [-1, 1]).
    scale_.resize(K);
    U_.resize(in, K);
    for (long k = 0; k < K; ++k) {
        double s = cfg_.scaling == input_scaling::fixed ? cfg_.input_max : X.col(k).cwiseAbs().maxCoeff();
        if (!(s > 0.0)) s = 1.0; // an all-zero vector reads zero at any scale
        scale_(k) = s;
        const double inv = 1.0 / s;
        for (long i = 0; i < in; ++i)
            U_(i, k) = dac.normalised(X(i, k) * inv);
    }

    energy_ = energy_report{};
    const auto& ek = cfg_.energy;
    const int n_ph = phases();
    const auto Kd = static_cast<double>(K);
    double dev_energy = 0.0;
    long max_phys = 0;
    for (const auto& t : map_.tiles()) {
        const double conv = static_cast<double>(n_ph) * static_cast<double>(t.phys_cols());
        energy_.adc += conv * adc_energy(ek, cfg_.adc_bits);
        energy_.tia += conv * ek.tia_energy;
        energy_.digital += (conv + static_cast<double>(t.cols)) * ek.digital_add;
        energy_.dac += static_cast<double>(t.rows) * (cfg_.encoding == dac_encoding::bit_serial
                                                          ? n_ph * dac_energy(ek, 1)
                                                          : dac_energy(ek, cfg_.dac_bits));
        max_phys = std::max(max_phys, t.phys_cols());
    }
    energy_.latency = n_ph * (cfg_.t_read + static_cast<double>(max_phys) / ek.adc_rate);
    digital_reference(ek, out, in, energy_);

    if (fast_path()) {
        Y.resize(out, K);
        Y.noalias() = W_eff_ * U_;
        for (std::size_t k = 0; k < map_.tiles().size(); ++k) {
            const tile& t = map_.tiles()[k];
            const Eigen::VectorXd gsum = G_read_[k].rowwise().sum();
            // Amplitude: sum V^2 G t_read; pulse width: V_read |V| G t_read (full amplitude for |u| t_read).
            if (cfg_.encoding == dac_encoding::pulse_width)
                dev_energy += cfg_.V_read * cfg_.V_read *
                              (gsum.transpose() * U_.middleRows(t.row0, t.rows).cwiseAbs()).sum();
            else if (cfg_.encoding == dac_encoding::amplitude)
                dev_energy +=
                    cfg_.V_read * cfg_.V_read *
                    (gsum.transpose() * U_.middleRows(t.row0, t.rows).array().square().matrix()).sum();
            else
                for (int ph = 0; ph < n_ph; ++ph) {
                    phase_voltages(t, ph, V_tile_);
                    dev_energy += (gsum.transpose() * V_tile_.array().square().matrix()).sum();
                }
        }
        energy_.device = dev_energy * cfg_.t_read / Kd;
        Y.array().rowwise() *= scale_.transpose().array();
        reads_ += static_cast<std::uint64_t>(K);
        return;
    }

    Y.setZero(out, K);
    const devices::random_stream noise(cfg_.seed, devices::purpose::read_noise);
    const double L = midtread_quantizer{cfg_.dac_bits}.levels();
    const adc_spec adc{cfg_.adc_bits, cfg_.adc_ideal, cfg_.adc_mode, cfg_.adc_range};
    std::uint64_t col_offset = 0;
    Eigen::VectorXd power;
    for (std::size_t k = 0; k < map_.tiles().size(); ++k) {
        const tile& t = map_.tiles()[k];
        const long m = t.phys_cols();
        const double fs = adc_full_scale(k);
        for (int ph = 0; ph < n_ph; ++ph) {
            phase_voltages(t, ph, V_tile_);
            tile_currents(k, V_tile_, I_, &power);
            const double t_phase = cfg_.t_read;
            if (cfg_.encoding == dac_encoding::pulse_width) {
                // Full amplitude for |u| t_read: energy V_read |V| G t_read (ideal array currents).
                dev_energy += cfg_.V_read * t_phase *
                              (G_read_[k].rowwise().sum().transpose() * V_tile_.cwiseAbs()).sum();
            } else {
                dev_energy += power.sum() * t_phase;
            }
            if (cfg_.read_noise) {
                // Each device's read adds an independent N(0, sigma_G^2) to its conductance, so column c
                // gains N(0, sum_i sigma_ic^2 V_i^2): drawn once per (column, vector, phase), exact in
                // distribution and O(1) draws per output instead of per device.
                S_.resize(m, K);
                S_.noalias() = sigma2_[k].transpose() * V_tile_.array().square().matrix();
                for (long kk = 0; kk < K; ++kk)
                    for (long c = 0; c < m; ++c) {
                        const double sd = std::sqrt(S_(c, kk));
                        if (sd > 0.0)
                            I_(c, kk) += sd * noise.normal(col_offset + static_cast<std::uint64_t>(c),
                                                           reads_ + static_cast<std::uint64_t>(kk),
                                                           static_cast<std::uint64_t>(ph));
                    }
            }
            if (!cfg_.adc_ideal) {
                for (long kk = 0; kk < K; ++kk)
                    for (long c = 0; c < m; ++c)
                        I_(c, kk) = adc.convert(cfg_.R_tia * I_(c, kk), fs) / cfg_.R_tia;
            }
            // Digital recombination: slices, signs, replicas, reference column; the bit plane's weight;
            // the drift compensation; back from volts to the normalised input.
            const double w = (cfg_.encoding == dac_encoding::bit_serial ? std::ldexp(1.0, ph) / L : 1.0) *
                             alpha_[k] / cfg_.V_read;
            Y.middleRows(t.col0, t.cols).noalias() += w * (t.readout * I_);
        }
        col_offset += static_cast<std::uint64_t>(m);
    }
    energy_.device = dev_energy / Kd;
    Y.array().rowwise() *= scale_.transpose().array();
    reads_ += static_cast<std::uint64_t>(K);
}

} // namespace memxbar::crossbar
