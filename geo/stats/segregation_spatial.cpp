// Spatially explicit segregation indices (PySAL `segregation`).
//
// [SECTION] index
//   input checks
//   distance decay (spatial_proximity, clustering, distance-decay exposure)
//   concentration (delta, absolute/relative concentration)
//   centralization
//   neighbour contrasts (spatial_dissim, boundary/par dissim, spatial_prox_prof)
//   boundaries and local environments
//   the suite (single_group_spatial: the one suite geo/analysis calls)
//   distortion (local/global)
#include "geo/stats/segregation_spatial.hpp"

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "geo/core/parallel.hpp"
#include "geo/geometry/geos.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/weights/contiguity.hpp"
#include "geo/weights/distance.hpp"
#include "geo/stats/segregation_detail.hpp"

namespace hq::seg {

namespace {

void check_centroids(const CountMatrix& m, const std::vector<Vec2>& centroids) {
    if (centroids.size() != m.units)
        throw InputError(m.where, "got " + std::to_string(centroids.size()) + " centroids for " +
                                      std::to_string(m.units) + " units");
    for (std::size_t i = 0; i < centroids.size(); ++i) {
        if (!std::isfinite(centroids[i].x) || !std::isfinite(centroids[i].y)) {
            ErrorContext c = m.where;
            c.feature = i;
            throw InputError(c, "the unit has no usable centroid (empty geometry?)");
        }
    }
}

}  // namespace

namespace {

void check_points(const GroupCounts& c, const std::vector<Vec2>& centroids) {
    if (centroids.size() != c.units())
        throw InputError(c.where, "got " + std::to_string(centroids.size()) + " centroids for " +
                                      std::to_string(c.units()) + " units");
    for (std::size_t i = 0; i < centroids.size(); ++i)
        if (!std::isfinite(centroids[i].x) || !std::isfinite(centroids[i].y)) {
            ErrorContext e = c.where;
            e.feature = i;
            throw InputError(e, "the unit has no usable centroid (empty geometry?)");
        }
}

void check_areas(const GroupCounts& c, const std::vector<double>& areas) {
    if (areas.size() != c.units())
        throw InputError(c.where, "got " + std::to_string(areas.size()) + " areas for " +
                                      std::to_string(c.units()) + " units");
    for (std::size_t i = 0; i < areas.size(); ++i)
        if (!std::isfinite(areas[i]) || areas[i] < 0.0) {
            ErrorContext e = c.where;
            e.feature = i;
            throw InputError(e, "the unit's area is not a finite non-negative number");
        }
}

// [SECTION] distance decay ----------------------------------------------------

double dist(Vec2 a, Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// Row sums needed by the distance-decay family, computed without an n × n matrix.
struct DecaySums {
    double sp_xx = 0.0, sp_yy = 0.0, sp_tt = 0.0;  // Σ_ij a_i a_j c_ij
    double acl_x = 0.0, acl_t = 0.0, c_total = 0.0;
    double rcl_x = 0.0, rcl_y = 0.0;               // Σ_ij a_j² c_ij
    double dp_xx = 0.0, dp_xy = 0.0;
};

DecaySums decay_sums(const GroupCounts& c, const std::vector<Vec2>& p, const std::vector<double>& areas,
                     const ProximityOptions& o, const Progress& progress) {
    validate(c);
    check_points(c, p);
    check_areas(c, areas);
    if (!(o.alpha >= 0.0) || !(o.beta >= 0.0))
        throw InputError("the proximity parameters alpha and beta must be non-negative");
    const std::size_t n = c.units();
    const auto& x = c.group;
    const auto& t = c.total;
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = t[i] - x[i];
    // Pass 1: s_j = Σ_k d_jk (PySAL divides column j of the distance matrix by it).
    std::vector<double> s(n, 0.0);
    parallel_for(n, [&](std::size_t j) {
        double acc = 0.0;
        for (std::size_t k = 0; k < n; ++k) acc += dist(p[j], p[k]);
        s[j] = acc;
    }, progress, o.threads);
    std::vector<double> diag(n);
    for (std::size_t i = 0; i < n; ++i) diag[i] = 1.0 - std::exp(-std::pow(o.alpha * areas[i], o.beta));
    auto prox = [&](std::size_t i, std::size_t j) {
        if (i == j) return diag[i];
        return 1.0 - std::exp(-dist(p[i], p[j]) / s[j]);
    };
    // Pass 2: per-row sums.
    std::vector<double> cx(n), cy(n), ct(n), crow(n), cx2(n), cy2(n);
    parallel_for(n, [&](std::size_t i) {
        double a = 0.0, b = 0.0, d = 0.0, e = 0.0, f = 0.0, g = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            const double cij = prox(i, j);
            a += cij * x[j];
            b += cij * y[j];
            d += cij * t[j];
            e += cij;
            f += cij * x[j] * x[j];
            g += cij * y[j] * y[j];
        }
        cx[i] = a;
        cy[i] = b;
        ct[i] = d;
        crow[i] = e;
        cx2[i] = f;
        cy2[i] = g;
    }, progress, o.threads);
    // Pass 3: Σ_j c_ij x_j / ct_j and Σ_j c_ij y_j / ct_j (PySAL's K_ij = c_ij t_j / ct_j).
    std::vector<double> kx(n), ky(n);
    parallel_for(n, [&](std::size_t i) {
        double a = 0.0, b = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            if (t[j] <= 0.0) continue;  // x_j/t_j is NaN in PySAL, dropped by nansum
            const double cij = prox(i, j);
            a += cij * x[j] / ct[j];
            b += cij * y[j] / ct[j];
        }
        kx[i] = a;
        ky[i] = b;
    }, progress, o.threads);
    DecaySums r;
    double big_x = 0.0;
    for (std::size_t i = 0; i < n; ++i) big_x += x[i];
    for (std::size_t i = 0; i < n; ++i) {
        r.sp_xx += x[i] * cx[i];
        r.sp_yy += y[i] * cy[i];
        r.sp_tt += t[i] * ct[i];
        r.acl_x += x[i] / big_x * cx[i];
        r.acl_t += x[i] / big_x * ct[i];
        r.c_total += crow[i];
        r.rcl_x += cx2[i];
        r.rcl_y += cy2[i];
        r.dp_xx += x[i] / big_x * kx[i];
        r.dp_xy += x[i] / big_x * ky[i];
    }
    return r;
}

struct DecayIndices {
    double sp, acl, rcl, dpxx, dpxy;
};

DecayIndices decay_indices(const GroupCounts& c, const std::vector<Vec2>& p, const std::vector<double>& areas,
                           const ProximityOptions& o, const Progress& progress) {
    const auto r = decay_sums(c, p, areas, o, progress);
    const auto s = detail::sums(c);
    const double big_x = s.x;
    const double big_t = s.t;
    const double big_y = s.t - s.x;
    const double n = static_cast<double>(c.units());
    const double pxx = r.sp_xx / (big_x * big_x);
    const double pyy = r.sp_yy / (big_y * big_y);
    const double ptt = r.sp_tt / (big_t * big_t);
    DecayIndices d{};
    d.sp = (big_x * pxx + big_y * pyy) / (big_t * ptt);
    const double corr = big_x / (n * n) * r.c_total;
    d.acl = (r.acl_x - corr) / (r.acl_t - corr);
    d.rcl = (r.rcl_x / (big_x * big_x)) / (r.rcl_y / (big_y * big_y)) - 1.0;
    d.dpxx = r.dp_xx;
    d.dpxy = r.dp_xy;
    return d;
}

}  // namespace

