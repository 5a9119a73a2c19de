// [SECTION] index
//   SQL helpers
//   Schema and push
//   Pull and open
//   Shared plans
#include "geo/project/district.hpp"

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "geo/core/error.hpp"
#include "geo/core/text.hpp"
#include "geo/crs/srs.hpp"
#include "geo/io/gdal_util.hpp"
#include "geo/io/postgis.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"

namespace hq::district {

// [SECTION] SQL helpers ----------------------------------------------------------------------

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using detail::GdalDatasetPtr;
using pg::sql_identifier;
using pg::sql_literal;

/// The tables of the roles, in the order of hq::all_roles.
const char* const kRoleTables[] = {"boundary", "units", "buildings", "venues", "projects", "streets", "zones"};
/// Columns of every role table that a layer's own columns must not reuse.
const std::set<std::string> kReserved{"fid", "community", "geom"};
constexpr const char* kManifestTable = "huqian_manifest";  // as in a project GeoPackage
constexpr const char* kZonesTable = "huqian_zones";

/// A database connection with its source string (for scrubbing) and how it is shown.
struct Db {
    std::string source, shown;
    GdalDatasetPtr ds;

    Db(const std::string& src, bool update) : source(src), shown(pg::redact(src)), ds(pg::open_database(src, update)) {}

    [[nodiscard]] InputError error(const std::string& what) const {
        std::string why = pg::scrub(one_line(CPLGetLastErrorMsg()), source);
        return InputError(ErrorContext{shown}, what + (why.empty() ? std::string() : ": " + why));
    }

    /// Runs a statement that returns no rows; throws on failure.
    void exec(const std::string& sql) {
        CPLErrorReset();
        if (OGRLayer* r = ds->ExecuteSQL(sql.c_str(), nullptr, nullptr)) ds->ReleaseResultSet(r);
        if (CPLGetLastErrorType() >= CE_Failure) throw error("database error");
    }

    /// The rows of a query as text ("" for null).
    std::vector<std::vector<std::string>> query(const std::string& sql) {
        CPLErrorReset();
        OGRLayer* r = ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
        if (CPLGetLastErrorType() >= CE_Failure) {
            if (r) ds->ReleaseResultSet(r);
            throw error("database error");
        }
        std::vector<std::vector<std::string>> rows;
        if (!r) return rows;
        while (std::unique_ptr<OGRFeature> f{r->GetNextFeature()}) {
            std::vector<std::string> row;
            for (int j = 0; j < f->GetFieldCount(); ++j)
                row.emplace_back(f->IsFieldSetAndNotNull(j) ? f->GetFieldAsString(j) : "");
            rows.push_back(std::move(row));
        }
        ds->ReleaseResultSet(r);
        return rows;
    }

