#pragma once
// One row per unit with its published counts, shares and local indices (and a LISA when
// given): the table a spreadsheet or GIS joins by the units layer's id field. Counts pass
// through geo/privacy (a withheld count, share or index is null); docs/cli.md
// (`indices --per-unit`) and docs/export.md (GeoPackage hand-off) list the fields.
#include <memory>
#include <string>
#include <vector>

#include "geo/analysis/autocorr.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/io/layer.hpp"
#include "geo/privacy/disclosure.hpp"

namespace hq::analysis {

struct PerUnitRequest {
    privacy::DisclosurePolicy privacy;
    bool counts = true;         ///< a field per group count and `total`
    bool shares = true;         ///< share_<column>: the group's share of the unit's residents
    bool local = true;          ///< the local multigroup indices, lq_<column> and (up to kMaxDistortionUnits) local_distortion
    const AutocorrResult* lisa = nullptr;  ///< lisa_i, lisa_z, lisa_p, lisa_sig, lisa_cluster, lisa_label
};

/// GeoDa's LISA cluster codes (its LISA_CL field): 0 not significant, 1 High-High,
/// 2 Low-Low, 3 Low-High, 4 High-Low, 6 neighbourless ("isolated").
int geoda_cluster_code(const AutocorrResult& lisa, std::size_t unit);
const char* geoda_cluster_label(int code);  ///< "Not significant", "High-High", ...

/// The id field of the table: the units layer's id attribute, else "id".
std::string per_unit_id_field(const Layer& units);

/// Fields: the id (per_unit_id_field), name_zh / name_en / name when the layer has them,
/// then what the request asks for. Counts and shares follow geo/privacy's units × groups
/// table (a withheld cell or unit total, primary or complementary, is null, and so is a
/// share of it). Exact values computed from a unit's counts (local indices, location
/// quotients) are null when any count of the unit is withheld; the lisa_* fields when the
/// unit has fewer than k residents (hatched on the map) or the LISA (computed from
/// published-only inputs, AutocorrResult::withheld) left it out. With the guard off
/// everything is published.
Table per_unit_table(const GroupCountTable& table, const PerUnitRequest& request,
                     const Progress& progress = {});

}  // namespace hq::analysis
