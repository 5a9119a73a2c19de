// Inference for segregation indices (see seg_inference.hpp and docs/segregation-inference.md).
//
// [SECTION] index
//   Null models, simulators, p-values (internal)
//   Names, null draws, statistics, summaries
//   Two-value test
//   Student's t tail
#include "geo/stats/seg_inference.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "geo/stats/seg_profile.hpp"
#include "geo/stats/segregation_detail.hpp"

namespace hq::seg {

// [SECTION] Null models, simulators, p-values (internal) ----------------------------------

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct NullEntry {
    NullApproach null;
    const char* name;
};
constexpr NullEntry kNulls[] = {
    {NullApproach::Systematic, "systematic"},
    {NullApproach::Bootstrap, "bootstrap"},
    {NullApproach::Evenness, "evenness"},
    {NullApproach::PersonPermutation, "person_permutation"},
    {NullApproach::GeographicPermutation, "geographic_permutation"},
    {NullApproach::SystematicPermutation, "systematic_permutation"},
    {NullApproach::EvenPermutation, "even_permutation"},
};

struct TwoNullEntry {
    TwoValueNull null;
    const char* name;
};
constexpr TwoNullEntry kTwoNulls[] = {
    {TwoValueNull::RandomLabel, "random_label"},
    {TwoValueNull::CounterfactualComposition, "counterfactual_composition"},
    {TwoValueNull::CounterfactualShare, "counterfactual_share"},
    {TwoValueNull::CounterfactualDualComposition, "counterfactual_dual_composition"},
    {TwoValueNull::Bootstrap, "bootstrap"},
    {TwoValueNull::PersonPermutation, "person_permutation"},
};

std::string join_names(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& n : v) s += (s.empty() ? "" : ", ") + n;
    return s;
}

std::int64_t to_count(double v) { return static_cast<std::int64_t>(std::llround(v)); }

/// Multinomial(n, w / Σw) over `size` categories by conditional binomials, written to
/// out[i * stride]. Categories of weight 0 get 0; the last positive one takes the rest.
void multinomial(Rng& rng, std::int64_t n, const double* w, std::size_t size, double* out, std::size_t stride) {
    std::size_t last = size;
    double rem = 0.0;
    for (std::size_t i = 0; i < size; ++i)
        if (w[i] > 0.0) {
            last = i;
            rem += w[i];
        }
    std::int64_t left = n;
    for (std::size_t i = 0; i < size; ++i) {
        double x = 0.0;
        if (left > 0 && w[i] > 0.0) {
            if (i == last) {
                x = static_cast<double>(left);
            } else {
                const double p = std::clamp(w[i] / rem, 0.0, 1.0);
                const std::int64_t d = detail::binomial(rng, left, p);
                x = static_cast<double>(d);
                left -= d;
            }
            rem -= w[i];
        }
        out[i * stride] = x;
        if (i == last) left = 0;
    }
}

