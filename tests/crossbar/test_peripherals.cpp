// DAC, TIA and ADC on their own: quantization error within half an LSB inside the range, clipping
// outside, and the ideal converters passing values through untouched.
#include "crossbar/peripherals.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace memxbar::crossbar;

TEST_CASE("mid-tread quantizer: error at most half an LSB inside the range, clipped outside",
          "[peripherals]") {
    for (int bits : {2, 4, 8, 12}) {
        const midtread_quantizer q{bits};
        const double fs = 0.7;
        const double lsb = q.lsb(fs);
        REQUIRE(lsb == Approx(fs / (std::ldexp(1.0, bits - 1) - 1.0)));
        for (int k = 0; k <= 2000; ++k) {
            const double v = -fs + 2.0 * fs * k / 2000.0;
            // 1e-12 lsb: rounding of v / fs * L in double precision.
            REQUIRE(std::abs(q.quantize(v, fs) - v) <= 0.5 * lsb * (1.0 + 1e-12));
        }
        REQUIRE(q.quantize(5.0 * fs, fs) == Approx(fs));
        REQUIRE(q.quantize(-5.0 * fs, fs) == Approx(-fs));
        REQUIRE(q.quantize(0.0, fs) == 0.0); // mid-tread: zero is a code
    }
}

TEST_CASE("DAC maps [-1, 1] onto [-V_read, V_read] within half an LSB; ideal DAC is exact", "[peripherals]") {
    dac_spec dac;
    dac.bits = 6;
    dac.V_read = 0.25;
    const double lsb_v = dac.V_read / 31.0;
    for (int k = 0; k <= 500; ++k) {
        const double u = -1.0 + 2.0 * k / 500.0;
        REQUIRE(std::abs(dac.voltage(u) - dac.V_read * u) <= 0.5 * lsb_v * (1.0 + 1e-12));
    }
    REQUIRE(dac.voltage(3.0) == Approx(0.25)); // clipped
    dac.ideal = true;
    REQUIRE(dac.voltage(0.123456789) == 0.25 * 0.123456789);
}

TEST_CASE("TIA and ADC: V = R I, quantized and clipped to the full scale", "[peripherals]") {
    const tia_spec tia{2e3};
    REQUIRE(tia.voltage(1e-4) == Approx(0.2));
    adc_spec adc;
    adc.bits = 5;
    const double fs = 1.0, lsb = 1.0 / 15.0;
    for (int k = 0; k <= 300; ++k) {
        const double v = -1.0 + 2.0 * k / 300.0;
        REQUIRE(std::abs(adc.convert(v, fs) - v) <= 0.5 * lsb * (1.0 + 1e-12));
    }
    REQUIRE(adc.convert(2.0, fs) == Approx(1.0));
    adc.ideal = true;
    REQUIRE(adc.convert(2.0, fs) == 2.0);
}
