// Interval propagation over a large units × groups publication (grid_checker.hpp).
#include "grid_checker.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace hq::audit {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

enum class Kind { Number, Small, Any, None };

/// What one printed count says: a whole number, "<k", "x", or nothing ("" / "—").
Kind read(const std::string& text, int k, double& value) {
    if (text.empty() || text == "—") return Kind::None;
    if (text == "x") return Kind::Any;
    if (text == "<" + std::to_string(k)) return Kind::Small;
    std::size_t used = 0;
    value = std::stod(text, &used);  // throws on anything else: the test reads only counts
    return Kind::Number;
}

/// A constraint lo ≤ Σ x_v ≤ hi over the variables `vars`.
struct Sum {
    std::vector<std::size_t> vars;
    double lo = 0, hi = kInf;
};

/// One pass of interval propagation over `s`; true when a bound moved. Counts are whole
/// numbers, so bounds round inwards (valid for every integer solution).
bool propagate(const Sum& s, std::vector<double>& lo, std::vector<double>& hi) {
    double sum_lo = 0, sum_hi_finite = 0;
    std::size_t hi_inf = 0;
    for (std::size_t v : s.vars) {
        sum_lo += lo[v];
        if (std::isinf(hi[v])) ++hi_inf;
        else sum_hi_finite += hi[v];
    }
    bool moved = false;
    for (std::size_t v : s.vars) {
        // Lower bound from the other variables' upper bounds.
        const std::size_t others_inf = hi_inf - (std::isinf(hi[v]) ? 1 : 0);
        if (others_inf == 0 && !std::isinf(s.lo)) {
            const double others_hi = sum_hi_finite - (std::isinf(hi[v]) ? 0.0 : hi[v]);
            const double nl = std::ceil(s.lo - others_hi - 1e-9);
            if (nl > lo[v] + 0.5) {
                lo[v] = nl;
                moved = true;
            }
        }
        // Upper bound from the other variables' lower bounds.
        if (!std::isinf(s.hi)) {
            const double nh = std::floor(s.hi - (sum_lo - lo[v]) + 1e-9);
            if (nh < hi[v] - 0.5) {
                hi[v] = nh;
                moved = true;
            }
        }
    }
    return moved;
}

}  // namespace

GridCheck check_grid(const GridPublication& p, int max_rounds) {
    const std::size_t n = p.units, G = p.groups;
    const int k = p.k;
    std::vector<double> lo(n * G, 0.0), hi(n * G, kInf);
    std::vector<Kind> kind(n * G, Kind::None);
    GridCheck out;
    auto leak = [&](std::size_t i, std::size_t g, double l, double h, const std::string& what) {
        out.leaks.push_back({i, g, l, h, what});
    };
    for (std::size_t c = 0; c < n * G; ++c) {
        double v = 0;
        kind[c] = read(p.cells[c], k, v);
        if (kind[c] == Kind::Number) {
            lo[c] = hi[c] = v;
            if (v < k) leak(c / G, c % G, v, v, "a count below k printed");
        } else if (kind[c] == Kind::Small) {
            hi[c] = k - 1;
        }
    }
    std::vector<Sum> sums;
    auto total = [&](const std::string& text, Sum s, std::size_t i, std::size_t g) {
        double v = 0;
        switch (read(text, k, v)) {
            case Kind::Number:
                s.lo = s.hi = v;
                if (v < k) leak(i, g, v, v, "a total below k printed");
                break;
            case Kind::Small: s.hi = k - 1; break;
            default: return;
        }
        sums.push_back(std::move(s));
    };
    for (std::size_t i = 0; i < n && i < p.unit_totals.size(); ++i) {
        Sum s;
        for (std::size_t g = 0; g < G; ++g) s.vars.push_back(i * G + g);
        total(p.unit_totals[i], std::move(s), i, G);
    }
    for (std::size_t g = 0; g < G && g < p.group_totals.size(); ++g) {
        Sum s;
        for (std::size_t i = 0; i < n; ++i) s.vars.push_back(i * G + g);
        total(p.group_totals[g], std::move(s), n, g);
    }
    bool moved = true;
    while (moved && out.rounds < max_rounds) {
        moved = false;
        for (const Sum& s : sums) moved = propagate(s, lo, hi) || moved;
        ++out.rounds;
    }
    for (std::size_t c = 0; c < n * G; ++c) {
        if (lo[c] > hi[c] + 0.5) {
            leak(c / G, c % G, lo[c], hi[c], "infeasible: the publication contradicts itself");
            continue;
        }
        if (kind[c] != Kind::Small && kind[c] != Kind::Any) continue;
        ++out.withheld;
        // A withheld count pinned inside 0..k−1 more narrowly than 0..k−1.
        const bool inside = hi[c] <= k - 1;
        if (inside && (lo[c] > 0 || hi[c] < k - 1)) {
            std::ostringstream w;
            w << (kind[c] == Kind::Small ? "\"<" + std::to_string(k) + "\"" : std::string("\"x\"")) << " narrowed to ["
              << lo[c] << ", " << hi[c] << "]";
            leak(c / G, c % G, lo[c], hi[c], w.str());
        }
    }
    return out;
}

}  // namespace hq::audit
