#include "geo/project/new_project.hpp"

#include <cpl_json.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "geo/core/text.hpp"
#include "geo/io/basemap.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"

namespace hq {

namespace fs = std::filesystem;

namespace {

/// A source file as a project of its own (reprojection, GCJ-02/BD-09, repairs: load_project's
/// one path), its one layer taken out.
Layer read_source(const std::string& path, const std::string& option, const NewProjectSpec& spec,
                  std::vector<std::string>& warnings) {
    LoadOptions o;
    o.crs = spec.crs;
    o.source_crs = spec.source_crs;
    Project p = load_project(path, o);
    for (auto& w : p.warnings) warnings.push_back(std::move(w));
    if (p.layers.empty()) throw InputError(ErrorContext{path, {}, {}, {}, option}, "has no layer");
    Layer l = std::move(p.layers.front().layer);
    if (l.planar)
        throw InputError(ErrorContext{path, {}, {}, {}, option},
                         "has no CRS: give the file one, or name its coordinates with --source-crs (EPSG:n, GCJ-02, BD-09)");
    return l;
}

/// Copies `from` to `to` through the atomic writer, in blocks.
void copy_file_atomic(const std::string& from, const std::string& to) {
    std::ifstream in(from, std::ios::binary);
    if (!in) throw InputError(ErrorContext{from}, "cannot be read");
    AtomicFile out(to);
    std::string buf(std::size_t{1} << 20, '\0');
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = in.gcount();
        if (n > 0) out.write(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    }
    if (in.bad()) throw InputError(ErrorContext{from}, "read error");
    out.commit();
}

}  // namespace

NewProjectFiles create_project_folder(const NewProjectSpec& spec) {
    init_gdal();
    if (spec.dir.empty()) throw InputError(ErrorContext{"DIR"}, "give the project folder");
    const fs::path dir(spec.dir);
    std::error_code ec;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec)) throw InputError(ErrorContext{spec.dir}, "exists and is not a folder");
        if (!fs::is_empty(dir, ec)) throw InputError(ErrorContext{spec.dir}, "folder is not empty: a new project needs an empty or new folder");
    }
    if (spec.crs.empty()) throw InputError(ErrorContext{"--crs"}, "give the metric CRS of the project, e.g. EPSG:4544 (CGCS2000 3-degree Gauss-Kruger, 105E)");
    const Crs metric = metric_crs_from(spec.crs, ErrorContext{"--crs"});
    if (spec.boundary.empty() && spec.boundary_polygons.empty() && spec.units.empty())
        throw InputError(ErrorContext{spec.dir}, "a project needs a boundary or units to start from (--boundary FILE or --units FILE)");
    if (!spec.boundary.empty() && !spec.boundary_polygons.empty())
        throw InputError(ErrorContext{"--boundary"}, "give a boundary file or a drawn boundary, not both");

    NewProjectFiles out;
    // Read and check everything before writing anything.
    Layer boundary, units;
    bool has_boundary = false, has_units = false;
    if (!spec.boundary.empty()) {
        boundary = read_source(spec.boundary, "--boundary", spec, out.warnings);
        if (boundary.geom_type != GeomType::Polygon)
            throw InputError(ErrorContext{spec.boundary, {}, {}, {}, "--boundary"},
                             std::string("has ") + geom_type_name(boundary.geom_type) + " geometry: a boundary is polygons");
        has_boundary = true;
    } else if (!spec.boundary_polygons.empty()) {
        boundary.table.name = "boundary";
        for (std::size_t i = 0; i < spec.boundary_polygons.size(); ++i) {
            const Geometry& g = spec.boundary_polygons[i];
            if (!g.is_polygonal() || g.empty())
                throw InputError(ErrorContext{"boundary", {}, i, {}, {}}, "the drawn boundary is not a polygon");
            boundary.ids.push_back(std::to_string(i + 1));
            boundary.display.push_back(g);
            boundary.table.rows.emplace_back();
        }
        boundary.source_crs = Crs::wgs84();
        boundary.geom_type = GeomType::Polygon;
        has_boundary = true;
    }
    std::string id_field = "id";
    if (!spec.units.empty()) {
        units = read_source(spec.units, "--units", spec, out.warnings);
        if (units.geom_type != GeomType::Polygon && units.geom_type != GeomType::Point)
            throw InputError(ErrorContext{spec.units, {}, {}, {}, "--units"},
                             std::string("has ") + geom_type_name(units.geom_type) +
                                 " geometry: units are polygons (courtyards, buildings) or points (households)");
        if (!spec.units_id.empty()) {
            const int j = units.table.field_index(spec.units_id);
            if (j < 0) throw InputError(ErrorContext{spec.units, {}, {}, {}, spec.units_id}, "--units-id: no such column");
            std::set<std::string> seen;
            for (std::size_t i = 0; i < units.size(); ++i) {
                const std::string id = value_to_string(units.table.rows[i][static_cast<std::size_t>(j)]);
                if (id.empty()) throw InputError(ErrorContext{spec.units, {}, i, {}, spec.units_id}, "empty unit id");
                if (!seen.insert(id).second) throw InputError(ErrorContext{spec.units, {}, i, id, spec.units_id}, "unit id used twice");
                units.ids[i] = id;
            }
            id_field = spec.units_id;
        }
        has_units = true;
    }
    if (!spec.basemap.empty()) {
        const std::string ext = fs::path(spec.basemap).extension().string();
        if (ext != ".tif" && ext != ".tiff" && ext != ".TIF" && ext != ".TIFF")
            throw InputError(ErrorContext{spec.basemap, {}, {}, {}, "--basemap"}, "a basemap for a new project is a GeoTIFF (.tif)");
        check_local_file(spec.basemap);
        BasemapOptions bo;
        bo.max_pixels = 64;  // a readable GeoTIFF with a CRS over the area: a small read says so
        (void)read_basemap(spec.basemap, metric, bo);
    }

    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir, ec)) throw InputError(ErrorContext{spec.dir}, "cannot create the folder");
    std::vector<fs::path> written;
    try {
        CPLJSONObject root;
        root.Add("huqian_manifest", 1);
        CPLJSONObject name;
        name.Add("zh", spec.name_zh.empty() ? spec.name_en : spec.name_zh);
        name.Add("en", spec.name_en.empty() ? spec.name_zh : spec.name_en);
        root.Add("name", name);
        root.Add("crs", spec.crs);
        CPLJSONObject layers;
        WriteOptions wo;
        wo.format = VectorFormat::GeoJSON;
        if (has_boundary) {
            wo.layer_name = "boundary";
            written.push_back(dir / "boundary.geojson");
            write_layer(boundary, written.back().string(), wo);
            CPLJSONObject b;
            b.Add("path", "boundary.geojson");
            layers.Add("boundary", b);
        }
        if (has_units) {
            wo.layer_name = "units";
            wo.id_field = id_field;
            written.push_back(dir / "units.geojson");
            write_layer(units, written.back().string(), wo);
            CPLJSONObject u;
            u.Add("path", "units.geojson");
            u.Add("id", id_field);
            layers.Add("units", u);
        }
        root.Add("layers", layers);
        if (!spec.basemap.empty()) {
            written.push_back(dir / "basemap.tif");
            copy_file_atomic(spec.basemap, written.back().string());
            root.Add("basemap", "basemap.tif");
        }
        written.push_back(dir / "project.json");
        write_file_atomic(written.back().string(), root.Format(CPLJSONObject::PrettyFormat::Pretty) + "\n");
        out.manifest = written.back().string();
        for (const auto& f : written) out.files.push_back(f.filename().string());
        const Project check = load_project(spec.dir);
        for (const auto& w : check.warnings) out.warnings.push_back(w);
    } catch (...) {
        for (const auto& f : written) fs::remove(f, ec);
        throw;
    }
    return out;
}

}  // namespace hq
