#pragma once
// An independent checker for large units × groups tables (docs/privacy.md, "Large tables"):
// the dense LP of auditor.hpp cannot take 800,000 cells, so this one works per unit and per
// group. It reads what a reader has (each cell's printed text, each unit total and group
// total as printed, possibly by other outputs) and propagates intervals over the equalities
// Σ_g x_ig = T_i and Σ_i x_ig = T_g (and the ranges "<k" totals give), to a fixed point.
// Every step is valid for every table consistent with the publication, so the intervals it
// ends with contain the exact ones: what it finds (a "<k" narrower than 0..k−1, a count
// below k printed) is a real leak. It can miss leaks an LP would find (no combination of
// equalities beyond one at a time): finding none is evidence, not proof.
#include <cstddef>
#include <string>
#include <vector>

namespace hq::audit {

struct GridPublication {
    std::size_t units = 0, groups = 0;
    int k = 5;
    std::vector<std::string> cells;         ///< units × groups, row-major: "12", "<5", "x"
    std::vector<std::string> unit_totals;   ///< per unit, as printed ("" = not printed)
    std::vector<std::string> group_totals;  ///< per group, as printed ("" = not printed)
};

struct GridLeak {
    std::size_t unit = 0, group = 0;  ///< group == groups: the unit's total
    double lo = 0, hi = 0;            ///< the interval the checker proved
    std::string what;
};

struct GridCheck {
    std::vector<GridLeak> leaks;  ///< empty: none found
    std::size_t withheld = 0;     ///< withheld cells checked
    int rounds = 0;               ///< propagation rounds to the fixed point
};

/// Propagates to a fixed point (at most `max_rounds` rounds over all rows and columns).
GridCheck check_grid(const GridPublication& p, int max_rounds = 200);

}  // namespace hq::audit
