#pragma once
// Small GDAL helpers shared by the readers and writers in geo/ (internal).
#include <memory>
#include <string>

#include <cpl_error.h>
#include <gdal.h>
#include <gdal_priv.h>

#include "geo/core/error.hpp"
#include "geo/core/text.hpp"

namespace hq::detail {

/// An InputError naming the file.
inline InputError file_error(const std::string& path, const std::string& message) {
    ErrorContext c;
    c.file = path;
    return InputError(c, message);
}

/// GDAL's last error message as ": message" on one line, or "" when there is none.
inline std::string gdal_message() {
    const char* m = CPLGetLastErrorMsg();
    return (m && *m) ? std::string(": ") + one_line(m) : std::string();
}

/// Closes a GDAL dataset held by a C++ pointer or a C handle.
struct GdalCloser {
    void operator()(GDALDataset* ds) const noexcept {
        if (ds) GDALClose(GDALDataset::ToHandle(ds));
    }
    void operator()(void* handle) const noexcept {
        if (handle) GDALClose(static_cast<GDALDatasetH>(handle));
    }
};
using GdalDatasetPtr = std::unique_ptr<GDALDataset, GdalCloser>;  ///< C++ API
using GdalHandlePtr = std::unique_ptr<void, GdalCloser>;           ///< C API

}  // namespace hq::detail