/// Draws of the single-value nulls on an n × k table of counts (single group: the two
/// columns group, complement).
class MatrixSimulator {
public:
    MatrixSimulator(const std::vector<double>& raw, std::size_t n, std::size_t k, NullApproach null)
        : m_raw(raw), m_n(n), m_k(k), m_null(null) {
        if (null == NullApproach::Bootstrap || null == NullApproach::GeographicPermutation) return;
        m_rounded.reserve(raw.size());
        for (double v : raw) m_rounded.push_back(static_cast<double>(to_count(v)));
        m_row.assign(n, 0.0);
        m_col.assign(k, 0.0);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t g = 0; g < k; ++g) {
                m_row[i] += m_rounded[i * k + g];
                m_col[g] += m_rounded[i * k + g];
            }
        m_total = std::accumulate(m_row.begin(), m_row.end(), 0.0);
        if (null == NullApproach::PersonPermutation) {
            if (m_total > 4.0e9) throw InputError("person_permutation: more than 4 billion people");
            m_unit_of.reserve(static_cast<std::size_t>(m_total));
            for (std::size_t i = 0; i < n; ++i)
                for (std::int64_t p = 0; p < to_count(m_row[i]); ++p) m_unit_of.push_back(static_cast<std::uint32_t>(i));
            m_largest = static_cast<std::size_t>(std::max_element(m_col.begin(), m_col.end()) - m_col.begin());
        }
    }

    /// out: n × k counts; loc: the location index of each row (empty = identity).
    void draw(Rng& rng, std::vector<double>& out, std::vector<std::uint32_t>& loc) const {
        loc.clear();
        out.assign(m_n * m_k, 0.0);
        switch (m_null) {
            case NullApproach::Bootstrap:
                loc.resize(m_n);
                for (std::size_t i = 0; i < m_n; ++i) {
                    loc[i] = static_cast<std::uint32_t>(rng.below(m_n));
                    std::copy_n(m_raw.data() + loc[i] * m_k, m_k, out.data() + i * m_k);
                }
                return;
            case NullApproach::GeographicPermutation:
                out = m_raw;
                permute(rng, loc);
                return;
            case NullApproach::Systematic:
            case NullApproach::SystematicPermutation:
                for (std::size_t g = 0; g < m_k; ++g)
                    multinomial(rng, to_count(m_col[g]), m_row.data(), m_n, out.data() + g, m_k);
                break;
            case NullApproach::Evenness:
            case NullApproach::EvenPermutation:
                for (std::size_t i = 0; i < m_n; ++i)
                    multinomial(rng, to_count(m_row[i]), m_col.data(), m_k, out.data() + i * m_k, 1);
                break;
            case NullApproach::PersonPermutation: person_permutation(rng, out); break;
        }
        if (m_null == NullApproach::SystematicPermutation || m_null == NullApproach::EvenPermutation) permute(rng, loc);
    }

private:
    void permute(Rng& rng, std::vector<std::uint32_t>& loc) const {
        loc.resize(m_n);
        std::iota(loc.begin(), loc.end(), 0U);
        partial_shuffle(loc, m_n, rng);
    }

    void person_permutation(Rng& rng, std::vector<double>& out) const {
        thread_local std::vector<std::uint32_t> pos;
        const std::size_t people = m_unit_of.size();
        pos.resize(people);
        std::iota(pos.begin(), pos.end(), 0U);
        const auto moved = static_cast<std::size_t>(m_total - m_col[m_largest]);
        partial_shuffle(pos, moved, rng);
        std::size_t s = 0;
        for (std::size_t g = 0; g < m_k; ++g) {
            if (g == m_largest) continue;
            const auto count = static_cast<std::size_t>(m_col[g]);
            for (std::size_t e = s + count; s < e; ++s) out[m_unit_of[pos[s]] * m_k + g] += 1.0;
        }
        for (std::size_t i = 0; i < m_n; ++i) {
            double others = 0.0;
            for (std::size_t g = 0; g < m_k; ++g)
                if (g != m_largest) others += out[i * m_k + g];
            out[i * m_k + m_largest] = m_row[i] - others;
        }
    }

    const std::vector<double>& m_raw;
    std::size_t m_n, m_k;
    NullApproach m_null;
    std::vector<double> m_rounded, m_row, m_col;
    double m_total = 0.0;
    std::vector<std::uint32_t> m_unit_of;
    std::size_t m_largest = 0;
};

std::vector<double> to_matrix(const GroupCounts& c) {
    std::vector<double> v(c.units() * 2);
    for (std::size_t i = 0; i < c.units(); ++i) {
        v[2 * i] = c.group[i];
        v[2 * i + 1] = c.total[i] - c.group[i];
    }
    return v;
}

GroupCounts from_matrix(const GroupCounts& like, const std::vector<double>& v) {
    GroupCounts c;
    c.group_name = like.group_name;
    c.total_name = like.total_name;
    c.where = like.where;
    const std::size_t n = v.size() / 2;
    c.group.resize(n);
    c.total.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        c.group[i] = v[2 * i];
        c.total[i] = v[2 * i] + v[2 * i + 1];
    }
    return c;
}

