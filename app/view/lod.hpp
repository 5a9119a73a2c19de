#pragma once
// Level of detail for polygon fills and outlines (issue 5 §2): a few precomputed levels of
// shared-edge-aware simplification (geo/geometry/simplify.hpp), each with its tolerance in
// world units, and the choice of the level to draw at a scale, so that no more than about
// a pixel's worth of detail is drawn. GL-free: tested directly.
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq::view {

/// Tolerances of the simplified levels for data spanning `extent`, coarsest first: the
/// coarsest is a pixel when the whole extent spans 1000 pixels (a fitted window), each next
/// one 4 times finer (4 wheel steps of 1.25 ≈ 2.4×, so a level serves about 6 steps).
/// Empty for an empty extent.
std::vector<double> lod_tolerances(const Box& extent, int levels = 2);

/// The level to draw at `scale` (framebuffer pixels per world unit) among levels with the
/// given tolerances (coarsest first): the coarsest whose tolerance is at most `max_px`
/// pixels on screen, or -1 for the full geometry when none is fine enough.
int choose_lod(const std::vector<double>& tolerances, double scale, double max_px = 1.0);

}  // namespace hq::view
