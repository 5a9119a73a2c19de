// [SECTION] index
//   GDAL set-up
//   Opening with the allowlist
//   UTF-8
//   Geometry conversion
//   Reading rows
//   Public API
//   Arrow stream (GeoPackage/FlatGeobuf rows; inside the Public API section)

#include "geo/io/reader.hpp"
#include "geo/io/reader_load.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_http.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_priv.h>
#include <ogr_recordbatch.h>
#include <ogrsf_frmts.h>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <cstring>
#include <cstdlib>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "geo/core/error.hpp"
#include "geo/crs/srs.hpp"
#include "geo/core/limits.hpp"
#include "geo/core/parallel.hpp"
#include "geo/core/text.hpp"
#include "geo/io/gdal_util.hpp"
#include "geo/io/postgis.hpp"

namespace hq {

namespace fs = std::filesystem;

// [SECTION] GDAL set-up ---------------------------------------------------------------

namespace {

thread_local std::string t_gdal_error;
thread_local std::size_t t_last_read_parts = 0;  // detail::last_read_parts()
thread_local bool t_last_read_arrow = false;      // detail::last_read_arrow()
thread_local std::string t_refused_url;          // the last URL GDAL asked to fetch, refused
std::atomic<std::size_t> g_refused_fetches{0};

void CPL_STDCALL quiet_error_handler(CPLErr level, CPLErrorNum, const char* msg) {
    if (level >= CE_Failure && msg) t_gdal_error = one_line(msg);
}

/// Replaces every HTTP fetch GDAL would make (CPLHTTPFetch: a GeoJSON "crs" of type link
/// or url, OGRSpatialReference::importFromUrl, WMS/WFS-like drivers): nothing is sent, the
/// URL is remembered so that the file can be refused with a message.
CPLHTTPResult* refuse_fetch(const char* url, CSLConstList, GDALProgressFunc, void*, CPLHTTPFetchWriteFunc, void*,
                            void*) {
    t_refused_url = url ? url : "";
    ++g_refused_fetches;
    auto* r = static_cast<CPLHTTPResult*>(CPLCalloc(1, sizeof(CPLHTTPResult)));
    r->nStatus = 1;
    r->pszErrBuf = CPLStrdup("network access is disabled in huqian");
    return r;
}

using DatasetPtr = detail::GdalDatasetPtr;

std::string display(const std::string& path, const ReadOptions& o) {
    if (!o.display_name.empty()) return o.display_name;
    return pg::is_pg_source(path) ? pg::redact(path) : path;  // never a password in a message
}

}  // namespace

const std::vector<std::string>& allowed_vector_drivers() {
    static const std::vector<std::string> d{"GeoJSON", "GPKG", "ESRI Shapefile", "FlatGeobuf", "CSV", "PostgreSQL", "DXF"};
    return d;
}

const std::vector<std::string>& allowed_table_drivers() {
    static const std::vector<std::string> d{"CSV", "XLSX", "ODS", "GeoJSON", "GPKG", "ESRI Shapefile", "FlatGeobuf",
                                            "PostgreSQL"};
    return d;
}

void init_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        // No network, ever: huqian works offline and never lets a file make GDAL fetch.
        // Every CPLHTTPFetch is answered by refuse_fetch; the curl-based virtual file
        // systems (/vsicurl/, /vsis3/...) are refused by path in check_local_file, and are
        // crippled here too in case a driver reaches them from inside a file.
        CPLHTTPSetFetchCallback(refuse_fetch, nullptr);
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
        CPLSetConfigOption("GDAL_HTTP_CONNECTTIMEOUT", "1");
        CPLSetConfigOption("GDAL_HTTP_MAX_RETRY", "0");
        CPLSetConfigOption("GDAL_HTTP_PROXY", "127.0.0.1:9");  // discard port: nothing leaves the machine
        CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none");
        CPLSetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
        ::setenv("PROJ_NETWORK", "OFF", 1);  // PROJ reads its own environment too
        CPLSetConfigOption("GDAL_NUM_THREADS", "1");
        CPLSetConfigOption("PROJ_NETWORK", "OFF");
        CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0");  // no size cap on GeoJSON objects
        CPLSetConfigOption("OGR_ORGANIZE_POLYGONS", "ONLY_CCW");
        OSRSetPROJEnableNetwork(FALSE);
        GDALAllRegister();
        CPLSetErrorHandler(quiet_error_handler);
    });
    // The handler is per process in GDAL; keep ours installed (other code may replace it).
}

std::size_t refused_network_fetches() { return g_refused_fetches.load(); }

bool is_remote_path(const std::string& path) {
    std::string lower = path;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    static const char* prefixes[] = {"/vsi", "http:", "https:", "ftp:", "s3:", "gs:", "az:", "file:", "pg:",
                                     "mysql:", "oci:", "wfs:", "odbc:", "mssql:", "mongodb", "wms:", "<"};
    for (const char* p : prefixes)
        if (lower.rfind(p, 0) == 0) return true;
    return lower.find("://") != std::string::npos;
}

void check_local_file(const std::string& path, const std::string& display_name) {
    const std::string& name = display_name.empty() ? path : display_name;
    if (is_remote_path(path))
        throw InputError(ErrorContext{name}, "remote and virtual paths are not opened (URLs, /vsicurl/, /vsis3/...): "
                                             "huqian works offline on local files");
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw InputError(ErrorContext{name}, "file not found");
    if (S_ISDIR(st.st_mode))
        throw InputError(ErrorContext{name}, "is a folder, not a file (a project folder needs project.json)");
    if (!S_ISREG(st.st_mode)) {
        const char* kind = S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                           : (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) ? "a device"
                                                                           : "not a regular file";
        throw InputError(ErrorContext{name}, std::string("is ") + kind + ", not a regular file: refused");
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > limits().file_bytes)
        throw InputError(ErrorContext{name}, "is " + std::to_string(size) + " bytes, over the limit of " +
                                                 std::to_string(limits().file_bytes) + " bytes per file (docs/limits.md)");
}

// [SECTION] Opening with the allowlist --------------------------------------------------

namespace {

/// GDAL's network answer for the file just opened: a refused fetch makes the file an error.
void throw_if_fetch_refused(const std::string& name) {
    if (t_refused_url.empty()) return;
    const std::string url = t_refused_url;
    t_refused_url.clear();
    throw InputError(ErrorContext{name}, "refers to the URL " + url +
                                             " (e.g. a GeoJSON \"crs\" of type link or url); huqian never "
                                             "fetches anything over the network: give the CRS by name (EPSG:n)");
}

/// GDAL 3.6's CSV driver crashes (a null dereference) when, with KEEP_GEOM_COLUMNS=NO, two
/// columns match the x names (or two the y names) before the other coordinate's column:
/// "id,x,lon,lat", "x,X,y" (found by fuzz_csv). Which pair it would take is unclear anyway:
/// two columns for one coordinate are refused, naming both, before that open.
void refuse_ambiguous_csv_coordinates(const std::string& path, const std::string& name, const std::string& xs,
                                      const std::string& ys) {
    const char* const csv[] = {"CSV", nullptr};
    const DatasetPtr ds(GDALDataset::FromHandle(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, csv, nullptr, nullptr)));
    if (!ds || ds->GetLayerCount() == 0) return;  // the open with the options says why
    const OGRFeatureDefn* d = ds->GetLayer(0)->GetLayerDefn();
    for (const auto& [names, axis] : {std::pair{xs, "x"}, std::pair{ys, "y"}}) {
        const CPLStringList candidates(CSLTokenizeString2(names.c_str(), ",", 0));
        std::vector<std::string> found;
        for (int i = 0; i < d->GetFieldCount(); ++i)
            if (candidates.FindString(d->GetFieldDefn(i)->GetNameRef()) >= 0) found.emplace_back(d->GetFieldDefn(i)->GetNameRef());
        if (found.size() > 1)
            throw InputError(ErrorContext{name, {}, {}, {}, found[1]},
                             "columns " + found[0] + " and " + found[1] + " could both be the " + axis +
                                 " coordinate: keep one of them");
    }
}

/// An XLSX or ODS file is a ZIP archive that GDAL's drivers unpack and parse whole, in
/// memory: a small file can unpack to gigabytes (a "zip bomb"). Its entries may unpack to at
/// most kSpreadsheetUnzippedBytes together (a roster of 100,000 rows is some 20 MB).
constexpr std::uint64_t kSpreadsheetUnzippedBytes = std::uint64_t{512} << 20;

