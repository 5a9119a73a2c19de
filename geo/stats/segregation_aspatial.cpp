// Segregation indices: validation and the single-group aspatial indices.
// Formulas and provenance: geo/stats/segregation.hpp and docs/segregation.md.
//
// [SECTION] index
//   Shared helpers and binomial draws (detail)
//   Validation
//   Single-group aspatial indices
//   Randomised corrections
#include "geo/stats/segregation.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <sstream>
#include <utility>

#include "geo/core/parallel.hpp"
#include "geo/stats/segregation_detail.hpp"

namespace hq::seg {

// [SECTION] Shared helpers and binomial draws (detail) ------------------------------------

namespace detail {

std::string format_count(double v) {
    std::ostringstream s;
    s.precision(15);
    s << v;
    return s.str();
}

ErrorContext at_field(const ErrorContext& base, const std::string& field) {
    ErrorContext c = base;
    c.field = field;
    return c;
}

ErrorContext at_unit(const ErrorContext& base, const std::string& field, std::size_t i) {
    ErrorContext c = at_field(base, field);
    c.feature = i;
    return c;
}

Sums sums(const GroupCounts& c) {
    Sums s;
    for (std::size_t i = 0; i < c.units(); ++i) {
        s.x += c.group[i];
        s.t += c.total[i];
    }
    s.p = s.x / s.t;
    return s;
}

double dissim_raw(const double* x, const double* t, std::size_t n) {
    double big_x = 0.0;
    double big_t = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        big_x += x[i];
        big_t += t[i];
    }
    if (big_x <= 0.0 || big_x >= big_t) return 0.0;  // degenerate draw: no one to segregate
    const double p = big_x / big_t;
    double acc = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        if (t[i] <= 0.0) continue;
        acc += t[i] * std::abs(x[i] / t[i] - p);
    }
    return acc / (2.0 * big_t * p * (1.0 - p));
}

void sort_by_first(std::vector<std::pair<double, double>>& pt) {
    // LSD radix sort on the bit patterns of the non-negative keys (monotone as unsigned
    // integers), 8 bits per pass, skipping passes where every key has the same byte.
    // About 4× faster than std::sort on 100k pairs; stable, so ties keep input order.
    const std::size_t n = pt.size();
    if (n < 256) {
        std::stable_sort(pt.begin(), pt.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        return;
    }
    std::vector<std::uint64_t> key(n);
    for (std::size_t i = 0; i < n; ++i) std::memcpy(&key[i], &pt[i].first, sizeof(double));
    std::vector<std::uint64_t> key2(n);
    std::vector<std::pair<double, double>> tmp(n);
    for (int shift = 0; shift < 64; shift += 8) {
        std::size_t count[257] = {};
        for (std::size_t i = 0; i < n; ++i) ++count[((key[i] >> shift) & 0xFF) + 1];
        bool trivial = false;
        for (std::size_t b = 1; b <= 256; ++b)
            if (count[b] == n) trivial = true;
        if (trivial) continue;
        for (std::size_t b = 1; b <= 256; ++b) count[b] += count[b - 1];
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t dst = count[(key[i] >> shift) & 0xFF]++;
            key2[dst] = key[i];
            tmp[dst] = pt[i];
        }
        key.swap(key2);
        pt.swap(tmp);
    }
}

double weighted_abs_pair_sum(std::vector<std::pair<double, double>>& pt) {
    // Σ_i Σ_j t_i t_j |p_i − p_j| over ordered pairs = 2 Σ_{i<j} after sorting by p.
    sort_by_first(pt);
    double s_t = 0.0;   // Σ_{i<j} t_i
    double s_tp = 0.0;  // Σ_{i<j} t_i p_i
    double acc = 0.0;
    for (const auto& [p, t] : pt) {
        acc += t * (p * s_t - s_tp);
        s_t += t;
        s_tp += t * p;
    }
    return 2.0 * acc;
}

double gini_raw(const double* x, const double* t, std::size_t n, std::vector<std::pair<double, double>>& buf) {
    double big_x = 0.0;
    double big_t = 0.0;
    buf.clear();
    double zero_weight = 0.0;  // units with p_i = 0 merged into one entry
    for (std::size_t i = 0; i < n; ++i) {
        big_x += x[i];
        big_t += t[i];
        if (t[i] <= 0.0) continue;
        if (x[i] > 0.0)
            buf.emplace_back(x[i] / t[i], t[i]);
        else
            zero_weight += t[i];
    }
    if (zero_weight > 0.0) buf.emplace_back(0.0, zero_weight);
    if (big_x <= 0.0 || big_x >= big_t) return 0.0;
    const double p = big_x / big_t;
    return weighted_abs_pair_sum(buf) / (2.0 * big_t * big_t * p * (1.0 - p));
}

