#include "geo/io/writer.hpp"
#include "geo/io/ogr_convert.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include <unistd.h>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "geo/core/error.hpp"
#include "geo/io/gdal_util.hpp"
#include "geo/io/reader.hpp"

namespace hq {

using detail::file_error;
using detail::gdal_message;

namespace fs = std::filesystem;

namespace {



std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

namespace detail {

AtomicFile::AtomicFile(std::string path) : m_path(std::move(path)) {
    static std::atomic<unsigned> counter{0};
    const fs::path target(m_path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string name(1, '.');
    name += target.stem().string();
    name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
    name += target.extension().string();
    m_temp = (dir / name).string();
}

AtomicFile::~AtomicFile() {
    if (!m_committed) discard();
}

void AtomicFile::discard() noexcept {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm", ".aux.xml"}) fs::remove(m_temp + suffix, ec);
}

void AtomicFile::commit() {
    std::error_code ec;
    if (!fs::exists(m_temp, ec)) throw file_error(m_path, "the file was not written");
    fs::rename(m_temp, m_path, ec);
    if (ec) {
        discard();
        throw file_error(m_path, "cannot write the file: " + ec.message());
    }
    m_committed = true;
}

}  // namespace detail

void write_file_atomic(const std::string& path, std::string_view bytes) {
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw file_error(path, "cannot write: the folder does not exist");
    detail::AtomicFile file(path);
    {
        std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
        if (!out) throw file_error(path, "cannot write: permission denied or read-only folder");
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) throw file_error(path, "cannot write the file (disk full?)");
    }
    file.commit();
}

VectorFormat vector_format_for(const std::string& path) {
    const std::string ext = lower(fs::path(path).extension().string());
    if (ext == ".geojson" || ext == ".json") return VectorFormat::GeoJSON;
    if (ext == ".gpkg") return VectorFormat::GeoPackage;
    throw file_error(path, "unknown output format \"" + ext + "\" (use .geojson or .gpkg)");
}

namespace {

OGRwkbGeometryType ogr_type(GeomType t) {
    switch (t) {
        case GeomType::None: return wkbNone;
        case GeomType::Point: return wkbPoint;
        case GeomType::MultiPoint: return wkbMultiPoint;
        case GeomType::LineString: return wkbLineString;
        case GeomType::MultiLineString: return wkbMultiLineString;
        case GeomType::Polygon: return wkbPolygon;
        case GeomType::MultiPolygon: return wkbMultiPolygon;
    }
    return wkbUnknown;
}

GeomType multi_of(GeomType t) {
    switch (t) {
        case GeomType::Point: return GeomType::MultiPoint;
        case GeomType::LineString: return GeomType::MultiLineString;
        case GeomType::Polygon: return GeomType::MultiPolygon;
        default: return t;
    }
}

/// The declared type of the layer: the features' common type; a mix of X and MultiX is MultiX;
/// anything else is unknown (GeometryCollection-free "Geometry").
GeomType layer_type(const std::vector<Geometry>& geoms, GeomType declared) {
    GeomType t = GeomType::None;
    bool first = true;
    for (const auto& g : geoms) {
        if (g.type == GeomType::None) continue;
        if (first) {
            t = g.type;
            first = false;
        } else if (g.type != t) {
            if (multi_of(g.type) == multi_of(t)) {
                t = multi_of(t);
            } else {
                return GeomType::None;  // mixed dimensions → wkbUnknown
            }
        }
    }
    if (first) return declared;
    return t;
}

/// Our geometry as OGR, promoted to the multi type when the layer is multi.
std::unique_ptr<OGRGeometry> to_ogr(const Geometry& g, GeomType layer) {
    const bool multi = layer == GeomType::MultiPoint || layer == GeomType::MultiLineString ||
                       layer == GeomType::MultiPolygon || g.points.size() > 1 || g.lines.size() > 1 ||
                       g.polygons.size() > 1 || g.type == GeomType::MultiPoint ||
                       g.type == GeomType::MultiLineString || g.type == GeomType::MultiPolygon;
    if (!g.polygons.empty()) {
        if (!multi) return std::unique_ptr<OGRGeometry>(detail::make_ogr_polygon(g.polygons.front()));
        auto mp = std::make_unique<OGRMultiPolygon>();
        for (const auto& p : g.polygons) mp->addGeometryDirectly(detail::make_ogr_polygon(p));
        return mp;
    }
    if (!g.lines.empty()) {
        if (!multi) return std::unique_ptr<OGRGeometry>(detail::make_ogr_line(g.lines.front()));
        auto ml = std::make_unique<OGRMultiLineString>();
        for (const auto& l : g.lines) ml->addGeometryDirectly(detail::make_ogr_line(l));
        return ml;
    }
    if (!g.points.empty()) {
        if (!multi) return std::make_unique<OGRPoint>(g.points.front().x, g.points.front().y);
        auto mp = std::make_unique<OGRMultiPoint>();
        for (const auto& p : g.points) mp->addGeometryDirectly(new OGRPoint(p.x, p.y));
        return mp;
    }
    return nullptr;
}

std::string format_value(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        return buf;
    }
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    return {};
}

bool parse_date(const std::string& s, int& y, int& m, int& d) {
    if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(s[static_cast<std::size_t>(i)]))) return false;
    y = std::stoi(s.substr(0, 4));
    m = std::stoi(s.substr(5, 2));
    d = std::stoi(s.substr(8, 2));
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

using DatasetCloser = detail::GdalCloser;

struct SrsDeleter {
    void operator()(OGRSpatialReference* s) const noexcept {
        if (s) s->Release();
    }
};
using SrsPtr = std::unique_ptr<OGRSpatialReference, SrsDeleter>;

SrsPtr make_srs(const std::string& wkt, const std::string& path) {
    if (wkt.empty()) return nullptr;
    SrsPtr srs(new OGRSpatialReference());
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (srs->importFromWkt(wkt.c_str()) != OGRERR_NONE) throw file_error(path, "the layer's CRS is not valid WKT");
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

}  // namespace

void write_layer(const Layer& layer, const std::string& path, const WriteOptions& options, const Progress& progress) {
    const VectorFormat format = options.format == VectorFormat::Auto ? vector_format_for(path) : options.format;
    const bool geojson = format == VectorFormat::GeoJSON;
    const bool use_display = geojson || options.geometry == GeometrySource::Display;
    const std::vector<Geometry>& geoms = use_display ? layer.display : layer.metric;
    const std::size_t n = layer.table.rows.size();
    if (!geoms.empty() && geoms.size() != n)
        throw file_error(path, "the layer has " + std::to_string(geoms.size()) + " geometries for " +
                                   std::to_string(n) + " rows");
    if (!layer.ids.empty() && layer.ids.size() != n)
        throw file_error(path, "the layer has " + std::to_string(layer.ids.size()) + " ids for " +
                                   std::to_string(n) + " rows");
    for (std::size_t i = 0; i < n; ++i)
        if (layer.table.rows[i].size() != layer.table.fields.size())
            throw file_error(path, "row " + std::to_string(i) + " does not match the fields");

    init_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(geojson ? "GeoJSON" : "GPKG");
    if (!driver) throw file_error(path, std::string("GDAL has no ") + (geojson ? "GeoJSON" : "GPKG") + " driver");

    // CRS: display is WGS 84 lon/lat unless the layer is planar; metric is options.metric_crs.
    std::string wkt;
    if (use_display) {
        if (!layer.planar) wkt = Crs::wgs84().wkt;
    } else {
        wkt = options.metric_crs.wkt;
    }
    SrsPtr srs = make_srs(wkt, path);

    std::string name = options.layer_name;
    if (name.empty()) name = layer.table.name;
    if (name.empty()) name = fs::path(path).stem().string();

    detail::AtomicFile file(path);
    CPLErrorReset();
    {
        std::unique_ptr<GDALDataset, DatasetCloser> ds(driver->Create(file.temp_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw file_error(path, "cannot create the file" + gdal_message());

        const GeomType gtype = geoms.empty() ? GeomType::None : layer_type(geoms, layer.geom_type);
        OGRwkbGeometryType wkb = geoms.empty() ? wkbNone : ogr_type(gtype);
        if (!geoms.empty() && gtype == GeomType::None) wkb = wkbUnknown;
        char** lco = nullptr;
        if (geojson && !layer.planar) lco = CSLSetNameValue(lco, "RFC7946", "YES");
        if (!geojson) lco = CSLSetNameValue(lco, "FID", "fid");
        OGRLayer* out = ds->CreateLayer(name.c_str(), srs.get(), wkb, lco);
        CSLDestroy(lco);
        if (!out) throw file_error(path, "cannot create layer " + name + gdal_message());

        const bool write_ids = !options.id_field.empty() && layer.table.field_index(options.id_field) < 0 &&
                               !layer.ids.empty();
        int next_field = 0;
        int id_index = -1;
        if (write_ids) {
            OGRFieldDefn def(options.id_field.c_str(), OFTString);
            if (out->CreateField(&def) != OGRERR_NONE)
                throw file_error(path, "cannot create field " + options.id_field + gdal_message());
            id_index = next_field++;
        }
        std::vector<int> field_index(layer.table.fields.size());
        for (std::size_t j = 0; j < layer.table.fields.size(); ++j) {
            const Field& f = layer.table.fields[j];
            OGRFieldDefn def(f.name.c_str(), detail::ogr_field_type(f.type));
            if (out->CreateField(&def) != OGRERR_NONE)
                throw file_error(path, "cannot create field " + f.name + gdal_message());
            field_index[j] = next_field++;
        }

        const bool transaction = !geojson && ds->StartTransaction() == OGRERR_NONE;
        const std::size_t step = std::max<std::size_t>(1, n / 100);
        for (std::size_t i = 0; i < n; ++i) {
            if (i % step == 0) {
                progress.check();
                progress.report(static_cast<double>(i) / static_cast<double>(std::max<std::size_t>(n, 1)), "writing");
            }
            OGRFeature feature(out->GetLayerDefn());
            if (id_index >= 0) feature.SetField(id_index, layer.ids[i].c_str());
            const auto& row = layer.table.rows[i];
            for (std::size_t j = 0; j < row.size(); ++j) {
                const int k = field_index[j];
                const Value& v = row[j];
                const FieldType ft = layer.table.fields[j].type;
                if (std::holds_alternative<std::monostate>(v)) {
                    feature.SetFieldNull(k);
                } else if (ft == FieldType::Date) {
                    int y = 0, m = 0, d = 0;
                    const std::string s = format_value(v);
                    if (!parse_date(s, y, m, d)) {
                        ErrorContext c;
                        c.file = path;
                        c.feature = i;
                        if (!layer.ids.empty()) c.feature_id = layer.ids[i];
                        c.field = layer.table.fields[j].name;
                        throw InputError(c, "\"" + s + "\" is not a date (YYYY-MM-DD)");
                    }
                    feature.SetField(k, y, m, d);
                } else if (const auto* iv = std::get_if<std::int64_t>(&v)) {
                    if (ft == FieldType::String)
                        feature.SetField(k, std::to_string(*iv).c_str());
                    else
                        feature.SetField(k, static_cast<GIntBig>(*iv));
                } else if (const auto* dv = std::get_if<double>(&v)) {
                    if (!std::isfinite(*dv))
                        feature.SetFieldNull(k);
                    else if (ft == FieldType::String)
                        feature.SetField(k, format_value(v).c_str());
                    else
                        feature.SetField(k, *dv);
                } else if (const auto* sv = std::get_if<std::string>(&v)) {
                    feature.SetField(k, sv->c_str());
                }
            }
            if (!geoms.empty()) {
                auto g = to_ogr(geoms[i], gtype);
                if (g) {
                    if (srs) g->assignSpatialReference(srs.get());
                    feature.SetGeometryDirectly(g.release());
                }
            }
            if (out->CreateFeature(&feature) != OGRERR_NONE) {
                ErrorContext c;
                c.file = path;
                c.feature = i;
                if (!layer.ids.empty()) c.feature_id = layer.ids[i];
                throw InputError(c, "cannot write the feature" + gdal_message());
            }
        }
        if (transaction && ds->CommitTransaction() != OGRERR_NONE)
            throw file_error(path, "cannot write the features" + gdal_message());
        ds->FlushCache();
        if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "cannot write the file" + gdal_message());
    }
    if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "cannot write the file" + gdal_message());
    file.commit();
    progress.report(1.0, "writing");
}

}  // namespace hq
