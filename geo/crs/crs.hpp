#pragma once
// Coordinate reference systems through GDAL/PROJ, with the axis-order traps handled:
// every OGRSpatialReference is set to OAMS_TRADITIONAL_GIS_ORDER (x = lon/easting).
#include <memory>
#include <string>

#include "geo/geometry/types.hpp"

namespace hq {

/// A CRS as plain data. `wkt` empty means "no CRS" (planar, unknown units).
struct Crs {
    std::string wkt;       ///< WKT2 of the CRS, empty when the data has none
    std::string name;      ///< e.g. "WGS 84 / UTM zone 48N"
    int epsg = 0;          ///< 0 when unknown
    bool geographic = false;

    [[nodiscard]] bool known() const { return !wkt.empty(); }
    /// "EPSG:32648 (WGS 84 / UTM zone 48N)" or "none (planar)".
    [[nodiscard]] std::string label() const;

    static Crs wgs84();
    /// From a WKT definition (as exported by GDAL). Throws InputError on failure.
    static Crs from_wkt(const std::string& wkt);
    /// From "EPSG:n", a WKT string or anything OGRSpatialReference::SetFromUserInput takes
    /// (network and file lookups are disabled). Throws InputError on failure.
    static Crs from_user_input(const std::string& text);
    /// The UTM zone (WGS 84) containing lon/lat, north or south.
    static Crs utm_for(double lon, double lat);
};

/// A coordinate transformation between two known CRSs (traditional GIS axis order).
class Transformer {
public:
    Transformer(const Crs& from, const Crs& to);
    ~Transformer();
    Transformer(Transformer&&) noexcept;
    Transformer& operator=(Transformer&&) noexcept;
    Transformer(const Transformer&) = delete;
    Transformer& operator=(const Transformer&) = delete;

    /// Transforms in place. Throws InputError if any point fails.
    void apply(Geometry& g) const;
    [[nodiscard]] Vec2 apply(Vec2 p) const;
    /// Transforms n points in place; returns false if any fails.
    bool apply(double* x, double* y, std::size_t n) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace hq
