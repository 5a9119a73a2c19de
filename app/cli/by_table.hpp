#pragma once
// One row per part of a project split by a column (`indices --by`, `autocorr --by`; issue
// 18): text, CSV, JSON or a GeoPackage (-o FILE.gpkg; each part's units dissolved into one
// feature). The `--by` column comes first, under its own name (docs/cli-json.md).
#include <string>

#include "geo/analysis/by.hpp"
#include "geo/privacy/disclosure.hpp"

namespace hq::cli {

/// Prints the table's notes, then writes it to `output` ("" or "-" = standard output): a
/// GeoPackage when `output` ends in .gpkg, else JSON, CSV or text. JSON states `policy` when
/// the values went through disclosure control (nullptr: the analysis has none).
void write_by_table(const Project& project, const analysis::ByTable& table, bool json, bool csv,
                    const std::string& output, const privacy::DisclosurePolicy* policy);

}  // namespace hq::cli