namespace {

/// log(k!) − [(k + ½) ln(k + 1) − (k + 1) + ½ ln 2π]: the Stirling-series remainder.
double stirling_tail(std::int64_t k) {
    static constexpr double table[10] = {0.08106146679532726, 0.04134069595540929, 0.02767792568499834,
                                         0.02079067210376509, 0.01664469118982119, 0.01387612882307075,
                                         0.01189670994589177, 0.01041126526197209, 0.009255462182712733,
                                         0.008330563433362871};
    if (k <= 9) return table[k];
    const double kp1 = static_cast<double>(k + 1);
    const double kp1sq = kp1 * kp1;
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / kp1;
}

/// Inversion by sequential search, for n·p < 10 (p ≤ ½).
std::int64_t binomial_inversion(Rng& rng, std::int64_t n, double p) {
    const double q = 1.0 - p;
    const double s = p / q;
    const double a = static_cast<double>(n + 1) * s;
    for (;;) {
        double r = std::pow(q, static_cast<double>(n));
        double u = rng.uniform();
        std::int64_t x = 0;
        while (u > r) {
            u -= r;
            ++x;
            if (x > n) break;  // rounding left u above the total mass: draw again
            r *= a / static_cast<double>(x) - s;
        }
        if (x <= n) return x;
    }
}

/// BTRD, Hörmann (1993), "The generation of binomial random variates", J. Stat. Comput.
/// Simul. 46: transformed rejection with decomposition, for n·p ≥ 10 (p ≤ ½).
std::int64_t binomial_btrd(Rng& rng, std::int64_t n, double p) {
    const double nd = static_cast<double>(n);
    const double spq = std::sqrt(nd * p * (1.0 - p));
    const double b = 1.15 + 2.53 * spq;
    const double a = -0.0873 + 0.0248 * b + 0.01 * p;
    const double c = nd * p + 0.5;
    const double v_r = 0.92 - 4.2 / b;
    const double u_rv_r = 0.86 * v_r;
    const double alpha = (2.83 + 5.1 / b) * spq;
    const double r = p / (1.0 - p);
    const double nr = (nd + 1.0) * r;
    const double npq = spq * spq;
    const auto m = static_cast<std::int64_t>(std::floor((nd + 1.0) * p));
    for (;;) {
        double u = 0.0;
        double v = rng.uniform();
        if (v <= u_rv_r) {
            u = v / v_r - 0.43;
            return static_cast<std::int64_t>(std::floor((2.0 * a / (0.5 - std::abs(u)) + b) * u + c));
        }
        if (v >= v_r) {
            u = rng.uniform() - 0.5;
        } else {
            u = v / v_r - 0.93;
            u = (u < 0.0 ? -0.5 : 0.5) - u;
            v = rng.uniform() * v_r;
        }
        const double us = 0.5 - std::abs(u);
        const double kd = std::floor((2.0 * a / us + b) * u + c);
        if (kd < 0.0 || kd > nd) continue;
        const auto k = static_cast<std::int64_t>(kd);
        v = v * alpha / (a / (us * us) + b);
        const std::int64_t km = k > m ? k - m : m - k;
        if (km <= 15) {
            double f = 1.0;
            if (m < k) {
                for (std::int64_t i = m + 1; i <= k; ++i) f *= nr / static_cast<double>(i) - r;
            } else if (m > k) {
                for (std::int64_t i = k + 1; i <= m; ++i) v *= nr / static_cast<double>(i) - r;
            }
            if (v <= f) return k;
            continue;
        }
        v = std::log(v);
        const double kmd = static_cast<double>(km);
        const double rho = (kmd / npq) * (((kmd / 3.0 + 0.625) * kmd + 1.0 / 6.0) / npq + 0.5);
        const double t = -kmd * kmd / (2.0 * npq);
        if (v < t - rho) return k;
        if (v > t + rho) continue;
        const double nm = nd - static_cast<double>(m) + 1.0;
        const double h = (static_cast<double>(m) + 0.5) * std::log((static_cast<double>(m) + 1.0) / (r * nm)) +
                         stirling_tail(m) + stirling_tail(n - m);
        const double nk = nd - kd + 1.0;
        if (v <= h + (nd + 1.0) * std::log(nm / nk) + (kd + 0.5) * std::log(nk * r / (kd + 1.0)) -
                     stirling_tail(k) - stirling_tail(n - k))
            return k;
    }
}

}  // namespace

std::int64_t binomial(Rng& rng, std::int64_t n, double p) {
    if (n <= 0 || p <= 0.0) return 0;
    if (p >= 1.0) return n;
    if (p > 0.5) return n - binomial(rng, n, 1.0 - p);
    if (static_cast<double>(n) * p < 10.0) return binomial_inversion(rng, n, p);
    return binomial_btrd(rng, n, p);
}

}  // namespace detail

using detail::at_field;
using detail::at_unit;
using detail::format_count;

