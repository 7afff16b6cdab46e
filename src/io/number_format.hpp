#pragma once
// Numbers as the output contract writes them: the shortest decimal text that reads back as the same double,
// rounded half away from zero to 2 decimals on that text (2.675 -> 2.68), without trailing zeros or a
// trailing point, never `-0`, never an exponent (1e21 -> 1000000000000000000000).
// NaN and infinities have no such text: they are written as nothing (an empty cell, like a missing value),
// never as `nan` or `inf`; in JSON, as `null`. The engine turns them into missing values before output
// (engine/exec/kernels.hpp): this is the last line of defence.
#include <string>

namespace leadscore::io {

void append_number(std::string& out, double value);
// Whether `value` is a whole number that append_number writes exactly (as an integer), so reading
// the text back gives `value` (+0 for -0).
bool written_as_integer(double value);
std::string format_number(double value);
// append_number() after a sign: `+` unless the text is negative, so whatever rounds to 0 (a negative
// -0.001 as well) is `+0`.
void append_signed_number(std::string& out, double value);
// append_number(), or `null` for NaN and infinities: always a valid JSON value.
void append_json_number(std::string& out, double value);

}  // namespace leadscore::io
