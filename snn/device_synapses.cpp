// Device synapses: the device-level STDP and Querlioz rules on any device model, templated on the model
// (one instantiation per model, chosen once per layer through the device registry).
#include "snn/device_synapses.hpp"

#include "devices/device_array.hpp"
#include "devices/ohmic_conductance.hpp"
#include "devices/registry.hpp"
#include "snn/errors.hpp"
#include "snn/random_keys.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>

namespace memxbar::snn {

namespace {

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min() / 4;

// Keep the entries of `list` whose waveform (started at start[e], lasting `steps`) still runs at `step`.
void prune(std::vector<std::uint32_t>& list, std::vector<char>& in, const std::vector<std::int64_t>& start,
           std::int64_t steps, std::int64_t step) {
    std::size_t keep = 0;
    for (const auto e : list) {
        if (step - start[e] < steps)
            list[keep++] = e;
        else
            in[e] = 0;
    }
    list.resize(keep);
}

template <devices::device_model M> class device_layer final : public synapse_layer {
    static constexpr std::size_t N = M::n_state;
    using params = typename M::params;
    using state = devices::state_vec<N>;

  public:
    device_layer(const synapse_config& c, const params& nominal, const devices::variability_spec& var,
                 std::size_t n_in, std::size_t n_out, double dt, std::uint64_t seed, bool pair)
        : synapse_layer(n_in, n_out), c_(c), dt_(dt), seed_(seed), pair_(pair), n_syn_(n_in * n_out),
          arr_(n_in * n_out * (pair ? 2 : 1), nominal, var, seed), var_(var), w_(n_in * n_out),
          pre_start_(n_in, never), post_start_(n_out, never), in_rows_(n_in, 0), in_cols_(n_out, 0) {
        check_range("v_read", c.v_read, 1e-6, 10.0, "V", "read voltage of an input spike");
        g_on_ = read_g(nominal, M::on_state(nominal));
        g_off_ = read_g(nominal, M::off_state(nominal));
        if (!(g_on_ > g_off_)) {
            std::ostringstream s;
            s << "device '" << M::name << "': read conductance at the on state (" << g_on_
              << " S) must exceed the off state's (" << g_off_ << " S) at v_read = " << c.v_read << " V";
            throw snn_error(s.str());
        }
        if (c.rule == rule_kind::device_stdp || c.rule == rule_kind::querlioz)
            wf_ = c.custom_waveforms ? c.waveforms : default_device_stdp(std::string(M::name));
        if constexpr (devices::ode_model<M>) orientation_ = probe_orientation(nominal);
        validate_waveforms();
        pre_steps_ = static_cast<std::int64_t>(std::ceil(wf_.pre.duration() / dt - 1e-9));
        post_steps_ = static_cast<std::int64_t>(std::ceil(wf_.post.duration() / dt - 1e-9));
        // Querlioz on ODE devices: one rectangular pulse of the causal (anti-causal) peak voltage.
        q_ = c.querlioz;
        if (q_.v_pot <= 0.0) q_.v_pot = wf_.post.A_peak - wf_.pre.A_tail;
        if (q_.v_dep <= 0.0) q_.v_dep = wf_.pre.A_peak - wf_.post.A_tail;
        if (q_.t_pulse <= 0.0) q_.t_pulse = wf_.post.t_peak * wf_.time_scale;
        refresh_g_ = g_off_ + c.refresh_fraction * (g_on_ - g_off_);
        active_rows_.reserve(n_in);
        active_cols_.reserve(n_out);

        std::vector<double> w0(n_syn_);
        const devices::random_stream rng(seed, init_purpose);
        for (std::size_t k = 0; k < n_syn_; ++k)
            w0[k] = c.w_init_lo + (c.w_init_hi - c.w_init_lo) * rng.uniform(k, 0);
        set_weights(w0);
    }

    void propagate(std::span<const std::uint32_t> rows, std::span<double> out) override {
        add_rows(w_, rows, out);
    }

    void on_pre(std::span<const std::uint32_t> rows, std::int64_t step) override {
        for (const auto i : rows) {
            pre_start_[i] = step;
            if (c_.rule == rule_kind::device_stdp && !in_rows_[i]) {
                in_rows_[i] = 1;
                active_rows_.push_back(i);
            }
        }
    }

    void on_post(std::span<const std::uint32_t> cols, std::int64_t step) override {
        for (const auto j : cols) {
            post_start_[j] = step;
            if (c_.rule == rule_kind::device_stdp && !in_cols_[j]) {
                in_cols_[j] = 1;
                active_cols_.push_back(j);
            }
            if (c_.rule == rule_kind::querlioz && learning) querlioz_event(j, step);
        }
    }

    void advance(std::int64_t step) override {
        if (c_.rule != rule_kind::device_stdp) return;
        prune(active_rows_, in_rows_, pre_start_, pre_steps_, step);
        prune(active_cols_, in_cols_, post_start_, post_steps_, step);
        if (!learning || active_rows_.empty() || active_cols_.empty()) return;
        // Only devices whose row and column waveforms overlap can move (single waveforms are below
        // threshold, checked at construction): integrate those over this step.
        for (const auto j : active_cols_) {
            if (post_start_[j] > step) continue;
            const double s_post = static_cast<double>(step - post_start_[j]) * dt_;
            for (const auto i : active_rows_) {
                if (pre_start_[i] > step) continue;
                const double s_pre = static_cast<double>(step - pre_start_[i]) * dt_;
                overlap_step(static_cast<std::size_t>(i) * n_out_ + j, s_pre, s_post, step);
            }
        }
    }

    [[nodiscard]] bool busy(std::int64_t step) const override {
        const auto live = [&](const std::vector<std::uint32_t>& l, const std::vector<std::int64_t>& start,
                              std::int64_t steps) {
            return std::any_of(l.begin(), l.end(), [&](auto e) { return step - start[e] < steps; });
        };
        return c_.rule == rule_kind::device_stdp && live(active_rows_, pre_start_, pre_steps_) &&
               live(active_cols_, post_start_, post_steps_);
    }

    [[nodiscard]] std::span<const double> weights() const override { return w_; }

    void set_weights(std::span<const double> w) override {
        if (w.size() != n_syn_)
            throw snn_error("set_weights: " + std::to_string(w.size()) + " weights for " +
                            std::to_string(n_syn_) + " synapses");
        for (std::size_t k = 0; k < n_syn_; ++k) {
            const double target = g_off_ + std::clamp(w[k], pair_ ? -1.0 : 0.0, 1.0) * (g_on_ - g_off_);
            if (pair_) {
                const double d = target - g_off_;
                program_to(k, g_off_ + std::max(d, 0.0));
                program_to(n_syn_ + k, g_off_ + std::max(-d, 0.0));
            } else {
                program_to(k, target);
            }
            refresh_weight(k);
        }
    }

    bool scale_columns(std::span<const double>) override { return false; }

    void conductances(std::span<double> G) const override {
        if (pair_)
            throw snn_error(
                "the circuit readout does not support differential pairs (pairing = differential)");
        for (std::size_t k = 0; k < n_syn_; ++k)
            G[k] = read_g(arr_.param(k), arr_.state(k));
    }
    [[nodiscard]] double g_unit() const override { return g_on_ - g_off_; }
    [[nodiscard]] double g_offset() const override { return g_off_; }

  private:
    [[nodiscard]] double read_g(const params& p, const state& x) const {
        return devices::read_conductance<M>(p, x, c_.v_read);
    }
    [[nodiscard]] double device_g(std::size_t d) const { return read_g(arr_.param(d), arr_.state(d)); }

    void refresh_weight(std::size_t k) {
        const double g = device_g(k) - (pair_ ? device_g(n_syn_ + k) : g_off_);
        w_[k] = g / (g_on_ - g_off_);
    }

    // Set device d's state so that its read conductance is g (bisection between its off and on states;
    // the pulse models store G itself).
    void program_to(std::size_t d, double g) {
        const params& p = arr_.param(d);
        if (arr_.stuck(d) != devices::stuck_state::none) return;
        if constexpr (std::is_base_of_v<devices::ohmic_conductance, M> && N == 1) {
            const double lo = M::off_state(p)[0], hi = M::on_state(p)[0];
            arr_.set_state(d, state{std::clamp(g, std::min(lo, hi), std::max(lo, hi))});
        } else {
            const state off = M::off_state(p), on = M::on_state(p);
            const auto at = [&](double u) {
                state x;
                for (std::size_t r = 0; r < N; ++r)
                    x[r] = off[r] + u * (on[r] - off[r]);
                return x;
            };
            double lo = 0.0, hi = 1.0;
            for (int it = 0; it < 60; ++it) {
                const double mid = 0.5 * (lo + hi);
                (read_g(p, at(mid)) < g ? lo : hi) = mid;
            }
            arr_.set_state(d, at(0.5 * (lo + hi)));
        }
    }

    // Sign s such that a device voltage s v with v > 0 raises the conductance (ODE models): probe the
    // state equation at mid state with growing voltages.
    double probe_orientation(const params& p) const {
        if constexpr (devices::ode_model<M>) {
            const state off = M::off_state(p), on = M::on_state(p);
            state mid;
            for (std::size_t r = 0; r < N; ++r)
                mid[r] = 0.5 * (off[r] + on[r]);
            for (double v : {0.1, 0.3, 1.0, 2.0, 3.0, 5.0}) {
                state f{};
                M::dstate_dt(p, mid, v, f);
                state x = mid;
                double norm = 0.0;
                for (std::size_t r = 0; r < N; ++r)
                    norm = std::max(norm, std::abs(f[r]));
                if (!(norm > 0.0)) continue;
                // a small move along f: does G rise?
                double scale = 0.0;
                for (std::size_t r = 0; r < N; ++r)
                    scale = std::max(scale, std::abs(on[r] - off[r]));
                for (std::size_t r = 0; r < N; ++r)
                    x[r] += 1e-6 * scale * f[r] / norm;
                const double dg = read_g(p, x) - read_g(p, mid);
                if (dg != 0.0) return dg > 0.0 ? 1.0 : -1.0;
            }
            throw snn_error("device '" + std::string(M::name) +
                            "': no voltage up to 5 V moves its state; cannot orient it for STDP");
        }
        return 1.0;
    }

    // One waveform alone must not program a device (the STDP window would otherwise be coded in the
    // waveform, and every device of a row would drift on each spike).
    void validate_waveforms() {
        if (c_.rule != rule_kind::device_stdp && c_.rule != rule_kind::querlioz) return;
        const auto& w = wf_;
        for (auto [name, f] : {std::pair{"pre", &w.pre}, std::pair{"post", &w.post}}) {
            const std::string n(name);
            check_range(n + ".t_peak", f->t_peak, 0.0, 1.0, "s", "duration of the waveform's peak");
            check_range(n + ".t_tail", f->t_tail, 1e-9, 10.0, "s", "duration of the waveform's tail");
            check_range(n + ".A_peak", f->A_peak, -100.0, 100.0, "V", "peak amplitude");
            check_range(n + ".A_tail", f->A_tail, -100.0, 100.0, "V", "tail amplitude");
        }
        check_range("time_scale", w.time_scale, 1e-15, 1e6, "", "device seconds per network second");
        check_range("substeps", w.substeps, 1, 1000, "", "ODE integration steps per network step");
        if (c_.rule != rule_kind::device_stdp) return;
        if constexpr (devices::pulse_model<M>) {
            check_range("v_th_pot", w.v_th_pot, 1e-6, 100.0, "V", "potentiation threshold");
            check_range("v_th_dep", w.v_th_dep, 1e-6, 100.0, "V", "depression threshold");
            check_range("v_pulse_pot", w.v_pulse_pot, w.v_th_pot * (1 + 1e-9), 100.0, "V",
                        "nominal pulse amplitude, above v_th_pot");
            check_range("v_pulse_dep", w.v_pulse_dep, w.v_th_dep * (1 + 1e-9), 100.0, "V",
                        "nominal pulse amplitude, above v_th_dep");
            check_range("t_pulse", w.t_pulse, 1e-12, 1.0, "s", "nominal pulse width");
            // Alone, the device sees v = -V_pre or v = V_post.
            const auto fail = [&](const char* which, double v, const char* th, double vth) {
                std::ostringstream s;
                s << "device STDP: the " << which << " waveform alone puts " << v
                  << " V on the device, beyond " << th << " = " << vth
                  << " V: single spikes must stay below the programming threshold (lower its amplitudes)";
                throw snn_error(s.str());
            };
            if (-w.pre.min_value() >= w.v_th_pot) fail("pre", -w.pre.min_value(), "v_th_pot", w.v_th_pot);
            if (w.pre.max_value() >= w.v_th_dep) fail("pre", -w.pre.max_value(), "v_th_dep", w.v_th_dep);
            if (w.post.max_value() >= w.v_th_pot) fail("post", w.post.max_value(), "v_th_pot", w.v_th_pot);
            if (-w.post.min_value() >= w.v_th_dep) fail("post", w.post.min_value(), "v_th_dep", w.v_th_dep);
        } else if constexpr (devices::ode_model<M>) {
            // Simulate each waveform alone on a nominal device at its off, middle and on states.
            const params& p = arr_.param(0);
            for (int which = 0; which < 2; ++which) {
                const spike_waveform& f = which == 0 ? w.pre : w.post;
                for (double u : {0.0, 0.5, 1.0}) {
                    const state off = M::off_state(p), on = M::on_state(p);
                    state x;
                    for (std::size_t r = 0; r < N; ++r)
                        x[r] = off[r] + u * (on[r] - off[r]);
                    const double g0 = read_g(p, x);
                    const int steps = std::max(1, static_cast<int>(std::ceil(f.duration() / dt_)));
                    for (int s = 0; s < steps; ++s)
                        integrate(p, x, [&](double tau) {
                            const double v = f.value(static_cast<double>(s) * dt_ + tau);
                            return which == 0 ? -v : v;
                        });
                    const double dw = std::abs(read_g(p, x) - g0) / (g_on_ - g_off_);
                    if (dw > 1e-4) {
                        std::ostringstream s;
                        s << "device STDP on '" << M::name << "': the " << (which == 0 ? "pre" : "post")
                          << " waveform alone changes the weight by " << dw
                          << " (> 1e-4 of the range) from the "
                          << (u == 0.0   ? "off"
                              : u == 1.0 ? "on"
                                         : "middle")
                          << " state: single spikes must stay below the device's threshold (lower the "
                             "amplitudes "
                             "or time_scale)";
                        throw snn_error(s.str());
                    }
                }
            }
        }
    }

    // Integrate an ODE device over one network step under v(tau), tau in [0, dt).
    template <class V> void integrate(const params& p, state& x, V&& v_of) const {
        const int n = wf_.substeps;
        const double h_net = dt_ / n, h_dev = h_net * wf_.time_scale;
        const auto info = M::states();
        for (int s = 0; s < n; ++s) {
            const double v = orientation_ * v_of((s + 0.5) * h_net);
            if (v == 0.0) continue;
            devices::linearly_implicit_euler<M>(p, x, v, h_dev);
            for (std::size_t r = 0; r < N; ++r)
                x[r] = std::clamp(x[r], info[r].min, info[r].max);
        }
    }

    void ode_update(std::size_t d, std::int64_t step, auto&& v_of) {
        if (arr_.stuck(d) != devices::stuck_state::none) return;
        const params& p = arr_.param(d);
        const state x0 = arr_.state(d);
        state x = x0;
        integrate(p, x, v_of);
        if (var_.c2c_sigma > 0.0) {
            const double g = devices::c2c_factor(var_, seed_, d, static_cast<std::uint64_t>(step));
            const auto info = M::states();
            for (std::size_t r = 0; r < N; ++r)
                x[r] = std::clamp(x0[r] + g * (x[r] - x0[r]), info[r].min, info[r].max);
        }
        arr_.set_state(d, x);
    }

    void pulse(std::size_t d, int polarity, std::int64_t step, std::uint64_t slot) {
        if constexpr (devices::pulse_model<M>) {
            if (arr_.stuck(d) != devices::stuck_state::none) return;
            state x = arr_.state(d);
            const devices::random_stream rng(seed_, devices::purpose::cycle_to_cycle);
            M::apply_pulse(arr_.param(d), x, polarity, rng.normal(d, static_cast<std::uint64_t>(step), slot));
            arr_.set_state(d, x);
            ++stats.pulses;
        } else {
            (void)d, (void)polarity, (void)step, (void)slot;
        }
    }

    // n_pot potentiating and n_dep depressing pulses on synapse k. A differential pair potentiates by a
    // SET of G+ and depresses by a SET of G-, and is refreshed when either device nears saturation.
    void program_pulses(std::size_t k, long n_pot, long n_dep, std::int64_t step) {
        std::uint64_t slot = 0;
        if (!pair_) {
            for (long n = 0; n < n_pot; ++n)
                pulse(k, +1, step, slot++);
            for (long n = 0; n < n_dep; ++n)
                pulse(k, -1, step, slot++);
        } else {
            for (long n = 0; n < n_pot; ++n)
                pulse(k, +1, step, slot++);
            for (long n = 0; n < n_dep; ++n)
                pulse(n_syn_ + k, +1, step, slot++);
            if (device_g(k) > refresh_g_ || device_g(n_syn_ + k) > refresh_g_) refresh(k, step, slot);
        }
        refresh_weight(k);
    }

    // Boybat et al. (2018): RESET both devices of the pair, then SET pulses on the side of the sign of w
    // until the difference is back (at most 1000 pulses).
    void refresh(std::size_t k, std::int64_t step, std::uint64_t& slot) {
        ++stats.refreshes;
        const double unit = g_on_ - g_off_;
        const double w = (device_g(k) - device_g(n_syn_ + k)) / unit;
        for (std::size_t d : {k, n_syn_ + k})
            for (int n = 0; n < 1000 && device_g(d) > g_off_ + 0.02 * unit; ++n)
                pulse(d, -1, step, slot++);
        const std::size_t side = w >= 0.0 ? k : n_syn_ + k;
        const std::size_t other = side == k ? n_syn_ + k : k;
        for (int n = 0; n < 1000 && (device_g(side) - device_g(other)) / unit < std::abs(w); ++n)
            pulse(side, +1, step, slot++);
    }

    // Fractional pulse counts: the whole part plus one more with probability equal to the fraction.
    [[nodiscard]] long pulse_count(double n, std::size_t k, std::int64_t step, std::uint64_t slot) const {
        if (!(n > 0.0)) return 0;
        const double whole = std::floor(n);
        const devices::random_stream rng(seed_, pulse_count_purpose);
        return static_cast<long>(whole) +
               (rng.uniform(k, static_cast<std::uint64_t>(step), slot) < n - whole ? 1 : 0);
    }

    void overlap_step(std::size_t k, double s_pre, double s_post, std::int64_t step) {
        ++stats.device_updates;
        if constexpr (devices::pulse_model<M>) {
            const auto e =
                overlap_exceedance(wf_.pre, s_pre, wf_.post, s_post, dt_, wf_.v_th_pot, wf_.v_th_dep);
            if (e.pot == 0.0 && e.dep == 0.0) return;
            const long n_pot =
                pulse_count(e.pot / ((wf_.v_pulse_pot - wf_.v_th_pot) * wf_.t_pulse), k, step, 0);
            const long n_dep =
                pulse_count(e.dep / ((wf_.v_pulse_dep - wf_.v_th_dep) * wf_.t_pulse), k, step, 1);
            if (n_pot + n_dep > 0) program_pulses(k, n_pot, n_dep, step);
        } else if constexpr (devices::ode_model<M>) {
            ode_update(k, step,
                       [&](double tau) { return wf_.post.value(s_post + tau) - wf_.pre.value(s_pre + tau); });
            refresh_weight(k);
        }
    }

    void querlioz_event(std::uint32_t j, std::int64_t step) {
        const auto t_ltp_steps = static_cast<std::int64_t>(std::floor(q_.t_LTP / dt_ + 1e-9));
        for (std::size_t i = 0; i < n_in_; ++i) {
            const std::size_t k = i * n_out_ + j;
            const bool ltp = pre_start_[i] != never && step - pre_start_[i] <= t_ltp_steps;
            ++stats.device_updates;
            if constexpr (devices::pulse_model<M>) {
                program_pulses(k, ltp ? q_.pulses_pot : 0, ltp ? 0 : q_.pulses_dep, step);
            } else if constexpr (devices::ode_model<M>) {
                const double v = ltp ? q_.v_pot : -q_.v_dep;
                const int n = ltp ? q_.pulses_pot : q_.pulses_dep;
                // A rectangular pulse of t_pulse device seconds, integrated in `substeps` steps.
                for (int m = 0; m < n; ++m) {
                    if (arr_.stuck(k) != devices::stuck_state::none) break;
                    const params& p = arr_.param(k);
                    state x = arr_.state(k);
                    const auto info = M::states();
                    const double h = q_.t_pulse / wf_.substeps;
                    for (int s = 0; s < wf_.substeps; ++s) {
                        devices::linearly_implicit_euler<M>(p, x, orientation_ * v, h);
                        for (std::size_t r = 0; r < N; ++r)
                            x[r] = std::clamp(x[r], info[r].min, info[r].max);
                    }
                    arr_.set_state(k, x);
                }
                refresh_weight(k);
            }
        }
    }

    synapse_config c_;
    double dt_;
    std::uint64_t seed_;
    bool pair_;
    std::size_t n_syn_;
    devices::device_array<M> arr_;
    devices::variability_spec var_;
    std::vector<double> w_;
    std::vector<std::int64_t> pre_start_, post_start_;
    std::vector<char> in_rows_, in_cols_;
    std::vector<std::uint32_t> active_rows_, active_cols_;
    device_stdp_params wf_;
    querlioz_params q_;
    std::int64_t pre_steps_ = 0, post_steps_ = 0;
    double g_on_ = 0.0, g_off_ = 0.0, refresh_g_ = 0.0, orientation_ = 1.0;
};

} // namespace

std::vector<std::string> spread_parameters(const std::string& model) {
    if (model == "neurosim") return {"G_min", "G_max", "A_LTP", "A_LTD"};
    if (model == "soft_bounds") return {"G_min", "G_max", "alpha_up", "alpha_down"};
    if (model == "pcm_cumulative") return {"dw_min", "w_max", "A_up"};
    if (model == "vteam" || model == "team") return {"R_on", "R_off", "k_on", "k_off"};
    if (model == "stanford_pku") return {"v0", "g0", "I0"};
    throw snn_error("d2d_sigma: no list of spread parameters for model '" + model +
                    "'; use d2d_scale with the card's [variability.d2d] instead");
}

devices::variability_spec scaled_variability(const devices::card& c, double scale, double sigma) {
    check_range("d2d_scale", scale, 0.0, 100.0, "", "factor on the card's device-to-device sigmas");
    devices::variability_spec v = c.variability;
    if (sigma >= 0.0) {
        check_range("d2d_sigma", sigma, 0.0, 10.0, "", "relative device-to-device spread");
        v.d2d.clear();
        if (sigma > 0.0)
            for (const auto& name : spread_parameters(c.model))
                v.d2d.push_back({name, devices::spread_distribution::normal, sigma, {c.path, 0}});
    } else {
        for (auto& d : v.d2d)
            d.sigma *= scale;
        std::erase_if(v.d2d, [](const devices::d2d_spec& d) { return d.sigma <= 0.0; });
    }
    return v;
}

std::unique_ptr<synapse_layer> make_device_synapses(const synapse_config& c, std::size_t n_in,
                                                    std::size_t n_out, double dt, std::uint64_t seed) {
    if (c.device_card.empty())
        throw snn_error(std::string("rule ") + to_string(c.rule) +
                        " needs a device card (device_card = NAME)");
    const devices::card card = devices::load_card(c.device_card);
    const auto var = scaled_variability(card, c.d2d_scale, c.d2d_sigma);
    check_range("refresh_fraction", c.refresh_fraction, 0.05, 1.0, "",
                "fraction of the range that triggers a refresh");
    std::unique_ptr<synapse_layer> layer;
    devices::all_models::with(card.model, [&]<class M>() {
        if constexpr (devices::pulse_model<M> || devices::ode_model<M>) {
            const auto nominal = devices::bind<M>(card);
            bool pair = c.pairing == pair_mode::differential ||
                        (c.pairing == pair_mode::automatic && M::name == std::string_view("pcm_cumulative"));
            if (pair && !devices::pulse_model<M>)
                throw snn_error("differential pairs need a pulse-response model, not '" + card.model + "'");
            layer = std::make_unique<device_layer<M>>(c, nominal, var, n_in, n_out, dt, seed, pair);
        } else {
            throw snn_error("device '" + card.model + "' has neither a pulse response nor a state equation");
        }
    });
    return layer;
}

} // namespace memxbar::snn