    void begin() {
        CPLErrorReset();
        if (ds->StartTransaction() != OGRERR_NONE) throw error("cannot start a transaction");
    }
    void commit() {
        CPLErrorReset();
        if (ds->CommitTransaction() != OGRERR_NONE) throw error("cannot commit the transaction");
    }
};

const char* sql_type(OGRFieldType t) {
    switch (t) {
        case OFTInteger:
        case OFTInteger64: return "bigint";
        case OFTReal: return "double precision";
        case OFTDate: return "date";
        case OFTDateTime: return "timestamp";
        default: return "text";
    }
}

std::string where_community(const std::string& community) { return "community = " + sql_literal(community); }

void create_tables(Db& db) {
    if (db.query("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").empty()) {
        try {
            db.exec("CREATE EXTENSION IF NOT EXISTS postgis");
        } catch (const InputError&) {
            throw InputError(ErrorContext{db.shown}, "the database has no postgis extension and this user cannot create "
                                                     "it: run CREATE EXTENSION postgis as its owner (docs/postgis.md)");
        }
    }
    db.exec("CREATE TABLE IF NOT EXISTS communities (community text PRIMARY KEY, name_zh text, name_en text, "
            "illustrative boolean NOT NULL DEFAULT false, source_zh text, source_en text, metric_crs text, "
            "manifest text NOT NULL, pushed_at timestamptz NOT NULL DEFAULT now())");
    db.exec("CREATE TABLE IF NOT EXISTS groups (community text NOT NULL REFERENCES communities ON DELETE CASCADE, "
            "ord integer NOT NULL, column_name text NOT NULL, registered text, temporary text, name_zh text, "
            "name_en text, color text, PRIMARY KEY (community, ord))");
    for (const char* t : kRoleTables) {
        const std::string q = sql_identifier(t);
        db.exec("CREATE TABLE IF NOT EXISTS " + q + " (fid bigserial PRIMARY KEY, community text NOT NULL REFERENCES "
                "communities ON DELETE CASCADE, huqian_id text NOT NULL, geom geometry(Geometry, 4326), "
                "UNIQUE (community, huqian_id))");
        db.exec("CREATE INDEX IF NOT EXISTS " + sql_identifier(std::string(t) + "_geom_idx") + " ON " + q +
                " USING GIST (geom)");
    }
    db.exec("CREATE TABLE IF NOT EXISTS plans (community text NOT NULL REFERENCES communities ON DELETE CASCADE, "
            "plan text NOT NULL, revision text NOT NULL, scenarios text NOT NULL, settings text NOT NULL, "
            "saved_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (community, plan))");
    db.exec("CREATE TABLE IF NOT EXISTS plan_zones (fid bigserial PRIMARY KEY, community text NOT NULL, plan text NOT "
            "NULL, geom geometry, FOREIGN KEY (community, plan) REFERENCES plans ON DELETE CASCADE)");
    db.exec("CREATE INDEX IF NOT EXISTS plan_zones_plan_idx ON plan_zones (community, plan)");
}

/// Adds the columns of `src` that `table` lacks (by name); refuses a reserved name.
void add_columns(Db& db, const std::string& table, OGRFeatureDefn& src, const std::set<std::string>& reserved,
                 const std::string& what) {
    for (int j = 0; j < src.GetFieldCount(); ++j) {
        const std::string name = src.GetFieldDefn(j)->GetNameRef();
        std::string low = name;
        std::transform(low.begin(), low.end(), low.begin(), [](unsigned char c) { return std::tolower(c); });
        if (reserved.count(low))
            throw InputError(ErrorContext{what, table, {}, {}, name},
                             "a column named " + name + " cannot go into the district database (the name is its own: "
                             "fid, community, geom); rename it");
        db.exec("ALTER TABLE " + sql_identifier(table) + " ADD COLUMN IF NOT EXISTS " + sql_identifier(name) + " " +
                sql_type(src.GetFieldDefn(j)->GetType()));
    }
}

/// Copies every feature of `src` into `dst`, columns matched by name (others dropped), then
/// the `fixed` columns set; with `id_field`, "huqian_id" takes that column's value.
std::size_t copy_rows(OGRLayer& src, OGRLayer& dst, const std::map<std::string, std::string>& fixed,
                      const std::string& id_field, const std::string& shown) {
    OGRFeatureDefn* sd = src.GetLayerDefn();
    OGRFeatureDefn* dd = dst.GetLayerDefn();
    std::vector<int> map(static_cast<std::size_t>(sd->GetFieldCount()), -1);
    for (int j = 0; j < sd->GetFieldCount(); ++j) {
        const std::string n = sd->GetFieldDefn(j)->GetNameRef();
        if (!fixed.count(n)) map[static_cast<std::size_t>(j)] = dd->GetFieldIndex(n.c_str());
    }
    std::vector<std::pair<int, std::string>> fixed_index;
    for (const auto& [k, v] : fixed) fixed_index.emplace_back(dd->GetFieldIndex(k.c_str()), v);
    const int id_src = id_field.empty() ? -1 : sd->GetFieldIndex(id_field.c_str());
    const int id_dst = dd->GetFieldIndex("huqian_id");
    std::size_t n = 0;
    src.ResetReading();
    while (std::unique_ptr<OGRFeature> in{src.GetNextFeature()}) {
        OGRFeature out(dd);
        out.SetFrom(in.get(), map.data(), TRUE);
        out.SetFID(OGRNullFID);
        for (const auto& [k, v] : fixed_index)
            if (k >= 0) out.SetField(k, v.c_str());
        if (id_src >= 0 && id_dst >= 0) out.SetField(id_dst, in->GetFieldAsString(id_src));
        CPLErrorReset();
        if (dst.CreateFeature(&out) != OGRERR_NONE)
            throw InputError(ErrorContext{shown, dst.GetName(), n, {}, {}},
                             "cannot write the feature: " + one_line(CPLGetLastErrorMsg()));
        ++n;
    }
    return n;
}

GdalDatasetPtr open_gpkg(const std::string& path, bool update) {
    const char* drivers[] = {"GPKG", nullptr};
    GdalDatasetPtr ds(GDALDataset::FromHandle(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY), drivers, nullptr, nullptr)));
    if (!ds) throw InputError(ErrorContext{path}, "cannot open the temporary project file" + detail::gdal_message());
    return ds;
}

