#pragma once
// Writing a hq::Layer to GeoJSON (RFC 7946, WGS 84 lon/lat) or GeoPackage through GDAL/OGR,
// atomically (temporary file in the same folder, then rename).
#include <cstdint>
#include <string>
#include <string_view>

#include "geo/core/progress.hpp"
#include "geo/crs/crs.hpp"
#include "geo/io/layer.hpp"

namespace hq {

enum class VectorFormat : std::uint8_t { Auto, GeoJSON, GeoPackage };
enum class GeometrySource : std::uint8_t { Display, Metric };

struct WriteOptions {
    VectorFormat format = VectorFormat::Auto;  ///< Auto: from the extension (.geojson/.json, .gpkg)
    /// GeoPackage only: write `layer.metric` (in `metric_crs`) or `layer.display` (WGS 84, or
    /// no CRS when the layer is planar). GeoJSON always writes `display`.
    GeometrySource geometry = GeometrySource::Metric;
    Crs metric_crs;          ///< CRS of layer.metric; unknown = written without a CRS
    std::string layer_name;  ///< "" = the table's name, else the file's stem
    /// The feature ids are written as a String column of this name unless the table already
    /// has a column so named ("" = never).
    std::string id_field = "id";
};

/// Writes the layer: fields typed Integer64, Real, String, Date (ISO "YYYY-MM-DD" strings);
/// non-finite reals are written as null. Throws InputError naming `path` (and feature and
/// field where it applies) on failure, leaving no partial file; hq::Cancelled when cancelled.
void write_layer(const Layer& layer, const std::string& path, const WriteOptions& options = {},
                 const Progress& progress = {});

/// Writes `bytes` to `path` through a temporary file renamed over it (never a half file);
/// throws InputError naming the path: folder missing, not writable, or disk full.
void write_file_atomic(const std::string& path, std::string_view bytes);

/// The format `path`'s extension implies; throws InputError for an unknown extension.
VectorFormat vector_format_for(const std::string& path);

namespace detail {

/// A temporary file next to `path` ("DIR/.NAME.tmp-PID-N.EXT"), removed by the destructor
/// unless commit() renamed it over `path`.
class AtomicFile {
public:
    explicit AtomicFile(std::string path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    [[nodiscard]] const std::string& temp_path() const { return m_temp; }
    [[nodiscard]] const std::string& path() const { return m_path; }
    /// Renames the temporary file over the target; throws InputError naming the target.
    void commit();
    /// Removes the temporary file (and SQLite side files) now.
    void discard() noexcept;

private:
    std::string m_path;
    std::string m_temp;
    bool m_committed = false;
};

}  // namespace detail

}  // namespace hq
