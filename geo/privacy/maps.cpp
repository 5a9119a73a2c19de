// Classed maps of values that are not linear in the counts (docs/privacy.md, "Classed maps").
//
// [SECTION] index
//   the per-unit indices and their extremes over the fillings of withheld cells
//   classes, theoretical breaks
//   maps of values that depend on every unit; the dominant group
#include "geo/privacy/maps.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

namespace hq::privacy {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
/// A unit whose total is withheld is tried at every sum its withheld cells can have; with
/// more than this many (a large table's coarse rule withholds every unit total) it is
/// withheld outright, which keeps a 100,000-unit map linear.
constexpr double kMaxSums = 1000;

bool integral(double v) { return std::isfinite(v) && std::abs(v - std::round(v)) < 1e-9; }

/// The most even filling of `caps` summing to s (0 ≤ x_j ≤ caps_j, Σ x_j = s; s ≤ Σ caps):
/// x_j = min(caps_j, λ) (water-filling), in whole numbers when s and the caps are whole
/// (level ⌊λ⌋, the remainder one each to cells whose cap is above it). It is majorized by
/// every other filling (the KKT conditions of maximizing Σ φ(x_j) for one concave φ).
std::vector<double> most_even(const std::vector<double>& caps, double s) {
    std::vector<std::size_t> order(caps.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return caps[a] < caps[b]; });
    std::vector<double> x(caps.size(), 0.0);
    double left = s;
    std::size_t j = 0;
    for (; j < order.size(); ++j) {
        const double rest = static_cast<double>(order.size() - j);
        if (caps[order[j]] * rest <= left) {
            x[order[j]] = caps[order[j]];
            left -= caps[order[j]];
        } else {
            break;
        }
    }
    if (j == order.size()) return x;
    const double rest = static_cast<double>(order.size() - j);
    bool whole = integral(left);
    for (std::size_t t = j; t < order.size() && whole; ++t) whole = integral(caps[order[t]]);
    if (!whole) {
        for (std::size_t t = j; t < order.size(); ++t) x[order[t]] = left / rest;
        return x;
    }
    // Caps from j on exceed λ = left/rest; the level ⌊λ⌋ + 1 fits under each of them.
    const double level = std::floor(left / rest + 1e-9);
    long long extra = std::max(0LL, std::llround(left - level * rest));
    for (std::size_t t = j; t < order.size(); ++t) x[order[t]] = level + (extra-- > 0 ? 1.0 : 0.0);
    return x;
}

/// The most concentrated filling: the largest caps full, one remainder, the rest 0. Its
/// sorted partial sums are the largest any filling can have (each is min(s, the sum of the
/// largest caps)), so it majorizes every filling; whole when s and the caps are.
std::vector<double> most_concentrated(const std::vector<double>& caps, double s) {
    std::vector<std::size_t> order(caps.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return caps[a] > caps[b]; });
    std::vector<double> x(caps.size(), 0.0);
    double left = s;
    for (std::size_t j : order) {
        x[j] = std::min(caps[j], left);
        left -= x[j];
    }
    return x;
}

/// Groups with residents (the G of the normalised entropy) as a reader knows it: at least
/// the groups whose published total is positive, at most every group whose total is
/// positive or withheld.
std::pair<double, double> groups_with_residents(const ProtectedTable& cells) {
    double lo = 0, hi = 0;
    for (std::size_t g = 0; g < cells.cols(); ++g) {
        const Cell& c = cells.col_total(g);
        if (!c.suppressed() && c.value > 0) ++lo;
        if (c.suppressed() || c.value > 0) ++hi;
    }
    return {lo, hi};
}

