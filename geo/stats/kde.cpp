// [SECTION] index
//   Kernel names
//   Accumulating points on the grid
//   Kernel values, kde()
//   Spreading counts onto points
//   Per-group densities, local shares, mixing

#include "geo/stats/kde.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/core/text.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/geometry/spatial_index.hpp"

namespace hq {

// [SECTION] Kernel names ------------------------------------------------------------------

const char* kernel_name(Kernel k) {
    switch (k) {
        case Kernel::Quartic: return "quartic";
        case Kernel::Triweight: return "triweight";
        case Kernel::Epanechnikov: return "epanechnikov";
        case Kernel::Uniform: return "uniform";
        case Kernel::Triangular: return "triangular";
        case Kernel::Gaussian: return "gaussian";
    }
    return "?";
}

std::optional<Kernel> kernel_from_name(const std::string& name) {
    for (Kernel k : {Kernel::Quartic, Kernel::Triweight, Kernel::Epanechnikov, Kernel::Uniform, Kernel::Triangular,
                     Kernel::Gaussian})
        if (name == kernel_name(k)) return k;
    return std::nullopt;
}

// [SECTION] Accumulating points on the grid -----------------------------------------------

namespace detail {

ErrorContext feature_context(std::size_t i) {
    ErrorContext c;
    c.feature = i;
    return c;
}

constexpr double kGaussianExponent = 0.5 * kGaussianSigmasPerRadius * kGaussianSigmasPerRadius;  // 4.5

/// Kernel shape as a function of q = (d/r)², for q ≤ 1.
template <Kernel K>
inline double shape(double q) {
    if constexpr (K == Kernel::Quartic) {
        const double a = 1.0 - q;
        return a * a;
    } else if constexpr (K == Kernel::Triweight) {
        const double a = 1.0 - q;
        return a * a * a;
    } else if constexpr (K == Kernel::Epanechnikov) {
        return 1.0 - q;
    } else if constexpr (K == Kernel::Uniform) {
        (void)q;
        return 1.0;
    } else if constexpr (K == Kernel::Triangular) {
        return 1.0 - std::sqrt(q);
    } else {
        return std::exp(-kGaussianExponent * q);
    }
}

/// The shape for a cell known to satisfy d² ≤ r² (exactly, as computed). 1 − (d/r)² is formed
/// as (r² − d²)/r², which is never negative, so the loop needs no clamp and vectorises.
template <Kernel K>
inline double shape_inside(double d2, double r2, double inv_r2) {
    if constexpr (K == Kernel::Quartic || K == Kernel::Triweight || K == Kernel::Epanechnikov) {
        const double a = (r2 - d2) * inv_r2;
        if constexpr (K == Kernel::Quartic) return a * a;
        if constexpr (K == Kernel::Triweight) return a * a * a;
        return a;
    } else if constexpr (K == Kernel::Triangular) {
        return std::max(0.0, 1.0 - std::sqrt(d2 * inv_r2));
    } else {
        return shape<K>(d2 * inv_r2);
    }
}

double shape_dynamic(Kernel k, double q) {
    switch (k) {
        case Kernel::Quartic: return shape<Kernel::Quartic>(q);
        case Kernel::Triweight: return shape<Kernel::Triweight>(q);
        case Kernel::Epanechnikov: return shape<Kernel::Epanechnikov>(q);
        case Kernel::Uniform: return shape<Kernel::Uniform>(q);
        case Kernel::Triangular: return shape<Kernel::Triangular>(q);
        case Kernel::Gaussian: return shape<Kernel::Gaussian>(q);
    }
    return 0.0;
}

void check_options(const KdeOptions& o) {
    if (!(o.radius > 0.0) || !std::isfinite(o.radius))
        throw InputError("radius must be a positive number of metres (got " + std::to_string(o.radius) + ")");
    if (!(o.pixel > 0.0) || !std::isfinite(o.pixel))
        throw InputError("pixel size must be a positive number of metres (got " + std::to_string(o.pixel) + ")");
}

void check_points(const std::vector<Vec2>& points, const std::vector<double>& weights) {
    if (!weights.empty() && weights.size() != points.size())
        throw InputError("heatmap: " + std::to_string(weights.size()) + " weights for " +
                         std::to_string(points.size()) + " points");
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y))
            throw InputError(feature_context(i), "point coordinates are not finite");
        if (!weights.empty() && !std::isfinite(weights[i]))
            throw InputError(feature_context(i), "weight is not a finite number");
    }
}

