#pragma once
// The `leadscore` command line: main() only forwards here, so tests can drive commands in-process.
// Each command's option table and code live in its cmd_NAME.cpp.
#include <string>
#include <vector>

#include "cli/options.hpp"

namespace leadscore::cli {

int run(int argc, char** argv);

const CommandSpec& check_command();
const CommandSpec& fmt_command();
const CommandSpec& score_command();
const CommandSpec& explain_command();
const CommandSpec& compile_command();
const CommandSpec& calibrate_command();
const CommandSpec& suggest_command();
const CommandSpec& report_command();
const CommandSpec& test_command();
const CommandSpec& diff_command();
const CommandSpec& partition_command();
const CommandSpec& handoff_command();

}  // namespace leadscore::cli
