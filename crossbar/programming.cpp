#include "crossbar/programming.hpp"

#include "crossbar/weight_mapping.hpp"
#include "devices/registry.hpp"
#include "devices/variability.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <type_traits>

namespace memxbar::crossbar {

namespace dv = memxbar::devices;

namespace {

template <class M> constexpr bool is_pcm_stat = std::is_same_v<M, dv::pcm_statistical>;

// Conductance range of one parameter set: pcm_stat's [G_min, g_max], otherwise the off and on states
// read at v_read.
template <class M> void range_of(const typename M::params& p, double v_read, double& lo, double& hi) {
    if constexpr (is_pcm_stat<M>) {
        lo = p.G_min;
        hi = p.g_max;
    } else {
        lo = dv::read_conductance<M>(p, M::off_state(p), v_read);
        hi = dv::read_conductance<M>(p, M::on_state(p), v_read);
        if (lo > hi) std::swap(lo, hi);
    }
}

struct stats {
    double sum_sq = 0.0, max_abs = 0.0;
    void add(double err) {
        sum_sq += err * err;
        max_abs = std::max(max_abs, std::abs(err));
    }
};

// Program one tile's devices with model M. `g0` is the global index of the tile's first device.
template <class M>
void program_tile(const Eigen::MatrixXd& target, const typename M::params& p, const device_info& dev,
                  const programming_spec& spec, std::uint64_t g0, programmed_tile& out,
                  programming_report& rep, stats& st) {
    const auto& var = dev.variability;
    const long rows = target.rows(), cols = target.cols();
    const double range = dev.G_max - dev.G_min;
    out.G.resize(rows, cols);
    out.G_T = target;
    if constexpr (is_pcm_stat<M>) out.nu.resize(rows, cols);
    if (spec.mode == programming_mode::write_verify) out.pulses.setZero(rows, cols);
    const dv::random_stream prog(spec.seed, dv::purpose::programming);
    const dv::random_stream c2c(spec.seed, dv::purpose::cycle_to_cycle);

    // Column-major walk, global index g = g0 + c rows + r: independent of any loop order we might pick.
    for (long c = 0; c < cols; ++c) {
        for (long r = 0; r < rows; ++r) {
            const std::uint64_t g = g0 + static_cast<std::uint64_t>(c * rows + r);
            double G_T = target(r, c);
            if (spec.mode != programming_mode::ideal && var.levels >= 2)
                G_T = dv::quantize_conductance(G_T, dev.G_min, dev.G_max, var.levels);
            double G = G_T;
            double nu = 0.0;
            if constexpr (is_pcm_stat<M>) {
                // Ideal programming keeps the mean drift exponent: drift is a property of the read time.
                const auto x = spec.mode == programming_mode::ideal ? M::program(p, G_T, 0.0, 0.0)
                                                                    : M::sample_program(p, G_T, spec.seed, g);
                G = x[M::G_p_index];
                nu = x[M::nu_index];
                if (spec.mode != programming_mode::ideal && spec.sigma_fraction > 0.0)
                    G = std::max(0.0, G + spec.sigma_fraction * range * prog.normal(g, 0, 2));
            } else if (spec.mode != programming_mode::ideal) {
                typename M::params pd = p;
                double lo = dev.G_min, hi = dev.G_max;
                if (!var.d2d.empty()) {
                    pd = dv::sample_device<M>(p, var, spec.seed, g);
                    range_of<M>(pd, 0.2, lo, hi);
                }
                if (spec.mode == programming_mode::statistical) {
                    G = std::clamp(G_T, lo, hi); // the device's own range limits what it reaches
                    if (spec.sigma_fraction > 0.0)
                        G = std::clamp(G + spec.sigma_fraction * range * prog.normal(g, 0), lo, hi);
                } else if constexpr (dv::pulse_model<M>) {
                    auto x = M::initial_state(pd);
                    const double tol = spec.tolerance * range;
                    long n = 0;
                    G = dv::read_conductance<M>(pd, x, 0.2);
                    while (std::abs(G - G_T) > tol && n < spec.max_pulses) {
                        rep.energy_total += spec.V_write * spec.V_write * G * spec.t_write;
                        M::apply_pulse(pd, x, G < G_T ? +1 : -1,
                                       c2c.normal(g, static_cast<std::uint64_t>(n)));
                        ++n;
                        G = dv::read_conductance<M>(pd, x, 0.2);
                    }
                    if (std::abs(G - G_T) > tol) ++rep.unconverged;
                    out.pulses(r, c) = static_cast<int>(n);
                    rep.pulses_total += n;
                    rep.pulses_max = std::max(rep.pulses_max, n);
                }
            }
            if (spec.mode != programming_mode::ideal) {
                const auto s = dv::sample_stuck(var, spec.seed, g);
                if (s != dv::stuck_state::none) {
                    G = s == dv::stuck_state::on ? dev.G_max : dev.G_min;
                    ++rep.stuck;
                }
            }
            out.G(r, c) = G;
            if constexpr (is_pcm_stat<M>) out.nu(r, c) = nu;
            st.add(G - target(r, c));
        }
    }
}

} // namespace

std::string programming_report::summary() const {
    std::ostringstream s;
    s.precision(4);
    static constexpr const char* names[] = {"ideal", "statistical", "write-verify"};
    s << names[static_cast<int>(mode)] << " programming of " << devices << " devices: rms error " << rms_error
      << " S, max " << max_abs_error << " S";
    if (mode == programming_mode::write_verify)
        s << "; " << pulses_total << " pulses (max " << pulses_max << " on one device), " << unconverged
          << " not within tolerance, write energy " << energy_total << " J";
    if (stuck > 0) s << "; " << stuck << " stuck";
    return s.str();
}

device_info describe_device(const std::string& card, double v_read) {
    device_info d;
    if (card.empty()) return d;
    const dv::card c = dv::load_card(card);
    d.card = card;
    d.model = c.model;
    d.variability = c.variability;
    dv::all_models::with(c.model, [&]<class M>() {
        const auto p = dv::bind<M>(c);
        range_of<M>(p, v_read, d.G_min, d.G_max);
        d.is_pulse_model = dv::pulse_model<M>;
        if constexpr (is_pcm_stat<M>) {
            d.has_drift = true;
            d.pcm = p;
        }
    });
    if (!(d.G_max > d.G_min))
        throw config_error("card '" + card + "': its on and off conductances at " + std::to_string(v_read) +
                           " V are equal; no weight can be mapped on it");
    return d;
}

std::vector<programmed_tile> program_tiles(const std::vector<Eigen::MatrixXd>& G_targets,
                                           const device_info& dev, const programming_spec& spec,
                                           programming_report& report) {
    report = programming_report{};
    report.mode = spec.mode;
    std::vector<programmed_tile> out(G_targets.size());
    stats st;
    const auto run = [&]<class M>(const typename M::params& p) {
        std::uint64_t g0 = 0;
        for (std::size_t k = 0; k < G_targets.size(); ++k) {
            program_tile<M>(G_targets[k], p, dev, spec, g0, out[k], report, st);
            g0 += static_cast<std::uint64_t>(G_targets[k].size());
            report.devices += G_targets[k].size();
        }
    };
    if (dev.card.empty()) {
        // An ideal linear device: the soft-bounds model stands in for the range (never pulsed).
        if (spec.mode == programming_mode::write_verify)
            throw config_error("programming = write_verify needs a card with a pulse model (neurosim, "
                               "soft_bounds, pcm_cumulative); none was given");
        dv::soft_bounds::params p;
        p.G_min = dev.G_min;
        p.G_max = dev.G_max;
        run.operator()<dv::soft_bounds>(p);
    } else {
        const dv::card c = dv::load_card(dev.card);
        dv::all_models::with(c.model, [&]<class M>() {
            if constexpr (!dv::pulse_model<M>) {
                if (spec.mode == programming_mode::write_verify)
                    throw config_error("programming = write_verify needs a pulse model; card '" + dev.card +
                                       "' is model '" + c.model +
                                       "' (use neurosim, soft_bounds or "
                                       "pcm_cumulative cards)");
            }
            run.template operator()<M>(dv::bind<M>(c));
        });
    }
    if (report.devices > 0) report.rms_error = std::sqrt(st.sum_sq / static_cast<double>(report.devices));
    report.max_abs_error = st.max_abs;
    return out;
}

void conductances_at(const programmed_tile& p, const device_info& dev, double t, bool read_noise,
                     double extra_rel, double t_read, Eigen::MatrixXd& G_t, Eigen::MatrixXd& sigma2) {
    const long rows = p.G.rows(), cols = p.G.cols();
    G_t.resize(rows, cols);
    sigma2.setZero(rows, cols);
    const double white_flicker = dv::read_noise_sigma(dev.variability, t, t_read); // relative
    for (long c = 0; c < cols; ++c)
        for (long r = 0; r < rows; ++r) {
            double G = p.G(r, c);
            if (dev.has_drift)
                G = dv::pcm_statistical::conductance_at(dev.pcm, {p.G_T(r, c), G, p.nu(r, c)}, t);
            G_t(r, c) = G;
            if (!read_noise) continue;
            double var = (white_flicker * white_flicker + extra_rel * extra_rel) * G * G;
            if (dev.has_drift) {
                const double s = dv::pcm_statistical::read_noise_sigma(dev.pcm, p.G_T(r, c), G, t);
                var += s * s;
            }
            sigma2(r, c) = var;
        }
}

} // namespace memxbar::crossbar
