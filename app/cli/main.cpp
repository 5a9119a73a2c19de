#include "app/cli/command.hpp"

int main(int argc, char** argv) { return hq::cli::run(argc, argv); }