CountMatrix with_data(const CountMatrix& like, std::vector<double> data) {
    CountMatrix m;
    m.groups = like.groups;
    m.units = data.size() / std::max<std::size_t>(like.groups, 1);
    m.names = like.names;
    m.where = like.where;
    m.data = std::move(data);
    return m;
}

using MatrixFn = std::function<double(const std::vector<double>&, const std::vector<Vec2>&)>;

SingleValueResult run_single(const std::vector<double>& raw, std::size_t n, std::size_t k,
                             const std::vector<Vec2>& centroids, const MatrixFn& stat, NullApproach null,
                             const TestOptions& o, const Progress& progress, const std::string& name) {
    if (o.permutations == 0) throw InputError("inference: the number of permutations must be at least 1");
    if (!centroids.empty() && centroids.size() != n)
        throw InputError("inference: " + std::to_string(centroids.size()) + " centroids for " + std::to_string(n) +
                         " units");
    SingleValueResult r;
    r.index = name;
    r.null = null_name(null);
    r.two_tailed = o.two_tailed;
    r.permutations = o.permutations;
    r.statistic = stat(raw, centroids);
    r.tested_value = null == NullApproach::Bootstrap ? o.null_value : r.statistic;
    const MatrixSimulator sim(raw, n, k, null);
    std::vector<double> draws(o.permutations, kNaN);
    parallel_for(
        o.permutations,
        [&](std::size_t b) {
            Rng rng(o.seed, b);
            std::vector<double> data;
            std::vector<std::uint32_t> loc;
            sim.draw(rng, data, loc);
            std::vector<Vec2> moved;
            const std::vector<Vec2>* cp = &centroids;
            if (!centroids.empty() && !loc.empty()) {
                moved.resize(n);
                for (std::size_t i = 0; i < n; ++i) moved[i] = centroids[loc[i]];
                cp = &moved;
            }
            try {
                draws[b] = stat(data, *cp);
            } catch (const InputError&) {
                draws[b] = kNaN;  // e.g. a draw with an empty group: undefined, dropped as PySAL
            }
        },
        progress, o.threads);
    for (double d : draws)
        if (std::isfinite(d)) r.simulated.push_back(d);
    r.dropped = o.permutations - r.simulated.size();
    const double v = r.tested_value;
    if (o.two_tailed) {
        std::size_t above = 0;
        std::size_t below = 0;
        for (double d : r.simulated) {
            above += v < d ? 1 : 0;
            below += v > d ? 1 : 0;
        }
        r.p_value = r.simulated.empty() ? kNaN
                                        : 2.0 * static_cast<double>(std::min(above, below)) /
                                              static_cast<double>(r.simulated.size());
    } else {
        std::size_t above = 0;
        for (double d : r.simulated) above += d > v ? 1 : 0;
        r.p_value = static_cast<double>(above) / static_cast<double>(o.permutations);
    }
    r.summary = summarize(r.simulated);
    return r;
}

double pvalue_two_tailed(double v, const std::vector<double>& sims) {
    if (sims.empty()) return kNaN;
    std::size_t above = 0;
    std::size_t below = 0;
    for (double d : sims) {
        above += v < d ? 1 : 0;
        below += v > d ? 1 : 0;
    }
    return 2.0 * static_cast<double>(std::min(above, below)) / static_cast<double>(sims.size());
}

/// Continued fraction of the incomplete beta function (modified Lentz).
double beta_cf(double a, double b, double x) {
    constexpr double tiny = 1e-300;
    constexpr double eps = 1e-16;
    const double qab = a + b;
    const double qap = a + 1.0;
    const double qam = a - 1.0;
    double c = 1.0;
    double d = 1.0 - qab * x / qap;
    if (std::abs(d) < tiny) d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (std::abs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (std::abs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1.0 / d;
        const double del = d * c;
        h *= del;
        if (std::abs(del - 1.0) < eps) break;
    }
    return h;
}

/// Regularised incomplete beta I_x(a, b).
double incomplete_beta(double a, double b, double x) {
    if (x <= 0.0) return 0.0;
    if (x >= 1.0) return 1.0;
    const double ln_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(ln_front) * beta_cf(a, b, x) / a;
    return 1.0 - std::exp(ln_front) * beta_cf(b, a, 1.0 - x) / b;
}

}  // namespace

