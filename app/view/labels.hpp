#pragma once
// Map labels on the canvas: their size on screen and the record of a frame's labels
// (UiState::drawn_labels; the screenshot sidecar lists them). Placement is carto's (app/carto/labels.hpp), the same
// rule as the exported maps. Header-only, no GL or ImGui.
#include <algorithm>
#include <string>
#include <vector>

#include "app/carto/scene.hpp"

namespace hq::view {

/// The smallest map label on screen, pixels (issue 13: 8 px Chinese labels could not be read).
inline constexpr float kMinLabelPx = 12.0f;
/// The halo around a label's glyphs, pixels.
inline constexpr float kLabelHaloPx = 1.5f;

/// A label's font size on screen: its point size at 96 dpi, at least kMinLabelPx.
inline float label_px(const carto::Label& l) { return std::max(kMinLabelPx, l.size_pt * 96.0f / 72.0f); }

/// A label drawn in the last frame: its text and its box with the halo (screen pixels, y down).
struct DrawnLabel {
    std::string text;
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

}  // namespace hq::view
