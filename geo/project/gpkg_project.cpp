#include "geo/project/gpkg_project.hpp"
#include "geo/io/ogr_convert.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <random>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "geo/core/error.hpp"
#include "geo/crs/srs.hpp"
#include "geo/io/gdal_util.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"

namespace hq {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kManifestTable = "huqian_manifest";
constexpr const char* kZonesTable = "huqian_zones";
constexpr const char* kIdColumn = "huqian_id";

using detail::file_error;

std::string gdal_message() {
    const char* m = CPLGetLastErrorMsg();
    return (m && *m) ? std::string(" (") + one_line(m) + ")" : std::string();
}

using DatasetPtr = detail::GdalDatasetPtr;

using detail::SrsPtr;

SrsPtr make_srs(const Crs& crs, const std::string& path) {
    return crs.known() ? detail::srs_from_wkt(crs.wkt, ErrorContext{.file = path}) : nullptr;
}

// [SECTION] Writing ---------------------------------------------------------------------------

/// Our geometry as OGR; `multi` promotes single parts to the multi type.
OGRGeometry* to_ogr(const Geometry& g, bool multi) {
    if (!g.polygons.empty()) {
        if (!multi) return detail::make_ogr_polygon(g.polygons.front());
        auto* mp = new OGRMultiPolygon();
        for (const auto& p : g.polygons) mp->addGeometryDirectly(detail::make_ogr_polygon(p));
        return mp;
    }
    if (!g.lines.empty()) {
        if (!multi) return detail::make_ogr_line(g.lines.front());
        auto* ml = new OGRMultiLineString();
        for (const auto& l : g.lines) ml->addGeometryDirectly(detail::make_ogr_line(l));
        return ml;
    }
    if (!g.points.empty()) {
        if (!multi) return new OGRPoint(g.points.front().x, g.points.front().y);
        auto* mp = new OGRMultiPoint();
        for (const auto& p : g.points) mp->addGeometryDirectly(new OGRPoint(p.x, p.y));
        return mp;
    }
    return nullptr;
}

OGRwkbGeometryType table_type(const std::vector<Geometry>& geoms, GeomType declared, bool& multi) {
    bool poly = false, line = false, point = false;
    multi = false;
    for (const auto& g : geoms) {
        poly |= !g.polygons.empty();
        line |= !g.lines.empty();
        point |= !g.points.empty();
        multi |= g.polygons.size() > 1 || g.lines.size() > 1 || g.points.size() > 1 ||
                 g.type == GeomType::MultiPolygon || g.type == GeomType::MultiLineString ||
                 g.type == GeomType::MultiPoint;
    }
    if (int(poly) + int(line) + int(point) > 1) {
        multi = false;
        return wkbUnknown;
    }
    if (!poly && !line && !point) {
        if (declared == GeomType::Point) point = true;
        else if (declared == GeomType::LineString || declared == GeomType::MultiLineString) line = true;
        else poly = true;
    }
    if (poly) return multi ? wkbMultiPolygon : wkbPolygon;
    if (line) return multi ? wkbMultiLineString : wkbLineString;
    return multi ? wkbMultiPoint : wkbPoint;
}

/// The table column whose values are the feature ids (the layer's id field first), or "" if none.
std::string id_column(const Layer& l) {
    auto holds_ids = [&](int k) {
        bool all = k >= 0 && l.size() > 0;
        for (std::size_t i = 0; all && i < l.size(); ++i)
            all = value_to_string(l.table.rows[i][static_cast<std::size_t>(k)]) == l.ids[i];
        return all;
    };
    if (!l.id_field.empty() && holds_ids(l.table.field_index(l.id_field))) return l.id_field;
    for (const Field& f : l.table.fields)
        if (holds_ids(l.table.field_index(f.name))) return f.name;
    return {};
}

/// The name of the column a save adds for the feature ids: huqian_id, or when the layer has a
/// column of that name itself (a whole district table's, whose ids are the database's feature
/// ids), the first free of huqian_id_1, huqian_id_2, ...
std::string added_id_column(const Layer& l) {
    std::string name = kIdColumn;
    for (int k = 1; l.table.field_index(name) >= 0; ++k) name = std::string(kIdColumn) + "_" + std::to_string(k);
    return name;
}

/// Writes a table (with geometry `geoms` in `srs`) into the open GeoPackage; a non-empty
/// `added_id` is a column added first that holds the feature ids.
void write_table(GDALDataset& ds, const std::string& path, const std::string& name, const Layer& l,
                 const std::vector<Geometry>& geoms, OGRSpatialReference* srs, const std::string& added_id = {}) {
    bool multi = false;
    const OGRwkbGeometryType wkb = table_type(geoms, l.geom_type, multi);
    char** lco = nullptr;
    lco = CSLSetNameValue(lco, "FID", "fid");
    lco = CSLSetNameValue(lco, "SPATIAL_INDEX", "YES");
    OGRLayer* out = ds.CreateLayer(name.c_str(), srs, wkb, lco);
    CSLDestroy(lco);
    if (!out) throw file_error(path, "cannot create table " + name + gdal_message());
    int next = 0, id_index = -1;
    if (!added_id.empty()) {
        OGRFieldDefn def(added_id.c_str(), OFTString);
        if (out->CreateField(&def) != OGRERR_NONE) throw file_error(path, "cannot create a column" + gdal_message());
        id_index = next++;
    }
    std::vector<int> index(l.table.fields.size());
    for (std::size_t j = 0; j < l.table.fields.size(); ++j) {
        OGRFieldDefn def(l.table.fields[j].name.c_str(), detail::ogr_field_type(l.table.fields[j].type));
        if (out->CreateField(&def) != OGRERR_NONE)
            throw file_error(path, "cannot create column " + l.table.fields[j].name + gdal_message());
        index[j] = next++;
    }
    for (std::size_t i = 0; i < l.table.rows.size(); ++i) {
        OGRFeature f(out->GetLayerDefn());
        if (id_index >= 0) f.SetField(id_index, l.ids[i].c_str());
        const auto& row = l.table.rows[i];
        for (std::size_t j = 0; j < row.size() && j < index.size(); ++j) {
            const int k = index[j];
            const Value& v = row[j];
            const FieldType ft = l.table.fields[j].type;
            if (std::holds_alternative<std::monostate>(v)) {
                f.SetFieldNull(k);
            } else if (const auto* s = std::get_if<std::string>(&v)) {
                int y = 0, m = 0, d = 0;
                if (ft == FieldType::Date && std::sscanf(s->c_str(), "%d-%d-%d", &y, &m, &d) == 3)
                    f.SetField(k, y, m, d);
                else
                    f.SetField(k, s->c_str());
            } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
                f.SetField(k, static_cast<GIntBig>(*n));
            } else if (const auto* x = std::get_if<double>(&v)) {
                if (std::isfinite(*x)) f.SetField(k, *x);
                else f.SetFieldNull(k);
            }
        }
        if (i < geoms.size()) {
            if (OGRGeometry* g = to_ogr(geoms[i], multi)) {
                if (srs) g->assignSpatialReference(srs);
                f.SetGeometryDirectly(g);
            }
        }
        if (out->CreateFeature(&f) != OGRERR_NONE) {
            ErrorContext c{path, name, i, i < l.ids.size() ? l.ids[i] : std::string(), {}};
            throw InputError(c, "cannot write the feature" + gdal_message());
        }
    }
}