/// One point prepared for the grid: position relative to the grid origin and its scaled weight.
struct Prepared {
    double dx0;  ///< x − origin_x
    double dy0;  ///< origin_y − y
    double w;    ///< weight × kernel scale
    int r0, r1;  ///< rows reached (inclusive), clipped to the grid
};

/// The body of splat_rows, inlined into a plain build and an AVX2 build of it (below).
template <Kernel K>
[[gnu::always_inline]] inline void splat_rows_body(Grid& grid, const Prepared& p, int row_begin, int row_end, double r2,
                                                   double inv_r2) {
    const double pix = grid.pixel;
    const double dx0 = p.dx0;
    const double dy0 = p.dy0;
    const double wt = p.w;
    const double inv_pix = 1.0 / pix;
    const double fx = dx0 * inv_pix - 0.5;  // column coordinate of the point (cell centres at integers)
    const int w = grid.width;
    double* const values = grid.values.data();
    const int last = std::min(p.r1, row_end - 1);
    // Distance of the estimated edge from a cell centre (in cells) below which the exact
    // test decides; the estimate's rounding error is ~1e-12 cells.
    constexpr double kGuard = 1e-7;
    for (int row = std::max(p.r0, row_begin); row <= last; ++row) {
        // Same expressions as Grid::cell_center, so the distance test is exact per cell.
        const double dy = (row + 0.5) * pix - dy0;
        const double dy2 = dy * dy;
        const double rem = r2 - dy2;
        if (rem < 0.0) continue;
        const double half = std::sqrt(rem) * inv_pix;
        // Cells with d² ≤ r²: from the estimate, checked with the exact test near the edges.
        auto inside = [&](int c) {
            const double dx = (c + 0.5) * pix - dx0;
            return dx * dx + dy2 <= r2;
        };
        const double t0 = fx - half, t1 = fx + half;
        const double f0 = std::ceil(t0), f1 = std::floor(t1);
        if (f1 < -1.0 || f0 > w) continue;
        int c0 = static_cast<int>(f0);
        int c1 = static_cast<int>(f1);
        if (f0 - t0 < kGuard || t0 - (f0 - 1.0) < kGuard) {
            while (c0 <= c1 + 1 && !inside(c0)) ++c0;
            while (inside(c0 - 1)) --c0;
        }
        if (t1 - f1 < kGuard || (f1 + 1.0) - t1 < kGuard) {
            while (c1 >= c0 - 1 && !inside(c1)) --c1;
            while (inside(c1 + 1)) ++c1;
        }
        c0 = std::max(c0, 0);
        c1 = std::min(c1, w - 1);
        if (c0 > c1) continue;
        double* __restrict out = values + static_cast<std::size_t>(row) * static_cast<std::size_t>(w);
        for (int c = c0; c <= c1; ++c) {
            const double dx = (c + 0.5) * pix - dx0;
            const double d2 = dx * dx + dy2;
            out[c] += wt * shape_inside<K>(d2, r2, inv_r2);
        }
    }
}

/// One point's kernel added to rows [row_begin, row_end) of the grid.
template <Kernel K>
void splat_rows_plain(Grid& grid, const Prepared& p, int row_begin, int row_end, double r2, double inv_r2) {
    splat_rows_body<K>(grid, p, row_begin, row_end, r2, inv_r2);
}

