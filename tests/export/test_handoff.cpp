// The GIS hand-off (docs/export.md, "GeoPackage for QGIS and GeoDa"): `huqian export --map
// KIND -o FILE.gpkg` is read back with GDAL; its `layer_styles` rows hold QML that parses
// as XML (GDAL's CPLParseXMLString) with the map's renderer and the map's class colours;
// counts pass through the privacy guard. The expected colours are independent of the
// exporter: the manifest's group colours (dominant) and GeoDa's LISA colours.
// [SECTION] index
//   Helpers: reading the GeoPackage and its QML
//   Layers, styles and guarded counts
//   Per-unit table, suggested sites, SVG text
//   Zones' reach and the composition pie diagram
#include <catch2/catch.hpp>

#include <cpl_minixml.h>
#include <gdal.h>
#include <nlohmann/json.hpp>
#include <ogr_api.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/carto/scene.hpp"
#include "geo/io/raster.hpp"
#include "geo/io/reader.hpp"
#include "tests/export/test_project.hpp"
#include "tests/export/test_shell.hpp"
#include "tests/test_support.hpp"

using namespace hq;
using namespace hq::test;
using shell::q;

// [SECTION] Helpers: reading the GeoPackage and its QML -------------------------------------------

namespace {

struct Ds {
    GDALDatasetH h = nullptr;
    explicit Ds(const std::string& path) {
        init_gdal();
        h = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    }
    ~Ds() {
        if (h) GDALClose(h);
    }
    Ds(const Ds&) = delete;
    Ds& operator=(const Ds&) = delete;
};

struct XmlDoc {
    CPLXMLNode* root = nullptr;
    explicit XmlDoc(const std::string& text) : root(CPLParseXMLString(text.c_str())) {}
    ~XmlDoc() {
        if (root) CPLDestroyXMLNode(root);
    }
    XmlDoc(const XmlDoc&) = delete;
    XmlDoc& operator=(const XmlDoc&) = delete;
    /// The first element named `name` (depth first) under `n`.
    static const CPLXMLNode* find(const CPLXMLNode* n, const std::string& name) {
        for (; n; n = n->psNext) {
            if (n->eType == CXT_Element && name == n->pszValue) return n;
            if (const CPLXMLNode* c = find(n->psChild, name)) return c;
        }
        return nullptr;
    }
    static void all(const CPLXMLNode* n, const std::string& name, std::vector<const CPLXMLNode*>& out) {
        for (; n; n = n->psNext) {
            if (n->eType == CXT_Element && name == n->pszValue) out.push_back(n);
            all(n->psChild, name, out);
        }
    }
};

struct StyleRow {
    std::string table, geometry_column, qml, sld;
    int use_as_default = 0;
};

std::vector<StyleRow> styles(GDALDatasetH ds) {
    std::vector<StyleRow> out;
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "layer_styles");
    REQUIRE(l != nullptr);
    OGR_L_ResetReading(l);
    while (OGRFeatureH f = OGR_L_GetNextFeature(l)) {
        StyleRow r;
        r.table = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "f_table_name"));
        r.geometry_column = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "f_geometry_column"));
        r.qml = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "styleQML"));
        r.sld = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "styleSLD"));
        r.use_as_default = OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "useAsDefault"));
        OGR_F_Destroy(f);
        out.push_back(r);
    }
    return out;
}

const StyleRow& style_of(const std::vector<StyleRow>& rows, const std::string& table) {
    for (const auto& r : rows)
        if (r.table == table) return r;
    FAIL("no layer_styles row for " << table);
    return rows.front();
}

