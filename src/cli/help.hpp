#pragma once
#include <string>

#include "cli/options.hpp"

namespace leadscore::cli {

// The overview for an empty topic, a command's usage otherwise; empty when there is no such topic.
std::string help_text(const std::string& topic);
// A command's usage, made from its option table.
std::string command_help(const CommandSpec& command);
std::string command_list();

}  // namespace leadscore::cli
