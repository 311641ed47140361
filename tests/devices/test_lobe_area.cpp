// The memristor fingerprint for the models whose own test files do not check it: the area of the
// pinched I-V lobe shrinks as the drive frequency rises past the switching time scale (Chua 2011:
// the loop degenerates to a single-valued curve at infinite frequency). Area of the positive lobe of
// the second period (|integral of i dv| over v >= 0, trapezoid rule on 8000 samples per two periods).
#include "devices/card.hpp"
#include "devices/pcm_electrothermal.hpp"
#include "devices/stanford_pku.hpp"
#include "solvers/ode_integrator.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace memxbar;

namespace {
template <class M> double positive_lobe(const char* card, double amplitude, double f) {
    const auto p = devices::bind<M>(devices::load_card(card));
    solvers::integration_options o;
    o.output_dt = 2.0 / f / 8000.0;
    const auto tr = solvers::integrate<M>(p, M::initial_state(p),
                                          solvers::waveform::sine({amplitude, f, 0.0, 0.0}), 2.0 / f, o);
    const double T = 1.0 / f;
    double area = 0.0;
    for (std::size_t r = 1; r < tr.rows(); ++r)
        if (tr.t[r] >= T && tr.t[r] <= 1.5 * T)
            area += 0.5 * (tr.i[r] + tr.i[r - 1]) * (tr.v[r] - tr.v[r - 1]);
    return std::abs(area);
}

void check_shrinks(const std::vector<double>& areas) {
    for (std::size_t k = 1; k < areas.size(); ++k) {
        INFO("lobe " << k - 1 << " = " << areas[k - 1] << " V A, lobe " << k << " = " << areas[k] << " V A");
        CHECK(areas[k - 1] > 1.2 * areas[k]); // a margin well above the quadrature error (< 1e-3)
    }
    CHECK(areas.back() > 0.0);
}
} // namespace

TEST_CASE("Stanford-PKU: the lobe shrinks once the drive outruns the gap dynamics (GHz)") {
    // Switching at 1.5 V takes ~0.1 ns, so below ~100 MHz the loop is rate-independent; above, it closes.
    std::vector<double> areas;
    for (double f : {1e8, 1e9, 1e10})
        areas.push_back(positive_lobe<devices::stanford_pku>("stanford_pku", 1.5, f));
    check_shrinks(areas);
}

TEST_CASE("PCM electro-thermal: the lobe shrinks once the drive outruns the ns thermal response") {
    std::vector<double> areas;
    for (double f : {4e7, 1.6e8, 6.4e8})
        areas.push_back(positive_lobe<devices::pcm_electrothermal>("pcm_gst", 3.0, f));
    check_shrinks(areas);
}