/// category/range value (or lower bound) -> the symbol's fill colour "r,g,b,a".
std::map<std::string, std::string> class_colours(const std::string& qml, std::string& renderer, std::string& attr) {
    XmlDoc doc(qml);
    REQUIRE(doc.root != nullptr);
    const CPLXMLNode* r = XmlDoc::find(doc.root, "renderer-v2");
    REQUIRE(r != nullptr);
    renderer = CPLGetXMLValue(r, "type", "");
    attr = CPLGetXMLValue(r, "attr", "");
    std::map<std::string, std::string> symbol_colour;
    std::vector<const CPLXMLNode*> syms;
    XmlDoc::all(r, "symbol", syms);
    for (const CPLXMLNode* s : syms) {
        const CPLXMLNode* layer = XmlDoc::find(s->psChild, "layer");
        REQUIRE(layer != nullptr);
        std::vector<const CPLXMLNode*> props;
        XmlDoc::all(layer->psChild, "prop", props);
        for (const CPLXMLNode* p : props)
            if (std::string(CPLGetXMLValue(p, "k", "")) == "color")
                symbol_colour[CPLGetXMLValue(s, "name", "")] = CPLGetXMLValue(p, "v", "");
    }
    std::map<std::string, std::string> out;
    std::vector<const CPLXMLNode*> items;
    XmlDoc::all(r, renderer == "graduatedSymbol" ? "range" : "category", items);
    for (const CPLXMLNode* c : items) {
        const std::string key = renderer == "graduatedSymbol" ? CPLGetXMLValue(c, "lower", "") : CPLGetXMLValue(c, "value", "");
        out[key] = symbol_colour[CPLGetXMLValue(c, "symbol", "")];
    }
    return out;
}

std::string rgba(int r, int g, int b) { return std::to_string(r) + "," + std::to_string(g) + "," + std::to_string(b) + ",255"; }

/// Reads field `field` of the feature whose `key` equals `id` (null -> "NULL").
std::string field_of(GDALDatasetH ds, const std::string& layer, const std::string& key, const std::string& id,
                     const std::string& field) {
    OGRLayerH l = GDALDatasetGetLayerByName(ds, layer.c_str());
    REQUIRE(l != nullptr);
    OGR_L_ResetReading(l);
    std::string out = "MISSING";
    while (OGRFeatureH f = OGR_L_GetNextFeature(l)) {
        if (id == OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, key.c_str()))) {
            const int k = OGR_F_GetFieldIndex(f, field.c_str());
            out = k < 0 ? "NOFIELD" : OGR_F_IsFieldSetAndNotNull(f, k) ? OGR_F_GetFieldAsString(f, k) : "NULL";
        }
        OGR_F_Destroy(f);
    }
    return out;
}

std::string about(GDALDatasetH ds, const std::string& key) {
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "huqian_about");
    REQUIRE(l != nullptr);
    std::string out;
    OGR_L_ResetReading(l);
    while (OGRFeatureH f = OGR_L_GetNextFeature(l)) {
        if (key == OGR_F_GetFieldAsString(f, 0)) out += OGR_F_GetFieldAsString(f, 1);
        OGR_F_Destroy(f);
    }
    return out;
}

}  // namespace

// [SECTION] Layers, styles and guarded counts -----------------------------------------------------

