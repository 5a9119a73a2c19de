#include "geo/geometry/geos.hpp"

#include <cstdarg>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace hq::geos {

namespace {

thread_local std::string t_last_error;

void on_geos_message(const char* message, void* /*userdata*/) {
    t_last_error = message ? message : "";
}

struct ContextHolder {
    GEOSContextHandle_t handle = nullptr;
    ContextHolder() {
        handle = GEOS_init_r();
        GEOSContext_setErrorMessageHandler_r(handle, &on_geos_message, nullptr);
        GEOSContext_setNoticeMessageHandler_r(handle, [](const char*, void*) {}, nullptr);
    }
    ~ContextHolder() { GEOS_finish_r(handle); }
    ContextHolder(const ContextHolder&) = delete;
    ContextHolder& operator=(const ContextHolder&) = delete;
};

GEOSCoordSequence* make_seq(GEOSContextHandle_t h, const std::vector<Vec2>& pts) {
    // GEOSCoordSeq_copyFromBuffer_r exists from 3.10.
    return GEOSCoordSeq_copyFromBuffer_r(h, reinterpret_cast<const double*>(pts.data()),
                                         static_cast<unsigned>(pts.size()), 0, 0);
}

[[noreturn]] void fail(const char* what) {
    throw Error(std::string("GEOS: ") + what + (t_last_error.empty() ? "" : ": " + t_last_error));
}

GEOSGeometry* make_ring(GEOSContextHandle_t h, const Ring& r) {
    if (r.size() < 4 || !(r.front() == r.back()))
        throw Error("GEOS: invalid ring (a ring needs at least 4 points and must be closed)");
    GEOSCoordSequence* seq = make_seq(h, r);
    if (!seq) fail("cannot make coordinate sequence");
    GEOSGeometry* g = GEOSGeom_createLinearRing_r(h, seq);
    if (!g) fail("invalid ring (a ring needs at least 4 points and must be closed)");
    return g;
}

GEOSGeometry* make_polygon(GEOSContextHandle_t h, const Polygon& p) {
    if (p.rings.empty()) {
        GEOSGeometry* g = GEOSGeom_createEmptyPolygon_r(h);
        if (!g) fail("cannot make empty polygon");
        return g;
    }
    GEOSGeometry* shell = make_ring(h, p.rings[0]);
    std::vector<GEOSGeometry*> holes;
    try {
        for (std::size_t i = 1; i < p.rings.size(); ++i) holes.push_back(make_ring(h, p.rings[i]));
    } catch (...) {
        GEOSGeom_destroy_r(h, shell);
        for (auto* x : holes) GEOSGeom_destroy_r(h, x);
        throw;
    }
    GEOSGeometry* g = GEOSGeom_createPolygon_r(h, shell, holes.data(), static_cast<unsigned>(holes.size()));
    if (!g) fail("cannot make polygon");
    return g;
}

std::vector<Vec2> read_seq(GEOSContextHandle_t h, const GEOSCoordSequence* seq) {
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(h, seq, &n);
    std::vector<Vec2> out(n);
    if (n > 0) GEOSCoordSeq_copyToBuffer_r(h, seq, reinterpret_cast<double*>(out.data()), 0, 0);
    return out;
}

void collect(GEOSContextHandle_t h, const GEOSGeometry* g, Geometry& out) {
    const int t = GEOSGeomTypeId_r(h, g);
    switch (t) {
        case GEOS_POINT: {
            if (GEOSisEmpty_r(h, g)) return;
            auto pts = read_seq(h, GEOSGeom_getCoordSeq_r(h, g));
            out.points.insert(out.points.end(), pts.begin(), pts.end());
            return;
        }
        case GEOS_LINESTRING:
        case GEOS_LINEARRING: {
            if (GEOSisEmpty_r(h, g)) return;
            out.lines.push_back(read_seq(h, GEOSGeom_getCoordSeq_r(h, g)));
            return;
        }
        case GEOS_POLYGON: {
            if (GEOSisEmpty_r(h, g)) return;
            Polygon p;
            p.rings.push_back(read_seq(h, GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, g))));
            const int nh = GEOSGetNumInteriorRings_r(h, g);
            for (int i = 0; i < nh; ++i)
                p.rings.push_back(read_seq(h, GEOSGeom_getCoordSeq_r(h, GEOSGetInteriorRingN_r(h, g, i))));
            out.polygons.push_back(std::move(p));
            return;
        }
        default: {
            const int n = GEOSGetNumGeometries_r(h, g);
            for (int i = 0; i < n; ++i) collect(h, GEOSGetGeometryN_r(h, g, i), out);
        }
    }
}

}  // namespace

