// [SECTION] index
//   Colours, shapes, role names
//   Tessellation cache
//   Line segments
//   The map mesh
//   File layer batches

#include "app/view/mesh.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>

#include "app/view/lod.hpp"
#include "app/view/tessellate.hpp"
#include "geo/core/parallel.hpp"

// [SECTION] Colours, shapes, role names ---------------------------------------------------

namespace hq::view {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::uint8_t to_byte(float v) {
    return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
}

MapVertex vertex(Vec2 p, Vec2 origin, float ox, float oy, std::uint32_t rgba, float lod = 0,
                 float hatch = 0) {
    return {static_cast<float>(p.x - origin.x), static_cast<float>(p.y - origin.y), ox, oy, rgba, lod, hatch};
}

void add_fan(std::vector<MapVertex>& out, Vec2 center, Vec2 origin,
             const std::vector<std::pair<float, float>>& ring, std::uint32_t rgba) {
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        out.push_back(vertex(center, origin, 0, 0, rgba));
        out.push_back(vertex(center, origin, a.first, a.second, rgba));
        out.push_back(vertex(center, origin, b.first, b.second, rgba));
    }
}

void add_ring_band(std::vector<MapVertex>& out, Vec2 center, Vec2 origin,
                   const std::vector<std::pair<float, float>>& ring, float width, std::uint32_t rgba) {
    // A band of `width` pixels outside the ring (outline of a symbol).
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        const float la = std::hypot(a.first, a.second), lb = std::hypot(b.first, b.second);
        const float ka = la > 0 ? (la + width) / la : 1, kb = lb > 0 ? (lb + width) / lb : 1;
        const MapVertex a0 = vertex(center, origin, a.first, a.second, rgba);
        const MapVertex b0 = vertex(center, origin, b.first, b.second, rgba);
        const MapVertex a1 = vertex(center, origin, a.first * ka, a.second * ka, rgba);
        const MapVertex b1 = vertex(center, origin, b.first * kb, b.second * kb, rgba);
        out.insert(out.end(), {a0, a1, b1, a0, b1, b0});
    }
}

std::vector<std::pair<float, float>> shape_ring(carto::Shape shape, float r) {
    std::vector<std::pair<float, float>> ring;
    auto regular = [&](int n, double start, float radius) {
        for (int i = 0; i < n; ++i) {
            const double a = start + 2 * kPi * i / n;
            ring.emplace_back(static_cast<float>(radius * std::cos(a)),
                              static_cast<float>(radius * std::sin(a)));
        }
    };
    switch (shape) {
        case carto::Shape::Circle:
            regular(20, 0, r);
            break;
        case carto::Shape::Square:
            regular(4, kPi / 4, r * 1.3f);
            break;
        case carto::Shape::Triangle:
            regular(3, kPi / 2, r * 1.3f);
            break;
        case carto::Shape::Diamond:
            regular(4, 0, r * 1.3f);
            break;
        case carto::Shape::Star:
            for (int i = 0; i < 10; ++i) {
                const double a = kPi / 2 + 2 * kPi * i / 10;
                const float rr = (i % 2 == 0) ? r * 1.4f : r * 0.6f;
                ring.emplace_back(static_cast<float>(rr * std::cos(a)), static_cast<float>(rr * std::sin(a)));
            }
            break;
    }
    return ring;
}

std::string role_key(Role r) {
    return std::string("role:") + role_name(r);
}

void role_names(Role r, std::string& zh, std::string& en) {
    switch (r) {
        case Role::Boundary:
            zh = "社区边界";
            en = "Boundary";
            break;
        case Role::Units:
            zh = "院落";
            en = "Courtyards / units";
            break;
        case Role::Buildings:
            zh = "建筑";
            en = "Buildings";
            break;
        case Role::Venues:
            zh = "公共场所";
            en = "Venues";
            break;
        case Role::Projects:
            zh = "微更新项目";
            en = "Micro-garden projects";
            break;
        case Role::Streets:
            zh = "街道";
            en = "Streets";
            break;
        case Role::Zones:
            zh = "干预区";
            en = "Zones";
            break;
    }
}

}  // namespace