// [SECTION] Validation --------------------------------------------------------------------

std::string CountMatrix::name(std::size_t k) const {
    if (k < names.size() && !names[k].empty()) return names[k];
    return "group " + std::to_string(k + 1);
}

std::vector<std::vector<double>> CountMatrix::by_group() const {
    std::vector<std::vector<double>> out(groups, std::vector<double>(units, 0.0));
    for (std::size_t i = 0; i < units; ++i)
        for (std::size_t k = 0; k < groups; ++k) out[k][i] = at(i, k);
    return out;
}

std::vector<double> CountMatrix::group_totals() const {
    std::vector<double> out(groups, 0.0);
    for (std::size_t i = 0; i < units; ++i)
        for (std::size_t k = 0; k < groups; ++k) out[k] += at(i, k);
    return out;
}

void validate(const GroupCounts& c) {
    const std::size_t n = c.group.size();
    if (c.total.size() != n)
        throw InputError(c.where, "the group column has " + std::to_string(n) + " values but the total column " +
                                      std::to_string(c.total.size()));
    if (n < 2)
        throw InputError(c.where, "segregation indices need at least 2 units; got " + std::to_string(n));
    if (!c.other.empty() && c.other.size() != n)
        throw InputError(c.where, "the complement has " + std::to_string(c.other.size()) + " values for " +
                                      std::to_string(n) + " units");
    for (std::size_t i = 0; i < c.other.size(); ++i)
        if (!std::isfinite(c.other[i]) || c.other[i] < 0.0)
            throw InputError(at_unit(c.where, "other", i), "the complement is not a count: " + format_count(c.other[i]));
    double sx = 0.0;
    double st = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = c.group[i];
        const double t = c.total[i];
        if (!std::isfinite(x)) throw InputError(at_unit(c.where, c.group_name, i), "count is not a finite number");
        if (!std::isfinite(t)) throw InputError(at_unit(c.where, c.total_name, i), "count is not a finite number");
        if (x < 0.0)
            throw InputError(at_unit(c.where, c.group_name, i), "negative count " + format_count(x));
        if (t < 0.0)
            throw InputError(at_unit(c.where, c.total_name, i), "negative count " + format_count(t));
        if (t < x)
            throw InputError(at_unit(c.where, c.total_name, i),
                             "total " + c.total_name + " = " + format_count(t) + " is smaller than group " +
                                 c.group_name + " = " + format_count(x));
        sx += x;
        st += t;
    }
    if (sx <= 0.0)
        throw InputError(at_field(c.where, c.group_name),
                         "group column " + c.group_name + " is zero in every unit: the indices are undefined");
    if (sx >= st)
        throw InputError(at_field(c.where, c.group_name),
                         "group " + c.group_name + " equals the total " + c.total_name +
                             " in every unit (no one outside the group): the indices are undefined");
}

void validate(const CountMatrix& m) {
    if (m.data.size() != m.units * m.groups)
        throw InputError(m.where, "count matrix has " + std::to_string(m.data.size()) + " values, expected " +
                                      std::to_string(m.units) + " units × " + std::to_string(m.groups) +
                                      " groups");
    if (m.units < 2)
        throw InputError(m.where, "segregation indices need at least 2 units; got " + std::to_string(m.units));
    if (m.groups < 2)
        throw InputError(m.where,
                         "multigroup indices need at least 2 groups; got " + std::to_string(m.groups));
    std::vector<double> col(m.groups, 0.0);
    for (std::size_t i = 0; i < m.units; ++i) {
        for (std::size_t k = 0; k < m.groups; ++k) {
            const double v = m.at(i, k);
            if (!std::isfinite(v)) throw InputError(at_unit(m.where, m.name(k), i), "count is not a finite number");
            if (v < 0.0) throw InputError(at_unit(m.where, m.name(k), i), "negative count " + format_count(v));
            col[k] += v;
        }
    }
    for (std::size_t k = 0; k < m.groups; ++k) {
        if (col[k] <= 0.0)
            throw InputError(at_field(m.where, m.name(k)),
                             "group column " + m.name(k) + " is zero in every unit: the indices are undefined");
    }
}

GroupCounts group_vs_rest(const CountMatrix& m, std::size_t k) {
    GroupCounts c;
    c.group.resize(m.units);
    c.total.resize(m.units);
    for (std::size_t i = 0; i < m.units; ++i) {
        double t = 0.0;
        for (std::size_t g = 0; g < m.groups; ++g) t += m.at(i, g);
        c.group[i] = m.at(i, k);
        c.total[i] = t;
    }
    c.group_name = m.name(k);
    c.total_name = "sum of the groups";
    c.where = m.where;
    return c;
}

// [SECTION] Single-group aspatial indices -------------------------------------------------

