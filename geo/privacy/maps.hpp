#pragma once
// Classed maps of values that are not linear in the counts (docs/privacy.md, "Classed
// maps"): a unit's class, or its largest group's colour, is published only when it cannot
// narrow a withheld count. The rule reads only the protected units × groups table (what
// the outputs print of it) and is used by every map of these values (app/carto's scene,
// which the exporter and the viewer both draw). Nothing here draws.
//
//   unit_index_ranges()    min and max of a per-unit index (entropy, diversity, Simpson)
//                          over every filling of the unit's withheld cells
//   published_unit_class() the class a map may draw for a unit, or kWithheldClass
//   theoretical_breaks()   class breaks over the index's theoretical range (data-free)
//   every_cell_published() maps whose values depend on every unit (distortion)
//   lisa_input_units()     the units a LISA of a group's share may enter (published-only)
//   group_printed_at_least_k() whether a part's printed cells show k residents of a group
//   published_dominant()   the largest group of each unit, when its count is published
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "geo/privacy/disclosure.hpp"

namespace hq::privacy {

/// The per-unit indices of a unit's composition alone (geo/stats, multigroup local), with
/// q_g = n_g / t the unit's shares over its G groups:
enum class UnitIndex : std::uint8_t {
    Entropy,               ///< multi_local_entropy: −Σ q ln q / ln G (G = groups with residents)
    Diversity,             ///< multi_local_diversity: −Σ q ln q
    SimpsonInteraction,    ///< multi_local_simpson_interaction: Σ q (1 − q)
    SimpsonConcentration,  ///< multi_local_simpson_concentration: Σ q²
};
/// The index of a local index id, nullopt for another id.
std::optional<UnitIndex> unit_index_from_id(const std::string& id);

/// The index of one unit's counts; NaN when they sum to 0. `groups` is G (Entropy only).
double unit_index_value(UnitIndex f, const std::vector<double>& counts, double groups);

struct ValueRange {
    double lo = 0, hi = 0;
    bool exact = false;  ///< no withheld cell: lo == hi is the unit's value
};

/// Per unit, the range of f over every filling of its withheld cells consistent with what
/// `cells` publishes: a "<k" cell in 0..k−1, an "x" cell in 0..its bound (its row's, its
/// column's or the grand total's remainder, the least of those published), the withheld
/// cells summing to the unit total minus its published cells when the total is published
/// (else any sum that leaves the unit at least k residents, as its unhatched fill says).
/// Exact for the relaxation that ignores the column sums (a superset of the fillings a
/// reader can hold possible, so a class constant over it is constant over theirs).
/// nullopt when the unit has no residents, its total is small (drawn hatched) or a
/// withheld cell has no published bound.
std::vector<std::optional<ValueRange>> unit_index_ranges(UnitIndex f, const ProtectedTable& cells);

/// A unit's class with edges e_0 ≤ … ≤ e_m as carto::class_of counts them (class c holds
/// (e_c, e_{c+1}], the first also e_0; below e_0 class 0, above e_m the last), when every
/// value of `range` falls in one class; kWithheldClass otherwise or without edges.
inline constexpr int kWithheldClass = -1;
int published_unit_class(const ValueRange& range, const std::vector<double>& edges);

/// Equal classes over the index's theoretical range for `groups` manifest groups (no data
/// value enters them): Entropy 0..1, Diversity 0..ln G, SimpsonInteraction 0..1 − 1/G,
/// SimpsonConcentration 1/G..1.
std::vector<double> theoretical_breaks(UnitIndex f, std::size_t groups, int classes);

/// Whether a map whose every value depends on every unit (the local distortion: every
/// unit's counts) may class any unit: only when no cell it reads is withheld (`group` given:
/// that group's cells and the unit totals; else every cell and total). A LISA (z, quadrant)
/// uses published-only inputs instead (lisa_input_units).
bool every_cell_published(const ProtectedTable& cells, std::optional<std::size_t> group = std::nullopt);

/// Per unit: whether its total or any of its cells is withheld. An exact value computed from
/// a unit's counts alone (a local entropy, diversity or Simpson index, a location quotient)
/// gives the withheld counts back with the published ones, so every printed or written
/// exact local index is withheld where this is true (`indices` text, JSON and CSV, the
/// per-unit table and the QGIS hand-off). Classed maps use unit_index_ranges instead.
std::vector<bool> units_with_withheld_counts(const ProtectedTable& cells);

/// The units whose value may enter a LISA (local Moran, its quadrant, z and p; local G; the
/// Moran scatterplot) of a group's share or count with the guard on: **published-only
/// inputs** (docs/privacy.md, "LISA"). A unit enters when the table publishes its cell of
/// `group` and, for a share (`needs_total`), its total; its share is then the quotient of two
/// printed numbers. Every other unit is left out of the computation altogether (no value, no
/// links: the weights are those among the entering units), so every statistic computed is a
/// function of printed numbers and the (public) geometry, and no filling of a withheld cell
/// can change it. With the guard off every unit enters. 1 = enters.
std::vector<char> lisa_input_units(const ProtectedTable& cells, std::size_t group, bool needs_total);

/// Whether the table's printed cells of `group` show at least k residents (their sum ≥ k;
/// always true with the guard off). A part's statistic of a group (`autocorr --by`) is
/// withheld otherwise, as a group of fewer than k residents is refused: decided from printed
/// numbers only, so that withholding says nothing about a withheld cell (the part's true
/// count is at least the printed sum, so every part where the group has fewer than k
/// residents is withheld too).
bool group_printed_at_least_k(const ProtectedTable& cells, std::size_t group);

/// The note every LISA output carries when units were left out (zh / en): "LISA仅用m个公开
/// 计数的单元计算（共n个）" / "LISA computed from the m of n units whose count is published".
std::string lisa_input_note_zh(std::size_t entering, std::size_t units);
std::string lisa_input_note_en(std::size_t entering, std::size_t units);

/// The largest group of each unit (the first of equal largest, as the dominant map takes
/// it): its index, kNoDominant when the unit has no residents, or kNoPublishedDominant when
/// that group's count in the unit is withheld, or when some filling of the unit's withheld
/// cells would make another group the largest (a withheld cell's bound, as for
/// unit_index_ranges, above the published count c). So the colour says nothing a reader
/// of the table did not know: "every withheld cell is at most c" already holds for every
/// filling. (c alone is not enough: a colour capping an "x" at c would, through the unit's
/// published total, lift a "<k" beside it above 0.)
inline constexpr int kNoDominant = -1;
inline constexpr int kNoPublishedDominant = -2;
std::vector<int> published_dominant(const ProtectedTable& cells);

}  // namespace hq::privacy
