#include "geo/io/ogr_convert.hpp"

namespace hq::detail {

OGRPolygon* make_ogr_polygon(const Polygon& p) {
    auto* poly = new OGRPolygon();
    for (const auto& r : p.rings) {
        auto* ring = new OGRLinearRing();
        ring->setNumPoints(static_cast<int>(r.size()), FALSE);
        for (std::size_t i = 0; i < r.size(); ++i) ring->setPoint(static_cast<int>(i), r[i].x, r[i].y);
        poly->addRingDirectly(ring);
    }
    return poly;
}

OGRLineString* make_ogr_line(const Path& l) {
    auto* line = new OGRLineString();
    line->setNumPoints(static_cast<int>(l.size()), FALSE);
    for (std::size_t i = 0; i < l.size(); ++i) line->setPoint(static_cast<int>(i), l[i].x, l[i].y);
    return line;
}

OGRFieldType ogr_field_type(FieldType t) {
    switch (t) {
        case FieldType::Integer: return OFTInteger64;
        case FieldType::Real: return OFTReal;
        case FieldType::String: return OFTString;
        case FieldType::Date: return OFTDate;
    }
    return OFTString;
}

}  // namespace hq::detail
