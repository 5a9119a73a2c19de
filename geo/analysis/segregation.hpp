#pragma once
// The segregation index suite (PySAL `segregation`): single-group, multigroup and local
// indices, spatially implicit versions on local environments, inference, pairwise tables
// and multiscalar profiles, with the size thresholds and notes that keep it usable on a
// city. One request, one immutable result: the CLI's `indices`, the viewer's indices panel
// and the report all show it.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "geo/privacy/disclosure.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/analysis/provenance.hpp"
#include "geo/core/progress.hpp"
#include "geo/project/project.hpp"
#include "geo/stats/seg_decomposition.hpp"     // re-exported: Decomposition
#include "geo/stats/seg_inference.hpp"         // re-exported: SingleValueResult, TwoValueResult, null names
#include "geo/stats/segregation.hpp"           // re-exported: IndexValue, LocalValues, GroupCounts
#include "geo/stats/segregation_pairwise.hpp"  // re-exported: PairwiseTables

namespace hq::analysis {

/// The O(n²) indices are computed up to these sizes (a note otherwise).
inline constexpr std::size_t kMaxDistanceDecayUnits = 20000;
inline constexpr std::size_t kMaxDistortionUnits = 5000;

struct SegregationRequest {
    std::string group;                ///< count column or a manifest group's zh/en name ("" = none)
    std::string total;                ///< count column ("" = the sum of the manifest's groups)
    std::vector<std::string> groups;  ///< multigroup columns/names ("" = the manifest's groups with residents)
    std::string weights;              ///< "" = queen for spatial_dissim, no local environments
    double distance = 0.0;            ///< > 0: local environments of this bandwidth (triangular kernel)
    std::vector<double> profile;      ///< multiscalar profile distances
    std::vector<std::string> profile_ids;
    std::size_t permutations = 0;     ///< > 0: single-value tests
    std::string null = "systematic";
    std::uint64_t seed = 0;
    std::vector<std::string> test_ids;  ///< "" = every aspatial one but the randomised
    bool pairwise = false;
    bool spatial = true;              ///< false: aspatial indices only (no weights, no geometry)
    bool randomised = true;           ///< false: leave out the randomised aspatial indices
    bool local = true;                ///< the local (per-unit) indices
    bool multigroup = true;           ///< the multigroup indices (of `groups`)
    unsigned threads = 0;
    const Layer* layer = nullptr;     ///< nullptr = the project's analysis layer
    /// Single-group indices of a group under k are refused; location quotients of withheld
    /// cells are NaN (geo/privacy, docs/privacy.md).
    hq::privacy::DisclosurePolicy privacy;
    /// Under the guard, the published estimate (privacy::published_estimate) of the layer's
    /// manifest groups, units × groups in the manifest's order, that the indices read instead
    /// of the counts; nullptr = built from the layer (published_counts_estimate). `indices
    /// --by` passes each part the whole project's rows of it (privacy::estimate_rows).
    std::shared_ptr<const hq::privacy::PublishedEstimate> published;
};

/// How disclosure control shaped one value of the suite under the guard (docs/privacy.md,
/// "Indices from the published table"). An index that reads a withheld cell of the published
/// units × groups table is computed from privacy::published_estimate (the table a reader of
/// the pack can fill in), never from the withheld counts: it is then a function of printed
/// numbers and gives no withheld count back. Surfaces print an estimated value with "≈"
/// and say what share of the residents it reads was filled; a withheld value is NaN, prints
/// "—" (JSON null with "suppressed": true) with its reason.
struct IndexDisclosure {
    bool estimated = false;     ///< computed from the published estimate (filled_share > 0)
    bool withheld = false;      ///< the value is NaN by disclosure control
    double filled_share = 0.0;  ///< of the residents the value reads, the share in withheld cells (as filled), 0..1
    std::string reason_zh, reason_en;  ///< why withheld ("" otherwise)
};

/// The one way an index value of the suite becomes text: "—" when withheld or NaN, "≈0.477"
/// when estimated from the published table, "0.477" otherwise (`decimals` decimals).
std::string index_value_text(double v, const IndexDisclosure& d, int decimals);

struct InferenceRow {
    std::string id;
    seg::SingleValueResult r;
};

struct SegregationResult {
    const Layer* layer = nullptr;
    std::size_t units = 0;
    std::string group_column;         ///< "" without a single group
    std::string total_name;
    std::vector<std::string> group_columns;  ///< of the multigroup indices
    std::string environment;          ///< "" = aspatial; else what the local environments are
    std::optional<WeightsProvenance> weights;  ///< spatial_dissim's / the environments' weights
    std::vector<seg::IndexValue> single;
    std::vector<seg::IndexValue> multi;
    double diversity_normalised = std::nan("");  ///< multi_diversity / ln K (0 one group, 1 even mix)
    std::vector<seg::LocalValues> local;
    /// Per local index id with values withheld by disclosure control (geo/privacy): true
    /// where `local`'s value is NaN because it is withheld (not because it is undefined).
    std::vector<std::pair<std::string, std::vector<bool>>> local_withheld;
    std::vector<InferenceRow> inference;
    std::optional<seg::PairwiseTables> pairwise;
    /// k × k, row-major like `pairwise`: true where a value is withheld (NaN) by disclosure
    /// control: a pair with a group of fewer than k residents, or whose total is withheld
    /// (its values would show where its few members live; docs/privacy.md). Empty when none.
    std::vector<bool> pairwise_withheld;
    /// Parallel to `single` and `multi`: how disclosure control shaped each value (empty =
    /// every value exact: the guard is off or nothing the suite reads is withheld).
    std::vector<IndexDisclosure> single_disclosure, multi_disclosure;
    /// k × k like `pairwise`: the pair's values come from the published estimate (empty = none).
    std::vector<bool> pairwise_estimated;
    std::vector<double> profile_distances;
    std::vector<std::pair<std::string, std::vector<double>>> profile;
    InferenceParams params;
    std::vector<Note> notes;