std::map<std::string, std::string> manifest_rows(GDALDataset& gp) {
    std::map<std::string, std::string> rows;
    OGRLayer* m = gp.GetLayerByName(kManifestTable);
    if (!m) return rows;
    m->ResetReading();
    while (std::unique_ptr<OGRFeature> f{m->GetNextFeature()}) rows[f->GetFieldAsString(0)] = f->GetFieldAsString(1);
    return rows;
}

/// A temporary project GeoPackage in a private folder, removed when it goes out of scope.
AtomicFile temp_gpkg() {
    return AtomicFile((fs::temp_directory_path() / "huqian-community.gpkg").string(), AtomicFile::Kind::Named);
}

/// "conflict-20261207T041500Z-1a2b3c4d": where a conflicting plan save is kept.
std::string conflict_name() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "conflict-%Y%m%dT%H%M%SZ", &tm);
    std::random_device rd;
    char tail[16];
    std::snprintf(tail, sizeof tail, "-%08x", rd());
    return std::string(buf) + tail;
}

/// Writes the plan of the project GeoPackage `gp` (zones, scenarios, settings) as plan
/// `plan` of the community with `revision`, replacing that plan. Inside the caller's transaction.
void write_plan(Db& db, GDALDataset& gp, const std::string& community, const std::string& plan,
                const std::string& revision) {
    auto rows = manifest_rows(gp);
    db.exec("DELETE FROM plan_zones WHERE " + where_community(community) + " AND plan = " + sql_literal(plan));
    db.exec("INSERT INTO plans (community, plan, revision, scenarios, settings) VALUES (" + sql_literal(community) + ", " +
            sql_literal(plan) + ", " + sql_literal(revision) + ", " + sql_literal(rows["scenarios"]) + ", " +
            sql_literal(rows["settings"]) + ") ON CONFLICT (community, plan) DO UPDATE SET revision = EXCLUDED.revision, "
            "scenarios = EXCLUDED.scenarios, settings = EXCLUDED.settings, saved_at = now()");
    OGRLayer* zones = gp.GetLayerByName(kZonesTable);
    OGRLayer* dst = db.ds->GetLayerByName("plan_zones");
    if (!zones || !dst) throw InputError(ErrorContext{db.shown, "plan_zones"}, "the plan's zones table is missing");
    copy_rows(*zones, *dst, {{"community", community}, {"plan", plan}}, {}, db.shown);
}

/// The project saved as a GeoPackage at `tmp` (its revision), and the plan_zones columns it needs.
std::string save_temp(const Project& project, const plan::PlanDocument& document, const AtomicFile& tmp) {
    return save_gpkg_project(project, document, tmp.temp_path());
}

}  // namespace

// [SECTION] Schema and push ------------------------------------------------------------------

void create_schema(const std::string& source) {
    Db db(source, true);
    create_tables(db);
}

