#include "parser/ast.hpp"

namespace leadscore::ast {

const char* field_type_name(FieldType t) {
  switch (t) {
    case FieldType::Id: return "id";
    case FieldType::String: return "string";
    case FieldType::Int: return "int";
    case FieldType::Number: return "number";
    case FieldType::Bool: return "bool";
    case FieldType::Date: return "date";
    case FieldType::Timestamp: return "timestamp";
  }
  return "?";
}

}  // namespace leadscore::ast
