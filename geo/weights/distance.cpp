#include "geo/weights/distance.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numbers>

#include "geo/core/error.hpp"
#include "geo/core/limits.hpp"
#include "geo/core/parallel.hpp"
#include "geo/geometry/spatial_index.hpp"

namespace hq {

namespace detail {

void check_points(const std::vector<Vec2>& points, const char* what) {
    for (std::size_t i = 0; i < points.size(); ++i)
        if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y))
            throw InputError(ErrorContext{.feature = i}, std::string(what) + ": the point of this unit is not finite");
    if (points.size() >= 0xFFFFFFF0u) throw InputError(std::string(what) + ": too many points");
}

SpatialIndex point_index(const std::vector<Vec2>& points) {
    std::vector<Box> boxes(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) boxes[i] = {points[i].x, points[i].y, points[i].x, points[i].y};
    return SpatialIndex(boxes);
}

double dist(Vec2 a, Vec2 b) {
    const double dx = a.x - b.x, dy = a.y - b.y;
    return std::sqrt(dx * dx + dy * dy);
}

/// Neighbours of point i within distance r (inclusive), i itself included when
/// `include_self`; sorted by id.
void within(const SpatialIndex& index, const std::vector<Vec2>& points, std::size_t i, double r, bool include_self,
            std::vector<std::uint32_t>& out) {
    out.clear();
    const Vec2 p = points[i];
    index.query(Box{p.x - r, p.y - r, p.x + r, p.y + r}, out);
    out.erase(std::remove_if(out.begin(), out.end(),
                             [&](std::uint32_t j) {
                                 if (j == i) return !include_self;
                                 return !(dist(p, points[j]) <= r);
                             }),
              out.end());
    std::sort(out.begin(), out.end());
}

constexpr double kLibpysalEps = 1.0000001;

/// Counts the links of a distance-based matrix as its rows are made, and refuses the
/// matrix once they pass limits().weights_links (docs/limits.md): a radius that reaches
/// every unit (distance:1e308) makes n² links, minutes and gigabytes at city scale. Each
/// row costs at most one query before the refusal, so it comes quickly.
class LinkBudget {
public:
    explicit LinkBudget(const char* what) : m_what(what), m_limit(limits().weights_links) {}
    void add(std::size_t links) {
        if (m_total.fetch_add(links) + links > m_limit)
            throw InputError(std::string(m_what) + ": more than " + std::to_string(m_limit) +
                             " links, the limit of one weights matrix (docs/limits.md): the distance reaches too "
                             "many units; use a smaller distance or knn:K");
    }

private:
    const char* m_what;
    std::size_t m_limit;
    std::atomic<std::size_t> m_total{0};
};

}  // namespace detail

Weights knn_weights(const std::vector<Vec2>& points, std::size_t k, const Progress& progress, unsigned threads) {
    detail::check_points(points, "k-nearest-neighbour weights");
    const std::size_t n = points.size();
    if (k < 1) throw InputError("k-nearest-neighbour weights: k must be at least 1");
    if (k >= n)
        throw InputError("k-nearest-neighbour weights: k = " + std::to_string(k) +
                         " must be smaller than the number of units (" + std::to_string(n) + ")");
    const SpatialIndex index = detail::point_index(points);
    std::vector<std::vector<std::uint32_t>> nb(n);
    parallel_for(
        n, [&](std::size_t i) { nb[i] = index.nearest(points[i], k, static_cast<std::int64_t>(i)); }, progress,
        threads);
    return Weights::from_lists(std::move(nb));
}

Weights distance_band_weights(const std::vector<Vec2>& points, const DistanceBandOptions& options,
                              const Progress& progress, unsigned threads) {
    detail::check_points(points, "distance-band weights");
    if (!(options.threshold >= 0.0) || !std::isfinite(options.threshold))
        throw InputError("distance-band weights: the threshold must be a finite distance >= 0");
    if (!options.binary && (!(options.power > 0.0) || !std::isfinite(options.power)))
        throw InputError("distance-band weights: the inverse-distance power must be > 0");
    const std::size_t n = points.size();
    const SpatialIndex index = detail::point_index(points);
    std::vector<std::vector<std::uint32_t>> nb(n);
    std::vector<std::vector<double>> w(options.binary ? 0 : n);
    detail::LinkBudget budget("distance-band weights");
    parallel_for(
        n,
        [&](std::size_t i) {
            detail::within(index, points, i, options.threshold, false, nb[i]);
            budget.add(nb[i].size());
            if (options.binary) return;
            w[i].resize(nb[i].size());
            for (std::size_t k = 0; k < nb[i].size(); ++k) {
                const double d = detail::dist(points[i], points[nb[i][k]]);
                if (d == 0.0)
                    throw InputError(ErrorContext{.feature = i},
                                     "inverse-distance weights: this unit's point coincides with unit " +
                                         std::to_string(nb[i][k]) + " (distance 0, infinite weight)");
                w[i][k] = std::pow(d, -options.power);
            }
        },
        progress, threads);
    return Weights::from_lists(std::move(nb), std::move(w),
                               options.binary ? WeightsStyle::Binary : WeightsStyle::General);
}

