#pragma once
// Small ImGui helpers shared by several panels (one copy each): a modal dialog centred on the
// window, and a polygon's outline on the map canvas.
#include "app/view/camera.hpp"
#include "geo/geometry/types.hpp"

struct ImDrawList;

namespace hq::view {

/// Opens the modal popup `id` once when `open_flag` is set (and clears it), centred on the
/// window; true while it is open (then draw it and call ImGui::EndPopup).
bool begin_modal(const char* id, bool& open_flag);

/// Every ring of a polygonal geometry as a closed polyline in screen pixels.
void outline_polygon(ImDrawList* dl, const Camera& cam, const Geometry& g, unsigned col, float thickness);

}  // namespace hq::view
