#include "experiments/cli.hpp"

int main(int argc, char** argv) {
    return memxbar::experiments::main(argc, argv);
}