// [SECTION] Names, null draws, statistics, summaries --------------------------------------

const char* null_name(NullApproach n) {
    for (const auto& e : kNulls)
        if (e.null == n) return e.name;
    return "systematic";
}

const std::vector<std::string>& null_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& e : kNulls) v.emplace_back(e.name);
        return v;
    }();
    return names;
}

NullApproach null_from_name(const std::string& name) {
    for (const auto& e : kNulls)
        if (name == e.name) return e.null;
    throw InputError("unknown null '" + name + "' (one of: " + join_names(null_names()) + ")");
}

const char* two_value_null_name(TwoValueNull n) {
    for (const auto& e : kTwoNulls)
        if (e.null == n) return e.name;
    return "random_label";
}

const std::vector<std::string>& two_value_null_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& e : kTwoNulls) v.emplace_back(e.name);
        return v;
    }();
    return names;
}

TwoValueNull two_value_null_from_name(const std::string& name) {
    for (const auto& e : kTwoNulls)
        if (name == e.name || "counterfactual_" + name == e.name) return e.null;
    throw InputError("unknown two-value null '" + name + "' (one of: " + join_names(two_value_null_names()) + ")");
}

GroupCounts simulate_null(const GroupCounts& c, NullApproach null, Rng& rng, std::vector<std::uint32_t>& locations) {
    validate(c);
    const auto raw = to_matrix(c);
    const MatrixSimulator sim(raw, c.units(), 2, null);
    std::vector<double> out;
    sim.draw(rng, out, locations);
    return from_matrix(c, out);
}

CountMatrix simulate_null(const CountMatrix& m, NullApproach null, Rng& rng, std::vector<std::uint32_t>& locations) {
    validate(m);
    const MatrixSimulator sim(m.data, m.units, m.groups, null);
    std::vector<double> out;
    sim.draw(rng, out, locations);
    return with_data(m, std::move(out));
}

SingleGroupStatistic single_group_statistic(const std::string& id, const StatisticOptions& options) {
    if (!is_single_group_id(id)) throw InputError("unknown single-group index '" + id + "'");
    RandomOptions random = options.random;
    random.threads = 1;
    if (!(options.distance >= 0.0) || !std::isfinite(options.distance))
        throw InputError("the distance must be a finite number ≥ 0");
    if (options.distance == 0.0)
        return [id, random](const GroupCounts& c, const std::vector<Vec2>&) { return single_group_index(id, c, random); };
    LocalEnvironmentOptions le;
    le.bandwidth = options.distance;
    le.function = options.function;
    le.threads = 1;
    return [id, random, le](const GroupCounts& c, const std::vector<Vec2>& centroids) {
        if (centroids.empty()) throw std::logic_error("a spatially implicit index needs centroids");
        return single_group_index(id, local_environment(c, centroids, le), random);
    };
}

MultiGroupStatistic multigroup_statistic(const std::string& id, const StatisticOptions& options) {
    if (!is_multigroup_id(id)) throw InputError("unknown multigroup index '" + id + "'");
    if (!(options.distance >= 0.0) || !std::isfinite(options.distance))
        throw InputError("the distance must be a finite number ≥ 0");
    if (options.distance == 0.0)
        return [id](const CountMatrix& m, const std::vector<Vec2>&) { return multigroup_index_by_id(id, m); };
    LocalEnvironmentOptions le;
    le.bandwidth = options.distance;
    le.function = options.function;
    le.threads = 1;
    return [id, le](const CountMatrix& m, const std::vector<Vec2>& centroids) {
        if (centroids.empty()) throw std::logic_error("a spatially implicit index needs centroids");
        return multigroup_index_by_id(id, local_environment(m, centroids, le));
    };
}

