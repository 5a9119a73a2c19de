#pragma once
// The GIS hand-off (docs/export.md, "GeoPackage for QGIS and GeoDa"): a map's layers with
// their results as fields and QGIS styles (QML and SLD in the GeoPackage's `layer_styles`
// table) with the same classes and colours as the map; a heatmap or mixing surface as a
// GeoTIFF beside it with its QML sidecar. The styles come from the scene's thematic
// description (carto::Thematic), the one source of the map's colours.
#include <string>

#include "app/carto/scene.hpp"
#include "geo/core/progress.hpp"

namespace hq::exporter {

/// A QGIS vector style (QML) of one thematic layer; `geometry` the layer's type;
/// `diagram` QGIS diagram elements to add (pie_diagram_qml), or "".
std::string thematic_qml(const carto::Thematic& t, GeomType geometry, const std::string& diagram = "");
/// The composition map's pies as a QGIS pie diagram of the units layer (QML
/// LinearlyInterpolatedDiagramRenderer + DiagramLayerSettings): one slice per group the map
/// gives a slice of its own (the field of its count, its colour and legend label) and one
/// "other" slice of the unit total less those counts (withheld counts are NULL in the file,
/// so they fall into "other", as on the map); the pie's area grows linearly with "total".
/// "" for every other map kind.
std::string pie_diagram_qml(const carto::Scene& scene);
/// The same classes as OGC SLD 1.1 (Symbology Encoding), for `layer` (the table name).
std::string thematic_sld(const carto::Thematic& t, GeomType geometry, const std::string& layer);
/// A QGIS raster style (QML, singleband pseudocolour) of the scene's raster overlay.
std::string raster_qml(const carto::RasterOverlay& r);

struct HandoffOptions {
    double zone_radius = 300;  ///< walking radius of the zones' catchments (m)
    double fraction = 0.2;     ///< activity-space model share f
};

/// What write_handoff wrote (for messages and tests).
struct HandoffFiles {
    std::string gpkg;
    std::string raster;      ///< "" without a raster overlay
    std::string raster_qml;  ///< the raster's style sidecar (QGIS loads NAME.qml beside NAME.tif)
    std::vector<std::string> layers;
};

/// Writes the hand-off to `path` (.gpkg) — and PATH_STEM.KIND.tif / .qml beside it for a
/// heatmap or mixing map — all committed together (AtomicFileGroup). `results` are the
/// scene's (the LISA whose Ii, z, p and cluster become fields). Every count and share goes
/// through the scene request's disclosure policy; the illustrative flag, the privacy rule
/// and the source are in each style's description and in a `huqian_about` table.
HandoffFiles write_handoff(const carto::Scene& scene, const carto::SceneResults& results, const std::string& path,
                           const HandoffOptions& options = {}, const Progress& progress = {});

}  // namespace hq::exporter
