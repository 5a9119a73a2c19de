// The published estimate (geo/privacy/tables.hpp, published_estimate; docs/privacy.md,
// "Indices from the published table"): the table every derived value is computed from under
// the guard. It must read published numbers only (a perturbed withheld cell changes nothing),
// meet every published total, keep a "<k" cell within 0..k−1, and on a hand-worked table give
// the maximum-entropy fill worked out below.
#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <vector>

#include "geo/privacy/tables.hpp"

using Catch::Matchers::WithinAbs;
using namespace hq;

namespace {

/// counts[g][i] → the protected units × groups table as every output of a pack prints it.
privacy::ProtectedTable protected_units(const std::vector<std::vector<double>>& counts,
                                        const privacy::DisclosurePolicy& policy) {
    std::vector<double> totals(counts.size(), 0.0);
    for (std::size_t g = 0; g < counts.size(); ++g)
        for (const double v : counts[g]) totals[g] += v;
    return privacy::units_by_groups_table(counts, privacy::group_totals_table(totals, policy));
}

/// The same table with every withheld cell's value replaced (what a reader cannot see).
privacy::ProtectedTable perturbed(const privacy::ProtectedTable& t, std::mt19937& rng) {
    std::vector<privacy::Cell> cells;
    std::uniform_real_distribution<double> d(0.0, 500.0);
    for (std::size_t r = 0; r <= t.rows(); ++r)
        for (std::size_t c = 0; c <= t.cols(); ++c) {
            privacy::Cell x = t.cell(r, c);
            if (x.suppressed()) x.value = d(rng);
            cells.push_back(x);
        }
    return {t.rows(), t.cols(), std::move(cells), t.policy()};
}

}  // namespace

TEST_CASE("published estimate: a hand-worked 3 x 3 table gets the capped maximum-entropy fill", "[privacy][estimate]") {
    // Units u0..u2 × groups A, B, C (counts[g][i]). B in u0 (2) and C in u1 (3) are small;
    // complementary suppression withholds B and C in every unit (a 3 × 2 block: protect()
    // finds no 2 × 2 rectangle wide enough), and A and every total stay published.
    const std::vector<std::vector<double>> counts = {{100, 80, 60}, {2, 30, 40}, {50, 3, 45}};
    const privacy::DisclosurePolicy policy;
    const privacy::ProtectedTable t = protected_units(counts, policy);
    REQUIRE(t.cell(0, 1).state == privacy::Suppression::Primary);
    REQUIRE(t.cell(1, 2).state == privacy::Suppression::Primary);
    for (std::size_t i = 0; i < 3; ++i) {
        REQUIRE(t.cell(i, 1).suppressed());
        REQUIRE(t.cell(i, 2).suppressed());
        REQUIRE_FALSE(t.cell(i, 0).suppressed());
        REQUIRE_FALSE(t.row_total(i).suppressed());
    }
    for (std::size_t g = 0; g < 3; ++g) REQUIRE_FALSE(t.col_total(g).suppressed());
    // By hand. Published: B0 + C0 = 152 − 100 = 52, B1 + C1 = 33, B2 + C2 = 85, B0 + B1 + B2 =
    // 72, C0 + C1 + C2 = 98. Without caps the maximum-entropy fill is independence, x = row ×
    // column / 170: B0 = 52·72/170 ≈ 22.0 and C1 = 33·98/170 ≈ 19.0, both above the 4 that
    // "<5" allows. With both at their cap the rest follows: C0 = 48, B1 = 29, B2 = 72 − 33 =
    // 39, C2 = 46. It is the capped optimum (the KKT form x = min(cap, a_row·b_col)): u2 gives
    // b_C/b_B = 46/39, so uncapped u0 would have B0 = 48·39/46 ≈ 40.7 ≥ 4 and u1 C1 = 29·46/39
    // ≈ 34.2 ≥ 4: both caps bind.
    const privacy::PublishedEstimate e = privacy::published_estimate(t);
    CHECK(e.cells_filled == 6);
    CHECK_THAT(e.at(0, 1), WithinAbs(4.0, 1e-6));
    CHECK_THAT(e.at(0, 2), WithinAbs(48.0, 1e-6));
    CHECK_THAT(e.at(1, 1), WithinAbs(29.0, 1e-6));
    CHECK_THAT(e.at(1, 2), WithinAbs(4.0, 1e-6));
    CHECK_THAT(e.at(2, 1), WithinAbs(39.0, 1e-6));
    CHECK_THAT(e.at(2, 2), WithinAbs(46.0, 1e-6));
    CHECK(e.at(0, 0) == 100);
        CHECK_THAT(e.col_filled[1], WithinAbs(72.0, 1e-6));
    CHECK_THAT(e.col_filled[2], WithinAbs(98.0, 1e-6));
    CHECK(e.col_cells_filled[1] == 3);
    CHECK(e.col_cells_filled[0] == 0);
    CHECK_THAT(e.total_filled, WithinAbs(170.0, 1e-6));
}