double sum_of(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

/// The most a withheld cell can hold by what the table publishes: "<k" at most k − 1, and
/// any withheld cell at most what its published row, column or grand total leaves (+∞ when
/// none is published). The remainders are computed once per table.
class Caps {
public:
    explicit Caps(const ProtectedTable& cells) : m_cells(cells), m_col_rest(cells.cols(), kInf) {
        double published = 0;
        std::vector<double> col(cells.cols(), 0.0);
        for (std::size_t i = 0; i < cells.rows(); ++i)
            for (std::size_t g = 0; g < cells.cols(); ++g)
                if (!cells.cell(i, g).suppressed()) {
                    published += cells.cell(i, g).value;
                    col[g] += cells.cell(i, g).value;
                }
        if (!cells.grand_total().suppressed()) m_grand_rest = cells.grand_total().value - published;
        for (std::size_t g = 0; g < cells.cols(); ++g)
            if (!cells.col_total(g).suppressed()) m_col_rest[g] = cells.col_total(g).value - col[g];
    }
    /// The cap of withheld cell (unit, g); `row_rest` what the unit's published total leaves
    /// (+∞ when it is withheld).
    [[nodiscard]] double cap(std::size_t unit, std::size_t g, double row_rest) const {
        double c = std::min({m_grand_rest, m_col_rest[g], row_rest});
        if (m_cells.cell(unit, g).state == Suppression::Primary) c = std::min(c, static_cast<double>(m_cells.policy().k - 1));
        return std::max(c, 0.0);
    }
    /// What unit's published total leaves for its withheld cells (+∞ when it is withheld).
    [[nodiscard]] double row_rest(std::size_t unit) const {
        const Cell& t = m_cells.row_total(unit);
        if (t.suppressed()) return kInf;
        double r = t.value;
        for (std::size_t g = 0; g < m_cells.cols(); ++g)
            if (!m_cells.cell(unit, g).suppressed()) r -= m_cells.cell(unit, g).value;
        return r;
    }

private:
    const ProtectedTable& m_cells;
    std::vector<double> m_col_rest;
    double m_grand_rest = kInf;
};

std::optional<ValueRange> unit_range(UnitIndex f, const ProtectedTable& cells, const Caps& caps_of, std::size_t unit);

}  // namespace

// [SECTION] The per-unit indices ---------------------------------------------------------------

std::optional<UnitIndex> unit_index_from_id(const std::string& id) {
    if (id == "multi_local_entropy") return UnitIndex::Entropy;
    if (id == "multi_local_diversity") return UnitIndex::Diversity;
    if (id == "multi_local_simpson_interaction") return UnitIndex::SimpsonInteraction;
    if (id == "multi_local_simpson_concentration") return UnitIndex::SimpsonConcentration;
    return std::nullopt;
}

double unit_index_value(UnitIndex f, const std::vector<double>& counts, double groups) {
    const double t = sum_of(counts);
    if (!(t > 0)) return std::numeric_limits<double>::quiet_NaN();
    double s = 0;
    for (const double n : counts) {
        const double q = n / t;
        switch (f) {
            case UnitIndex::Entropy:
            case UnitIndex::Diversity: s += q > 0 ? -q * std::log(q) : 0.0; break;
            case UnitIndex::SimpsonInteraction: s += q * (1.0 - q); break;
            case UnitIndex::SimpsonConcentration: s += q * q; break;
        }
    }
    return f == UnitIndex::Entropy ? s / std::log(groups) : s;
}

// Why the extremes are where they are. With the unit total t fixed, each index is
// Σ_g φ(n_g / t) for one φ: −q ln q and q(1 − q) are concave, q² is convex. Over the
// withheld cells x (published cells fixed), Σ φ(x_j / t) is then a symmetric concave
// (convex) function of x: Schur-concave (Schur-convex). The fillings form the box
// 0 ≤ x_j ≤ cap_j cut by Σ x_j = s. In it the most even filling (water-filling) is
// majorized by every filling, and the most concentrated (largest caps first) majorizes
// every filling, so entropy, diversity and Simpson's interaction are largest at the first
// and smallest at the second, Simpson's concentration the other way round (Marshall,
// Olkin & Arnold, *Inequalities: Theory of Majorization*, 2011, ch. 3). When the unit
// total is withheld, s runs over every possible sum and the range is the union.
std::vector<std::optional<ValueRange>> unit_index_ranges(UnitIndex f, const ProtectedTable& cells) {
    const Caps caps(cells);
    std::vector<std::optional<ValueRange>> out;
    out.reserve(cells.rows());
    for (std::size_t i = 0; i < cells.rows(); ++i) out.push_back(unit_range(f, cells, caps, i));
    return out;
}