json manifest_json(const Project& p, const std::vector<json>& layers) {
    json j;
    j["huqian_manifest"] = 1;
    j["format"] = kGpkgProjectFormat;
    j["version"] = kGpkgProjectVersion;
    j["name"] = {{"zh", p.name_zh}, {"en", p.name_en}};
    j["illustrative"] = p.illustrative;
    j["source"] = {{"zh", p.source_zh}, {"en", p.source_en}};
    j["unit_noun"] = {{"zh", p.unit_noun_zh}, {"en", p.unit_noun_en}, {"en_plural", p.unit_noun_en_plural}};
    j["group_noun"] = {{"zh", p.group_noun_zh}, {"en", p.group_noun_en}};
    j["planar"] = p.planar;
    j["crs"] = p.metric_crs.known() ? json{{"wkt", p.metric_crs.wkt}, {"epsg", p.metric_crs.epsg}, {"name", p.metric_crs.name}}
                                    : json(nullptr);
    j["count_roles"] = p.count_roles;
    json groups = json::array();
    for (const auto& g : p.groups)
        groups.push_back({{"column", g.column},
                          {"registered", g.registered_column},
                          {"temporary", g.temporary_column},
                          {"zh", g.name_zh},
                          {"en", g.name_en},
                          {"color", g.color}});
    j["groups"] = groups;
    j["layers"] = layers;
    return j;
}

