#pragma once
// Chinese web-map coordinates: GCJ-02 ("Mars coordinates", used by AMap/Gaode, Tencent and
// Google Maps in China) and BD-09 (Baidu Maps). Neither is a CRS that PROJ knows: GCJ-02 is
// WGS 84 lon/lat shifted by a published, deliberately irregular function of position
// (hundreds of metres), and BD-09 is a further shift of GCJ-02. See docs/crs.md.
//
// The forward functions follow the published algorithm as every open implementation has it
// (e.g. googollee/eviltransform; ellipsoid a = 6378245, e² = 0.00669342162296594323). The
// inverses are iterative (fixed-point on the forward function) and reach < 1e-9 degrees
// (about 0.1 mm), far inside the 0.5 m the convention needs. Points outside the rough
// bounding box of China are returned unchanged, as the convention says.
#include <optional>
#include <string>

#include "geo/geometry/types.hpp"

namespace hq {

enum class WebDatum : std::uint8_t { Wgs84, Gcj02, Bd09 };

/// "GCJ-02"/"GCJ02"/"gcj02" → Gcj02, "BD-09"/"BD09"/"bd09" → Bd09, "WGS84"/"WGS 84" → Wgs84;
/// anything else → nullopt (then the text is a CRS for Crs::from_user_input).
std::optional<WebDatum> web_datum_from_name(const std::string& name);
const char* web_datum_name(WebDatum d);

/// True outside the rectangle 72.004–137.8347°E, 0.8293–55.8271°N, where the shift is not
/// applied by convention (it covers more than China: points there are shifted all the same).
bool outside_china(Vec2 lonlat);

Vec2 wgs84_to_gcj02(Vec2 lonlat);
Vec2 gcj02_to_wgs84(Vec2 lonlat);
Vec2 gcj02_to_bd09(Vec2 lonlat);
Vec2 bd09_to_gcj02(Vec2 lonlat);
Vec2 wgs84_to_bd09(Vec2 lonlat);
Vec2 bd09_to_wgs84(Vec2 lonlat);

/// From `from` to WGS 84 (identity for Wgs84).
Vec2 web_datum_to_wgs84(WebDatum from, Vec2 lonlat);
/// Every point of `g`, in place.
void web_datum_to_wgs84(WebDatum from, Geometry& g);

}  // namespace hq