/// The same for a CPU with AVX2: the cell loop runs 4 cells per instruction instead of 2.
/// The same operations in the same order per cell (AVX2 without FMA: nothing is fused), so
/// the same bits; a quarter of the whole `heatmap` of 1M points was this loop (perf).
template <Kernel K>
[[gnu::target("avx2")]] void splat_rows_avx2(Grid& grid, const Prepared& p, int row_begin, int row_end, double r2,
                                             double inv_r2) {
    splat_rows_body<K>(grid, p, row_begin, row_end, r2, inv_r2);
}

std::atomic<bool> g_allow_avx2{true};  // detail::kde_allow_avx2

bool use_avx2() {
    static const bool cpu = __builtin_cpu_supports("avx2") != 0;
    return cpu && g_allow_avx2.load();
}

template <Kernel K>
void accumulate_impl(Grid& grid, const std::vector<Vec2>& points, const std::vector<double>& weights,
                     const KdeOptions& o, const Progress& progress) {
    const double r = o.radius;
    const double r2 = r * r;
    const double inv_r2 = 1.0 / r2;
    const double pix = grid.pixel;
    const double rc = r / pix;  // radius in cells
    const double scale = kernel_scale(K, o.output, r);
    const int h = grid.height;
    const int w = grid.width;
    if (h <= 0 || w <= 0 || points.empty()) return;

    // Rows are cut into bands. Each point has a home band (the band of its first reached
    // row); points are counting-sorted by home band, keeping input order within a band.
    // Band b is one task: it adds, in that fixed order, every point whose reach overlaps it
    // (home bands b − span .. b). No two tasks write the same cell, memory is read in order,
    // and the sums do not depend on the thread count.
    const int band = std::max(8, std::min(64, static_cast<int>(std::ceil(rc))));
    const int nbands = (h + band - 1) / band;
    std::vector<Prepared> prep;
    prep.reserve(points.size());
    std::vector<std::uint32_t> home;
    home.reserve(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        Prepared p;
        p.dx0 = points[i].x - grid.origin_x;
        p.dy0 = grid.origin_y - points[i].y;
        p.w = (weights.empty() ? 1.0 : weights[i]) * scale;
        const double fy = p.dy0 / pix - 0.5;
        const double fx = p.dx0 / pix - 0.5;
        const double r0 = std::ceil(fy - rc) - 1.0;  // margin; exact test per cell
        const double r1 = std::floor(fy + rc) + 1.0;
        if (p.w == 0.0 || r1 < 0.0 || r0 > h - 1 || fx + rc + 1.0 < 0.0 || fx - rc - 1.0 > w - 1) continue;
        p.r0 = static_cast<int>(std::max(r0, 0.0));
        p.r1 = static_cast<int>(std::min(r1, static_cast<double>(h - 1)));
        prep.push_back(p);
        home.push_back(static_cast<std::uint32_t>(p.r0 / band));
    }
    int span = 0;  // how many bands below its home band a point can reach
    for (const auto& p : prep) span = std::max(span, p.r1 / band - p.r0 / band);

    std::vector<std::size_t> offsets(static_cast<std::size_t>(nbands) + 1, 0);
    for (auto b : home) ++offsets[b + 1];
    for (std::size_t b = 1; b < offsets.size(); ++b) offsets[b] += offsets[b - 1];
    std::vector<Prepared> sorted(prep.size());
    {
        std::vector<std::size_t> fill(offsets.begin(), offsets.end() - 1);
        for (std::size_t i = 0; i < prep.size(); ++i) sorted[fill[home[i]]++] = prep[i];
    }
    prep.clear();
    prep.shrink_to_fit();

    const auto splat_rows = use_avx2() ? &splat_rows_avx2<K> : &splat_rows_plain<K>;
    parallel_for(
        static_cast<std::size_t>(nbands),
        [&](std::size_t b) {
            const int row_begin = static_cast<int>(b) * band;
            const int row_end = std::min(h, row_begin + band);
            const std::size_t first_home = b >= static_cast<std::size_t>(span) ? b - static_cast<std::size_t>(span) : 0;
            for (std::size_t k = offsets[first_home]; k < offsets[b + 1]; ++k) {
                const Prepared& p = sorted[k];
                if (p.r1 < row_begin) continue;
                splat_rows(grid, p, row_begin, row_end, r2, inv_r2);
            }
        },
        progress, o.threads, 1);
}