TEST_CASE("GeoPackage hand-off: dominant map, categorized style with the manifest colours, guarded counts") {
    TempDir dir;
    write_test_project(dir.path().string());
    const std::string out = dir.file("dominant.gpkg");
    const auto r = shell::run(q(shell::exe()) + " export " + q(dir.path().string()) + " --map dominant -o " + q(out));
    INFO(r.out);
    REQUIRE(r.code == 0);
    Ds ds(out);
    REQUIRE(ds.h != nullptr);
    OGRLayerH units = GDALDatasetGetLayerByName(ds.h, "units");
    REQUIRE(units != nullptr);
    CHECK(OGR_L_GetFeatureCount(units, 1) == 64);
    CHECK(GDALDatasetGetLayerByName(ds.h, "boundary") != nullptr);
    const auto rows = styles(ds.h);
    const StyleRow& s = style_of(rows, "units");
    CHECK(s.use_as_default == 1);
    CHECK(s.geometry_column == std::string(OGR_L_GetGeometryColumn(units)));
    std::string renderer, attr;
    const auto colours = class_colours(s.qml, renderer, attr);
    CHECK(renderer == "categorizedSymbol");
    CHECK(attr == "dominant");
    // With the guard on no unit of this project has a publishable largest group (its largest
    // count is withheld, or a withheld cell beside it could be larger: docs/privacy.md,
    // "Classed maps"): only the hatched "all other values" class. The manifest's colours
    // are checked with the guard off (the next test).
    CHECK(colours.count("pop_a") == 0);
    CHECK(colours.count("pop_b") == 0);
    CHECK(colours.count("pop_c") == 0);
    CHECK(colours.at("") == rgba(250, 250, 250));
    // The same classes as the scene the PNG is drawn from.
    LoadOptions lo;
    auto project = std::make_shared<const Project>(load_project(dir.path().string(), lo));
    const carto::Scene scene = carto::build_scene(project, carto::parse_map_kind("dominant"));
    REQUIRE_FALSE(scene.thematic.empty());
    for (const auto& c : scene.thematic.front().classes) {
        const carto::Color& k = c.color;
        CHECK(colours.at(c.value) == rgba(static_cast<int>(std::lround(k.r * 255)), static_cast<int>(std::lround(k.g * 255)),
                                          static_cast<int>(std::lround(k.b * 255))));
    }
    // The SLD beside it parses too and names the field.
    XmlDoc sld(s.sld);
    REQUIRE(sld.root != nullptr);
    // Fields: the dominant group, counts and shares through the guard (Aa's 40 Alpha are
    // withheld: its largest group is not published).
    CHECK(field_of(ds.h, "units", "cy_id", "Aa", "dominant") == "NULL");
    // Published where geo/privacy publishes (complementary suppression hides many cells of
    // a column with small counts): Cc's Beta count and Aa's total.
    CHECK(field_of(ds.h, "units", "cy_id", "Cc", "pop_b") == "30");
    CHECK(field_of(ds.h, "units", "cy_id", "Aa", "total") == "70");
    CHECK(field_of(ds.h, "units", "cy_id", "Hh", "dominant") == "NULL");
    CHECK(field_of(ds.h, "units", "cy_id", "Hh", "total") == "NULL");
    CHECK(field_of(ds.h, "units", "cy_id", "Hh", "share_pop_b") == "NULL");
    CHECK(field_of(ds.h, "units", "cy_id", "Cc", "pop_c") == "NULL");  // 3 < k
    CHECK(field_of(ds.h, "units", "cy_id", "Cc", "lq_pop_c") == "NULL");
    // Aa's counts are withheld (complementary suppression): its exact entropy with its
    // published total would give them back.
    CHECK(field_of(ds.h, "units", "cy_id", "Aa", "multi_local_entropy") == "NULL");
    CHECK(about(ds.h, "note").find("示意数据") != std::string::npos);
    CHECK(about(ds.h, "stamp").empty());
}

TEST_CASE("GeoPackage hand-off: --no-privacy-guard publishes small counts and is stamped") {
    TempDir dir;
    write_test_project(dir.path().string());
    const std::string out = dir.file("open.gpkg");
    const auto r = shell::run(q(shell::exe()) + " export " + q(dir.path().string()) + " --map dominant --no-privacy-guard -o " + q(out));
    INFO(r.out);
    REQUIRE(r.code == 0);
    Ds ds(out);
    REQUIRE(ds.h != nullptr);
    CHECK(field_of(ds.h, "units", "cy_id", "Cc", "pop_c") == "3");
    CHECK(field_of(ds.h, "units", "cy_id", "Aa", "pop_a") == "40");
    // The dominant map as before: the manifest's colours (tests/export/test_project.hpp):
    // Alpha #1565c0, Beta #9e9e9e; Gamma is largest nowhere; Hh (4 residents) is the
    // hatched "all other values" class only with the guard on, so absent here.
    std::string renderer, attr;
    const auto colours = class_colours(style_of(styles(ds.h), "units").qml, renderer, attr);
    CHECK(attr == "dominant");
    CHECK(colours.at("pop_a") == rgba(0x15, 0x65, 0xc0));
    CHECK(colours.at("pop_b") == rgba(0x9e, 0x9e, 0x9e));
    CHECK(colours.count("pop_c") == 0);
    CHECK(style_of(styles(ds.h), "units").sld.find("<ogc:PropertyName>dominant</ogc:PropertyName>") != std::string::npos);
    CHECK(field_of(ds.h, "units", "cy_id", "Aa", "dominant") == "pop_a");
    CHECK(field_of(ds.h, "units", "cy_id", "Aa", "multi_local_entropy") != "NULL");
    CHECK(field_of(ds.h, "units", "cy_id", "Hh", "total") == "4");
    CHECK(about(ds.h, "stamp").find("contains small counts") != std::string::npos);
    CHECK(about(ds.h, "privacy_guard") == "off");
    CHECK(style_of(styles(ds.h), "units").sld.find("<se:Name>") != std::string::npos);
}