std::size_t push(const std::string& source, const std::string& community, const Project& project,
                 const plan::PlanDocument& document, const Progress& progress) {
    const std::string shown = pg::redact(source);
    if (community.empty()) throw InputError(ErrorContext{shown}, "--community: the community needs a name");
    if (project.planar)
        throw InputError(ErrorContext{project.path}, "a project without a CRS (planar) cannot go into a district "
                                                     "database: its layers are stored in WGS 84 (EPSG:4326)");
    progress.report(0.0, "preparing");
    AtomicFile tmp = temp_gpkg();
    const std::string revision = save_temp(project, document, tmp);
    GdalDatasetPtr gp = open_gpkg(tmp.temp_path(), false);
    auto rows = manifest_rows(*gp);
    json man = json::parse(rows["manifest"]);

    // The schema and the columns first (idempotent; committed on its own).
    {
        Db db(source, true);
        db.begin();
        create_tables(db);
        for (auto& e : man.at("layers")) {
            const std::string table = e.at("table").get<std::string>();
            OGRLayer* src = gp->GetLayerByName(table.c_str());
            if (!src) throw InputError(ErrorContext{project.path, table}, "layer missing from the saved project");
            std::set<std::string> reserved = kReserved;
            if (e.value("id_field", "") != "huqian_id") reserved.insert("huqian_id");
            add_columns(db, table, *src->GetLayerDefn(), reserved, project.path);
            json fields = json::array();
            OGRFeatureDefn* d = src->GetLayerDefn();
            for (int j = 0; j < d->GetFieldCount(); ++j)
                fields.push_back({{"name", d->GetFieldDefn(j)->GetNameRef()}, {"type", static_cast<int>(d->GetFieldDefn(j)->GetType())}});
            e["fields"] = fields;
            e["geometry_type"] = static_cast<int>(src->GetGeomType());
        }
        if (OGRLayer* z = gp->GetLayerByName(kZonesTable))
            add_columns(db, "plan_zones", *z->GetLayerDefn(), {"fid", "community", "plan", "geom"}, project.path);
        db.commit();
    }
    progress.report(0.3, "writing");
    // The data in one transaction: a client killed half-way leaves the previous community.
    Db db(source, true);
    db.begin();
    const std::string c = sql_literal(community);
    db.exec("INSERT INTO communities (community, name_zh, name_en, illustrative, source_zh, source_en, metric_crs, "
            "manifest) VALUES (" + c + ", " + sql_literal(project.name_zh) + ", " + sql_literal(project.name_en) + ", " +
            (project.illustrative ? "true" : "false") + ", " + sql_literal(project.source_zh) + ", " +
            sql_literal(project.source_en) + ", " +
            sql_literal(project.metric_crs.epsg > 0 ? "EPSG:" + std::to_string(project.metric_crs.epsg)
                                                    : project.metric_crs.name) +
            ", " + sql_literal(man.dump()) + ") ON CONFLICT (community) DO UPDATE SET name_zh = EXCLUDED.name_zh, "
            "name_en = EXCLUDED.name_en, illustrative = EXCLUDED.illustrative, source_zh = EXCLUDED.source_zh, "
            "source_en = EXCLUDED.source_en, metric_crs = EXCLUDED.metric_crs, manifest = EXCLUDED.manifest, "
            "pushed_at = now()");
    for (const char* t : kRoleTables) db.exec("DELETE FROM " + sql_identifier(t) + " WHERE " + where_community(community));
    db.exec("DELETE FROM groups WHERE " + where_community(community));
    std::size_t written = 0;
    for (const auto& e : man.at("layers")) {
        const std::string table = e.at("table").get<std::string>();
        OGRLayer* src = gp->GetLayerByName(table.c_str());
        OGRLayer* dst = db.ds->GetLayerByName(table.c_str());
        if (!dst) throw db.error("no table " + table);
        written += copy_rows(*src, *dst, {{"community", community}}, e.value("id_field", ""), shown);
    }
    for (std::size_t k = 0; k < project.groups.size(); ++k) {
        const GroupDef& g = project.groups[k];
        db.exec("INSERT INTO groups VALUES (" + c + ", " + std::to_string(k) + ", " + sql_literal(g.column) + ", " +
                sql_literal(g.registered_column) + ", " + sql_literal(g.temporary_column) + ", " + sql_literal(g.name_zh) +
                ", " + sql_literal(g.name_en) + ", " + sql_literal(g.color) + ")");
    }
    if (db.query("SELECT 1 FROM plans WHERE " + where_community(community) + " AND plan = " + sql_literal(kMainPlan))
            .empty())
        write_plan(db, *gp, community, kMainPlan, revision);
    db.commit();
    progress.report(1.0);
    return written;
}

std::vector<std::string> communities(const std::string& source) {
    Db db(source, false);
    if (db.query("SELECT 1 FROM pg_tables WHERE tablename = 'communities'").empty()) return {};
    std::vector<std::string> out;
    for (auto& r : db.query("SELECT community FROM communities ORDER BY community")) out.push_back(r.at(0));
    return out;
}