std::uint32_t pack_color(const carto::Color& c, float alpha_scale) {
    const std::uint32_t r = to_byte(c.r), g = to_byte(c.g), b = to_byte(c.b), a = to_byte(c.a * alpha_scale);
    return r | (g << 8) | (b << 16) | (a << 24);  // little-endian: bytes r, g, b, a
}

carto::Color color_from_hex(const std::string& hex) {
    unsigned r = 0, g = 0, b = 0;
    if (hex.size() >= 7 && hex[0] == '#' && std::sscanf(hex.c_str() + 1, "%2x%2x%2x", &r, &g, &b) == 3)
        return carto::Color::rgb(static_cast<int>(r), static_cast<int>(g), static_cast<int>(b));
    return carto::Color::rgb(128, 128, 128);
}

// [SECTION] Tessellation cache ------------------------------------------------------------

void TessCache::reset_for(std::shared_ptr<const Project> project, Vec2 origin) {
    std::scoped_lock lock(m_nodes_mutex, m_mutex);
    if (project == m_project && origin == m_origin) return;
    m_map.clear();
    m_lod.clear();
    m_nodes.reset();
    m_tolerances.clear();
    m_project = std::move(project);
    m_origin = origin;
}

namespace {

/// The bounds of every polygonal geometry of the project (metric), and optionally the
/// geometries themselves.
Box polygonal_extent(const Project* project, std::vector<const Geometry*>* all = nullptr) {
    Box extent;
    if (project)
        for (const auto& e : project->layers)
            for (const Geometry& g : e.layer.metric)
                if (g.is_polygonal()) {
                    if (all) all->push_back(&g);
                    extent.expand(g.bounds());
                }
    return extent;
}

}  // namespace

void TessCache::ensure_nodes() {
    std::lock_guard nodes_lock(m_nodes_mutex);
    if (m_nodes) return;
    std::shared_ptr<const Project> project;
    {
        std::lock_guard lock(m_mutex);
        project = m_project;
    }
    std::vector<const Geometry*> all;
    const Box extent = polygonal_extent(project.get(), &all);
    auto nodes = std::make_shared<const CoverageNodes>(all);
    std::lock_guard lock(m_mutex);
    m_tolerances = view::lod_tolerances(extent);
    m_lod.assign(m_tolerances.size(), {});
    m_nodes = std::move(nodes);
}

std::vector<double> TessCache::lod_tolerances() {
    {
        std::lock_guard lock(m_mutex);
        if (m_nodes) return m_tolerances;
    }
    // Without the nodes (finding them sorts every vertex of the project): the same extent.
    std::shared_ptr<const Project> project;
    {
        std::lock_guard lock(m_mutex);
        project = m_project;
    }
    return view::lod_tolerances(polygonal_extent(project.get()));
}

std::shared_ptr<const LodShape> TessCache::get_lod(const Geometry* g, std::size_t level) {
    ensure_nodes();
    std::shared_ptr<const CoverageNodes> nodes;
    double tolerance = 0;
    Vec2 origin;
    {
        std::lock_guard lock(m_mutex);
        if (level >= m_lod.size()) return nullptr;
        auto it = m_lod[level].find(g);
        if (it != m_lod[level].end()) return it->second;
        nodes = m_nodes;
        tolerance = m_tolerances[level];
        origin = m_origin;
    }
    auto shape = std::make_shared<LodShape>();
    shape->geometry = simplify_coverage_member(*g, *nodes, tolerance);
    shape->triangles = tessellate(shape->geometry, origin);
    std::lock_guard lock(m_mutex);
    if (level >= m_lod.size()) return shape;  // reset meanwhile
    return m_lod[level].emplace(g, std::move(shape)).first->second;
}

std::shared_ptr<const std::vector<float>> TessCache::get(const Geometry* g) {
    {
        std::lock_guard lock(m_mutex);
        auto it = m_map.find(g);
        if (it != m_map.end()) return it->second;
    }
    auto tris = std::make_shared<const std::vector<float>>(tessellate(*g, origin()));
    std::lock_guard lock(m_mutex);
    return m_map.emplace(g, std::move(tris)).first->second;
}

Vec2 TessCache::origin() const {
    std::lock_guard lock(m_mutex);
    return m_origin;
}

// [SECTION] Line segments -----------------------------------------------------------------