TEST_CASE("published estimate: reads no withheld value, meets every published total, keeps <k below k",
          "[privacy][estimate]") {
    std::mt19937 rng(20261208);
    std::poisson_distribution<int> small(2.0), mid(40.0);
    std::uniform_int_distribution<int> pick(0, 3);
    const privacy::DisclosurePolicy policy;
    for (int trial = 0; trial < 20; ++trial) {
        // 30 units × 6 groups (and a coarse city table on the last trials: 9000 × 6 cells).
        const std::size_t n = trial < 16 ? 30 : 9000, ng = 6;
        std::vector<std::vector<double>> counts(ng, std::vector<double>(n));
        for (auto& col : counts)
            for (auto& v : col) v = pick(rng) == 0 ? small(rng) : mid(rng);
        const privacy::ProtectedTable t = protected_units(counts, policy);
        const privacy::PublishedEstimate e = privacy::published_estimate(t);
        REQUIRE(e.any());
        // The same published numbers with other withheld values: the same estimate, bit for bit.
        const privacy::PublishedEstimate e2 = privacy::published_estimate(perturbed(t, rng));
        REQUIRE(e2.values == e.values);
        double grand = 0.0;
        for (std::size_t r = 0; r < n; ++r) {
            double s = 0.0;
            for (std::size_t c = 0; c < ng; ++c) {
                const double v = e.at(r, c);
                REQUIRE(v >= 0.0);
                if (!t.cell(r, c).suppressed()) REQUIRE(v == t.cell(r, c).value);
                if (t.cell(r, c).state == privacy::Suppression::Primary) REQUIRE(v <= policy.k - 1 + 1e-9);
                s += v;
            }
            grand += s;
            if (!t.row_total(r).suppressed()) REQUIRE_THAT(s, WithinAbs(t.row_total(r).value, 1e-6));
        }
        for (std::size_t c = 0; c < ng; ++c) {
            double s = 0.0;
            for (std::size_t r = 0; r < n; ++r) s += e.at(r, c);
            if (!t.col_total(c).suppressed()) REQUIRE_THAT(s, WithinAbs(t.col_total(c).value, 1e-6));
        }
        REQUIRE_THAT(grand, WithinAbs(t.grand_total().value, 1e-6));
    }
}

TEST_CASE("published estimate: with the guard off the table is its own estimate", "[privacy][estimate]") {
    const std::vector<std::vector<double>> counts = {{100, 80, 60}, {2, 30, 40}, {50, 3, 45}};
    privacy::DisclosurePolicy off;
    off.guard = false;
    const privacy::PublishedEstimate e = privacy::published_estimate(protected_units(counts, off));
    CHECK_FALSE(e.any());
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t g = 0; g < 3; ++g) CHECK(e.at(i, g) == counts[g][i]);
}