json scenarios_json(const std::vector<plan::Scenario>& scenarios) {
    json a = json::array();
    for (const auto& s : scenarios) {
        json moves = json::array();
        for (const auto& m : s.moves) moves.push_back({{"group", m.group}, {"from", m.from}, {"to", m.to}, {"count", m.count}});
        a.push_back({{"name", s.name}, {"description", s.description}, {"zones", s.zone_ids}, {"moves", moves}});
    }
    return a;
}

/// The current UTC time: "2026-12-07T01:20:00Z", or compact "20261207T012000Z" for file names.
std::string utc_time(bool compact) {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    if (compact) std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    else std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}
std::string now_iso() { return utc_time(false); }


/// A new revision: the time and 64 random bits (two saves in one second differ).
std::string new_revision() {
    std::random_device rd;
    char buf[24];
    std::snprintf(buf, sizeof buf, "-%08x%08x", rd(), rd());
    return now_iso() + buf;
}

/// "DIR/NAME.conflict-TIME.gpkg" (then "-2", "-3"... if taken).
std::string conflict_path(const std::string& path, int attempt) {
    const fs::path p(path);
    std::string name = p.stem().string() + ".conflict-" + utc_time(true);
    if (attempt > 1) name += "-" + std::to_string(attempt);
    return (p.parent_path() / (name + ".gpkg")).string();
}

/// An exclusive flock on the file at `path` while a save compares revisions and renames (a
/// second saver waits, then sees the first one's revision). No file: nothing to lock.
class SaveLock {
public:
    explicit SaveLock(const std::string& path) {
        m_fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (m_fd >= 0) ::flock(m_fd, LOCK_EX);
    }
    ~SaveLock() {
        if (m_fd >= 0) ::close(m_fd);
    }
    SaveLock(const SaveLock&) = delete;
    SaveLock& operator=(const SaveLock&) = delete;

private:
    int m_fd = -1;
};

}  // namespace

// [SECTION] Save -----------------------------------------------------------------------------

SaveConflict::SaveConflict(const std::string& path, std::string saved_as_)
    : InputError(ErrorContext{path, {}, {}, {}, {}},
                 "保存冲突：此项目打开后已被另一程序保存，您的版本已另存为 " + saved_as_ +
                     " / save conflict: another program saved this project after it was opened; your version "
                     "was saved as " + saved_as_),
      saved_as(std::move(saved_as_)) {}