void check_spreadsheet_size(const std::string& path, const std::string& name) {
    const std::string zip = "/vsizip/{" + path + "}";
    char** entries = VSIReadDirRecursive(zip.c_str());
    if (!entries) throw InputError(ErrorContext{name}, "not a readable spreadsheet (an XLSX or ODS file is a ZIP archive)");
    std::uint64_t total = 0;
    for (char** e = entries; *e; ++e) {
        VSIStatBufL st;
        if (VSIStatL((zip + "/" + *e).c_str(), &st) == 0 && !VSI_ISDIR(st.st_mode)) total += static_cast<std::uint64_t>(st.st_size);
    }
    CSLDestroy(entries);
    if (total > kSpreadsheetUnzippedBytes)
        throw InputError(ErrorContext{name}, "spreadsheet unpacks to " + std::to_string(total >> 20) +
                                                 " MB, over the limit of " + std::to_string(kSpreadsheetUnzippedBytes >> 20) +
                                                 " MB (docs/limits.md)");
}

DatasetPtr open_allowed(const std::string& path, const std::vector<std::string>& allowed, const ReadOptions& o,
                        bool want_vector, CPLStringList open_options = {}) {
    init_gdal();
    const std::string name = display(path, o);
    // A PostgreSQL database the user named (geo/io/postgis.hpp); nothing else remote.
    if (pg::is_pg_source(path) && std::find(allowed.begin(), allowed.end(), "PostgreSQL") != allowed.end())
        return pg::open_database(path, false);
    check_local_file(path, name);
    std::error_code ec;
    if (fs::file_size(path, ec) == 0) throw InputError(ErrorContext{name}, "file is empty");

    CPLStringList drivers;
    for (const auto& d : allowed) drivers.AddString(d.c_str());
    const std::string ext = CPLGetExtension(path.c_str());
    std::string lower = ext;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });

    // A .geojson/.json file is opened by the GeoJSON driver alone so that a broken file
    // gets GeoJSON's own message (truncated, not JSON) rather than "not recognised".
    if (lower == "geojson" || lower == "json") {
        drivers.Clear();
        drivers.AddString("GeoJSON");
    }
    if (lower == "csv") {
        open_options.AddString("AUTODETECT_TYPE=YES");
        open_options.AddString("EMPTY_STRING_AS_NULL=YES");
        if (want_vector) {
            const std::string xs = o.x_field.empty() ? "lon,lng,long,longitude,x" : o.x_field;
            const std::string ys = o.y_field.empty() ? "lat,latitude,y" : o.y_field;
            refuse_ambiguous_csv_coordinates(path, name, xs, ys);
            open_options.AddString(("X_POSSIBLE_NAMES=" + xs).c_str());
            open_options.AddString(("Y_POSSIBLE_NAMES=" + ys).c_str());
            open_options.AddString(("GEOM_POSSIBLE_NAMES=" + (o.wkt_field.empty() ? std::string("wkt,geometry,geom,the_geom") : o.wkt_field)).c_str());
            open_options.AddString("KEEP_GEOM_COLUMNS=NO");
        }
    }
    if (!o.encoding.empty() && lower == "shp") open_options.AddString(("ENCODING=" + o.encoding).c_str());
    if (lower == "xlsx" || lower == "xlsm" || lower == "ods") check_spreadsheet_size(path, name);

    t_gdal_error.clear();
    t_refused_url.clear();
    CPLErrorReset();
    const unsigned flags = GDAL_OF_VECTOR | GDAL_OF_READONLY;
    DatasetPtr ds(GDALDataset::FromHandle(
        GDALOpenEx(path.c_str(), flags, drivers.List(), open_options.List(), nullptr)));
    throw_if_fetch_refused(name);
    if (ds) return ds;

    std::string why = t_gdal_error.empty() ? one_line(CPLGetLastErrorMsg()) : t_gdal_error;
    // Which format is it, then? Name it so the user knows why it is refused.
    GDALDriverH other = GDALIdentifyDriverEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_RASTER, nullptr, nullptr);
    if (other && std::find(allowed.begin(), allowed.end(), GDALGetDriverShortName(other)) == allowed.end()) {
        std::string allowed_list;
        for (const auto& d : allowed) allowed_list += (allowed_list.empty() ? "" : ", ") + d;
        throw InputError(ErrorContext{name}, std::string("format ") + GDALGetDriverShortName(other) +
                                                 " is not accepted (accepted: " + allowed_list + ")");
    }
    if (lower == "geojson" || lower == "json") {
        throw InputError(ErrorContext{name}, "not valid GeoJSON" + (why.empty() ? std::string() : " (" + why + ")"));
    }
    throw InputError(ErrorContext{name}, "not a readable vector file in an accepted format (GeoJSON, GeoPackage, "
                                         "Shapefile, FlatGeobuf, CSV)" +
                                             (why.empty() ? std::string() : ": " + why));
}

OGRLayer* pick_layer(GDALDataset& ds, const std::string& path, const ReadOptions& o) {
    if (ds.GetLayerCount() == 0) throw InputError(ErrorContext{display(path, o)}, "file has no layers");
    if (o.layer.empty()) return ds.GetLayer(0);
    OGRLayer* l = ds.GetLayerByName(o.layer.c_str());
    if (!l) {
        std::string names;
        for (int i = 0; i < ds.GetLayerCount(); ++i) names += (i ? ", " : "") + std::string(ds.GetLayer(i)->GetName());
        throw InputError(ErrorContext{display(path, o), o.layer}, "no such layer (the file has: " + names + ")");
    }
    return l;
}

// [SECTION] UTF-8 ------------------------------------------------------------------------

std::string recode(const std::string& s, const std::string& encoding) {
    if (encoding.empty()) return s;
    const detail::CplString r(CPLRecode(s.c_str(), encoding.c_str(), CPL_ENC_UTF8));
    return r ? std::string(r.get()) : s;
}

// [SECTION] Geometry conversion ----------------------------------------------------------

void ring_from_ogr(const OGRLinearRing* r, Ring& out) {
    const int n = r->getNumPoints();
    out.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = {r->getX(i), r->getY(i)};
}

void add_ogr(const OGRGeometry* g, Geometry& out, const ErrorContext& ctx) {
    if (!g || g->IsEmpty()) return;
    const OGRwkbGeometryType t = wkbFlatten(g->getGeometryType());
    switch (t) {
        case wkbPoint: {
            const auto* p = g->toPoint();
            out.points.push_back({p->getX(), p->getY()});
            return;
        }
        case wkbLineString: {
            const auto* l = g->toLineString();
            Path path(static_cast<std::size_t>(l->getNumPoints()));
            for (int i = 0; i < l->getNumPoints(); ++i) path[static_cast<std::size_t>(i)] = {l->getX(i), l->getY(i)};
            if (path.size() < 2) throw InputError(ctx, "line with fewer than 2 points");
            out.lines.push_back(std::move(path));
            return;
        }
        case wkbPolygon: {
            const auto* poly = g->toPolygon();
            Polygon p;
            for (int i = -1; i < poly->getNumInteriorRings(); ++i) {
                const OGRLinearRing* r = i < 0 ? poly->getExteriorRing() : poly->getInteriorRing(i);
                if (!r) continue;
                Ring ring;
                ring_from_ogr(r, ring);
                const std::string which = i < 0 ? "exterior ring" : "interior ring " + std::to_string(i + 1);
                if (ring.size() >= 2 && !(ring.front() == ring.back()))
                    throw InputError(ctx, which + " is not closed (its first and last points differ)");
                if (ring.size() < 4) throw InputError(ctx, which + " has fewer than 4 points");
                p.rings.push_back(std::move(ring));
            }
            out.polygons.push_back(std::move(p));
            return;
        }
        case wkbMultiPoint:
        case wkbMultiLineString:
        case wkbMultiPolygon:
        case wkbGeometryCollection: {
            const auto* c = g->toGeometryCollection();
            for (int i = 0; i < c->getNumGeometries(); ++i) add_ogr(c->getGeometryRef(i), out, ctx);
            return;
        }
        default: {
            // Curves, surfaces, TINs...: linearise first.
            std::unique_ptr<OGRGeometry> lin(g->getLinearGeometry());
            if (!lin || wkbFlatten(lin->getGeometryType()) == t)
                throw InputError(ctx, std::string("unsupported geometry type ") + OGRGeometryTypeToName(t));
            add_ogr(lin.get(), out, ctx);
        }
    }
}

