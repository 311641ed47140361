// The analog matrix-vector engine: a float weight matrix mapped onto memristive arrays, programmed
// once, then read many times with DAC, array (ideal, exact IR-drop solve or a fast approximation),
// read noise, TIA, ADC, drift with global compensation and digital recombination (docs/analog_mvm.md).
//
// Usage:
//
//     memxbar::crossbar::analog_config cfg;
//     cfg.card = "pcm_joshi2020";          // or leave empty and set cfg.G_min / cfg.G_max
//     cfg.programming = memxbar::crossbar::programming_mode::statistical;
//     cfg.adc_bits = 8;
//     cfg.drift_time = 3600.0;             // read one hour after programming
//     cfg.drift_compensation = true;
//     memxbar::crossbar::analog_mvm mvm(W, cfg);   // W: Eigen::MatrixXd (out x in), or MatrixXf
//     mvm.calibrate(X_calibration);        // optional: ADC full scale from typical inputs
//     Eigen::MatrixXd Y = mvm.apply(X);    // X: in x batch, Y: out x batch, in weight units (W x)
//     mvm.set_drift_time(86400.0);         // same programmed devices, one day later
//     mvm.programming().summary(); mvm.energy().summary();
//
// Constructing maps and programs (seeded, reproducible); apply() only reads. Each apply() call draws
// fresh read noise (the read counter advances), all keyed by (seed, purpose, column, read index).
#pragma once

#include "crossbar/energy.hpp"
#include "crossbar/peripherals.hpp"
#include "crossbar/programming.hpp"
#include "crossbar/weight_mapping.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace memxbar::crossbar {

// How the array product is computed.
//  ideal: I = G^T V (no wires);
//  exact: the nodal solve with wire resistance of crossbar/dc_solver (solve_dc, linear devices);
//  fast:  fixed-point IR-drop correction (fast_iterations sweeps of the wire drops on the ideal
//         currents), error against exact in docs/analog_mvm.md.
enum class read_mode { ideal, exact, fast };

// Input scaling before the DAC: each vector by its own max |x| (rescaled digitally afterwards, like
// aihwkit's noise management), or by a fixed input_max.
enum class input_scaling { per_vector_abs_max, fixed };

struct analog_config {
    // Device: a card (name in devices/cards or path), or an ideal linear device on [G_min, G_max].
    std::string card;
    double G_min = 1e-6;      // S (card empty)
    double G_max = 25e-6;     // S (card empty)
    double v_read_card = 0.2; // V, voltage at which a card's on/off conductances are read

    // Mapping (weight_mapping.hpp).
    mapping_scheme mapping = mapping_scheme::differential;
    int devices_per_weight = 1;
    int slices = 1;
    int bits_per_slice = 0; // 0: continuous weights (one slice only)
    long tile_rows = 256;   // physical array size; larger than the matrix is fine
    long tile_cols = 256;
    double weight_scale = 0.0; // w_max; 0: max |W|

    // Programming (programming.hpp).
    programming_mode programming = programming_mode::ideal;
    double programming_sigma = 0.0; // fraction of G_max - G_min (cards without their own noise)
    double verify_tolerance = 0.01; // fraction of G_max - G_min
    int verify_max_pulses = 1000;
    double V_write = 1.6;   // V
    double t_write = 50e-9; // s

    // Input side.
    input_scaling scaling = input_scaling::per_vector_abs_max;
    double input_max = 1.0; // fixed scaling: |x| = input_max maps to V_read
    int dac_bits = 8;
    bool dac_ideal = false;
    double V_read = 0.2; // V
    dac_encoding encoding = dac_encoding::amplitude;

    // Array.
    read_mode mode = read_mode::ideal;
    double r_wire = 1.0;   // ohm per segment, rows and columns (exact and fast)
    double r_source = 0.0; // ohm
    double r_sense = 0.0;  // ohm
    int fast_iterations = 2;

    // Read noise: the card's (white read_noise_sigma and 1/f flicker_q, or pcm_stat's 1/f model) plus
    // read_noise_extra, a white relative noise on every device's conductance.
    bool read_noise = false;
    double read_noise_extra = 0.0;
    double t_read = 100e-9; // s, one read (1/f noise bandwidth, device energy)

    // Output side.
    double R_tia = 1e3; // ohm
    int adc_bits = 8;
    bool adc_ideal = false;
    adc_range_mode adc_mode = adc_range_mode::calibrated;
    double adc_range = 1.0; // V, fixed mode