std::string save_gpkg_project(const Project& p, const plan::PlanDocument& doc, const std::string& path,
                              const Progress& progress, const std::optional<std::string>& base_revision) {
    init_gdal();
    if (fs::path(path).extension() != ".gpkg") throw file_error(path, "a project file must end in .gpkg");
    const std::string revision = new_revision();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw file_error(path, "GDAL has no GPKG driver");
    SrsPtr wgs84 = p.planar ? nullptr : make_srs(Crs::wgs84(), path);
    SrsPtr metric = make_srs(p.metric_crs, path);

    AtomicFile file(path, AtomicFile::Kind::Named);
    CPLErrorReset();
    {
        DatasetPtr ds(driver->Create(file.temp_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw file_error(path, "cannot create the file" + gdal_message());
        const bool tx = ds->StartTransaction() == OGRERR_NONE;
        std::vector<json> layers;
        for (std::size_t k = 0; k < p.layers.size(); ++k) {
            progress.check();
            progress.report(0.9 * static_cast<double>(k) / static_cast<double>(p.layers.size() + 1), "saving layers");
            const LayerEntry& e = p.layers[k];
            // One zones layer: the planning document's (huqian_zones, below). The project's
            // zones layer is what the document was made from, or a copy of it read back.
            if (e.role == Role::Zones) continue;
            const std::string table = role_name(e.role);
            std::string idc = id_column(e.layer);
            const bool add_id = idc.empty();
            if (add_id) idc = added_id_column(e.layer);
            write_table(*ds, path, table, e.layer, e.layer.display, wgs84.get(), add_id ? idc : std::string());
            // id_added: the id column is the save's own (dropped again when read), not the layer's.
            layers.push_back({{"role", table}, {"table", table}, {"id_field", idc}, {"id_added", add_id},
                              {"name", e.layer.name()}, {"source", e.layer.path()}});
        }
        progress.report(0.9, "saving zones");
        const Layer zones = zones_to_layer(doc.zones, p.planar ? Crs{} : p.metric_crs, kZonesTable);
        write_table(*ds, path, kZonesTable, zones, zones.metric, metric.get());

        OGRLayer* m = ds->CreateLayer(kManifestTable, nullptr, wkbNone, nullptr);
        if (!m) throw file_error(path, "cannot create table huqian_manifest" + gdal_message());
        OGRFieldDefn key("key", OFTString), value("value", OFTString);
        if (m->CreateField(&key) != OGRERR_NONE || m->CreateField(&value) != OGRERR_NONE)
            throw file_error(path, "cannot create table huqian_manifest" + gdal_message());
        json settings = json::object();
        for (const auto& [k, v] : doc.settings) settings[k] = v;
        const std::pair<std::string, std::string> rows[] = {
            {"format", kGpkgProjectFormat},
            {"version", std::to_string(kGpkgProjectVersion)},
            {"manifest", manifest_json(p, layers).dump(2)},
            {"scenarios", scenarios_json(doc.scenarios).dump(2)},
            {"settings", settings.dump(2)},
            {"saved", now_iso()},
            {"revision", revision},
        };
        for (const auto& [k, v] : rows) {
            OGRFeature f(m->GetLayerDefn());
            f.SetField(0, k.c_str());
            f.SetField(1, v.c_str());
            if (m->CreateFeature(&f) != OGRERR_NONE) throw file_error(path, "cannot write the manifest" + gdal_message());
        }
        if (tx && ds->CommitTransaction() != OGRERR_NONE) throw file_error(path, "cannot write the file" + gdal_message());
        ds->FlushCache();
        if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "cannot write the file" + gdal_message());
    }
    if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "cannot write the file" + gdal_message());
    {
        const SaveLock lock(path);
        if (!base_revision || gpkg_project_revision(path) == *base_revision) {
            file.commit();  // fsync, rename, fsync the folder
            progress.report(1.0);
            return revision;
        }
    }
    // Another writer saved since this document was opened: keep both, say where.
    for (int attempt = 1;; ++attempt) {
        const std::string beside = conflict_path(path, attempt);
        std::error_code ec;
        if (attempt < 100 && fs::exists(beside, ec)) continue;
        file.commit_as(beside);
        throw SaveConflict(path, beside);
    }
}

std::string gpkg_project_revision(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return {};
    init_gdal();
    CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);
    const char* drivers[] = {"GPKG", nullptr};
    DatasetPtr ds(GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr)));
    OGRLayer* m = ds ? ds->GetLayerByName(kManifestTable) : nullptr;
    if (!m) return {};
    const int kf = m->GetLayerDefn()->GetFieldIndex("key"), vf = m->GetLayerDefn()->GetFieldIndex("value");
    if (kf < 0 || vf < 0) return {};
    m->ResetReading();
    while (std::unique_ptr<OGRFeature> f{m->GetNextFeature()})
        if (std::string(f->GetFieldAsString(kf)) == "revision") return f->GetFieldAsString(vf);
    return {};
}

// [SECTION] Open -----------------------------------------------------------------------------

namespace {

DatasetPtr open_gpkg(const std::string& path) {
    init_gdal();
    check_local_file(path);
    const char* drivers[] = {"GPKG", nullptr};
    CPLErrorReset();
    DatasetPtr ds(GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr)));
    if (!ds) throw file_error(path, "is not a GeoPackage, or it is corrupted" + gdal_message());
    return ds;
}