Geometry geometry_from_ogr(const OGRGeometry* g, const ErrorContext& ctx) {
    Geometry out;
    add_ogr(g, out, ctx);
    const int kinds = (!out.points.empty()) + (!out.lines.empty()) + (!out.polygons.empty());
    if (kinds > 1) throw InputError(ctx, "geometry collection mixing points, lines and polygons is not supported");
    if (!out.polygons.empty()) {
        out.type = out.polygons.size() == 1 && wkbFlatten(g->getGeometryType()) == wkbPolygon ? GeomType::Polygon
                                                                                              : GeomType::MultiPolygon;
    } else if (!out.lines.empty()) {
        out.type = out.lines.size() == 1 && wkbFlatten(g->getGeometryType()) == wkbLineString ? GeomType::LineString
                                                                                              : GeomType::MultiLineString;
    } else if (!out.points.empty()) {
        out.type = out.points.size() == 1 && wkbFlatten(g->getGeometryType()) == wkbPoint ? GeomType::Point
                                                                                         : GeomType::MultiPoint;
    }
    bool finite = true;
    out.for_each_vertex([&finite](const Vec2& p) { finite = finite && std::isfinite(p.x) && std::isfinite(p.y); });
    if (!finite) throw InputError(ctx, "coordinate is not a finite number (NaN or infinity)");
    if (const std::size_t v = out.vertex_count(); v > limits().vertices_per_feature)
        throw InputError(ctx, "has " + std::to_string(v) + " vertices, over the limit of " +
                                  std::to_string(limits().vertices_per_feature) + " per feature (docs/limits.md)");
    return out;
}

// [SECTION] Reading rows ------------------------------------------------------------------

FieldType field_type_of(OGRFieldType t) {
    switch (t) {
        case OFTInteger:
        case OFTInteger64: return FieldType::Integer;
        case OFTReal: return FieldType::Real;
        case OFTDate:
        case OFTDateTime: return FieldType::Date;
        default: return FieldType::String;
    }
}

/// A text cell as read, refused when it is not UTF-8.
Value checked_text(std::string s, const ErrorContext& ctx) {
    const std::size_t bad = invalid_utf8_at(s);
    if (bad != std::string::npos)
        throw InputError(ctx, "text is not valid UTF-8 (at byte " + std::to_string(bad) +
                                  "); for a legacy Chinese file pass --encoding GBK");
    return s;
}

Value read_cell(OGRFeature& f, int j, FieldType type, OGRFieldType ogr_type, const std::string& encoding,
                const ErrorContext& ctx) {
    if (!f.IsFieldSetAndNotNull(j)) return std::monostate{};
    switch (type) {
        case FieldType::Integer: return static_cast<std::int64_t>(f.GetFieldAsInteger64(j));
        case FieldType::Real: return f.GetFieldAsDouble(j);
        case FieldType::Date: {
            int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
            float ss = 0;
            f.GetFieldAsDateTime(j, &y, &m, &d, &hh, &mm, &ss, &tz);
            char buf[40];
            if (ogr_type == OFTDate)
                std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
            else
                std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, hh, mm, static_cast<int>(ss));
            return std::string(buf);
        }
        case FieldType::String: return checked_text(recode(f.GetFieldAsString(j), encoding), ctx);
    }
    return std::monostate{};
}

struct RowReader {
    std::vector<Field> fields;
    std::vector<OGRFieldType> ogr_types;
    std::string encoding;  // recode strings from this (for drivers without an ENCODING option)
};

/// GeoPackage cells whose SQLite storage class does not fit the declared column type:
/// SQLite keeps text "lots" or the real 2.7 in an INTEGER column, and GDAL would read them as
/// 0 and 2 (a REAL column: text as 0; a DATE column: a non-date as null). By feature id, the
/// cell's real content as a Value (text as a string, a real as a double) so that the checks
/// (read_counts, dates, budgets) see what the file holds and refuse it like any other reader.
using CellFixes = std::unordered_map<GIntBig, std::vector<std::pair<std::size_t, Value>>>;

std::string sql_quoted(const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

CellFixes gpkg_cell_fixes(GDALDataset& ds, OGRLayer& l) {
    CellFixes fixes;
    const std::string fid = l.GetFIDColumn();
    if (fid.empty()) return fixes;
    OGRFeatureDefn* defn = l.GetLayerDefn();
    // The columns to check, each with its condition "this cell does not fit the declared type".
    std::vector<std::pair<std::size_t, std::string>> checks;
    for (int j = 0; j < defn->GetFieldCount(); ++j) {
        const OGRFieldType t = defn->GetFieldDefn(j)->GetType();
        const std::string c = sql_quoted(defn->GetFieldDefn(j)->GetNameRef());
        std::string where;
        if (t == OFTInteger || t == OFTInteger64)
            where = "typeof(" + c + ") NOT IN ('integer', 'null')";
        else if (t == OFTReal)
            where = "typeof(" + c + ") NOT IN ('integer', 'real', 'null')";
        else if (t == OFTDate)
            where = c + " IS NOT NULL AND (typeof(" + c + ") != 'text' OR date(" + c + ") IS NULL OR date(" + c +
                    ") != substr(" + c + ", 1, 10))";
        else
            continue;
        checks.emplace_back(static_cast<std::size_t>(j), std::move(where));
    }
    // One scan of the table for up to kPerScan columns (it was one scan per column: a 1M-row
    // layer with three numeric columns spent three full scans here before the read). Per row,
    // column by column in field order, as the per-column scans filled each feature's list.
    constexpr std::size_t kPerScan = 200;  // 3 result columns each, under SQLite's 2000
    for (std::size_t first = 0; first < checks.size(); first += kPerScan) {
        const std::size_t last = std::min(checks.size(), first + kPerScan);
        // The fid as an expression: a plain fid column would become the result's FID, not field 0.
        std::string sql = "SELECT (" + sql_quoted(fid) + " + 0) AS hq_fid";
        std::string any;
        for (std::size_t k = first; k < last; ++k) {
            const std::string c = sql_quoted(defn->GetFieldDefn(static_cast<int>(checks[k].first))->GetNameRef());
            const std::string n = std::to_string(k - first);
            sql += ", CASE WHEN " + checks[k].second + " THEN 1 ELSE 0 END AS hq_bad" + n + ", CAST(" + c +
                   " AS TEXT) AS hq_text" + n + ", typeof(" + c + ") AS hq_type" + n;
            any += (any.empty() ? "(" : " OR (") + checks[k].second + ")";
        }
        sql += " FROM " + sql_quoted(l.GetName()) + " WHERE " + any;
        OGRLayer* r = ds.ExecuteSQL(sql.c_str(), nullptr, "SQLITE");
        if (!r) continue;
        while (std::unique_ptr<OGRFeature> f{r->GetNextFeature()}) {
            for (std::size_t k = first; k < last; ++k) {
                const int b = 1 + 3 * static_cast<int>(k - first);
                if (f->GetFieldAsInteger(b) != 1) continue;
                const std::string text = f->IsFieldSetAndNotNull(b + 1) ? f->GetFieldAsString(b + 1) : "";
                const std::string type = f->GetFieldAsString(b + 2);
                Value v;
                if (type == "real") v = std::strtod(text.c_str(), nullptr);
                else if (type == "blob") v = std::string("(binary data)");
                else v = text;
                fixes[f->GetFieldAsInteger64(0)].emplace_back(checks[k].first, std::move(v));
            }
        }
        ds.ReleaseResultSet(r);
    }
    return fixes;
}

/// Applies the fixes for feature `f` to `row` (a fixed string cell is checked as UTF-8).
void apply_fixes(const CellFixes* fixes, GIntBig fid, std::vector<Value>& row, const std::vector<Field>& fields,
                 const ErrorContext& ctx) {
    if (!fixes || fixes->empty()) return;
    const auto it = fixes->find(fid);
    if (it == fixes->end()) return;
    for (const auto& [j, v] : it->second) {
        if (const auto* s = std::get_if<std::string>(&v); s && invalid_utf8_at(*s) != std::string::npos) {
            ErrorContext at = ctx;
            at.field = fields[j].name;
            throw InputError(at, "text is not valid UTF-8");
        }
        row[j] = v;
    }
}

/// The features-per-layer limit (docs/limits.md).
void check_feature_count(std::size_t count, const std::string& name) {
    if (count > limits().features_per_layer)
        throw InputError(ErrorContext{name}, "has more than " + std::to_string(limits().features_per_layer) +
                                                 " features, the limit per layer (docs/limits.md)");
}

RowReader make_row_reader(OGRLayer& l, const std::string& path, const ReadOptions& o, bool shapefile) {
    RowReader r;
    OGRFeatureDefn* defn = l.GetLayerDefn();
    for (int j = 0; j < defn->GetFieldCount(); ++j) {
        OGRFieldDefn* fd = defn->GetFieldDefn(j);
        std::string fname = recode(fd->GetNameRef(), shapefile ? std::string() : o.encoding);
        if (invalid_utf8_at(fname) != std::string::npos)
            throw InputError(ErrorContext{display(path, o), {}, {}, {}, {}},
                             "a column name is not valid UTF-8; for a legacy Chinese file pass --encoding GBK");
        r.fields.push_back({fname, field_type_of(fd->GetType())});
        r.ogr_types.push_back(fd->GetType());
    }
    r.encoding = shapefile ? std::string() : o.encoding;
    return r;
}

}  // namespace

