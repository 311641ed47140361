// Programming target conductances into devices: ideal (G = G_target), statistical (open loop with the
// card's programming noise and variability) or closed-loop write-verify with the card's pulse model.
// Every random draw comes from a counter-based stream keyed by (seed, purpose, global device index,
// cycle), so the result does not depend on the order or threading of the loops.
#pragma once

#include "devices/card.hpp"
#include "devices/pcm_statistical.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace memxbar::crossbar {

enum class programming_mode { ideal, statistical, write_verify };

struct programming_spec {
    programming_mode mode = programming_mode::ideal;
    // Statistical mode, cards without their own programming noise (all but pcm_stat): Gaussian error
    // with this standard deviation as a fraction of G_max - G_min.
    double sigma_fraction = 0.0;
    // Write-verify: stop when |G - G_target| <= tolerance (G_max - G_min), or after max_pulses.
    double tolerance = 0.01;
    int max_pulses = 1000;
    // Energy of one write pulse, V_write^2 G t_write with G the conductance before the pulse.
    double V_write = 1.6;   // V (NeuroSim TaOx/HfOx row, Wu VLSI 2018)
    double t_write = 50e-9; // s
    std::uint64_t seed = 1;
};

// The device behind a mapping, chosen by card: its conductance range, and (pcm_stat) the drift state.
struct device_info {
    std::string card;   // empty: an ideal linear device on [G_min, G_max]
    std::string model;  // model name of the card
    double G_min = 0.0; // S
    double G_max = 25e-6;
    bool has_drift = false;                 // pcm_stat: conductance_at / 1/f read noise
    bool is_pulse_model = false;            // write-verify possible
    devices::pcm_statistical::params pcm{}; // pcm_stat cards
    devices::variability_spec variability;  // the card's [variability] table
};

// What programming left in the devices of one tile.
struct programmed_tile {
    Eigen::MatrixXd G;      // rows x phys_cols, conductance right after programming (S)
    Eigen::MatrixXd G_T;    // target (pcm_stat: sets the drift and 1/f statistics)
    Eigen::MatrixXd nu;     // drift exponent per device (pcm_stat; empty otherwise)
    Eigen::MatrixXi pulses; // write-verify pulses per device (empty otherwise)
};

struct programming_report {
    programming_mode mode = programming_mode::ideal;
    long devices = 0;
    long pulses_total = 0;
    long pulses_max = 0;        // largest count on one device
    long unconverged = 0;       // write-verify devices not within tolerance after max_pulses
    long stuck = 0;             // devices stuck at on or off (card variability)
    double energy_total = 0.0;  // J, write pulses
    double rms_error = 0.0;     // S, rms of G - G_target over all devices
    double max_abs_error = 0.0; // S
    [[nodiscard]] std::string summary() const;
};

// Resolve a card (name under devices/cards or path) into its conductance range and abilities. The
// range is the model's off and on states read at v_read (pcm_stat: [G_min, g_max]).
device_info describe_device(const std::string& card, double v_read = 0.2);

// Program every tile's G_target. `device_offset` numbers the devices globally (tile k starts after all
// devices of tiles 0..k-1) so that draws never repeat between tiles.
std::vector<programmed_tile> program_tiles(const std::vector<Eigen::MatrixXd>& G_targets,
                                           const device_info& dev, const programming_spec& spec,
                                           programming_report& report);

// Conductances of a programmed tile at time t after programming (drift; identity without drift) and
// the variance of one read of each device (white and 1/f noise of the card, plus extra_rel white noise
// relative to G), both rows x phys_cols.
void conductances_at(const programmed_tile& p, const device_info& dev, double t, bool read_noise,
                     double extra_rel, double t_read, Eigen::MatrixXd& G_t, Eigen::MatrixXd& sigma2);

} // namespace memxbar::crossbar
