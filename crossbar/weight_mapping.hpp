// Weight mapping: a signed float matrix W (out x in) becomes target conductances on one or more
// physical arrays (tiles), and the digital coefficients that turn the arrays' column currents back
// into W x. Rows of an array carry inputs (voltages), columns carry outputs (currents).
//
// Per weight column of a tile the physical columns are laid out as
//   [slice s][replica r][sign p],  p = + / - for the differential scheme (one column for offset),
// and the offset scheme adds one reference column per tile (G_ref = (G_min + G_max) / 2).
//
// With S slices of b bits (B = 2^b, digit max D = B - 1, place p_s = B^(S-1-s), Q = D sum p_s) the
// magnitude m = |w| / w_max Q (differential) or the offset value u = (w / w_max + 1) / 2 Q is rounded to
// an integer and split into base-B digits d_s; each device gets G = G_min + d_s / D (G_max - G_min).
// One slice with bits_per_slice = 0 is the continuous (unquantized) case: D = Q = 1. Replicas hold the
// same digits and are averaged digitally. The output of weight column i is sum_c a_c I_c, with
//   a_c = +-p_s / R D w_max / (dG Q)        (differential)
//   a_c =  p_s / R 2 D w_max / (dG Q),  a_ref = -P 2 D w_max / (dG Q), P = sum_s p_s   (offset)
// so the effective weights are exactly W_eff = A G^T: the inverse mapping and the ideal read share it.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace memxbar::crossbar {

struct config_error : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

enum class mapping_scheme { differential, offset };

struct mapping_spec {
    mapping_scheme scheme = mapping_scheme::differential;
    double G_min = 0.0;         // S, conductance of digit 0
    double G_max = 25e-6;       // S, conductance of the largest digit
    int slices = 1;             // devices of decreasing significance per weight
    int bits_per_slice = 0;     // 0: continuous (only with one slice)
    int devices_per_weight = 1; // replicas, averaged digitally
    long tile_rows = 256;       // physical array rows (inputs)
    long tile_cols = 256;       // physical array columns, every device column included
    double weight_scale = 0.0;  // w_max; 0: max |W|
    void validate() const;      // throws config_error naming parameter, value and allowed range
    [[nodiscard]] int signs() const { return scheme == mapping_scheme::differential ? 2 : 1; }
    [[nodiscard]] int columns_per_weight() const { return slices * devices_per_weight * signs(); }
    [[nodiscard]] int reference_columns() const { return scheme == mapping_scheme::offset ? 1 : 0; }
    // Weight columns that fit on one array.
    [[nodiscard]] long weight_columns_per_tile() const {
        return (tile_cols - reference_columns()) / columns_per_weight();
    }
};

// One physical array: which part of W it holds, its target conductances and its readout coefficients.
struct tile {
    long row0 = 0, rows = 0;  // inputs [row0, row0 + rows) of W
    long col0 = 0, cols = 0;  // outputs [col0, col0 + cols) of W
    Eigen::MatrixXd G_target; // rows x phys_cols (S)
    Eigen::MatrixXd readout;  // cols x phys_cols: output = readout * I (weight units per A/V... see top)
    [[nodiscard]] long phys_cols() const { return G_target.cols(); }
};

class weight_map {
  public:
    weight_map() = default;
    // Map W (out x in) with the given spec; throws config_error for a bad spec or non-finite weights.
    weight_map(const Eigen::MatrixXd& W, const mapping_spec& spec);

    [[nodiscard]] const mapping_spec& spec() const { return spec_; }
    [[nodiscard]] const std::vector<tile>& tiles() const { return tiles_; }
    [[nodiscard]] std::vector<tile>& tiles() { return tiles_; }
    [[nodiscard]] long outputs() const { return out_; }
    [[nodiscard]] long inputs() const { return in_; }
    [[nodiscard]] double w_max() const { return w_max_; }
    // Weight represented by one digit step of the least significant slice (0 when continuous).
    [[nodiscard]] double weight_lsb() const;

    // Inverse mapping: the weights the conductances G (one matrix per tile, each rows x phys_cols)
    // represent, W = sum over tiles of readout G^T placed at the tile's position.
    [[nodiscard]] Eigen::MatrixXd weights_from(const std::vector<Eigen::MatrixXd>& G) const;
    [[nodiscard]] Eigen::MatrixXd weights_from_targets() const;

  private:
    mapping_spec spec_;
    std::vector<tile> tiles_;
    long out_ = 0, in_ = 0;
    double w_max_ = 1.0;
};

} // namespace memxbar::crossbar
