#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/help.hpp"

using namespace leadscore::cli;

namespace {

// Parses `args` with the table of `command`; returns the error ("" when it parsed).
std::string parse_error(const std::string& command, const std::vector<std::string>& args) {
  ParsedArgs parsed;
  std::string error;
  const CommandSpec* spec = find_command(command);
  REQUIRE(spec != nullptr);
  return parsed.parse(*spec, args, error) ? std::string{} : error;
}

const std::vector<std::string> kScore = {"x.rules", "--leads", "leads.csv", "--as-of", "2026-11-01", "--out", "o.csv"};

std::vector<std::string> score_with(std::vector<std::string> extra) {
  std::vector<std::string> args = kScore;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The options docs/cli.md lists for each command: the first cell of every table row in the
// command's section (`## \`leadscore NAME ...`) that starts with `--`.
std::map<std::string, std::set<std::string>> documented_options() {
  std::ifstream in(std::string(LEADSCORE_SOURCE_DIR) + "/docs/cli.md");
  REQUIRE(in);
  std::map<std::string, std::set<std::string>> out;
  const std::regex heading(R"(^## `leadscore ([a-z]+))");
  const std::regex row(R"(^\| `(--[a-z0-9-]+))");
  std::string line, command;
  std::smatch m;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) command = std::regex_search(line, m, heading) ? m[1].str() : "";
    else if (!command.empty() && std::regex_search(line, m, row)) out[command].insert(m[1].str());
  }
  return out;
}

}  // namespace

TEST_CASE("options: docs/cli.md lists exactly the options of each command's table") {
  auto documented = documented_options();
  for (const auto* command : all_commands()) {
    CAPTURE(command->name);
    std::set<std::string> declared;
    for (const auto& option : command->options) declared.emplace(option.name);
    const auto& listed = documented[std::string(command->name)];
    for (const auto& name : declared) {
      CAPTURE(name);
      CHECK_MESSAGE(listed.count(name), "declared but not in docs/cli.md");
    }
    for (const auto& name : listed) {
      CAPTURE(name);
      CHECK_MESSAGE(declared.count(name), "in docs/cli.md but not declared");
    }
  }
  CHECK(documented.size() == all_commands().size());
}

TEST_CASE("options: `help COMMAND` shows every option of the table, and only declared ones in the usage") {
  for (const auto* command : all_commands()) {
    CAPTURE(command->name);
    const std::string help = help_text(std::string(command->name));
    REQUIRE_FALSE(help.empty());
    for (const auto& option : command->options) {
      CAPTURE(option.name);
      CHECK(help.find("\n  " + std::string(option.name)) != std::string::npos);
    }
    const std::string usage = help.substr(0, help.find("\n\n"));
    const std::regex named(R"(--[a-z0-9-]+)");
    for (auto it = std::sregex_iterator(usage.begin(), usage.end(), named); it != std::sregex_iterator(); ++it) {
      CAPTURE(it->str());
      CHECK(find_option(*command, it->str()) != nullptr);
    }
  }
  // The options help calibrate used to leave out.
  const std::string calibrate = help_text("calibrate");
  for (const char* name : {"--baseline-onehot", "--baseline-exclude", "--threads", "--outcomes-delimiter"})
    CHECK(calibrate.find(name) != std::string::npos);
}

