#pragma once
// Which counts may enter a density surface (a group's kernel density, its local share, the
// mixing of the groups; docs/privacy.md, "Densities"). A density grid is a linear image of
// the unit counts that enter it: with the units' shapes and the kernel known, least squares
// over the pixels gives every such count back. So with the guard on a group's density is
// computed from its *published* cells only: a withheld cell (small, or withheld by the
// protection of the units × groups table) contributes nothing, and the surface is a
// function of published numbers. geo/analysis/surfaces computes; this module decides.
//
// The density's integral then publishes Σ published counts per group, and with every group's
// density and the unit totals, per unit: a reader gets the sum S of the withheld cells of
// each group (its published total minus the integral) and of each unit (its total minus its
// groups' published cells). `density_cells` withholds further until no withheld small cell
// can be narrowed below 0..k−1 by those sums (bounds propagation over every row and column
// sum, as the auditor's reader sees them: a small cell is in 0..k−1, an "x" any size).
#include <cstddef>
#include <string>
#include <vector>

#include "geo/privacy/disclosure.hpp"

namespace hq::privacy {

/// counts[g][i] (group g, unit i) → state[g][i]: None = enters the density.
using CellStates = std::vector<std::vector<Suppression>>;

/// The cells of a units × groups table that may enter a density (docs/privacy.md,
/// "Densities"). With the guard off every cell. With it on:
///  - up to 50,000 cells: the cells published by units_by_groups_table (the same table the
///    composition map, the inspector and the QGIS hand-off publish), so a density reveals
///    no cell they withhold; then withhold_for_sums (which finds nothing more to do there
///    unless a reader's sums narrow a cell);
///  - above (a city): primary suppression, the cells of groups with any small cell
///    (withheld by the coarse rule of the inspector) open to complementary suppression,
///    the others locked published, then withhold_for_sums. Linear in the cells per round.
/// A group with fewer than k residents in all has every cell withheld.
CellStates density_cells(const std::vector<std::vector<double>>& counts, const DisclosurePolicy& policy);

/// The complementary rule of a density's sums: every group (column) total ≥ k and every
/// unit (row) total ≥ k is taken as published; each line's withheld cells then sum to a
/// known S. A withheld cell with a small value must keep the interval 0..k−1 (a reader's
/// bounds: [0, k−1] for a Primary cell, [0, ∞) for a Secondary one). Per line, as long as a
/// small cell's interval [max(0, S − Σ others' upper), min(k−1, S − Σ others' lower)] is
/// narrower, or a line holds exactly one withheld cell, the line's smallest published cell
/// that is not `locked` is withheld (Secondary); then bounds propagation over all lines
/// checks the whole table and the rounds repeat until it holds. `locked` (may be empty) is
/// [g][i]. Returns how many cells it withheld.
std::size_t withhold_for_sums(const std::vector<std::vector<double>>& counts, CellStates& state,
                              const std::vector<std::vector<char>>& locked, const DisclosurePolicy& policy);

struct CellInterval {
    double lo = 0, hi = 0;
};
/// The reader's bounds of every withheld cell ([g][i]; published cells get their value) from
/// the published cells, the group totals ≥ k and the unit totals ≥ k, by bounds propagation
/// (the shuttle algorithm: a relaxation of the LP, never wider than its fixpoint).
std::vector<std::vector<CellInterval>> sum_intervals(const std::vector<std::vector<double>>& counts,
                                                     const CellStates& state, const DisclosurePolicy& policy);

/// counts with every withheld cell set to 0 (what enters the density).
std::vector<std::vector<double>> published_counts(const std::vector<std::vector<double>>& counts,
                                                  const CellStates& state);

/// The legend note of a density drawn with the guard on: "小于k的计数未计入 / counts below k left
/// out" (and the cells withheld with them); "" with the guard off (the stamp says it then).
std::string density_note_zh(const DisclosurePolicy& policy);
std::string density_note_en(const DisclosurePolicy& policy);

/// The refusal of a density of one group (InputError, zh / en in one line): `total` below k
/// (a map of it alone would show where its members live), or no cell of it may be published
/// (e.g. a point layer of one person per point: every count is 1 < k). `name` names it.
void check_single_density(const std::string& name, double total, bool any_published, const DisclosurePolicy& policy);

}  // namespace hq::privacy