TEST_CASE("GeoPackage hand-off: LISA map with GeoDa's codes and colours, Ii/z/p fields") {
    TempDir dir;
    write_test_project(dir.path().string());
    const std::string out = dir.file("lisa.gpkg");
    const auto r = shell::run(q(shell::exe()) + " export " + q(dir.path().string()) +
                              " --map lisa:pop_a --permutations 99 --weights rook --adjust none -o " + q(out));
    INFO(r.out);
    REQUIRE(r.code == 0);
    Ds ds(out);
    REQUIRE(ds.h != nullptr);
    std::string renderer, attr;
    const auto colours = class_colours(style_of(styles(ds.h), "units").qml, renderer, attr);
    CHECK(renderer == "categorizedSymbol");
    CHECK(attr == "lisa_cluster");
    // GeoDa: High-High 255,0,0; Low-Low 0,0,255; Low-High 150,150,255; High-Low 255,150,150;
    // not significant 240,240,240 (docs/export.md).
    CHECK(colours.at("1") == rgba(255, 0, 0));
    CHECK(colours.at("2") == rgba(0, 0, 255));
    CHECK(colours.at("3") == rgba(150, 150, 255));
    CHECK(colours.at("4") == rgba(255, 150, 150));
    CHECK(colours.at("0") == rgba(240, 240, 240));
    // With the guard on the LISA enters only units whose Alpha count and total are printed
    // (docs/privacy.md, "LISA"): on this project fewer than 3, so every lisa_* field is NULL.
    for (const char* f : {"lisa_i", "lisa_z", "lisa_p", "lisa_sig", "lisa_cluster", "lisa_label"})
        CHECK(field_of(ds.h, "units", "cy_id", "Bb", f) == "NULL");
    const std::string open = dir.file("lisa_open.gpkg");
    REQUIRE(shell::run(q(shell::exe()) + " export " + q(dir.path().string()) +
                       " --map lisa:pop_a --permutations 99 --weights rook --adjust none --no-privacy-guard -o " + q(open))
                .code == 0);
    Ds ds_open(open);
    REQUIRE(ds_open.h != nullptr);
    // The data owner's map: the Alpha block (lower left, 40 per courtyard) is a High-High
    // cluster at its centre.
    CHECK(field_of(ds_open.h, "units", "cy_id", "Bb", "lisa_cluster") == "1");
    CHECK(field_of(ds_open.h, "units", "cy_id", "Bb", "lisa_label") == "High-High");
    for (const char* f : {"lisa_i", "lisa_z", "lisa_p"}) CHECK(field_of(ds_open.h, "units", "cy_id", "Bb", f) != "NULL");
    CHECK(field_of(ds.h, "units", "cy_id", "Hh", "lisa_cluster") == "NULL");  // 4 residents: hatched on the map
}

