#pragma once
// One row per part of a project split by a column (`indices --by`, `autocorr --by`; issue
// 18): text, CSV, JSON or a GeoPackage (-o FILE.gpkg; each part's units dissolved into one
// feature). The `--by` column comes first, under its own name (docs/cli-json.md).
#include <string>
#include <utility>
#include <vector>

#include "geo/analysis/by.hpp"
#include "geo/privacy/disclosure.hpp"

namespace hq::cli {

/// Prints the table's notes, then writes it to `output` ("" or "-" = standard output): a
/// GeoPackage when `output` ends in .gpkg, else JSON, CSV or text. JSON states `policy` when
/// the values went through disclosure control (nullptr: the analysis has none).
void write_by_table(const Project& project, const analysis::ByTable& table, bool json, bool csv,
                    const std::string& output, const privacy::DisclosurePolicy* policy);

/// Each part's units dissolved into one geometry, in split_by's order: {metric, display}.
std::vector<std::pair<Geometry, Geometry>> dissolve_parts(const Project& project, const std::string& column);

/// The table as CSV (csv = true: the --by column, units, the value columns, error) or as
/// tab-separated text (csv = false); the text `write_by_table` writes.
std::string by_table_text(const analysis::ByTable& table, bool csv);

/// The lines under a table with rows the privacy guard withheld: one per reason, in zh and
/// en, naming the parts ("—：<zh>（A、B） / —: <en> (A, B)"), each after `prefix` ("# " in
/// CSV); "" when no row is withheld.
std::string withheld_lines(const analysis::ByTable& table, const std::string& prefix);

}  // namespace hq::cli