std::vector<IndexValue> distance_decay_indices(const GroupCounts& c, const std::vector<Vec2>& centroids,
                                               const std::vector<double>& areas, const ProximityOptions& o,
                                               const Progress& progress) {
    const auto d = decay_indices(c, centroids, areas, o, progress);
    return {{"spatial_proximity", d.sp},
            {"absolute_clustering", d.acl},
            {"relative_clustering", d.rcl},
            {"distance_decay_isolation", d.dpxx},
            {"distance_decay_interaction", d.dpxy}};
}

double spatial_proximity(const GroupCounts& c, const std::vector<Vec2>& centroids, const std::vector<double>& areas,
                         const ProximityOptions& o) {
    return decay_indices(c, centroids, areas, o, {}).sp;
}
double absolute_clustering(const GroupCounts& c, const std::vector<Vec2>& centroids,
                           const std::vector<double>& areas, const ProximityOptions& o) {
    return decay_indices(c, centroids, areas, o, {}).acl;
}
double relative_clustering(const GroupCounts& c, const std::vector<Vec2>& centroids,
                           const std::vector<double>& areas, const ProximityOptions& o) {
    return decay_indices(c, centroids, areas, o, {}).rcl;
}
double distance_decay_isolation(const GroupCounts& c, const std::vector<Vec2>& centroids,
                                const std::vector<double>& areas, const ProximityOptions& o) {
    return decay_indices(c, centroids, areas, o, {}).dpxx;
}
double distance_decay_interaction(const GroupCounts& c, const std::vector<Vec2>& centroids,
                                  const std::vector<double>& areas, const ProximityOptions& o) {
    return decay_indices(c, centroids, areas, o, {}).dpxy;
}

