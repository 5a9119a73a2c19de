#pragma once
// A project: layers with roles, group definitions, one metric CRS for measuring.
// Loaded from a folder with a manifest (project.json, see docs/manifest.md) or from a
// single vector file.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/io/layer.hpp"
#include "geo/io/reader.hpp"

namespace hq {

enum class Role : std::uint8_t { Boundary, Units, Buildings, Venues, Projects, Streets, Zones };
inline constexpr std::array<Role, 7> all_roles{Role::Boundary, Role::Units, Role::Buildings, Role::Venues,
                                               Role::Projects, Role::Streets, Role::Zones};
const char* role_name(Role r);
std::optional<Role> role_from_name(const std::string& s);

/// One population group: its count column and how to show it.
struct GroupDef {
    std::string column;             ///< count column (total residents of this group)
    std::string registered_column;  ///< optional: registered (常住) residents of the group
    std::string temporary_column;   ///< optional: temporary (暂住) residents of the group
    std::string name_zh;
    std::string name_en;
    std::string color;              ///< "#rrggbb"
};

struct LayerEntry {
    Role role = Role::Units;
    Layer layer;
};

struct LoadOptions {
    std::string crs;       ///< metric CRS override, e.g. "EPSG:4547"; "" = UTM zone of the centroid
    std::string encoding;  ///< source encoding for legacy files, e.g. "GBK"
    std::string layer;     ///< for a single file: which layer
    /// The source coordinates when the file does not say (or says wrong): "GCJ-02",
    /// "BD-09" (Chinese web-map lon/lat, converted to WGS 84) or a CRS ("EPSG:4544") that
    /// replaces the file's own. For a manifest: every layer without its own "source_crs".
    std::string source_crs;
    /// For a "PG:" source: open this community of the district database (geo/project/district.hpp)
    /// instead of one table.
    std::string community;
};

struct Project {
    std::string path;            ///< folder or file as given
    std::string name_zh, name_en;
    bool illustrative = false;   ///< the data is illustrative, not surveyed (stamped on exports)
    std::string source_zh, source_en;
    /// What a unit and a group are called in titles, legends and report text (manifest
    /// "unit_noun" / "group_noun"; a project of grid cells or buildings, or of another kind
    /// of group). English plural: unit_noun_en + "s" unless the manifest gives "en_plural".
    std::string unit_noun_zh = "院落", unit_noun_en = "courtyard", unit_noun_en_plural = "courtyards";
    std::string group_noun_zh = "民族", group_noun_en = "ethnic group";
    std::vector<GroupDef> groups;
    std::vector<std::string> count_roles;  ///< roles whose layers carry the group columns
    Crs metric_crs;              ///< where areas and distances are measured
    bool planar = false;         ///< data had no CRS: measured as given, units unknown
    std::vector<LayerEntry> layers;
    /// A raster basemap (an orthophoto GeoTIFF) of the project: the manifest's "basemap", a file
    /// inside the project folder, as a path ("" = none). Read with geo/io/basemap.hpp.
    std::string basemap;
    std::vector<std::string> warnings;  ///< one line each: repaired features, zero-population units...

    [[nodiscard]] const Layer* layer(Role r) const;
    [[nodiscard]] Layer* layer(Role r);
    /// The layer that carries counts for analysis: units, else buildings, else the first layer.
    [[nodiscard]] const Layer* analysis_layer() const;
};

/// The metric CRS (from --crs, the manifest's "crs" or a saved project) parsed and checked
/// for measuring in metres (Crs::metric_problem); errors name `where` (the manifest key, or --crs).
Crs metric_crs_from(const std::string& text, const ErrorContext& where);

/// The colour of the i-th group when the manifest gives none (a palette of 10, repeating).
std::string default_group_colour(std::size_t i);

/// Loads a project folder (with project.json), a single vector file, a table of a PostGIS
/// database the user named ("PG:...", options.layer) or a community of a district database
/// ("PG:...", options.community).
/// Throws InputError on any problem; warnings go to project.warnings.
Project load_project(const std::string& path, const LoadOptions& options = {}, const Progress& progress = {});

/// The checks every loaded project passes, from a folder or a project GeoPackage alike
/// (errors name `manifest`, the project.json or the .gpkg, and the key): every layer has
/// features, each with a geometry of its role's type; roles once each; count roles known;
/// group columns unique with #rrggbb colours; the metric CRS projected in metres
/// (Crs::metric_problem); counts that are non-negative whole numbers (read_counts), and
/// registered + temporary = total where both are given. Adds the zero-population warning.
void check_project(Project& p, const std::string& manifest);

/// Finishes a raw layer: decides planar vs geographic, reprojects to WGS 84 for display
/// and to `metric` for measuring, repairs invalid polygons (a warning per feature).
/// `metric` unknown = choose from this layer alone.
void georeference_layer(Layer& layer, const Crs& metric, std::vector<std::string>& warnings);

/// The metric CRS for a set of georeferenced layers: their shared projected source CRS
/// when it is in metres and distorts lengths at the data by at most 0.1 % (a CGCS2000
/// Gauss–Krüger zone, UTM, a local grid); otherwise the UTM zone of their centroid.
Crs choose_metric_crs(const std::vector<const Layer*>& layers);

/// A warning (English / Chinese, one line) when `metric` distorts lengths at the layers'
/// centre by more than 0.1 %, naming the CRSs that suit the data; nullopt otherwise.
std::optional<std::string> metric_crs_scale_warning(const Crs& metric, const std::vector<const Layer*>& layers);

}  // namespace hq
