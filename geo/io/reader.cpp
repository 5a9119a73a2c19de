#include "geo/io/reader.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "geo/core/error.hpp"
#include "geo/crs/srs.hpp"
#include "geo/core/parallel.hpp"
#include "geo/io/gdal_util.hpp"

namespace hq {

namespace fs = std::filesystem;

// [SECTION] GDAL set-up ---------------------------------------------------------------

namespace {

thread_local std::string t_gdal_error;
thread_local std::size_t t_last_read_parts = 0;  // detail::last_read_parts()

void CPL_STDCALL quiet_error_handler(CPLErr level, CPLErrorNum, const char* msg) {
    if (level >= CE_Failure && msg) t_gdal_error = msg;
}

using DatasetPtr = detail::GdalDatasetPtr;

std::string display(const std::string& path, const ReadOptions& o) {
    return o.display_name.empty() ? path : o.display_name;
}

}  // namespace

const std::vector<std::string>& allowed_vector_drivers() {
    static const std::vector<std::string> d{"GeoJSON", "GPKG", "ESRI Shapefile", "FlatGeobuf", "CSV"};
    return d;
}

const std::vector<std::string>& allowed_table_drivers() {
    static const std::vector<std::string> d{"CSV", "XLSX", "ODS", "GeoJSON", "GPKG", "ESRI Shapefile", "FlatGeobuf"};
    return d;
}

void init_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        // No network, ever: huqian works offline and never lets a file make GDAL fetch.
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
        CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none");
        CPLSetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
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

// [SECTION] Opening with the allowlist --------------------------------------------------

namespace {

bool is_remote(const std::string& path) {
    static const char* prefixes[] = {"/vsi", "http:", "https:", "ftp:", "s3:", "gs:", "az:", "file:", "PG:",
                                     "MySQL:", "OCI:", "WFS:", "ODBC:", "MSSQL:"};
    for (const char* p : prefixes)
        if (path.rfind(p, 0) == 0) return true;
    return path.find("://") != std::string::npos;
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

DatasetPtr open_allowed(const std::string& path, const std::vector<std::string>& allowed, const ReadOptions& o,
                        bool want_vector, CPLStringList open_options = {}) {
    init_gdal();
    const std::string name = display(path, o);
    if (is_remote(path))
        throw InputError(ErrorContext{name}, "remote and virtual paths are not opened (huqian works offline on local files)");
    std::error_code ec;
    if (!fs::exists(path, ec)) throw InputError(ErrorContext{name}, "file not found");
    if (fs::is_directory(path, ec)) throw InputError(ErrorContext{name}, "is a folder, not a file (a project folder needs project.json)");
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

    t_gdal_error.clear();
    CPLErrorReset();
    const unsigned flags = GDAL_OF_VECTOR | GDAL_OF_READONLY;
    DatasetPtr ds(GDALDataset::FromHandle(
        GDALOpenEx(path.c_str(), flags, drivers.List(), open_options.List(), nullptr)));
    if (ds) return ds;

    std::string why = t_gdal_error.empty() ? CPLGetLastErrorMsg() : t_gdal_error;
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

/// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t invalid_utf8_at(const std::string& s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return std::string::npos;
}

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
    for (const auto& poly : out.polygons)
        for (const auto& r : poly.rings)
            for (const auto& p : r)
                if (!std::isfinite(p.x) || !std::isfinite(p.y)) throw InputError(ctx, "coordinate is not a finite number");
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
        case FieldType::String: {
            std::string s = recode(f.GetFieldAsString(j), encoding);
            const std::size_t bad = invalid_utf8_at(s);
            if (bad != std::string::npos)
                throw InputError(ctx, "text is not valid UTF-8 (at byte " + std::to_string(bad) +
                                          "); for a legacy Chinese file pass --encoding GBK");
            return s;
        }
    }
    return std::monostate{};
}

struct RowReader {
    std::vector<Field> fields;
    std::vector<OGRFieldType> ogr_types;
    std::string encoding;  // recode strings from this (for drivers without an ENCODING option)
};

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
};

