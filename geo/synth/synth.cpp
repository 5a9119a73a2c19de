#include "geo/synth/synth.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/crs/crs.hpp"
#include "geo/geometry/geos.hpp"

namespace hq {

namespace {

// Stream numbers of the random generators (hq::Rng(seed, stream)).
constexpr std::uint64_t kStreamSites = 0;
constexpr std::uint64_t kStreamCentres = 1;
constexpr std::uint64_t kStreamUnits = std::uint64_t{1} << 32;  // + unit index

double normal(Rng& rng) {
    // Box–Muller; 1 − u avoids log(0).
    const double u1 = 1.0 - rng.uniform();
    const double u2 = rng.uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

struct Centre {
    Vec2 p;
    double sigma;
    double amplitude;
};

Vec2 ring_centroid(const Ring& r) {
    // Area-weighted centroid, shifted to the first vertex for precision.
    const Vec2 o = r.front();
    double a = 0.0, cx = 0.0, cy = 0.0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        const double x0 = r[i].x - o.x, y0 = r[i].y - o.y;
        const double x1 = r[i + 1].x - o.x, y1 = r[i + 1].y - o.y;
        const double c = x0 * y1 - x1 * y0;
        a += c;
        cx += (x0 + x1) * c;
        cy += (y0 + y1) * c;
    }
    if (a == 0.0) return o;
    return {o.x + cx / (3.0 * a), o.y + cy / (3.0 * a)};
}

}  // namespace

std::string synth_group_column(int g) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "pop_g%02d", g + 1);
    return buf;
}

std::vector<Geometry> voronoi_cells(const std::vector<Vec2>& sites, const Box& extent) {
    GEOSContextHandle_t h = geos::context();
    Geometry mp;
    mp.type = GeomType::MultiPoint;
    mp.points = sites;
    geos::GeomPtr points = geos::to_geos(mp);
    Geometry env_poly = Geometry::polygon(
        {{extent.minx, extent.miny}, {extent.maxx, extent.miny}, {extent.maxx, extent.maxy}, {extent.minx, extent.maxy}});
    geos::GeomPtr env = geos::to_geos(env_poly);
    geos::GeomPtr diagram(GEOSVoronoiDiagram_r(h, points.get(), env.get(), 0.0, 0));
    if (!diagram) throw geos::Error("GEOS Voronoi diagram failed: " + geos::last_error());
    const int n = GEOSGetNumGeometries_r(h, diagram.get());
    std::vector<Geometry> cells;
    cells.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* cell = GEOSGetGeometryN_r(h, diagram.get(), i);
        geos::GeomPtr clipped(GEOSClipByRect_r(h, cell, extent.minx, extent.miny, extent.maxx, extent.maxy));
        if (!clipped) throw geos::Error("GEOS clip failed: " + geos::last_error());
        Geometry g = geos::from_geos(clipped.get());
        if (g.polygons.empty()) continue;
        cells.push_back(std::move(g));
    }
    return cells;
}