// [SECTION] Pull and open --------------------------------------------------------------------

namespace {

/// Copies the rows of a query into `dst` (columns by name).
void copy_query(Db& db, const std::string& sql, OGRLayer& dst, const std::string& table, const std::string& path) {
    OGRLayer* src = db.ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (!src) throw db.error("cannot read table " + table);
    try {
        copy_rows(*src, dst, {}, {}, path);
    } catch (...) {
        db.ds->ReleaseResultSet(src);
        throw;
    }
    db.ds->ReleaseResultSet(src);
}

/// Writes community `community` as a project GeoPackage at `path` (a new file).
void write_community(const std::string& source, const std::string& community, const std::string& path) {
    Db db(source, false);
    const std::string shown = db.shown + " community " + community;
    if (db.query("SELECT 1 FROM pg_tables WHERE tablename = 'communities'").empty())
        throw InputError(ErrorContext{db.shown}, "is not a huqian district database (it has no communities table; "
                                                 "docs/postgis.md)");
    const auto m = db.query("SELECT manifest FROM communities WHERE " + where_community(community));
    if (m.empty()) {
        std::string names;
        for (auto& r : db.query("SELECT community FROM communities ORDER BY community LIMIT 20"))
            names += (names.empty() ? "" : ", ") + r.at(0);
        throw InputError(ErrorContext{db.shown}, "has no community \"" + community + "\" (it has: " +
                                                     (names.empty() ? std::string("none") : names) + ")");
    }
    json man;
    try {
        man = json::parse(m[0].at(0));
    } catch (const json::exception& e) {
        throw InputError(ErrorContext{shown, "communities", {}, {}, "manifest"}, std::string("corrupted JSON (") + e.what() + ")");
    }
    json groups = json::array();
    for (auto& g : db.query("SELECT column_name, registered, temporary, name_zh, name_en, color FROM groups WHERE " +
                            where_community(community) + " ORDER BY ord"))
        groups.push_back({{"column", g[0]}, {"registered", g[1]}, {"temporary", g[2]}, {"zh", g[3]}, {"en", g[4]}, {"color", g[5]}});
    man["groups"] = groups;
    const auto plan = db.query("SELECT revision, scenarios, settings FROM plans WHERE " + where_community(community) +
                               " AND plan = " + sql_literal(kMainPlan));

    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GdalDatasetPtr gp(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!gp) throw InputError(ErrorContext{path}, "cannot create the file" + detail::gdal_message());
    gp->StartTransaction();
    const bool planar = man.value("planar", false);
    const auto wgs84 = detail::srs_from_wkt(Crs::wgs84().wkt, ErrorContext{shown});
    detail::SrsPtr metric;
    if (man.contains("crs") && man["crs"].is_object())
        metric = detail::srs_from_wkt(man["crs"].value("wkt", ""), ErrorContext{shown, "communities", {}, {}, "crs"});
    const auto make_table = [&](const std::string& name, OGRSpatialReference* srs, OGRwkbGeometryType type) {
        char** lco = nullptr;
        lco = CSLSetNameValue(lco, "FID", "fid");
        lco = CSLSetNameValue(lco, "SPATIAL_INDEX", "YES");
        OGRLayer* l = gp->CreateLayer(name.c_str(), srs, type, lco);
        CSLDestroy(lco);
        if (!l) throw InputError(ErrorContext{path, name}, "cannot create the table" + detail::gdal_message());
        return l;
    };
    try {
        for (const auto& e : man.at("layers")) {
            const std::string table = e.at("table").get<std::string>();
            if (std::find(std::begin(kRoleTables), std::end(kRoleTables), table) == std::end(kRoleTables))
                throw InputError(ErrorContext{shown, "communities", {}, {}, "manifest"}, "unknown table " + table);
            OGRLayer* dst = make_table(table, planar ? nullptr : wgs84.get(),
                                       static_cast<OGRwkbGeometryType>(e.value("geometry_type", 0)));
            for (const auto& f : e.at("fields")) {
                OGRFieldDefn def(f.at("name").get<std::string>().c_str(), static_cast<OGRFieldType>(f.at("type").get<int>()));
                if (dst->CreateField(&def) != OGRERR_NONE)
                    throw InputError(ErrorContext{path, table}, "cannot create a column" + detail::gdal_message());
            }
            copy_query(db, "SELECT * FROM " + sql_identifier(table) + " WHERE " + where_community(community) +
                               " ORDER BY fid", *dst, table, path);
        }
    } catch (const json::exception& e) {
        throw InputError(ErrorContext{shown, "communities", {}, {}, "manifest"}, std::string("unexpected content (") + e.what() + ")");
    }
    // The plan's zones, in the community's metric CRS.
    {
        OGRLayer* dst = make_table(kZonesTable, metric.get(), wkbUnknown);
        if (OGRLayer* pz = db.ds->GetLayerByName("plan_zones")) {
            OGRFeatureDefn* d = pz->GetLayerDefn();
            for (int j = 0; j < d->GetFieldCount(); ++j) {
                const std::string n = d->GetFieldDefn(j)->GetNameRef();
                if (n == "community" || n == "plan") continue;
                OGRFieldDefn def(n.c_str(), d->GetFieldDefn(j)->GetType());
                dst->CreateField(&def);
            }
        }
        if (!plan.empty()) {
            copy_query(db, "SELECT * FROM plan_zones WHERE " + where_community(community) + " AND plan = " +
                               sql_literal(kMainPlan) + " ORDER BY fid", *dst, "plan_zones", path);
        }
    }
    OGRLayer* mt = gp->CreateLayer(kManifestTable, nullptr, wkbNone, nullptr);
    OGRFieldDefn key("key", OFTString), value("value", OFTString);
    if (!mt || mt->CreateField(&key) != OGRERR_NONE || mt->CreateField(&value) != OGRERR_NONE)
        throw InputError(ErrorContext{path}, "cannot create table huqian_manifest" + detail::gdal_message());
    const std::pair<std::string, std::string> rows[] = {
        {"format", kGpkgProjectFormat},
        {"version", std::to_string(kGpkgProjectVersion)},
        {"manifest", man.dump(2)},
        {"scenarios", plan.empty() ? "[]" : plan[0][1]},
        {"settings", plan.empty() ? "{}" : plan[0][2]},
        {"revision", plan.empty() ? "" : plan[0][0]},
    };
    for (const auto& [k, v] : rows) {
        OGRFeature f(mt->GetLayerDefn());
        f.SetField(0, k.c_str());
        f.SetField(1, v.c_str());
        if (mt->CreateFeature(&f) != OGRERR_NONE) throw InputError(ErrorContext{path}, "cannot write the manifest" + detail::gdal_message());
    }
    if (gp->CommitTransaction() != OGRERR_NONE) throw InputError(ErrorContext{path}, "cannot write the file" + detail::gdal_message());
}

}  // namespace