// [SECTION] Public API ----------------------------------------------------------------------

std::vector<std::string> list_layers(const std::string& path) {
    DatasetPtr ds = open_allowed(path, allowed_vector_drivers(), {}, true);
    std::vector<std::string> names;
    for (int i = 0; i < ds->GetLayerCount(); ++i) names.emplace_back(ds->GetLayer(i)->GetName());
    return names;
}

namespace {

/// Features read from one layer handle: ids, geometries and rows in the layer's order.
struct FeaturePart {
    std::vector<std::string> ids;
    std::vector<Geometry> geometries;
    std::vector<std::vector<Value>> rows;
    GeomType type = GeomType::None;
    std::string gdal_error;  // the last GDAL failure message while reading, if any
    bool arrow = false;      // read through the Arrow stream
};

/// The ids a read has seen, for the duplicate check: an open-addressing table of positions
/// into the caller's list of ids (the strings are not copied). It replaces an
/// std::unordered_map<std::string, std::size_t>, whose node per feature (an allocation, a
/// string copy, rehashing) was ~40 % of the CPU of reading 1M points from FlatGeobuf.
///
/// While every id so far is an integer written plainly ("17", "-3"; not "017" or "+3") within
/// a range not much wider than the count of ids (ids 1..n in any order, a GeoPackage's fids:
/// the usual case), a bitmap over that range does: a probe of the table is a cache miss per
/// feature at 1M (a quarter of reading 1M points, perf), the bitmap of 1M ids is 125 kB. The
/// first id that does not fit (or repeats) fills the table with the ids before it, and that id
/// and every later one are looked up as before: the same first duplicate at the same feature,
/// the same earlier position.
class IdSeen {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    /// Records that ids[pos] will be `id` (pos == ids.size(): the caller appends it next; ids
    /// holds every id recorded so far at its position) and returns npos, or returns the
    /// position of an earlier equal id (nothing recorded).
    template <class Ids>
    std::size_t insert(const Ids& ids, std::string_view id, std::size_t pos) {
        if (bitmap_) {
            std::int64_t v = 0;
            if (plain_integer(id, v) && cover(v, pos)) {
                const auto k = static_cast<std::uint64_t>(v - base_);
                std::uint64_t& w = bits_[k >> 6];
                const std::uint64_t m = std::uint64_t{1} << (k & 63);
                if (!(w & m)) {
                    w |= m;
                    return npos;
                }
            }
            bitmap_ = false;  // not an integer, out of range or a repeat: the table from here on
            bits_ = {};
            reserve(std::max(reserved_, pos + 1));
            for (std::size_t k = 0; k < pos; ++k) put(ids, ids[k], k);
        }
        return put(ids, id, pos);
    }

    /// Room for n ids without growing (growing re-hashes every id seen so far); the table is
    /// only made when the bitmap gives up.
    void reserve(std::size_t n) {
        reserved_ = std::max(reserved_, n);
        if (bitmap_ || count_ != 0 || 2 * n <= slots_.size()) return;
        std::size_t size = 1024;
        while (size < 2 * n) size *= 2;
        slots_.assign(size, 0);
        tags_.assign(size, 0);
        mask_ = size - 1;
    }

private:
    /// `s` is an integer in its one plain decimal spelling (then two such ids are equal
    /// exactly when their values are), of at most 18 characters (no overflow).
    static bool plain_integer(std::string_view s, std::int64_t& v) {
        if (s.empty() || s.size() > 18) return false;
        const bool neg = s[0] == '-';
        const std::string_view d = neg ? s.substr(1) : s;
        if (d.empty() || (d[0] == '0' && (d.size() > 1 || neg))) return false;
        std::int64_t x = 0;
        for (char c : d) {
            if (c < '0' || c > '9') return false;
            x = x * 10 + (c - '0');
        }
        v = neg ? -x : x;
        return true;
    }

    /// Widens the bitmap to hold v, unless the range would grow past 64 bits per id expected
    /// (or 16M bits, 2 MB, for a few ids): false then.
    bool cover(std::int64_t v, std::size_t pos) {
        const auto words = static_cast<std::int64_t>(bits_.size());
        if (words != 0 && v >= base_ && v - base_ < 64 * words) return true;
        const std::int64_t limit = std::max<std::int64_t>(std::int64_t{1} << 24,
                                                          64 * static_cast<std::int64_t>(std::max(reserved_, pos + 1)));
        const auto floor64 = [](std::int64_t x) { return x >= 0 ? x / 64 * 64 : -((-x + 63) / 64 * 64); };
        if (words == 0) {  // 8 kB to start
            base_ = floor64(v);
            bits_.assign(static_cast<std::size_t>(std::min<std::int64_t>(limit, 64 * 1024) / 64), 0);
            return true;
        }
        std::int64_t lo = std::min(base_, floor64(v));
        std::int64_t hi = std::max(base_ + 64 * words, floor64(v) + 64);
        if (hi - lo > limit) return false;
        // Doubled (within the limit) in the direction of growth, so that widening is rare.
        const std::int64_t room = std::min(limit, 2 * (hi - lo)) - (hi - lo);
        if (v < base_) lo -= room;
        else hi += room;
        std::vector<std::uint64_t> grown(static_cast<std::size_t>((hi - lo) / 64), 0);
        if (words != 0) std::copy(bits_.begin(), bits_.end(), grown.begin() + (base_ - lo) / 64);
        bits_ = std::move(grown);
        base_ = lo;
        return true;
    }

    template <class Ids>
    std::size_t put(const Ids& ids, std::string_view id, std::size_t pos) {
        if (2 * (count_ + 1) > slots_.size()) grow(ids);
        const std::size_t h = std::hash<std::string_view>{}(id);
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
            const std::size_t at = slots_[i];
            if (at == 0) {
                slots_[i] = pos + 1;
                tags_[i] = tag;
                ++count_;
                return npos;
            }
            if (tags_[i] == tag && std::string_view(ids[at - 1]) == id) return at - 1;
        }
    }

    template <class Ids>
    void grow(const Ids& ids) {
        std::vector<std::size_t> old = std::move(slots_);
        const std::size_t n = std::max<std::size_t>(1024, 2 * old.size());
        slots_.assign(n, 0);
        tags_.assign(n, 0);
        mask_ = n - 1;
        for (std::size_t at : old) {
            if (at == 0) continue;
            const std::size_t h = std::hash<std::string_view>{}(std::string_view(ids[at - 1]));
            std::size_t i = h & mask_;
            while (slots_[i] != 0) i = (i + 1) & mask_;
            slots_[i] = at;
            tags_[i] = static_cast<std::uint32_t>(h >> 32);
        }
    }
    bool bitmap_ = true;                // every id so far a plain integer in the bitmap's range
    std::vector<std::uint64_t> bits_;   // bit k: the id base_ + k has been seen
    std::int64_t base_ = 0;             // a multiple of 64
    std::size_t reserved_ = 0;
    std::vector<std::size_t> slots_;  // position + 1, 0 = empty
    std::vector<std::uint32_t> tags_;  // the hash's high bits, to skip most string compares
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
};