// [SECTION] concentration -----------------------------------------------------

double delta(const GroupCounts& c, const std::vector<double>& areas) {
    validate(c);
    check_areas(c, areas);
    const auto s = detail::sums(c);
    double big_a = 0.0;
    for (double a : areas) big_a += a;
    if (!(big_a > 0.0)) throw InputError(c.where, "delta: the units' total area is 0");
    double acc = 0.0;
    for (std::size_t i = 0; i < c.units(); ++i) acc += std::abs(c.group[i] / s.x - areas[i] / big_a);
    return 0.5 * acc;
}

namespace {

struct ConcentrationParts {
    std::vector<std::size_t> asc;  // units by ascending area (stable)
    std::size_t n1 = 0;            // the n1 smallest units
    std::size_t n2 = 0;            // units asc[n2..n) are the largest ones
    double t1 = 0.0;
    double t2 = 0.0;
};

ConcentrationParts concentration_parts(const GroupCounts& c, const std::vector<double>& areas) {
    validate(c);
    check_areas(c, areas);
    const std::size_t n = c.units();
    const auto s = detail::sums(c);
    ConcentrationParts r;
    r.asc.assign(n, 0);
    std::iota(r.asc.begin(), r.asc.end(), std::size_t{0});
    std::stable_sort(r.asc.begin(), r.asc.end(), [&](std::size_t a, std::size_t b) { return areas[a] < areas[b]; });
    std::vector<std::size_t> des(n);
    std::iota(des.begin(), des.end(), std::size_t{0});
    std::stable_sort(des.begin(), des.end(), [&](std::size_t a, std::size_t b) { return areas[a] > areas[b]; });
    // PySAL: first index where cumsum(t)/T < X/T is false, plus one.
    auto first_reaching = [&](const std::vector<std::size_t>& order) {
        double cum = 0.0;
        for (std::size_t k = 0; k < n; ++k) {
            cum += c.total[order[k]];
            if (!(cum / s.t < s.x / s.t)) return k + 1;
        }
        return n;
    };
    r.n1 = first_reaching(r.asc);
    r.n2 = n - first_reaching(des);
    for (std::size_t k = 0; k < r.n1; ++k) r.t1 += c.total[r.asc[k]];
    for (std::size_t k = r.n2; k < n; ++k) r.t2 += c.total[r.asc[k]];
    return r;
}

}  // namespace

double absolute_concentration(const GroupCounts& c, const std::vector<double>& areas) {
    const auto q = concentration_parts(c, areas);
    const auto s = detail::sums(c);
    const std::size_t n = c.units();
    double xa = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = q.asc[k];
        xa += c.group[i] * areas[i] / s.x;
        if (k < q.n1) s1 += c.total[i] * areas[i] / q.t1;
        if (k >= q.n2) s2 += c.total[i] * areas[i] / q.t2;
    }
    return 1.0 - (xa - s1) / (s2 - s1);
}

double relative_concentration(const GroupCounts& c, const std::vector<double>& areas) {
    const auto q = concentration_parts(c, areas);
    const auto s = detail::sums(c);
    const double big_y = s.t - s.x;
    const std::size_t n = c.units();
    double xa = 0.0;
    double ya = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = q.asc[k];
        xa += c.group[i] * areas[i] / s.x;
        ya += (c.total[i] - c.group[i]) * areas[i] / big_y;
        if (k < q.n1) s1 += c.total[i] * areas[i];
        if (k >= q.n2) s2 += c.total[i] * areas[i];
    }
    return (xa / ya - 1.0) / ((s1 / q.t1) / (s2 / q.t2) - 1.0);
}