namespace {

/// Calls f(a, b) for each segment of a path with distinct ends, in order; a closed path
/// (a ring, repeated closing vertex or not) includes its closing segment. The one walk that
/// path_segments counts, extrude_path_into draws and the shared-edge pass hashes.
template <class F>
void for_each_segment(const std::vector<Vec2>& path, bool closed, F&& f) {
    std::size_t n = path.size();
    if (closed && n >= 2 && path.front() == path.back()) --n;
    if (n < 2) return;
    const std::size_t segments = closed ? n : n - 1;
    for (std::size_t i = 0; i < segments; ++i) {
        const Vec2 a = path[i], b = path[(i + 1) % n];
        if (!(a == b)) f(a, b);
    }
}

}  // namespace

std::size_t path_segments(const std::vector<Vec2>& path, bool closed) {
    std::size_t c = 0;
    for_each_segment(path, closed, [&](Vec2, Vec2) { ++c; });
    return c;
}

MapVertex* extrude_path_into(const std::vector<Vec2>& path, bool closed, Vec2 origin, float width_px,
                             std::uint32_t rgba, float lod, MapVertex* out, const char** owned) {
    const float hw = std::max(width_px, kMinStrokePx) * 0.5f;
    for_each_segment(path, closed, [&](Vec2 a, Vec2 b) {
        if (owned && !*(*owned)++) return;  // a shared edge another polygon draws
        const double dx = b.x - a.x, dy = b.y - a.y, len = std::hypot(dx, dy);
        const auto ux = static_cast<float>(len > 0 ? dx / len : 0),
                   uy = static_cast<float>(len > 0 ? dy / len : 0);
        const float nx = -uy * hw, ny = ux * hw;  // normal, pixels
        const float cx = ux * hw, cy = uy * hw;   // square cap
        const MapVertex a0 = vertex(a, origin, nx - cx, ny - cy, rgba, lod);
        const MapVertex a1 = vertex(a, origin, -nx - cx, -ny - cy, rgba, lod);
        const MapVertex b0 = vertex(b, origin, nx + cx, ny + cy, rgba, lod);
        const MapVertex b1 = vertex(b, origin, -nx + cx, -ny + cy, rgba, lod);
        *out++ = a0;
        *out++ = a1;
        *out++ = b0;
        *out++ = b0;
        *out++ = a1;
        *out++ = b1;
    });
    return out;
}

void extrude_path(const std::vector<Vec2>& path, bool closed, Vec2 origin, float width_px, std::uint32_t rgba,
                  float lod, std::vector<MapVertex>& out) {
    if (width_px <= 0) return;
    const std::size_t at = out.size();
    out.resize(at + 6 * path_segments(path, closed));
    extrude_path_into(path, closed, origin, width_px, rgba, lod, out.data() + at);
}

// [SECTION] The map mesh ------------------------------------------------------------------

