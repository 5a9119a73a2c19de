#pragma once
// The whole window as last drawn (map + ImGui) in an offscreen framebuffer. When neither
// the UI's draw data nor the map changed, a frame is one copy of that image instead of
// software-rasterising every panel, glyph and label again: under Xvfb/llvmpipe ImGui's
// ~2–8k vertices (panels, the legend, labels with their halos) cost about 8 ms a frame,
// two thirds of a Shuhan steady frame (bench/README.md). Needs a current GL 3.3 context.
#include <cstdint>

#include "app/view/camera.hpp"

struct ImDrawData;

namespace hq::view {

/// A hash of everything ImGui will draw: vertices, indices, commands, clip rectangles,
/// textures. Equal hashes mean an identical UI image (barring a 64-bit collision).
std::uint64_t hash_draw_data(const ImDrawData* data);

/// What a frame's image depends on besides the UI.
struct FrameKey {
    std::uint64_t ui = 0;
    std::uint64_t map_generation = 0;  ///< MapRenderer::generation()
    Camera camera;
    bool dragging = false;
    bool has_map = false;
    int width = 0, height = 0;
    bool zooming = false;  ///< a zoom in progress may show a scaled preview of the map
    friend bool operator==(const FrameKey&, const FrameKey&) = default;
};

class FrameCache {
public:
    FrameCache() = default;
    FrameCache(const FrameCache&) = delete;
    FrameCache& operator=(const FrameCache&) = delete;

    /// True when `key` matches the stored frame: copies it to the window's back buffer.
    bool present_cached(const FrameKey& key);
    /// True when the previous frame had this key: the UI has settled, so this frame is worth
    /// drawing offscreen and keeping. While things change (a drag, a progress bar) frames
    /// are drawn straight to the back buffer, without the extra copy.
    [[nodiscard]] bool repeated(const FrameKey& key) const { return m_has_prev && key == m_prev; }
    /// A frame drawn straight to the back buffer: remembers its key (after drawing).
    void skip(const FrameKey& key) {
        m_prev = key;
        m_has_prev = true;
        ++drawn;
    }
    /// Binds the offscreen framebuffer (sized to the key) for drawing the frame; returns it.
    unsigned begin(const FrameKey& key);
    /// Copies the drawn frame to the back buffer and remembers `key` (the key with the map
    /// generation after drawing).
    void end(const FrameKey& key);
    void shutdown();
    /// Forces the next frame to be drawn (e.g. the font atlas was rebuilt in place).
    void invalidate() { m_valid = false; }
    std::uint64_t reused = 0, drawn = 0;

private:
    void copy_to_window() const;  ///< the stored frame onto the window's back buffer
    unsigned m_fbo = 0, m_tex = 0;
    int m_w = 0, m_h = 0;
    bool m_valid = false;
    FrameKey m_key;
    bool m_has_prev = false;
    FrameKey m_prev;
};

}  // namespace hq::view
