#include "cli/commands.hpp"

int main(int argc, char** argv) { return leadscore::cli::run(argc, argv); }
