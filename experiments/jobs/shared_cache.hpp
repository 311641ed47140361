// What several points of a run share and only one should build (a loaded data set, a trained network):
// one entry per key and process, built by the first caller while the others wait, then shared
// read-only. A failed build fails every caller with the same message.
#pragma once

#include "experiments/job.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace memxbar::experiments {

template <class T> class shared_cache {
  public:
    template <class Build> static std::shared_ptr<const T> get(const std::string& key, Build&& build) {
        std::shared_ptr<entry> e;
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            auto& slot = entries_[key];
            if (!slot) slot = std::make_shared<entry>();
            e = slot;
        }
        std::call_once(e->once, [&] {
            try {
                e->value = build();
            } catch (const std::exception& ex) {
                e->error = ex.what();
            }
        });
        if (!e->value) throw job_error(e->error);
        return e->value;
    }

  private:
    struct entry {
        std::once_flag once;
        std::shared_ptr<const T> value;
        std::string error;
    };
    static inline std::mutex mutex_;
    static inline std::map<std::string, std::shared_ptr<entry>> entries_;
};

} // namespace memxbar::experiments