TEST_CASE("GeoPackage hand-off: index map is graduated with the map's breaks, zones carry evaluations") {
    TempDir dir;
    write_test_project(dir.path().string());
    write_test_zones(dir.path().string());
    const std::string out = dir.file("index.gpkg");
    const auto r = shell::run(q(shell::exe()) + " export " + q(dir.path().string()) +
                              " --map index:multi_local_entropy --classes 4 --ramp Blues -o " + q(out));
    INFO(r.out);
    REQUIRE(r.code == 0);
    Ds ds(out);
    REQUIRE(ds.h != nullptr);
    const auto rows = styles(ds.h);
    std::string renderer, attr;
    const auto colours = class_colours(style_of(rows, "units").qml, renderer, attr);
    CHECK(renderer == "graduatedSymbol");
    // Guard on: the class number of each unit (exact values are withheld with counts).
    CHECK(attr == "multi_local_entropy_class");
    LoadOptions lo;
    auto project = std::make_shared<const Project>(load_project(dir.path().string(), lo));
    carto::MapRequest rq = carto::parse_map_kind("index:multi_local_entropy");
    rq.classes = 4;
    rq.ramp = "Blues";
    const carto::Scene scene = carto::build_scene(project, rq);
    std::size_t ranges = 0;
    for (const auto& c : scene.thematic.front().classes)
        if (!c.hatched) ++ranges;
    CHECK(colours.size() == ranges);
    CHECK(ranges >= 2);
    // Blues' lowest class is ColorBrewer's lightest blue, #f7fbff; ranges are class numbers.
    CHECK(colours.begin()->first == "0.5");
    CHECK(colours.begin()->second == rgba(0xf7, 0xfb, 0xff));
    std::size_t c = 0;
    for (const auto& k : scene.thematic.front().classes) {
        if (k.hatched) continue;
        const std::string key = std::to_string(c++) + ".5";
        CHECK(colours.at(key) == rgba(static_cast<int>(std::lround(k.color.r * 255)),
                                      static_cast<int>(std::lround(k.color.g * 255)),
                                      static_cast<int>(std::lround(k.color.b * 255))));
    }
    // A class is published only where no filling of the withheld counts changes it
    // (docs/privacy.md, "Classed maps"): Aa's counts are withheld and its class is not.
    CHECK(field_of(ds.h, "units", "cy_id", "Aa", "multi_local_entropy_class") == "NULL");
    // Guard off: graduated on the values with the map's breaks.
    const std::string open = dir.file("index_open.gpkg");
    REQUIRE(shell::run(q(shell::exe()) + " export " + q(dir.path().string()) +
                       " --map index:multi_local_entropy --classes 4 --ramp Blues --no-privacy-guard -o " + q(open))
                .code == 0);
    Ds ds_open(open);
    REQUIRE(ds_open.h != nullptr);
    const auto open_colours = class_colours(style_of(styles(ds_open.h), "units").qml, renderer, attr);
    CHECK(attr == "multi_local_entropy");
    rq.privacy_guard = false;
    const carto::Scene open_scene = carto::build_scene(project, rq);
    CHECK(open_colours.size() == open_scene.thematic.front().classes.size());
    for (const auto& k : open_scene.thematic.front().classes) {
        char key[40];
        std::snprintf(key, sizeof key, "%.17g", k.lower);
        CHECK(open_colours.at(key) == rgba(static_cast<int>(std::lround(k.color.r * 255)),
                                           static_cast<int>(std::lround(k.color.g * 255)),
                                           static_cast<int>(std::lround(k.color.b * 255))));
    }
    // Zones: the evaluation fields, and a categorized style.
    OGRLayerH zones = GDALDatasetGetLayerByName(ds.h, "zones");
    REQUIRE(zones != nullptr);
    CHECK(OGR_L_GetFeatureCount(zones, 1) == 2);
    OGRFeatureDefnH def = OGR_L_GetLayerDefn(zones);
    for (const char* f : {"entropy_normalised", "mean_isolation_before", "mean_isolation_after", "reached_pop_a"})
        CHECK(OGR_FD_GetFieldIndex(def, f) >= 0);
}

TEST_CASE("GeoPackage hand-off: a heatmap is a GeoTIFF beside it with a QGIS pseudocolour style") {
    TempDir dir;
    write_test_project(dir.path().string());
    const std::string out = dir.file("heat.gpkg");
    const auto r = shell::run(q(shell::exe()) + " export " + q(dir.path().string()) + " --map heatmap:pop_a --no-privacy-guard -o " + q(out));
    INFO(r.out);
    REQUIRE(r.code == 0);
    const RasterFile tif = read_geotiff(dir.file("heat.heatmap.tif"));
    REQUIRE(tif.bands.size() == 1);
    CHECK(tif.bands[0].width > 10);
    XmlDoc qml(test::slurp(dir.file("heat.heatmap.qml")));
    REQUIRE(qml.root != nullptr);
    const CPLXMLNode* rr = XmlDoc::find(qml.root, "rasterrenderer");
    REQUIRE(rr != nullptr);
    CHECK(std::string(CPLGetXMLValue(rr, "type", "")) == "singlebandpseudocolor");
    std::vector<const CPLXMLNode*> items;
    XmlDoc::all(qml.root, "item", items);
    REQUIRE(items.size() >= 11);
    // viridis ends (matplotlib): #440154 at 0 (transparent: the map fades in), #fde725 at the max.
    CHECK(std::string(CPLGetXMLValue(items.front(), "color", "")) == "#440154");
    CHECK(std::string(CPLGetXMLValue(items.front(), "alpha", "")) == "0");
    CHECK(std::string(CPLGetXMLValue(items.back(), "color", "")) == "#fde725");
    Ds ds(out);
    REQUIRE(ds.h != nullptr);
    CHECK(GDALDatasetGetLayerByName(ds.h, "units") != nullptr);
    // No temporaries left beside the three files.
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        CHECK(e.path().filename().string().rfind(".huqian-tmp-", 0) != 0);
}

// [SECTION] Per-unit table, suggested sites, SVG text ---------------------------------------------

