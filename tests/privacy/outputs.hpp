#pragma once
// Readers of huqian's outputs for the auditor: each adds to a Model what one output
// prints (docs/privacy.md lists which outputs and which numbers). They parse the text a
// person reads; they know the layouts, not the code that wrote them.
#include <string>

#include "auditor.hpp"

namespace hq::audit {

/// report.md (either language): the courtyard table, the zone tables.
void read_report_md(Model& m, const std::string& md);
/// report.pdf's text (`pdftotext -layout`) as the report.md that read_report_md reads: a
/// line's columns are separated by two or more spaces; "各院落居民 · G" / "Residents by
/// courtyard · G" opens the courtyard table (4 columns per row), a zone's "指标 | 数值" /
/// "Measure | Value" table is named by the first line of the block above it. Page headers
/// and footers (one column) are skipped.
std::string pdf_text_as_report_md(const std::string& text);
/// A map legend line "NAME (COUNT)" of group totals (the composition legend).
void read_legend_group(Model& m, const std::string& label);
/// Σ listed group totals ≤ the grand total (call once after the legend lines).
void close_legend(Model& m);
/// `huqian plan evaluate` text.
void read_plan_text(Model& m, const std::string& text);
/// `huqian plan evaluate --json`.
void read_plan_json(Model& m, const std::string& json);
/// `huqian plan evaluate --json` as a reader who differences catchments sees it: per
/// group, its count in every unit a catchment touches (hidden, checked) and outside them
/// all, with each published reach Σ weight·count, each published unit total as a bound
/// and the published group total. One model per group (the coupling of groups through
/// the unit totals is left out: a relaxation, so a leak found is real). The leaks of all.
std::vector<std::string> catchment_leaks(const std::string& json, int k);
/// `huqian plan compare --json`: each scenario's unit totals (before; after = before +
/// the public moves) and their sum, the community total; every unit is listed.
void read_compare_json(Model& m, const std::string& json);
/// `huqian indices --json`'s location quotients LQ[i][g] = (x_ig / t_i) / (T_g / T), read
/// by a reader who also knows the unit totals t_i (`unit_totals`: NaN = withheld, then
/// "<k" when `unit_small`), the group totals `group:NAME` of the model (published by info)
/// and the community total T: each LQ is a linear equation in x_ig, t_i or T_g (skipped
/// when both t_i and T_g are unknown: a relaxation). Every cell x_ig is checked as hidden.
void read_indices_lq(Model& m, const std::string& json, const std::vector<double>& unit_totals,
                     const std::vector<std::string>& group_names, const std::vector<double>& group_totals,
                     double grand);
/// A per-unit table (the QGIS hand-off's `units` layer, `indices --per-unit`): per unit i
/// and group g the count column (its group column name; null = withheld), `total`, and
/// `share_COLUMN` (a full-precision share: count = share · total). The variables are those
/// of read_indices_lq ("lq:cell:i:g", "lq:unit:i"), so both readers see one table; every
/// cell is checked as hidden, each unit's cells sum to its total, each group's to
/// `group:NAME` (`group_names` in the order of `columns`).
void read_units_table(Model& m, const std::vector<std::string>& columns, const std::vector<std::string>& group_names,
                      const std::vector<std::vector<const double*>>& counts,
                      const std::vector<const double*>& totals,
                      const std::vector<std::vector<const double*>>& shares);
/// `huqian indices --csv`'s location quotients ("local,multi_location_quotient:NAME,i,,v")
/// as the `local.multi_location_quotient` array of `indices --json` (null where empty), so
/// read_indices_lq can read them.
std::string indices_csv_lq_as_json(const std::string& csv, const std::vector<std::string>& columns);
/// `huqian info` text.
void read_info_text(Model& m, const std::string& text);
/// `huqian info --json`.
void read_info_json(Model& m, const std::string& json);

}  // namespace hq::audit