std::string community_path(const std::string& source, const std::string& community) {
    return pg::redact(source) + " community " + community;
}

GpkgProject open_community(const std::string& source, const std::string& community, const Progress& progress) {
    AtomicFile tmp = temp_gpkg();
    write_community(source, community, tmp.temp_path());
    progress.report(0.3, "reading");
    GpkgProject gp = open_gpkg_project(tmp.temp_path(), progress);
    const std::string shown = community_path(source, community);
    for (auto& w : gp.project.warnings)
        for (std::size_t at = w.find(tmp.temp_path()); at != std::string::npos; at = w.find(tmp.temp_path()))
            w.replace(at, tmp.temp_path().size(), shown);
    gp.project.path = shown;
    return gp;
}

void pull(const std::string& source, const std::string& community, const std::string& path, const Progress& progress) {
    if (fs::path(path).extension() != ".gpkg") throw InputError(ErrorContext{path}, "a project file must end in .gpkg");
    AtomicFile file(path, AtomicFile::Kind::Named);
    write_community(source, community, file.temp_path());
    progress.report(0.5, "checking");
    (void)open_gpkg_project(file.temp_path(), progress);  // the checks every project file passes
    file.commit();
}

// [SECTION] Shared plans ---------------------------------------------------------------------

PlanConflict::PlanConflict(const std::string& community, std::string saved_as_)
    : InputError(ErrorContext{community},
                 "保存冲突：此规划打开后已被他人修改，您的版本已另存为规划 " + saved_as_ +
                     " / save conflict: someone else changed this plan after you opened it; your version was saved "
                     "as plan " + saved_as_),
      saved_as(std::move(saved_as_)) {}