namespace {

std::optional<ValueRange> unit_range(UnitIndex f, const ProtectedTable& cells, const Caps& caps_of, std::size_t unit) {
    const DisclosurePolicy& policy = cells.policy();
    const std::size_t G = cells.cols();
    const Cell& total = cells.row_total(unit);
    if (!(total.value > 0) || policy.small(total.value)) return std::nullopt;
    auto [g_lo, g_hi] = groups_with_residents(cells);
    if (f != UnitIndex::Entropy) g_lo = g_hi = 2;  // unused
    if (g_lo < 2) return std::nullopt;             // ln G ≤ 0: no bound

    std::vector<double> published;
    std::vector<std::size_t> withheld;
    double p = 0;
    for (std::size_t g = 0; g < G; ++g) {
        const Cell& c = cells.cell(unit, g);
        if (c.suppressed()) {
            withheld.push_back(g);
        } else {
            published.push_back(c.value);
            p += c.value;
        }
    }
    auto value = [&](const std::vector<double>& fill, double groups) {
        std::vector<double> all = published;
        all.insert(all.end(), fill.begin(), fill.end());
        return unit_index_value(f, all, groups);
    };
    if (withheld.empty()) {
        double groups = g_lo;
        if (f == UnitIndex::Entropy) {
            // The value the maps compute (G = groups with residents) is the range's only value
            // when every group total is published; else the range spans the possible G.
            if (g_lo != g_hi) {
                const double h = value({}, 2.0) * std::log(2.0);
                return ValueRange{h / std::log(g_hi), h / std::log(g_lo), false};
            }
        }
        const double v = value({}, groups);
        return ValueRange{v, v, true};
    }

    std::vector<double> caps;
    const double row_rest = caps_of.row_rest(unit);
    for (const std::size_t g : withheld) {
        caps.push_back(caps_of.cap(unit, g, row_rest));
        if (!std::isfinite(caps.back())) return std::nullopt;
    }
    double s_lo = total.value - p, s_hi = s_lo;
    if (total.suppressed()) {
        s_lo = std::max(0.0, std::ceil(static_cast<double>(policy.k) - p - 1e-9));
        s_hi = sum_of(caps);
        if (s_hi - s_lo > kMaxSums) return std::nullopt;
    }
    const bool concave = f != UnitIndex::SimpsonConcentration;
    ValueRange r{kInf, -kInf, false};
    for (double s = s_lo; s <= s_hi + 1e-9; s += 1.0) {
        if (!(p + s > 0) || s > sum_of(caps) + 1e-9) continue;
        const auto even = most_even(caps, s), peaked = most_concentrated(caps, s);
        double lo = value(concave ? peaked : even, 2.0), hi = value(concave ? even : peaked, 2.0);
        if (f == UnitIndex::Entropy) {  // value(…, 2) is H / ln 2
            lo = lo * std::log(2.0) / std::log(g_hi);
            hi = hi * std::log(2.0) / std::log(g_lo);
        }
        r.lo = std::min(r.lo, lo);
        r.hi = std::max(r.hi, hi);
        if (!total.suppressed()) break;
    }
    if (!(r.lo <= r.hi)) return std::nullopt;
    return r;
}

}  // namespace

// [SECTION] Classes -----------------------------------------------------------------------------

int published_unit_class(const ValueRange& range, const std::vector<double>& edges) {
    if (edges.size() < 2 || !std::isfinite(range.lo) || !std::isfinite(range.hi)) return kWithheldClass;
    const int m = static_cast<int>(edges.size()) - 1;
    auto class_of = [&](double v) {
        for (int c = 0; c < m; ++c)
            if (v <= edges[static_cast<std::size_t>(c) + 1]) return c;
        return m - 1;
    };
    // A filling's value computed another way may differ in the last bits: an undetermined
    // unit's range is widened by a hair, so a value on a break is withheld, not guessed.
    const double eps = range.exact ? 0.0 : 1e-9 * std::max(1.0, std::abs(edges.back() - edges.front()));
    const int a = class_of(range.lo - eps), b = class_of(range.hi + eps);
    return a == b ? a : kWithheldClass;
}