/// Reads every feature `l` returns (after any attribute filter), in order; the first problem
/// throws InputError naming the feature by its index and id. With `check_duplicates`, a
/// repeated id is one (the parallel read checks ids across its parts instead).
FeaturePart read_features(OGRLayer& l, const RowReader& rr, int id_col, const std::string& name,
                          bool check_duplicates, std::size_t expected) {
    FeaturePart part;
    std::unordered_map<std::string, std::size_t> seen;
    part.ids.reserve(expected);
    part.geometries.reserve(expected);
    part.rows.reserve(expected);
    l.ResetReading();
    t_gdal_error.clear();
    std::size_t index = 0;
    for (;;) {
        std::unique_ptr<OGRFeature> f(l.GetNextFeature());
        if (!f) break;
        ErrorContext ctx{name, {}, index, {}, {}};
        std::vector<Value> row(rr.fields.size());
        // The id first, so that every later message can name it.
        if (id_col >= 0) {
            const auto jc = static_cast<std::size_t>(id_col);
            ctx.field = rr.fields[jc].name;
            row[jc] = read_cell(*f, id_col, rr.fields[jc].type, rr.ogr_types[jc], rr.encoding, ctx);
        }
        std::string id = id_col >= 0 ? value_to_string(row[static_cast<std::size_t>(id_col)])
                                     : std::to_string(f->GetFID() == OGRNullFID ? static_cast<GIntBig>(index) : f->GetFID());
        if (id.empty()) throw InputError(ctx, "feature id is empty");
        ctx.field.clear();
        ctx.feature_id = id;
        for (std::size_t j = 0; j < rr.fields.size(); ++j) {
            if (static_cast<int>(j) == id_col) continue;
            ctx.field = rr.fields[j].name;
            row[j] = read_cell(*f, static_cast<int>(j), rr.fields[j].type, rr.ogr_types[j], rr.encoding, ctx);
        }
        ctx.field.clear();
        if (check_duplicates) {
            if (auto [it, inserted] = seen.emplace(id, index); !inserted) {
                ctx.field = id_col >= 0 ? rr.fields[static_cast<std::size_t>(id_col)].name : std::string();
                throw InputError(ctx, "duplicate feature id (also used by feature " + std::to_string(it->second) + ")");
            }
        }
        Geometry g = geometry_from_ogr(f->GetGeometryRef(), ctx);
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
        ++index;
    }
    part.gdal_error = t_gdal_error;
    return part;
}

/// Features of a GeoPackage layer at least this large are read in parallel parts.
constexpr GIntBig kParallelReadMin = 20000;

