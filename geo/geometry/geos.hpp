#pragma once
// RAII at the GEOS edge: the reentrant C API (`_r`), one context per thread.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <cstddef>
#include <memory>
#include <stdexcept>

#include "geo/core/error.hpp"
#include "geo/geometry/types.hpp"

namespace hq::geos {

/// A GEOS operation failed or GEOS refused a geometry; what() carries GEOS's message. Code
/// that works on feature i turns it into an InputError naming i (at_feature), and code that
/// knows the layer adds its file (hq::with_layer_context, geo/io/layer.hpp).
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Runs f() on behalf of feature i: a geos::Error becomes InputError{feature = i} with
/// GEOS's message.
template <class F>
decltype(auto) at_feature(std::size_t i, F&& f) {
    try {
        return f();
    } catch (const Error& e) {
        throw InputError(ErrorContext{.feature = i}, e.what());
    }
}

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

/// Our value type to a GEOS geometry. Throws geos::Error if GEOS refuses it
/// (e.g. a ring with fewer than 4 points).
GeomPtr to_geos(const Geometry& g);
/// A GEOS geometry back to our value type (collections are flattened by dimension:
/// polygons win over lines over points).
Geometry from_geos(const GEOSGeometry* g);

PreparedPtr prepare(const GEOSGeometry* g);

/// The message of the last GEOS error on this thread ("" if none).
std::string last_error();

}  // namespace hq::geos