TEST_CASE("indices --per-unit: one row per unit, joinable by the units' id field, through the guard") {
    TempDir dir;
    write_test_project(dir.path().string());
    const std::string csv = dir.file("units.csv");
    auto r = shell::run(q(shell::exe()) + " indices " + q(dir.path().string()) + " --per-unit -o " + q(csv));
    INFO(r.out);
    REQUIRE(r.code == 0);
    std::istringstream in(test::slurp(csv));
    std::string header, line;
    std::getline(in, header);
    CHECK(header.rfind("cy_id,name_zh,name_en,pop_a,pop_b,pop_c,total,share_pop_a,", 0) == 0);
    CHECK(header.find(",multi_local_entropy,") != std::string::npos);
    CHECK(header.find(",lq_pop_c,") != std::string::npos);
    std::set<std::string> ids;
    std::string cc;
    while (std::getline(in, line)) {
        ids.insert(line.substr(0, line.find(',')));
        if (line.rfind("Cc,", 0) == 0) cc = line;
    }
    CHECK(ids.size() == 64);
    CHECK(ids.count("Aa") == 1);
    CHECK(ids.count("Hh") == 1);
    // Cc: pop_c = 3 is withheld (the sixth column is empty).
    REQUIRE_FALSE(cc.empty());
    std::vector<std::string> cells;
    std::stringstream cs(cc);
    for (std::string c; std::getline(cs, c, ',');) cells.push_back(c);
    REQUIRE(cells.size() > 6);
    CHECK(cells[5].empty());

    // A single vector file with --groups, written as a GeoPackage with the geometry.
    const std::string gpkg = dir.file("units.gpkg");
    r = shell::run(q(shell::exe()) + " indices " + q(dir.file("courtyards.geojson")) +
                   " --groups pop_a,pop_b,pop_c --per-unit --no-privacy-guard -o " + q(gpkg));
    INFO(r.out);
    REQUIRE(r.code == 0);
    Ds ds(gpkg);
    REQUIRE(ds.h != nullptr);
    OGRLayerH l = GDALDatasetGetLayer(ds.h, 0);
    REQUIRE(l != nullptr);
    CHECK(OGR_L_GetFeatureCount(l, 1) == 64);
    CHECK(OGR_L_GetGeomType(l) == wkbPolygon);
    const std::string name = OGR_L_GetName(l);
    // Without a manifest the ids are the features' (GDAL's fids: Aa = 0, Cc = 2·8 + 2 = 18).
    CHECK(field_of(ds.h, name, "id", "18", "name_en") == "Court Cc");
    CHECK(field_of(ds.h, name, "id", "18", "pop_c") == "3");
    // Hand-worked: Aa has 40 Alpha and 30 Beta of 70: share 4/7, Simpson interaction
    // 1 − (4/7)² − (3/7)² = 24/49.
    CHECK(field_of(ds.h, name, "id", "0", "share_pop_a") == "0.571428571428571");
    CHECK(field_of(ds.h, name, "id", "0", "multi_local_simpson_interaction") == "0.489795918367347");
    // A missing column is one line naming it.
    r = shell::run(q(shell::exe()) + " indices " + q(dir.file("courtyards.geojson")) +
                   " --groups pop_a,pop_x --per-unit");
    CHECK(r.code == 1);
    CHECK(r.out.find("pop_x") != std::string::npos);
    CHECK(r.out.find("no such count column") != std::string::npos);
}

TEST_CASE("plan suggest -o FILE.geojson|.gpkg writes the chosen sites") {
    TempDir dir;
    write_test_project(dir.path().string());
    for (const char* ext : {"geojson", "gpkg"}) {
        const std::string out = dir.file(std::string("sites.") + ext);
        const auto r = shell::run(q(shell::exe()) + " plan suggest " + q(dir.path().string()) + " --k 3 -o " + q(out));
        INFO(r.out);
        REQUIRE(r.code == 0);
        Ds ds(out);
        REQUIRE(ds.h != nullptr);
        OGRLayerH l = GDALDatasetGetLayer(ds.h, 0);
        REQUIRE(l != nullptr);
        CHECK(OGR_L_GetFeatureCount(l, 1) == 3);
        CHECK(wkbFlatten(OGR_L_GetGeomType(l)) == wkbPoint);
        const std::string name = OGR_L_GetName(l);
        CHECK(field_of(ds.h, name, "rank", "1", "method") == "exact");
        CHECK(field_of(ds.h, name, "rank", "3", "site_id") != "MISSING");
    }
}

