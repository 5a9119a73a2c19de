#pragma once
// Coordinate reference systems through GDAL/PROJ, with the axis-order traps handled:
// every OGRSpatialReference is set to OAMS_TRADITIONAL_GIS_ORDER (x = lon/easting).
#include <memory>
#include <optional>
#include <string>

#include "geo/geometry/types.hpp"

namespace hq {

/// A CRS as plain data. `wkt` empty means "no CRS" (planar, unknown units).
struct Crs {
    std::string wkt;       ///< WKT2 of the CRS, empty when the data has none
    std::string name;      ///< e.g. "WGS 84 / UTM zone 48N"
    int epsg = 0;          ///< 0 when unknown
    bool geographic = false;
    double linear_unit_m = 0;  ///< metres per unit of a projected CRS (1 for metres); 0 otherwise
    bool geocentric = false;       ///< earth-centred X/Y/Z (e.g. EPSG:4978): no map plane
    std::string unit_name;         ///< unit of a projected CRS: "metre", "US survey foot", "kilometre"...

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
    /// The CGCS2000 3-degree Gauss–Krüger zone (no zone prefix, EPSG:4534–4554: central
    /// meridians 75°E–135°E) nearest to `lon`; nullopt outside 73.5°E–136.5°E.
    static std::optional<Crs> cgcs2000_gk3_for(double lon);

    /// Projected, in metres.
    [[nodiscard]] bool projected_in_metres() const { return known() && !geographic && linear_unit_m == 1.0; }

    /// Why this CRS cannot be the metric CRS areas and distances are measured in ("" when
    /// it can): geographic (degrees), geocentric, or a projected CRS whose unit is not the
    /// metre (US feet would make areas ×10.76 and a 150 m band 150 ft).
    [[nodiscard]] std::string metric_problem() const;
};

/// The linear scale error |k − 1| of a projected CRS at `lonlat` (WGS 84), measured from
/// the projected lengths of two short ground steps (east and north, on the WGS 84
/// ellipsoid); the larger of the two. 0.0004 for UTM on its central meridian; about 0.011
/// for CGCS2000 GK CM 114°E (EPSG:4547) at Chengdu. Throws InputError when the CRS
/// cannot project the point.
double scale_error_at(const Crs& projected, Vec2 lonlat);

/// The scale error above which a metric CRS is too far from the data to measure with
/// (0.1 % in lengths, 0.2 % in areas).
inline constexpr double kMaxScaleError = 0.001;

/// "use EPSG:4544 (CGCS2000 / 3-degree Gauss-Kruger CM 105E) or EPSG:32648 (WGS 84 / UTM
/// zone 48N)": the CRSs that suit data at `lonlat`, for a message.
std::string suggested_metric_crs_text(Vec2 lonlat);

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