MapMesh build_mesh(const carto::Scene& scene, TessCache& cache, const Progress& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    MapMesh mesh;
    mesh.origin = cache.origin();
    const Vec2 origin = mesh.origin;

    const std::size_t n = scene.polygons.size();
    // Simplified levels: a level is built only when a sample of the scene's polygons says it
    // saves at least a fifth of the vertices of the next finer one (Voronoi-like units of
    // a few pixels barely simplify at a sub-pixel tolerance; detailed outlines do).
    std::vector<double> tolerances;
    if (n > 0) {
        const std::vector<double> all = cache.lod_tolerances();
        const std::size_t step = std::max<std::size_t>(1, n / 2000);
        // Which levels are worth it, from the sample: first without the coverage's nodes
        // (each ring a loop from one vertex: it keeps fewer vertices than the real thing, so
        // if even that saves too little, so would the real one, and the nodes are not
        // needed), then with them for the levels that pass.
        auto worth = [&](bool with_nodes, const std::vector<bool>& candidates) {
            const CoverageNodes none;
            std::size_t finer = 0;
            std::vector<std::size_t> sampled(all.size(), 0);
            for (std::size_t i = 0; i < n; i += step) {
                const Geometry* g = scene.polygons[i].geometry;
                if (!g || !g->is_polygonal()) continue;
                finer += g->vertex_count();
                for (std::size_t l = 0; l < all.size(); ++l) {
                    if (!candidates[l]) continue;
                    if (with_nodes) {
                        if (auto sh = cache.get_lod(g, l)) sampled[l] += sh->geometry.vertex_count();
                    } else {
                        sampled[l] += simplify_coverage_member(*g, none, all[l]).vertex_count();
                    }
                }
            }
            std::vector<bool> keep(all.size(), false);
            for (std::size_t l = all.size(); l-- > 0;)
                if (candidates[l] && static_cast<double>(sampled[l]) <= 0.8 * static_cast<double>(finer)) {
                    keep[l] = true;
                    finer = sampled[l];
                }
            return keep;
        };
        std::vector<bool> keep = worth(false, std::vector<bool>(all.size(), true));
        if (std::find(keep.begin(), keep.end(), true) != keep.end()) keep = worth(true, keep);
        for (std::size_t l = 0; l < all.size(); ++l)
            if (keep[l]) tolerances.push_back(all[l]);
        mesh.lod_levels.clear();
        for (std::size_t l = 0; l < all.size(); ++l)
            if (keep[l]) mesh.lod_levels.push_back(l);
    }
    const std::size_t levels = tolerances.size();

    // Triangulate every polygon (cached per geometry), and its simplified levels, in parallel.
    std::vector<std::shared_ptr<const std::vector<float>>> tris(n);
    std::vector<std::shared_ptr<const LodShape>> shapes(n * levels);  // [polygon * levels + level]
    parallel_for(
        n,
        [&](std::size_t i) {
            const Geometry* g = scene.polygons[i].geometry;
            if (!g) return;
            tris[i] = cache.get(g);
            for (std::size_t l = 0; l < levels; ++l)
                shapes[i * levels + l] = cache.get_lod(g, mesh.lod_levels[l]);
        },
        progress);
    progress.check();

    std::map<std::string, std::size_t> index;  // key -> batch
    auto batch = [&](const std::string& key, const std::string& zh, const std::string& en) -> MeshBatch& {
        auto it = index.find(key);
        if (it != index.end()) return mesh.batches[it->second];
        index.emplace(key, mesh.batches.size());
        MeshBatch b;
        b.key = key;
        b.name_zh = zh;
        b.name_en = en;
        mesh.batches.push_back(std::move(b));
        return mesh.batches.back();
    };

    // Where each polygon's vertices go: level 0 is the full geometry, level l + 1 the
    // simplified level l. Fills in scene order (later polygons cover earlier ones); strokes
    // largest feature first, so the renderer draws only the prefix of features at least
    // lod_min_px on screen (stable: ties keep the scene order).
    const std::size_t nl = levels + 1;
    std::vector<std::size_t> batch_of(n, 0);
    std::vector<float> sizes(n, 0.0f);
    std::vector<std::size_t> fill_at(n * nl, 0), stroke_at(n * nl, 0);
    auto geometry_at = [&](std::size_t i, std::size_t l) -> const Geometry* {
        if (l == 0) return scene.polygons[i].geometry;
        const auto& sh = shapes[i * levels + l - 1];
        return sh ? &sh->geometry : nullptr;
    };
    auto triangles_at = [&](std::size_t i, std::size_t l) -> const std::vector<float>* {
        if (l == 0) return tris[i].get();
        const auto& sh = shapes[i * levels + l - 1];
        return sh ? &sh->triangles : nullptr;
    };
    std::vector<std::vector<std::size_t>> fill_total, stroke_total;  // [batch][level]
    mesh.picks.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const carto::FillPolygon& fp = scene.polygons[i];
        if (!fp.geometry) continue;
        std::string zh, en;
        role_names(fp.role, zh, en);
        MeshBatch& b = batch(role_key(fp.role), zh, en);
        const std::size_t bi = static_cast<std::size_t>(&b - mesh.batches.data());
        batch_of[i] = bi;
        if (b.lods.size() != levels) {  // a polygon batch: one simplified level per tolerance
            b.lods.resize(levels);
            for (std::size_t l = 0; l < levels; ++l) b.lods[l].tolerance = tolerances[l];
        }
        if (fill_total.size() <= bi) {
            fill_total.resize(bi + 1, std::vector<std::size_t>(nl, 0));
            stroke_total.resize(bi + 1, std::vector<std::size_t>(nl, 0));
        }
        const Box bounds = fp.geometry->bounds();
        sizes[i] = static_cast<float>(std::max(bounds.width(), bounds.height()));
        mesh.picks.push_back({bounds, static_cast<std::uint32_t>(i)});
        if (!(fp.fill.a > 0)) continue;
        for (std::size_t l = 0; l < nl; ++l) {
            fill_at[i * nl + l] = fill_total[bi][l];
            if (const auto* t = triangles_at(i, l)) fill_total[bi][l] += t->size() / 2;
        }
        if (tris[i]) mesh.triangles += tris[i]->size() / 6;
    }
    std::vector<std::size_t> order;
    order.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const carto::FillPolygon& fp = scene.polygons[i];
        if (fp.geometry && fp.stroke.a > 0 && fp.stroke_px > 0) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t c) { return sizes[a] > sizes[c]; });
    // A shared edge is drawn once: the first polygon in that order with the edge, in the
    // same colour and width, owns it and its neighbours skip it (the same pixels as drawing
    // it twice; half the outline triangles of a coverage). One flag per segment, in the
    // order extrude_path_into visits them.
    std::vector<std::size_t> owned_at(n * nl, 0);
    std::vector<char> owned;
    {
        // An open-addressing set of 64-bit segment hashes (a node-based set spent more time
        // in malloc than the extrusion it saves). Two different segments with the same 64-bit
        // hash (p ≈ n² / 2^65, 4e-8 for a million segments) would lose one outline segment.
        std::size_t total = 0;
        for (std::size_t i : order)
            if (const Geometry* g = scene.polygons[i].geometry) total += g->vertex_count();
        std::size_t capacity = 1024;
        while (capacity < 2 * total + 16) capacity *= 2;
        std::vector<std::uint64_t> table(capacity, 0);
        auto mix = [](std::uint64_t h, std::uint64_t v) {  // splitmix64 of h ^ v
            std::uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            return z ^ (z >> 31);
        };
        auto bits = [](double d) {
            std::uint64_t u = 0;
            std::memcpy(&u, &d, sizeof u);
            return u;
        };
        owned.reserve(total * nl);
        auto insert = [&](std::uint64_t h) {  // true when h was not there yet
            if (h == 0) h = 1;                // 0 marks an empty slot
            const std::size_t mask = table.size() - 1;
            for (std::size_t k = static_cast<std::size_t>(h) & mask;; k = (k + 1) & mask) {
                if (table[k] == h) return false;
                if (table[k] == 0) {
                    table[k] = h;
                    return true;
                }
            }
        };
        for (std::size_t l = 0; l < nl; ++l) {
            std::fill(table.begin(), table.end(), 0);
            for (std::size_t i : order) {
                const carto::FillPolygon& fp = scene.polygons[i];
                const Geometry* g = geometry_at(i, l);
                owned_at[i * nl + l] = owned.size();
                stroke_at[i * nl + l] = stroke_total[batch_of[i]][l];
                if (!g) continue;
                const std::uint32_t rgba = pack_color(fp.stroke);
                std::size_t count = 0;
                for (const Polygon& poly : g->polygons)
                    for (const Ring& r : poly.rings)
                        for_each_segment(r, true, [&](Vec2 a, Vec2 b) {
                            if (b.x < a.x || (b.x == a.x && b.y < a.y)) std::swap(a, b);
                            std::uint64_t h = mix(mix(mix(bits(a.x), bits(a.y)), bits(b.x)), bits(b.y));
                            h = mix(h, (std::uint64_t{rgba} << 32) |
                                           bits(static_cast<double>(fp.stroke_px)) >> 32);
                            const bool first = insert(h);
                            owned.push_back(first ? 1 : 0);
                            count += first ? 1 : 0;
                        });
                stroke_total[batch_of[i]][l] += 6 * count;
            }
        }
    }
    auto fills_of = [&](MeshBatch& b, std::size_t l) -> std::vector<MapVertex>& {
        return l == 0 ? b.fills : b.lods[l - 1].fills;
    };
    auto strokes_of = [&](MeshBatch& b, std::size_t l) -> std::vector<MapVertex>& {
        return l == 0 ? b.strokes : b.lods[l - 1].strokes;
    };
    for (std::size_t bi = 0; bi < fill_total.size(); ++bi)
        for (std::size_t l = 0; l < nl; ++l) {
            fills_of(mesh.batches[bi], l).resize(fill_total[bi][l]);
            strokes_of(mesh.batches[bi], l).resize(stroke_total[bi][l]);
        }
    // Every polygon writes its own ranges: in parallel, no locks.
    parallel_for(n, [&](std::size_t i) {
        const carto::FillPolygon& fp = scene.polygons[i];
        if (!fp.geometry) return;
        MeshBatch& b = mesh.batches[batch_of[i]];
        const bool fill = fp.fill.a > 0, stroke = fp.stroke.a > 0 && fp.stroke_px > 0;
        const std::uint32_t fill_rgba = pack_color(fp.fill), stroke_rgba = pack_color(fp.stroke);
        const float hatch = fp.hatched ? 1.0f : 0.0f;
        for (std::size_t l = 0; l < nl; ++l) {
            if (fill)
                if (const auto* t = triangles_at(i, l)) {
                    MapVertex* out = fills_of(b, l).data() + fill_at[i * nl + l];
                    for (std::size_t k = 0; k + 1 < t->size(); k += 2)
                        *out++ = {(*t)[k], (*t)[k + 1], 0, 0, fill_rgba, 0, hatch};
                }
            if (stroke)
                if (const Geometry* g = geometry_at(i, l)) {
                    MapVertex* out = strokes_of(b, l).data() + stroke_at[i * nl + l];
                    const char* flags = owned.data() + owned_at[i * nl + l];
                    for (const Polygon& poly : g->polygons)
                        for (const Ring& r : poly.rings)
                            out = extrude_path_into(r, true, origin, fp.stroke_px, stroke_rgba, sizes[i], out,
                                                    &flags);
                }
        }
    });
    progress.check();
    if (scene.raster) {
        MeshBatch& b = batch("raster", "热力图", "Heatmap");
        b.raster = true;
    }
    for (const carto::LineFeature& lf : scene.lines) {
        if (!lf.geometry) continue;
        MeshBatch& b = batch("lines", "线", "Lines");
        const std::uint32_t rgba = pack_color(lf.color);
        for (const Path& p : lf.geometry->lines)
            extrude_path(p, false, origin, lf.width_px, rgba, 0, b.strokes);
        for (const Polygon& poly : lf.geometry->polygons)
            for (const Ring& r : poly.rings) extrude_path(r, true, origin, lf.width_px, rgba, 0, b.strokes);
    }
    if (!scene.pies.empty()) {
        MeshBatch& b = batch("pies", "构成饼图", "Composition glyphs");
        const std::uint32_t white = pack_color(carto::Color::rgb(255, 255, 255));
        for (const carto::PieGlyph& pie : scene.pies) {
            const float r = pie.radius_px;
            if (pie.style == carto::GlyphStyle::Bar) {  // 2r tall, r wide, stacked from the bottom
                float y = -r;                           // offsets are in pixels, y up
                for (const auto& [share, color] : pie.slices) {
                    const float h = 2 * r * std::min(1.0f, share);
                    if (!(h > 0)) continue;
                    const std::uint32_t rgba = pack_color(color);
                    const MapVertex p0 = vertex(pie.center, origin, -r / 2, y, rgba);
                    const MapVertex p1 = vertex(pie.center, origin, r / 2, y, rgba);
                    const MapVertex p2 = vertex(pie.center, origin, r / 2, y + h, rgba);
                    const MapVertex p3 = vertex(pie.center, origin, -r / 2, y + h, rgba);
                    b.symbols.insert(b.symbols.end(), {p0, p1, p2, p0, p2, p3});
                    y += h;
                }
                add_ring_band(b.symbols, pie.center, origin,
                              {{-r / 2, -r}, {r / 2, -r}, {r / 2, r}, {-r / 2, r}}, 1.0f, white);
                continue;
            }
            const int total_segments = std::clamp(static_cast<int>(r * 3), 16, 64);
            double start = kPi / 2;  // clockwise from 12 o'clock
            for (const auto& [share, color] : pie.slices) {
                if (!(share > 0)) continue;
                const double sweep = 2 * kPi * std::min(1.0f, share);
                const int segs = std::max(1, static_cast<int>(std::ceil(total_segments * share)));
                const std::uint32_t rgba = pack_color(color);
                for (int s = 0; s < segs; ++s) {
                    const double a0 = start - sweep * s / segs, a1 = start - sweep * (s + 1) / segs;
                    b.symbols.push_back(vertex(pie.center, origin, 0, 0, rgba));
                    b.symbols.push_back(vertex(pie.center, origin, static_cast<float>(r * std::cos(a0)),
                                               static_cast<float>(r * std::sin(a0)), rgba));
                    b.symbols.push_back(vertex(pie.center, origin, static_cast<float>(r * std::cos(a1)),
                                               static_cast<float>(r * std::sin(a1)), rgba));
                }
                start -= sweep;
            }
            add_ring_band(b.symbols, pie.center, origin, shape_ring(carto::Shape::Circle, r), 1.0f, white);
        }
    }
    for (const carto::PointSymbol& ps : scene.points) {
        std::string zh, en;
        role_names(ps.role, zh, en);
        MeshBatch& b = batch(std::string("points:") + role_name(ps.role), zh, en);
        const auto ring = shape_ring(ps.shape, ps.radius_px);
        add_fan(b.symbols, ps.position, origin, ring, pack_color(ps.fill));
        if (ps.stroke.a > 0) add_ring_band(b.symbols, ps.position, origin, ring, 1.0f, pack_color(ps.stroke));
    }
    // Strokes of "lines" have lod 0 (always drawn) and polygon strokes were emitted largest
    // feature first above, so every batch's strokes are already in level-of-detail order.
    // The community boundary goes above the streets (which often run along it), below
    // glyphs and symbols, so the outline stays visible.
    auto find = [&](const std::string& key) {
        return std::find_if(mesh.batches.begin(), mesh.batches.end(),
                            [&](const MeshBatch& b) { return b.key == key; });
    };
    // The zones overlay goes above the boundary: a plan's outline is not cut by the streets.
    for (const Role r : {Role::Boundary, Role::Zones}) {
        auto moving = find(role_key(r));
        if (moving == mesh.batches.end() || find("lines") == mesh.batches.end()) continue;
        MeshBatch moved = std::move(*moving);
        mesh.batches.erase(moving);
        auto after = find(role_key(Role::Boundary));
        if (after == mesh.batches.end()) after = find("lines");
        mesh.batches.insert(after + 1, std::move(moved));
    }
    mesh.build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return mesh;
}

