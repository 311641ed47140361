#include "crossbar/energy.hpp"

#include <cmath>
#include <sstream>

namespace memxbar::crossbar {

double adc_energy(const energy_constants& k, int bits) {
    return k.adc_fom * std::ldexp(1.0, bits);
}

double dac_energy(const energy_constants& k, int bits) {
    return k.dac_energy_1bit * static_cast<double>(bits);
}

void digital_reference(const energy_constants& k, long out, long in, energy_report& r) {
    const double macs = static_cast<double>(out) * static_cast<double>(in);
    r.digital_int8 = macs * (k.int8_mult + k.int8_add);
    r.digital_fp32 = macs * (k.fp32_mult + k.fp32_add);
    r.digital_int8_sram = r.digital_int8 + macs / 8.0 * k.sram_read_64bit;
    r.digital_fp32_sram = r.digital_fp32 + macs / 2.0 * k.sram_read_64bit;
}

std::string energy_report::summary() const {
    std::ostringstream s;
    s.precision(4);
    s << "analog MVM per vector: " << analog_total() << " J (devices " << device << ", DAC " << dac
      << ", ADC " << adc << ", TIA " << tia << ", digital " << digital << "), latency " << latency
      << " s; digital MAC array: int8 " << digital_int8 << " J (" << digital_int8_sram << " with SRAM), fp32 "
      << digital_fp32 << " J (" << digital_fp32_sram << " with SRAM)";
    return s.str();
}

} // namespace memxbar::crossbar