/// One feature, however it was read: the feature loop (OgrFeatureSource) or a row of an
/// Arrow record batch (ArrowRowSource). Both give cells, the FID and the geometry.
///
/// `ctx` is the read's scratch context (its file set once by the caller): a fresh ErrorContext
/// per feature copied the file name, one allocation per feature for a long path.
template <class Source>
void take_feature(FeaturePart& part, IdSeen& seen, Source& src, const RowReader& rr, int id_col, ErrorContext& ctx,
                  bool check_duplicates, std::size_t index, const CellFixes* fixes) {
    if (index >= limits().features_per_layer) check_feature_count(index + 1, ctx.file);
    ctx.feature = index;
    ctx.feature_id.clear();
    ctx.field.clear();
    std::vector<Value> row(rr.fields.size());
    const GIntBig fid = src.fid();
    // The id first, so that every later message can name it.
    if (id_col >= 0) {
        const auto jc = static_cast<std::size_t>(id_col);
        ctx.field = rr.fields[jc].name;
        row[jc] = src.cell(jc, ctx);
        ctx.field.clear();
        apply_fixes(fixes, fid, row, rr.fields, ctx);
    }
    std::string id = id_col >= 0 ? value_to_string(row[static_cast<std::size_t>(id_col)])
                                 : std::to_string(fid == OGRNullFID ? static_cast<GIntBig>(index) : fid);
    if (id.empty()) throw InputError(ctx, "feature id is empty");
    ctx.field.clear();
    ctx.feature_id = id;
    for (std::size_t j = 0; j < rr.fields.size(); ++j) {
        if (static_cast<int>(j) == id_col) continue;
        ctx.field = rr.fields[j].name;
        row[j] = src.cell(j, ctx);
    }
    ctx.field.clear();
    apply_fixes(fixes, fid, row, rr.fields, ctx);
    if (check_duplicates) {
        // Every feature before this one is in part.ids, at its index (the sequential reads).
        if (const std::size_t earlier = seen.insert(part.ids, id, part.ids.size()); earlier != IdSeen::npos) {
            ctx.field = id_col >= 0 ? rr.fields[static_cast<std::size_t>(id_col)].name : std::string();
            throw InputError(ctx, "duplicate feature id (also used by feature " + std::to_string(earlier) + ")");
        }
    }
    Geometry g = src.geometry(ctx);
    if (!g.empty()) {
        const GeomType base = g.is_polygonal() ? GeomType::Polygon : g.is_line() ? GeomType::LineString : GeomType::Point;
        if (part.type == GeomType::None) {
            part.type = base;
        } else if (part.type != base) {
            throw InputError(ctx, std::string("mixes geometry types (") + geom_type_name(base) + " after " +
                                      geom_type_name(part.type) + ")");
        }
    }
    part.ids.push_back(std::move(id));
    part.geometries.push_back(std::move(g));
    part.rows.push_back(std::move(row));
}

struct OgrFeatureSource {
    OGRFeature& f;
    const RowReader& rr;
    GIntBig fid() const { return f.GetFID(); }
    Value cell(std::size_t j, const ErrorContext& ctx) const {
        return read_cell(f, static_cast<int>(j), rr.fields[j].type, rr.ogr_types[j], rr.encoding, ctx);
    }
    Geometry geometry(const ErrorContext& ctx) const { return geometry_from_ogr(f.GetGeometryRef(), ctx); }
};

// [SECTION] Arrow stream ---------------------------------------------------------------------
//
// GeoPackage and FlatGeobuf layers offer GDAL's Arrow C stream (OGR_L_GetArrowStream, RFC 86)
// with a fast implementation (OLCFastGetArrowStream): whole record batches, no OGRFeature per
// row, geometry as WKB. The rows go through take_feature like the feature loop's, so every
// check is the same code. Whatever this path does not handle exactly like the feature loop
// (a column type it does not map, an encoding to recode, a stream error) makes it decline,
// and any problem it meets in the data makes it give up too: the feature loop then reads the
// layer again and reports the problem, so messages are the feature loop's by construction.

struct ArrowStreamGuard {
    ArrowArrayStream s{};
    ~ArrowStreamGuard() { if (s.release) s.release(&s); }
};
struct ArrowSchemaGuard {
    ArrowSchema s{};
    ~ArrowSchemaGuard() { if (s.release) s.release(&s); }
};
struct ArrowArrayGuard {
    ArrowArray a{};
    ~ArrowArrayGuard() { if (a.release) a.release(&a); }
};

/// Column layouts the Arrow path reads; anything else makes it decline.
enum class ArrowKind : std::uint8_t { Int16, Int32, Int64, Double, Utf8, LargeUtf8, Date32 };

/// The kind of an attribute column, when its cells read exactly as read_cell reads them.
std::optional<ArrowKind> arrow_kind(const std::string& format, FieldType type, OGRFieldType ogr_type) {
    if (type == FieldType::Integer) {
        if (format == "s") return ArrowKind::Int16;
        if (format == "i") return ArrowKind::Int32;
        if (format == "l") return ArrowKind::Int64;
        // Not "b": GDAL 3.6.2's GeoPackage stream gets boolean columns wrong (row 3 of
        // 1,0,0,1 reads 0; tests/io/test_reader_arrow.cpp found it), so they decline.
    } else if (type == FieldType::Real) {
        if (format == "g") return ArrowKind::Double;  // not "f": a float32 column reads differently
    } else if (type == FieldType::String && ogr_type == OFTString) {
        if (format == "u") return ArrowKind::Utf8;
        if (format == "U") return ArrowKind::LargeUtf8;
    } else if (type == FieldType::Date && ogr_type == OFTDate) {
        if (format == "tdD") return ArrowKind::Date32;
    }
    // Timestamps are not taken: GDAL 3.6 converts a date-time with a time zone to UTC, while
    // the feature loop keeps the local fields.
    return std::nullopt;
}

bool arrow_valid(const ArrowArray* a, std::int64_t i) {
    if (a->null_count == 0 || !a->buffers[0]) return true;
    const std::int64_t k = i + a->offset;
    return (static_cast<const std::uint8_t*>(a->buffers[0])[k >> 3] >> (k & 7)) & 1;
}

template <class T>
T arrow_value(const ArrowArray* a, std::int64_t i) {
    return static_cast<const T*>(a->buffers[1])[i + a->offset];
}

/// Bytes of row i of a (large) utf8 or binary column.
template <class Offset>
std::string_view arrow_bytes(const ArrowArray* a, std::int64_t i) {
    const auto* off = static_cast<const Offset*>(a->buffers[1]) + a->offset;
    const auto* data = static_cast<const char*>(a->buffers[2]);
    return {data + off[i], static_cast<std::size_t>(off[i + 1] - off[i])};
}

/// "YYYY-MM-DD" of a count of days since 1970-01-01 (proleptic Gregorian, H. Hinnant's
/// civil_from_days), as read_cell prints a date.
std::string date_of_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m), static_cast<int>(d));
    return buf;
}

/// Little-endian WKB reader for the common shapes (Point, Polygon, MultiPolygon in 2D):
/// returns the geometry only when it is plain (finite coordinates, closed rings of 4 points
/// or more, nothing empty, within the vertex limit), i.e. exactly what geometry_from_ogr
/// makes of it; anything else goes through OGR's WKB import and geometry_from_ogr.
class PlainWkb {
public:
    PlainWkb(const std::uint8_t* p, std::size_t n) : m_p(p), m_end(p + n) {}

    std::optional<Geometry> read() {
        std::uint32_t type = 0;
        if (!header(type)) return std::nullopt;
        Geometry g;
        if (type == 1) {
            Vec2 v;
            if (!point(v)) return std::nullopt;
            g.type = GeomType::Point;
            g.points.push_back(v);
        } else if (type == 3) {
            g.type = GeomType::Polygon;
            g.polygons.emplace_back();
            if (!polygon(g.polygons.back())) return std::nullopt;
        } else if (type == 6) {
            std::uint32_t n = 0;
            if (!u32(n) || n == 0) return std::nullopt;
            g.type = GeomType::MultiPolygon;
            g.polygons.resize(n);
            for (auto& poly : g.polygons) {
                std::uint32_t t = 0;
                if (!header(t) || t != 3 || !polygon(poly)) return std::nullopt;
            }
        } else {
            return std::nullopt;
        }
        if (m_p != m_end || m_vertices > limits().vertices_per_feature) return std::nullopt;
        return g;
    }

private:
    bool header(std::uint32_t& type) {
        if (m_end - m_p < 1 || *m_p != 1) return false;  // big-endian: OGR's import
        ++m_p;
        return u32(type);
    }
    bool u32(std::uint32_t& v) {
        if (m_end - m_p < 4) return false;
        std::memcpy(&v, m_p, 4);
        m_p += 4;
        return true;
    }
    bool point(Vec2& v) {
        if (m_end - m_p < 16) return false;
        std::memcpy(&v.x, m_p, 8);
        std::memcpy(&v.y, m_p + 8, 8);
        m_p += 16;
        ++m_vertices;
        return std::isfinite(v.x) && std::isfinite(v.y);
    }
    bool polygon(Polygon& poly) {
        std::uint32_t rings = 0;
        if (!u32(rings) || rings == 0) return false;
        poly.rings.resize(rings);
        for (auto& ring : poly.rings) {
            std::uint32_t n = 0;
            if (!u32(n) || n < 4 || static_cast<std::size_t>(m_end - m_p) / 16 < n) return false;
            ring.resize(n);
            for (auto& v : ring)
                if (!point(v)) return false;
            if (!(ring.front() == ring.back())) return false;
        }
        return true;
    }

    const std::uint8_t* m_p;
    const std::uint8_t* m_end;
    std::size_t m_vertices = 0;
};