std::string text(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool is_gpkg_project(const std::string& path) noexcept {
    try {
        CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);
        DatasetPtr ds = open_gpkg(path);
        return ds->GetLayerByName(kManifestTable) != nullptr;
    } catch (...) {
        return false;
    }
}

namespace {

/// A table read back into the project's coordinates: planar as it is, else display (lon/lat)
/// and metric geometry in the project's metric CRS.
void georeference_read(Layer& l, Project& p) {
    if (p.planar) {
        l.planar = true;
        l.source_crs = Crs{};
        l.metric = l.display;
    } else {
        georeference_layer(l, p.metric_crs, p.warnings);
    }
}

}  // namespace

GpkgProject open_gpkg_project(const std::string& path, const Progress& progress) {
    std::map<std::string, std::string> rows;
    {
        DatasetPtr ds = open_gpkg(path);
        OGRLayer* m = ds->GetLayerByName(kManifestTable);
        if (!m)
            throw file_error(path, "is a GeoPackage but not a huqian project (it has no huqian_manifest table); "
                                   "to use its layers, name them in a project.json");
        CPLErrorReset();
        m->ResetReading();
        const int kf = m->GetLayerDefn()->GetFieldIndex("key"), vf = m->GetLayerDefn()->GetFieldIndex("value");
        if (kf < 0 || vf < 0) throw file_error(path, "huqian_manifest: the table has no key and value columns");
        while (std::unique_ptr<OGRFeature> f{m->GetNextFeature()}) rows[f->GetFieldAsString(kf)] = f->GetFieldAsString(vf);
        if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "is corrupted" + gdal_message());
    }
    if (rows["format"] != kGpkgProjectFormat)
        throw file_error(path, "huqian_manifest: not a huqian project (format \"" + rows["format"] + "\")");
    if (rows["version"] != std::to_string(kGpkgProjectVersion))
        throw file_error(path, "huqian_manifest: project format version " + rows["version"] + " is not supported (this "
                               "huqian reads version " + std::to_string(kGpkgProjectVersion) + ")");
    json man, scen, sets;
    try {
        man = json::parse(rows["manifest"]);
        scen = json::parse(rows["scenarios"].empty() ? "[]" : rows["scenarios"]);
        sets = json::parse(rows["settings"].empty() ? "{}" : rows["settings"]);
    } catch (const json::exception& e) {
        throw file_error(path, std::string("huqian_manifest: corrupted JSON (") + e.what() + ")");
    }
    GpkgProject out;
    out.revision = rows["revision"];
    Project& p = out.project;
    try {
        p.path = path;
        p.name_zh = man.at("name").value("zh", "");
        p.name_en = man.at("name").value("en", "");
        p.illustrative = man.value("illustrative", false);
        if (man.contains("source")) {
            p.source_zh = man["source"].value("zh", "");
            p.source_en = man["source"].value("en", "");
        }
        if (man.contains("unit_noun") && man["unit_noun"].is_object()) {
            p.unit_noun_zh = man["unit_noun"].value("zh", p.unit_noun_zh);
            p.unit_noun_en = man["unit_noun"].value("en", p.unit_noun_en);
            p.unit_noun_en_plural = man["unit_noun"].value("en_plural", p.unit_noun_en + "s");
        }
        if (man.contains("group_noun") && man["group_noun"].is_object()) {
            p.group_noun_zh = man["group_noun"].value("zh", p.group_noun_zh);
            p.group_noun_en = man["group_noun"].value("en", p.group_noun_en);
        }
        p.planar = man.value("planar", false);
        if (man.contains("crs") && man["crs"].is_object()) {
            try {
                p.metric_crs = Crs::from_wkt(man["crs"].at("wkt").get<std::string>());
            } catch (const InputError& e) {
                throw InputError(ErrorContext{path, kManifestTable, {}, {}, "crs"}, e.bare_message());
            }
            // Checked before any layer is measured in it (check_project repeats it).
            if (const std::string why = p.metric_crs.metric_problem(); !why.empty())
                throw InputError(ErrorContext{path, kManifestTable, {}, {}, "crs"}, why);
        }
        p.count_roles = man.value("count_roles", std::vector<std::string>{"units"});
        for (const auto& g : man.at("groups")) {
            GroupDef d;
            d.column = g.at("column").get<std::string>();
            d.registered_column = text(g, "registered");
            d.temporary_column = text(g, "temporary");
            d.name_zh = text(g, "zh");
            d.name_en = text(g, "en");
            d.color = text(g, "color");
            p.groups.push_back(std::move(d));
        }
        const json& layers = man.at("layers");
        for (std::size_t k = 0; k < layers.size(); ++k) {
            progress.check();
            progress.report(0.9 * static_cast<double>(k) / static_cast<double>(layers.size()), "reading layers");
            const json& e = layers[k];
            const auto role = role_from_name(e.at("role").get<std::string>());
            if (!role) throw file_error(path, "huqian_manifest: unknown role " + e.at("role").dump());
            // Files saved before issue 13 also hold the zones the project was opened with as a
            // layer `zones`, stale once the plan was edited: huqian_zones is the one read.
            if (*role == Role::Zones) continue;
            ReadOptions ro;
            ro.layer = e.at("table").get<std::string>();
            ro.id_field = text(e, "id_field");
            ro.display_name = path;
            Layer l = read_layer_raw(path, ro);
            // The save added the id column (the ids were the source's feature ids); files saved
            // before "id_added" existed added it under huqian_id alone.
            const bool id_added = e.contains("id_added") ? e.at("id_added").get<bool>() : ro.id_field == kIdColumn;
            if (id_added) {
                l.id_field.clear();
                const int c = l.table.field_index(ro.id_field);
                if (c >= 0) {
                    l.table.fields.erase(l.table.fields.begin() + c);
                    for (auto& r : l.table.rows) r.erase(r.begin() + c);
                }
            }
            if (!text(e, "name").empty()) l.table.name = text(e, "name");
            georeference_read(l, p);
            p.layers.push_back({*role, std::move(l)});
        }
        // The checks a project folder passes (geometry, roles, groups, CRS, counts).
        check_project(p, path);
        for (auto& sc : plan::scenarios_from_json(scen.dump(), path)) out.document.scenarios.push_back(std::move(sc));
        for (const auto& [k, v] : sets.items()) out.document.settings[k] = v.is_string() ? v.get<std::string>() : v.dump();
    } catch (const json::exception& e) {
        throw file_error(path, std::string("huqian_manifest: unexpected content (") + e.what() + ")");
    }
    progress.report(0.95, "reading zones");
    {
        DatasetPtr ds = open_gpkg(path);
        OGRLayer* z = ds->GetLayerByName(kZonesTable);
        if (!z) throw file_error(path, "has no huqian_zones table: the project is incomplete");
        if (z->GetFeatureCount() > 0) {
            ReadOptions ro;
            ro.layer = kZonesTable;
            ro.id_field = "id";
            ro.display_name = path;
            Layer zl = read_layer_raw(path, ro);
            out.document.zones = plan::zones_from_layer(zl, &p.warnings);
            // The project's zones layer (maps, reports) is the document's, as saved.
            zl.table.name = "zones";
            georeference_read(zl, p);
            p.layers.push_back({Role::Zones, std::move(zl)});
        }
    }
    progress.report(1.0);
    return out;
}

Project load_gpkg_project(const std::string& path, const Progress& progress) {
    return open_gpkg_project(path, progress).project;
}

// [SECTION] Autosave -------------------------------------------------------------------------

std::string recovery_path(const std::string& path) {
    fs::path p(path);
    const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path();
    return (dir / (p.stem().string() + ".recovery.gpkg")).string();
}

void autosave(const Project& project, const plan::PlanDocument& document, const std::string& path,
              const Progress& progress) {
    save_gpkg_project(project, document, recovery_path(path), progress);
}

bool has_recovery(const std::string& path) noexcept {
    std::error_code ec;
    const std::string r = recovery_path(path);
    if (!fs::exists(r, ec)) return false;
    if (!fs::exists(path, ec)) return true;
    return fs::last_write_time(r, ec) > fs::last_write_time(path, ec);
}

void discard_recovery(const std::string& path) noexcept {
    std::error_code ec;
    fs::remove(recovery_path(path), ec);
}

}  // namespace hq