TEST_CASE("options: numbers are strict and in range, and the error names the option") {
  CHECK(parse_error("score", score_with({"--threads", "4"})).empty());
  CHECK(parse_error("score", score_with({"--threads", "4abc"})) ==
        "--threads takes a whole number from 1 to 256, not \"4abc\"");
  CHECK(parse_error("score", score_with({"--threads", "1e3"})) ==
        "--threads takes a whole number from 1 to 256, not \"1e3\"");
  CHECK(parse_error("score", score_with({"--threads=0"})) == "--threads takes a whole number from 1 to 256, not \"0\"");
  CHECK(parse_error("score", score_with({"--threads", "257"})) ==
        "--threads takes a whole number from 1 to 256, not \"257\"");
  CHECK(parse_error("score", score_with({"--threads", " 4"})) != "");
  CHECK(parse_error("score", score_with({"--threads", "+4"})) != "");
  CHECK(parse_error("score", score_with({"--top", "-1"})) == "--top takes a whole number of 0 or more, not \"-1\"");
  CHECK(parse_error("score", score_with({"--top", "0"})).empty());
  CHECK(parse_error("diff", {"a", "b", "--leads", "l", "--as-of", "2026-01-01", "--top", "3.5"}) ==
        "--top takes a whole number of 0 or more, not \"3.5\"");

  const std::vector<std::string> calibrate = {"x.rules", "--leads", "l.csv", "--out", "w.yaml"};
  auto calibrate_with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = calibrate;
    args.insert(args.end(), extra.begin(), extra.end());
    return parse_error("calibrate", args);
  };
  CHECK(calibrate_with({"--test-fraction", "0.25"}).empty());
  CHECK(calibrate_with({"--test-fraction", "1"}) ==
        "--test-fraction takes a number between 0 and 1 (exclusive), not \"1\"");
  CHECK(calibrate_with({"--pdo", "0"}) == "--pdo takes a number greater than 0, not \"0\"");
  CHECK(calibrate_with({"--pdo", "1e1"}).empty());
  CHECK(calibrate_with({"--l2", "nan"}) == "--l2 takes a number of 0 or more, not \"nan\"");
  CHECK(calibrate_with({"--won-value", "inf"}) == "--won-value takes a number of 0 or more, not \"inf\"");
  CHECK(calibrate_with({"--refit-every", "0"}) == "--refit-every takes a whole number of 1 or more, not \"0\"");
  CHECK(calibrate_with({"--min-support", "30.0"}) == "--min-support takes a whole number of 0 or more, not \"30.0\"");
  CHECK(calibrate_with({"--threads", "99999999999999999999"}) ==
        "--threads takes a whole number from 1 to 256, not \"99999999999999999999\"");
}

TEST_CASE("options: choices, required options, values and repetition") {
  CHECK(parse_error("score", score_with({"--format", "xml"})) == "--format takes csv or jsonl, not \"xml\"");
  CHECK(parse_error("check", {"x.rules", "--format", "yaml"}) == "--format takes text, json, github or sarif, not \"yaml\"");
  CHECK(parse_error("score", {"x.rules", "--leads", "l.csv", "--as-of", "2026-11-01"}) == "--out FILE is required");
  CHECK(parse_error("score", {"--leads", "l.csv", "--as-of", "2026-11-01", "--out", "o"}) ==
        "name exactly one rules file");
  CHECK(parse_error("score", score_with({"--out", "other.csv"})) ==
        "option --out is given twice (\"o.csv\" and \"other.csv\")");
  CHECK(parse_error("score", {"x.rules", "--leads", "l.csv", "--as-of", "2026-11-01", "--out", "--quiet"}) ==
        "option --out needs a value");
  CHECK(parse_error("score", score_with({"--rejects"})) == "option --rejects needs a value");
  CHECK(parse_error("score", score_with({"--rejects", ""})) == "--rejects needs a file name");
  CHECK(parse_error("score", score_with({"--quiet=yes"})) == "option --quiet takes no value");
  CHECK(parse_error("score", score_with({"--quiet", "--quiet"})) == "option --quiet is given twice");  // as documented: once
  CHECK(parse_error("score", score_with({"--thread", "2"})) == "unknown option --thread (did you mean --threads?)");
  CHECK(parse_error("calibrate", {"x.rules", "--baseline-onehott"}) ==
        "unknown option --baseline-onehott (did you mean --baseline-onehot?)");

  ParsedArgs parsed;
  std::string error;
  REQUIRE(parsed.parse(*find_command("diff"),
                       {"old.rules", "new.rules", "--leads", "l.csv", "--as-of", "2026-11-01", "--fail-if",
                        "mql_in > 3", "--fail-if=moved > 5%"},
                       error));
  CHECK(parsed.all("--fail-if") == std::vector<std::string>{"mql_in > 3", "moved > 5%"});
}

TEST_CASE("options: paths carry their role, and reading an undeclared option is a programming error") {
  ParsedArgs parsed;
  std::string error;
  REQUIRE(parsed.parse(*find_command("score"),
                       score_with({"--rejects", "r.csv", "--activities", "a.csv", "--threads", "2"}), error));
  auto inputs = parsed.paths(OptionKind::InputPath);
  REQUIRE(inputs.size() == 3);
  CHECK(inputs[0].described == "the rules file x.rules");
  CHECK(inputs[1].described == "--leads leads.csv");
  CHECK(inputs[2].described == "--activities a.csv");
  auto outputs = parsed.paths(OptionKind::OutputPath);
  REQUIRE(outputs.size() == 2);
  CHECK(outputs[0].path == "o.csv");
  CHECK(outputs[1].described == "--rejects r.csv");
  CHECK(parsed.whole("--threads") == 2u);
  CHECK_THROWS_AS(parsed.get("--lead"), std::logic_error);
  CHECK_THROWS_AS(parsed.real("--threads"), std::logic_error);
}
