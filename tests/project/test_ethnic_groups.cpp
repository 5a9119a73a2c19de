// The 56 ethnic groups of GB/T 3304-1991 and the recognition of roster/table headers; DXF
// (a subdistrict's CAD plan) through GDAL's DXF driver on the reader's allowlist.
#include <catch2/catch.hpp>

#include <gdal.h>
#include <ogr_api.h>

#include <iterator>
#include <optional>
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

TEST_CASE("ethnic groups: all 56 codes, romanisations and names as GB 3304-91 table 1 gives them") {
    // Table 1 of GB 3304-91 (民族名称 | 罗马字母拼写法 | 字母代码 | 数字代码, ordered by stroke
    // count as the standard orders it), transcribed from the standard's text on Wikisource:
    // https://zh.wikisource.org/wiki/中国各民族名称的罗马字母拼写法和代码 (GB 3304-91, 1991-08-30,
    // in force since 1992-04-01); the alphabetical table 2 (wenxue33.com/yywz/256520.html) and the
    // npm package gb3304 (github.com/keqingrong/gb3304) agree. Independent of ethnic_groups(),
    // whose order is by numeric code.
    struct Row {
        const char* zh;
        const char* roman;
        const char* alpha;
        int code;
    };
    static const Row table1[] = {
        {"土家族", "Tujia", "TJ", 15},     {"土族", "Tu", "TU", 30},         {"门巴族", "Monba", "MB", 54},
        {"水族", "Sui", "SU", 25},         {"毛南族", "Maonan", "MN", 36},   {"乌孜别克族", "Uzbek", "UZ", 43},
        {"布依族", "Buyei", "BY", 9},      {"布朗族", "Blang", "BL", 34},    {"东乡族", "Dongxiang", "DX", 26},
        {"仡佬族", "Gelao", "GL", 37},     {"仫佬族", "Mulao", "ML", 32},    {"白族", "Bai", "BA", 14},
        {"汉族", "Han", "HA", 1},          {"达斡尔族", "Daur", "DU", 31},   {"回族", "Hui", "HU", 3},
        {"佤族", "Va", "VA", 21},          {"壮族", "Zhuang", "ZH", 8},      {"羌族", "Qiang", "QI", 33},
        {"阿昌族", "Achang", "AC", 39},    {"纳西族", "Naxi", "NX", 27},     {"拉祜族", "Lahu", "LH", 24},
        {"苗族", "Miao", "MH", 6},         {"侗族", "Dong", "DO", 12},       {"京族", "Gin", "GI", 49},
        {"柯尔克孜族", "Kirgiz", "KG", 29}, {"哈尼族", "Hani", "HN", 16},    {"哈萨克族", "Kazak", "KZ", 17},
        {"保安族", "Bonan", "BN", 47},     {"俄罗斯族", "Russ", "RS", 44},   {"独龙族", "Derung", "DR", 51},
        {"怒族", "Nu", "NU", 42},          {"珞巴族", "Lhoba", "LB", 55},    {"高山族", "Gaoshan", "GS", 23},
        {"基诺族", "Jino", "JN", 56},      {"鄂伦春族", "Oroqen", "OR", 52}, {"鄂温克族", "Ewenki", "EW", 45},
        {"维吾尔族", "Uygur", "UG", 5},    {"塔吉克族", "Tajik", "TA", 41},  {"塔塔尔族", "Tatar", "TT", 50},
        {"朝鲜族", "Chosen", "CS", 10},    {"景颇族", "Jingpo", "JP", 28},   {"傣族", "Dai", "DA", 18},
        {"傈僳族", "Lisu", "LS", 20},      {"畲族", "She", "SH", 22},        {"普米族", "Pumi", "PM", 40},
        {"裕固族", "Yugur", "YG", 48},     {"蒙古族", "Mongol", "MG", 2},    {"锡伯族", "Xibe", "XB", 38},
        {"满族", "Man", "MA", 11},         {"瑶族", "Yao", "YA", 13},        {"赫哲族", "Hezhen", "HZ", 53},
        {"撒拉族", "Salar", "SL", 35},     {"德昂族", "Deang", "DE", 46},    {"黎族", "Li", "LI", 19},
        {"藏族", "Zang", "ZA", 4},         {"彝族", "Yi", "YI", 7},
    };
    REQUIRE(std::size(table1) == 56);
    std::set<int> codes;
    for (const Row& r : table1) {
        INFO(r.zh);
        REQUIRE(r.code >= 1);
        REQUIRE(r.code <= 56);
        codes.insert(r.code);
        const EthnicGroup& g = ethnic_groups()[static_cast<std::size_t>(r.code - 1)];
        CHECK(g.code == r.code);
        CHECK(std::string(g.zh) == r.zh);
        CHECK(std::string(g.roman) == r.roman);
        CHECK(std::string(g.alpha) == r.alpha);
        // Each of the standard's forms is read back as its group.
        CHECK(match_ethnic_group(r.zh) == std::optional<std::size_t>(static_cast<std::size_t>(r.code - 1)));
        CHECK(match_ethnic_group(r.roman) == std::optional<std::size_t>(static_cast<std::size_t>(r.code - 1)));
        CHECK(match_ethnic_group(r.alpha) == std::optional<std::size_t>(static_cast<std::size_t>(r.code - 1)));
    }
    CHECK(codes.size() == 56);
}