/// Row `row` of an Arrow record batch, read like OgrFeatureSource reads a feature.
struct ArrowRowSource {
    const ArrowArray* fid_col;
    const std::vector<const ArrowArray*>& cols;
    const std::vector<ArrowKind>& kinds;
    const ArrowArray* geom_col;  // null: no geometry column
    bool large_geom;
    std::int64_t row;

    GIntBig fid() const { return arrow_valid(fid_col, row) ? arrow_value<std::int64_t>(fid_col, row) : OGRNullFID; }
    Value cell(std::size_t j, const ErrorContext& ctx) const {
        const ArrowArray* a = cols[j];
        if (!arrow_valid(a, row)) return std::monostate{};
        switch (kinds[j]) {
            case ArrowKind::Int16: return static_cast<std::int64_t>(arrow_value<std::int16_t>(a, row));
            case ArrowKind::Int32: return static_cast<std::int64_t>(arrow_value<std::int32_t>(a, row));
            case ArrowKind::Int64: return static_cast<std::int64_t>(arrow_value<std::int64_t>(a, row));
            case ArrowKind::Double: return arrow_value<double>(a, row);
            case ArrowKind::Utf8: return checked_text(std::string(arrow_bytes<std::int32_t>(a, row)), ctx);
            case ArrowKind::LargeUtf8: return checked_text(std::string(arrow_bytes<std::int64_t>(a, row)), ctx);
            case ArrowKind::Date32: return date_of_days(arrow_value<std::int32_t>(a, row));
        }
        return std::monostate{};
    }
    Geometry geometry(const ErrorContext& ctx) const {
        if (!geom_col || !arrow_valid(geom_col, row)) return geometry_from_ogr(nullptr, ctx);
        const std::string_view wkb =
            large_geom ? arrow_bytes<std::int64_t>(geom_col, row) : arrow_bytes<std::int32_t>(geom_col, row);
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(wkb.data());
        if (auto plain = PlainWkb(bytes, wkb.size()).read()) return std::move(*plain);
        OGRGeometry* raw = nullptr;
        if (OGRGeometryFactory::createFromWkb(bytes, nullptr, &raw, wkb.size(), wkbVariantIso) != OGRERR_NONE)
            throw InputError(ctx, "geometry is not readable WKB");  // the feature loop then says why
        const std::unique_ptr<OGRGeometry> g(raw);
        return geometry_from_ogr(g.get(), ctx);
    }
};

/// The batches of `stream`, in order, each given to take(const ArrowArray&) on a second
/// thread while this one asks GDAL for the next (GDAL's batch building and ours overlap: a
/// FlatGeobuf has no ranges to read in parallel parts like a GeoPackage). False when a batch
/// fails to come or take() returns false; take()'s InputError comes back here, rethrown.
template <class Take>
bool take_batches_pipelined(ArrowArrayStream& stream, Take& take) {
    constexpr std::size_t kQueued = 4;  // batches of 64k rows waiting, at most
    std::mutex m;
    std::condition_variable cv;
    std::deque<ArrowArray> queue;
    bool done = false, failed = false;
    std::exception_ptr error;
    std::thread consumer([&] {
        for (;;) {
            ArrowArrayGuard batch;
            {
                std::unique_lock lock(m);
                cv.wait(lock, [&] { return !queue.empty() || done || failed; });
                if (failed || queue.empty()) return;
                batch.a = queue.front();
                queue.pop_front();
            }
            cv.notify_all();
            bool ok = false;
            try {
                ok = take(batch.a);
            } catch (...) {
                error = std::current_exception();
            }
            if (!ok) {
                std::lock_guard lock(m);
                failed = true;
                cv.notify_all();
                return;
            }
        }
    });
    for (;;) {
        ArrowArray a{};
        const bool got = stream.get_next(&stream, &a) == 0;
        std::unique_lock lock(m);
        if (!got) failed = true;
        if (failed || !a.release) {
            if (a.release) a.release(&a);
            done = true;
            break;
        }
        cv.wait(lock, [&] { return queue.size() < kQueued || failed; });
        if (failed) {
            a.release(&a);
            break;
        }
        queue.push_back(a);
        cv.notify_all();
    }
    cv.notify_all();
    consumer.join();
    for (ArrowArray& a : queue)
        if (a.release) a.release(&a);
    if (error) std::rethrow_exception(error);
    return !failed;
}

/// Layers smaller than this are read by the feature loop (detail::set_arrow_min_features).
std::atomic<std::size_t> g_arrow_min_features{20'000};

/// The layer read through its Arrow stream, or nothing when the layer has no fast stream, a
/// column does not map exactly, or anything at all goes wrong (see the section comment).
std::optional<FeaturePart> read_features_arrow(OGRLayer& l, const RowReader& rr, int id_col, const std::string& name,
                                               bool check_duplicates, std::size_t expected, const CellFixes* fixes,
                                               bool pipeline) {
    ErrorContext ctx{name, {}, {}, {}, {}};
    if (!rr.encoding.empty() || !l.TestCapability(OLCFastGetArrowStream)) return std::nullopt;
    OGRFeatureDefn* defn = l.GetLayerDefn();
    const std::size_t nfields = rr.fields.size();
    if (static_cast<std::size_t>(defn->GetFieldCount()) != nfields) return std::nullopt;
    // GDAL 3.6.2's GeoPackage stream is wrong for a layer of geometry alone (fixed in 3.6.3,
    // OSGeo/gdal#7106) and for more than 125 columns (fixed in 3.8.1, OSGeo/gdal#8760).
    if (nfields == 0 || nfields > 120) return std::nullopt;
    l.ResetReading();
    ArrowStreamGuard stream;
    CPLStringList options;
    options.AddString("INCLUDE_FID=YES");
    if (!l.GetArrowStream(&stream.s, options.List())) return std::nullopt;
    ArrowSchemaGuard schema;
    if (stream.s.get_schema(&stream.s, &schema.s) != 0) return std::nullopt;
    // Columns: the FID, the attribute fields in order, then the geometry fields.
    const bool has_geom = defn->GetGeomFieldCount() > 0;
    if (schema.s.n_children != static_cast<std::int64_t>(1 + nfields + defn->GetGeomFieldCount())) return std::nullopt;
    if (std::string(schema.s.children[0]->format) != "l") return std::nullopt;
    std::vector<ArrowKind> kinds;
    for (std::size_t j = 0; j < nfields; ++j) {
        const ArrowSchema* c = schema.s.children[1 + j];
        if (std::string(c->name ? c->name : "") != defn->GetFieldDefn(static_cast<int>(j))->GetNameRef()) return std::nullopt;
        const auto k = arrow_kind(c->format, rr.fields[j].type, rr.ogr_types[j]);
        if (!k) return std::nullopt;
        kinds.push_back(*k);
    }
    bool large_geom = false;
    if (has_geom) {
        const std::string f = schema.s.children[1 + nfields]->format;
        if (f != "z" && f != "Z") return std::nullopt;
        large_geom = f == "Z";
    }

    FeaturePart part;
    IdSeen seen;
    if (check_duplicates) seen.reserve(expected);
    part.ids.reserve(expected);
    part.geometries.reserve(expected);
    part.rows.reserve(expected);
    std::vector<const ArrowArray*> cols(nfields);
    std::size_t index = 0;
    // One record batch into `part`, in order (false: a batch this path does not read).
    auto take_batch = [&](const ArrowArray& a) {
        if (a.n_children != schema.s.n_children || a.offset != 0) return false;
        for (std::size_t j = 0; j < nfields; ++j) cols[j] = a.children[1 + j];
        ArrowRowSource src{a.children[0], cols, kinds, has_geom ? a.children[1 + nfields] : nullptr, large_geom, 0};
        for (std::int64_t r = 0; r < a.length; ++r, ++index) {
            src.row = r;
            take_feature(part, seen, src, rr, id_col, ctx, check_duplicates, index, fixes);
        }
        return true;
    };
    try {
        if (!pipeline) {
            for (;;) {
                ArrowArrayGuard batch;
                if (stream.s.get_next(&stream.s, &batch.a) != 0) return std::nullopt;
                if (!batch.a.release) break;  // end of stream
                if (!take_batch(batch.a)) return std::nullopt;
            }
        } else if (!take_batches_pipelined(stream.s, take_batch)) {
            return std::nullopt;
        }
    } catch (const InputError&) {
        return std::nullopt;  // the feature loop names the problem
    }
    part.arrow = true;
    return part;
}

/// The count that decides whether a layer takes the Arrow stream and how much a read reserves:
/// the layer's own (a header or gpkg_ogr_contents, which a hostile file can make up), but no more than a file of this
/// size can hold at 16 bytes a feature (a WKB point alone is 21), so that a small file that
/// claims a city takes the feature loop like any small layer. (A GeoPackage whose rows still
/// sit in its -wal file reads through the loop too: slower, the same result.)
std::size_t plausible_count(const std::string& path, std::size_t count) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) return count;  // not a plain file (a database): its count
    return static_cast<std::size_t>(std::min<std::uintmax_t>(count, size / 16));
}

