#pragma once
// `git:REF:PATH` for `leadscore diff`: the rules file (and the folder it sits in) as committed at REF.
#include <string>
#include <string_view>

#include "common/temp_dir.hpp"

namespace leadscore::jobs {

// Where a rules file comes from: a path, or git:REF:PATH read from the repository of the current directory.
struct RulesSpec {
  bool git = false;
  std::string ref, path;  // path as written
  std::string text;       // the whole spec as written
};
bool parse_rules_spec(std::string_view text, RulesSpec& out, std::string& error);

struct CheckedOutRules {
  std::string rules_path;  // the file to load: the path itself, or its copy in the temporary folder
  std::string repo_path;   // git: the path from the repository's top folder; a plain path as written
  std::string annotate_path;  // from the top folder of the work tree that holds it (as GitHub annotations need)
};

// Materialises git:REF:PATH: the whole folder of PATH at REF goes to `dir`/`side`, so the list files
// the rules name (relative to the rules file) come from the same commit. Git runs at the repository's
// top folder, so any folder of the work tree works. PATH is read as git reads REF:PATH: from the top
// folder; `./` or `../` at its start make it relative to the current folder; a PATH that is not at the
// top but is below the current folder is found there too. A plain path is returned as it is.
bool check_out_rules(const RulesSpec& spec, const TempDir& dir, const std::string& side, CheckedOutRules& out,
                     std::string& error);

}  // namespace leadscore::jobs