TEST_CASE("SVG export: real <text> elements with the font family and the Chinese title") {
    TempDir dir;
    write_test_project(dir.path().string());
    const std::string out = dir.file("map.svg");
    const auto r = shell::run(q(shell::exe()) + " export " + q(dir.path().string()) + " --map dominant -o " + q(out));
    INFO(r.out);
    REQUIRE(r.code == 0);
    XmlDoc svg(test::slurp(out));
    REQUIRE(svg.root != nullptr);
    std::vector<const CPLXMLNode*> texts;
    XmlDoc::all(svg.root, "text", texts);
    REQUIRE(texts.size() > 10);
    std::set<std::string> contents;
    for (const CPLXMLNode* t : texts) contents.insert(CPLGetXMLValue(t, "", ""));
    CHECK(contents.count("各院落人数最多的民族") == 1);  // the default title
    CHECK(contents.count("院落Aa") == 1);              // a map label
    const CPLXMLNode* g = nullptr;
    std::vector<const CPLXMLNode*> groups;
    XmlDoc::all(svg.root, "g", groups);
    for (const CPLXMLNode* x : groups)
        if (std::string(CPLGetXMLValue(x, "id", "")) == "huqian-text") g = x;
    REQUIRE(g != nullptr);
    CHECK(std::string(CPLGetXMLValue(g, "font-family", "")).rfind("WenQuanYi Micro Hei", 0) == 0);
    // Labels keep their halo as a stroke painted under the fill.
    bool halo = false;
    for (const CPLXMLNode* t : texts)
        if (std::string(CPLGetXMLValue(t, "paint-order", "")) == "stroke") halo = true;
    CHECK(halo);
}

// [SECTION] Zones' reach and the composition pie diagram ------------------------------------------

