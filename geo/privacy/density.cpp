// Which counts may enter a density surface (docs/privacy.md, "Densities").
#include "geo/privacy/density.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <numeric>

#include "geo/core/error.hpp"
#include "geo/privacy/tables.hpp"

namespace hq::privacy {

namespace {

constexpr std::size_t kLargeTable = 50000;  ///< as tables.cpp: above, the coarse linear rules
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEps = 1e-7;

/// The lines of a units × groups table: columns (groups, 0..G−1) then rows (units, G..G+n−1).
class Lines {
public:
    Lines(const std::vector<std::vector<double>>& counts, CellStates& state, const std::vector<std::vector<char>>& locked,
          int k)
        : m_x(counts), m_s(state), m_locked(locked), m_G(counts.size()), m_n(counts.empty() ? 0 : counts[0].size()),
          m_k(k), m_agg(m_G + m_n), m_known(m_G + m_n, 0), m_order(m_G), m_next(m_G, 0) {
        for (std::size_t g = 0; g < m_G; ++g) {
            double t = 0;
            for (std::size_t i = 0; i < m_n; ++i) t += m_x[g][i];
            m_known[g] = t >= k;
            m_order[g].resize(m_n);
            std::iota(m_order[g].begin(), m_order[g].end(), std::size_t{0});
            std::stable_sort(m_order[g].begin(), m_order[g].end(),
                             [&](std::size_t a, std::size_t b) { return m_x[g][a] < m_x[g][b]; });
        }
        for (std::size_t i = 0; i < m_n; ++i) {
            double t = 0;
            for (std::size_t g = 0; g < m_G; ++g) t += m_x[g][i];
            m_known[m_G + i] = t >= k;
        }
        for (std::size_t g = 0; g < m_G; ++g)
            for (std::size_t i = 0; i < m_n; ++i) add(g, i, +1);
    }

    /// Every known line whose withheld cells a reader could narrow gets one more cell withheld,
    /// until none (or no candidate is left). Returns the cells withheld.
    std::size_t settle(std::deque<std::size_t> work) {
        std::vector<char> queued(m_G + m_n, 0);
        for (std::size_t l : work) queued[l] = 1;
        std::size_t added = 0;
        while (!work.empty()) {
            const std::size_t l = work.front();
            work.pop_front();
            queued[l] = 0;
            if (!m_known[l] || line_ok(l)) continue;
            std::size_t g = 0, i = 0;
            if (!candidate(l, g, i)) continue;  // nothing left to withhold in this line
            withhold(g, i);
            ++added;
            for (const std::size_t m : {g, m_G + i, l})
                if (!queued[m]) {
                    queued[m] = 1;
                    work.push_back(m);
                }
        }
        return added;
    }

    /// One more cell withheld in a line of cell (g, i) (its column when known, else its row).
    bool widen(std::size_t g, std::size_t i) {
        for (const std::size_t l : {g, m_G + i}) {
            std::size_t cg = 0, ci = 0;
            if (m_known[l] && candidate(l, cg, ci)) {
                withhold(cg, ci);
                return true;
            }
        }
        return false;
    }
    void withhold_all(std::size_t g) {
        for (std::size_t i = 0; i < m_n; ++i)
            if (m_s[g][i] == Suppression::None && !locked(g, i)) withhold(g, i);
    }
    [[nodiscard]] std::size_t lines() const { return m_G + m_n; }

private:
    struct Agg {
        double s = 0;        ///< Σ withheld values
        std::size_t w = 0;   ///< withheld cells
        std::size_t p = 0;   ///< Primary (small, reader bound k−1)
        std::size_t x = 0;   ///< Secondary ("x", reader bound ∞)
        std::size_t xs = 0;  ///< Secondary cells whose value is small
    };

    [[nodiscard]] bool locked(std::size_t g, std::size_t i) const { return !m_locked.empty() && m_locked[g][i]; }

    void add(std::size_t g, std::size_t i, int sign) {
        const Suppression st = m_s[g][i];
        if (st == Suppression::None) return;
        const double v = m_x[g][i];
        for (Agg* a : {&m_agg[g], &m_agg[m_G + i]}) {
            a->s += sign * v;
            a->w += static_cast<std::size_t>(sign);
            if (st == Suppression::Primary) a->p += static_cast<std::size_t>(sign);
            else {
                a->x += static_cast<std::size_t>(sign);
                if (v < m_k) a->xs += static_cast<std::size_t>(sign);
            }
        }
    }

    void withhold(std::size_t g, std::size_t i) {
        m_s[g][i] = Suppression::Secondary;
        add(g, i, +1);
    }

