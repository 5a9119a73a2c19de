#pragma once
// The GPU-ready form of a scene, built off the UI thread: polygons triangulated (cached
// per feature), outlines and lines extruded into triangles whose width is a pixel offset
// applied in the vertex shader (STACK.md trap 6: no wide lines), pies and point symbols as
// triangle fans in pixel offsets around a world anchor. Vertices are floats relative to a
// local origin subtracted in double (trap 3). No GL here: this is plain data.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/carto/scene.hpp"
#include "geo/core/progress.hpp"
#include "geo/geometry/simplify.hpp"

namespace hq::view {

struct MapVertex {
    float x = 0, y = 0;      ///< world position minus the mesh origin
    float ox = 0, oy = 0;    ///< offset in pixels (y up), added after scaling
    std::uint32_t rgba = 0;  ///< bytes r, g, b, a in memory order
    float lod = 0;           ///< > 0: feature size in world units; hidden below the LOD pixel size
    float hatch = 0;         ///< 1: draw with diagonal hatching
};
static_assert(sizeof(MapVertex) == 28);

std::uint32_t pack_color(const carto::Color& c, float alpha_scale = 1.0f);
/// "#rrggbb" -> colour (grey on a malformed string).
carto::Color color_from_hex(const std::string& hex);

/// A simplified level of a batch's polygons (level of detail, lod.hpp): fills and outlines
/// of the geometry simplified at `tolerance` world units, outlines sorted as in MeshBatch.
struct MeshLod {
    double tolerance = 0;
    std::vector<MapVertex> fills;
    std::vector<MapVertex> strokes;
};

/// One layer of the map as the layers panel shows it. `key` is stable across scenes
/// ("role:units", "raster", "lines", "pies", "points:venues", "file:PATH").
struct MeshBatch {
    std::string key;
    std::string name_zh, name_en;
    std::vector<MapVertex> fills;    ///< triangles
    std::vector<MapVertex> strokes;  ///< triangles (outlines and lines), sorted by lod, largest first
    std::vector<MapVertex> symbols;  ///< triangles (pies, point symbols), drawn last
    /// Simplified levels of fills and strokes, coarsest first (the two above are the full
    /// geometry); a level that would save less than a fifth of the next finer one is left out.
    std::vector<MeshLod> lods;
    bool raster = false;  ///< the scene's raster overlay (no vertices)
    /// A raster basemap (key "basemap:PATH"): drawn as a texture, no vertices.
    std::shared_ptr<const carto::RasterOverlay> image;
};

/// For picking: the polygons of the scene with their boxes.
struct PickEntry {
    Box bounds;
    std::uint32_t polygon = 0;  ///< index in Scene::polygons
};

struct MapMesh {
    Vec2 origin;
    std::vector<MeshBatch> batches;  ///< bottom to top
    std::vector<PickEntry> picks;
    std::size_t triangles = 0;
    std::vector<std::size_t> lod_levels;  ///< TessCache levels the batches' `lods` hold, coarsest first
    double build_ms = 0;                  ///< wall time of build_mesh (bench: where the first frame goes)
};

/// A geometry simplified for one level of detail, with its triangles.
struct LodShape {
    Geometry geometry;
    std::vector<float> triangles;
};

/// Triangles per geometry, shared by the scenes of one project (changing the map mode
/// only recolours). Keyed by geometry address: holds the project so addresses stay valid.
/// Also the simplified levels: the coverage's nodes are found once over every polygon
/// layer of the project, so neighbours in any layer simplify to the same shared edges.
class TessCache {
public:
    /// Clears the cache when the project or origin changes.
    void reset_for(std::shared_ptr<const Project> project, Vec2 origin);
    [[nodiscard]] std::shared_ptr<const std::vector<float>> get(const Geometry* g);
    [[nodiscard]] Vec2 origin() const;
    /// Tolerances of the simplified levels (lod_tolerances of the project's polygon extent),
    /// coarsest first. The coverage's nodes are found on the first get_lod() only.
    [[nodiscard]] std::vector<double> lod_tolerances();
    /// `g` simplified at level `level` (an index into lod_tolerances()), cached.
    [[nodiscard]] std::shared_ptr<const LodShape> get_lod(const Geometry* g, std::size_t level);

private:
    void ensure_nodes();
    mutable std::mutex m_mutex;
    std::mutex m_nodes_mutex;
    std::shared_ptr<const Project> m_project;
    Vec2 m_origin;
    std::unordered_map<const Geometry*, std::shared_ptr<const std::vector<float>>> m_map;
    std::shared_ptr<const CoverageNodes> m_nodes;
    std::vector<double> m_tolerances;
    std::vector<std::unordered_map<const Geometry*, std::shared_ptr<const LodShape>>> m_lod;
};

/// Builds the mesh of a scene (parallel triangulation through `cache`).
MapMesh build_mesh(const carto::Scene& scene, TessCache& cache, const Progress& progress = {});

/// A mesh batch for a vector file the user added (single colour, outlines, points).
MeshBatch build_file_batch(const Layer& layer, Vec2 origin, const std::string& key, carto::Color color);

/// The thinnest outline or line drawn, in window pixels. The map is drawn without
/// antialiasing, so a quad narrower than a pixel covers only the pixel centres it happens to
/// straddle: a 0.6 px courtyard outline came out as dashes on about two thirds of its length.
/// At least one pixel wide, every column (or row) the segment crosses has a covered centre.
inline constexpr float kMinStrokePx = 1.0f;

/// Number of segments of non-zero length of a path (a closed ring: including the closing one).
std::size_t path_segments(const std::vector<Vec2>& path, bool closed);
/// Writes the extruded segments (6 vertices each, path_segments() of them) at `out`;
/// returns the end. `width_px` must be > 0; it is drawn at least kMinStrokePx wide. With `owned`, a cursor over one flag per
/// segment of non-zero length (advanced here), only the flagged segments are written.
MapVertex* extrude_path_into(const std::vector<Vec2>& path, bool closed, Vec2 origin, float width_px,
                             std::uint32_t rgba, float lod, MapVertex* out, const char** owned = nullptr);
/// Appends a pixel-wide extruded polyline (square caps) to `out`.
void extrude_path(const std::vector<Vec2>& path, bool closed, Vec2 origin, float width_px, std::uint32_t rgba,
                  float lod, std::vector<MapVertex>& out);

}  // namespace hq::view
