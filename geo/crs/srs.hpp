#pragma once
// RAII for GDAL's spatial reference handles (internal to geo/: crs, io, project). One set of
// deleters for every OGRSpatialReference and OGRCoordinateTransformation we create.
#include <memory>
#include <string>

#include <cpl_conv.h>
#include <ogr_spatialref.h>

#include "geo/core/error.hpp"

namespace hq::detail {

/// OGRSpatialReference is reference counted: Release(), never delete.
struct SrsDeleter {
    void operator()(OGRSpatialReference* s) const noexcept {
        if (s) s->Release();
    }
};
using SrsPtr = std::unique_ptr<OGRSpatialReference, SrsDeleter>;

struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* t) const noexcept { OGRCoordinateTransformation::DestroyCT(t); }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

/// A string GDAL allocated with CPLMalloc (exportToWkt and friends).
struct CplFree {
    void operator()(char* p) const noexcept { CPLFree(p); }
};
using CplString = std::unique_ptr<char, CplFree>;

/// An SRS from WKT with x = lon/easting (OAMS_TRADITIONAL_GIS_ORDER); nullptr for an empty
/// WKT. InputError naming `where` when GDAL cannot read it.
inline SrsPtr srs_from_wkt(const std::string& wkt, const ErrorContext& where = {}) {
    if (wkt.empty()) return nullptr;
    SrsPtr srs(new OGRSpatialReference());
    if (srs->importFromWkt(wkt.c_str()) != OGRERR_NONE) throw InputError(where, "the CRS is not valid WKT");
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

/// The SRS as WKT2 (2019); "" when GDAL cannot export it.
inline std::string srs_to_wkt(const OGRSpatialReference& srs) {
    char* raw = nullptr;
    const char* opts[] = {"FORMAT=WKT2_2019", nullptr};
    const bool ok = srs.exportToWkt(&raw, opts) == OGRERR_NONE;
    const CplString wkt(raw);
    return ok && wkt ? std::string(wkt.get()) : std::string();
}

}  // namespace hq::detail
