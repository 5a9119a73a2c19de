#include "app/view/mesh.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "app/view/tessellate.hpp"
#include "geo/core/parallel.hpp"

namespace hq::view {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::uint8_t to_byte(float v) {
    return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
}

MapVertex vertex(Vec2 p, Vec2 origin, float ox, float oy, std::uint32_t rgba, float lod = 0, float hatch = 0) {
    return {static_cast<float>(p.x - origin.x), static_cast<float>(p.y - origin.y), ox, oy, rgba, lod, hatch};
}

void add_fan(std::vector<MapVertex>& out, Vec2 center, Vec2 origin, const std::vector<std::pair<float, float>>& ring,
             std::uint32_t rgba) {
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        out.push_back(vertex(center, origin, 0, 0, rgba));
        out.push_back(vertex(center, origin, a.first, a.second, rgba));
        out.push_back(vertex(center, origin, b.first, b.second, rgba));
    }
}

void add_ring_band(std::vector<MapVertex>& out, Vec2 center, Vec2 origin, const std::vector<std::pair<float, float>>& ring,
                   float width, std::uint32_t rgba) {
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
            ring.emplace_back(static_cast<float>(radius * std::cos(a)), static_cast<float>(radius * std::sin(a)));
        }
    };
    switch (shape) {
        case carto::Shape::Circle: regular(20, 0, r); break;
        case carto::Shape::Square: regular(4, kPi / 4, r * 1.3f); break;
        case carto::Shape::Triangle: regular(3, kPi / 2, r * 1.3f); break;
        case carto::Shape::Diamond: regular(4, 0, r * 1.3f); break;
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

std::string role_key(Role r) { return std::string("role:") + role_name(r); }

void role_names(Role r, std::string& zh, std::string& en) {
    switch (r) {
        case Role::Boundary: zh = "社区边界"; en = "Boundary"; break;
        case Role::Units: zh = "院落"; en = "Courtyards / units"; break;
        case Role::Buildings: zh = "建筑"; en = "Buildings"; break;
        case Role::Venues: zh = "公共场所"; en = "Venues"; break;
        case Role::Projects: zh = "微更新项目"; en = "Micro-garden projects"; break;
        case Role::Streets: zh = "街道"; en = "Streets"; break;
        case Role::Zones: zh = "干预区"; en = "Zones"; break;
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

void TessCache::reset_for(std::shared_ptr<const Project> project, Vec2 origin) {
    std::lock_guard lock(m_mutex);
    if (project == m_project && origin == m_origin) return;
    m_map.clear();
    m_project = std::move(project);
    m_origin = origin;
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

void extrude_path(const std::vector<Vec2>& path, bool closed, Vec2 origin, float width_px, std::uint32_t rgba,
                  float lod, std::vector<MapVertex>& out) {
    std::size_t n = path.size();
    if (closed && n >= 2 && path.front() == path.back()) --n;
    if (n < 2 || width_px <= 0) return;
    const float hw = width_px * 0.5f;
    const std::size_t segments = closed ? n : n - 1;
    for (std::size_t i = 0; i < segments; ++i) {
        const Vec2 a = path[i], b = path[(i + 1) % n];
        const double dx = b.x - a.x, dy = b.y - a.y, len = std::hypot(dx, dy);
        if (!(len > 0)) continue;
        const auto ux = static_cast<float>(dx / len), uy = static_cast<float>(dy / len);
        const float nx = -uy * hw, ny = ux * hw;  // normal, pixels
        const float cx = ux * hw, cy = uy * hw;   // square cap
        const MapVertex a0 = vertex(a, origin, nx - cx, ny - cy, rgba, lod);
        const MapVertex a1 = vertex(a, origin, -nx - cx, -ny - cy, rgba, lod);
        const MapVertex b0 = vertex(b, origin, nx + cx, ny + cy, rgba, lod);
        const MapVertex b1 = vertex(b, origin, -nx + cx, -ny + cy, rgba, lod);
        out.insert(out.end(), {a0, a1, b0, b0, a1, b1});
    }
}

MapMesh build_mesh(const carto::Scene& scene, TessCache& cache, const Progress& progress) {
    MapMesh mesh;
    mesh.origin = cache.origin();
    const Vec2 origin = mesh.origin;

    // Triangulate every polygon (cached per geometry), in parallel.
    const std::size_t n = scene.polygons.size();
    std::vector<std::shared_ptr<const std::vector<float>>> tris(n);
    parallel_for(
        n,
        [&](std::size_t i) {
            if (const Geometry* g = scene.polygons[i].geometry) tris[i] = cache.get(g);
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

    mesh.picks.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const carto::FillPolygon& fp = scene.polygons[i];
        if (!fp.geometry) continue;
        std::string zh, en;
        role_names(fp.role, zh, en);
        MeshBatch& b = batch(role_key(fp.role), zh, en);
        const Box bounds = fp.geometry->bounds();
        mesh.picks.push_back({bounds, static_cast<std::uint32_t>(i)});
        if (fp.fill.a > 0 && tris[i]) {
            const std::uint32_t rgba = pack_color(fp.fill);
            const float hatch = fp.hatched ? 1.0f : 0.0f;
            const auto& t = *tris[i];
            for (std::size_t k = 0; k + 1 < t.size(); k += 2) b.fills.push_back({t[k], t[k + 1], 0, 0, rgba, 0, hatch});
            mesh.triangles += t.size() / 6;
        }
        if (fp.stroke.a > 0 && fp.stroke_px > 0) {
            const std::uint32_t rgba = pack_color(fp.stroke);
            const auto lod = static_cast<float>(std::max(bounds.width(), bounds.height()));
            for (const Polygon& poly : fp.geometry->polygons)
                for (const Ring& r : poly.rings) extrude_path(r, true, origin, fp.stroke_px, rgba, lod, b.strokes);
        }
    }
    if (scene.raster) {
        MeshBatch& b = batch("raster", "热力图", "Heatmap");
        b.raster = true;
    }
    for (const carto::LineFeature& lf : scene.lines) {
        if (!lf.geometry) continue;
        MeshBatch& b = batch("lines", "线", "Lines");
        const std::uint32_t rgba = pack_color(lf.color);
        for (const Path& p : lf.geometry->lines) extrude_path(p, false, origin, lf.width_px, rgba, 0, b.strokes);
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
                add_ring_band(b.symbols, pie.center, origin, {{-r / 2, -r}, {r / 2, -r}, {r / 2, r}, {-r / 2, r}}, 1.0f,
                              white);
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
    // Level of detail: stroke vertices sorted by feature size, largest first (lines, with
    // lod 0, first of all), so the renderer draws only the prefix whose features are at
    // least lod_min_px on screen. Stable: the three vertices of a triangle stay together.
    for (MeshBatch& b : mesh.batches)
        std::stable_sort(b.strokes.begin(), b.strokes.end(), [](const MapVertex& a, const MapVertex& c) {
            const float ka = a.lod > 0 ? a.lod : std::numeric_limits<float>::infinity();
            const float kc = c.lod > 0 ? c.lod : std::numeric_limits<float>::infinity();
            return ka > kc;
        });
    // The community boundary goes above the streets (which often run along it), below
    // glyphs and symbols, so the outline stays visible.
    auto find = [&](const std::string& key) {
        return std::find_if(mesh.batches.begin(), mesh.batches.end(), [&](const MeshBatch& b) { return b.key == key; });
    };
    auto boundary = find(role_key(Role::Boundary));
    if (boundary != mesh.batches.end() && find("lines") != mesh.batches.end()) {
        MeshBatch moved = std::move(*boundary);
        mesh.batches.erase(boundary);
        mesh.batches.insert(find("lines") + 1, std::move(moved));
    }
    return mesh;
}

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
            for (std::size_t k = 0; k + 1 < t.size(); k += 2) b.fills.push_back({t[k], t[k + 1], 0, 0, fill_rgba, 0, 0});
            const Box bounds = g.bounds();
            const auto lod = static_cast<float>(std::max(bounds.width(), bounds.height()));
            for (const Polygon& poly : g.polygons)
                for (const Ring& r : poly.rings) extrude_path(r, true, origin, 1.0f, line_rgba, lod, b.strokes);
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