    /// Can a reader who knows the line's sum S narrow one of its withheld small cells, or
    /// recover a lone withheld cell? A small cell j keeps 0..k−1 iff S ≥ k−1 (it can be k−1,
    /// the others 0) and S ≤ Σ others' upper bounds (it can be 0).
    [[nodiscard]] bool line_ok(std::size_t l) const {
        const Agg& a = m_agg[l];
        if (a.w == 0) return true;
        if (a.w == 1) return false;
        const double k1 = m_k - 1;
        if (a.p + a.xs == 0) return true;
        if (a.s < k1 - kEps) return false;
        if (a.p > 0 && a.x == 0 && a.s > static_cast<double>(a.p - 1) * k1 + kEps) return false;
        if (a.xs > 0 && a.x < 2 && a.s > static_cast<double>(a.p) * k1 + kEps) return false;
        return true;
    }

    /// The line's smallest published cell that is not locked.
    bool candidate(std::size_t l, std::size_t& g, std::size_t& i) {
        if (l < m_G) {
            g = l;
            auto& next = m_next[l];
            while (next < m_n && (m_s[l][m_order[l][next]] != Suppression::None || locked(l, m_order[l][next]))) ++next;
            if (next == m_n) return false;
            i = m_order[l][next];
            return true;
        }
        i = l - m_G;
        double best = kInf;
        bool found = false;
        for (std::size_t c = 0; c < m_G; ++c)
            if (m_s[c][i] == Suppression::None && !locked(c, i) && m_x[c][i] < best) {
                best = m_x[c][i];
                g = c;
                found = true;
            }
        return found;
    }