double dissim(const GroupCounts& c) {
    validate(c);
    return detail::dissim_raw(c.group.data(), c.total.data(), c.units());
}

double gini(const GroupCounts& c) {
    validate(c);
    std::vector<std::pair<double, double>> buf;
    buf.reserve(c.units());
    return detail::gini_raw(c.group.data(), c.total.data(), c.units(), buf);
}

double entropy(const GroupCounts& c) {
    validate(c);
    const auto s = detail::sums(c);
    auto binary_entropy = [](double p) {
        double e = 0.0;
        if (p > 0.0) e -= p * std::log(p);
        if (p < 1.0) e -= (1.0 - p) * std::log1p(-p);
        return e;
    };
    const double e = binary_entropy(s.p);
    double acc = 0.0;
    for (std::size_t i = 0; i < c.units(); ++i) {
        const double t = c.total[i];
        if (t <= 0.0) continue;
        acc += t * (e - binary_entropy(c.group[i] / t));
    }
    return acc / (e * s.t);
}

double atkinson(const GroupCounts& c, double b) {
    if (!(b >= 0.0 && b < 1.0))
        throw InputError("atkinson: the shape parameter b must be in [0, 1); got " + format_count(b));
    validate(c);
    const auto s = detail::sums(c);
    double acc = 0.0;
    for (std::size_t i = 0; i < c.units(); ++i) {
        const double t = c.total[i];
        if (t <= 0.0) continue;  // p_i = 0 (PySAL), and the term is weighted by t_i = 0
        const double p = c.group[i] / t;
        acc += std::pow(1.0 - p, 1.0 - b) * std::pow(p, b) * t;
    }
    return 1.0 - (s.p / (1.0 - s.p)) * std::pow(std::abs(acc / (s.p * s.t)), 1.0 / (1.0 - b));
}

