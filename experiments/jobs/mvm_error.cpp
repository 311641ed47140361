// mvm_error: how far the analog engine's product is from the exact W x for a random weight matrix and
// random inputs, with every non-ideality the config switches on (device card, programming noise,
// read noise, DAC/ADC bits, IR drop, drift and its compensation); plus energy per MVM against digital.
#include "devices/random_stream.hpp"
#include "experiments/jobs/analog_params.hpp"
#include "experiments/jobs/jobs.hpp"

namespace memxbar::experiments {

namespace {

std::vector<row> run(const point& p, const job_context&) {
    const auto rows = static_cast<Eigen::Index>(p.integer("outputs"));
    const auto cols = static_cast<Eigen::Index>(p.integer("inputs"));
    const auto batch = static_cast<Eigen::Index>(p.integer("vectors"));
    // Weights uniform in [-1, 1], inputs uniform in [0, 1] (post-ReLU activations): keyed draws.
    const devices::random_stream draw(p.seed(), devices::purpose::user);
    Eigen::MatrixXd W(rows, cols), X(cols, batch);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j)
            W(i, j) = 2.0 * draw.uniform(static_cast<std::uint64_t>(i * cols + j), 0) - 1.0;
    for (Eigen::Index j = 0; j < cols; ++j)
        for (Eigen::Index k = 0; k < batch; ++k)
            X(j, k) = draw.uniform(static_cast<std::uint64_t>(j), static_cast<std::uint64_t>(k + 1));
    try {
        crossbar::analog_mvm mvm(W, analog_config_of(p));
        mvm.calibrate(X);
        const Eigen::MatrixXd Y = mvm.apply(X);
        const Eigen::MatrixXd Y0 = W * X;
        const double rel = (Y - Y0).norm() / Y0.norm();
        const double max_rel = (Y - Y0).cwiseAbs().maxCoeff() / Y0.cwiseAbs().maxCoeff();
        const auto& e = mvm.energy();
        const double per = 1.0 / static_cast<double>(batch);
        return {{rel, max_rel, e.analog_total() * per, e.digital_int8_sram * per, e.digital_fp32_sram * per,
                 e.latency, static_cast<std::int64_t>(mvm.programming().pulses_total),
                 mvm.programming().energy_total}};
    } catch (const std::exception& ex) {
        throw job_error(ex.what());
    }
}

} // namespace

job make_mvm_error_job() {
    job j;
    j.name = "mvm_error";
    j.summary =
        "error and energy of the analog MVM engine against the exact product, for a random W and inputs";
    j.params = {
        {"outputs", value_kind::integer, std::int64_t{128}, 1, 65536, "", "rows of W (outputs)", {}},
        {"inputs", value_kind::integer, std::int64_t{128}, 1, 65536, "", "columns of W (inputs)", {}},
        {"vectors", value_kind::integer, std::int64_t{64}, 1, 1000000, "", "input vectors per run", {}},
    };
    for (auto& q : analog_params())
        j.params.push_back(std::move(q));
    j.columns = {"rel_error",   "max_rel_error", "energy_analog",  "energy_int8",
                 "energy_fp32", "latency",       "program_pulses", "program_energy"};
    j.column_units = {"", "", "J", "J", "J", "s", "", "J"};
    j.run = run;
    j.validate = [](const point& p) {
        try {
            analog_config_of(p).validate();
        } catch (const std::exception& e) {
            throw job_error(e.what());
        }
    };
    return j;
}

} // namespace memxbar::experiments
