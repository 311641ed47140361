// Energy and latency of one analog MVM and of the same MVM on a digital MAC array. Device read energy
// comes from the actual currents of the read; the periphery and digital energies are constants from
// published figures (sources beside each, docs/analog_mvm.md lists them).
#pragma once

#include <string>

namespace memxbar::crossbar {

struct energy_constants {
    // ADC: Walden figure of merit, E = FoM_W 2^bits per conversion. 1.56 pJ for 8 bits follows ISAAC's
    // 8-bit 1.28 GS/s ADC at 2 mW (Shafiee et al., ISCA 2016, Table 1), i.e. 6.1 fJ/step.
    double adc_fom = 6.1e-15; // J per conversion step
    // DAC: ISAAC's 1-bit DACs, 4 mW for 8 x 128 at a 100 ns read cycle: 0.39 pJ per 1-bit conversion;
    // a b-bit conversion is taken as b of them (ISAAC streams b bits through 1-bit DACs), an assumption.
    double dac_energy_1bit = 0.39e-12; // J
    // Sample-and-hold / TIA per column read: ISAAC's S+H, 10 uW for 8 x 128 at 100 ns: ~1 fJ.
    double tia_energy = 1e-15; // J per column per read
    // Digital shift-and-add of partial sums: a 32-bit integer add, 0.1 pJ at 45 nm (Horowitz, ISSCC
    // 2014, "Computing's energy problem").
    double digital_add = 0.1e-12; // J
    // Digital MAC array reference (Horowitz 2014, 45 nm): 8-bit int mult 0.2 pJ + add 0.03 pJ;
    // 32-bit float mult 3.7 pJ + add 0.9 pJ; a 64-bit read of an 8 kB SRAM 10 pJ.
    double int8_mult = 0.2e-12, int8_add = 0.03e-12;
    double fp32_mult = 3.7e-12, fp32_add = 0.9e-12;
    double sram_read_64bit = 10e-12;
    // Latency: one ADC per array converting at 1.28 GS/s (ISAAC); the read time is analog_config::t_read.
    double adc_rate = 1.28e9; // conversions per second per ADC
};

// Per input vector, averaged over the last batch.
struct energy_report {
    double device = 0.0;  // J, sum V I t over every device of every read
    double dac = 0.0;     // J
    double adc = 0.0;     // J
    double tia = 0.0;     // J
    double digital = 0.0; // J, shift-and-add and tile accumulation
    double latency = 0.0; // s, tiles read in parallel, columns of a tile through one ADC in turn
    // The same MVM on a digital MAC array (out x in MACs): compute only, and with every weight read
    // from SRAM (int8: 8 weights per 64-bit read, fp32: 2).
    double digital_int8 = 0.0, digital_int8_sram = 0.0;
    double digital_fp32 = 0.0, digital_fp32_sram = 0.0;
    [[nodiscard]] double analog_total() const { return device + dac + adc + tia + digital; }
    [[nodiscard]] std::string summary() const;
};

// Energies of one conversion.
double adc_energy(const energy_constants& k, int bits);
double dac_energy(const energy_constants& k, int bits);
// Digital MAC-array energies of an out x in MVM, filled into r.
void digital_reference(const energy_constants& k, long out, long in, energy_report& r);

} // namespace memxbar::crossbar
