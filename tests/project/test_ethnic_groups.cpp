// The 56 ethnic groups of GB/T 3304-1991 and the recognition of roster/table headers; DXF
// (a subdistrict's CAD plan) through GDAL's DXF driver on the reader's allowlist.
#include <catch2/catch.hpp>

#include <gdal.h>
#include <ogr_api.h>

#include <set>
#include <string>

#include "geo/io/reader.hpp"
#include "geo/project/ethnic_groups.hpp"
#include "tests/test_support.hpp"

using namespace hq;

TEST_CASE("ethnic groups: the 56 of GB/T 3304-1991 with unique codes and names") {
    const auto& g = ethnic_groups();
    REQUIRE(g.size() == 56);
    std::set<std::string> zh, alpha;
    for (std::size_t i = 0; i < g.size(); ++i) {
        CHECK(g[i].code == static_cast<int>(i) + 1);
        zh.insert(g[i].zh);
        alpha.insert(g[i].alpha);
    }
    CHECK(zh.size() == 56);
    CHECK(alpha.size() == 56);
    // Spot checks against the standard: 01 汉族 Han HA, 04 藏族 Zang ZA, 10 朝鲜族 Chosen CS,
    // 33 羌族 Qiang, 56 基诺族 Jino JN.
    CHECK(std::string(g[0].zh) == "汉族");
    CHECK(std::string(g[3].roman) == "Zang");
    CHECK(std::string(g[3].alpha) == "ZA");
    CHECK(std::string(g[9].roman) == "Chosen");
    CHECK(std::string(g[32].zh) == "羌族");
    CHECK(std::string(g[55].alpha) == "JN");
}

TEST_CASE("ethnic groups: roster headers in Chinese and English are recognised") {
    const auto code = [](const std::string& h) {
        const auto m = match_ethnic_group(h);
        return m ? ethnic_groups()[*m].code : 0;
    };
    CHECK(code("藏族") == 4);
    CHECK(code("藏族人数") == 4);
    CHECK(code("藏族（人）") == 4);
    CHECK(code("藏") == 4);
    CHECK(code("Tibetan") == 4);
    CHECK(code("pop_zang") == 4);
    CHECK(code("pop_tibetan") == 4);
    CHECK(code("TIBETAN_count") == 4);
    CHECK(code("ZA") == 4);
    CHECK(code("维吾尔族") == 5);
    CHECK(code("Uyghur") == 5);
    CHECK(code("uighur") == 5);
    CHECK(code("朝鲜族") == 10);
    CHECK(code("Korean") == 10);
    CHECK(code("pop_yi") == 7);
    CHECK(code("Evenki") == 45);
    CHECK(code("基诺族") == 56);
    // Not groups: ids, names, totals, a lower-case two-letter word.
    CHECK(code("院落编号") == 0);
    CHECK(code("名称") == 0);
    CHECK(code("总人数") == 0);
    CHECK(code("total") == 0);
    CHECK(code("id") == 0);
    CHECK(code("za") == 0);
    const auto cols = recognise_group_columns({"院落", "汉族人数", "藏族人数", "Tibetan", "合计"});
    REQUIRE(cols.size() == 5);
    CHECK_FALSE(cols[0]);
    CHECK(cols[1] == std::size_t{0});
    CHECK(cols[2] == std::size_t{3});
    CHECK_FALSE(cols[3]);  // the second header of the same group
    CHECK_FALSE(cols[4]);
}

TEST_CASE("DXF: a CAD plan's closed polylines are read through GDAL") {
    test::TempDir dir;
    const std::string path = dir.file("plan.dxf");
    init_gdal();
    {
        GDALDriverH drv = GDALGetDriverByName("DXF");
        REQUIRE(drv != nullptr);
        GDALDatasetH ds = GDALCreate(drv, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
        REQUIRE(ds != nullptr);
        OGRLayerH l = GDALDatasetCreateLayer(ds, "entities", nullptr, wkbUnknown, nullptr);
        REQUIRE(l != nullptr);
        for (int k = 0; k < 2; ++k) {
            OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
            OGRGeometryH g = nullptr;
            const std::string wkt = "POLYGON((" + std::to_string(k * 20) + " 0," + std::to_string(k * 20 + 10) + " 0," +
                                    std::to_string(k * 20 + 10) + " 10," + std::to_string(k * 20) + " 10," +
                                    std::to_string(k * 20) + " 0))";
            char* w = const_cast<char*>(wkt.c_str());
            REQUIRE(OGR_G_CreateFromWkt(&w, nullptr, &g) == OGRERR_NONE);
            OGR_F_SetGeometryDirectly(f, g);
            REQUIRE(OGR_L_CreateFeature(l, f) == OGRERR_NONE);
            OGR_F_Destroy(f);
        }
        GDALClose(ds);
    }
    ReadOptions ro;
    ro.display_name = path;
    const Layer layer = read_layer_raw(path, ro);
    CHECK(layer.size() == 2);
    CHECK(layer.path() == path);
}