namespace {

// [SECTION] centralization ----------------------------------------------------

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Vec2 resolve_center(const GroupCounts& c, const std::vector<Vec2>& p, const Center& center) {
    const std::size_t n = p.size();
    switch (center.kind) {
        case Center::Kind::Mean: {
            Vec2 m;
            for (const auto& q : p) {
                m.x += q.x;
                m.y += q.y;
            }
            return {m.x / static_cast<double>(n), m.y / static_cast<double>(n)};
        }
        case Center::Kind::Median: {
            std::vector<double> xs(n), ys(n);
            for (std::size_t i = 0; i < n; ++i) {
                xs[i] = p[i].x;
                ys[i] = p[i].y;
            }
            return {median(xs), median(ys)};
        }
        case Center::Kind::PopulationWeightedMean: {
            Vec2 m;
            double w = 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                m.x += p[i].x * c.total[i];
                m.y += p[i].y * c.total[i];
                w += c.total[i];
            }
            return {m.x / w, m.y / w};
        }
        case Center::Kind::LargestPopulation: {
            const double tmax = *std::max_element(c.total.begin(), c.total.end());
            Vec2 m;
            double k = 0.0;
            for (std::size_t i = 0; i < n; ++i)
                if (c.total[i] == tmax) {
                    m.x += p[i].x;
                    m.y += p[i].y;
                    k += 1.0;
                }
            return {m.x / k, m.y / k};
        }
        case Center::Kind::Point:
            if (!std::isfinite(center.point.x) || !std::isfinite(center.point.y))
                throw InputError("the centre point is not finite");
            return center.point;
        case Center::Kind::Unit:
            if (center.unit >= n)
                throw InputError("the centre unit " + std::to_string(center.unit) + " is out of range (" +
                                 std::to_string(n) + " units)");
            return p[center.unit];
    }
    return {};
}

/// Σ_{k≥1} U_{k−1} V_k − Σ_{k≥1} U_k V_{k−1} over units sorted by distance to `at`.
double centralization_sum(const std::vector<Vec2>& p, Vec2 at, const std::vector<double>& u,
                          const std::vector<double>& v) {
    const std::size_t n = p.size();
    std::vector<double> d(n);
    for (std::size_t i = 0; i < n; ++i) d[i] = dist(p[i], at);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return d[a] < d[b]; });
    double su = 0.0;
    double sv = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        su += u[i];
        sv += v[i];
    }
    double cu = 0.0;
    double cv = 0.0;
    double acc1 = 0.0;
    double acc2 = 0.0;
    double prev_u = 0.0;
    double prev_v = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        cu += u[order[k]];
        cv += v[order[k]];
        const double uk = cu / su;
        const double vk = cv / sv;
        if (k > 0) {
            acc1 += prev_u * vk;
            acc2 += uk * prev_v;
        }
        prev_u = uk;
        prev_v = vk;
    }
    return acc1 - acc2;
}

}  // namespace

double absolute_centralization(const GroupCounts& c, const std::vector<Vec2>& centroids,
                               const std::vector<double>& areas, const Center& center) {
    validate(c);
    check_points(c, centroids);
    check_areas(c, areas);
    return centralization_sum(centroids, resolve_center(c, centroids, center), c.group, areas);
}

double relative_centralization(const GroupCounts& c, const std::vector<Vec2>& centroids, const Center& center) {
    validate(c);
    check_points(c, centroids);
    std::vector<double> y(c.units());
    for (std::size_t i = 0; i < c.units(); ++i) y[i] = c.total[i] - c.group[i];
    return centralization_sum(centroids, resolve_center(c, centroids, center), c.group, y);
}

std::vector<double> local_relative_centralization(const GroupCounts& c, const std::vector<Vec2>& centroids,
                                                  std::size_t k) {
    validate(c);
    check_points(c, centroids);
    const std::size_t n = c.units();
    if (k < 1 || k >= n)
        throw InputError("local_relative_centralization: k must be in [1, " + std::to_string(n - 1) + "]; got " +
                         std::to_string(k));
    std::vector<double> out(n, std::numeric_limits<double>::quiet_NaN());
    parallel_for(n, [&](std::size_t i) {
        std::vector<std::size_t> order;
        order.reserve(n - 1);
        for (std::size_t j = 0; j < n; ++j)
            if (j != i) order.push_back(j);
        auto d2 = [&](std::size_t j) {
            const double dx = centroids[j].x - centroids[i].x;
            const double dy = centroids[j].y - centroids[i].y;
            return dx * dx + dy * dy;
        };
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                          [&](std::size_t a, std::size_t b) {
                              const double da = d2(a);
                              const double db = d2(b);
                              return da < db || (da == db && a < b);
                          });
        std::vector<Vec2> p;
        std::vector<double> x;
        std::vector<double> y;
        for (std::size_t m = 0; m < k; ++m) {
            const std::size_t j = order[m];
            p.push_back(centroids[j]);
            x.push_back(c.group[j]);
            y.push_back(c.total[j] - c.group[j]);
        }
        p.push_back(centroids[i]);  // the unit itself, the centre (last, as in PySAL)
        x.push_back(c.group[i]);
        y.push_back(c.total[i] - c.group[i]);
        const double sx = std::accumulate(x.begin(), x.end(), 0.0);
        const double sy = std::accumulate(y.begin(), y.end(), 0.0);
        if (sx <= 0.0 || sy <= 0.0) return;  // undefined: NaN
        out[i] = centralization_sum(p, centroids[i], x, y);
    });
    return out;
}

