// Spatially implicit local environments and multiscalar profiles (see seg_profile.hpp).
#include "geo/stats/seg_profile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <tuple>

#include "geo/core/parallel.hpp"
#include "geo/stats/segregation_multigroup.hpp"

namespace hq::seg {

namespace {

struct CellKey {
    std::int64_t cx = 0;
    std::int64_t cy = 0;
    std::uint32_t id = 0;
    friend bool operator<(const CellKey& a, const CellKey& b) {
        return std::tie(a.cx, a.cy, a.id) < std::tie(b.cx, b.cy, b.id);
    }
};

void check_points(const std::vector<Vec2>& pts, std::size_t n) {
    if (pts.size() != n)
        throw InputError("local environments: " + std::to_string(pts.size()) + " centroids for " + std::to_string(n) +
                         " units");
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(pts[i].x) || !std::isfinite(pts[i].y)) {
            ErrorContext where;
            where.feature = i;
            throw InputError(where, "the unit has no finite centroid (empty geometry?)");
        }
}

double round_half_even(double v) { return std::nearbyint(v); }  // default mode: to nearest, ties to even

}  // namespace

std::vector<double> local_sums(const std::vector<Vec2>& centroids, const std::vector<double>& values,
                               std::size_t columns, const LocalEnvironmentOptions& options,
                               const Progress& progress) {
    const std::size_t n = centroids.size();
    if (columns == 0 || values.size() != n * columns)
        throw InputError("local environments: the table has " + std::to_string(values.size()) + " values, expected " +
                         std::to_string(n) + " units × " + std::to_string(columns) + " columns");
    check_points(centroids, n);
    const double h = options.bandwidth;
    if (!std::isfinite(h) || h < 0.0) throw InputError("local environments: the distance must be finite and ≥ 0");
    std::vector<double> out(values.size());
    if (h == 0.0 || n == 0) {
        for (std::size_t i = 0; i < values.size(); ++i)
            out[i] = options.round_half_even ? round_half_even(values[i]) : values[i];
        return out;
    }
    double minx = centroids[0].x;
    double miny = centroids[0].y;
    for (const auto& p : centroids) {
        minx = std::min(minx, p.x);
        miny = std::min(miny, p.y);
    }
    std::vector<CellKey> keys(n);
    for (std::size_t i = 0; i < n; ++i)
        keys[i] = {static_cast<std::int64_t>(std::floor((centroids[i].x - minx) / h)),
                   static_cast<std::int64_t>(std::floor((centroids[i].y - miny) / h)), static_cast<std::uint32_t>(i)};
    std::vector<CellKey> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    const KernelFunction f = options.function;
    const double h2 = h * h * (1.0 + 1e-12);  // slack: never rejects a pair the exact d ≤ h keeps
    parallel_for(
        n,
        [&](std::size_t i) {
            const CellKey& me = keys[i];
            const Vec2 p = centroids[i];
            double* acc = out.data() + i * columns;
            std::fill(acc, acc + columns, 0.0);
            for (std::int64_t cx = me.cx - 1; cx <= me.cx + 1; ++cx) {
                const CellKey lo{cx, me.cy - 1, 0};
                auto it = std::lower_bound(sorted.begin(), sorted.end(), lo);
                for (; it != sorted.end() && it->cx == cx && it->cy <= me.cy + 1; ++it) {
                    const std::size_t j = it->id;
                    double w;
                    if (j == i) {
                        w = 1.0;  // libpysal fill_diagonal
                    } else {
                        const double dx = centroids[j].x - p.x;
                        const double dy = centroids[j].y - p.y;
                        const double d2 = dx * dx + dy * dy;
                        if (d2 > h2) continue;  // cheap reject; the exact test below decides
                        const double d = std::sqrt(d2);
                        if (d > h) continue;
                        w = f == KernelFunction::Triangular ? 1.0 - d / h : kernel_value(f, d / h);
                    }
                    const double* v = values.data() + j * columns;
                    for (std::size_t k = 0; k < columns; ++k) acc[k] += w * v[k];
                }
            }
            if (options.round_half_even)
                for (std::size_t k = 0; k < columns; ++k) acc[k] = round_half_even(acc[k]);
        },
        progress, options.threads);
    return out;
}

std::vector<double> local_sums(const Weights& w, const std::vector<double>& values, std::size_t columns,
                               bool round_half_even_) {
    const std::size_t n = w.n;
    if (columns == 0 || values.size() != n * columns)
        throw InputError("local environments: the weights have " + std::to_string(n) + " units, the table " +
                         std::to_string(values.size()) + " values");
    std::vector<double> out(values.size());
    for (std::size_t i = 0; i < n; ++i) {
        double* acc = out.data() + i * columns;
        for (std::size_t k = 0; k < columns; ++k) acc[k] = values[i * columns + k];
        const auto nb = w.row(i);
        const auto wv = w.row_values(i);
        for (std::size_t e = 0; e < nb.size(); ++e) {
            if (nb[e] == i) continue;  // diagonal forced to 1
            const double* v = values.data() + static_cast<std::size_t>(nb[e]) * columns;
            for (std::size_t k = 0; k < columns; ++k) acc[k] += wv[e] * v[k];
        }
        if (round_half_even_)
            for (std::size_t k = 0; k < columns; ++k) acc[k] = round_half_even(acc[k]);
    }
    return out;
}

