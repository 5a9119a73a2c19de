#pragma once
// The drawing and editing logic of the map tools, without any GL: the viewer feeds it map
// coordinates (metric CRS, metres) and draws what it says. Tolerances are in metres; the
// viewer converts its pixel tolerance with the current scale.
#include <cstdint>
#include <optional>
#include <vector>

#include "geo/geometry/ops.hpp"
#include "geo/geometry/spatial_index.hpp"
#include "geo/geometry/types.hpp"

namespace hq::edit {

// [SECTION] Polygon drawing ------------------------------------------------------------------

enum class EscapeResult : std::uint8_t {
    Nothing,            ///< nothing was being drawn
    Cancelled,          ///< the polygon being drawn was discarded
    NeedsConfirmation,  ///< more than 3 vertices: ask first (confirm_cancel / keep_drawing)
};

/// Click vertices; Enter (or a double click) finishes; Backspace removes the last vertex;
/// Esc cancels only the polygon being drawn, after asking when it has more than 3 vertices.
class PolygonDrawing {
public:
    [[nodiscard]] bool drawing() const { return !m_vertices.empty(); }
    [[nodiscard]] bool needs_confirmation() const { return m_confirming; }
    [[nodiscard]] const std::vector<Vec2>& vertices() const { return m_vertices; }

    /// Adds a vertex. A click on the last vertex again (a double click) is ignored and
    /// returns false. While a confirmation is pending, a click is ignored.
    bool add_vertex(Vec2 p);
    /// Backspace: removes the last vertex; false when there is none.
    bool remove_last_vertex();
    /// Enter: with at least 3 distinct vertices, returns the closed polygon and resets;
    /// otherwise nullopt and the drawing continues.
    std::optional<Geometry> finish();
    /// Esc. With 1–3 vertices: Cancelled. With more: NeedsConfirmation (vertices kept). Esc
    /// again while the question is shown dismisses it (Nothing; vertices kept).
    EscapeResult escape();
    /// Answer to the confirmation: discard the polygon ...
    void confirm_cancel();
    /// ... or keep drawing.
    void keep_drawing() { m_confirming = false; }

private:
    std::vector<Vec2> m_vertices;
    bool m_confirming = false;
};

// [SECTION] Shapes ---------------------------------------------------------------------------

/// The axis-aligned rectangle with corners a and b (counter-clockwise ring). Throws
/// InputError when it has no area.
Geometry rectangle(Vec2 a, Vec2 b);
/// A circle as a regular polygon of `segments` vertices (at least 8) around `centre`, the
/// vertices on the circle (radius in metres; area (n/2)·r²·sin(2π/n), 0.16% under πr² for
/// n = 64). Throws InputError for a radius ≤ 0.
Geometry circle(Vec2 centre, double radius, int segments = 64);
/// A polygon at distance `metres` around any geometry (a venue point, a courtyard, a street).
/// Throws InputError for metres ≤ 0 or an empty result.
Geometry buffer_feature(const Geometry& g, double metres, int quadrant_segments = 8);
/// Every vertex moved by d.
Geometry translate(const Geometry& g, Vec2 d);

// [SECTION] Vertex editing -------------------------------------------------------------------

/// A vertex of a polygonal geometry: ring `ring` of polygon `polygon`, vertex `index` in
/// [0, ring size − 1) (the closing vertex is the same as vertex 0).
struct VertexRef {
    std::size_t polygon = 0, ring = 0, index = 0;
    friend bool operator==(const VertexRef&, const VertexRef&) = default;
};
/// A point on the edge from vertex `index` to `index + 1`.
struct EdgeHit {
    VertexRef edge;
    Vec2 point;
    double distance = 0.0;
};

/// The vertex nearest to p within `tolerance` (ties: the first).
std::optional<VertexRef> nearest_vertex(const Geometry& g, Vec2 p, double tolerance);
/// The edge nearest to p within `tolerance`, with the closest point on it.
std::optional<EdgeHit> nearest_edge(const Geometry& g, Vec2 p, double tolerance);
/// Moves a vertex (vertex 0 moves the closing vertex too). Throws InputError for a bad ref.
Geometry move_vertex(const Geometry& g, VertexRef v, Vec2 p);
/// Inserts p after vertex `edge.index` (on the edge to the next vertex).
Geometry insert_vertex(const Geometry& g, VertexRef edge, Vec2 p);
/// Deletes a vertex; throws InputError if the ring would keep fewer than 3 vertices.
Geometry delete_vertex(const Geometry& g, VertexRef v);

// [SECTION] Snapping -------------------------------------------------------------------------

struct SnapResult {
    enum class Kind : std::uint8_t { Vertex, Edge };
    Kind kind = Kind::Vertex;
    Vec2 point;
    std::size_t feature = 0;  ///< index in the target list
    double distance = 0.0;
};

/// Snaps to the vertices and edges of target features (courtyards, buildings, zones). A
/// vertex within the tolerance wins over any edge; otherwise the nearest edge point.
class Snapper {
public:
    Snapper() = default;
    explicit Snapper(std::vector<Geometry> targets);
    [[nodiscard]] std::optional<SnapResult> snap(Vec2 p, double tolerance) const;
    /// p itself when nothing is within the tolerance or snapping is off.
    [[nodiscard]] Vec2 snapped(Vec2 p, double tolerance) const;
    bool enabled = true;

private:
    std::vector<Geometry> m_targets;
    SpatialIndex m_index;
};

// [SECTION] Validity -------------------------------------------------------------------------

/// GEOS validity of a zone polygon ("Self-intersection[x y]" etc.), plus: polygonal, not empty.
Validity check_zone(const Geometry& g);
/// On request: GEOS MakeValid keeping the polygonal part. Throws InputError when no area is left.
Geometry repair_zone(const Geometry& g);

}  // namespace hq::edit
