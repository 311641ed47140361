#include "crossbar/weight_mapping.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace memxbar::crossbar {

namespace {

[[noreturn]] void bad(const std::string& name, double value, const std::string& allowed) {
    std::ostringstream s;
    s.precision(6);
    s << "analog mapping: " << name << " = " << value << " is invalid; allowed: " << allowed;
    throw config_error(s.str());
}

// Digit maximum D, places p_s and full value Q of the slicing (see the header).
struct slicing {
    double D = 1.0, Q = 1.0, B = 1.0;
    std::vector<double> place;
    explicit slicing(const mapping_spec& s) {
        const int S = s.slices;
        B = s.bits_per_slice > 0 ? std::ldexp(1.0, s.bits_per_slice) : 1.0;
        D = s.bits_per_slice > 0 ? B - 1.0 : 1.0;
        place.resize(static_cast<std::size_t>(S));
        double P = 0.0;
        for (int k = 0; k < S; ++k) {
            place[static_cast<std::size_t>(k)] = std::pow(B, S - 1 - k);
            P += place[static_cast<std::size_t>(k)];
        }
        Q = D * P;
    }
    [[nodiscard]] bool continuous() const { return D == 1.0 && place.size() == 1 && B == 1.0; }
    [[nodiscard]] double P() const { return Q / D; }
    // Digits of value v in [0, Q]: continuous -> v itself; else round to an integer, base-B digits.
    void digits(double v, std::vector<double>& d) const {
        if (continuous()) {
            d[0] = v;
            return;
        }
        double rest = std::clamp(std::nearbyint(v), 0.0, Q);
        for (std::size_t k = 0; k < place.size(); ++k) {
            d[k] = std::floor(rest / place[k]);
            rest -= d[k] * place[k];
        }
    }
};

} // namespace

void mapping_spec::validate() const {
    if (!(G_min >= 0.0) || !std::isfinite(G_min)) bad("G_min", G_min, "finite, >= 0 S");
    if (!(G_max > G_min) || !std::isfinite(G_max))
        bad("G_max", G_max, "finite and above G_min = " + std::to_string(G_min) + " S");
    if (slices < 1 || slices > 16) bad("slices", slices, "1 to 16");
    if (bits_per_slice < 0 || bits_per_slice > 16) bad("bits_per_slice", bits_per_slice, "0 to 16");
    if (slices > 1 && bits_per_slice == 0)
        bad("bits_per_slice", 0, "1 to 16 when slices > 1 (bit slicing needs integer digits)");
    if (slices * bits_per_slice > 52)
        bad("slices * bits_per_slice", slices * bits_per_slice, "at most 52 (double precision)");
    if (devices_per_weight < 1 || devices_per_weight > 64)
        bad("devices_per_weight", devices_per_weight, "1 to 64");
    if (tile_rows < 1) bad("tile_rows", static_cast<double>(tile_rows), ">= 1");
    if (tile_cols < 1) bad("tile_cols", static_cast<double>(tile_cols), ">= 1");
    if (tile_cols < columns_per_weight() + reference_columns())
        bad("tile_cols", static_cast<double>(tile_cols),
            ">= " + std::to_string(columns_per_weight() + reference_columns()) +
                " (one weight column needs slices x devices_per_weight x signs device columns, plus the "
                "reference column of the offset scheme)");
    if (!(weight_scale >= 0.0) || !std::isfinite(weight_scale))
        bad("weight_scale", weight_scale, "finite, >= 0 (0 = max |W|)");
}