TEST_CASE("GeoPackage hand-off: zones' reach is protected jointly, exactly as plan evaluate publishes it") {
    // Overlapping catchments must be protected together (privacy::zone_reach_tables): the
    // hand-off used to protect each zone alone. Three zones, two of them overlapping, and
    // every reached_<group> field equal to plan evaluate --json (null where it is withheld).
    TempDir dir;
    write_test_project(dir.path().string());
    write_test_zones(dir.path().string());
    {
        std::ifstream in(dir.file("zones.geojson"));
        std::string z((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const double x0 = kLon0 + 1.5 * kDegLon, y0 = kLat0 + 1.5 * kDegLat;
        const double x1 = x0 + 1.5 * kDegLon, y1 = y0 + 1.5 * kDegLat;
        char ring[512];
        std::snprintf(ring, sizeof ring, "[[[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f]]]", x0, y0, x1,
                      y0, x1, y1, x0, y1, x0, y0);
        const std::string third = std::string(R"(,{"type":"Feature","properties":{"id":"ZB","name_zh":"乙族活动室","name_en":"Beta hall","kind":"shared_activity_venue","status":"proposed"},"geometry":{"type":"Polygon","coordinates":)") +
                                  ring + "}}]}";
        REQUIRE(z.size() > 2);
        z.replace(z.size() - 2, 2, third);
        std::ofstream(dir.file("zones.geojson")) << z;
    }
    const std::string out = dir.file("dominant.gpkg");
    const auto r = shell::run(q(shell::exe()) + " export " + q(dir.path().string()) + " --map dominant -o " + q(out));
    INFO(r.out);
    REQUIRE(r.code == 0);
    const auto e = shell::run(q(shell::exe()) + " plan evaluate " + q(dir.path().string()) + " --json");
    INFO(e.out);
    REQUIRE(e.code == 0);
    const auto j = nlohmann::json::parse(e.out.substr(e.out.find('{')));
    REQUIRE(j.at("zones").size() == 3);
    Ds ds(out);
    REQUIRE(ds.h != nullptr);
    std::size_t withheld = 0, published = 0;
    for (const auto& z : j.at("zones")) {
        const std::string id = z.at("id");
        for (const auto& g : z.at("groups")) {
            const std::string col = g.at("column");
            const std::string field = field_of(ds.h, "zones", "id", id, "reached_" + col);
            INFO(id << " " << col << " json " << g.at("reached").dump() << " gpkg " << field);
            if (g.at("reached").is_null()) {
                CHECK(field == "NULL");
                ++withheld;
            } else {
                REQUIRE(field != "NULL");
                REQUIRE(field != "MISSING");
                CHECK_THAT(std::stod(field), Catch::Matchers::WithinAbs(g.at("reached").get<double>(), 1e-9));
                ++published;
            }
        }
    }
    // Every zone × group compared; the small group (3 residents of pop_c) is withheld in
    // every zone, and here the joint rule withholds the rest too (three overlapping reaches
    // with a published residents-reached total each).
    CHECK(withheld + published == 9);
    CHECK(withheld >= 3);
}

TEST_CASE("GeoPackage hand-off: the composition map's pies are a QGIS pie diagram with the legend's groups and colours") {
    TempDir dir;
    write_test_project(dir.path().string());
    for (const bool guard : {false, true}) {
        INFO("privacy guard " << guard);
        const std::string out = dir.file(guard ? "composition.gpkg" : "composition_open.gpkg");
        const auto r = shell::run(q(shell::exe()) + " export " + q(dir.path().string()) + " --map composition" +
                                  (guard ? "" : " --no-privacy-guard") + " -o " + q(out));
        INFO(r.out);
        REQUIRE(r.code == 0);
        Ds ds(out);
        REQUIRE(ds.h != nullptr);
        const auto rows = styles(ds.h);
        const StyleRow& s = style_of(rows, "units");
        INFO(s.qml);
        XmlDoc doc(s.qml);
        REQUIRE(doc.root != nullptr);
        const CPLXMLNode* qgis = XmlDoc::find(doc.root, "qgis");
        REQUIRE(qgis != nullptr);
        CHECK(std::string(CPLGetXMLValue(qgis, "styleCategories", "")) == "Symbology|Diagrams");
        const CPLXMLNode* d = XmlDoc::find(doc.root, "LinearlyInterpolatedDiagramRenderer");
        REQUIRE(d != nullptr);
        CHECK(std::string(CPLGetXMLValue(d, "diagramType", "")) == "Pie");
        CHECK(std::string(CPLGetXMLValue(d, "classificationAttributeExpression", "")) == "\"total\"");
        // The largest unit: "Cc" in the Alpha block, 40 Alpha + 30 Beta + 3 Gamma.
        CHECK_THAT(std::stod(CPLGetXMLValue(d, "upperValue", "0")), Catch::Matchers::WithinAbs(73.0, 1e-9));
        REQUIRE(XmlDoc::find(doc.root, "DiagramLayerSettings") != nullptr);
        std::vector<const CPLXMLNode*> attrs;
        XmlDoc::all(d, "attribute", attrs);
        std::vector<std::string> fields, colours;
        for (const CPLXMLNode* a : attrs) {
            fields.push_back(CPLGetXMLValue(a, "field", ""));
            colours.push_back(CPLGetXMLValue(a, "color", ""));
        }
        // The map's legend, built independently of the hand-off: the groups with a slice of
        // their own and "other", with their colours, in the same order.
        LoadOptions lo;
        auto project = std::make_shared<const Project>(load_project(dir.path().string(), lo));
        carto::MapRequest rq = carto::parse_map_kind("composition");
        rq.privacy_guard = guard;
        const carto::Scene scene = carto::build_scene(project, rq);
        std::vector<std::string> legend;
        for (const auto& item : scene.legend)
            if (item.kind == carto::LegendItem::Kind::Swatch) legend.push_back(item.color.to_hex());
        CHECK(colours == legend);
        REQUIRE(!fields.empty());
        if (guard) {
            // Gamma's 3 residents are withheld: no slice of their own; withheld counts (NULL in
            // the file) fall into "other", the unit total less the published slices.
            CHECK(std::find(fields.begin(), fields.end(), "\"pop_c\"") == fields.end());
            CHECK(fields.back().rfind("\"total\" - (coalesce(", 0) == 0);
            CHECK(colours.back() == "#bdbdbd");
        } else {
            // Every group over 3 % of every unit: three slices, no "other" (as on the map).
            CHECK(fields == std::vector<std::string>{"\"pop_a\"", "\"pop_b\"", "\"pop_c\""});
            CHECK(colours == std::vector<std::string>{"#1565c0", "#9e9e9e", "#2e7d32"});
        }
    }
}