    /// The value of an index (single-group first, then multigroup); NaN when absent.
    [[nodiscard]] double value(const std::string& id) const;
    /// How disclosure control shaped an index (single-group first, then multigroup); an
    /// exact IndexDisclosure{} when it did not or the id is absent.
    [[nodiscard]] IndexDisclosure disclosure(const std::string& id) const;
};

/// The units × manifest groups table the pack publishes of `layer` (units_layer(project)
/// when null), withheld cells filled from the published totals (privacy::published_estimate):
/// what every index reads under the guard. nullptr with the guard off or without groups.
std::shared_ptr<const hq::privacy::PublishedEstimate> published_counts_estimate(
    const Project& project, const Layer* layer, const hq::privacy::DisclosurePolicy& policy);

/// Runs the suite. Under the guard every value reads the published estimate (docs/privacy.md,
/// "Indices from the published table"; single_disclosure, multi_disclosure). InputError on
/// bad input or a request that asks for nothing.
std::shared_ptr<const SegregationResult> segregation(const Project& project, const SegregationRequest& request,
                                                     const Progress& progress = {});

struct CompareRequest {
    std::string group, total;          ///< single-group index
    std::vector<std::string> groups;   ///< multigroup index
    std::string index;
    std::string null = "random_label";
    std::size_t permutations = 0;      ///< 0 with `test`: 500
    std::uint64_t seed = 0;
    bool test = false;
    bool decompose = false;
    std::string approach = "composition";
    unsigned threads = 0;
    /// Under the guard each dataset's index reads its published estimate, as the suite's do
    /// (docs/privacy.md, "Indices from the published table").
    hq::privacy::DisclosurePolicy privacy;
};

struct CompareResult {
    std::size_t units_a = 0, units_b = 0;
    double a = 0, b = 0;  ///< NaN where withheld
    IndexDisclosure disclosure_a, disclosure_b;
    /// Absent when either value is withheld (they read both datasets).
    std::optional<seg::TwoValueResult> test;
    std::optional<seg::Decomposition> decomposition;
};

/// One index in two datasets: the two-value test and the Shapley decomposition (PySAL).
CompareResult compare_indices(const Project& a, const Project& b, const CompareRequest& request,
                              const Progress& progress = {});

/// An index's plain-language name in Chinese and English and its meaning (English), from
/// the one table every surface reads (the viewer, the CLI, the reports).
struct IndexText {
    std::string_view id, name_zh, name_en, meaning;
};
/// The entry of an index id (nullptr when unknown).
const IndexText* index_text(std::string_view id);
/// Every entry, in the table's order.
std::span<const IndexText> index_texts();
/// A plain-language meaning of an index id ("" when unknown), for tables.
std::string index_meaning(const std::string& id);
/// The index's plain-language name ("集中度剖面 R" / "Concentration profile R"); the id itself
/// when unknown.
std::string index_name(const std::string& id, bool zh);

}  // namespace hq::analysis