double con_prof(const GroupCounts& c) {
    validate(c);
    const auto s = detail::sums(c);
    constexpr std::size_t m = 1000;  // PySAL's default m: grid of m points, sums divided by m
    // Units with t_i = 0 have p_i = NaN in PySAL (never ≥ θ) and x_i = 0: dropped.
    std::vector<std::pair<double, double>> px;  // (p_i, x_i) sorted by p_i
    px.reserve(c.units());
    for (std::size_t i = 0; i < c.units(); ++i)
        if (c.total[i] > 0.0) px.emplace_back(c.group[i] / c.total[i], c.group[i]);
    std::sort(px.begin(), px.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // suffix[j] = Σ x over px[j..]
    std::vector<double> suffix(px.size() + 1, 0.0);
    for (std::size_t j = px.size(); j-- > 0;) suffix[j] = suffix[j + 1] + px[j].second;
    const double step = 1.0 / static_cast<double>(m - 1);  // numpy.linspace(0, 1, m)
    double below = 0.0;
    double above = 0.0;
    for (std::size_t j = 0; j < m; ++j) {
        const double th = (j == m - 1) ? 1.0 : static_cast<double>(j) * step;
        const auto it = std::lower_bound(px.begin(), px.end(), th,
                                         [](const auto& e, double v) { return e.first < v; });
        const double v = suffix[static_cast<std::size_t>(it - px.begin())] / s.x;
        if (th < s.p)
            below += v;
        else
            above += v;
    }
    const double md = static_cast<double>(m);
    return (s.p - (below / md - above / md)) / (1.0 - s.p);
}

double min_max(const GroupCounts& c) {
    validate(c);
    const auto s = detail::sums(c);
    const bool own = !c.other.empty();  // a local environment's smoothed complement (PySAL)
    double big_y = s.t - s.x;
    if (own) {
        big_y = 0.0;
        for (double y : c.other) big_y += y;
        if (big_y <= 0.0) throw InputError(c.where, "the other groups are zero in every unit: min_max is undefined");
    }
    double lo = 0.0;
    double hi = 0.0;
    for (std::size_t i = 0; i < c.units(); ++i) {
        const double a = c.group[i] / s.x;
        const double b = (own ? c.other[i] : c.total[i] - c.group[i]) / big_y;
        lo += std::min(a, b);
        hi += std::max(a, b);
    }
    return 1.0 - lo / hi;
}

double isolation(const GroupCounts& c) {
    validate(c);
    const auto s = detail::sums(c);
    double acc = 0.0;
    for (std::size_t i = 0; i < c.units(); ++i) {
        if (c.total[i] <= 0.0) continue;  // NaN term dropped (PySAL's nansum)
        acc += (c.group[i] / s.x) * (c.group[i] / c.total[i]);
    }
    return acc;
}

double interaction(const GroupCounts& c) {
    validate(c);
    const auto s = detail::sums(c);
    double acc = 0.0;
    for (std::size_t i = 0; i < c.units(); ++i) {
        if (c.total[i] <= 0.0) continue;
        acc += (c.group[i] / s.x) * ((c.total[i] - c.group[i]) / c.total[i]);
    }
    return acc;
}

double correlation_r(const GroupCounts& c) {
    const double xpx = isolation(c);
    const auto s = detail::sums(c);
    return (xpx - s.p) / (1.0 - s.p);
}

// [SECTION] Randomised corrections --------------------------------------------------------

namespace {

void check_iterations(const RandomOptions& o, const char* id) {
    if (o.iterations < 2)
        throw InputError(std::string(id) + ": the number of iterations must be at least 2; got " +
                         std::to_string(o.iterations));
}

/// Draws of the evenness null x_i ~ Binomial(t_i, P), i.i.d. over units, summarised as
/// cells: D and G depend on the units only through the multiset of (x_i, t_i), and a cell
/// (k, t) holding N units is passed on as x = N·k, t = N·t (exact for both: units with the
/// same x/t add their weights). For the m units sharing a total t, the numbers N_k drawing
/// k are Multinomial(m; Binomial(t, P) pmf), drawn by conditional binomials over k — the
/// same distribution as m separate draws, at a cost of the pmf's support width instead of
/// m. Support: μ ± (12σ + 12), clamped to [0, t]; the mass outside is below 1e-20, far
/// under the resolution of the uniform variates. Totals held by few units (m below a
/// quarter of the width) are drawn unit by unit.
class EvennessSampler {
public:
    EvennessSampler(const GroupCounts& c, double p) : m_p(p) {
        std::vector<std::int64_t> t;
        t.reserve(c.units());
        for (double v : c.total) {
            const auto r = std::llround(v);
            if (r > 0) t.push_back(r);  // empty units contribute nothing to D or G
        }
        std::sort(t.begin(), t.end());
        const bool degenerate = !(p > 0.0 && p < 1.0);
        for (std::size_t i = 0; i < t.size();) {
            std::size_t j = i;
            while (j < t.size() && t[j] == t[i]) ++j;
            const std::int64_t total = t[i];
            const auto m = static_cast<std::int64_t>(j - i);
            i = j;
            const double td = static_cast<double>(total);
            const double mu = td * p;
            const double sd = std::sqrt(td * p * (1.0 - p));
            const auto lo = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(mu - 12.0 * sd - 12.0)));
            const auto hi = std::min<std::int64_t>(total, static_cast<std::int64_t>(std::ceil(mu + 12.0 * sd + 12.0)));
            if (degenerate || 4 * m < hi - lo + 1) {
                m_single.push_back({total, m});
                m_cells += static_cast<std::size_t>(m);
                continue;
            }
            Table tab{total, m, lo, {}};
            std::vector<double> logpmf(static_cast<std::size_t>(hi - lo + 1));
            const double lt = std::lgamma(td + 1.0);
            const double lp = std::log(p);
            const double lq = std::log1p(-p);
            double top = -std::numeric_limits<double>::infinity();
            for (std::int64_t k = lo; k <= hi; ++k) {
                const double kd = static_cast<double>(k);
                const double v = lt - std::lgamma(kd + 1.0) - std::lgamma(td - kd + 1.0) + kd * lp + (td - kd) * lq;
                logpmf[static_cast<std::size_t>(k - lo)] = v;
                top = std::max(top, v);
            }
            tab.q = logpmf;     // same size; overwritten below
            double tail = 0.0;  // Σ_{j ≥ k} pmf_j (scaled), summed from the small end of the tail
            for (std::size_t k = logpmf.size(); k-- > 0;) {
                const double f = std::exp(logpmf[k] - top);
                tail += f;
                tab.q[k] = tail > 0.0 ? f / tail : 0.0;
            }
            tab.q.back() = 1.0;
            m_cells += tab.q.size();
            m_grouped.push_back(std::move(tab));
        }
    }

    /// One draw of the whole city, as cells (cx, ct).
    void draw(Rng& rng, std::vector<double>& cx, std::vector<double>& ct) const {
        cx.clear();
        ct.clear();
        for (const auto& g : m_grouped) {
            std::int64_t left = g.units;
            const double td = static_cast<double>(g.total);
            for (std::size_t k = 0; k < g.q.size() && left > 0; ++k) {
                const std::int64_t n_k = g.q[k] >= 1.0 ? left : detail::binomial(rng, left, g.q[k]);
                if (n_k == 0) continue;
                const double nd = static_cast<double>(n_k);
                cx.push_back(nd * static_cast<double>(g.lo + static_cast<std::int64_t>(k)));
                ct.push_back(nd * td);
                left -= n_k;
            }
        }
        for (const auto& [total, m] : m_single) {
            for (std::int64_t u = 0; u < m; ++u) {
                cx.push_back(static_cast<double>(detail::binomial(rng, total, m_p)));
                ct.push_back(static_cast<double>(total));
            }
        }
    }
    [[nodiscard]] std::size_t max_cells() const { return m_cells; }

private:
    struct Table {
        std::int64_t total = 0;
        std::int64_t units = 0;
        std::int64_t lo = 0;
        std::vector<double> q;  ///< q[k − lo] = pmf_k / Σ_{j ≥ k} pmf_j
    };
    double m_p;
    std::vector<Table> m_grouped;
    std::vector<std::pair<std::int64_t, std::int64_t>> m_single;  ///< (total, units)
    std::size_t m_cells = 0;
};

