#pragma once
// The `leadscore` command line: main() only forwards here, so tests can drive commands in-process.
#include <string>
#include <vector>

namespace leadscore::cli {

int run(int argc, char** argv);

using Args = std::vector<std::string>;
int cmd_check(const Args& args);
int cmd_score(const Args& args);
int cmd_explain(const Args& args);
int cmd_compile(const Args& args);
int cmd_calibrate(const Args& args);
int cmd_report(const Args& args);
int cmd_test(const Args& args);
int cmd_fmt(const Args& args);
int cmd_diff(const Args& args);

}  // namespace leadscore::cli
