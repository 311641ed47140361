#include "experiments/jobs/analog_params.hpp"

namespace memxbar::experiments {

std::vector<param_spec> analog_params(const std::string& prefix) {
    const auto& x = prefix;
    return {
        {"card",
         value_kind::text,
         std::string(""),
         0,
         0,
         "",
         x + "device card (\"\": ideal linear device on [G_min, G_max])",
         {}},
        {"G_min", value_kind::real, 1e-6, 0.0, 1.0, "S", x + "smallest conductance (card \"\")", {}},
        {"G_max", value_kind::real, 25e-6, 0.0, 1.0, "S", x + "largest conductance (card \"\")", {}},
        {"mapping",
         value_kind::text,
         std::string("differential"),
         0,
         0,
         "",
         x + "signed weights as G+ - G- pairs or against an offset column",
         {"differential", "offset"}},
        {"tile",
         value_kind::integer,
         std::int64_t{256},
         -65536,
         65536,
         "",
         x + "array size (tile rows = cols; larger than the matrix is fine)",
         {}},
        {"programming",
         value_kind::text,
         std::string("statistical"),
         0,
         0,
         "",
         x + "ideal, statistical (the card's noise or programming_sigma) or write_verify",
         {"ideal", "statistical", "write_verify"}},
        {"programming_sigma",
         value_kind::real,
         0.0,
         0.0,
         1.0,
         "",
         x + "programming error (static, per device), fraction of G_max - G_min",
         {}},
        {"read_noise",
         value_kind::real,
         0.0,
         0.0,
         1.0,
         "",
         x + "extra white read noise, relative to each conductance",
         {}},
        {"card_read_noise", value_kind::boolean, true, 0, 0, "", x + "apply the card's own read noise", {}},
        {"dac_bits",
         value_kind::integer,
         std::int64_t{8},
         0,
         24,
         "",
         x + "input DAC resolution (0 is an error; see dac_ideal)",
         {}},
        {"dac_ideal", value_kind::boolean, false, 0, 0, "", x + "ideal input DAC (dac_bits ignored)", {}},
        {"adc_bits",
         value_kind::integer,
         std::int64_t{8},
         0,
         24,
         "",
         x + "output ADC resolution (0 is an error; see adc_ideal)",
         {}},
        {"adc_ideal", value_kind::boolean, false, 0, 0, "", x + "ideal output ADC (adc_bits ignored)", {}},
        {"read",
         value_kind::text,
         std::string("ideal"),
         0,
         0,
         "",
         x + "array product: ideal, exact (circuit solve with IR drop) or fast (approximate IR drop)",
         {"ideal", "exact", "fast"}},
        {"r_wire",
         value_kind::real,
         1.0,
         0.0,
         1e6,
         "ohm",
         x + "wire resistance per segment (read = exact or fast)",
         {}},
        {"drift_time",
         value_kind::real,
         0.0,
         0.0,
         1e10,
         "s",
         x + "time since programming of the reads (PCM drift)",
         {}},
        {"drift_compensation", value_kind::boolean, true, 0, 0, "", x + "global drift compensation", {}},
    };
}

crossbar::analog_config analog_config_of(const point& p) {
    crossbar::analog_config c;
    c.card = p.text("card");
    c.G_min = p.real("G_min");
    c.G_max = p.real("G_max");
    c.mapping = p.text("mapping") == "offset" ? crossbar::mapping_scheme::offset
                                              : crossbar::mapping_scheme::differential;
    c.tile_rows = c.tile_cols = static_cast<long>(p.integer("tile"));
    const auto& prog = p.text("programming");
    c.programming = prog == "ideal"         ? crossbar::programming_mode::ideal
                    : prog == "statistical" ? crossbar::programming_mode::statistical
                                            : crossbar::programming_mode::write_verify;
    c.programming_sigma = p.real("programming_sigma");
    c.read_noise = p.real("read_noise") > 0.0 || p.boolean("card_read_noise");
    c.read_noise_extra = p.real("read_noise");
    c.dac_bits = static_cast<int>(p.integer("dac_bits"));
    c.dac_ideal = p.boolean("dac_ideal");
    c.adc_bits = static_cast<int>(p.integer("adc_bits"));
    c.adc_ideal = p.boolean("adc_ideal");
    const auto& mode = p.text("read");
    c.mode = mode == "ideal"   ? crossbar::read_mode::ideal
             : mode == "exact" ? crossbar::read_mode::exact
                               : crossbar::read_mode::fast;
    c.r_wire = p.real("r_wire");
    c.drift_time = p.real("drift_time");
    c.drift_compensation = p.boolean("drift_compensation");
    c.seed = p.seed();
    return c;
}

} // namespace memxbar::experiments
