#include "snn/labeling.hpp"

#include "snn/errors.hpp"

#include <string>

namespace memxbar::snn {

std::vector<int> assign_labels(const response_matrix& r, std::span<const std::uint8_t> labels,
                               int n_classes) {
    if (labels.size() != r.n_images)
        throw snn_error("assign_labels: " + std::to_string(labels.size()) + " labels for " +
                        std::to_string(r.n_images) + " images");
    check_range("n_classes", n_classes, 1, 1e6, "", "number of classes");
    const auto nc = static_cast<std::size_t>(n_classes);
    std::vector<double> sum(nc * r.n_neurons, 0.0);
    std::vector<double> seen(nc, 0.0);
    for (std::size_t k = 0; k < r.n_images; ++k) {
        const std::size_t c = labels[k];
        if (c >= nc) throw snn_error("assign_labels: label " + std::to_string(c) + " >= n_classes");
        seen[c] += 1.0;
        const auto row = r.row(k);
        for (std::size_t j = 0; j < r.n_neurons; ++j)
            sum[c * r.n_neurons + j] += row[j];
    }
    std::vector<int> label(r.n_neurons, -1);
    for (std::size_t j = 0; j < r.n_neurons; ++j) {
        double best = 0.0;
        for (std::size_t c = 0; c < nc; ++c) {
            if (seen[c] == 0.0) continue;
            const double mean = sum[c * r.n_neurons + j] / seen[c];
            if (mean > best) {
                best = mean;
                label[j] = static_cast<int>(c);
            }
        }
    }
    return label;
}

std::vector<int> classify(const response_matrix& r, std::span<const int> neuron_labels, int n_classes) {
    if (neuron_labels.size() != r.n_neurons) throw snn_error("classify: one label per neuron needed");
    const auto nc = static_cast<std::size_t>(n_classes);
    std::vector<double> members(nc, 0.0), score(nc);
    for (const int l : neuron_labels)
        if (l >= 0 && static_cast<std::size_t>(l) < nc) members[static_cast<std::size_t>(l)] += 1.0;
    std::vector<int> out(r.n_images, -1);
    for (std::size_t k = 0; k < r.n_images; ++k) {
        std::fill(score.begin(), score.end(), 0.0);
        const auto row = r.row(k);
        for (std::size_t j = 0; j < r.n_neurons; ++j)
            if (neuron_labels[j] >= 0) score[static_cast<std::size_t>(neuron_labels[j])] += row[j];
        double best = 0.0;
        for (std::size_t c = 0; c < nc; ++c)
            if (members[c] > 0.0 && score[c] / members[c] > best) {
                best = score[c] / members[c];
                out[k] = static_cast<int>(c);
            }
    }
    return out;
}

double accuracy(std::span<const int> predicted, std::span<const std::uint8_t> labels) {
    if (predicted.size() != labels.size() || labels.empty())
        throw snn_error("accuracy: sizes differ or empty");
    std::size_t right = 0;
    for (std::size_t k = 0; k < labels.size(); ++k)
        right += predicted[k] == static_cast<int>(labels[k]) ? 1 : 0;
    return static_cast<double>(right) / static_cast<double>(labels.size());
}

evaluation evaluate(network& net, const image_set& label_set, const image_set& test_set, int n_classes,
                    const progress_fn& on_progress) {
    evaluation e;
    const std::size_t total = label_set.size() + test_set.size();
    e.label_responses = net.respond(label_set, [&](const progress& p) {
        if (on_progress) on_progress({p.done, total, p.last});
    });
    e.neuron_labels = assign_labels(e.label_responses, label_set.labels, n_classes);
    e.test_responses = net.respond(test_set, [&](const progress& p) {
        if (on_progress) on_progress({label_set.size() + p.done, total, p.last});
    });
    e.predicted = classify(e.test_responses, e.neuron_labels, n_classes);
    e.accuracy = accuracy(e.predicted, test_set.labels);
    return e;
}

} // namespace memxbar::snn