namespace {

// [SECTION] neighbour contrasts -----------------------------------------------

void check_weights(const GroupCounts& c, const Weights& w) {
    if (w.n != c.units())
        throw InputError(c.where, "the weights have " + std::to_string(w.n) + " units for " +
                                      std::to_string(c.units()) + " units of counts");
}

/// Σ_i Σ_j c_ij |p_i − p_j| f(i, j) and Σ_ij c_ij, c optionally row-standardised.
template <class F>
std::pair<double, double> weighted_contrast(const GroupCounts& c, const Weights& w, bool standardize, F f) {
    const std::size_t n = c.units();
    std::vector<double> p(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) p[i] = c.total[i] > 0.0 ? c.group[i] / c.total[i] : 0.0;
    double num = 0.0;
    double den = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto nb = w.row(i);
        const auto val = w.row_values(i);
        double row_sum = 1.0;
        if (standardize) {
            row_sum = 0.0;
            for (double v : val) row_sum += v;
            if (row_sum == 0.0) continue;  // island
        }
        for (std::size_t m = 0; m < nb.size(); ++m) {
            const double cij = val[m] / row_sum;
            num += cij * std::abs(p[i] - p[nb[m]]) * f(i, static_cast<std::size_t>(nb[m]));
            den += cij;
        }
    }
    return {num, den};
}

}  // namespace

double spatial_dissim(const GroupCounts& c, const Weights& w, bool standardize) {
    const double d = dissim(c);
    check_weights(c, w);
    const auto [num, den] = weighted_contrast(c, w, standardize, [](std::size_t, std::size_t) { return 1.0; });
    if (!(den > 0.0)) throw InputError(c.where, "spatial_dissim: the weights have no links (every unit an island)");
    return d - num / den;
}

double boundary_spatial_dissim(const GroupCounts& c, const Weights& shared_lengths, bool standardize) {
    const double d = dissim(c);
    check_weights(c, shared_lengths);
    const auto [num, den] =
        weighted_contrast(c, shared_lengths, standardize, [](std::size_t, std::size_t) { return 1.0; });
    if (!(den > 0.0))
        throw InputError(c.where, "boundary_spatial_dissim: no two units share a boundary");
    return d - num / den;
}

double par_dissim(const GroupCounts& c, const Weights& shared_lengths, const std::vector<double>& perimeters,
                  const std::vector<double>& areas, bool standardize) {
    const double d = dissim(c);
    check_weights(c, shared_lengths);
    check_areas(c, areas);
    if (perimeters.size() != c.units())
        throw InputError(c.where, "got " + std::to_string(perimeters.size()) + " perimeters for " +
                                      std::to_string(c.units()) + " units");
    std::vector<double> pa(c.units());
    double max_pa = 0.0;
    for (std::size_t i = 0; i < c.units(); ++i) {
        if (!(areas[i] > 0.0) || !std::isfinite(perimeters[i])) {
            ErrorContext e = c.where;
            e.feature = i;
            throw InputError(e, "par_dissim needs a positive area and a finite perimeter for every unit");
        }
        pa[i] = perimeters[i] / areas[i];
        max_pa = std::max(max_pa, pa[i]);
    }
    double total = 0.0;
    for (double v : shared_lengths.values) total += v;
    if (!(total > 0.0)) throw InputError(c.where, "par_dissim: no two units share a boundary");
    // PySAL's standardize divides by the grand total (not by rows).
    const double scale = standardize ? total : 1.0;
    const auto [num, den] = weighted_contrast(c, shared_lengths, false,
                                              [&](std::size_t i, std::size_t j) { return pa[i] + pa[j]; });
    (void)den;
    return d - (num / scale) / (2.0 * max_pa);
}

