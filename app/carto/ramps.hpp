#pragma once
// Colour ramps: ColorBrewer sequential and diverging schemes (Cynthia Brewer,
// colorbrewer2.org, the 9-class sequential and 11-class diverging lists) and matplotlib's
// viridis (11 stops at 0, 0.1, ..., 1). Between stops colours are interpolated linearly in
// sRGB; n classes sample the ramp at i/(n − 1), both ends included.
#include <string>
#include <vector>

#include "app/carto/scene.hpp"

namespace hq::carto {

/// Ramp names: "viridis", "YlOrRd", "Reds", "Blues", "Greens", "Purples", "OrRd",
/// "YlGnBu", "RdBu", "RdYlBu", "BrBG", "PuOr"; a "_r" suffix reverses. Case-insensitive.
const std::vector<std::string>& ramp_names();
bool is_ramp(const std::string& name);
/// The colour at t in [0, 1] (clamped). Throws InputError on an unknown name.
Color ramp_at(const std::string& name, double t);
/// n colours evenly spaced from the low end to the high end (both included; n = 1: middle).
std::vector<Color> ramp_colors(const std::string& name, int n);
/// The ramp's defining stops, low to high.
std::vector<Color> ramp_stops(const std::string& name);

/// A categorical palette (ColorBrewer Set1 + Dark2, 16 colours), cycled.
Color categorical_color(std::size_t i);

}  // namespace hq::carto