NullSummary summarize(const std::vector<double>& values) {
    NullSummary s;
    s.count = values.size();
    if (values.empty()) return s;
    std::vector<double> v = values;
    std::sort(v.begin(), v.end());
    const double n = static_cast<double>(v.size());
    double mean = 0.0;
    for (double x : v) mean += x;
    mean /= n;
    double ss = 0.0;
    for (double x : v) ss += (x - mean) * (x - mean);
    s.mean = mean;
    s.sd = std::sqrt(ss / n);
    s.min = v.front();
    s.max = v.back();
    auto q = [&](double p) {
        const double pos = (n - 1.0) * p;
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        if (lo + 1 >= v.size()) return v.back();
        return v[lo] + (v[lo + 1] - v[lo]) * (pos - static_cast<double>(lo));
    };
    s.q025 = q(0.025);
    s.median = q(0.5);
    s.q975 = q(0.975);
    return s;
}

SingleValueResult single_value_test(const GroupCounts& c, const std::vector<Vec2>& centroids,
                                    const SingleGroupStatistic& statistic, NullApproach null,
                                    const TestOptions& options, const Progress& progress,
                                    const std::string& index_name) {
    validate(c);
    const auto raw = to_matrix(c);
    const MatrixFn fn = [&](const std::vector<double>& data, const std::vector<Vec2>& cents) {
        return statistic(from_matrix(c, data), cents);
    };
    return run_single(raw, c.units(), 2, centroids, fn, null, options, progress, index_name);
}

SingleValueResult single_value_test(const CountMatrix& m, const std::vector<Vec2>& centroids,
                                    const MultiGroupStatistic& statistic, NullApproach null,
                                    const TestOptions& options, const Progress& progress,
                                    const std::string& index_name) {
    validate(m);
    const MatrixFn fn = [&](const std::vector<double>& data, const std::vector<Vec2>& cents) {
        return statistic(with_data(m, data), cents);
    };
    return run_single(m.data, m.units, m.groups, centroids, fn, null, options, progress, index_name);
}

SingleValueResult single_value_test(const std::string& id, const GroupCounts& c, const std::vector<Vec2>& centroids,
                                    NullApproach null, const TestOptions& options, const StatisticOptions& statistic,
                                    const Progress& progress) {
    if (statistic.distance > 0.0 && centroids.empty())
        throw InputError("inference: the spatially implicit '" + id + "' needs unit centroids");
    return single_value_test(c, centroids, single_group_statistic(id, statistic), null, options, progress, id);
}

SingleValueResult single_value_test(const std::string& id, const CountMatrix& m, const std::vector<Vec2>& centroids,
                                    NullApproach null, const TestOptions& options, const StatisticOptions& statistic,
                                    const Progress& progress) {
    if (statistic.distance > 0.0 && centroids.empty())
        throw InputError("inference: the spatially implicit '" + id + "' needs unit centroids");
    return single_value_test(m, centroids, multigroup_statistic(id, statistic), null, options, progress, id);
}

// [SECTION] Two-value test ----------------------------------------------------------------