bool kde_allow_avx2(bool allow) { return g_allow_avx2.exchange(allow); }

}  // namespace detail

// [SECTION] Kernel values, kde() ----------------------------------------------------------

double kernel_scale(Kernel k, KdeOutput output, double r) {
    if (output == KdeOutput::Raw) return 1.0;
    const double pr2 = std::numbers::pi * r * r;
    switch (k) {
        case Kernel::Quartic: return 3.0 / pr2;
        case Kernel::Triweight: return 4.0 / pr2;
        case Kernel::Epanechnikov: return 2.0 / pr2;
        case Kernel::Uniform: return 1.0 / pr2;
        case Kernel::Triangular: return 3.0 / pr2;
        case Kernel::Gaussian: {
            // ∫_0^r exp(−a ρ²/r²) 2πρ dρ = (π r² / a)(1 − e^−a), a = 4.5.
            const double a = detail::kGaussianExponent;
            return a / (pr2 * (1.0 - std::exp(-a)));
        }
    }
    return 1.0;
}

double kernel_value(Kernel k, KdeOutput output, double d, double r) {
    if (!(d <= r)) return 0.0;
    const double u = d / r;
    return kernel_scale(k, output, r) * detail::shape_dynamic(k, u * u);
}

void kde_accumulate(Grid& grid, const std::vector<Vec2>& points, const std::vector<double>& weights,
                    const KdeOptions& options, const Progress& progress) {
    detail::check_options(options);
    detail::check_points(points, weights);
    if (grid.values.size() != static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height))
        throw InputError("heatmap: grid values do not match its size");
    switch (options.kernel) {
        case Kernel::Quartic:
            detail::accumulate_impl<Kernel::Quartic>(grid, points, weights, options, progress);
            break;
        case Kernel::Triweight:
            detail::accumulate_impl<Kernel::Triweight>(grid, points, weights, options, progress);
            break;
        case Kernel::Epanechnikov:
            detail::accumulate_impl<Kernel::Epanechnikov>(grid, points, weights, options, progress);
            break;
        case Kernel::Uniform:
            detail::accumulate_impl<Kernel::Uniform>(grid, points, weights, options, progress);
            break;
        case Kernel::Triangular:
            detail::accumulate_impl<Kernel::Triangular>(grid, points, weights, options, progress);
            break;
        case Kernel::Gaussian:
            detail::accumulate_impl<Kernel::Gaussian>(grid, points, weights, options, progress);
            break;
    }
}

void kde_accumulate_naive(Grid& grid, const std::vector<Vec2>& points, const std::vector<double>& weights,
                          const KdeOptions& options) {
    for (int row = 0; row < grid.height; ++row) {
        for (int col = 0; col < grid.width; ++col) {
            const Vec2 c = grid.cell_center(col, row);
            double s = 0.0;
            for (std::size_t i = 0; i < points.size(); ++i) {
                const double d = std::hypot(c.x - points[i].x, c.y - points[i].y);
                s += (weights.empty() ? 1.0 : weights[i]) * kernel_value(options.kernel, options.output, d, options.radius);
            }
            grid.at(col, row) += s;
        }
    }
}

Grid kde(const std::vector<Vec2>& points, const std::vector<double>& weights, const KdeOptions& options,
         const Progress& progress) {
    detail::check_options(options);
    detail::check_points(points, weights);
    Box extent;
    if (options.extent) {
        extent = *options.extent;
    } else {
        if (points.empty()) throw InputError("heatmap: there are no points");
        for (const auto& p : points) extent.expand(p);
        extent = extent.inflated(options.radius);
    }
    Grid grid = make_grid(extent, options.pixel, options.crs_wkt);
    kde_accumulate(grid, points, weights, options, progress);
    return grid;
}