double spatial_prox_prof(const GroupCounts& c, const Weights& w, const Progress& progress, unsigned threads) {
    validate(c);
    check_weights(c, w);
    const std::size_t n = c.units();
    const auto s = detail::sums(c);
    // Units with t_i = 0 have p_i = NaN in PySAL: never in G(θ).
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < n; ++i)
        if (c.total[i] > 0.0) order.push_back(i);
    std::vector<double> p(n, 0.0);
    for (std::size_t i : order) p[i] = c.group[i] / c.total[i];
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
    const std::size_t m_units = order.size();
    std::vector<std::size_t> rank(n, n);
    for (std::size_t r = 0; r < m_units; ++r) rank[order[r]] = r;
    constexpr double inf = std::numeric_limits<double>::infinity();
    // contrib[r] = Σ_{r' < r} δ(order[r'], order[r]) (infinite if any is unreachable)
    std::vector<double> contrib(m_units, 0.0);
    parallel_for(m_units, [&](std::size_t r) {
        if (r == 0) return;
        const std::size_t src = order[r];
        std::vector<std::uint32_t> hops(n, std::numeric_limits<std::uint32_t>::max());
        std::vector<std::size_t> queue{src};
        hops[src] = 0;
        std::size_t need = r;  // earlier-ranked units still to reach
        double acc = 0.0;
        for (std::size_t head = 0; head < queue.size() && need > 0; ++head) {
            const std::size_t u = queue[head];
            for (std::uint32_t v : w.row(u)) {
                if (hops[v] != std::numeric_limits<std::uint32_t>::max()) continue;
                hops[v] = hops[u] + 1;
                queue.push_back(v);
                if (rank[v] < r) {
                    acc += hops[v];
                    --need;
                }
            }
        }
        contrib[r] = need > 0 ? inf : acc;
    }, progress, threads);
    std::vector<double> prefix(m_units + 1, 0.0);  // prefix[k] = Σ_{i,j < k} δ_ij (ordered pairs)
    for (std::size_t r = 0; r < m_units; ++r) prefix[r + 1] = prefix[r] + 2.0 * contrib[r];
    std::vector<double> sorted_p(m_units);
    for (std::size_t r = 0; r < m_units; ++r) sorted_p[r] = p[order[r]];
    constexpr std::size_t m = 1000;
    const double step = 1.0 / static_cast<double>(m - 1);
    double below = 0.0;
    double above = 0.0;
    for (std::size_t j = 0; j < m; ++j) {
        const double th = (j == m - 1) ? 1.0 : static_cast<double>(j) * step;
        // k = number of units with p ≥ θ (a prefix of the descending order)
        const auto it = std::partition_point(sorted_p.begin(), sorted_p.end(), [&](double v) { return v >= th; });
        const auto k = static_cast<std::size_t>(it - sorted_p.begin());
        const double den = prefix[k];
        const double kd = static_cast<double>(k);
        double eta = (kd * kd - kd) / den;
        if (!std::isfinite(eta)) eta = 0.0;  // PySAL: inf and NaN → 0
        if (th < s.p)
            below += eta;
        else
            above += eta;
    }
    const double md = static_cast<double>(m);
    return (s.p - (below / md - above / md)) / (1.0 - s.p);
}

// [SECTION] boundaries and local environments ---------------------------------

Weights shared_boundary_weights(const std::vector<Geometry>& polygons, const Progress& progress, unsigned threads) {
    ContiguityOptions opt;
    opt.kind = ContiguityKind::Rook;
    opt.threads = threads;
    const Weights rook = contiguity_weights(polygons, opt, progress);
    const std::size_t n = rook.n;
    std::vector<std::vector<std::uint32_t>> nbrs(n);
    std::vector<std::vector<double>> len(n);
    parallel_for(n, [&](std::size_t i) {
        const auto row = rook.row(i);
        if (row.empty()) return;
        auto* ctx = geos::context();
        const auto gi = geos::at_feature(i, [&] { return geos::to_geos(polygons[i]); });
        for (std::uint32_t j : row) {
            const auto gj = geos::at_feature(j, [&] { return geos::to_geos(polygons[j]); });
            geos::GeomPtr inter(GEOSIntersection_r(ctx, gi.get(), gj.get()));
            double l = 0.0;
            if (!inter || !GEOSLength_r(ctx, inter.get(), &l))
                throw InputError(ErrorContext{.feature = i}, "GEOS failed to intersect the unit with feature " +
                                                                 std::to_string(j) + ": " + geos::last_error());
            nbrs[i].push_back(j);
            len[i].push_back(l);
        }
    }, progress, threads);
    return Weights::from_lists(std::move(nbrs), std::move(len), WeightsStyle::General);
}