namespace {

/// Shared engine on n × k tables: `make` turns a table (rows of one city) into a value.
TwoValueResult run_two(const std::vector<double>& a, std::size_t na, const std::vector<double>& b, std::size_t nb,
                       std::size_t k, const std::function<double(const std::vector<double>&)>& stat,
                       TwoValueNull null, const TestOptions& o, const Progress& progress, const std::string& name,
                       const std::vector<double>* cf_a, const std::vector<double>* cf_b) {
    if (o.permutations == 0) throw InputError("inference: the number of permutations must be at least 1");
    TwoValueResult r;
    r.index = name;
    r.null = two_value_null_name(null);
    r.permutations = o.permutations;
    r.statistic_a = stat(a);
    r.statistic_b = stat(b);
    r.difference = r.statistic_a - r.statistic_b;
    const std::size_t R = o.permutations;
    auto safe = [&](const std::vector<double>& t) {
        try {
            return stat(t);
        } catch (const InputError&) {
            return kNaN;
        }
    };

    if (null == TwoValueNull::Bootstrap) {
        if (R < 2) throw InputError("inference: the bootstrap comparison needs at least 2 permutations");
        std::vector<double> da(R, kNaN);
        std::vector<double> db(R, kNaN);
        const MatrixSimulator sa(a, na, k, NullApproach::Bootstrap);
        const MatrixSimulator sb(b, nb, k, NullApproach::Bootstrap);
        parallel_for(
            2 * R,
            [&](std::size_t s) {
                Rng rng(o.seed, s);
                std::vector<double> data;
                std::vector<std::uint32_t> loc;
                if (s < R) {
                    sa.draw(rng, data, loc);
                    da[s] = safe(data);
                } else {
                    sb.draw(rng, data, loc);
                    db[s - R] = safe(data);
                }
            },
            progress, o.threads);
        std::vector<double> diffs;
        for (std::size_t s = 0; s < R; ++s) {
            if (std::isfinite(da[s])) r.simulated_a.push_back(da[s]);
            if (std::isfinite(db[s])) r.simulated_b.push_back(db[s]);
            if (std::isfinite(da[s]) && std::isfinite(db[s])) diffs.push_back(da[s] - db[s]);
        }
        r.dropped = 2 * R - r.simulated_a.size() - r.simulated_b.size();
        const NullSummary s1 = summarize(r.simulated_a);
        const NullSummary s2 = summarize(r.simulated_b);
        r.t_statistic = (s1.mean - s2.mean) / std::sqrt(s1.sd * s1.sd + s2.sd * s2.sd);
        r.p_value = std::isfinite(r.t_statistic) ? 2.0 * student_t_sf(std::abs(r.t_statistic), static_cast<double>(R - 1))
                                                 : kNaN;
        r.summary = summarize(diffs);
        return r;
    }

    // Pooled, rounded tables for random labelling and person permutation (PySAL rounds).
    std::vector<double> pooled;
    if (null == TwoValueNull::RandomLabel || null == TwoValueNull::PersonPermutation) {
        pooled.reserve(a.size() + b.size());
        for (double v : a) pooled.push_back(static_cast<double>(to_count(v)));
        for (double v : b) pooled.push_back(static_cast<double>(to_count(v)));
    }
    std::optional<MatrixSimulator> person;
    if (null == TwoValueNull::PersonPermutation) person.emplace(pooled, na + nb, k, NullApproach::PersonPermutation);

    std::vector<double> draws(R, kNaN);
    parallel_for(
        R,
        [&](std::size_t s) {
            Rng rng(o.seed, s);
            std::vector<double> ta(na * k);
            std::vector<double> tb(nb * k);
            switch (null) {
                case TwoValueNull::RandomLabel: {
                    std::vector<std::uint32_t> idx(na + nb);
                    std::iota(idx.begin(), idx.end(), 0U);
                    partial_shuffle(idx, na, rng);
                    for (std::size_t i = 0; i < na; ++i) std::copy_n(pooled.data() + idx[i] * k, k, ta.data() + i * k);
                    for (std::size_t i = 0; i < nb; ++i)
                        std::copy_n(pooled.data() + idx[na + i] * k, k, tb.data() + i * k);
                    break;
                }
                case TwoValueNull::PersonPermutation: {
                    std::vector<double> data;
                    std::vector<std::uint32_t> loc;
                    person->draw(rng, data, loc);
                    std::copy_n(data.data(), na * k, ta.data());
                    std::copy_n(data.data() + na * k, nb * k, tb.data());
                    break;
                }
                default: {  // counterfactual: each unit is its counterfactual with probability ½
                    for (std::size_t i = 0; i < na; ++i) {
                        const bool original = rng.uniform() > 0.5;
                        std::copy_n((original ? a : *cf_a).data() + i * k, k, ta.data() + i * k);
                    }
                    for (std::size_t i = 0; i < nb; ++i) {
                        const bool original = rng.uniform() > 0.5;
                        std::copy_n((original ? b : *cf_b).data() + i * k, k, tb.data() + i * k);
                    }
                    break;
                }
            }
            draws[s] = safe(ta) - safe(tb);
        },
        progress, o.threads);
    for (double d : draws)
        if (std::isfinite(d)) r.simulated.push_back(d);
    r.dropped = R - r.simulated.size();
    r.p_value = pvalue_two_tailed(r.difference, r.simulated);
    r.summary = summarize(r.simulated);
    return r;
}

}  // namespace

