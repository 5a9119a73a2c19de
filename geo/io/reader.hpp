#pragma once
// Reading vector files and tables through GDAL/OGR, with a driver allowlist and no
// network access.
#include <string>
#include <vector>

#include "geo/io/layer.hpp"

namespace hq {

struct ReadOptions {
    std::string layer;        ///< layer name in a multi-layer file; "" = the first
    std::string encoding;     ///< source encoding for Shapefile/CSV, e.g. "GBK"; "" = file's own (.cpg)
    std::string id_field;     ///< attribute holding the feature id; "" = "id" if present, else the FID
    std::string x_field;      ///< CSV: longitude / x column ("" = autodetect lon/lng/x/longitude)
    std::string y_field;      ///< CSV: latitude / y column
    std::string wkt_field;    ///< CSV: WKT geometry column ("" = autodetect wkt/geometry)
    std::string display_name; ///< how to name the file in messages ("" = the path)
    std::string where;        ///< an attribute filter (OGR SQL WHERE; for PostGIS run by the server), "" = all
    bool parallel = true;     ///< a large GeoPackage layer may be read by several threads (same result)
    bool arrow = true;        ///< GeoPackage/FlatGeobuf through GDAL's Arrow stream (same result, same messages)
};

/// Drivers huqian opens. Anything else is refused with a message. "PostgreSQL" opens only a
/// "PG:" source the user named (geo/io/postgis.hpp).
const std::vector<std::string>& allowed_vector_drivers();
const std::vector<std::string>& allowed_table_drivers();

/// Process-wide GDAL set-up (idempotent, thread-safe): registers drivers, disables
/// network access (every CPLHTTPFetch is refused, GDAL_HTTP_*, CPL_VSIL_CURL_*, PROJ
/// networking off), quiets GDAL's error handler. main() calls it, and so does every
/// function of geo/ that opens a file.
void init_gdal();

/// How many HTTP fetches GDAL asked for (and was refused) in this process. For tests.
std::size_t refused_network_fetches();

/// True for a path GDAL would read over the network or through a virtual file system:
/// /vsicurl/, /vsis3/, /vsigs/, /vsiaz/, /vsioss/, /vsiswift/, /vsiwebhdfs/, any /vsi...,
/// http(s)://, ftp://, any "scheme://", and database connection strings (PG:, MySQL:...).
bool is_remote_path(const std::string& path);

/// The checks every input file passes before anything opens it: not remote or virtual
/// (is_remote_path), exists, a regular file (a FIFO, device, socket or folder is refused:
/// reading a FIFO would block forever), at most limits().file_bytes. Throws InputError
/// naming `display_name` (default: the path).
void check_local_file(const std::string& path, const std::string& display_name = {});

/// A layer in its source CRS: `display` and `metric` hold the source coordinates, and
/// `planar` is not yet decided. Geometry is not repaired here (see project loading).
/// Throws InputError (file, layer, feature, field) for anything wrong.
/// A GeoPackage layer of 20,000 features or more is read by several threads, each on its own
/// handle with a range of feature ids; the result is the sequential read's, and any problem
/// is reported by a sequential read (same message, same feature index).
/// A GeoPackage or FlatGeobuf layer whose driver has a fast Arrow stream (OLCFastGetArrowStream)
/// is read through it (ReadOptions::arrow; the environment variable HUQIAN_ARROW=0 turns it off
/// for a comparison): the same rows, ids and geometries bit for bit; any column it does not map
/// exactly, and any problem, sends the layer to the feature loop, which names the problem.
Layer read_layer_raw(const std::string& path, const ReadOptions& options = {});

namespace detail {
/// How many parallel parts the calling thread's last read_layer_raw joined (1: read
/// sequentially). For tests of the parallel GeoPackage read.
std::size_t last_read_parts();
/// Whether the calling thread's last read_layer_raw read its features through GDAL's Arrow
/// stream (every part, for a parallel read). For tests of the two read paths.
bool last_read_arrow();
/// Layers with fewer features than this take the feature loop even with ReadOptions::arrow
/// (default 20,000: the Arrow stream pays at scale, and GDAL's batch builder spent minutes on
/// a small hostile GeoPackage found by fuzz_gpkg). Tests of the two read paths set 0; returns
/// the previous value.
std::size_t set_arrow_min_features(std::size_t n);
}  // namespace detail

/// A table without geometry (CSV, XLSX, ODS, or the attributes of a vector file).
Table read_table(const std::string& path, const ReadOptions& options = {});

/// Names of the layers in a file (after the allowlist and network checks).
std::vector<std::string> list_layers(const std::string& path);

}  // namespace hq
