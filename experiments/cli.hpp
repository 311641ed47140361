#pragma once
namespace memxbar::experiments {
int main(int argc, char** argv);
}
