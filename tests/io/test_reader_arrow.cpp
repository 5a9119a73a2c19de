// The two read paths of GeoPackage and FlatGeobuf (issue 17, goal 3): GDAL's Arrow stream and
// the feature loop give the same layers and loaded projects (ids, rows, geometries bit for bit)
// and the same one-line messages for hostile files. HUQIAN_ARROW=0 selects the feature loop.
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "geo/core/error.hpp"
#include "geo/core/limits.hpp"
#include "geo/io/reader.hpp"
#include "geo/project/project.hpp"
#include "tests/test_support.hpp"

using namespace hq;
using Catch::Matchers::Contains;

namespace {

/// Runs f with HUQIAN_ARROW set to "1" or "0", restoring the variable after.
template <class F>
auto with_arrow(bool on, F&& f) {
    const char* old = std::getenv("HUQIAN_ARROW");
    const std::string saved = old ? old : "";
    ::setenv("HUQIAN_ARROW", on ? "1" : "0", 1);
    struct Restore {
        const char* old;
        std::string saved;
        ~Restore() {
            if (old) ::setenv("HUQIAN_ARROW", saved.c_str(), 1);
            else ::unsetenv("HUQIAN_ARROW");
        }
    } restore{old, saved};
    return f();
}

/// Every coordinate's bits, with the structure (counts) between them.
std::vector<std::uint64_t> bits(const Geometry& g) {
    std::vector<std::uint64_t> out{static_cast<std::uint64_t>(g.type), g.points.size(), g.lines.size(), g.polygons.size()};
    auto put = [&out](const Vec2& v) {
        std::uint64_t a = 0, b = 0;
        std::memcpy(&a, &v.x, 8);
        std::memcpy(&b, &v.y, 8);
        out.push_back(a);
        out.push_back(b);
    };
    for (const auto& p : g.points) put(p);
    for (const auto& l : g.lines) {
        out.push_back(l.size());
        for (const auto& p : l) put(p);
    }
    for (const auto& poly : g.polygons) {
        out.push_back(poly.rings.size());
        for (const auto& r : poly.rings) {
            out.push_back(r.size());
            for (const auto& p : r) put(p);
        }
    }
    return out;
}

void require_same(const Layer& a, const Layer& b) {
    REQUIRE(a.size() == b.size());
    CHECK(a.ids == b.ids);
    CHECK(a.id_field == b.id_field);
    CHECK(a.table.fields.size() == b.table.fields.size());
    for (std::size_t j = 0; j < a.table.fields.size() && j < b.table.fields.size(); ++j) {
        CHECK(a.table.fields[j].name == b.table.fields[j].name);
        CHECK(a.table.fields[j].type == b.table.fields[j].type);
    }
    CHECK(a.table.rows == b.table.rows);
    for (std::size_t i = 0; i < a.table.rows.size() && i < b.table.rows.size(); ++i) {
        if (a.table.rows[i] == b.table.rows[i]) continue;
        for (std::size_t j = 0; j < a.table.rows[i].size(); ++j)
            if (!(a.table.rows[i][j] == b.table.rows[i][j]))
                FAIL_CHECK("row " << i << " field " << a.table.fields[j].name << ": " << value_to_string(a.table.rows[i][j])
                                  << " (index " << a.table.rows[i][j].index() << ") vs " << value_to_string(b.table.rows[i][j])
                                  << " (index " << b.table.rows[i][j].index() << ")");
        break;
    }
    CHECK(a.geom_type == b.geom_type);
    REQUIRE(a.display.size() == b.display.size());
    REQUIRE(a.metric.size() == b.metric.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.display.size(); ++i) differ += bits(a.display[i]) != bits(b.display[i]);
    for (std::size_t i = 0; i < a.metric.size(); ++i) differ += bits(a.metric[i]) != bits(b.metric[i]);
    CHECK(differ == 0);
}

struct Written {
    std::unique_ptr<GDALDataset> ds;
    OGRLayer* layer = nullptr;
};

Written create(const std::string& path, const char* driver, OGRwkbGeometryType type,
               const std::vector<std::pair<const char*, OGRFieldType>>& fields) {
    init_gdal();
    GDALDriver* d = GetGDALDriverManager()->GetDriverByName(driver);
    REQUIRE(d != nullptr);
    Written w;
    w.ds.reset(d->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    REQUIRE(w.ds != nullptr);
    OGRSpatialReference srs;
    srs.importFromEPSG(32648);
    w.layer = w.ds->CreateLayer("units", &srs, type, nullptr);
    REQUIRE(w.layer != nullptr);
    for (const auto& [name, t] : fields) {
        OGRFieldDefn f(name, t);
        REQUIRE(w.layer->CreateField(&f) == OGRERR_NONE);
    }
    return w;
}

/// Adds a feature with `id` (null when nullptr) and the geometry of `wkt` ("" = none).
void add(OGRLayer* l, const char* id, const std::string& wkt, const std::function<void(OGRFeature&)>& more = {}) {
    OGRFeature f(l->GetLayerDefn());
    if (id) f.SetField("id", id);
    if (more) more(f);
    if (wkt == "NAN") {
        auto* ring = new OGRLinearRing();
        for (auto [x, y] : {std::pair{0.0, 0.0}, {std::nan(""), 0.0}, {1.0, 1.0}, {0.0, 0.0}}) ring->addPoint(x, y);
        auto* poly = new OGRPolygon();
        poly->addRingDirectly(ring);
        f.SetGeometryDirectly(poly);
    } else if (!wkt.empty()) {
        OGRGeometry* g = nullptr;
        REQUIRE(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) == OGRERR_NONE);
        f.SetGeometryDirectly(g);
    }
    REQUIRE(l->CreateFeature(&f) == OGRERR_NONE);
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("GeoPackage and FlatGeobuf: the Arrow stream and the feature loop read the same layer") {
    // Small files here: let the Arrow path take them (a city-sized minimum in the product).
    const std::size_t min_before = hq::detail::set_arrow_min_features(0);
    struct Restore {
        std::size_t n;
        ~Restore() { hq::detail::set_arrow_min_features(n); }
    } restore{min_before};
    test::TempDir tmp;
    for (const char* driver : {"GPKG", "FlatGeobuf"}) {
        const bool gpkg = std::string(driver) == "GPKG";
        INFO(driver);
        // Points: 21,000 (a GeoPackage this large is also read in parallel parts), text in
        // Chinese with nulls, integers (32- and 64-bit, 16-bit), reals, dates (a
        // FlatGeobuf date is a date-time, which the Arrow path leaves to the feature loop).
        const std::string points = tmp.file(std::string("points.") + (gpkg ? "gpkg" : "fgb"));
        {
            auto w = create(points, driver, wkbPoint,
                            {{"id", OFTString}, {"pop", OFTInteger}, {"big", OFTInteger64}, {"share", OFTReal},
                             {"name", OFTString}, {"small", OFTInteger}, {"flag", OFTInteger}});
            if (gpkg) {
                OGRFieldDefn s("small16", OFTInteger);
                s.SetSubType(OFSTInt16);
                REQUIRE(w.layer->CreateField(&s) == OGRERR_NONE);
                OGRFieldDefn d("since", OFTDate);
                REQUIRE(w.layer->CreateField(&d) == OGRERR_NONE);
            }
            if (gpkg) REQUIRE(w.ds->StartTransaction() == OGRERR_NONE);
            for (int i = 0; i < 21000; ++i) {
                add(w.layer, ("U" + std::to_string(i)).c_str(),
                    "POINT (" + std::to_string(400000.0 + i * 0.37) + " " + std::to_string(3390000.0 + (i % 113) * 1.1) + ")",
                    [&](OGRFeature& f) {
                        f.SetField("pop", i % 97);
                        f.SetField("big", static_cast<GIntBig>(i) * 3000000000LL);
                        if (i % 5 != 0) f.SetField("share", i / 21000.0);
                        if (i % 7 != 0) f.SetField("name", ("院落" + std::to_string(i)).c_str());
                        f.SetField("small", -i);
                        f.SetField("flag", i % 2);
                        if (gpkg) {
                            f.SetField("small16", i % 3000 - 1500);
                            if (i % 11 != 0) f.SetField("since", 1950 + i % 90, 1 + i % 12, 1 + i % 28);
                        }
                    });
            }
            if (gpkg) REQUIRE(w.ds->CommitTransaction() == OGRERR_NONE);
        }
        // Polygons and multipolygons with holes, a feature without geometry, one with Z.
        const std::string polys = tmp.file(std::string("polys.") + (gpkg ? "gpkg" : "fgb"));
        {
            auto w = create(polys, driver, wkbMultiPolygon, {{"id", OFTString}, {"pop", OFTInteger}});
            add(w.layer, "A", "MULTIPOLYGON (((0 0,10 0,10 10,0 10,0 0),(2 2,2 3,3 3,3 2,2 2)),((20 0,21 0,21 1,20 0)))");
            if (gpkg) add(w.layer, "B", "");  // FlatGeobuf 3.6 writes no feature without geometry
            add(w.layer, "C", "MULTIPOLYGON (((0 0,10 0,10 10,0 0)))");
            if (gpkg) add(w.layer, "D", "MULTIPOLYGON Z (((0 0 5,1 0 5,1 1 6,0 0 5)))");
            add(w.layer, "E", "MULTIPOLYGON (((0.1 0.2,1e-9 0.3,-0.0 7.25,0.1 0.2)))");
        }
        for (const std::string& path : {points, polys}) {
            const bool whole_project = path == points;  // polys has a feature without geometry
            INFO(path);
            const Layer arrow = with_arrow(true, [&] { return read_layer_raw(path); });
            const bool used_arrow = detail::last_read_arrow();
            const Layer loop = with_arrow(false, [&] { return read_layer_raw(path); });
            CHECK_FALSE(detail::last_read_arrow());
            // A FlatGeobuf with a date-time column is read by the feature loop (see arrow_kind).
            CHECK(used_arrow);
            require_same(arrow, loop);
            if (!whole_project) continue;
            const Project pa = with_arrow(true, [&] { return load_project(path); });
            const Project pl = with_arrow(false, [&] { return load_project(path); });
            REQUIRE(pa.layers.size() == pl.layers.size());
            for (std::size_t k = 0; k < pa.layers.size(); ++k) require_same(pa.layers[k].layer, pl.layers[k].layer);
            CHECK(pa.warnings == pl.warnings);
        }
        const Layer p = read_layer_raw(polys);
        REQUIRE(p.size() == (gpkg ? 5u : 3u));  // FlatGeobuf: no null and no Z feature in a 2-D layer
        if (gpkg) CHECK(p.display[1].empty());
        // FlatGeobuf stores features in spatial-index order: find A by its id.
        const auto a = static_cast<std::size_t>(std::find(p.ids.begin(), p.ids.end(), "A") - p.ids.begin());
        REQUIRE(a < p.size());
        CHECK(p.display[a].polygons.size() == 2);
        CHECK(p.display[a].polygons[0].rings.size() == 2);
        CHECK(p.geom_type == GeomType::Polygon);
    }
}

TEST_CASE("hostile GeoPackage and FlatGeobuf files give the same message on both read paths") {
    // Small files here: let the Arrow path take them (a city-sized minimum in the product).
    const std::size_t min_before = hq::detail::set_arrow_min_features(0);
    struct Restore {
        std::size_t n;
        ~Restore() { hq::detail::set_arrow_min_features(n); }
    } restore{min_before};
    test::TempDir tmp;
    struct Case {
        const char* name;
        OGRwkbGeometryType type;
        std::vector<std::pair<const char*, std::string>> features;  // id, WKT
        const char* expected;
    };
    const std::vector<Case> cases = {
        {"nan", wkbPolygon, {{"P1", "POLYGON ((0 0,1 0,1 1,0 0))"}, {"P2", "NAN"}}, "coordinate is not a finite number"},
        {"open", wkbPolygon, {{"A", "POLYGON ((0 0,1 0,1 1,0 0))"}, {"B", "POLYGON ((0 0,1 0,1 1,0 1))"}}, "is not closed"},
        {"short", wkbPolygon, {{"A", "POLYGON ((0 0,1 0,0 0))"}}, "fewer than 4 points"},
        {"line", wkbLineString, {{"L", "LINESTRING (0 0,1 1)"}, {"M", "LINESTRING (0 0)"}}, "fewer than 2 points"},
        {"dup", wkbPoint, {{"P1", "POINT (1 2)"}, {"P2", "POINT (1 3)"}, {"P1", "POINT (1 4)"}}, "duplicate feature id"},
        {"emptyid", wkbPoint, {{"P1", "POINT (1 2)"}, {"", "POINT (1 3)"}}, "feature id is empty"},
        {"mixed", wkbUnknown, {{"P1", "POINT (1 2)"}, {"A", "POLYGON ((0 0,1 0,1 1,0 0))"}}, "mixes geometry types"},
    };
    for (const char* driver : {"GPKG", "FlatGeobuf"}) {
        const bool gpkg = std::string(driver) == "GPKG";
        for (const auto& c : cases) {
            if (!gpkg && c.type == wkbUnknown) continue;  // FlatGeobuf writes one type per layer: see below
            const std::string path = tmp.file(std::string(c.name) + (gpkg ? ".gpkg" : ".fgb"));
            {
                auto w = create(path, driver, c.type, {{"id", OFTString}});
                for (const auto& [id, wkt] : c.features) add(w.layer, id, wkt);
            }
            INFO(path);
            const std::string a = with_arrow(true, [&] { return error_of([&] { (void)read_layer_raw(path); }); });
            const std::string b = with_arrow(false, [&] { return error_of([&] { (void)read_layer_raw(path); }); });
            CHECK_THAT(b, Contains(c.expected) && Contains(path));
            CHECK(a == b);
            CHECK(a.find('\n') == std::string::npos);
        }
    }

    // Limits: features per layer and vertices per feature.
    const std::string many = tmp.file("many.fgb");
    {
        auto w = create(many, "FlatGeobuf", wkbPolygon, {{"id", OFTString}});
        add(w.layer, "A", "POLYGON ((0 0,1 0,1 1,0 0))");
        add(w.layer, "B", "POLYGON ((0 0,1 0,1 1,0 1,0 0))");
        add(w.layer, "C", "POLYGON ((0 0,1 0,1 1,0 0))");
    }
    for (const auto& [limit, expected] : {std::pair{Limits{.features_per_layer = 2}, "features, the limit per layer"},
                                          std::pair{Limits{.vertices_per_feature = 4}, "over the limit of 4"}}) {
        const ScopedLimits scoped(limit);
        const std::string a = with_arrow(true, [&] { return error_of([&] { (void)read_layer_raw(many); }); });
        const std::string b = with_arrow(false, [&] { return error_of([&] { (void)read_layer_raw(many); }); });
        CHECK_THAT(b, Contains(expected));
        CHECK(a == b);
    }

    // Text where a count belongs, 2.7 in an integer column, invalid UTF-8: the GeoPackage
    // cells SQLite keeps as they were written, checked by read_counts and the reader.
    const std::string cells = tmp.file("cells.gpkg");
    {
        auto w = create(cells, "GPKG", wkbPoint, {{"id", OFTString}, {"pop", OFTInteger}, {"name", OFTString}});
        for (int i = 0; i < 4; ++i)
            add(w.layer, ("P" + std::to_string(i)).c_str(), "POINT (" + std::to_string(i) + " 1)",
                [&](OGRFeature& f) { f.SetField("pop", i); });
    }
    auto sql = [](const std::string& path, const std::string& statement) {
        GDALDataset* ds = GDALDataset::FromHandle(
            GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
        REQUIRE(ds);
        ds->ExecuteSQL(statement.c_str(), nullptr, nullptr);
        GDALClose(ds);
    };
    for (const auto& [statement, expected] :
         {std::pair{"UPDATE units SET pop = 'lots' WHERE id = 'P1'", "feature 1 (id \"P1\"): field pop: \"lots\" is not a count"},
          std::pair{"UPDATE units SET pop = 2.7 WHERE id = 'P2'", "feature 2 (id \"P2\"): field pop: 2.7 is not a whole number"},
          std::pair{"UPDATE units SET pop = NULL WHERE id = 'P3'", "feature 3 (id \"P3\"): field pop: count is missing"}}) {
        const std::string path = tmp.file("cells_" + std::to_string(std::strlen(expected)) + ".gpkg");
        std::filesystem::copy_file(cells, path);
        sql(path, statement);
        auto counts = [&] { (void)read_counts(read_layer_raw(path), "pop"); };
        const std::string a = with_arrow(true, [&] { return error_of(counts); });
        CHECK(detail::last_read_arrow());
        const std::string b = with_arrow(false, [&] { return error_of(counts); });
        CHECK_THAT(b, Contains(expected));
        CHECK(a == b);
    }
    const std::string bad_text = tmp.file("utf8.gpkg");
    std::filesystem::copy_file(cells, bad_text);
    sql(bad_text, "UPDATE units SET name = CAST(X'41FF42' AS TEXT) WHERE id = 'P2'");
    const std::string a = with_arrow(true, [&] { return error_of([&] { (void)read_layer_raw(bad_text); }); });
    const std::string b = with_arrow(false, [&] { return error_of([&] { (void)read_layer_raw(bad_text); }); });
    CHECK_THAT(b, Contains("feature 2 (id \"P2\"): field name: text is not valid UTF-8"));
    CHECK(a == b);
}

TEST_CASE("a small GeoPackage that claims a million features takes the feature loop, and reads right") {
    // gpkg_ogr_contents is the file's word for its count (GDAL's cheap count). A 300-feature
    // file that claims 1,000,000 is too small to hold them (16 bytes a feature at least), so
    // the read neither takes the Arrow stream (GDAL's batch builder spent minutes on a small
    // hostile GeoPackage) nor reserves for a million.
    test::TempDir tmp;
    const std::string path = tmp.file("claims.gpkg");
    {
        auto w = create(path, "GPKG", wkbPoint, {{"id", OFTInteger}});
        for (int i = 0; i < 300; ++i) {
            OGRFeature f(w.layer->GetLayerDefn());
            f.SetField("id", 300 - i);
            OGRPoint p(400000.0 + i, 3390000.0);
            f.SetGeometry(&p);
            REQUIRE(w.layer->CreateFeature(&f) == OGRERR_NONE);
        }
    }
    {
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        REQUIRE(ds);
        ds->ExecuteSQL("UPDATE gpkg_ogr_contents SET feature_count = 1000000", nullptr, nullptr);
    }
    {
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        REQUIRE(ds->GetLayer(0)->GetFeatureCount(FALSE) == 1000000);  // the claim is what GDAL says
    }
    const Layer l = read_layer_raw(path);
    CHECK_FALSE(detail::last_read_arrow());
    REQUIRE(l.size() == 300);
    CHECK(l.ids.front() == "300");
    CHECK(l.ids.back() == "1");
}