/// D* and G*: the means over iterations of D and G of draws from the evenness null. Both
/// come from the same draws (iteration b uses Rng(seed, b)), so modified_dissim and
/// modified_gini computed alone or together give the same values.
struct EvennessMeans {
    double dissim = 0.0;
    double gini = 0.0;
};
EvennessMeans means_under_evenness(const GroupCounts& c, const RandomOptions& o, const Progress& progress,
                                   bool want_gini) {
    const EvennessSampler sampler(c, detail::sums(c).p);
    std::vector<double> d(o.iterations, 0.0);
    std::vector<double> g(o.iterations, 0.0);
    parallel_for(
        o.iterations,
        [&](std::size_t b) {
            thread_local std::vector<double> cx, ct;
            thread_local std::vector<std::pair<double, double>> buf;
            Rng rng(o.seed, b);
            cx.reserve(sampler.max_cells());
            ct.reserve(sampler.max_cells());
            sampler.draw(rng, cx, ct);
            d[b] = detail::dissim_raw(cx.data(), ct.data(), cx.size());
            if (want_gini) g[b] = detail::gini_raw(cx.data(), ct.data(), cx.size(), buf);
        },
        progress, o.threads);
    EvennessMeans m;
    for (std::size_t b = 0; b < o.iterations; ++b) {  // in index order: identical for any thread count
        m.dissim += d[b];
        m.gini += g[b];
    }
    m.dissim /= static_cast<double>(o.iterations);
    m.gini /= static_cast<double>(o.iterations);
    return m;
}

double carrington_troske(double observed, double expected) {
    if (observed >= expected) return (observed - expected) / (1.0 - expected);
    return (observed - expected) / expected;
}

/// Multinomial(n, probs) by sequential conditional binomials, added into out.
void multinomial_into(std::int64_t n, const std::vector<double>& probs, Rng& rng, std::vector<double>& out) {
    double mass = 1.0;
    for (std::size_t i = 0; i < probs.size() && n > 0; ++i) {
        const double pi = probs[i];
        if (pi <= 0.0) continue;
        std::int64_t k = n;
        const double q = pi / mass;
        if (q < 1.0) k = detail::binomial(rng, n, q);
        out[i] += static_cast<double>(k);
        n -= k;
        mass -= pi;
        if (mass <= 0.0) mass = 0.0;
    }
}

}  // namespace

double modified_dissim(const GroupCounts& c, const RandomOptions& o, const Progress& progress) {
    check_iterations(o, "modified_dissim");
    validate(c);
    return carrington_troske(dissim(c), means_under_evenness(c, o, progress, false).dissim);
}

double modified_gini(const GroupCounts& c, const RandomOptions& o, const Progress& progress) {
    check_iterations(o, "modified_gini");
    validate(c);
    return carrington_troske(gini(c), means_under_evenness(c, o, progress, true).gini);
}

