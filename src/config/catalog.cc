#include "config/catalog.h"

#include <algorithm>
#include <set>

#include "formats/schema/hive_type.h"

namespace sluice::config {
namespace {

std::string At(std::string_view source, const YAML::Node& node, const std::string& key) {
  return std::string(source) + ":" + std::to_string(node.Mark().line + 1) + ": " + key;
}

// Database, table and column names: Glue's rule of 1-255 characters, without blanks.
bool ValidName(std::string_view name) {
  return !name.empty() && name.size() <= 255 && name.find_first_of(" \t\r\n.:`") == std::string_view::npos;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string Names(const auto& map) {
  std::string out;
  for (const auto& [name, unused] : map) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

Result<formats::ColumnSpec> ParseColumn(const YAML::Node& node, std::string_view source, const std::string& key) {
  if (!node.IsMap()) return InvalidArgument(At(source, node, key) + " must be a mapping {name: ..., type: ...}");
  formats::ColumnSpec column;
  for (const auto& item : node) {
    const std::string member = item.first.IsScalar() ? item.first.Scalar() : "";
    if (member != "name" && member != "type") {
      return InvalidArgument(At(source, item.first, key) + ": unknown key \"" + member + "\" (known: name, type)");
    }
    if (!item.second.IsScalar()) return InvalidArgument(At(source, item.second, key + "." + member) + " must be text");
    (member == "name" ? column.name : column.type) = item.second.Scalar();
  }
  if (!ValidName(column.name)) {
    return InvalidArgument(At(source, node, key) + ".name \"" + column.name +
                           "\" must be 1-255 characters without blanks, '.', ':' or '`'");
  }
  auto type = formats::ParseHiveType(column.type);
  if (!type) return InvalidArgument(At(source, node, key) + ".type: " + type.error().message);
  return column;
}

Result<CatalogTable> ParseTable(const YAML::Node& node, std::string_view source, const std::string& key) {
  if (!node.IsMap()) return InvalidArgument(At(source, node, key) + " must be a mapping with columns:");
  CatalogTable table;
  for (const auto& item : node) {
    const std::string member = item.first.IsScalar() ? item.first.Scalar() : "";
    if (member != "columns") {
      return InvalidArgument(At(source, item.first, key) + ": unknown key \"" + member + "\" (known: columns)");
    }
    if (!item.second.IsSequence() || item.second.size() == 0) {
      return InvalidArgument(At(source, item.second, key + ".columns") + " must be a non-empty list");
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < item.second.size(); ++i) {
      const std::string column_key = key + ".columns[" + std::to_string(i) + "]";
      auto column = ParseColumn(item.second[i], source, column_key);
      if (!column) return std::unexpected(column.error());
      if (!seen.insert(Lower(column->name)).second) {
        return InvalidArgument(At(source, item.second[i], column_key) + ".name \"" + column->name +
                               "\" repeats a column name (compared ignoring case)");
      }
      table.columns.push_back(std::move(*column));
    }
  }
  if (table.columns.empty()) return InvalidArgument(At(source, node, key) + " must have columns:");
  return table;
}

}  // namespace

Result<Catalog> ParseCatalog(const YAML::Node& node, std::string_view source) {
  Catalog catalog;
  if (node.IsNull()) return catalog;
  if (!node.IsMap()) return InvalidArgument(At(source, node, "catalog") + " must be a mapping of databases");
  for (const auto& database : node) {
    const std::string db_name = database.first.IsScalar() ? database.first.Scalar() : "";
    const std::string db_key = "catalog." + db_name;
    if (!ValidName(db_name)) {
      return InvalidArgument(At(source, database.first, db_key) + ": a database name must be 1-255 characters "
                             "without blanks, '.', ':' or '`'");
    }
    if (!database.second.IsMap()) {
      return InvalidArgument(At(source, database.second, db_key) + " must be a mapping of tables");
    }
    if (catalog.contains(db_name)) return InvalidArgument(At(source, database.first, db_key) + " is given twice");
    auto& tables = catalog[db_name];
    for (const auto& table : database.second) {
      const std::string table_name = table.first.IsScalar() ? table.first.Scalar() : "";
      const std::string table_key = db_key + "." + table_name;
      if (!ValidName(table_name)) {
        return InvalidArgument(At(source, table.first, table_key) + ": a table name must be 1-255 characters "
                               "without blanks, '.', ':' or '`'");
      }
      if (tables.contains(table_name)) return InvalidArgument(At(source, table.first, table_key) + " is given twice");
      auto parsed = ParseTable(table.second, source, table_key);
      if (!parsed) return std::unexpected(parsed.error());
      tables.emplace(table_name, std::move(*parsed));
    }
  }
  return catalog;
}

Result<const CatalogTable*> FindTable(const Catalog& catalog, std::string_view database, std::string_view table,
                                      std::string_view path) {
  const auto db = catalog.find(database);
  if (db == catalog.end()) {
    return InvalidArgument(std::string(path) + ".DatabaseName \"" + std::string(database) +
                           "\" is not in the server's catalog (catalog: in the server config; databases: " +
                           Names(catalog) + ")");
  }
  const auto found = db->second.find(table);
  if (found == db->second.end()) {
    return InvalidArgument(std::string(path) + ".TableName \"" + std::string(table) + "\" is not a table of \"" +
                           std::string(database) + "\" in the server's catalog (tables: " + Names(db->second) + ")");
  }
  return &found->second;
}

}  // namespace sluice::config
