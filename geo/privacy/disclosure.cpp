// Disclosure control: primary and complementary suppression, and the formatting of counts
// (docs/privacy.md states the rules and their sources).
//
// [SECTION] index
//   policy texts
//   protect(): primary suppression, then one protecting 2×2 hypercube per small cell
//   formatting
#include "geo/privacy/disclosure.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "geo/core/error.hpp"

namespace hq::privacy {

// [SECTION] Policy texts ----------------------------------------------------------------------

std::string DisclosurePolicy::small_symbol() const { return "<" + std::to_string(k); }

std::string DisclosurePolicy::note_zh() const {
    const std::string n = std::to_string(k);
    if (!guard) return "隐私保护已关闭：本材料可能含有小于" + n + "的计数，仅供数据所有者使用";
    return "隐私保护：0至" + std::to_string(k - 1) + "的计数显示为“<" + n + "”；为防止由合计推算出小数值而隐去的计数（大小不限，也可能是小数值）显示为“" +
           kSecondarySymbol + "”；由被隐去的计数算出的占比不显示（“—”）";
}

std::string DisclosurePolicy::note_en() const {
    const std::string n = std::to_string(k);
    if (!guard) return "Privacy guard off: may show counts below " + n + "; for the data owner only";
    return "Privacy: counts of 0 to " + std::to_string(k - 1) + " show as \"<" + n + "\"; counts withheld so that " +
           "no small count can be worked out from the totals (of any size, small ones included) show as \"" +
           kSecondarySymbol + "\"; shares of withheld counts show as \"—\"";
}

std::string DisclosurePolicy::stamp() const { return guard ? std::string() : "含小数值 / contains small counts"; }

void DisclosurePolicy::check() const {
    if (k < 1) throw InputError("--privacy-k must be at least 1 (got " + std::to_string(k) + ")");
}

// [SECTION] protect() ---------------------------------------------------------------------------

Table::Table(std::size_t rows, std::size_t cols) : m_rows(rows), m_cols(cols), m_values(rows * cols, 0.0) {}

std::size_t ProtectedTable::suppressed(Suppression s) const {
    return static_cast<std::size_t>(
        std::count_if(m_cells.begin(), m_cells.end(), [s](const Cell& c) { return c.state == s; }));
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// The extended grid (rows+1) × (cols+1) and the search for protecting hypercubes.
class Protector {
public:
    Protector(const Table& t, const DisclosurePolicy& p)
        : m_R(t.rows()), m_C(t.cols()), m_w(t.cols() + 1), m_k(p.k), m_cells((t.rows() + 1) * (t.cols() + 1)),
          m_locked(m_cells.size(), false), m_policy(p) {
        for (std::size_t r = 0; r < m_R; ++r)
            for (std::size_t c = 0; c < m_C; ++c) {
                const double v = t.get(r, c);
                at(r, c).value = v;
                at(r, m_C).value += v;
                at(m_R, c).value += v;
                at(m_R, m_C).value += v;
            }
        for (const auto& pin : t.pins()) {
            if (pin.r > m_R || pin.c > m_C) continue;
            if (pin.state == Suppression::None) m_locked[idx(pin.r, pin.c)] = true;
            else at(pin.r, pin.c).state = pin.state;
        }
        for (const auto& s : t.sensitive_cells())
            if (s.r <= m_R && s.c <= m_C) m_sensitive.push_back(idx(s.r, s.c));
    }

    std::vector<Cell> run() {
        if (!m_policy.guard) {
            for (auto& c : m_cells) c.state = Suppression::None;
            return std::move(m_cells);
        }
        for (std::size_t r = 0; r <= m_R; ++r) at(r, m_C).total = true;
        for (std::size_t c = 0; c <= m_C; ++c) at(m_R, c).total = true;
        std::vector<std::size_t> primaries;
        for (std::size_t i = 0; i < m_cells.size(); ++i) {
            Cell& c = m_cells[i];
            if (m_policy.small(c.value) && !m_locked[i]) c.state = Suppression::Primary;
            if (c.state == Suppression::Primary && c.value > 0) primaries.push_back(i);
            else if (c.state == Suppression::Primary) m_zeros.push_back(i);
        }
        m_row_supp.assign(m_R + 1, {});
        m_col_supp.assign(m_C + 1, {});
        for (std::size_t i = 0; i < m_cells.size(); ++i)
            if (m_cells[i].suppressed()) note_suppressed(i);
        // Per column, rows by value (the cheapest complements first).
        m_by_value.assign(m_C + 1, {});
        for (std::size_t c = 0; c <= m_C; ++c) {
            auto& v = m_by_value[c];
            v.resize(m_R + 1);
            std::iota(v.begin(), v.end(), std::size_t{0});
            std::stable_sort(v.begin(), v.end(), [&](std::size_t a, std::size_t b) { return at(a, c).value < at(b, c).value; });
        }
        // Non-zero small counts first (they name people), then zeros (so "<k" means 0..k−1).
        for (std::size_t i : primaries) protect_cell(i);
        for (std::size_t i : m_zeros) protect_cell(i);
        // Sensitive cells: movable by k−1 both ways (down to 0 when smaller).
        for (std::size_t i : m_sensitive)
            if (!m_locked[i] && m_cells[i].state == Suppression::Secondary)
                if (!find_and_suppress(i, m_k - 1, std::min<double>(m_cells[i].value, m_k - 1))) withhold_totals(i);
        return std::move(m_cells);
    }

private:
    std::size_t m_R, m_C, m_w;
    int m_k;
    std::vector<Cell> m_cells;
    std::vector<bool> m_locked;
    DisclosurePolicy m_policy;
    std::vector<std::size_t> m_zeros, m_sensitive;
    std::vector<std::vector<std::size_t>> m_row_supp, m_col_supp;  ///< suppressed cols per row / rows per col
    std::vector<std::vector<std::size_t>> m_by_value;
    /// The last resort before withholding totals: a "<k" partner may turn into an "x"
    /// (which may be any count), so it can move up without bound.
    bool m_relaxed = false;

    std::size_t idx(std::size_t r, std::size_t c) const { return r * m_w + c; }
    Cell& at(std::size_t r, std::size_t c) { return m_cells[idx(r, c)]; }
    const Cell& at(std::size_t r, std::size_t c) const { return m_cells[idx(r, c)]; }

    void note_suppressed(std::size_t i) {
        m_row_supp[i / m_w].push_back(i % m_w);
        m_col_supp[i % m_w].push_back(i / m_w);
    }

    /// How far a reader who knows the rules could move the cell up / down: a "<k" stays in
    /// 0..k−1, an "x" (a withheld total, a complementary suppression, a small count whose
    /// "<k" would give it away) may be anything ≥ 0; a published cell would become an "x".
    double up(std::size_t r, std::size_t c) const {
        const Cell& q = at(r, c);
        if (m_locked[idx(r, c)]) return 0;
        if (q.total || q.state != Suppression::Primary || m_relaxed) return kInf;
        return std::max(0.0, (m_k - 1) - q.value);
    }
    double down(std::size_t r, std::size_t c) const {
        if (m_locked[idx(r, c)]) return 0;
        return at(r, c).value;
    }
    /// Sign of a cell's change when the hypercube on rows {r1, r2} × cols {c1, c2} moves
    /// (r1, c1) up: totals move with their parts, so a margin index flips the sign.
    int sign(std::size_t r, std::size_t r1, std::size_t c, std::size_t c1) const {
        const int sr = (r == r1 ? 1 : -1) * (r == m_R ? -1 : 1);
        const int sc = (c == c1 ? 1 : -1) * (c == m_C ? -1 : 1);
        return sr * sc;
    }

    /// Cost of the hypercube (information lost: the values it newly withholds; totals
    /// count double) or infinity when it cannot carry the cell over 0..k−1.
    double cost(std::size_t r1, std::size_t c1, std::size_t r2, std::size_t c2, double need_up, double need_down) const {
        const std::size_t rs[2] = {r1, r2}, cs[2] = {c1, c2};
        const int s0 = sign(r1, r1, c1, c1);
        double cost = 0;
        for (std::size_t r : rs)
            for (std::size_t c : cs) {
                if (r == r1 && c == c1) continue;
                if (m_locked[idx(r, c)]) return kInf;
                const bool same = sign(r, r1, c, c1) == s0;
                // Moving the cell up by need_up, then down by need_down.
                if ((same ? up(r, c) : down(r, c)) < need_up) return kInf;
                if ((same ? down(r, c) : up(r, c)) < need_down) return kInf;
                const Cell& q = at(r, c);
                if (!q.suppressed()) cost += q.value * ((r == m_R || c == m_C) ? 2.0 : 1.0) + 1.0;
            }
        return cost;
    }

    void suppress(std::size_t r, std::size_t c) {
        Cell& q = at(r, c);
        if (q.suppressed() || m_locked[idx(r, c)]) return;  // a locked cell is published elsewhere
        q.state = Suppression::Secondary;
        note_suppressed(idx(r, c));
    }

    void protect_cell(std::size_t i) {
        const double v = m_cells[i].value;
        const double need_up = std::max(0.0, (m_k - 1) - v), need_down = v;
        if (find_and_suppress(i, need_up, need_down)) return;
        Cell& p = m_cells[i];
        if (!p.total && p.state == Suppression::Primary) {
            // "<k" cannot be carried over 0..k−1 here (e.g. its row total is published and
            // its row-mates are small): print it as "x", which may be any count, and retry.
            p.state = Suppression::Secondary;
            if (find_and_suppress(i, need_up, need_down)) return;
        }
        // Still none (e.g. its row total is published elsewhere and its row-mates are small
        // counts that cannot go below 0 or above k−1): let "<k" partners print "x". That
        // only widens what a reader knows of them, so it breaks no earlier protection.
        if (find_and_suppress(i, need_up, need_down, true)) return;
        withhold_totals(i);
    }

    /// No hypercube carries cell i: withhold its row's and column's totals and the grand
    /// total (those not published elsewhere).
    void withhold_totals(std::size_t i) {
        const std::size_t r1 = i / m_w, c1 = i % m_w;
        suppress(r1, m_C);
        suppress(m_R, c1);
        suppress(m_R, m_C);
    }

    /// Suppresses the cheapest hypercube that can move cell i up by need_up and down by
    /// need_down; false if none.
    bool find_and_suppress(std::size_t i, double need_up, double need_down, bool relaxed = false) {
        const std::size_t r1 = i / m_w, c1 = i % m_w;
        m_relaxed = relaxed;
        double best = kInf;
        std::size_t br = 0, bc = 0;
        auto consider = [&](std::size_t r2, std::size_t c2) {
            if (r2 == r1 || c2 == c1) return;
            const double k = cost(r1, c1, r2, c2, need_up, need_down);
            if (k < best) {
                best = k;
                br = r2;
                bc = c2;
            }
        };
        // Rows to try: the total row, rows already withheld in this column (cost-free
        // partners), the cheapest rows of the column.
        std::vector<std::size_t> rows;
        rows.push_back(m_R);
        const auto& cs = m_col_supp[c1];
        const std::size_t take = std::min<std::size_t>(cs.size(), 24);
        for (std::size_t j = 0; j < take; ++j) rows.push_back(cs[(r1 * 7919 + j) % cs.size()]);
        std::size_t cheap = 0;
        const auto& byv = m_by_value[c1];
        // Rows sorted by value: start at the first that can give need_up (binary search),
        // then skip those already withheld (a bounded scan). A partner may end anywhere ≥ 0
        // (it prints "x"), so value ≥ need_up suffices: starting at k + need_up skipped the
        // only cell of Shuhan's 黎族 Li (6 of 6), which stayed published and pinned the 31
        // zeros of its column (all Li in one courtyard).
        auto it = std::lower_bound(byv.begin(), byv.end(), need_up,
                                   [&](std::size_t r, double v) { return at(r, c1).value < v; });
        for (std::size_t scanned = 0; it != byv.end() && cheap < 12 && scanned < 256; ++it, ++scanned) {
            const std::size_t r = *it;
            if (r == r1 || at(r, c1).suppressed() || m_locked[idx(r, c1)]) continue;
            rows.push_back(r);
            ++cheap;
        }
        // Free hypercubes first: a withheld column in this row and a withheld row in this column.
        for (std::size_t c2 : m_row_supp[r1])
            for (std::size_t r2 : rows)
                if (at(r2, c2).suppressed()) consider(r2, c2);
        if (best > 0)
            for (std::size_t c2 = 0; c2 <= m_C; ++c2)
                for (std::size_t r2 : rows) consider(r2, c2);
        m_relaxed = false;
        if (best == kInf) return false;
        suppress(r1, bc);
        suppress(br, c1);
        suppress(br, bc);
        if (relaxed)  // the hypercube's "<k" cells (the cell itself too) may now be any count
            for (std::size_t r : {r1, br})
                for (std::size_t c : {c1, bc})
                    if (!at(r, c).total && at(r, c).state == Suppression::Primary) at(r, c).state = Suppression::Secondary;
        return true;
    }
};

}  // namespace

ProtectedTable protect(const Table& table, const DisclosurePolicy& policy) {
    policy.check();
    Protector p(table, policy);
    return ProtectedTable(table.rows(), table.cols(), p.run(), policy);
}

Cell lone_cell(double value, const DisclosurePolicy& policy) {
    return {value, policy.small(value) ? Suppression::Primary : Suppression::None, false};
}

Cell sum_of(const std::vector<const Cell*>& parts, const DisclosurePolicy& policy) {
    Cell s;
    s.total = true;
    bool any = false;
    for (const Cell* c : parts) {
        s.value += c->value;
        any = any || c->suppressed();
    }
    if (policy.small(s.value)) s.state = Suppression::Primary;
    else if (any && policy.guard) s.state = Suppression::Secondary;
    return s;
}

// [SECTION] Formatting ------------------------------------------------------------------------

std::string count_text(const Cell& c, const DisclosurePolicy& policy, int decimals) {
    if (c.suppressed()) return c.state == Suppression::Primary && !c.total ? policy.small_symbol() : kSecondarySymbol;
    if (!std::isfinite(c.value)) return "—";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, c.value);
    return buf;
}

std::optional<double> share(const Cell& part, const Cell& whole) {
    if (part.suppressed() || whole.suppressed() || !(whole.value > 0) || !std::isfinite(part.value)) return std::nullopt;
    return part.value / whole.value;
}

std::string percent_text(const Cell& part, const Cell& whole, int decimals, const char* suffix) {
    const auto s = share(part, whole);
    return s ? derived_text(100.0 * *s, false, decimals) + suffix : "—";
}

std::optional<double> json_value(const Cell& c) {
    if (c.suppressed() || !std::isfinite(c.value)) return std::nullopt;
    return c.value;
}

std::string derived_text(double v, bool hidden, int decimals) {
    if (hidden || !std::isfinite(v)) return "—";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

}  // namespace hq::privacy