/// A large GeoPackage layer read by several threads, each on its own dataset handle (GDAL
/// handles are not shared between threads) with a range of feature ids, the parts joined
/// in id order — the order a single sequential read returns (a GeoPackage table scan is in
/// rowid order, and the fid column is the rowid). Empty when the layer does not qualify or
/// any part meets a problem: the caller then reads sequentially, which reports the problem
/// with the feature's index in the whole layer.
std::optional<std::vector<FeaturePart>> read_gpkg_parts(GDALDataset& ds, OGRLayer& l, const std::string& path,
                                                       const ReadOptions& o, const RowReader& rr, int id_col,
                                                       const std::string& name) {
    const unsigned threads = std::min(default_thread_count(), 8u);
    if (threads < 2) return std::nullopt;
    const GIntBig count = l.GetFeatureCount(FALSE);
    const std::string fid = l.GetFIDColumn();
    if (count < kParallelReadMin || fid.empty()) return std::nullopt;
    auto quoted = [](const std::string& s) {
        std::string q = "\"";
        for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
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
                DatasetPtr own = open_allowed(path, {"GPKG"}, o, true);
                OGRLayer* pl = pick_layer(*own, path, o);
                const std::string filter =
                    quoted(fid) + " >= " + std::to_string(a) + " AND " + quoted(fid) + " < " + std::to_string(b);
                if (pl->SetAttributeFilter(filter.c_str()) != OGRERR_NONE) {
                    failed = true;
                    return;
                }
                FeaturePart p = read_features(*pl, rr, id_col, name, false,
                                              static_cast<std::size_t>(count) / parts + 16);
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

Layer read_layer_raw(const std::string& path, const ReadOptions& o) {
    DatasetPtr ds = open_allowed(path, allowed_vector_drivers(), o, true);
    const std::string name = display(path, o);
    const std::string driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    OGRLayer* l = pick_layer(*ds, path, o);
    const bool shapefile = driver == "ESRI Shapefile";
    RowReader rr = make_row_reader(*l, path, o, shapefile);

    Layer layer;
    layer.table.name = l->GetName();
    layer.table.path = name;
    layer.table.fields = rr.fields;
    if (const OGRSpatialReference* srs = l->GetSpatialRef()) {
        const std::string wkt = detail::srs_to_wkt(*srs);
        if (!wkt.empty()) layer.source_crs = Crs::from_wkt(wkt);
    }
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
    t_last_read_parts = 1;
    if (driver == "GPKG" && o.parallel) {
        if (auto parts = read_gpkg_parts(*ds, *l, path, o, rr, id_col, name)) {
            std::size_t total = 0;
            for (const auto& p : *parts) total += p.ids.size();
            std::unordered_set<std::string_view> seen;  // views of the parts' ids, before they move
            seen.reserve(total);
            joined = true;
            for (const auto& p : *parts) {
                if (p.type != GeomType::None && layer_type != GeomType::None && p.type != layer_type) joined = false;
                if (p.type != GeomType::None) layer_type = p.type;
                for (const auto& id : p.ids) joined = joined && seen.insert(id).second;
                if (!joined) break;
            }
            seen.clear();
            if (joined) {
                t_last_read_parts = parts->size();
                layer.ids.reserve(total);
                layer.display.reserve(total);
                layer.table.rows.reserve(total);
                for (auto& p : *parts) {
                    std::move(p.ids.begin(), p.ids.end(), std::back_inserter(layer.ids));
                    std::move(p.geometries.begin(), p.geometries.end(), std::back_inserter(layer.display));
                    std::move(p.rows.begin(), p.rows.end(), std::back_inserter(layer.table.rows));
                }
            }
        }
    }
    if (!joined) {
        FeaturePart p = read_features(*l, rr, id_col, name, true, 0);
        if (!p.gdal_error.empty() && p.ids.empty())
            throw InputError(ErrorContext{name}, "cannot read features: " + p.gdal_error);
        layer_type = p.type;
        layer.ids = std::move(p.ids);
        layer.display = std::move(p.geometries);
        layer.table.rows = std::move(p.rows);
    }
    layer.geom_type = layer_type;
    layer.metric = layer.display;
    return layer;
}

std::size_t detail::last_read_parts() { return t_last_read_parts; }

Table read_table(const std::string& path, const ReadOptions& o) {
    DatasetPtr ds = open_allowed(path, allowed_table_drivers(), o, false);
    const std::string name = display(path, o);
    OGRLayer* l = pick_layer(*ds, path, o);
    const bool shapefile = ds->GetDriver() && std::string(ds->GetDriver()->GetDescription()) == "ESRI Shapefile";
    RowReader rr = make_row_reader(*l, path, o, shapefile);
    Table t;
    t.name = l->GetName();
    t.path = name;
    t.fields = rr.fields;
    l->ResetReading();
    std::size_t index = 0;
    for (;;) {
        std::unique_ptr<OGRFeature> f(l->GetNextFeature());
        if (!f) break;
        ErrorContext ctx{name, t.name, index, {}, {}};
        std::vector<Value> row(rr.fields.size());
        for (std::size_t j = 0; j < rr.fields.size(); ++j) {
            ctx.field = rr.fields[j].name;
            row[j] = read_cell(*f, static_cast<int>(j), rr.fields[j].type, rr.ogr_types[j], rr.encoding, ctx);
        }
        t.rows.push_back(std::move(row));
        ++index;
    }
    return t;
}

}  // namespace hq