namespace {

/// The binomial Bin(n, p) on [lo, lo + pmf.size()), tails below 1e-17 of the mode's
/// probability dropped (the dropped mass is < 1e-15), the rest normalised to sum 1. Built by
/// the ratio recurrence f(k+1)/f(k) = (n − k)/(k + 1) · p/(1 − p) outward from the mode, so
/// no lgamma and no underflow whatever n.
struct BinomialPmf {
    std::int64_t lo = 0;
    std::vector<double> pmf;
};
void binomial_pmf(std::int64_t n, double p, BinomialPmf& out) {
    out.pmf.clear();
    if (n <= 0 || !(p > 0.0)) {
        out.lo = 0;
        out.pmf.push_back(1.0);
        return;
    }
    if (!(p < 1.0)) {
        out.lo = n;
        out.pmf.push_back(1.0);
        return;
    }
    constexpr double k_cut = 1e-17;
    const double odds = p / (1.0 - p);
    const auto mode = std::min<std::int64_t>(n, static_cast<std::int64_t>(std::floor((static_cast<double>(n) + 1.0) * p)));
    thread_local std::vector<double> down;  // f(mode − 1), f(mode − 2), ... relative to f(mode) = 1
    down.clear();
    double f = 1.0;
    std::int64_t k = mode;
    while (k > 0) {  // f(k − 1) = f(k) · k / ((n − k + 1) · odds)
        f *= static_cast<double>(k) / (static_cast<double>(n - k + 1) * odds);
        if (f < k_cut) break;
        down.push_back(f);
        --k;
    }
    out.lo = mode - static_cast<std::int64_t>(down.size());
    out.pmf.assign(down.rbegin(), down.rend());
    out.pmf.push_back(1.0);
    f = 1.0;
    for (k = mode; k < n; ++k) {  // f(k + 1) = f(k) · (n − k)/(k + 1) · odds
        f *= static_cast<double>(n - k) / static_cast<double>(k + 1) * odds;
        if (f < k_cut) break;
        out.pmf.push_back(f);
    }
    double sum = 0.0;
    for (double v : out.pmf) sum += v;
    for (double& v : out.pmf) v /= sum;
}

/// E|A/n0 − B/n1| for independent A ~ Bin(n0, p0), B ~ Bin(n1, p1), exactly (to the
/// dropped tails): with G(u) = P(V ≤ u) and M(u) = E[V; V ≤ u], V = B/n1,
/// E|u − V| = u(2G(u) − 1) + E[V] − 2M(u), walked with one pointer over V's support as u
/// increases.
double expected_abs_difference(std::int64_t n0, double p0, std::int64_t n1, double p1, BinomialPmf& a,
                               BinomialPmf& b) {
    binomial_pmf(n0, p0, a);
    binomial_pmf(n1, p1, b);
    const double inv0 = n0 > 0 ? 1.0 / static_cast<double>(n0) : 0.0;
    const double inv1 = n1 > 0 ? 1.0 / static_cast<double>(n1) : 0.0;
    double ev = 0.0;
    for (std::size_t j = 0; j < b.pmf.size(); ++j) ev += b.pmf[j] * static_cast<double>(b.lo + static_cast<std::int64_t>(j)) * inv1;
    double g = 0.0;
    double m = 0.0;
    std::size_t j = 0;
    double acc = 0.0;
    for (std::size_t i = 0; i < a.pmf.size(); ++i) {
        const double u = static_cast<double>(a.lo + static_cast<std::int64_t>(i)) * inv0;
        while (j < b.pmf.size()) {
            const double v = static_cast<double>(b.lo + static_cast<std::int64_t>(j)) * inv1;
            if (v > u) break;
            g += b.pmf[j];
            m += b.pmf[j] * v;
            ++j;
        }
        acc += a.pmf[i] * std::abs(u * (2.0 * g - 1.0) + ev - 2.0 * m);
    }
    return acc;
}

struct BiasSetup {
    double d = 0.0;
    std::int64_t n0 = 0;
    std::int64_t n1 = 0;
    std::vector<double> p0;
    std::vector<double> p1;
};
BiasSetup bias_setup(const GroupCounts& c) {
    BiasSetup s;
    s.d = dissim(c);
    const std::size_t n = c.units();
    double sx = 0.0;
    double sy = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        sx += c.group[i];
        sy += c.total[i] - c.group[i];
    }
    s.p0.resize(n);
    s.p1.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        s.p0[i] = c.group[i] / sx;
        s.p1[i] = (c.total[i] - c.group[i]) / sy;
    }
    s.n0 = static_cast<std::int64_t>(std::llround(sx));
    s.n1 = static_cast<std::int64_t>(std::llround(sy));
    return s;
}

}  // namespace

double bias_corrected_dissim(const GroupCounts& c, const RandomOptions& o, const Progress& progress) {
    const BiasSetup s = bias_setup(c);
    if (!std::isfinite(s.d)) return s.d;
    const std::size_t n = c.units();
    // E*[D_b] = ½ Σ_i E|x*_i/X − y*_i/Y| by linearity; x*_i ~ Bin(X, x_i/X) and
    // y*_i ~ Bin(Y, y_i/Y) are the multinomials' marginals, independent of each other.
    constexpr std::size_t k_block = 1024;
    const std::size_t blocks = (n + k_block - 1) / k_block;
    std::vector<double> part(blocks, 0.0);
    parallel_for(
        blocks,
        [&](std::size_t blk) {
            thread_local BinomialPmf a;
            thread_local BinomialPmf b;
            const std::size_t end = std::min(n, (blk + 1) * k_block);
            double acc = 0.0;
            for (std::size_t i = blk * k_block; i < end; ++i) {
                if (!(s.p0[i] > 0.0) && !(s.p1[i] > 0.0)) continue;  // an empty unit: both draws 0
                acc += expected_abs_difference(s.n0, s.p0[i], s.n1, s.p1[i], a, b);
            }
            part[blk] = acc;
        },
        progress, o.threads);
    double mean_db = 0.0;
    for (double v : part) mean_db += v;  // in block order: identical for any thread count
    return 2.0 * s.d - 0.5 * mean_db;
}