    // Drift: time since programming of the read (pcm_stat only; other cards do not drift).
    double drift_time = 0.0; // s
    bool drift_compensation = false;

    std::uint64_t seed = 1;
    energy_constants energy;

    // Throws config_error naming the parameter, its value and the allowed range.
    void validate() const;
    [[nodiscard]] mapping_spec mapping_spec_for(double G_lo, double G_hi) const;
};

class analog_mvm {
  public:
    // Validate, map W (out x in), program with cfg.seed, set the read time to cfg.drift_time.
    analog_mvm(const Eigen::MatrixXd& W, const analog_config& cfg);
    analog_mvm(const Eigen::MatrixXf& W, const analog_config& cfg);

    // Y = W X through the analog pipeline. X: in x batch. Y: out x batch, in weight units.
    [[nodiscard]] Eigen::MatrixXd apply(const Eigen::MatrixXd& X);
    void apply(const Eigen::MatrixXd& X, Eigen::MatrixXd& Y); // reuses Y's storage
    [[nodiscard]] Eigen::MatrixXf apply(const Eigen::MatrixXf& X);

    // Set the ADC full scale of every tile (calibrated mode) from the largest |V_out| this batch
    // produces (noise-free). Without it, the calibrated range is the worst case V_read G_max rows R_tia.
    void calibrate(const Eigen::MatrixXd& X);

    // Read at another time after programming (same devices): recomputes the drifted conductances, the
    // read noise and the compensation factors.
    void set_drift_time(double t);
    // Restart the read-noise counter (reproduce an earlier apply()).
    void reset_reads(std::uint64_t read_index = 0) { reads_ = read_index; }

    [[nodiscard]] const analog_config& config() const { return cfg_; }
    [[nodiscard]] const device_info& device() const { return dev_; }
    [[nodiscard]] const weight_map& mapping() const { return map_; }
    [[nodiscard]] const programming_report& programming() const { return prog_report_; }
    [[nodiscard]] const energy_report& energy() const { return energy_; }            // of the last apply()
    [[nodiscard]] const std::vector<double>& compensation() const { return alpha_; } // per tile

    // Tile-level access, for tests and studies.
    [[nodiscard]] std::size_t tile_count() const { return map_.tiles().size(); }
    [[nodiscard]] const Eigen::MatrixXd& conductances(std::size_t tile) const { return G_read_[tile]; }
    [[nodiscard]] const programmed_tile& programmed(std::size_t tile) const { return prog_[tile]; }
    // Column currents (phys_cols x batch, A) of one tile for row voltages V (rows x batch, V), noise-free,
    // with the configured read mode. Also the source power per vector when `power` is given.
    void tile_currents(std::size_t tile, const Eigen::MatrixXd& V, Eigen::MatrixXd& I,
                       Eigen::VectorXd* power = nullptr) const;
    // The weights the read conductances represent now (drift compensation included).
    [[nodiscard]] Eigen::MatrixXd effective_weights() const;

  private:
    void init(const Eigen::MatrixXd& W);
    void refresh_read_state();
    [[nodiscard]] bool fast_path() const;
    [[nodiscard]] double adc_full_scale(std::size_t tile) const;
    [[nodiscard]] int phases() const;
    void phase_voltages(const tile& t, int phase, Eigen::MatrixXd& V) const;

    analog_config cfg_;
    device_info dev_;
    weight_map map_;
    std::vector<programmed_tile> prog_;
    programming_report prog_report_;
    std::vector<Eigen::MatrixXd> G_read_; // per tile, conductances at drift_time
    std::vector<Eigen::MatrixXd> sigma2_;
    std::vector<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
        G_rm_;                    // exact  // per tile, read-noise variance per device (S^2)
    std::vector<double> alpha_;   // per tile, drift compensation
    std::vector<double> adc_cal_; // per tile, calibrated ADC full scale (V); 0 = worst case
    Eigen::MatrixXd W_eff_;       // out x in, for the noise-free ideal path
    std::uint64_t reads_ = 0;
    energy_report energy_;
    // Scratch, resized only when the batch size changes.
    Eigen::MatrixXd U_, V_tile_, I_, S_, P_;
    Eigen::VectorXd scale_;
};

} // namespace memxbar::crossbar
