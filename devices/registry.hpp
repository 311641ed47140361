// The one list of models. A model is chosen at run time once (by card), then everything inside runs as
// a template on that model: dynamic dispatch per array, static dispatch per element.
#pragma once

#include "devices/card.hpp"
#include "devices/hp_linear_drift.hpp"
#include "devices/neurosim_pulse.hpp"
#include "devices/pcm_cumulative.hpp"
#include "devices/pcm_electrothermal.hpp"
#include "devices/pcm_statistical.hpp"
#include "devices/soft_bounds.hpp"
#include "devices/stanford_pku.hpp"
#include "devices/team.hpp"
#include "devices/yakopcic.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace memxbar::devices {

template <class... Ms> struct model_list {
    // Calls f.template operator()<M>() for the model named `name`; throws card_error otherwise.
    template <class F> static decltype(auto) with(std::string_view name, F&& f) {
        using result = decltype(f.template operator()<std::tuple_element_t<0, std::tuple<Ms...>>>());
        if constexpr (std::is_void_v<result>) {
            const bool found = ((name == Ms::name ? (f.template operator()<Ms>(), true) : false) || ...);
            if (!found) throw unknown(name);
        } else {
            std::optional<result> r;
            ((name == Ms::name ? (r.emplace(f.template operator()<Ms>()), true) : false) || ...);
            if (!r) throw unknown(name);
            return std::move(*r);
        }
    }
    template <class F> static void for_each(F&& f) { (f.template operator()<Ms>(), ...); }
    static std::string names() {
        std::string s;
        ((s += (s.empty() ? "" : ", ") + std::string(Ms::name)), ...);
        return s;
    }

  private:
    static card_error unknown(std::string_view name) {
        return card_error("unknown model '" + std::string(name) + "'; known: " + names());
    }
};

using all_models = model_list<hp_linear_drift, team, vteam, yakopcic, stanford_pku, pcm_electrothermal,
                              pcm_statistical, neurosim_pulse, soft_bounds, pcm_cumulative>;

} // namespace memxbar::devices
