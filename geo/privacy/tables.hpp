#pragma once
// The tables every output of a project prints, protected the same way wherever they
// appear (docs/privacy.md): group totals (info, the composition legend, the report),
// one group's count per unit beside the unit totals (the report's courtyard table), a
// zone's reach per group (plan evaluate, the report's zone tables, the viewer), and the
// full units × groups table (the viewer's inspector). A table that repeats totals printed
// by another pins them, so the same total is published or withheld in both.
#include <string>
#include <vector>

#include "geo/privacy/disclosure.hpp"

namespace hq::privacy {

/// Pins cell (r, c) of `t` (extended indices) to how `published` appears elsewhere.
void pin(Table& t, std::size_t r, std::size_t c, const Cell& published);

/// The group totals: a 1 × G table (one row, the community); its column totals are the
/// group totals, its grand total the residents of all groups.
ProtectedTable group_totals_table(const std::vector<double>& group_totals, const DisclosurePolicy& policy);

/// rows × {part, rest}: part[i] of whole[i] (a group's count in a unit, a group's reach in
/// a zone). The rest column is never printed. `whole_pins` (per row, may be empty), the
/// part's total and the grand total are pinned when given.
ProtectedTable part_of_whole_table(const std::vector<double>& part, const std::vector<double>& whole,
                                   const DisclosurePolicy& policy, const std::vector<Cell>& whole_pins = {},
                                   const Cell* part_total_pin = nullptr, const Cell* grand_pin = nullptr);

/// A zone's reach per group (weighted residents reached): groups × {reached, rest}, the
/// group totals (row totals) and the grand total pinned to `groups`.
ProtectedTable reach_table(const std::vector<double>& reached, const ProtectedTable& groups);

/// The reach per group of several zones published together (one output: `plan evaluate`,
/// the report's zone tables, the viewer's zone panel), protected against differencing
/// between catchments (docs/privacy.md, "Overlapping catchments"). weights[z][i] is zone
/// z's catchment weight of unit i, counts[g][i] group g's count in unit i (the reach of g
/// in z is Σ_i weights[z][i]·counts[g][i]). For each group, in zone order:
///  - its reach is published in a zone only when that catchment shares no unit with the
///    catchment of an earlier zone in which the group's reach is published; otherwise it
///    is withheld and protected so that a reader can move it by k−1 both ways
///    (Table::sensitive), which keeps any difference between catchments wide;
///  - when it is published in two or more (disjoint) zones, its weighted count outside
///    them (the group total minus their reaches) must be at least k, else the later
///    zones withhold it too;
///  - then each zone's table is protected as reach_table() does.
/// A zone's residents reached (the table's column total) is published (locked) when every
/// unit its catchment touches has a published resident count (≥ k): it is then the sum
/// the catchment's published units give anyway.
std::vector<ProtectedTable> zone_reach_tables(const std::vector<std::vector<double>>& weights,
                                              const std::vector<std::vector<double>>& counts,
                                              const ProtectedTable& groups);

/// Whether a catchment's diversity — the entropy, normalised entropy and Simpson's
/// interaction of its reach vector (reached_g = Σ_i w_i·x_ig, plan::ZoneEvaluation) — may
/// be printed beside `reach`, its protected reach table (zone_reach_tables): only when every
/// group's reach (cell (g, 0)) and the residents reached (its column total) are published.
/// They are exact functions of the reach vector, so they are then functions of printed
/// numbers. No weaker rule is safe (docs/privacy.md, "Catchment diversity"): two withheld
/// reaches with a published total sum to a known S, and the entropy (symmetric and strictly
/// monotone on each side of S/2) names the pair {a, S − a}; one withheld reach beside a
/// withheld total is pinned by Simpson's Σ π_g² alone; m withheld reaches meet two equations
/// (Σ and Σ², both printed through entropy and Simpson) that narrow each. With the guard off
/// always true.
bool catchment_mix_published(const ProtectedTable& reach);

/// Whether a zone's redundancy (the share of its weighted residents whose unit an existing
/// venue covers: Σ_{covered} w_i t_i / Σ w_i t_i) may be printed: when every unit its
/// catchment reaches has a published resident count (`unit_residents`, one per reached unit,
/// as `plan evaluate` lists them: lone_cell). Otherwise the share, with the weights and the
/// (public) venues, gives a withheld unit's count back: (C + w_j t_j)/(C + U + w_j t_j) is
/// strictly monotone in t_j. With the guard off always true.
bool catchment_units_published(const std::vector<double>& unit_residents, const DisclosurePolicy& policy);

/// Which exposure values of `plan evaluate` and its peers may be printed, from `cells`, the
/// protected units × groups table (units_by_groups_table: the most any output of the pack
/// publishes of the counts). A group's isolation xPx_g = Σ_i x_ig²/(X_g t_i) (and its
/// interaction 1 − xPx_g, before and after a zone in the activity-space model) reads the
/// group's cells and every unit total: `group[g]` only when all of them are published
/// (every_cell_published(cells, g)) and the group total is; two withheld cells a + b = S of
/// the group beside published unit totals t_j, t_l give a²/t_j + b²/t_l, which pins them.
/// The mean isolation Σ_g X_g xPx_g / T = Σ_i Σ_g x_ig²/t_i / T reads every cell: `mean`
/// only when every cell and total is published (one unit with two withheld cells a + b = S
/// gives a² + b²). With the guard off all true.
struct ExposurePublished {
    bool mean = true;
    std::vector<char> group;  ///< per group (cells.cols())
};
ExposurePublished exposure_published(const ProtectedTable& cells);

/// The residents of each unit as one table (1 × units: the column totals are the unit
/// totals) whose grand total is pinned to `groups`' (the residents of all groups, printed by
/// other outputs): a list of unit totals next to the published community total cannot give
/// one small unit back by subtraction (`plan compare`'s units).
ProtectedTable unit_totals_table(const std::vector<double>& unit_totals, const ProtectedTable& groups);

/// Above 50,000 units × groups cells (a city) the tables below use a coarse linear-time
/// rule instead of the hypercube search (docs/privacy.md, "Large tables").
bool large_table(std::size_t units, std::size_t groups);

/// units × groups (counts[g][i]) with the group totals pinned to `groups` (from
/// group_totals_table) and the unit totals pinned as other outputs print them
/// (unit_totals_table). Above 50,000 cells a coarse linear-time rule instead: a group's
/// cells are all withheld when any is small or its total is withheld, and then one more
/// group's (the smallest without a small cell), so that against the unit totals every
/// other output prints no unit's withheld cells are one cell or sum to less than k.
ProtectedTable units_by_groups_table(const std::vector<std::vector<double>>& counts, const ProtectedTable& groups);

/// The rows `rows` of a protected table, in that order, each cell and row total as the whole
/// table publishes it, with the whole table's column totals and grand total: what a reader of
/// the whole table knows of a part of its units (`autocorr --by`'s parts, docs/privacy.md,
/// "LISA"). Nothing is protected anew.
ProtectedTable table_rows(const ProtectedTable& cells, const std::vector<std::size_t>& rows);

/// What a reader of a protected units × groups table can fill in for its withheld cells,
/// and so the table every derived value is computed from under the guard (indices, plan
/// suggest's weights; docs/privacy.md, "Indices from the published table"). Published
/// cells keep their value; each withheld cell gets the maximum-entropy fill (iterative
/// proportional fitting from a uniform start, Deming & Stephan 1940) that agrees with every
/// published unit total, group total and the grand total — the withheld cells of a unit
/// with a published total sum to it less its published cells; those of the units whose
/// totals are withheld sum, together, to the grand total less the published totals — and
/// keeps a "<k" cell within 0..k−1. It reads published numbers only, so anything computed
/// from it is a function of what the pack prints and cannot give a withheld count back.
/// With the guard off, or nothing withheld, the values are the table's own.
struct PublishedEstimate {
    std::size_t rows = 0, cols = 0;
    std::vector<double> values;  ///< rows × cols, row-major
    std::vector<char> filled;    ///< rows × cols: 1 where the value is a fill
    std::size_t cells_filled = 0;
    /// Per column: the residents in its withheld cells as filled (= its published total less
    /// its published cells when the total is published: a printed number).
    std::vector<double> col_filled;
    std::vector<std::size_t> col_cells_filled;  ///< per column: how many of its cells are fills
    double total_filled = 0;  ///< Σ col_filled
    /// The unit (row) and group (column) totals a reader uses: the published total, else the
    /// estimate's sum; and which of them the table withholds.
    std::vector<double> row_totals, col_totals;
    std::vector<char> row_total_withheld, col_total_withheld;
    [[nodiscard]] double at(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
    [[nodiscard]] bool any() const { return cells_filled > 0; }
};
PublishedEstimate published_estimate(const ProtectedTable& cells);

/// The most of its residents a value computed from a published estimate may read in filled
/// cells: above it the value is withheld (the estimate would mostly be the fill, which leans
/// toward an even spread; docs/privacy.md, "Indices from the published table"). The one
/// threshold of every surface that prints such values.
inline constexpr double kMaxFilledShare = 0.5;

/// How a value computed from `e` (the published estimate of `cells`) may be printed when it
/// reads the columns `cols` (groups; empty = every column): `filled_share` = Σ_{c∈cols}
/// e.col_filled[c] / Σ_{c∈cols} (column c's total in `e`: its published total, or the fill's
/// sum where the total is withheld), published numbers only; `estimated` when it reads a
/// filled cell; `withheld` when the share exceeds kMaxFilledShare or, for one column, its total
/// is withheld (a single-group index of a group whose size is not printed), with the reason
/// in Chinese and English. Every value exact (nothing filled) with the guard off.
struct EstimateUse {
    bool estimated = false;
    bool withheld = false;
    double filled_share = 0.0;
    std::string reason_zh, reason_en;  ///< why withheld ("" otherwise)
};
EstimateUse estimate_use(const ProtectedTable& cells, const PublishedEstimate& e, const std::vector<std::size_t>& cols = {});
/// The same from the estimate alone (its col_total_withheld: a part's rows of the whole
/// estimate, estimate_rows, keep the whole table's).
EstimateUse estimate_use(const PublishedEstimate& e, const std::vector<std::size_t>& cols = {});

/// The note (Chinese / English, one line, no newline) beside values marked "≈": computed from
/// the published table with withheld cells filled from the published totals, and the share of
/// the residents they read that was filled (`filled_share`, 0..1; "up to x %" when `up_to`),
/// then `extra_zh` / `extra_en` (each a clause starting with its separator, or "").
struct EstimateNote {
    std::string zh, en;
    [[nodiscard]] std::string both() const { return zh + " / " + en; }  ///< "zh / en" (text outputs)
    [[nodiscard]] bool empty() const { return zh.empty(); }
};
EstimateNote estimate_note(double filled_share, bool up_to = false, const std::string& extra_zh = {},
                           const std::string& extra_en = {});

/// The rows `rows` of an estimate, in that order, each value as the whole estimate fills it
/// (`indices --by`'s parts read the whole project's published table, docs/privacy.md):
/// col_filled, col_totals and the counts are the part's; col_total_withheld stays the whole
/// table's (a group whose total the pack withholds).
PublishedEstimate estimate_rows(const PublishedEstimate& e, const std::vector<std::size_t>& rows);

/// Of the residents of columns `cols` (a group's single-group indices: {g}; a multigroup
/// index: its groups; a pair: both), the share in withheld cells as filled: Σ col_filled /
/// Σ col_totals, published numbers only; 0 when the columns hold no one.
double filled_share(const PublishedEstimate& e, const std::vector<std::size_t>& cols);

/// Whether a value with this filled share is withheld (share > kMaxFilledShare).
inline bool too_filled(double share) { return share > kMaxFilledShare; }

/// Values derived one per cell from a units × groups table (a location quotient per unit
/// and group: with the unit and group totals it gives the count back) are withheld (NaN)
/// with their cell. `counts` and `values` are row-major units × groups. Above 50,000
/// cells the columns the coarse rule withholds (units_by_groups_table). Returns which
/// values it withheld (JSON marks them "suppressed"; a NaN of another cause is not).
std::vector<bool> withhold_with_cells(std::vector<double>& values, const std::vector<double>& counts, std::size_t units,
                                      std::size_t groups, const DisclosurePolicy& policy);

}  // namespace hq::privacy
