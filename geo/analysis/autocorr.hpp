#pragma once
// Global and local spatial autocorrelation of a group's share or of any numeric column:
// one request, one immutable result that every surface shows (the CLI's `autocorr`, the
// LISA map on screen and in exports, the viewer's scatterplot and inspector, the report).
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "geo/analysis/provenance.hpp"
#include "geo/core/progress.hpp"
#include "geo/privacy/disclosure.hpp"
#include "geo/project/project.hpp"
#include "geo/stats/autocorr.hpp"        // re-exported: MoranResult, GearyResult, GeneralGResult
#include "geo/stats/local_moran.hpp"     // re-exported: Quadrant, LocalMoranResult, LocalGResult
#include "geo/stats/multiple_testing.hpp"  // re-exported: PAdjust

namespace hq::analysis {

/// What to analyse: a group's share (`group`: a count column or a manifest group's zh/en
/// name; share of `total`, a count column, else of the sum of the manifest's groups), or a
/// numeric `column`. Exactly one of group and column.
struct VariableRequest {
    std::string group;
    std::string total;
    std::string column;
};

/// The statistics autocorrelation() can compute, in output order.
const std::vector<std::string>& autocorr_statistic_names();

struct AutocorrRequest {
    VariableRequest variable;
    std::optional<VariableRequest> bivariate;  ///< also the bivariate Moran against this one's lag
    std::string weights = "queen";             ///< the WeightsSpec grammar; the fallback rule applies
    std::size_t permutations = 999;
    std::uint64_t seed = 12345;
    double alpha = 0.05;
    std::string adjust = "fdr";                ///< none | bonferroni | fdr (local p-values)
    std::set<std::string> statistics;          ///< empty = all of autocorr_statistic_names()
    const Layer* layer = nullptr;              ///< nullptr = units_layer(project)
    /// The privacy guard of the output this request feeds (docs/privacy.md, "LISA"). With the
    /// guard on and a variable (or bivariate variable) that is a manifest group's share or
    /// count on the units layer, only the units whose count (and, for a share, total) the
    /// protected units × groups table publishes enter (geo/privacy lisa_input_units): every
    /// statistic, global and local, is computed on them alone with the weights among them;
    /// the others are `withheld`. nullopt or the guard off: every unit (the raw statistics).
    std::optional<privacy::DisclosurePolicy> privacy;
    /// With the guard on: the protected units × groups table the output publishes, one row per
    /// unit of the layer in order; its published cells decide which units enter. nullptr: the
    /// table of the project's own units layer (published_units_table). `autocorr --by` passes
    /// the whole project's table's rows of each part (privacy::table_rows): the reader holds
    /// that table (`info`, the report), no output prints a part's own.
    std::shared_ptr<const privacy::ProtectedTable> published;
};

/// The protected units × groups table of the project's units layer as the guarded outputs
/// print it (the inspector's, info's and the report's: geo/privacy units_by_groups_table with
/// the group totals), when `request` has the guard on and its variable or bivariate variable
/// names a manifest group; nullptr otherwise.
std::shared_ptr<const privacy::ProtectedTable> published_units_table(const Project& project,
                                                                     const AutocorrRequest& request);

/// LISA clusters as the map colours them: [0] neighbourless, [1] HH, [2] LL, [3] LH,
/// [4] HL, [5] not significant.
using ClusterCounts = std::array<std::size_t, 6>;

struct AutocorrResult {
    const Layer* layer = nullptr;
    std::string variable;          ///< "pop_yi share" or the column
    std::string group_column;      ///< the group's count column ("" for a column variable)
    std::vector<double> x;
    WeightsProvenance weights;
    InferenceParams inference;
    std::set<std::string> statistics;  ///< those computed
    std::shared_ptr<const Weights> raw;     ///< as built (G, G*)
    std::shared_ptr<const Weights> rowst;   ///< row-standardised, no self links (Moran, Geary, local Moran)

    std::optional<MoranResult> moran;
    std::optional<GearyResult> geary;
    std::optional<GeneralGResult> general_g;  ///< not computed for negative values (note says so)
    std::optional<LocalMoranResult> local_moran;
    std::vector<bool> local_moran_significant;  ///< adjusted p ≤ alpha (permutation p when R > 0)
    std::vector<Quadrant> cluster;              ///< per unit: Island where no neighbour, else the quadrant
    std::optional<LocalGResult> local_g, local_g_star;
    std::vector<bool> local_g_significant, local_g_star_significant;
    std::string bivariate_variable;
    std::optional<BivariateMoranResult> bivariate_moran;
    std::optional<LocalBivariateResult> local_bivariate;
    std::vector<bool> local_bivariate_significant;
    std::vector<Note> notes;
    /// Per unit, true when the privacy guard left it out (request.privacy): its x, every local
    /// value and its quadrant are NaN / Island and must be shown as "不公开 / withheld", not as
    /// neighbourless. Empty when no unit was left out.
    std::vector<bool> withheld;
    [[nodiscard]] bool is_withheld(std::size_t i) const { return i < withheld.size() && withheld[i]; }
    /// Computed with the guard on (request.privacy): its values are published-only. An output
    /// with the guard on shows no local value of a result without it.
    bool published_only = false;
    /// With the guard on and nothing computed (every unit withheld, no global statistic): why,
    /// in zh and en (fewer than 3 units with a published count, or no weights among them; the
    /// printed counts show fewer than k residents of the group). nullopt otherwise.
    std::optional<Note> suppressed;

    /// Cluster counts over all units, or over the units where `include` is true; withheld
    /// units are never counted.
    [[nodiscard]] ClusterCounts cluster_counts(const std::vector<bool>* include = nullptr) const;
};

/// The Moran scatterplot of a result with local Moran: the standardised variable (sd with
/// n), its spatial lag in the same units (row-standardised weights) and the slope of the
/// lag on z (Moran's I).
struct MoranScatter {
    std::vector<double> z, lag;
    double slope = 0;
};
MoranScatter moran_scatter(const AutocorrResult& result);

/// Reads the variable(s), builds the weights (hq::resolve_weights: the one fallback rule),
/// runs the statistics asked for. InputError with the file, feature and field on bad
/// input or a usage problem (unknown statistic, adjustment, alpha out of (0, 1)).
std::shared_ptr<const AutocorrResult> autocorrelation(const Project& project, const AutocorrRequest& request,
                                                      const Progress& progress = {});

/// One request's outcome in a batch: its result, or the message of its InputError.
struct AutocorrBatchItem {
    std::shared_ptr<const AutocorrResult> result;  ///< null when the request failed
    std::string error;
};

/// autocorrelation() of each request, in order, with the weights of each (layer, spec)
/// built once (e.g. the LISA of every group's share). Each result equals what
/// autocorrelation() gives for its request alone; a request that fails (a group whose share
/// does not vary) gives its message and does not stop the others.
std::vector<AutocorrBatchItem> autocorrelation_batch(const Project& project, const std::vector<AutocorrRequest>& requests,
                                                     const Progress& progress = {});

/// The LISA of a group's share as the map shows it: local Moran only.
AutocorrRequest lisa_request(const std::string& group, const std::string& weights, std::size_t permutations,
                             std::uint64_t seed, double alpha, const std::string& adjust);

}  // namespace hq::analysis
