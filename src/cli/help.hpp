#pragma once
#include <string>

namespace leadscore::cli {

// The overview for an empty topic, a command's usage otherwise; empty when there is no such topic.
std::string help_text(const std::string& topic);
std::string command_list();

}  // namespace leadscore::cli
