#pragma once
// The server's table catalog (`catalog:` in the server config), standing in for the Glue Data
// Catalog that Firehose's format conversion reads its schema from: database -> table -> columns
// with Hive types. A stream's SchemaConfiguration names DatabaseName and TableName in it.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/result.h"
#include "formats/record_writer.h"

namespace sluice::config {

struct CatalogTable {
  std::vector<formats::ColumnSpec> columns;  // types already checked by formats::ParseHiveType
};

using Catalog = std::map<std::string, std::map<std::string, CatalogTable, std::less<>>, std::less<>>;

// Parses the value of `catalog:`; messages start with "<source>:<line>: catalog.<db>...".
// Refuses bad names, repeated columns (ignoring case, as Hive compares them), unknown keys and
// types ParseHiveType refuses.
Result<Catalog> ParseCatalog(const YAML::Node& node, std::string_view source);

// The table DatabaseName.TableName; kInvalidArgument names what is missing and what exists,
// prefixed by `path` (the SchemaConfiguration member).
Result<const CatalogTable*> FindTable(const Catalog& catalog, std::string_view database,
                                      std::string_view table, std::string_view path);

}  // namespace sluice::config