std::vector<double> perimeters(const std::vector<Geometry>& polygons) {
    std::vector<double> out(polygons.size(), 0.0);
    for (std::size_t i = 0; i < polygons.size(); ++i) {
        double acc = 0.0;
        for (const auto& poly : polygons[i].polygons)
            for (const auto& ring : poly.rings)
                for (std::size_t k = 0; k + 1 < ring.size(); ++k) acc += dist(ring[k], ring[k + 1]);
        out[i] = acc;
    }
    return out;
}

Weights environment_kernel(const std::vector<Vec2>& centroids, double bandwidth, const Progress& progress,
                           unsigned threads) {
    if (!(bandwidth > 0.0) || !std::isfinite(bandwidth))
        throw InputError("the local-environment distance must be a positive number; got " +
                         detail::format_count(bandwidth));
    KernelOptions k;
    k.function = KernelFunction::Triangular;
    k.bandwidth = bandwidth;
    k.diagonal_one = true;
    return kernel_weights(centroids, k, progress, threads);
}

namespace {

/// Σ_j w_ij v_j with w_ii = 1, rounded half to even.
std::vector<double> lag_rounded(const Weights& w, const std::vector<double>& v, std::size_t stride,
                                std::size_t column) {
    const std::size_t n = w.n;
    std::vector<double> out(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto nb = w.row(i);
        const auto val = w.row_values(i);
        double acc = v[i * stride + column];  // the diagonal, forced to 1
        for (std::size_t m = 0; m < nb.size(); ++m)
            if (nb[m] != i) acc += val[m] * v[static_cast<std::size_t>(nb[m]) * stride + column];
        out[i] = std::nearbyint(acc);  // FE_TONEAREST: half to even, as numpy.round
    }
    return out;
}

}  // namespace

GroupCounts local_environment(const GroupCounts& c, const Weights& w) {
    validate(c);
    check_weights(c, w);
    GroupCounts out = c;
    std::vector<double> other(c.units());
    for (std::size_t i = 0; i < other.size(); ++i) other[i] = c.other.empty() ? c.total[i] - c.group[i] : c.other[i];
    out.group = lag_rounded(w, c.group, 1, 0);
    out.total = lag_rounded(w, c.total, 1, 0);
    out.other = lag_rounded(w, other, 1, 0);  // PySAL's group_2_pop_var, smoothed on its own
    return out;
}

CountMatrix local_environment(const CountMatrix& m, const Weights& w) {
    validate(m);
    if (w.n != m.units)
        throw InputError(m.where, "the weights have " + std::to_string(w.n) + " units for " +
                                      std::to_string(m.units) + " units of counts");
    CountMatrix out = m;
    for (std::size_t g = 0; g < m.groups; ++g) {
        const auto col = lag_rounded(w, m.data, m.groups, g);
        for (std::size_t i = 0; i < m.units; ++i) out.data[i * m.groups + g] = col[i];
    }
    return out;
}

// [SECTION] the suite ---------------------------------------------------------

SpatialInputs spatial_inputs(const std::vector<Geometry>& polygons, const Progress& progress, unsigned threads) {
    SpatialInputs in;
    in.centroids.resize(polygons.size());
    in.areas.resize(polygons.size());
    for (std::size_t i = 0; i < polygons.size(); ++i) {
        if (!polygons[i].is_polygonal() || polygons[i].empty()) {
            ErrorContext e;
            e.feature = i;
            throw InputError(e, "spatial segregation indices need a polygon for every unit");
        }
        in.centroids[i] = geos::at_feature(i, [&] { return centroid(polygons[i]); });
        in.areas[i] = planar_area(polygons[i]);
    }
    in.perimeters = perimeters(polygons);
    ContiguityOptions q;
    q.threads = threads;
    in.queen = contiguity_weights(polygons, q, progress);
    in.shared_lengths = shared_boundary_weights(polygons, progress, threads);
    return in;
}

const std::vector<std::string>& single_group_spatial_ids() {
    static const std::vector<std::string> ids = {
        "spatial_dissim",          "boundary_spatial_dissim", "par_dissim",
        "spatial_prox_prof",       "spatial_proximity",       "absolute_clustering",
        "relative_clustering",     "distance_decay_isolation", "distance_decay_interaction",
        "delta",                   "absolute_concentration",  "relative_concentration",
        "absolute_centralization", "relative_centralization",
    };
    return ids;
}

