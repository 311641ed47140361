// The default experiment: every shipped card driven the way its paper shows it. One row per figure;
// the same table makes docs/figures (docs/make_figures.sh) and `memxbar run`.
#pragma once

#include <array>
#include <string_view>

namespace memxbar::experiments {

struct gallery_entry {
    std::string_view card;
    std::string_view mode;     // "trace", "pulses" or "drift"
    std::string_view drive;    // --waveform or --pulses spec (drift: --targets, "" for the default)
    std::string_view duration; // --duration for traces ("" = the waveform's natural duration)
    std::string_view extra;    // further options, e.g. "--r-series 50"
};

inline constexpr std::array<gallery_entry, 21> gallery = {{
    {"hp_biolek", "trace", "sine:amplitude=1.2,frequency=1", "3", ""},
    {"hp_joglekar", "trace", "sine:amplitude=1.2,frequency=1", "3", ""},
    {"hp_prodromakis", "trace", "sine:amplitude=1.2,frequency=1", "3", ""},
    {"hp_nowindow", "trace", "sine:amplitude=1,frequency=1", "3", ""},
    {"team_xyce", "trace", "sine:amplitude=1,frequency=1e3", "2e-3", "--r-series 50"},
    {"vteam_memtorch", "trace", "sine:amplitude=1,frequency=5e6", "6e-7", ""},
    {"yakopcic_oblea", "trace", "sine:amplitude=0.5,frequency=100", "0.03", "--r-series 50"},
    {"yakopcic_memdiode", "trace", "sine:amplitude=1.5,frequency=1", "3", "--r-series 50"},
    {"stanford_pku", "trace", "sine:amplitude=1.5,frequency=1e3", "2e-3", ""},
    {"stanford_pku_dynamic", "trace", "sine:amplitude=1.5,frequency=1e6", "1e-5", ""},
    {"pcm_gst", "trace", "sine:amplitude=1.45,frequency=2e6", "1e-6", ""},
    {"pcm_joshi2020", "drift", "", "", "--devices 4000"},
    {"neurosim_agsi", "pulses", "amplitude=3.2,width=300e-6,count=97;amplitude=-2.8,width=300e-6,count=100",
     "", ""},
    {"neurosim_taox_hfox", "pulses",
     "amplitude=1.6,width=50e-9,count=128;amplitude=-1.6,width=50e-9,count=128", "", ""},
    {"neurosim_pcmo", "pulses", "amplitude=2,width=1e-3,count=50;amplitude=-2,width=1e-3,count=50", "", ""},
    {"neurosim_alox_hfo2", "pulses", "amplitude=0.9,width=100e-6,count=40;amplitude=-1,width=100e-6,count=40",
     "", ""},
    {"neurosim_gst", "pulses", "amplitude=0.7,width=6e-6,count=100;amplitude=-3,width=125e-9,count=120", "",
     ""},
    {"neurosim_epiram", "pulses", "amplitude=5,width=5e-6,count=64;amplitude=-3,width=5e-6,count=64", "", ""},
    {"neurosim_hzo_fefet", "pulses",
     "amplitude=3.65,width=75e-9,count=32;amplitude=-2.95,width=75e-9,count=32", "", ""},
    {"soft_bounds_default", "pulses", "amplitude=1,width=1e-6,count=2000;amplitude=-1,width=1e-6,count=2000",
     "", ""},
    {"pcm_boybat2018", "pulses", "amplitude=1,width=1e-6,count=100;amplitude=-1,width=1e-6,count=1", "", ""},
}};

} // namespace memxbar::experiments
