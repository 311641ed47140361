// Float-weight synapses with trace STDP (the digital baselines): exact float weights, or weights kept
// on 2^k levels by stochastic rounding (keyed draws). Pre traces are evaluated lazily from the last
// spike; post traces decay per step, and only neurons with a live trace are visited by a pre spike.
#include "snn/trace_synapses.hpp"
#include "snn/errors.hpp"
#include "snn/random_keys.hpp"
#include "snn/synapses.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace memxbar::snn {

namespace {

constexpr double trace_cutoff = 1e-9; // post traces below this are dropped (their effect is < 1e-13)
constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min() / 4;

// Exact float weights.
struct exact_weights {
    static double store(double w, double, std::uint64_t, std::int64_t, std::uint64_t) { return w; }
};

// k-bit weights: unbiased stochastic rounding onto the grid of `levels` values on [0, w_max].
struct kbit_weights {
    double delta; // grid step
    std::uint64_t seed;
    [[nodiscard]] double store(double w, double w_max, std::uint64_t synapse, std::int64_t step,
                               std::uint64_t slot) const {
        const double q = w / delta;
        const double lo = std::floor(q);
        const double frac = q - lo;
        if (frac <= 0.0) return std::min(lo * delta, w_max);
        const devices::random_stream rng(seed, rounding_purpose);
        const double u = rng.uniform(synapse, static_cast<std::uint64_t>(step), slot);
        return std::min((lo + (u < frac ? 1.0 : 0.0)) * delta, w_max);
    }
};

template <class Store> class trace_layer final : public synapse_layer {
  public:
    trace_layer(const synapse_config& c, std::size_t n_in, std::size_t n_out, double dt, std::uint64_t seed,
                Store store)
        : synapse_layer(n_in, n_out), p_(c.stdp), dt_(dt), store_(store), w_(n_in * n_out),
          pre_val_(n_in, 0.0), pre_step_(n_in, never), pre_now_(n_in, 0.0), post1_(n_out, 0.0),
          post2_(n_out, 0.0), post2_step_(n_out, never), live_(n_out, 0) {
        live_list_.reserve(n_out);
        decay_post1_ = std::exp(-dt / p_.tau_post1);
        const devices::random_stream rng(seed, init_purpose);
        for (std::size_t k = 0; k < w_.size(); ++k)
            w_[k] = store_.store(c.w_init_lo + (c.w_init_hi - c.w_init_lo) * rng.uniform(k, 0), p_.w_max, k,
                                 -1, 0);
    }

    void propagate(std::span<const std::uint32_t> rows, std::span<double> out) override {
        add_rows(w_, rows, out);
    }

    void on_pre(std::span<const std::uint32_t> rows, std::int64_t step) override {
        for (const auto i : rows) {
            if (learning) {
                double* row = w_.data() + static_cast<std::size_t>(i) * n_out_;
                for (const auto j : live_list_) {
                    const double w = std::max(row[j] - p_.eta_pre * post1_[j], 0.0);
                    row[j] = store_.store(w, p_.w_max, static_cast<std::size_t>(i) * n_out_ + j, step, 0);
                }
            }
            const double before = pre_trace(i, step);
            pre_val_[i] = p_.accumulate ? before + 1.0 : 1.0;
            pre_step_[i] = step;
        }
    }

    void on_post(std::span<const std::uint32_t> cols, std::int64_t step) override {
        if (cols.empty()) return;
        if (learning) {
            for (std::size_t i = 0; i < n_in_; ++i)
                pre_now_[i] = pre_trace(i, step);
        }
        for (const auto j : cols) {
            const double x2 =
                p_.tau_post2 > 0.0 ? post2_[j] * decay(step - post2_step_[j], p_.tau_post2) : 1.0;
            if (learning) {
                const double a = p_.eta_post * x2;
                for (std::size_t i = 0; i < n_in_; ++i) {
                    if (pre_now_[i] == 0.0) continue;
                    const std::size_t k = i * n_out_ + j;
                    w_[k] = store_.store(std::min(w_[k] + a * pre_now_[i], p_.w_max), p_.w_max, k, step, 1);
                }
            }
            post1_[j] = p_.accumulate ? post1_[j] + 1.0 : 1.0;
            post2_[j] = p_.accumulate ? x2 + 1.0 : 1.0;
            post2_step_[j] = step;
            if (!live_[j]) {
                live_[j] = 1;
                live_list_.push_back(j);
            }
        }
    }

    void advance(std::int64_t) override {
        // post1 traces: one step of decay; dead ones leave the live list (order kept: deterministic).
        std::size_t keep = 0;
        for (std::size_t m = 0; m < live_list_.size(); ++m) {
            const auto j = live_list_[m];
            post1_[j] *= decay_post1_;
            if (post1_[j] < trace_cutoff) {
                post1_[j] = 0.0;
                live_[j] = 0;
            } else {
                live_list_[keep++] = j;
            }
        }
        live_list_.resize(keep);
    }

    [[nodiscard]] std::span<const double> weights() const override { return w_; }
    void set_weights(std::span<const double> w) override {
        check_size(w.size());
        for (std::size_t k = 0; k < w_.size(); ++k)
            w_[k] = std::clamp(w[k], 0.0, p_.w_max);
    }
    bool scale_columns(std::span<const double> f) override {
        for (std::size_t i = 0; i < n_in_; ++i)
            for (std::size_t j = 0; j < n_out_; ++j) {
                const std::size_t k = i * n_out_ + j;
                w_[k] = store_.store(std::min(w_[k] * f[j], p_.w_max), p_.w_max, k, -2, 2);
            }
        return true;
    }
    // Circuit readout of float weights: G = g_off + w g_unit on a 1-25 uS device.
    void conductances(std::span<double> G) const override {
        for (std::size_t k = 0; k < w_.size(); ++k)
            G[k] = g_offset() + w_[k] * g_unit();
    }
    [[nodiscard]] double g_unit() const override { return 24e-6 / p_.w_max; }
    [[nodiscard]] double g_offset() const override { return 1e-6; }

  private:
    [[nodiscard]] double decay(std::int64_t steps, double tau) const {
        return std::exp(-static_cast<double>(steps) * dt_ / tau);
    }
    [[nodiscard]] double pre_trace(std::size_t i, std::int64_t step) const {
        if (pre_step_[i] == never) return 0.0;
        const double x = pre_val_[i] * decay(step - pre_step_[i], p_.tau_pre);
        return x < trace_cutoff ? 0.0 : x;
    }
    void check_size(std::size_t n) const {
        if (n != w_.size())
            throw snn_error("set_weights: " + std::to_string(n) + " weights for " +
                            std::to_string(w_.size()) + " synapses");
    }

    trace_stdp_params p_;
    double dt_, decay_post1_;
    Store store_;
    std::vector<double> w_, pre_val_;
    std::vector<std::int64_t> pre_step_;
    std::vector<double> pre_now_, post1_, post2_;
    std::vector<std::int64_t> post2_step_;
    std::vector<char> live_;
    std::vector<std::uint32_t> live_list_;
};

} // namespace