weight_map::weight_map(const Eigen::MatrixXd& W, const mapping_spec& spec) : spec_(spec) {
    spec_.validate();
    if (!W.allFinite()) throw config_error("analog mapping: the weight matrix holds NaN or infinite values");
    if (W.size() == 0) throw config_error("analog mapping: the weight matrix is empty");
    out_ = W.rows();
    in_ = W.cols();
    w_max_ = spec_.weight_scale > 0.0 ? spec_.weight_scale : W.cwiseAbs().maxCoeff();
    if (!(w_max_ > 0.0)) w_max_ = 1.0; // an all-zero matrix: any scale maps it to G_min

    const slicing sl(spec_);
    const int S = spec_.slices, R = spec_.devices_per_weight, P = spec_.signs();
    const double dG = spec_.G_max - spec_.G_min;
    const bool offset = spec_.scheme == mapping_scheme::offset;
    const long tr = std::min(spec_.tile_rows, in_);
    const long tc = std::min(spec_.weight_columns_per_tile(), out_);
    std::vector<double> d(static_cast<std::size_t>(S));

    for (long c0 = 0; c0 < out_; c0 += tc) {
        for (long r0 = 0; r0 < in_; r0 += tr) {
            tile t;
            t.row0 = r0;
            t.rows = std::min(tr, in_ - r0);
            t.col0 = c0;
            t.cols = std::min(tc, out_ - c0);
            const long phys = t.cols * spec_.columns_per_weight() + spec_.reference_columns();
            t.G_target.setConstant(t.rows, phys, spec_.G_min);
            t.readout.setZero(t.cols, phys);
            const double gain = (offset ? 2.0 : 1.0) * sl.D * w_max_ / (dG * sl.Q);
            for (long i = 0; i < t.cols; ++i) {
                const long base = i * spec_.columns_per_weight();
                for (int s = 0; s < S; ++s)
                    for (int r = 0; r < R; ++r)
                        for (int p = 0; p < P; ++p)
                            t.readout(i, base + (s * R + r) * P + p) =
                                (p == 0 ? 1.0 : -1.0) * sl.place[static_cast<std::size_t>(s)] / R * gain;
                if (offset) t.readout(i, phys - 1) = -sl.P() * gain;
                for (long j = 0; j < t.rows; ++j) {
                    const double w = std::clamp(W(c0 + i, r0 + j), -w_max_, w_max_);
                    const double v = offset ? (w / w_max_ + 1.0) * 0.5 * sl.Q : std::abs(w) / w_max_ * sl.Q;
                    sl.digits(v, d);
                    const int sign_col = (!offset && w < 0.0) ? 1 : 0;
                    for (int s = 0; s < S; ++s)
                        for (int r = 0; r < R; ++r)
                            t.G_target(j, base + (s * R + r) * P + sign_col) =
                                spec_.G_min + d[static_cast<std::size_t>(s)] / sl.D * dG;
                }
            }
            if (offset) t.G_target.col(phys - 1).setConstant(spec_.G_min + 0.5 * dG);
            tiles_.push_back(std::move(t));
        }
    }
}

double weight_map::weight_lsb() const {
    const slicing sl(spec_);
    if (sl.continuous()) return 0.0;
    return (spec_.scheme == mapping_scheme::offset ? 2.0 : 1.0) * w_max_ / sl.Q;
}

Eigen::MatrixXd weight_map::weights_from(const std::vector<Eigen::MatrixXd>& G) const {
    if (G.size() != tiles_.size())
        throw config_error("weights_from: " + std::to_string(G.size()) + " conductance matrices for " +
                           std::to_string(tiles_.size()) + " tiles");
    Eigen::MatrixXd W = Eigen::MatrixXd::Zero(out_, in_);
    for (std::size_t k = 0; k < tiles_.size(); ++k) {
        const tile& t = tiles_[k];
        if (G[k].rows() != t.rows || G[k].cols() != t.phys_cols())
            throw config_error("weights_from: tile " + std::to_string(k) +
                               " conductances have the wrong shape");
        W.block(t.col0, t.row0, t.cols, t.rows).noalias() += t.readout * G[k].transpose();
    }
    return W;
}

Eigen::MatrixXd weight_map::weights_from_targets() const {
    std::vector<Eigen::MatrixXd> G;
    G.reserve(tiles_.size());
    for (const auto& t : tiles_)
        G.push_back(t.G_target);
    return weights_from(G);
}

} // namespace memxbar::crossbar