Layer synth_city(const SynthOptions& o, const Progress& progress) {
    if (o.units < 1 || o.units > 10'000'000) throw InputError("synth: --units must be between 1 and 10000000");
    if (o.groups < 1 || o.groups > 99) throw InputError("synth: --groups must be between 1 and 99");
    if (!(o.mean_unit_area > 0.0)) throw InputError("synth: the mean unit area must be positive");
    const std::size_t n = o.units;
    const auto ng = static_cast<std::size_t>(o.groups);
    const double side = std::sqrt(static_cast<double>(n) * o.mean_unit_area);
    const Box extent{o.origin.x, o.origin.y, o.origin.x + side, o.origin.y + side};
    progress.report(0.0, "sites");

    // 1. Sites: uniform background plus a few dense clusters (rejection sampling on an
    //    intensity 0.35 + Σ exp(−d²/2σ²)), so units are small downtown and large outside.
    Rng site_rng(o.seed, kStreamSites);
    const int nclusters = 3 + static_cast<int>(site_rng.below(4));
    std::vector<Centre> clusters;
    for (int c = 0; c < nclusters; ++c)
        clusters.push_back({{extent.minx + side * (0.15 + 0.7 * site_rng.uniform()),
                             extent.miny + side * (0.15 + 0.7 * site_rng.uniform())},
                            side * (0.04 + 0.08 * site_rng.uniform()), 1.0});
    auto intensity = [&](Vec2 p) {
        double v = 0.35;
        for (const auto& c : clusters) {
            const double dx = p.x - c.p.x, dy = p.y - c.p.y;
            v += std::exp(-(dx * dx + dy * dy) / (2.0 * c.sigma * c.sigma));
        }
        return v;
    };
    const double max_intensity = 0.35 + static_cast<double>(nclusters);
    std::vector<Vec2> sites;
    sites.reserve(n);
    while (sites.size() < n) {
        const Vec2 p{extent.minx + side * site_rng.uniform(), extent.miny + side * site_rng.uniform()};
        if (site_rng.uniform() * max_intensity < intensity(p)) sites.push_back(p);
    }
    progress.check();

    // 2. Cells. GEOS merges coincident sites; with random doubles there are none.
    progress.report(0.05, "voronoi");
    std::vector<Geometry> cells;
    try {
        cells = voronoi_cells(sites, extent);
    } catch (const std::exception& e) {
        throw InputError(std::string("synth: ") + e.what());
    }
    if (cells.size() != n)
        throw InputError("synth: the Voronoi diagram has " + std::to_string(cells.size()) + " cells for " +
                         std::to_string(n) + " sites");
    progress.check();
    progress.report(0.5, "counts");

    // Deterministic spatial order: rows of cells (by centroid), west to east in each row.
    std::vector<Vec2> centroids(n);
    for (std::size_t i = 0; i < n; ++i) centroids[i] = ring_centroid(cells[i].polygons.front().rings.front());
    const double row_h = std::sqrt(o.mean_unit_area);
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    auto row_of = [&](std::size_t i) { return std::floor((extent.maxy - centroids[i].y) / row_h); };
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double ra = row_of(a), rb = row_of(b);
        if (ra != rb) return ra < rb;
        if (centroids[a].x != centroids[b].x) return centroids[a].x < centroids[b].x;
        return centroids[a].y > centroids[b].y;
    });

    // 3. Group centres: group 1 is the majority everywhere (base 1); every other group has a
    //    small base and 1–3 centres whose influence decays with distance.
    Rng centre_rng(o.seed, kStreamCentres);
    std::vector<double> base(ng);
    std::vector<std::vector<Centre>> centres(ng);
    for (std::size_t g = 0; g < ng; ++g) {
        base[g] = g == 0 ? 1.0 : 0.03 + 0.1 * centre_rng.uniform();
        const int k = g == 0 ? 0 : 1 + static_cast<int>(centre_rng.below(3));
        for (int c = 0; c < k; ++c)
            centres[g].push_back({{extent.minx + side * centre_rng.uniform(), extent.miny + side * centre_rng.uniform()},
                                  side * (0.03 + 0.12 * centre_rng.uniform()), 1.0 + 5.0 * centre_rng.uniform()});
    }
    const Vec2 city_centre = extent.center();

    // 4. Counts per unit: total from area × density (denser downtown), then a multinomial
    //    split by the local shares with log-normal noise.
    std::vector<std::vector<std::int64_t>> counts(n, std::vector<std::int64_t>(ng, 0));
    std::vector<double> areas(n);
    parallel_for(
        n,
        [&](std::size_t k) {
            const std::size_t i = order[k];
            Rng rng(o.seed, kStreamUnits + k);
            const Vec2 c = centroids[i];
            const double area = planar_area(cells[i]);
            areas[i] = area;
            if (rng.uniform() < o.zero_fraction) return;
            const double dx = c.x - city_centre.x, dy = c.y - city_centre.y;
            const double density =
                0.015 * (0.6 + 1.4 * std::exp(-(dx * dx + dy * dy) / (2.0 * 0.09 * side * side)));
            const double expected = area * density * std::exp(0.25 * normal(rng));
            const auto total = static_cast<std::int64_t>(std::llround(std::min(expected, 1e6)));
            std::vector<double> cum(ng);
            double s = 0.0;
            for (std::size_t g = 0; g < ng; ++g) {
                double a = base[g];
                for (const auto& ce : centres[g]) {
                    const double ex = c.x - ce.p.x, ey = c.y - ce.p.y;
                    a += ce.amplitude * std::exp(-(ex * ex + ey * ey) / (2.0 * ce.sigma * ce.sigma));
                }
                s += a * std::exp(0.3 * normal(rng));
                cum[g] = s;
            }
            auto& out = counts[k];
            for (std::int64_t p = 0; p < total; ++p) {
                const double u = rng.uniform() * s;
                std::size_t g = 0;
                while (g + 1 < ng && u >= cum[g]) ++g;
                ++out[g];
            }
        },
        progress);

    // 5. The layer.
    Layer layer;
    layer.table.name = "units";
    layer.table.fields.push_back({"id", FieldType::Integer});
    for (std::size_t g = 0; g < ng; ++g) layer.table.fields.push_back({synth_group_column(static_cast<int>(g)), FieldType::Integer});
    layer.table.fields.push_back({"total", FieldType::Integer});
    layer.table.rows.reserve(n);
    layer.ids.reserve(n);
    layer.metric.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
        std::vector<Value> row;
        row.reserve(ng + 2);
        row.emplace_back(static_cast<std::int64_t>(k + 1));
        std::int64_t total = 0;
        for (std::size_t g = 0; g < ng; ++g) {
            row.emplace_back(counts[k][g]);
            total += counts[k][g];
        }
        row.emplace_back(total);
        layer.table.rows.push_back(std::move(row));
        layer.ids.push_back(std::to_string(k + 1));
        Geometry cell = std::move(cells[order[k]]);
        cell.type = cell.polygons.size() == 1 ? GeomType::Polygon : GeomType::MultiPolygon;
        layer.metric.push_back(std::move(cell));
    }
    layer.source_crs = Crs::from_user_input("EPSG:" + std::to_string(o.epsg));
    layer.geom_type = GeomType::Polygon;
    layer.planar = false;
    progress.report(0.9, "reprojecting");
    const Transformer to_wgs84(layer.source_crs, Crs::wgs84());
    layer.display = layer.metric;
    for (auto& g : layer.display) to_wgs84.apply(g);
    progress.report(1.0);
    return layer;
}

}  // namespace hq
