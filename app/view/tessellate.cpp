#include "app/view/tessellate.hpp"

#include <array>
#include <cmath>
#include <deque>
#include <memory>

#include <GL/glu.h>

namespace hq::view {
namespace {

struct TessContext {
    std::vector<float>* out = nullptr;
    std::deque<std::array<double, 3>> extra;  // vertices created by the combine callback
    bool failed = false;
};

void GLAPIENTRY on_begin(GLenum, void*) {}
void GLAPIENTRY on_edge_flag(GLboolean, void*) {}  // forces GL_TRIANGLES output
void GLAPIENTRY on_vertex(void* vertex, void* data) {
    auto* ctx = static_cast<TessContext*>(data);
    const auto* v = static_cast<const double*>(vertex);
    ctx->out->push_back(static_cast<float>(v[0]));
    ctx->out->push_back(static_cast<float>(v[1]));
}
void GLAPIENTRY on_end(void*) {}
void GLAPIENTRY on_combine(GLdouble coords[3], void* [4], GLfloat[4], void** out, void* data) {
    auto* ctx = static_cast<TessContext*>(data);
    ctx->extra.push_back({coords[0], coords[1], 0.0});
    *out = ctx->extra.back().data();
}
void GLAPIENTRY on_error(GLenum, void* data) {
    static_cast<TessContext*>(data)->failed = true;
}

template <class F>
_GLUfuncptr glu_cb(F* f) {
    return reinterpret_cast<_GLUfuncptr>(reinterpret_cast<void*>(f));
}

struct TessDeleter {
    void operator()(GLUtesselator* t) const { gluDeleteTess(t); }
};

GLUtesselator* thread_tessellator() {
    thread_local std::unique_ptr<GLUtesselator, TessDeleter> tess;
    if (!tess) {
        tess.reset(gluNewTess());
        if (!tess) return nullptr;
        gluTessCallback(tess.get(), GLU_TESS_BEGIN_DATA, glu_cb(&on_begin));
        gluTessCallback(tess.get(), GLU_TESS_EDGE_FLAG_DATA, glu_cb(&on_edge_flag));
        gluTessCallback(tess.get(), GLU_TESS_VERTEX_DATA, glu_cb(&on_vertex));
        gluTessCallback(tess.get(), GLU_TESS_END_DATA, glu_cb(&on_end));
        gluTessCallback(tess.get(), GLU_TESS_COMBINE_DATA, glu_cb(&on_combine));
        gluTessCallback(tess.get(), GLU_TESS_ERROR_DATA, glu_cb(&on_error));
        gluTessProperty(tess.get(), GLU_TESS_WINDING_RULE, GLU_TESS_WINDING_ODD);
        gluTessNormal(tess.get(), 0.0, 0.0, 1.0);
    }
    return tess.get();
}

/// A single ring that is strictly convex (every turn the same way, monotone in x and in y,
/// so it cannot wind twice): a triangle fan from its first vertex is its triangulation.
/// Most units of a Voronoi or block layout are; GLU's sweep costs ~10× more per polygon.
bool fan_convex(const Ring& ring, Vec2 origin, std::vector<float>& out) {
    std::size_t n = ring.size();
    if (n >= 2 && ring.front() == ring.back()) --n;
    if (n < 3 || n > 64) return false;
    int turn = 0, x_changes = 0, y_changes = 0, last_dx = 0, last_dy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const Vec2 a = ring[i], b = ring[(i + 1) % n], c = ring[(i + 2) % n];
        if (!std::isfinite(a.x) || !std::isfinite(a.y)) return false;
        const double cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
        const int s = cross > 0 ? 1 : cross < 0 ? -1 : 0;
        if (s == 0) return false;  // collinear or repeated vertices: leave them to GLU
        if (turn == 0)
            turn = s;
        else if (s != turn)
            return false;
        const int dx = b.x > a.x ? 1 : b.x < a.x ? -1 : 0, dy = b.y > a.y ? 1 : b.y < a.y ? -1 : 0;
        if (dx != 0) {
            if (last_dx != 0 && dx != last_dx) ++x_changes;
            last_dx = dx;
        }
        if (dy != 0) {
            if (last_dy != 0 && dy != last_dy) ++y_changes;
            last_dy = dy;
        }
    }
    // Direction changes counted around the cycle (the first segment against the last one too).
    if (x_changes > 2 || y_changes > 2) return false;
    const auto fx = [&](std::size_t i) { return static_cast<float>(ring[i].x - origin.x); };
    const auto fy = [&](std::size_t i) { return static_cast<float>(ring[i].y - origin.y); };
    out.reserve(out.size() + (n - 2) * 6);
    for (std::size_t i = 1; i + 1 < n; ++i)
        out.insert(out.end(), {fx(0), fy(0), fx(i), fy(i), fx(i + 1), fy(i + 1)});
    return true;
}

}  // namespace

std::vector<float> tessellate(const Geometry& geometry, Vec2 origin) {
    std::vector<float> out;
    if (!geometry.is_polygonal() || geometry.empty()) return out;
    GLUtesselator* tess = nullptr;
    for (const Polygon& poly : geometry.polygons) {
        if (poly.rings.empty()) continue;
        if (poly.rings.size() == 1 && fan_convex(poly.rings[0], origin, out)) continue;
        if (!tess && !(tess = thread_tessellator())) return out;
        TessContext ctx;
        ctx.out = &out;
        const std::size_t before = out.size();
        std::deque<std::array<double, 3>> coords;
        gluTessBeginPolygon(tess, &ctx);
        for (const Ring& ring : poly.rings) {
            // Rings are closed: skip the repeated last vertex.
            std::size_t n = ring.size();
            if (n >= 2 && ring.front() == ring.back()) --n;
            if (n < 3) continue;
            gluTessBeginContour(tess);
            for (std::size_t i = 0; i < n; ++i) {
                const double x = ring[i].x - origin.x, y = ring[i].y - origin.y;
                if (!std::isfinite(x) || !std::isfinite(y)) continue;
                coords.push_back({x, y, 0.0});
                gluTessVertex(tess, coords.back().data(), coords.back().data());
            }
            gluTessEndContour(tess);
        }
        gluTessEndPolygon(tess);
        if (ctx.failed || (out.size() - before) % 6 != 0) out.resize(before);
    }
    return out;
}

double triangles_area(const std::vector<float>& xy) {
    double a = 0;
    for (std::size_t i = 0; i + 5 < xy.size(); i += 6) {
        const double x0 = xy[i], y0 = xy[i + 1], x1 = xy[i + 2], y1 = xy[i + 3], x2 = xy[i + 4],
                     y2 = xy[i + 5];
        a += std::abs((x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)) * 0.5;
    }
    return a;
}

}  // namespace hq::view