std::string save_plan(const std::string& source, const std::string& community, const Project& project,
                      const plan::PlanDocument& document, const std::optional<std::string>& base_revision,
                      const std::string& plan_name) {
    AtomicFile tmp = temp_gpkg();
    const std::string revision = save_temp(project, document, tmp);
    GdalDatasetPtr gp = open_gpkg(tmp.temp_path(), false);
    Db db(source, true);
    db.begin();
    if (db.query("SELECT 1 FROM communities WHERE " + where_community(community)).empty())
        throw InputError(ErrorContext{db.shown}, "has no community \"" + community + "\": push it first");
    // The row lock: a second saver waits here until the first commits, then sees its revision.
    db.exec("UPDATE plans SET revision = revision WHERE " + where_community(community) + " AND plan = " +
            sql_literal(plan_name));
    const auto cur = db.query("SELECT revision FROM plans WHERE " + where_community(community) + " AND plan = " +
                              sql_literal(plan_name));
    const std::string current = cur.empty() ? std::string() : cur[0].at(0);
    if (base_revision && current != *base_revision) {
        const std::string beside = conflict_name();
        write_plan(db, *gp, community, beside, revision);
        db.commit();
        throw PlanConflict(community, beside);
    }
    write_plan(db, *gp, community, plan_name, revision);
    db.commit();
    return revision;
}

std::string plan_revision(const std::string& source, const std::string& community, const std::string& plan_name) {
    Db db(source, false);
    const auto r = db.query("SELECT revision FROM plans WHERE " + where_community(community) + " AND plan = " +
                            sql_literal(plan_name));
    return r.empty() ? std::string() : r[0].at(0);
}

std::vector<std::string> plans(const std::string& source, const std::string& community) {
    Db db(source, false);
    std::vector<std::string> out;
    for (auto& r : db.query("SELECT plan FROM plans WHERE " + where_community(community) + " ORDER BY plan"))
        out.push_back(r.at(0));
    return out;
}

namespace {

/// The settings key under which an autosaved database plan records its base revision.
constexpr const char* kBaseRevisionKey = "huqian_database_base_revision";

std::uint64_t fnv1a(const std::string& s) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

}  // namespace

std::string plan_recovery_target(const std::string& source, const std::string& community) {
    fs::path dir;
    if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x)
        dir = fs::path(x);
    else if (const char* h = std::getenv("HOME"); h && *h)
        dir = fs::path(h) / ".local" / "state";
    else
        throw InputError(ErrorContext{pg::redact(source)}, "no folder for the plan's recovery file: set HOME or XDG_STATE_HOME");
    dir = dir / "huqian" / "district-plans";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw InputError(ErrorContext{dir.string()}, "cannot create the folder for recovery files: " + ec.message());
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(fnv1a(pg::database_key(source) + '\n' + community)));
    return (dir / (std::string(hex) + ".gpkg")).string();
}

void autosave_plan(const std::string& source, const std::string& community, const Project& project,
                   const plan::PlanDocument& document, const std::optional<std::string>& base_revision,
                   const Progress& progress) {
    plan::PlanDocument d = document;
    d.settings.erase(kBaseRevisionKey);
    if (base_revision) d.settings[kBaseRevisionKey] = *base_revision;
    autosave(project, d, plan_recovery_target(source, community), progress);
}

std::optional<RecoveredPlan> recovered_plan(const std::string& source, const std::string& community) {
    const std::string target = plan_recovery_target(source, community);
    if (!has_recovery(target)) return std::nullopt;
    RecoveredPlan r;
    r.document = open_gpkg_project(recovery_path(target)).document;
    if (auto it = r.document.settings.find(kBaseRevisionKey); it != r.document.settings.end()) {
        r.base_revision = it->second;
        r.document.settings.erase(it);
    }
    return r;
}

std::string save_plan_and_discard_recovery(const std::string& source, const std::string& community,
                                           const Project& project, const plan::PlanDocument& document,
                                           const std::optional<std::string>& base_revision) {
    const std::string target = plan_recovery_target(source, community);
    const std::string revision = save_plan(source, community, project, document, base_revision);
    discard_recovery(target);
    return revision;
}

}  // namespace hq::district