/// Reads every feature `l` returns (after any attribute filter), in order; the first problem
/// throws InputError naming the feature by its index and id. With `check_duplicates`, a
/// repeated id is one (the parallel read checks ids across its parts instead). With `arrow`,
/// a layer with a fast Arrow stream is read through it (same result, same messages).
/// `expected` features are reserved for; `layer_count` (the whole layer's, for a part) decides
/// whether the Arrow stream is worth it.
FeaturePart read_features(OGRLayer& l, const RowReader& rr, int id_col, const std::string& name,
                          bool check_duplicates, std::size_t expected, std::size_t layer_count, const CellFixes* fixes,
                          bool arrow, bool pipeline = false) {
    // Only where it pays (a city): a 44 kB hostile GeoPackage found by fuzz_gpkg kept GDAL's
    // Arrow batch builder allocating and clearing buffers for minutes; small layers take the
    // feature loop, which reads it in a blink.
    if (arrow && layer_count >= g_arrow_min_features.load()) {
        if (auto part = read_features_arrow(l, rr, id_col, name, check_duplicates, expected, fixes, pipeline))
            return std::move(*part);
    }
    FeaturePart part;
    IdSeen seen;
    if (check_duplicates) seen.reserve(expected);
    part.ids.reserve(expected);
    part.geometries.reserve(expected);
    part.rows.reserve(expected);
    l.ResetReading();
    t_gdal_error.clear();
    ErrorContext ctx{name, {}, {}, {}, {}};
    std::size_t index = 0;
    for (;;) {
        std::unique_ptr<OGRFeature> f(l.GetNextFeature());
        if (!f) break;
        OgrFeatureSource src{*f, rr};
        take_feature(part, seen, src, rr, id_col, ctx, check_duplicates, index, fixes);
        ++index;
    }
    part.gdal_error = t_gdal_error;
    return part;
}

/// Features of a GeoPackage or PostGIS layer at least this large are read in parallel parts.
constexpr GIntBig kParallelReadMin = 20000;

/// A large GeoPackage or PostGIS layer read by several threads, each on its own dataset
/// handle (GDAL handles are not shared between threads; for PostGIS its own connection to
/// the same allowed database) with a range of feature ids, the parts joined in id order —
/// for a GeoPackage the order a single sequential read returns (a table scan is in rowid
/// order, and the fid column is the rowid); a database promises no order without ORDER BY.
/// A PostGIS read is mostly waiting for the server (which decodes on its own cores), so it
/// takes more parts than threads. Empty when the layer does not qualify or any part meets a
/// problem: the caller then reads sequentially, which reports the problem with the
/// feature's index in the whole layer.
std::optional<std::vector<FeaturePart>> read_parts(const std::string& driver, GDALDataset& ds, OGRLayer& l,
                                                   const std::string& path, const ReadOptions& o, const RowReader& rr,
                                                   int id_col, const std::string& name, const CellFixes* fixes) {
    const bool pg = driver == "PostgreSQL";
    const unsigned threads = std::min(default_thread_count() * (pg ? 2u : 1u), 8u);
    if (threads < 2) return std::nullopt;
    const GIntBig count = l.GetFeatureCount(FALSE);
    const std::string fid = l.GetFIDColumn();
    if (count < kParallelReadMin || fid.empty()) return std::nullopt;
    const auto quoted = sql_quoted;
    GIntBig lo = 0, hi = -1;
    {
        const std::string sql = "SELECT MIN(" + quoted(fid) + "), MAX(" + quoted(fid) + ") FROM " + quoted(l.GetName());
        OGRLayer* r = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
        if (!r) return std::nullopt;
        if (std::unique_ptr<OGRFeature> f(r->GetNextFeature()); f && f->IsFieldSetAndNotNull(0) && f->IsFieldSetAndNotNull(1)) {
            lo = f->GetFieldAsInteger64(0);
            hi = f->GetFieldAsInteger64(1);
        }
        ds.ReleaseResultSet(r);
    }
    if (hi < lo) return std::nullopt;
    const auto parts = static_cast<std::size_t>(threads);
    const GIntBig span = hi - lo + 1;
    std::vector<FeaturePart> out(parts);
    std::atomic<bool> failed{false};
    parallel_for(
        parts,
        [&](std::size_t k) {
            try {
                const GIntBig a = lo + span * static_cast<GIntBig>(k) / static_cast<GIntBig>(parts);
                const GIntBig b = lo + span * static_cast<GIntBig>(k + 1) / static_cast<GIntBig>(parts);
                DatasetPtr own = open_allowed(path, {driver}, o, true);
                OGRLayer* pl = pick_layer(*own, path, o);
                const std::string filter =
                    quoted(fid) + " >= " + std::to_string(a) + " AND " + quoted(fid) + " < " + std::to_string(b);
                if (pl->SetAttributeFilter(filter.c_str()) != OGRERR_NONE) {
                    failed = true;
                    return;
                }
                // Part 0 reserves room for the whole layer: the join appends the others to it
                // instead of moving every feature into new arrays.
                const std::size_t n = plausible_count(path, static_cast<std::size_t>(count));
                FeaturePart p = read_features(*pl, rr, id_col, name, false, k == 0 ? n : n / parts + 16, n, fixes,
                                              o.arrow);
                if (!p.gdal_error.empty()) failed = true;
                out[k] = std::move(p);
            } catch (const std::exception&) {
                failed = true;  // the sequential read will name the feature and field
            }
        },
        {}, threads, 1);
    if (failed) return std::nullopt;
    std::size_t total = 0;
    for (const auto& p : out) total += p.ids.size();
    if (static_cast<GIntBig>(total) != count) return std::nullopt;  // a stale count: read it plainly
    return out;
}

}  // namespace

