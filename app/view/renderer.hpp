#pragma once
// OpenGL 3.3 core drawing of map meshes, with a cached map texture: the map is drawn into
// an offscreen texture that is redrawn only when the view or the data changes; while the
// user drags, the cached texture is shifted instead of redrawn when redrawing is slow.
#include <cstdint>
#include <string>
#include <vector>

#include "app/view/camera.hpp"
#include "app/view/mesh.hpp"

namespace hq::view {

/// One entry of the draw order (bottom to top).
struct DrawItem {
    const MeshBatch* batch = nullptr;
    float opacity = 1.0f;
};

struct RenderStats {
    double last_map_ms = 0;           ///< CPU time of the last redraw of the cached texture (incl. glFinish)
    bool redrawn = false;             ///< this frame redrew the cache
    std::size_t triangles = 0;        ///< uploaded (every level)
    std::size_t drawn_triangles = 0;  ///< submitted by the last redraw of the cache
    int lod_level = -1;               ///< level the last redraw used for polygons (-1: full geometry)
};

class MapRenderer {
public:
    MapRenderer() = default;
    ~MapRenderer();
    MapRenderer(const MapRenderer&) = delete;
    MapRenderer& operator=(const MapRenderer&) = delete;

    /// Needs a current GL 3.3 context. Loads shaders/*.glsl from `shader_dir`.
    bool init(const std::string& shader_dir, std::string& error);
    void shutdown();

    /// Replaces the GPU buffers: every batch in `batches` (pointers must stay valid until
    /// the next call), and the raster overlay (may be null).
    void upload(const std::vector<const MeshBatch*>& batches, Vec2 origin,
                const carto::RasterOverlay* raster);
    /// Marks the cached texture stale (layer visibility, opacity, order changed).
    void invalidate() {
        m_cache_valid = false;
        ++m_generation;
    }
    /// Changes whenever what draw() puts on screen may change for the same camera (upload,
    /// invalidate, a redraw of the cache): the viewer's frame cache compares it.
    [[nodiscard]] std::uint64_t generation() const { return m_generation; }
    /// The framebuffer draw() draws into (0: the window; the viewer's frame cache).
    unsigned target_framebuffer = 0;

    /// Draws the map into the canvas rectangle of the default framebuffer.
    /// `fb_scale`: framebuffer pixels per window pixel; `fb_height`: framebuffer height.
    /// `dragging`: the user is panning; the cache may be shifted instead of redrawn.
    /// `zooming`: the user is zooming (wheel or keys, in the last moments); when a redraw is
    /// slow (city scale) the cache is scaled instead (a preview, up to 8× either way) and the
    /// caller draws again once the zoom settles.
    void draw(const Camera& camera, const std::vector<DrawItem>& items, float fb_scale, int fb_height,
              bool dragging, bool zooming = false);
    /// The last draw() showed a scaled preview of the cache, not a fresh map.
    [[nodiscard]] bool previewing() const { return m_previewing; }

    [[nodiscard]] const RenderStats& stats() const { return m_stats; }
    /// Pixel size below which outlines are not drawn (level of detail).
    float lod_min_px = 3.0f;
    float background[3] = {0.957f, 0.949f, 0.933f};

private:
    struct GpuBatch {
        const MeshBatch* src = nullptr;
        unsigned vao = 0, vbo = 0;
        int fills_first = 0, fills_count = 0, strokes_first = 0, strokes_count = 0, symbols_first = 0,
            symbols_count = 0;
        unsigned tex = 0;  ///< basemap texture (MeshBatch::image)
        struct Level {
            double tolerance = 0;
            int fills_first = 0, fills_count = 0, strokes_first = 0, strokes_count = 0;
        };
        std::vector<Level> lods;  ///< MeshBatch::lods, coarsest first
    };
    /// A textured quad over `e` (metric CRS), row 0 of the texture at the top.
    void draw_raster(unsigned texture, const Box& e, const Camera& camera, double scale, int w, int h,
                     float opacity);
    void render_cache(const Camera& camera, const std::vector<DrawItem>& items, int w, int h, float fb_scale);
    void ensure_fbo(int w, int h);
    void draw_textured_quad(unsigned texture, const float clip_xy[8], const float uv[8], float opacity);
    void free_batches();

    unsigned m_map_program = 0, m_tex_program = 0;
    int u_center = -1, u_scale = -1, u_viewport = -1, u_min_px = -1, u_opacity = -1, u_px_ratio = -1;
    int u_tex = -1, u_tex_opacity = -1;
    unsigned m_quad_vao = 0, m_quad_vbo = 0;
    unsigned m_fbo = 0, m_fbo_tex = 0;
    int m_fbo_w = 0, m_fbo_h = 0;
    unsigned m_raster_tex = 0;
    Box m_raster_extent;
    float m_raster_opacity = 1.0f;
    std::vector<GpuBatch> m_batches;
    Vec2 m_origin;
    bool m_cache_valid = false;
    bool m_previewing = false;
    Camera m_cache_camera;
    float m_cache_fb_scale = 1.0f;
    RenderStats m_stats;
    std::uint64_t m_generation = 0;
};

/// Reads a whole file ("" and an error message when it cannot).
std::string read_text_file(const std::string& path, std::string& error);

}  // namespace hq::view
