// Drives: values at known points, breakpoints, and clear errors for bad specs.
#include "solvers/waveform.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>

using Catch::Matchers::Contains;
using memxbar::solvers::waveform;

TEST_CASE("sine and triangle take their textbook values") {
    const auto s = waveform::parse("sine:amplitude=0.5,frequency=2");
    CHECK(s(0.125) == Approx(0.5).epsilon(1e-15));
    CHECK(s(0.375) == Approx(-0.5).epsilon(1e-15));
    CHECK(s.derivative(0.0) == Approx(0.5 * 2 * std::numbers::pi * 2));
    const auto t = waveform::parse("triangle:amplitude=1,frequency=1");
    CHECK(t(0.125) == Approx(0.5));
    CHECK(t(0.25) == Approx(1.0));
    CHECK(t(0.5) == Approx(0.0).margin(1e-15));
    CHECK(t(0.75) == Approx(-1.0));
    CHECK(t.derivative(0.1) == Approx(4.0));
    CHECK(t.derivative(0.4) == Approx(-4.0));
    const auto bp = t.breakpoints(0.0, 1.0);
    REQUIRE(bp.size() == 2);
    CHECK(bp[0] == Approx(0.25));
    CHECK(bp[1] == Approx(0.75));
}

TEST_CASE("pulse trains have levels, edges and breakpoints at the corners") {
    const auto p = waveform::parse(
        "pulse:amplitude=2,base=-0.1,width=1e-6,period=4e-6,delay=1e-6,rise=1e-7,fall=2e-7,count=3");
    CHECK(p(0.5e-6) == -0.1);
    CHECK(p(1.05e-6) == Approx(-0.1 + 2.1 * 0.5));
    CHECK(p(1.5e-6) == 2.0);
    CHECK(p(2.2e-6) == Approx(2.0 - 2.1 * 0.5));
    CHECK(p(3e-6) == -0.1);
    CHECK(p(9.5e-6) == 2.0);   // third pulse
    CHECK(p(13.5e-6) == -0.1); // after the train
    CHECK(p.breakpoints(0.0, 1.0).size() == 12);
    CHECK(p.natural_duration() == Approx(13e-6));
}

TEST_CASE("piecewise-linear drives read from CSV with an optional header") {
    const char* path = "test_waveform_pwl.csv";
    {
        std::ofstream f(path);
        f << "t,v\n0,0\n1,1\n3,-1\n";
    }
    const auto w = waveform::parse(std::string("pwl:file=") + path);
    CHECK(w(0.5) == Approx(0.5));
    CHECK(w(2.0) == Approx(0.0).margin(1e-15));
    CHECK(w(5.0) == -1.0);
    CHECK(w.derivative(2.0) == Approx(-1.0));
    {
        std::ofstream f(path);
        f << "0,0\n1,1\n1,2\n";
    }
    CHECK_THROWS_WITH(waveform::parse(std::string("pwl:file=") + path), Contains("increase strictly"));
    {
        std::ofstream f(path);
        f << "0,0\n1,abc\n";
    }
    CHECK_THROWS_WITH(waveform::parse(std::string("pwl:file=") + path), Contains(":2:"));
    std::remove(path);
}

TEST_CASE("bad waveform specs name the key and what is allowed") {
    CHECK_THROWS_WITH(waveform::parse("square:amplitude=1"), Contains("unknown type 'square'"));
    CHECK_THROWS_WITH(waveform::parse("sine:amplitude=1,freq=2"), Contains("unknown key 'freq'"));
    CHECK_THROWS_WITH(waveform::parse("sine:frequency=-1"), Contains("must be > 0"));
    CHECK_THROWS_WITH(waveform::parse("sine:amplitude=abc"), Contains("'abc' is not a number"));
    CHECK_THROWS_WITH(waveform::parse("pulse:width=1e-6,period=1e-7"), Contains("period"));
    CHECK_THROWS_WITH(waveform::parse("pulse:count=2.5"), Contains("count"));
    CHECK_THROWS_WITH(waveform::parse("pwl:file=/nonexistent/x.csv"), Contains("x.csv"));
}