double bias_corrected_dissim_bootstrap(const GroupCounts& c, const RandomOptions& o, const Progress& progress) {
    check_iterations(o, "bias_corrected_dissim");
    const BiasSetup s = bias_setup(c);
    const std::size_t n = c.units();
    std::vector<double> stats(o.iterations, 0.0);
    parallel_for(
        o.iterations,
        [&](std::size_t b) {
            Rng rng(o.seed, b);
            std::vector<double> x(n, 0.0);
            std::vector<double> t(n, 0.0);
            multinomial_into(s.n0, s.p0, rng, x);
            multinomial_into(s.n1, s.p1, rng, t);
            for (std::size_t i = 0; i < n; ++i) t[i] += x[i];
            stats[b] = detail::dissim_raw(x.data(), t.data(), n);
        },
        progress, o.threads);
    double acc = 0.0;
    for (double v : stats) acc += v;
    return 2.0 * s.d - acc / static_cast<double>(o.iterations);
}

double folded_normal_mode(double theta) {
    if (!(theta > 1.0)) return 0.0;  // also NaN → 0
    // f(z) = z − θ tanh(θ z) is convex on z > 0 with f(0) = 0, f'(0) = 1 − θ² < 0 and
    // f(θ) ≥ 0: Newton from z = θ decreases monotonically to the unique positive root.
    double z = theta;
    for (int it = 0; it < 200; ++it) {
        const double th = std::tanh(theta * z);
        const double f = z - theta * th;
        const double fp = 1.0 - theta * theta * (1.0 - th * th);
        if (!(fp > 0.0)) break;
        const double next = z - f / fp;
        if (!(next > 0.0)) break;
        if (std::abs(next - z) <= 1e-15 * z) {
            z = next;
            break;
        }
        z = next;
    }
    return z;
}

double density_corrected_dissim(const GroupCounts& c) {
    validate(c);
    const std::size_t n = c.units();
    double n0 = 0.0;
    double n1 = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        n0 += c.group[i];
        n1 += c.total[i] - c.group[i];
    }
    double acc = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double p0 = c.group[i] / n0;
        const double p1 = (c.total[i] - c.group[i]) / n1;
        const double sigma = std::sqrt(p1 * (1.0 - p1) / n1 + p0 * (1.0 - p0) / n0);
        if (!(sigma > 0.0)) continue;  // an empty unit (PySAL: 0/0 = NaN) contributes nothing
        acc += sigma * folded_normal_mode(std::abs(p1 - p0) / sigma);
    }
    return acc / 2.0;
}

// ---------------------------------------------------------------------------------------
// Batch
// ---------------------------------------------------------------------------------------

const std::vector<std::string>& single_group_aspatial_ids() {
    static const std::vector<std::string> ids = {
        "dissim",        "gini",          "entropy",
        "atkinson",      "con_prof",      "min_max",
        "modified_dissim", "modified_gini", "bias_corrected_dissim",
        "density_corrected_dissim", "isolation", "interaction",
        "correlation_r",
    };
    return ids;
}

double single_group_index(const std::string& id, const GroupCounts& c, const RandomOptions& o,
                          const Progress& progress) {
    if (id == "dissim") return dissim(c);
    if (id == "gini") return gini(c);
    if (id == "entropy") return entropy(c);
    if (id == "atkinson") return atkinson(c);
    if (id == "con_prof") return con_prof(c);
    if (id == "min_max") return min_max(c);
    if (id == "modified_dissim") return modified_dissim(c, o, progress);
    if (id == "modified_gini") return modified_gini(c, o, progress);
    if (id == "bias_corrected_dissim") return bias_corrected_dissim(c, o, progress);
    if (id == "density_corrected_dissim") return density_corrected_dissim(c);
    if (id == "isolation") return isolation(c);
    if (id == "interaction") return interaction(c);
    if (id == "correlation_r") return correlation_r(c);
    throw InputError("unknown single-group aspatial index '" + id + "'");
}

std::vector<IndexValue> single_group_aspatial(const GroupCounts& c, const RandomOptions& o, bool randomised,
                                              const Progress& progress) {
    validate(c);
    std::vector<IndexValue> out;
    std::optional<EvennessMeans> evenness;  // one set of draws for both modified_* indices
    for (const auto& id : single_group_aspatial_ids()) {
        const bool is_random = id == "modified_dissim" || id == "modified_gini" || id == "bias_corrected_dissim";
        if (is_random && !randomised) continue;
        progress.check();
        if (id == "modified_dissim" || id == "modified_gini") {
            check_iterations(o, id.c_str());
            if (!evenness) evenness = means_under_evenness(c, o, progress, true);
            out.push_back({id, id == "modified_dissim" ? carrington_troske(dissim(c), evenness->dissim)
                                                      : carrington_troske(gini(c), evenness->gini)});
            continue;
        }
        out.push_back({id, single_group_index(id, c, o, progress)});
    }
    return out;
}

}  // namespace hq::seg