// [SECTION] File layer batches ------------------------------------------------------------

MeshBatch build_file_batch(const Layer& layer, Vec2 origin, const std::string& key, carto::Color color) {
    MeshBatch b;
    b.key = key;
    b.name_zh = layer.name();
    b.name_en = layer.name();
    carto::Color fill = color;
    fill.a = 0.35f;
    const std::uint32_t fill_rgba = pack_color(fill), line_rgba = pack_color(color);
    const auto ring = shape_ring(carto::Shape::Circle, 3.5f);
    for (const Geometry& g : layer.metric) {
        if (g.is_polygonal()) {
            const auto t = tessellate(g, origin);
            for (std::size_t k = 0; k + 1 < t.size(); k += 2)
                b.fills.push_back({t[k], t[k + 1], 0, 0, fill_rgba, 0, 0});
            const Box bounds = g.bounds();
            const auto lod = static_cast<float>(std::max(bounds.width(), bounds.height()));
            for (const Polygon& poly : g.polygons)
                for (const Ring& r : poly.rings)
                    extrude_path(r, true, origin, 1.0f, line_rgba, lod, b.strokes);
        } else if (g.is_line()) {
            for (const Path& p : g.lines) extrude_path(p, false, origin, 1.5f, line_rgba, 0, b.strokes);
        } else {
            for (const Vec2& p : g.points) add_fan(b.symbols, p, origin, ring, line_rgba);
        }
    }
    std::stable_sort(b.strokes.begin(), b.strokes.end(), [](const MapVertex& a, const MapVertex& c) {
        const float ka = a.lod > 0 ? a.lod : std::numeric_limits<float>::infinity();
        const float kc = c.lod > 0 ? c.lod : std::numeric_limits<float>::infinity();
        return ka > kc;
    });
    return b;
}

}  // namespace hq::view