std::vector<IndexValue> single_group_spatial(const GroupCounts& c, const SpatialInputs& in,
                                             const Progress& progress, const SpatialSuiteOptions& options) {
    validate(c);
    std::vector<IndexValue> out;
    // One index (or family); a geometry problem becomes a note when the caller asks for notes.
    auto run = [&](const std::string& what, auto&& f) {
        progress.check();
        if (!options.notes) return f();
        try {
            f();
        } catch (const InputError& e) {
            options.notes->push_back(what + " left out: " + e.bare_message());
        }
    };
    const bool polygons = !in.areas.empty();
    const bool weights = in.queen.n > 0;
    const bool quadratic = c.units() <= options.max_quadratic_units;
    if (weights) run("spatial_dissim", [&] { out.push_back({"spatial_dissim", spatial_dissim(c, in.queen)}); });
    if (polygons)
        run("boundary_spatial_dissim and par_dissim", [&] {
            const double b = boundary_spatial_dissim(c, in.shared_lengths);
            const double pa = par_dissim(c, in.shared_lengths, in.perimeters, in.areas);
            out.push_back({"boundary_spatial_dissim", b});
            out.push_back({"par_dissim", pa});
        });
    if (weights && quadratic)
        run("spatial_prox_prof", [&] { out.push_back({"spatial_prox_prof", spatial_prox_prof(c, in.queen, progress)}); });
    if (polygons && quadratic)
        run("the distance-decay indices", [&] {
            for (auto& v : distance_decay_indices(c, in.centroids, in.areas, {}, progress)) out.push_back(std::move(v));
        });
    if (!quadratic && options.notes)
        options.notes->push_back("spatial_prox_prof and the distance-decay indices (O(n²)) are left out above " +
                                 std::to_string(options.max_quadratic_units) + " units");
    if (polygons) {
        run("delta", [&] { out.push_back({"delta", delta(c, in.areas)}); });
        run("absolute_concentration",
            [&] { out.push_back({"absolute_concentration", absolute_concentration(c, in.areas)}); });
        run("relative_concentration",
            [&] { out.push_back({"relative_concentration", relative_concentration(c, in.areas)}); });
        run("absolute_centralization",
            [&] { out.push_back({"absolute_centralization", absolute_centralization(c, in.centroids, in.areas)}); });
    }
    run("relative_centralization",
        [&] { out.push_back({"relative_centralization", relative_centralization(c, in.centroids)}); });
    return out;
}

// [SECTION] distortion --------------------------------------------------------

std::vector<double> local_distortion(const CountMatrix& m, const std::vector<Vec2>& centroids,
                                     const Progress& progress, unsigned threads) {
    validate(m);
    check_centroids(m, centroids);
    const std::size_t n = m.units;
    const std::size_t k = m.groups;
    std::vector<double> r(k, 0.0);
    double big_t = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < k; ++g) {
            r[g] += m.at(i, g);
            big_t += m.at(i, g);
        }
    for (auto& v : r) v /= big_t;

    std::vector<double> out(n, 0.0);
    parallel_for(
        n,
        [&](std::size_t i) {
            std::vector<double> d2(n);
            for (std::size_t j = 0; j < n; ++j) {
                const double dx = centroids[j].x - centroids[i].x;
                const double dy = centroids[j].y - centroids[i].y;
                d2[j] = dx * dx + dy * dy;
            }
            std::vector<std::size_t> order(n);
            std::iota(order.begin(), order.end(), std::size_t{0});
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return d2[a] < d2[b]; });
            std::vector<double> cum(k, 0.0);
            double cum_t = 0.0;
            double acc = 0.0;
            for (std::size_t j : order) {
                for (std::size_t g = 0; g < k; ++g) {
                    cum[g] += m.at(j, g);
                    cum_t += m.at(j, g);
                }
                if (cum_t <= 0.0) continue;  // no one yet: q undefined, step skipped
                double kl = 0.0;
                for (std::size_t g = 0; g < k; ++g) {
                    const double q = cum[g] / cum_t;
                    if (q > 0.0) kl += q * std::log(q / r[g]);
                }
                acc += kl;
            }
            out[i] = acc;
        },
        progress, threads);
    return out;
}

double global_distortion(const CountMatrix& m, const std::vector<Vec2>& centroids, const Progress& progress,
                         unsigned threads) {
    const auto local = local_distortion(m, centroids, progress, threads);
    double acc = 0.0;
    double big_t = 0.0;
    for (std::size_t i = 0; i < m.units; ++i) {
        double t = 0.0;
        for (std::size_t g = 0; g < m.groups; ++g) t += m.at(i, g);
        acc += local[i] * t;
        big_t += t;
    }
    return acc / big_t;
}

}  // namespace hq::seg