// [SECTION] Spreading counts onto points --------------------------------------------------

namespace {

using detail::feature_context;

void check_counts(const std::vector<double>& counts, std::size_t n, const char* what) {
    if (counts.size() != n)
        throw InputError(std::string("heatmap: ") + std::to_string(counts.size()) + " " + what + " for " +
                         std::to_string(n) + " features");
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(counts[i]) || counts[i] < 0.0)
            throw InputError(feature_context(i), std::string(what) + " must be finite and non-negative");
}

/// Sub-grid points of one polygonal unit (cell centres of the spacing lattice inside it).
std::vector<Vec2> area_samples(const Geometry& unit, double spacing) {
    std::vector<Vec2> out;
    const Box b = unit.bounds();
    if (b.empty()) return out;
    const double i0 = std::ceil(b.minx / spacing - 0.5), i1 = std::floor(b.maxx / spacing - 0.5);
    const double j0 = std::ceil(b.miny / spacing - 0.5), j1 = std::floor(b.maxy / spacing - 0.5);
    if (i1 < i0 || j1 < j0) return out;
    if ((i1 - i0 + 1) * (j1 - j0 + 1) > 5e7)
        throw InputError("heatmap: a unit would need more than 5e7 sample points at spacing " +
                         std::to_string(spacing) + " m: choose a larger pixel size");
    for (double j = j1; j >= j0; j -= 1.0) {  // top row first, like the grids
        const double y = (j + 0.5) * spacing;
        for (double i = i0; i <= i1; i += 1.0) {
            const Vec2 p{(i + 0.5) * spacing, y};
            if (point_in_polygon(unit, p)) out.push_back(p);
        }
    }
    return out;
}

}  // namespace

WeightedPoints feature_points(const std::vector<Geometry>& geometries, const std::vector<double>& weights) {
    if (!weights.empty()) check_counts(weights, geometries.size(), "weights");
    WeightedPoints out;
    for (std::size_t i = 0; i < geometries.size(); ++i) {
        const Geometry& g = geometries[i];
        if (g.empty()) continue;
        const double w = weights.empty() ? 1.0 : weights[i];
        if (g.type == GeomType::MultiPoint) {
            const double part = w / static_cast<double>(g.points.size());
            for (const auto& p : g.points) {
                out.points.push_back(p);
                out.weights.push_back(part);
                out.source.push_back(static_cast<std::uint32_t>(i));
            }
            continue;
        }
        out.points.push_back(representative_point(g));
        out.weights.push_back(w);
        out.source.push_back(static_cast<std::uint32_t>(i));
    }
    return out;
}

WeightedPoints spread_over_area(const std::vector<Geometry>& units, const std::vector<double>& counts,
                                double spacing, const Progress& progress) {
    check_counts(counts, units.size(), "counts");
    if (!(spacing > 0.0) || !std::isfinite(spacing))
        throw InputError("heatmap: the spreading spacing must be a positive number of metres");
    std::vector<std::vector<Vec2>> per_unit(units.size());
    parallel_for(
        units.size(),
        [&](std::size_t i) {
            if (counts[i] == 0.0 || units[i].empty()) return;
            if (!units[i].is_polygonal())
                throw InputError(feature_context(i), "spreading over the area needs polygons");
            per_unit[i] = area_samples(units[i], spacing);
            if (per_unit[i].empty()) per_unit[i].push_back(representative_point(units[i]));
        },
        progress);
    WeightedPoints out;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const auto& pts = per_unit[i];
        if (pts.empty()) continue;
        const double w = counts[i] / static_cast<double>(pts.size());
        for (const auto& p : pts) {
            out.points.push_back(p);
            out.weights.push_back(w);
            out.source.push_back(static_cast<std::uint32_t>(i));
        }
    }
    return out;
}

