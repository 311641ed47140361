// The read path shared by the pulse-response models, whose single state is the conductance G itself:
// an ohmic read, I = G v.
#pragma once

#include "devices/model.hpp"

namespace memxbar::devices {

struct ohmic_conductance {
    template <class P> static double current(const P&, const state_vec<1>& x, double v) { return x[0] * v; }
    template <class P> static double di_dv(const P&, const state_vec<1>& x, double) { return x[0]; }
    template <class P> static void di_dx(const P&, const state_vec<1>&, double v, state_vec<1>& out) {
        out[0] = v;
    }
};

} // namespace memxbar::devices
