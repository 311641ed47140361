// Weight mapping: the round trip W -> conductances -> W is exact (to double rounding) for continuous
// weights, with tiling and both signed schemes; bit slicing recovers representable weights exactly and
// any weight within half a weight LSB; bad specs are rejected with the parameter's name.
#include "crossbar/weight_mapping.hpp"
#include "devices/random_stream.hpp"

#include <catch2/catch.hpp>

using namespace memxbar;
using namespace memxbar::crossbar;
using Catch::Matchers::Contains;

namespace {
Eigen::MatrixXd random_weights(long out, long in, std::uint64_t seed) {
    const devices::random_stream rng(seed, devices::purpose::user);
    Eigen::MatrixXd W(out, in);
    for (long i = 0; i < out; ++i)
        for (long j = 0; j < in; ++j)
            W(i, j) = rng.normal(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(j));
    return W;
}
} // namespace

TEST_CASE("continuous mapping round trip with tiling, differential and offset", "[mapping]") {
    const Eigen::MatrixXd W = random_weights(21, 37, 3);
    for (auto scheme : {mapping_scheme::differential, mapping_scheme::offset}) {
        for (int replicas : {1, 3}) {
            mapping_spec s;
            s.scheme = scheme;
            s.G_min = 1e-6;
            s.G_max = 20e-6;
            s.devices_per_weight = replicas;
            s.tile_rows = 8;
            s.tile_cols = 16;
            const weight_map m(W, s);
            const long per_tile = s.weight_columns_per_tile();
            const long tiles = ((21 + per_tile - 1) / per_tile) * ((37 + 7) / 8);
            REQUIRE(static_cast<long>(m.tiles().size()) == tiles);
            for (const auto& t : m.tiles()) {
                REQUIRE(t.phys_cols() <= s.tile_cols);
                REQUIRE(t.rows <= s.tile_rows);
                REQUIRE(t.G_target.minCoeff() >= s.G_min * (1 - 1e-15));
                REQUIRE(t.G_target.maxCoeff() <= s.G_max * (1 + 1e-15));
            }
            // Double rounding of a few operations per weight: 1e-12 relative to max |W|.
            REQUIRE((m.weights_from_targets() - W).cwiseAbs().maxCoeff() <= 1e-12 * W.cwiseAbs().maxCoeff());
        }
    }
}

TEST_CASE("a tile larger than the matrix is one tile of the matrix's size", "[mapping]") {
    const Eigen::MatrixXd W = random_weights(5, 7, 4);
    mapping_spec s; // 256 x 256
    const weight_map m(W, s);
    REQUIRE(m.tiles().size() == 1);
    REQUIRE(m.tiles()[0].rows == 7);
    REQUIRE(m.tiles()[0].phys_cols() == 10);
    REQUIRE((m.weights_from_targets() - W).cwiseAbs().maxCoeff() <= 1e-12 * W.cwiseAbs().maxCoeff());
}

TEST_CASE("bit slicing: representable weights exact, others within half a weight LSB", "[mapping]") {
    for (auto scheme : {mapping_scheme::differential, mapping_scheme::offset}) {
        mapping_spec s;
        s.scheme = scheme;
        s.slices = 3;
        s.bits_per_slice = 2; // 6 bits of magnitude (differential) or of offset value
        s.tile_rows = 16;
        s.tile_cols = 64;
        s.weight_scale = 1.0;
        const Eigen::MatrixXd W = random_weights(9, 20, 5).cwiseMax(-1.0).cwiseMin(1.0);
        const weight_map m(W, s);
        const double lsb = m.weight_lsb();
        REQUIRE(lsb == Approx((scheme == mapping_scheme::offset ? 2.0 : 1.0) / 63.0));
        // Quantization to the nearest code: at most half an LSB (plus double rounding).
        REQUIRE((m.weights_from_targets() - W).cwiseAbs().maxCoeff() <= 0.5 * lsb * (1 + 1e-9));
        // Weights already on the grid come back to double precision.
        Eigen::MatrixXd Wq = m.weights_from_targets();
        const weight_map m2(Wq, s);
        REQUIRE((m2.weights_from_targets() - Wq).cwiseAbs().maxCoeff() <= 1e-12);
        // Each device holds one base-4 digit: G on the 4-level grid of [G_min, G_max] (the offset
        // scheme's reference column sits at mid-range, off the grid, by design).
        for (const auto& t : m.tiles())
            for (long k = 0; k < t.rows * (t.phys_cols() - s.reference_columns()); ++k) {
                const double d = (t.G_target(k) - s.G_min) / (s.G_max - s.G_min) * 3.0;
                REQUIRE(std::abs(d - std::nearbyint(d)) < 1e-9);
            }
    }
}

TEST_CASE("bad mapping specs name the parameter", "[mapping]") {
    const Eigen::MatrixXd W = random_weights(4, 4, 6);
    mapping_spec s;
    s.G_min = 30e-6;
    REQUIRE_THROWS_WITH(weight_map(W, s), Contains("G_max") && Contains("G_min"));
    s = {};
    s.tile_rows = -3;
    REQUIRE_THROWS_WITH(weight_map(W, s), Contains("tile_rows = -3"));
    s = {};
    s.tile_cols = 1; // a differential pair needs 2 columns
    REQUIRE_THROWS_WITH(weight_map(W, s), Contains("tile_cols"));
    s = {};
    s.slices = 2;
    REQUIRE_THROWS_WITH(weight_map(W, s), Contains("bits_per_slice"));
    Eigen::MatrixXd bad = W;
    bad(1, 1) = std::nan("");
    REQUIRE_THROWS_WITH(weight_map(bad, mapping_spec{}), Contains("NaN"));
}