namespace {

/// Group, total and complement (PySAL's group_pop_var, total_pop_var, group_2_pop_var)
/// as an n × 3 table: each is smoothed and rounded as a column of its own.
std::vector<double> interleave(const GroupCounts& c) {
    std::vector<double> v(c.units() * 3);
    for (std::size_t i = 0; i < c.units(); ++i) {
        v[3 * i] = c.group[i];
        v[3 * i + 1] = c.total[i];
        v[3 * i + 2] = c.other.empty() ? c.total[i] - c.group[i] : c.other[i];
    }
    return v;
}

GroupCounts from_interleaved(const GroupCounts& like, const std::vector<double>& v) {
    GroupCounts out;
    out.group_name = like.group_name;
    out.total_name = like.total_name;
    out.where = like.where;
    const std::size_t n = v.size() / 3;
    out.group.resize(n);
    out.total.resize(n);
    out.other.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.group[i] = v[3 * i];
        out.total[i] = v[3 * i + 1];
        out.other[i] = v[3 * i + 2];
    }
    return out;
}

CountMatrix with_data(const CountMatrix& like, std::vector<double> data) {
    CountMatrix out;
    out.units = like.units;
    out.groups = like.groups;
    out.names = like.names;
    out.where = like.where;
    out.data = std::move(data);
    return out;
}

}  // namespace

GroupCounts local_environment(const GroupCounts& c, const std::vector<Vec2>& centroids,
                              const LocalEnvironmentOptions& options, const Progress& progress) {
    if (c.group.size() != c.total.size()) validate(c);
    return from_interleaved(c, local_sums(centroids, interleave(c), 3, options, progress));
}

CountMatrix local_environment(const CountMatrix& m, const std::vector<Vec2>& centroids,
                              const LocalEnvironmentOptions& options, const Progress& progress) {
    return with_data(m, local_sums(centroids, m.data, m.groups, options, progress));
}

bool is_single_group_id(const std::string& id) {
    const auto& ids = single_group_aspatial_ids();
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool is_multigroup_id(const std::string& id) {
    const auto& ids = multigroup_aspatial_ids();
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

double multigroup_index_by_id(const std::string& id, const CountMatrix& m) {
    if (id == "multi_dissim") return multi_dissim(m);
    if (id == "multi_gini") return multi_gini(m);
    if (id == "multi_norm_exposure") return multi_norm_exposure(m);
    if (id == "multi_info_theory") return multi_info_theory(m);
    if (id == "multi_relative_diversity") return multi_relative_diversity(m);
    if (id == "multi_squared_coef_var") return multi_squared_coef_var(m);
    if (id == "multi_diversity") return multi_diversity(m);
    if (id == "simpsons_concentration") return simpsons_concentration(m);
    if (id == "simpsons_interaction") return simpsons_interaction(m);
    if (id == "multi_divergence") return multi_divergence(m);
    throw InputError("unknown multigroup index '" + id + "'");
}

namespace {

void check_distances(const ProfileOptions& o) {
    for (double d : o.distances)
        if (!std::isfinite(d) || d <= 0.0)
            throw InputError("profile: every distance must be a finite number > 0 (got " + std::to_string(d) + ")");
}

template <class Counts, class Eval>
std::vector<ProfilePoint> profile_impl(const Counts& c, const std::vector<Vec2>& centroids, const ProfileOptions& o,
                                       const Progress& progress, Eval eval) {
    check_distances(o);
    std::vector<ProfilePoint> out;
    const std::size_t steps = o.distances.size() + (o.include_zero ? 1 : 0);
    std::size_t done = 0;
    if (o.include_zero) {
        out.push_back({0.0, eval(c)});
        progress.report(static_cast<double>(++done) / static_cast<double>(steps), "profile");
    }
    for (double h : o.distances) {
        progress.check();
        LocalEnvironmentOptions le;
        le.bandwidth = h;
        le.function = o.function;
        le.threads = o.threads;
        const Counts smoothed = local_environment(c, centroids, le);
        out.push_back({h, eval(smoothed)});
        progress.report(static_cast<double>(++done) / static_cast<double>(steps), "profile");
    }
    return out;
}

}  // namespace

std::vector<ProfilePoint> multiscalar_profile(const std::string& id, const GroupCounts& c,
                                              const std::vector<Vec2>& centroids, const ProfileOptions& options,
                                              const Progress& progress) {
    if (!is_single_group_id(id)) throw InputError("profile: '" + id + "' is not a single-group aspatial index");
    validate(c);
    check_points(centroids, c.units());
    RandomOptions r = options.random;
    return profile_impl(c, centroids, options, progress,
                        [&](const GroupCounts& x) { return single_group_index(id, x, r); });
}

std::vector<ProfilePoint> multiscalar_profile(const std::string& id, const CountMatrix& m,
                                              const std::vector<Vec2>& centroids, const ProfileOptions& options,
                                              const Progress& progress) {
    if (!is_multigroup_id(id)) throw InputError("profile: '" + id + "' is not a multigroup index");
    validate(m);
    check_points(centroids, m.units);
    return profile_impl(m, centroids, options, progress,
                        [&](const CountMatrix& x) { return multigroup_index_by_id(id, x); });
}

}  // namespace hq::seg
