#pragma once
// Internal: our value types to OGR, shared by the layer writer and the GeoPackage project.
#include <ogr_core.h>
#include <ogr_geometry.h>

#include "geo/geometry/types.hpp"
#include "geo/io/layer.hpp"

namespace hq::detail {

/// A new OGR polygon (caller owns it) with every ring of `p`.
OGRPolygon* make_ogr_polygon(const Polygon& p);
/// A new OGR line string (caller owns it).
OGRLineString* make_ogr_line(const Path& l);
/// The OGR field type a column is written as (integers as Integer64).
OGRFieldType ogr_field_type(FieldType t);

}  // namespace hq::detail
