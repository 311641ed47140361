// The periphery of an analog array: the input DAC that turns a number into a row voltage, the
// transimpedance amplifier (TIA) that turns a column current into a voltage, and the output ADC.
// Everything is a pure function of its inputs, so the engine calls them in its inner loops.
#pragma once

#include <algorithm>
#include <cmath>

namespace memxbar::crossbar {

// How an input number reaches the rows (docs/analog_mvm.md).
//  amplitude:   V = x V_read, one read of duration t_read;
//  pulse_width: V = +-V_read for a time |code| / L t_read: same charge as amplitude on a linear array,
//               different energy and latency;
//  bit_serial:  one read per magnitude bit of the code, each plane at 0 or +-V_read, each digitised by
//               the ADC on its own and shifted and added digitally.
enum class dac_encoding { amplitude, pulse_width, bit_serial };

// Signed mid-tread quantizer with L = 2^(bits-1) - 1 steps each side of zero: codes -L..L, step
// full_scale / L. Inside [-full_scale, full_scale] the error is at most half a step; outside, clipped.
struct midtread_quantizer {
    int bits = 8;
    [[nodiscard]] double levels() const { return std::ldexp(1.0, bits - 1) - 1.0; } // L
    // The integer code of v (as a double), clipped to [-L, L].
    [[nodiscard]] double code(double v, double full_scale) const {
        const double L = levels();
        return std::clamp(std::nearbyint(v / full_scale * L), -L, L);
    }
    [[nodiscard]] double quantize(double v, double full_scale) const {
        return code(v, full_scale) * full_scale / levels();
    }
    [[nodiscard]] double lsb(double full_scale) const { return full_scale / levels(); }
};

// Input DAC: maps a normalised input u in [-1, 1] to a row voltage in [-V_read, V_read].
struct dac_spec {
    int bits = 8;
    bool ideal = false;  // no quantization (infinite resolution)
    double V_read = 0.2; // V, the largest read voltage (below every card's switching threshold)
    dac_encoding encoding = dac_encoding::amplitude;

    // u quantized (or not) and clipped to [-1, 1], before scaling by V_read.
    [[nodiscard]] double normalised(double u) const {
        if (ideal) return std::clamp(u, -1.0, 1.0);
        return midtread_quantizer{bits}.quantize(u, 1.0);
    }
    [[nodiscard]] double voltage(double u) const { return V_read * normalised(u); }
};

// Transimpedance amplifier: V_out = R_tia I (an ideal virtual ground at the column's sense node).
struct tia_spec {
    double R_tia = 1e3; // ohm
    [[nodiscard]] double voltage(double current) const { return R_tia * current; }
};

// How the ADC full scale is chosen: fixed (adc_range volts), or calibrated per tile from a calibration
// batch (the largest |V_out| seen; see analog_mvm::calibrate).
enum class adc_range_mode { fixed, calibrated };

// Output ADC: a signed mid-tread quantizer over [-full_scale, full_scale] V, clipping outside.
struct adc_spec {
    int bits = 8;
    bool ideal = false; // no quantization and no clipping
    adc_range_mode range_mode = adc_range_mode::calibrated;
    double range = 1.0; // V, full scale in fixed mode
    [[nodiscard]] double convert(double v, double full_scale) const {
        if (ideal) return v;
        return midtread_quantizer{bits}.quantize(v, full_scale);
    }
};

} // namespace memxbar::crossbar