namespace {

Layer read_layer_impl(const std::string& path, const ReadOptions& o, bool copy_metric) {
    DatasetPtr ds = open_allowed(path, allowed_vector_drivers(), o, true);
    const std::string name = display(path, o);
    const std::string driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    OGRLayer* l = pick_layer(*ds, path, o);
    if (!o.where.empty() && l->SetAttributeFilter(o.where.c_str()) != OGRERR_NONE)
        throw InputError(ErrorContext{name, l->GetName()}, "cannot select features" + detail::gdal_message());
    const bool shapefile = driver == "ESRI Shapefile";
    RowReader rr = make_row_reader(*l, path, o, shapefile);
    // The layer's own count (GDAL's cheap one: a header, or -1), for reserving and for the Arrow
    // stream's minimum; 0 when unknown.
    const GIntBig layer_count = l->GetFeatureCount(FALSE);
    if (layer_count > 0) check_feature_count(static_cast<std::size_t>(layer_count), name);
    // A GeoPackage's cell-type scan (gpkg_cell_fixes: one full table scan) runs on a handle of
    // its own while the parallel parts are read without it; only if it finds a cell to fix
    // (a dirty file) are the parts read again with the fixes, so results and messages are
    // those of the scan-first order. (Scan first, then the parts, left one core idle.)
    const bool gpkg = driver == "GPKG";
    const bool overlap_scan = gpkg && o.parallel && default_thread_count() >= 2 &&
                              l->GetFeatureCount(FALSE) >= kParallelReadMin;
    CellFixes fixes;
    std::future<CellFixes> fixes_scan;
    if (overlap_scan) {
        fixes_scan = std::async(std::launch::async, [&path, &o] {
            DatasetPtr own = open_allowed(path, {"GPKG"}, o, true);
            return gpkg_cell_fixes(*own, *pick_layer(*own, path, o));
        });
    } else if (gpkg) {
        fixes = gpkg_cell_fixes(*ds, *l);
    }
    auto wait_fixes = [&] {
        if (!fixes_scan.valid()) return;
        try {
            fixes = fixes_scan.get();
        } catch (const std::exception&) {
            fixes = gpkg_cell_fixes(*ds, *l);  // the own handle failed: scan on this one
        }
    };

    Layer layer;
    layer.table.name = l->GetName();
    layer.table.path = name;
    layer.table.fields = rr.fields;
    if (const OGRSpatialReference* srs = l->GetSpatialRef()) {
        try {
            const std::string wkt = detail::srs_to_wkt(*srs);
            if (!wkt.empty()) layer.source_crs = Crs::from_wkt(wkt);
        } catch (const InputError& e) {
            throw InputError(ErrorContext{name}, e.bare_message());
        }
    }
    throw_if_fetch_refused(name);
    // RFC 7946: a GeoJSON file without a "crs" member is WGS 84 (GDAL says so too). We
    // remember whether the file said it, to tell projected coordinates from bad ones.
    if (driver == "GeoJSON") {
        std::ifstream in(path, std::ios::binary);
        std::string head(65536, '\0');
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in.gcount()));
        if (head.find("\"crs\"") == std::string::npos) layer.source_crs = Crs{};  // decided in georeferencing
    }

    const int id_col = [&] {
        if (!o.id_field.empty()) {
            const int j = layer.table.field_index(o.id_field);
            if (j < 0) throw InputError(ErrorContext{name, {}, {}, {}, o.id_field}, "id column not found");
            return j;
        }
        return layer.table.field_index("id");
    }();
    if (id_col >= 0) layer.id_field = layer.table.fields[static_cast<std::size_t>(id_col)].name;

    // A large GeoPackage in parallel parts; their join is the sequential read's result when
    // the ids are unique and the geometry types agree, and anything else is read again
    // sequentially, which names the first problem exactly as before.
    GeomType layer_type = GeomType::None;
    bool joined = false;
    ReadOptions opt = o;  // HUQIAN_ARROW=0: the feature loop everywhere (to compare the paths)
    if (const char* env = std::getenv("HUQIAN_ARROW"); env && std::string_view(env) == "0") opt.arrow = false;
    t_last_read_parts = 1;
    t_last_read_arrow = false;
    if ((gpkg || driver == "PostgreSQL") && o.parallel && o.where.empty()) {
        auto parts = read_parts(driver, *ds, *l, path, opt, rr, id_col, name, overlap_scan ? nullptr : &fixes);
        if (overlap_scan) {
            wait_fixes();
            if (parts && !fixes.empty()) parts = read_parts(driver, *ds, *l, path, opt, rr, id_col, name, &fixes);
        }
        if (parts) {
            std::size_t total = 0;
            for (const auto& p : *parts) total += p.ids.size();
            std::vector<std::string_view> all;  // views of the parts' ids, before they move
            all.reserve(total);
            IdSeen seen;
            seen.reserve(total);
            joined = true;
            for (const auto& p : *parts) {
                if (p.type != GeomType::None && layer_type != GeomType::None && p.type != layer_type) joined = false;
                if (p.type != GeomType::None) layer_type = p.type;
                for (const auto& id : p.ids) {
                    if (!joined || seen.insert(all, id, all.size()) != IdSeen::npos) {
                        joined = false;
                        break;
                    }
                    all.push_back(id);
                }
                if (!joined) break;
            }
            all.clear();
            if (joined) {
                t_last_read_parts = parts->size();
                t_last_read_arrow = std::all_of(parts->begin(), parts->end(), [](const FeaturePart& p) { return p.arrow; });
                // Part 0 was reserved for the whole layer: the others are appended to it.
                FeaturePart& first = parts->front();
                layer.ids = std::move(first.ids);
                layer.display = std::move(first.geometries);
                layer.table.rows = std::move(first.rows);
                layer.ids.reserve(total);
                layer.display.reserve(total);
                layer.table.rows.reserve(total);
                for (std::size_t k = 1; k < parts->size(); ++k) {
                    FeaturePart& p = (*parts)[k];
                    std::move(p.ids.begin(), p.ids.end(), std::back_inserter(layer.ids));
                    std::move(p.geometries.begin(), p.geometries.end(), std::back_inserter(layer.display));
                    std::move(p.rows.begin(), p.rows.end(), std::back_inserter(layer.table.rows));
                }
            }
        }
    }
    wait_fixes();
    if (!joined) {
        // The expected count matters: below the Arrow minimum the feature loop reads (passing 0
        // here sent every sequential read, a FlatGeobuf's included, to the feature loop).
        const std::size_t expected = plausible_count(path, layer_count > 0 ? static_cast<std::size_t>(layer_count) : 0);
        // Not a GeoPackage read in parts (a FlatGeobuf, a filtered or a small layer): GDAL's
        // batches and ours overlap on two threads when there are two.
        const bool pipeline = o.parallel && default_thread_count() >= 2;
        FeaturePart p = read_features(*l, rr, id_col, name, true, expected, expected, &fixes, opt.arrow, pipeline);
        if (!p.gdal_error.empty() && p.ids.empty())
            throw InputError(ErrorContext{name}, "cannot read features: " + p.gdal_error);
        layer_type = p.type;
        t_last_read_arrow = p.arrow;
        layer.ids = std::move(p.ids);
        layer.display = std::move(p.geometries);
        layer.table.rows = std::move(p.rows);
    }
    layer.geom_type = layer_type;
    if (copy_metric) {
        // A copy per geometry (an allocation each): in blocks on the cores when ReadOptions::parallel.
        const std::size_t n = layer.display.size();
        layer.metric.resize(n);
        constexpr std::size_t kBlock = 1 << 15;
        parallel_for((n + kBlock - 1) / kBlock, [&](std::size_t b) {
            const std::size_t end = std::min(n, (b + 1) * kBlock);
            for (std::size_t i = b * kBlock; i < end; ++i) layer.metric[i] = layer.display[i];
        }, {}, o.parallel ? 0u : 1u, 1);
    }
    return layer;
}

}  // namespace

Layer read_layer_raw(const std::string& path, const ReadOptions& o) { return read_layer_impl(path, o, true); }

Layer detail::read_layer_display_only(const std::string& path, const ReadOptions& o) {
    return read_layer_impl(path, o, false);
}

std::size_t detail::last_read_parts() { return t_last_read_parts; }
bool detail::last_read_arrow() { return t_last_read_arrow; }
std::size_t detail::set_arrow_min_features(std::size_t n) { return g_arrow_min_features.exchange(n); }

namespace {

/// A spreadsheet's first row is its header, always: GDAL's XLSX/ODS drivers otherwise guess,
/// and take a header of text over rows of text (a roster: 院落编号, 姓名, 民族) for data, naming
/// the columns Field1, Field2... Set for this thread while the table is opened and read.
class SpreadsheetHeaders {
public:
    SpreadsheetHeaders() {
        for (const char* k : kKeys) {
            const char* old = CPLGetThreadLocalConfigOption(k, nullptr);
            m_old.emplace_back(old ? std::optional<std::string>(old) : std::nullopt);
            CPLSetThreadLocalConfigOption(k, "FORCE");
        }
    }
    ~SpreadsheetHeaders() {
        for (std::size_t i = 0; i < std::size(kKeys); ++i)
            CPLSetThreadLocalConfigOption(kKeys[i], m_old[i] ? m_old[i]->c_str() : nullptr);
    }
    SpreadsheetHeaders(const SpreadsheetHeaders&) = delete;
    SpreadsheetHeaders& operator=(const SpreadsheetHeaders&) = delete;

private:
    static constexpr const char* kKeys[] = {"OGR_XLSX_HEADERS", "OGR_ODS_HEADERS"};
    std::vector<std::optional<std::string>> m_old;
};

}  // namespace

Table read_table(const std::string& path, const ReadOptions& o) {
    const SpreadsheetHeaders headers;
    DatasetPtr ds = open_allowed(path, allowed_table_drivers(), o, false);
    const std::string name = display(path, o);
    OGRLayer* l = pick_layer(*ds, path, o);
    const bool shapefile = ds->GetDriver() && std::string(ds->GetDriver()->GetDescription()) == "ESRI Shapefile";
    RowReader rr = make_row_reader(*l, path, o, shapefile);
    Table t;
    t.name = l->GetName();
    t.path = name;
    t.fields = rr.fields;
    const bool gpkg = ds->GetDriver() && std::string(ds->GetDriver()->GetDescription()) == "GPKG";
    const CellFixes fixes = gpkg ? gpkg_cell_fixes(*ds, *l) : CellFixes{};
    l->ResetReading();
    std::size_t index = 0;
    for (;;) {
        std::unique_ptr<OGRFeature> f(l->GetNextFeature());
        if (!f) break;
        if (index >= limits().features_per_layer) check_feature_count(index + 1, name);
        ErrorContext ctx{name, t.name, index, {}, {}};
        std::vector<Value> row(rr.fields.size());
        for (std::size_t j = 0; j < rr.fields.size(); ++j) {
            ctx.field = rr.fields[j].name;
            row[j] = read_cell(*f, static_cast<int>(j), rr.fields[j].type, rr.ogr_types[j], rr.encoding, ctx);
        }
        ctx.field.clear();
        apply_fixes(&fixes, f->GetFID(), row, rr.fields, ctx);
        t.rows.push_back(std::move(row));
        ++index;
    }
    return t;
}

}  // namespace hq