std::vector<double> theoretical_breaks(UnitIndex f, std::size_t groups, int classes) {
    const double G = static_cast<double>(std::max<std::size_t>(groups, 2));
    double lo = 0, hi = 1;
    switch (f) {
        case UnitIndex::Entropy: break;
        case UnitIndex::Diversity: hi = std::log(G); break;
        case UnitIndex::SimpsonInteraction: hi = 1.0 - 1.0 / G; break;
        case UnitIndex::SimpsonConcentration: lo = 1.0 / G; break;
    }
    const int m = std::max(classes, 1);
    std::vector<double> e;
    for (int c = 0; c <= m; ++c) e.push_back(lo + (hi - lo) * static_cast<double>(c) / static_cast<double>(m));
    return e;
}

// [SECTION] Maps of values that depend on every unit; the dominant group --------------------------

bool every_cell_published(const ProtectedTable& cells, std::optional<std::size_t> group) {
    for (std::size_t i = 0; i < cells.rows(); ++i) {
        if (cells.row_total(i).suppressed()) return false;
        for (std::size_t g = 0; g < cells.cols(); ++g)
            if ((!group || *group == g) && cells.cell(i, g).suppressed()) return false;
    }
    if (!group)
        for (std::size_t g = 0; g <= cells.cols(); ++g)
            if (cells.col_total(g).suppressed()) return false;
    return true;
}

std::vector<bool> units_with_withheld_counts(const ProtectedTable& cells) {
    std::vector<bool> out(cells.rows(), false);
    for (std::size_t i = 0; i < cells.rows(); ++i) {
        bool w = cells.row_total(i).suppressed();
        for (std::size_t g = 0; g < cells.cols() && !w; ++g) w = cells.cell(i, g).suppressed();
        out[i] = w;
    }
    return out;
}

std::vector<char> lisa_input_units(const ProtectedTable& cells, std::size_t group, bool needs_total) {
    std::vector<char> in(cells.rows(), 1);
    if (!cells.policy().guard) return in;
    for (std::size_t i = 0; i < cells.rows(); ++i) {
        const bool cell = group < cells.cols() && !cells.cell(i, group).suppressed();
        const bool total = !needs_total || !cells.row_total(i).suppressed();
        in[i] = cell && total ? 1 : 0;
    }
    return in;
}

bool group_printed_at_least_k(const ProtectedTable& cells, std::size_t group) {
    const DisclosurePolicy& policy = cells.policy();
    if (!policy.guard) return true;
    double printed = 0;
    for (std::size_t i = 0; i < cells.rows() && group < cells.cols(); ++i)
        if (!cells.cell(i, group).suppressed()) printed += cells.cell(i, group).value;
    return printed >= policy.k;
}

std::string lisa_input_note_zh(std::size_t entering, std::size_t units) {
    return "LISA仅用" + std::to_string(entering) + "个计数公开的单元计算（共" + std::to_string(units) +
           "个；其余不公开，不参与计算）";
}
std::string lisa_input_note_en(std::size_t entering, std::size_t units) {
    return "LISA computed from the " + std::to_string(entering) + " of " + std::to_string(units) +
           " units whose count is published (the others are withheld and left out)";
}

std::vector<int> published_dominant(const ProtectedTable& cells) {
    const Caps caps(cells);
    std::vector<int> out(cells.rows(), kNoDominant);
    for (std::size_t i = 0; i < cells.rows(); ++i) {
        double best = 0;
        for (std::size_t g = 0; g < cells.cols(); ++g)
            if (cells.cell(i, g).value > best) {
                best = cells.cell(i, g).value;
                out[i] = static_cast<int>(g);
            }
        if (out[i] < 0) continue;
        const auto d = static_cast<std::size_t>(out[i]);
        if (cells.cell(i, d).suppressed()) {
            out[i] = kNoPublishedDominant;
            continue;
        }
        // Every filling must keep d the first largest: a withheld cell before d below its
        // count, after d at most it. Else the colour would cap a withheld cell more tightly
        // than the table does, and through the unit's sum lift another ("<k" ≥ 1).
        const double row_rest = caps.row_rest(i);
        for (std::size_t g = 0; g < cells.cols() && out[i] >= 0; ++g)
            if (cells.cell(i, g).suppressed()) {
                const double c = caps.cap(i, g, row_rest);
                if (g < d ? c >= best : c > best) out[i] = kNoPublishedDominant;
            }
    }
    return out;
}

}  // namespace hq::privacy
