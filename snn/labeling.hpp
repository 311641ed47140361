// Labeling and evaluation of an unsupervised network (Diehl & Cook 2015): each neuron takes the class
// for which its mean response over a labeled set is highest; an image is assigned the class whose
// neurons respond most, summed over the class's neurons and divided by their number.
#pragma once

#include "snn/network.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace memxbar::snn {

// Label per neuron, -1 for a neuron that never fired. labels.size() == r.n_images, labels < n_classes.
std::vector<int> assign_labels(const response_matrix& r, std::span<const std::uint8_t> labels, int n_classes);
// Predicted class per image; -1 where no labeled neuron fired (counted as wrong).
std::vector<int> classify(const response_matrix& r, std::span<const int> neuron_labels, int n_classes);
double accuracy(std::span<const int> predicted, std::span<const std::uint8_t> labels);

struct evaluation {
    std::vector<int> neuron_labels;
    std::vector<int> predicted;
    double accuracy = 0.0;
    response_matrix label_responses, test_responses;
};

// Label the neurons on `label_set`, then classify `test_set` (both without learning, theta frozen).
evaluation evaluate(network& net, const image_set& label_set, const image_set& test_set, int n_classes = 10,
                    const progress_fn& on_progress = {});

} // namespace memxbar::snn