TwoValueResult two_value_test(const GroupCounts& a, const GroupCounts& b, const CountsStatistic& statistic,
                              TwoValueNull null, const TestOptions& options, const Progress& progress,
                              const std::string& index_name) {
    validate(a);
    validate(b);
    const auto ma = to_matrix(a);
    const auto mb = to_matrix(b);
    std::vector<double> cfa;
    std::vector<double> cfb;
    if (null == TwoValueNull::CounterfactualComposition || null == TwoValueNull::CounterfactualShare ||
        null == TwoValueNull::CounterfactualDualComposition) {
        const CounterfactualApproach ap = null == TwoValueNull::CounterfactualComposition ? CounterfactualApproach::Composition
                                          : null == TwoValueNull::CounterfactualShare    ? CounterfactualApproach::Share
                                                                                          : CounterfactualApproach::DualComposition;
        cfa = to_matrix(counterfactual(a, b, ap));
        cfb = to_matrix(counterfactual(b, a, ap));
    }
    const auto fn = [&](const std::vector<double>& t) { return statistic(from_matrix(a, t)); };
    return run_two(ma, a.units(), mb, b.units(), 2, fn, null, options, progress, index_name, &cfa, &cfb);
}

TwoValueResult two_value_test(const CountMatrix& a, const CountMatrix& b, const MatrixStatistic& statistic,
                              TwoValueNull null, const TestOptions& options, const Progress& progress,
                              const std::string& index_name) {
    validate(a);
    validate(b);
    if (a.groups != b.groups)
        throw InputError("two-value test: the cities have " + std::to_string(a.groups) + " and " +
                         std::to_string(b.groups) + " groups");
    if (!a.names.empty() && !b.names.empty() && a.names != b.names)
        throw InputError("two-value test: the cities' groups differ (multigroup groups must be the same)");
    if (null == TwoValueNull::CounterfactualComposition || null == TwoValueNull::CounterfactualShare ||
        null == TwoValueNull::CounterfactualDualComposition)
        throw InputError(std::string("two-value test: '") + two_value_null_name(null) +
                         "' is defined for single-group indices only (as in PySAL)");
    const auto fn = [&](const std::vector<double>& t) { return statistic(with_data(a, t)); };
    return run_two(a.data, a.units, b.data, b.units, a.groups, fn, null, options, progress, index_name, nullptr,
                   nullptr);
}

TwoValueResult two_value_test(const std::string& id, const GroupCounts& a, const GroupCounts& b, TwoValueNull null,
                              const TestOptions& options, const RandomOptions& random, const Progress& progress) {
    if (!is_single_group_id(id)) throw InputError("unknown single-group index '" + id + "'");
    RandomOptions r = random;
    r.threads = 1;
    return two_value_test(
        a, b, [&](const GroupCounts& c) { return single_group_index(id, c, r); }, null, options, progress, id);
}

TwoValueResult two_value_test(const std::string& id, const CountMatrix& a, const CountMatrix& b, TwoValueNull null,
                              const TestOptions& options, const Progress& progress) {
    if (!is_multigroup_id(id)) throw InputError("unknown multigroup index '" + id + "'");
    return two_value_test(
        a, b, [&](const CountMatrix& m) { return multigroup_index_by_id(id, m); }, null, options, progress, id);
}

// [SECTION] Student's t tail --------------------------------------------------------------

double student_t_sf(double t, double df) {
    if (!(df > 0.0)) return kNaN;
    if (std::isnan(t)) return kNaN;
    if (std::isinf(t)) return t > 0 ? 0.0 : 1.0;
    const double x = df / (df + t * t);
    const double tail = 0.5 * incomplete_beta(df / 2.0, 0.5, x);
    return t >= 0.0 ? tail : 1.0 - tail;
}

}  // namespace hq::seg