GEOSContextHandle_t context() {
    thread_local ContextHolder holder;
    return holder.handle;
}

void GeomDeleter::operator()(GEOSGeometry* g) const noexcept {
    if (g) GEOSGeom_destroy_r(context(), g);
}

void PreparedDeleter::operator()(const GEOSPreparedGeometry* g) const noexcept {
    if (g) GEOSPreparedGeom_destroy_r(context(), g);
}

std::string last_error() { return t_last_error; }

GeomPtr to_geos(const Geometry& g) {
    GEOSContextHandle_t h = context();
    t_last_error.clear();
    std::vector<GEOSGeometry*> parts;
    auto cleanup = [&]() {
        for (auto* p : parts) GEOSGeom_destroy_r(h, p);
    };
    int collection_type = GEOS_GEOMETRYCOLLECTION;
    try {
        if (g.is_polygonal() || (!g.polygons.empty())) {
            for (const auto& p : g.polygons) parts.push_back(make_polygon(h, p));
            collection_type = GEOS_MULTIPOLYGON;
            if (g.type == GeomType::Polygon && parts.size() == 1) return GeomPtr(parts[0]);
        } else if (g.is_line() || !g.lines.empty()) {
            for (const auto& l : g.lines) {
                GEOSCoordSequence* seq = make_seq(h, l);
                GEOSGeometry* x = seq ? GEOSGeom_createLineString_r(h, seq) : nullptr;
                if (!x) fail("invalid line string (needs at least 2 points)");
                parts.push_back(x);
            }
            collection_type = GEOS_MULTILINESTRING;
            if (g.type == GeomType::LineString && parts.size() == 1) return GeomPtr(parts[0]);
        } else if (!g.points.empty()) {
            for (const auto& p : g.points) {
                GEOSGeometry* x = GEOSGeom_createPointFromXY_r(h, p.x, p.y);
                if (!x) fail("cannot make point");
                parts.push_back(x);
            }
            collection_type = GEOS_MULTIPOINT;
            if (g.type == GeomType::Point && parts.size() == 1) return GeomPtr(parts[0]);
        } else {
            GEOSGeometry* e = GEOSGeom_createEmptyCollection_r(h, GEOS_GEOMETRYCOLLECTION);
            if (!e) fail("cannot make empty geometry");
            return GeomPtr(e);
        }
    } catch (...) {
        cleanup();
        throw;
    }
    GEOSGeometry* c = GEOSGeom_createCollection_r(h, collection_type, parts.data(), static_cast<unsigned>(parts.size()));
    if (!c) {
        cleanup();
        fail("cannot make collection");
    }
    return GeomPtr(c);
}

Geometry from_geos(const GEOSGeometry* g) {
    GEOSContextHandle_t h = context();
    Geometry tmp;
    collect(h, g, tmp);
    Geometry out;
    if (!tmp.polygons.empty()) {
        out.polygons = std::move(tmp.polygons);
        out.type = out.polygons.size() == 1 ? GeomType::Polygon : GeomType::MultiPolygon;
    } else if (!tmp.lines.empty()) {
        out.lines = std::move(tmp.lines);
        out.type = out.lines.size() == 1 ? GeomType::LineString : GeomType::MultiLineString;
    } else if (!tmp.points.empty()) {
        out.points = std::move(tmp.points);
        out.type = out.points.size() == 1 ? GeomType::Point : GeomType::MultiPoint;
    }
    return out;
}

PreparedPtr prepare(const GEOSGeometry* g) {
    const GEOSPreparedGeometry* p = GEOSPrepare_r(context(), g);
    if (!p) fail("cannot prepare geometry");
    return PreparedPtr(p);
}

}  // namespace hq::geos
