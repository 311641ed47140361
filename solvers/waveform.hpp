// Voltage drives: sine, triangle, pulse trains, DC and piecewise-linear. A waveform knows its
// breakpoints (corners of pulses and PWL segments) so adaptive integrators never step across one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace memxbar::solvers {

struct sine_wave {
    double amplitude = 1.0; // V
    double frequency = 1.0; // Hz
    double phase = 0.0;     // rad
    double offset = 0.0;    // V
};
struct triangle_wave {
    double amplitude = 1.0; // V, peak; starts at 0 rising, like sin
    double frequency = 1.0; // Hz
    double offset = 0.0;    // V
};
struct pulse_train {
    double amplitude = 1.0; // V, pulse level
    double base = 0.0;      // V, level between pulses
    double width = 1e-6;    // s, at full amplitude (excluding edges)
    double period = 2e-6;   // s
    double delay = 0.0;     // s, before the first pulse
    double rise = 0.0;      // s, linear edges; 0 = ideal
    double fall = 0.0;      // s
    long count = 1;         // number of pulses
};
struct pwl_wave {
    std::vector<double> t; // s, strictly increasing
    std::vector<double> v; // V; held constant outside [t.front(), t.back()]
};

class waveform {
  public:
    enum class kind { dc, sine, triangle, pulse, pwl };

    static waveform dc(double level);
    static waveform sine(const sine_wave& s);
    static waveform triangle(const triangle_wave& s);
    static waveform pulses(const pulse_train& s);
    static waveform pwl(pwl_wave s); // throws std::invalid_argument on bad points

    // "sine:amplitude=0.5,frequency=1", "triangle:...", "pulse:amplitude=1,width=1e-6,period=2e-6,count=10",
    // "dc:level=0.1", "pwl:file=drive.csv" (two columns t,v; header optional). Throws std::invalid_argument
    // naming the key, its value and what is allowed.
    static waveform parse(std::string_view spec);

    [[nodiscard]] double operator()(double t) const;
    [[nodiscard]] double derivative(double t) const; // dV/dt, right derivative at corners
    // Times in (t0, t1) where the waveform or its slope jumps, sorted.
    [[nodiscard]] std::vector<double> breakpoints(double t0, double t1) const;
    // A natural duration: 3 periods, the whole pulse train, or the PWL span.
    [[nodiscard]] double natural_duration() const;
    [[nodiscard]] kind type() const { return kind_; }
    [[nodiscard]] const std::string& description() const { return description_; }

  private:
    kind kind_ = kind::dc;
    double level_ = 0.0;
    sine_wave sine_{};
    triangle_wave tri_{};
    pulse_train pulse_{};
    pwl_wave pwl_{};
    std::string description_;
};

} // namespace memxbar::solvers
