#pragma once
// An intervention zone: a proposed or existing place where residents of different groups
// may meet (a shared activity venue, a micro-garden, a festival site...), drawn by a
// planner. Geometry is polygonal and in the project's metric CRS (metres).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "geo/crs/crs.hpp"
#include "geo/geometry/types.hpp"
#include "geo/io/layer.hpp"

namespace hq::plan {

enum class ZoneKind : std::uint8_t {
    SharedActivityVenue,
    MicroGarden,
    FestivalSite,
    MerchantsAlliance,
    MixedHousing,
    PartyServicePoint,
    Other,
};
inline constexpr ZoneKind all_zone_kinds[] = {ZoneKind::SharedActivityVenue, ZoneKind::MicroGarden,
                                              ZoneKind::FestivalSite,        ZoneKind::MerchantsAlliance,
                                              ZoneKind::MixedHousing,        ZoneKind::PartyServicePoint,
                                              ZoneKind::Other};

/// "shared_activity_venue", "micro_garden", "festival_site", "merchants_alliance",
/// "mixed_housing", "party_service_point", "other".
const char* zone_kind_id(ZoneKind k);
const char* zone_kind_zh(ZoneKind k);  ///< 共享活动场所, 微花园, ...
const char* zone_kind_en(ZoneKind k);  ///< "shared activity venue", ...
/// From an id (as above; case-insensitive, '-' or ' ' accepted for '_'); nullopt if unknown.
std::optional<ZoneKind> zone_kind_from_id(const std::string& s);

struct Zone {
    std::string id;        ///< unique within a project ("Z-1", ...)
    Geometry geometry;     ///< Polygon or MultiPolygon, metric CRS
    std::string name_zh;
    std::string name_en;
    ZoneKind kind = ZoneKind::Other;
    std::string status;    ///< free text: "proposed", "approved", "built", ...
    std::string owner;
    std::optional<double> budget;  ///< CNY
    std::string start_date;        ///< ISO 8601 "YYYY-MM-DD" or ""
    std::string end_date;
    std::string notes;
};

/// Same type and the same coordinates within `tolerance` (exact when 0), ring by ring.
bool same_geometry(const Geometry& a, const Geometry& b, double tolerance = 0.0);
/// Every attribute equal and the geometry the same (exactly).
bool operator==(const Zone& a, const Zone& b);

/// The attribute columns of a zones layer, in order: id, name_zh, name_en, kind, status,
/// owner, budget (Real), start_date, end_date (Date), notes.
std::vector<Field> zone_fields();

/// Zones as a layer: `metric` = the zone geometry, `display` = transformed to WGS 84 with
/// `metric_crs` (or a copy when the CRS is unknown, i.e. planar data).
Layer zones_to_layer(const std::vector<Zone>& zones, const Crs& metric_crs, const std::string& name = "zones");

/// Zones from a georeferenced polygon layer (e.g. a project's zones role, or any polygon
/// file): the columns of zone_fields() are used when present (missing ones stay empty; an
/// unknown kind becomes Other with a warning); ids are the layer's feature ids.
/// Throws InputError naming the feature for a non-polygonal geometry, a bad date or a
/// negative or non-numeric budget.
std::vector<Zone> zones_from_layer(const Layer& layer, std::vector<std::string>* warnings = nullptr);

/// Checks a date string: "" or a valid ISO "YYYY-MM-DD".
bool is_iso_date(const std::string& s);

}  // namespace hq::plan