    const std::vector<std::vector<double>>& m_x;
    CellStates& m_s;
    const std::vector<std::vector<char>>& m_locked;
    std::size_t m_G, m_n;
    int m_k;
    std::vector<Agg> m_agg;
    std::vector<char> m_known;
    std::vector<std::vector<std::size_t>> m_order;  ///< per column, units by value
    std::vector<std::size_t> m_next;                ///< per column, first order index not yet known withheld
};

bool narrowed(const CellInterval& iv, int k) { return iv.lo > kEps || iv.hi < (k - 1) - kEps; }

}  // namespace

std::vector<std::vector<CellInterval>> sum_intervals(const std::vector<std::vector<double>>& counts,
                                                     const CellStates& state, const DisclosurePolicy& policy) {
    const std::size_t G = counts.size(), n = G ? counts[0].size() : 0;
    const double k1 = policy.k - 1;
    std::vector<std::vector<CellInterval>> b(G, std::vector<CellInterval>(n));
    for (std::size_t g = 0; g < G; ++g)
        for (std::size_t i = 0; i < n; ++i) {
            const Suppression s = state[g][i];
            b[g][i] = s == Suppression::None      ? CellInterval{counts[g][i], counts[g][i]}
                      : s == Suppression::Primary ? CellInterval{0, k1}
                                                  : CellInterval{0, kInf};
        }
    // Each known line: Σ of its cells = its total T (published when ≥ k).
    std::vector<double> col(G, 0), row(n, 0);
    for (std::size_t g = 0; g < G; ++g)
        for (std::size_t i = 0; i < n; ++i) {
            col[g] += counts[g][i];
            row[i] += counts[g][i];
        }
    // One pass over a line: tighten each withheld cell against the others' bounds.
    auto pass = [&](double total, std::size_t len, auto cell) {
        double lo = 0, hi = 0;
        std::size_t inf = 0;
        for (std::size_t j = 0; j < len; ++j) {
            const CellInterval& c = cell(j);
            lo += c.lo;
            if (std::isinf(c.hi)) ++inf;
            else hi += c.hi;
        }
        bool changed = false;
        for (std::size_t j = 0; j < len; ++j) {
            CellInterval& c = cell(j);
            if (c.lo == c.hi) continue;
            const std::size_t inf_others = inf - (std::isinf(c.hi) ? 1 : 0);
            const double others_hi = inf_others ? kInf : (std::isinf(c.hi) ? hi : hi - c.hi);
            const double nlo = inf_others ? c.lo : std::max(c.lo, total - others_hi);
            const double nhi = std::min(c.hi, total - (lo - c.lo));
            if (nlo > c.lo + kEps || nhi < c.hi - kEps) {
                lo += nlo - c.lo;
                if (!std::isinf(c.hi)) hi += nhi - c.hi;
                else if (!std::isinf(nhi)) {
                    --inf;
                    hi += nhi;
                }
                c = {nlo, std::max(nlo, nhi)};
                changed = true;
            }
        }
        return changed;
    };
    if (!policy.guard) return b;
    for (int round = 0; round < 200; ++round) {
        bool changed = false;
        for (std::size_t g = 0; g < G; ++g)
            if (col[g] >= policy.k)
                changed = pass(col[g], n, [&](std::size_t i) -> CellInterval& { return b[g][i]; }) || changed;
        for (std::size_t i = 0; i < n; ++i)
            if (row[i] >= policy.k)
                changed = pass(row[i], G, [&](std::size_t g) -> CellInterval& { return b[g][i]; }) || changed;
        if (!changed) break;
    }
    return b;
}

std::size_t withhold_for_sums(const std::vector<std::vector<double>>& counts, CellStates& state,
                              const std::vector<std::vector<char>>& locked, const DisclosurePolicy& policy) {
    if (!policy.guard || policy.k <= 1 || counts.empty() || counts[0].empty()) return 0;
    const std::size_t G = counts.size(), n = counts[0].size();
    Lines lines(counts, state, locked, policy.k);
    std::deque<std::size_t> all(lines.lines());
    std::iota(all.begin(), all.end(), std::size_t{0});
    std::size_t added = lines.settle(all);
    // The whole table: bounds propagation over every line; a small cell it narrows gets one
    // more withheld cell in a line of its own, and the lines settle again.
    for (int round = 0;; ++round) {
        const auto b = sum_intervals(counts, state, policy);
        std::deque<std::size_t> work;
        std::vector<char> bad_group(G, 0);
        for (std::size_t g = 0; g < G; ++g)
            for (std::size_t i = 0; i < n; ++i)
                if (state[g][i] != Suppression::None && counts[g][i] < policy.k && narrowed(b[g][i], policy.k)) {
                    bad_group[g] = 1;
                    if (round < 20 && lines.widen(g, i)) {
                        ++added;
                        work.push_back(g);
                        work.push_back(G + i);
                    }
                }
        if (std::none_of(bad_group.begin(), bad_group.end(), [](char c) { return c != 0; })) break;
        if (round >= 20) {  // last resort: every unlocked cell of such a group withheld
            for (std::size_t g = 0; g < G; ++g)
                if (bad_group[g]) lines.withhold_all(g);
            break;
        }
        added += lines.settle(std::move(work));
    }
    return added;
}

CellStates density_cells(const std::vector<std::vector<double>>& counts, const DisclosurePolicy& policy) {
    const std::size_t G = counts.size(), n = G ? counts[0].size() : 0;
    CellStates state(G, std::vector<Suppression>(n, Suppression::None));
    if (!policy.guard || G == 0 || n == 0) return state;
    std::vector<std::vector<char>> locked;
    if (n * G <= kLargeTable) {
        std::vector<double> totals(G, 0.0);
        for (std::size_t g = 0; g < G; ++g) totals[g] = std::accumulate(counts[g].begin(), counts[g].end(), 0.0);
        const ProtectedTable t = units_by_groups_table(counts, group_totals_table(totals, policy));
        for (std::size_t g = 0; g < G; ++g)
            for (std::size_t i = 0; i < n; ++i) state[g][i] = t.cell(i, g).state;
    } else {
        // A city: the inspector's coarse rule publishes whole groups without a small cell;
        // those stay published (locked), the others open to complementary suppression.
        locked.assign(G, std::vector<char>(n, 0));
        for (std::size_t g = 0; g < G; ++g) {
            bool any = false;
            for (std::size_t i = 0; i < n; ++i)
                if (policy.small(counts[g][i])) {
                    state[g][i] = Suppression::Primary;
                    any = true;
                }
            if (!any) std::fill(locked[g].begin(), locked[g].end(), 1);
        }
    }
    withhold_for_sums(counts, state, locked, policy);
    return state;
}

std::vector<std::vector<double>> published_counts(const std::vector<std::vector<double>>& counts,
                                                  const CellStates& state) {
    std::vector<std::vector<double>> out = counts;
    for (std::size_t g = 0; g < out.size(); ++g)
        for (std::size_t i = 0; i < out[g].size(); ++i)
            if (state[g][i] != Suppression::None) out[g][i] = 0;
    return out;
}

std::string density_note_zh(const DisclosurePolicy& policy) {
    if (!policy.guard) return {};
    return "小于" + std::to_string(policy.k) + "的计数（及为防推算而一并隐去的计数）未计入密度";
}

std::string density_note_en(const DisclosurePolicy& policy) {
    if (!policy.guard) return {};
    return "counts below " + std::to_string(policy.k) +
           " (and counts withheld so that none can be worked out) left out of the density";
}

void check_single_density(const std::string& name, double total, bool any_published, const DisclosurePolicy& policy) {
    if (!policy.guard) return;
    const std::string k = std::to_string(policy.k);
    if (total < policy.k)
        throw InputError("组 " + name + " 总人数少于" + k + "，单独成图会显示其住处（隐私保护；数据所有者可用 --no-privacy-guard） / group " +
                         name + " has fewer than " + k +
                         " residents: a map of it alone would show where they live (privacy guard; the data owner "
                         "may pass --no-privacy-guard)");
    if (!any_published)
        throw InputError("组 " + name + " 没有可公开的单元计数（每个都小于" + k +
                         "或为防推算而隐去，如每点一人的点图层），其密度图为空，不予生成（隐私保护） / group " + name +
                         ": no count of it may be published (each is below " + k +
                         " or withheld so that none can be worked out, e.g. one person per point), so its density "
                         "would be empty: not drawn (privacy guard; the data owner may pass --no-privacy-guard)");
}

}  // namespace hq::privacy
