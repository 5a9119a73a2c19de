#pragma once
// One row per part of a project split by a column (`indices --by COLUMN`, issue 18): text,
// CSV, JSON or a GeoPackage (-o FILE.gpkg; each part's units dissolved into one polygon).
// The `--by` column comes first, under its own name.
#include <string>
#include <vector>

#include "geo/analysis/by.hpp"
#include "geo/privacy/disclosure.hpp"

namespace hq::cli {

enum class ByFormat { Text, Csv, Json, GeoPackage };

/// Writes the rows to `output` ("" or "-" = standard output; a .gpkg file for GeoPackage).
void write_by_table(const Project& project, const std::string& column, const std::vector<analysis::ByRow>& rows,
                    ByFormat format, const std::string& output, const privacy::DisclosurePolicy& policy);

}  // namespace hq::cli