void validate(const trace_stdp_params& p) {
    check_range("stdp.tau_pre", p.tau_pre, 1e-6, 10.0, "s", "pre-synaptic trace time constant");
    check_range("stdp.tau_post1", p.tau_post1, 1e-6, 10.0, "s", "post-synaptic trace time constant");
    check_range("stdp.tau_post2", p.tau_post2, 0.0, 10.0, "s", "triplet trace time constant, 0 = pair rule");
    check_range("stdp.eta_pre", p.eta_pre, 0.0, 1e3, "", "depression per pre spike");
    check_range("stdp.eta_post", p.eta_post, 0.0, 1e3, "", "potentiation per post spike");
    check_range("stdp.w_max", p.w_max, 1e-12, 1e12, "", "upper weight bound");
}

std::unique_ptr<synapse_layer> make_trace_synapses(const synapse_config& c, std::size_t n_in,
                                                   std::size_t n_out, double dt, std::uint64_t seed) {
    validate(c.stdp);
    if (c.rule == rule_kind::kbit_stdp) {
        check_range("bits", c.bits, 1, 24, "", "weight resolution of the k-bit digital synapse");
        const double levels = std::ldexp(1.0, c.bits) - 1.0;
        return std::make_unique<trace_layer<kbit_weights>>(c, n_in, n_out, dt, seed,
                                                           kbit_weights{c.stdp.w_max / levels, seed});
    }
    auto layer = std::make_unique<trace_layer<exact_weights>>(c, n_in, n_out, dt, seed, exact_weights{});
    if (c.rule == rule_kind::none) layer->learning = false;
    return layer;
}

} // namespace memxbar::snn