WeightedPoints spread_over_buildings(const std::vector<Geometry>& units, const std::vector<double>& counts,
                                     const std::vector<Geometry>& buildings,
                                     const std::vector<double>& building_weights, double fallback_spacing,
                                     std::vector<std::uint32_t>* fallback_units, const Progress& progress) {
    check_counts(counts, units.size(), "counts");
    if (!building_weights.empty()) check_counts(building_weights, buildings.size(), "building weights");

    std::vector<Box> boxes(units.size());
    for (std::size_t i = 0; i < units.size(); ++i) boxes[i] = units[i].bounds();
    const SpatialIndex index(boxes);

    // Building → unit (the first unit, in index order, containing its point on surface).
    std::vector<Vec2> bpos(buildings.size());
    std::vector<std::int64_t> owner(buildings.size(), -1);
    parallel_for(
        buildings.size(),
        [&](std::size_t b) {
            if (buildings[b].empty()) return;
            bpos[b] = representative_point(buildings[b]);
            auto cands = index.query(Box{bpos[b].x, bpos[b].y, bpos[b].x, bpos[b].y});
            std::sort(cands.begin(), cands.end());
            for (auto u : cands) {
                if (point_in_polygon(units[u], bpos[b])) {
                    owner[b] = u;
                    break;
                }
            }
        },
        progress);

    std::vector<double> unit_weight(units.size(), 0.0);
    std::vector<std::vector<std::uint32_t>> members(units.size());
    for (std::size_t b = 0; b < buildings.size(); ++b) {
        if (owner[b] < 0) continue;
        const double bw = building_weights.empty() ? 1.0 : building_weights[b];
        if (bw <= 0.0) continue;
        unit_weight[static_cast<std::size_t>(owner[b])] += bw;
        members[static_cast<std::size_t>(owner[b])].push_back(static_cast<std::uint32_t>(b));
    }

    std::vector<Geometry> orphan_units;
    std::vector<double> orphan_counts;
    std::vector<std::uint32_t> orphan_index;
    WeightedPoints out;
    for (std::size_t u = 0; u < units.size(); ++u) {
        if (counts[u] == 0.0) continue;
        if (unit_weight[u] <= 0.0) {
            orphan_units.push_back(units[u]);
            orphan_counts.push_back(counts[u]);
            orphan_index.push_back(static_cast<std::uint32_t>(u));
            continue;
        }
        for (auto b : members[u]) {
            const double bw = building_weights.empty() ? 1.0 : building_weights[b];
            out.points.push_back(bpos[b]);
            out.weights.push_back(counts[u] * bw / unit_weight[u]);
            out.source.push_back(static_cast<std::uint32_t>(u));
        }
    }
    if (fallback_units) *fallback_units = orphan_index;
    if (!orphan_units.empty()) {
        WeightedPoints extra = spread_over_area(orphan_units, orphan_counts, fallback_spacing);
        for (std::size_t k = 0; k < extra.points.size(); ++k) {
            out.points.push_back(extra.points[k]);
            out.weights.push_back(extra.weights[k]);
            out.source.push_back(orphan_index[extra.source[k]]);
        }
    }
    return out;
}

// [SECTION] Per-group densities, local shares, mixing -------------------------------------

std::vector<Grid> kde_groups(const std::vector<std::vector<Vec2>>& points,
                             const std::vector<std::vector<double>>& weights, const KdeOptions& options,
                             const Progress& progress) {
    detail::check_options(options);
    if (weights.size() != points.size())
        throw InputError("heatmap: " + std::to_string(weights.size()) + " weight lists for " +
                         std::to_string(points.size()) + " groups");
    if (points.empty()) throw InputError("heatmap: no groups");
    Box extent;
    if (options.extent) {
        extent = *options.extent;
    } else {
        for (const auto& g : points)
            for (const auto& p : g) extent.expand(p);
        if (extent.empty()) throw InputError("heatmap: there are no points");
        extent = extent.inflated(options.radius);
    }
    const Grid empty = make_grid(extent, options.pixel, options.crs_wkt);
    std::vector<Grid> out;
    out.reserve(points.size());
    const double n = static_cast<double>(points.size());
    for (std::size_t g = 0; g < points.size(); ++g) {
        Grid grid = empty;
        // The parent's cancel flag is honoured through the callback (parallel_for reports
        // between chunks on the calling thread, and rethrows).
        const Progress sub(
            [&progress, g, n](double f, std::string_view stage) {
                progress.check();
                progress.report((static_cast<double>(g) + f) / n, stage);
            },
            nullptr);
        progress.check();
        kde_accumulate(grid, points[g], weights[g], options, sub);
        out.push_back(std::move(grid));
    }
    progress.report(1.0);
    return out;
}

