// The jobs memxbar ships; experiments/job_registry.cpp lists them. One file per job in this folder.
#pragma once

#include "experiments/job.hpp"

namespace memxbar::experiments {

job make_device_response_job();    // device_response.cpp: I-V traces, pulse responses, PCM drift
job make_crossbar_ir_drop_job();   // crossbar_ir_drop.cpp: MVM error from wire resistance vs array size
job make_mvm_error_job();          // mvm_error.cpp: analog MVM engine error and energy vs non-idealities
job make_inference_accuracy_job(); // inference_accuracy.cpp: MLP accuracy, float/int8/int4/analog (issue 5)
job make_stdp_window_job();        // stdp_window.cpp: STDP window of a rule or device card (issue 6)
job make_snn_accuracy_job();       // snn_accuracy.cpp: unsupervised spiking network accuracy (issue 6)

} // namespace memxbar::experiments