const char* kernel_function_name(KernelFunction f) {
    switch (f) {
        case KernelFunction::Uniform: return "uniform";
        case KernelFunction::Triangular: return "triangular";
        case KernelFunction::Epanechnikov: return "epanechnikov";
        case KernelFunction::Quartic: return "quartic";
        case KernelFunction::Gaussian: return "gaussian";
    }
    return "triangular";
}

KernelFunction kernel_function_from_name(const std::string& name) {
    std::string s = name;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (s == "uniform") return KernelFunction::Uniform;
    if (s == "triangular") return KernelFunction::Triangular;
    if (s == "epanechnikov" || s == "quadratic") return KernelFunction::Epanechnikov;
    if (s == "quartic" || s == "bisquare") return KernelFunction::Quartic;
    if (s == "gaussian") return KernelFunction::Gaussian;
    throw InputError("unknown kernel '" + name +
                     "' (expected uniform, triangular, epanechnikov, quartic or gaussian)");
}

double kernel_value(KernelFunction f, double z) {
    switch (f) {
        case KernelFunction::Uniform: return 0.5;
        case KernelFunction::Triangular: return 1.0 - z;
        case KernelFunction::Epanechnikov: return (3.0 / 4) * (1.0 - z * z);
        case KernelFunction::Quartic: return (15.0 / 16) * (1.0 - z * z) * (1.0 - z * z);
        case KernelFunction::Gaussian: return std::pow(std::numbers::pi * 2, -0.5) * std::exp(-(z * z) / 2.0);
    }
    return 0.0;
}

Weights kernel_weights(const std::vector<Vec2>& points, const KernelOptions& options, const Progress& progress,
                       unsigned threads) {
    detail::check_points(points, "kernel weights");
    const std::size_t n = points.size();
    if (n == 0) return Weights::from_lists({});
    const bool from_k = options.adaptive || options.bandwidth == 0.0;
    if (!from_k && (!(options.bandwidth > 0.0) || !std::isfinite(options.bandwidth)))
        throw InputError("kernel weights: the bandwidth must be a positive distance");
    if (from_k && (options.k < 1 || options.k >= n))
        throw InputError("kernel weights: k = " + std::to_string(options.k) +
                         " must be at least 1 and smaller than the number of units (" + std::to_string(n) + ")");
    const SpatialIndex index = detail::point_index(points);

    std::vector<std::vector<std::uint32_t>> nb(n);
    std::vector<double> h(n, options.bandwidth);
    if (from_k) {
        std::vector<double> dk(n);
        parallel_for(
            n,
            [&](std::size_t i) {
                nb[i] = index.nearest(points[i], options.k, static_cast<std::int64_t>(i));
                dk[i] = detail::dist(points[i], points[nb[i].back()]);
            },
            Progress{}, threads);
        if (options.adaptive) {
            for (std::size_t i = 0; i < n; ++i) {
                h[i] = dk[i] * detail::kLibpysalEps;
                nb[i].push_back(static_cast<std::uint32_t>(i));
                std::sort(nb[i].begin(), nb[i].end());
            }
        } else {
            const double hmax = *std::max_element(dk.begin(), dk.end()) * detail::kLibpysalEps;
            std::fill(h.begin(), h.end(), hmax);
        }
    }
    for (std::size_t i = 0; i < n; ++i)
        if (!(h[i] > 0.0))
            throw InputError(ErrorContext{.feature = i},
                             "kernel weights: the bandwidth of this unit is 0 (its k nearest points coincide with it)");

    std::vector<std::vector<double>> w(n);
    detail::LinkBudget budget("kernel weights");
    parallel_for(
        n,
        [&](std::size_t i) {
            if (!options.adaptive) detail::within(index, points, i, h[i], true, nb[i]);
            budget.add(nb[i].size());
            w[i].resize(nb[i].size());
            for (std::size_t k = 0; k < nb[i].size(); ++k) {
                const std::uint32_t j = nb[i][k];
                if (j == i && options.diagonal_one) {
                    w[i][k] = 1.0;
                    continue;
                }
                w[i][k] = kernel_value(options.function, detail::dist(points[i], points[j]) / h[i]);
            }
        },
        progress, threads);
    return Weights::from_lists(std::move(nb), std::move(w), WeightsStyle::General);
}

}  // namespace hq