namespace {
void check_same_geometry(const Grid& a, const Grid& b) {
    if (a.width != b.width || a.height != b.height || a.origin_x != b.origin_x || a.origin_y != b.origin_y ||
        a.pixel != b.pixel || a.values.size() != b.values.size())
        throw InputError("heatmap: grids of different geometry cannot be combined");
}

double zero_threshold(const Grid& total) {
    double m = 0.0;
    for (double v : total.values)
        if (std::isfinite(v)) m = std::max(m, std::abs(v));
    return m * kRelativeZero;
}
}  // namespace

Grid sum_grids(const std::vector<Grid>& grids) {
    if (grids.empty()) throw InputError("heatmap: no grids to add");
    Grid out = grids.front();
    for (std::size_t g = 1; g < grids.size(); ++g) {
        check_same_geometry(out, grids[g]);
        for (std::size_t i = 0; i < out.values.size(); ++i) out.values[i] += grids[g].values[i];
    }
    return out;
}

Grid local_share(const Grid& group, const Grid& total) {
    check_same_geometry(group, total);
    const double eps = zero_threshold(total);
    Grid out = total.like(0.0);
    for (std::size_t i = 0; i < out.values.size(); ++i) {
        const double t = total.values[i];
        out.values[i] = (t > eps && t > 0.0) ? group.values[i] / t : std::numeric_limits<double>::quiet_NaN();
    }
    return out;
}

const char* mixing_index_name(MixingIndex m) {
    switch (m) {
        case MixingIndex::Entropy: return "entropy";
        case MixingIndex::EntropyNormalised: return "entropy-normalised";
        case MixingIndex::Simpson: return "simpson";
    }
    return "?";
}

std::optional<MixingIndex> mixing_index_from_name(const std::string& name) {
    for (MixingIndex m : {MixingIndex::Entropy, MixingIndex::EntropyNormalised, MixingIndex::Simpson})
        if (name == mixing_index_name(m)) return m;
    return std::nullopt;
}

Grid mixing_surface(const std::vector<Grid>& groups, MixingIndex index) {
    if (groups.size() < 2) throw InputError("heatmap: a mixing surface needs at least 2 groups");
    for (const auto& g : groups) {
        check_same_geometry(groups.front(), g);
        for (double v : g.values)
            if (v < 0.0) throw InputError("heatmap: a group density is negative (negative weights?)");
    }
    const Grid total = sum_grids(groups);
    const double eps = zero_threshold(total);
    const double log_k = std::log(static_cast<double>(groups.size()));
    Grid out = total.like(0.0);
    for (std::size_t i = 0; i < out.values.size(); ++i) {
        const double t = total.values[i];
        if (!(t > eps && t > 0.0)) {
            out.values[i] = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        double acc = 0.0;
        for (const auto& g : groups) {
            const double s = g.values[i] / t;
            if (index == MixingIndex::Simpson)
                acc += s * s;
            else if (s > 0.0)
                acc -= s * std::log(s);
        }
        switch (index) {
            case MixingIndex::Entropy: out.values[i] = acc; break;
            case MixingIndex::EntropyNormalised: out.values[i] = acc / log_k; break;
            case MixingIndex::Simpson: out.values[i] = 1.0 - acc; break;
        }
    }
    return out;
}

}  // namespace hq
