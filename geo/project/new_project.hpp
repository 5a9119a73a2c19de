#pragma once
// A project folder from nothing: a name, a metric CRS, and what the committee has (a boundary
// file or a drawn boundary, unit polygons or points, an orthophoto GeoTIFF). GL-free:
// `huqian project new` (app/cli) and the viewer's new-project wizard (app/view) both call
// create_project_folder; the roster comes after (geo/project/roster.hpp).
#include <string>
#include <vector>

#include "geo/geometry/types.hpp"
#include "geo/project/project.hpp"

namespace hq {

struct NewProjectSpec {
    std::string dir;                 ///< the folder: created, or existing and empty
    std::string name_zh, name_en;    ///< one of them at least; the other defaults to it
    std::string crs;                 ///< the metric CRS, "EPSG:4544" (required; projected, metres)
    std::string boundary;            ///< a vector file with the boundary polygon(s) ("" = none)
    std::vector<Geometry> boundary_polygons;  ///< or a boundary drawn in the viewer: WGS 84 lon/lat
    std::string units;               ///< a vector file of unit polygons or points ("" = none)
    std::string units_id;            ///< the units' id attribute ("" = "id" when present, else numbered)
    std::string source_crs;          ///< the files' coordinates when they do not say (GCJ-02, BD-09, EPSG:n)
    std::string basemap;             ///< a GeoTIFF orthophoto, copied into the folder ("" = none)
};

/// What create_project_folder wrote (file names inside the folder).
struct NewProjectFiles {
    std::string manifest;  ///< the project.json path
    std::vector<std::string> files;  ///< "boundary.geojson", "units.geojson", "basemap.tif"
    std::vector<std::string> warnings;  ///< from reading the sources (repaired features...)
};

/// Creates the project folder: boundary.geojson and units.geojson (WGS 84, through the atomic
/// writer; ids in the "id" column unless units_id names another), the basemap copied as
/// basemap.tif, and project.json last (name, crs, layers, "basemap"). At least a boundary or
/// units are needed (a project has one layer with features at least). The folder is then
/// loaded back (load_project) as the check. Throws InputError naming the file or option: the
/// folder not empty, a CRS that is not metric, a file that cannot be read or has no CRS, a
/// boundary that is not polygons, units that are neither polygons nor points, a units_id
/// column missing, empty or not unique, a basemap that is not a readable GeoTIFF with a CRS.
/// On failure the files it wrote are removed.
NewProjectFiles create_project_folder(const NewProjectSpec& spec);

}  // namespace hq
