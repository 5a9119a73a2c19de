#pragma once
// RAII at the GEOS edge: the reentrant C API (`_r`), one context per thread.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <memory>

#include "geo/geometry/types.hpp"

namespace hq::geos {

/// The calling thread's GEOS context (created on first use, destroyed at thread exit).
GEOSContextHandle_t context();

struct GeomDeleter {
    void operator()(GEOSGeometry* g) const noexcept;
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
    void operator()(const GEOSPreparedGeometry* g) const noexcept;
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

/// Our value type to a GEOS geometry. Throws std::runtime_error if GEOS refuses it
/// (e.g. a ring with fewer than 4 points).
GeomPtr to_geos(const Geometry& g);
/// A GEOS geometry back to our value type (collections are flattened by dimension:
/// polygons win over lines over points).
Geometry from_geos(const GEOSGeometry* g);

PreparedPtr prepare(const GEOSGeometry* g);

/// The message of the last GEOS error on this thread ("" if none).
std::string last_error();

}  // namespace hq::geos
