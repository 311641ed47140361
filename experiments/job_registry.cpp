#include "experiments/job.hpp"
#include "experiments/jobs/jobs.hpp"

namespace memxbar::experiments {

const std::vector<job>& all_jobs() {
    static const std::vector<job> jobs = {
        make_device_response_job(),    make_crossbar_ir_drop_job(), make_mvm_error_job(),
        make_inference_accuracy_job(), make_stdp_window_job(),      make_snn_accuracy_job(),
    };
    return jobs;
}

} // namespace memxbar::experiments
