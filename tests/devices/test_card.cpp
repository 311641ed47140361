// Card loading: every shipped card binds to its model; each kind of bad card is a clear error.
#include "devices/registry.hpp"

#include <catch2/catch.hpp>

using namespace memxbar::devices;
using Catch::Matchers::Contains;

TEST_CASE("every shipped card loads, names its source and binds to its model") {
    const auto names = card_names();
    REQUIRE(names.size() >= 20);
    for (const auto& name : names) {
        INFO(name);
        const auto c = load_card(name);
        CHECK_FALSE(c.source.empty());
        CHECK_FALSE(c.description.empty());
        CHECK_NOTHROW(all_models::with(c.model, [&]<class M>() { (void)bind<M>(c); }));
    }
}

TEST_CASE("every model's defaults lie inside its own parameter table and validate") {
    all_models::for_each([]<class M>() {
        const typename M::params p{};
        for (const auto& info : M::parameters()) {
            INFO(M::name << "." << info.name);
            CHECK(p.*(info.field) >= info.min);
            CHECK(p.*(info.field) <= info.max);
            CHECK_FALSE(info.unit.empty());
            CHECK_FALSE(info.description.empty());
        }
        if constexpr (requires { M::validate(p); }) CHECK(M::validate(p).empty());
    });
}

TEST_CASE("bad cards: syntax, unknown keys, wrong types, bad variability") {
    CHECK_THROWS_WITH(parse_card("model = \"hp\"\n[parameters\n", "a.toml"),
                      Contains("a.toml:2") && Contains("syntax"));
    CHECK_THROWS_WITH(parse_card("[parameters]\nR_on = 1.0\n", "a.toml"), Contains("missing 'model"));
    CHECK_THROWS_WITH(parse_card("model = \"hp\"\ncolour = 3\n", "a.toml"),
                      Contains("a.toml:2") && Contains("unknown key 'colour'"));
    CHECK_THROWS_WITH(parse_card("model = 3\n", "a.toml"), Contains("'model' must be a string"));
    CHECK_THROWS_WITH(parse_card("model = \"hp\"\n[parameters]\nR_on = [1, 2]\n", "a.toml"),
                      Contains("a.toml:3") && Contains("R_on"));
    CHECK_THROWS_WITH(parse_card("model = \"hp\"\n[variability]\nc2c = 0.1\n", "a.toml"),
                      Contains("a.toml:3") && Contains("variability.c2c") && Contains("c2c_sigma"));
    CHECK_THROWS_WITH(parse_card("model = \"hp\"\n[variability]\nstuck_on_fraction = 1.5\n", "a.toml"),
                      Contains("a.toml:3") && Contains("1.5") && Contains("[0, 1]"));
    CHECK_THROWS_WITH(
        parse_card("model = \"hp\"\n[variability]\nstuck_on_fraction = 0.6\nstuck_off_fraction = 0.6\n",
                   "a.toml"),
        Contains("exceeds 1"));
    CHECK_THROWS_WITH(parse_card("model = \"hp\"\n[variability]\nlevels = 1\n", "a.toml"),
                      Contains("levels"));
    CHECK_THROWS_WITH(
        parse_card("model = \"hp\"\n[variability.d2d]\nR_on = { distribution = \"cauchy\", sigma = 0.1 }\n",
                   "a.toml"),
        Contains("a.toml:3") && Contains("lognormal"));
    CHECK_THROWS_WITH(parse_card("model = \"hp\"\n[variability]\nread_noise_sigma = nan\n", "a.toml"),
                      Contains("a.toml:3"));
    // d2d over a parameter the model does not have
    const auto c = parse_card("model = \"hp\"\n[variability.d2d]\nk_off = { sigma = 0.1 }\n", "a.toml");
    CHECK_THROWS_WITH(bind<hp_linear_drift>(c), Contains("a.toml:3") && Contains("k_off"));
    // a card for another model
    CHECK_THROWS_WITH(bind<hp_linear_drift>(parse_card("model = \"vteam\"\n", "a.toml")),
                      Contains("not 'hp'"));
    CHECK_THROWS_WITH(all_models::with("nope", []<class M>() {}),
                      Contains("unknown model 'nope'") && Contains("vteam"));
    // cross-parameter validation
    CHECK_THROWS_WITH(
        bind<hp_linear_drift>(parse_card("model = \"hp\"\n[parameters]\nR_on = 2e4\n", "a.toml")),
        Contains("R_on must be below R_off"));
}

TEST_CASE("--set overrides take precedence and are validated like card values") {
    auto c = load_card("hp_biolek");
    apply_override(c, "R_on=200");
    apply_override(c, "window=joglekar");
    const auto p = bind<hp_linear_drift>(c);
    CHECK(p.R_on == 200.0);
    CHECK(p.window == static_cast<double>(hp_linear_drift::joglekar));
    apply_override(c, "window=hann");
    CHECK_THROWS_WITH(bind<hp_linear_drift>(c), Contains("--set") && Contains("hann") && Contains("biolek"));
    CHECK_THROWS_WITH(apply_override(c, "novalue"), Contains("key=value"));
}
