// A committee's roster (geo/project/roster.hpp): the column mapping, the aggregation to counts
// per unit, and the counts on a project. Hand-made tables with the counts worked out by hand
// in the comments.
#include <catch2/catch.hpp>

#include <cpl_conv.h>
#include <cpl_json.h>
#include <gdal.h>
#include <ogr_api.h>

#include <fstream>
#include <string>

#include "geo/io/reader.hpp"
#include "geo/project/ethnic_groups.hpp"
#include "geo/project/roster.hpp"
#include "tests/project/xlsx_support.hpp"
#include "tests/test_support.hpp"

using namespace hq;

namespace {

Table table(std::vector<std::pair<std::string, FieldType>> fields, std::vector<std::vector<Value>> rows) {
    Table t;
    t.name = "roster";
    t.path = "roster.xlsx";
    for (auto& [n, ty] : fields) t.fields.push_back({n, ty});
    t.rows = std::move(rows);
    return t;
}

std::size_t code(const char* zh) {
    for (std::size_t i = 0; i < ethnic_groups().size(); ++i)
        if (std::string(ethnic_groups()[i].zh) == zh) return i;
    FAIL("no group " << zh);
    return 0;
}

const Value S(const char* s) { return std::string(s); }
const Value I(std::int64_t i) { return i; }

}  // namespace

TEST_CASE("roster: person rows with Chinese headers are mapped and counted") {
    // 院落编号 | 姓名 | 民族: A1 has 汉族 ×2, 彝族 ×1 ('彝' short form); B2 has 彝族 (Yi), 藏族.
    const Table t = table({{"序号", FieldType::Integer}, {"院落编号", FieldType::String}, {"姓名", FieldType::String},
                           {"民族", FieldType::String}},
                          {{I(1), S("A1"), S("张三"), S("汉族")},
                           {I(2), S("A1"), S("李四"), S("汉")},
                           {I(3), S("A1"), S("王五"), S("彝")},
                           {I(4), S("B2"), S("阿依"), S("Yi")},
                           {I(5), S(" B2 "), S("卓玛"), S("藏族")}});
    const RosterMapping m = guess_roster_mapping(t);
    CHECK(m.layout == RosterLayout::PersonRows);
    CHECK(m.unit_column == "院落编号");
    CHECK(m.ethnicity_column == "民族");
    CHECK(m.size_column.empty());
    CHECK(m.describe().find("unit: 院落编号") != std::string::npos);
    const RosterCounts c = aggregate_roster(t, m);
    REQUIRE(c.units == std::vector<std::string>{"A1", "B2"});
    CHECK(c.groups == std::vector<std::size_t>{code("汉族"), code("藏族"), code("彝族")});  // the standard's order
    CHECK(c.count("A1", code("汉族")) == 2);
    CHECK(c.count("A1", code("彝族")) == 1);
    CHECK(c.count("B2", code("彝族")) == 1);
    CHECK(c.count("B2", code("藏族")) == 1);
    CHECK(c.count("B2", code("汉族")) == 0);
    CHECK(c.persons == 5);
    CHECK(c.issues.empty());
}

TEST_CASE("roster: English headers, found by the cells when the header says nothing") {
    // "Courtyard" is the unit; column "Group" is unnamed but its cells are group names.
    const Table t = table({{"Courtyard", FieldType::String}, {"Name", FieldType::String}, {"Group", FieldType::String}},
                          {{S("C-1"), S("Ann"), S("Han")},
                           {S("C-1"), S("Bo"), S("Tibetan")},
                           {S("C-2"), S("Cy"), S("Hui")}});
    const RosterMapping m = guess_roster_mapping(t);
    CHECK(m.unit_column == "Courtyard");
    CHECK(m.ethnicity_column == "Group");
    const RosterCounts c = aggregate_roster(t, m);
    CHECK(c.count("C-1", code("汉族")) == 1);
    CHECK(c.count("C-1", code("藏族")) == 1);
    CHECK(c.count("C-2", code("回族")) == 1);
}

TEST_CASE("roster: household rows with a size column are weighted by the size") {
    // 户号 H1 (院落 A) 3 persons 汉族, H2 (A) 2 persons 彝族, H3 (B) 4 persons 彝族:
    // A = 汉 3, 彝 2; B = 彝 4; 9 persons.
    const Table t = table({{"院落", FieldType::String}, {"户号", FieldType::String}, {"户主民族", FieldType::String},
                           {"家庭人数", FieldType::Integer}},
                          {{S("A"), S("H1"), S("汉族"), I(3)}, {S("A"), S("H2"), S("彝族"), I(2)}, {S("B"), S("H3"), S("彝族"), I(4)}});
    const RosterMapping m = guess_roster_mapping(t);
    CHECK(m.layout == RosterLayout::HouseholdRows);
    CHECK(m.unit_column == "院落");  // a courtyard wins over the household id
    CHECK(m.ethnicity_column == "户主民族");
    CHECK(m.size_column == "家庭人数");
    const RosterCounts c = aggregate_roster(t, m);
    CHECK(c.count("A", code("汉族")) == 3);
    CHECK(c.count("A", code("彝族")) == 2);
    CHECK(c.count("B", code("彝族")) == 4);
    CHECK(c.persons == 9);
}

TEST_CASE("roster: one count column per group, and the user's --map corrections") {
    // Headers are group names; 彝族 given twice (the second is noted, not used).
    const Table t = table({{"网格", FieldType::String}, {"汉族人数", FieldType::Integer}, {"彝族", FieldType::Integer},
                           {"Yi", FieldType::Integer}, {"合计", FieldType::Integer}},
                          {{S("G1"), I(10), I(4), I(4), I(14)}, {S("G2"), I(0), Value{}, I(0), I(0)}});
    RosterMapping m = guess_roster_mapping(t);
    CHECK(m.layout == RosterLayout::GroupColumns);
    CHECK(m.unit_column == "网格");
    REQUIRE(m.group_columns.size() == 2);
    CHECK(m.group_columns[0].column == "汉族人数");
    CHECK(m.group_columns[1].column == "彝族");
    CHECK(m.describe().find("Yi like an earlier column") != std::string::npos);
    RosterCounts c = aggregate_roster(t, m);
    CHECK(c.count("G1", code("汉族")) == 10);
    CHECK(c.count("G1", code("彝族")) == 4);
    CHECK(c.count("G2", code("彝族")) == 0);
    CHECK(c.empty_counts_read_as_zero == 1);  // G2's 彝族 cell
    CHECK(c.persons == 14);

    // --map Yi=彝族 takes the other column for 彝族 (one column per group).
    apply_roster_map_option(m, t, "Yi=彝族");
    REQUIRE(m.group_columns.size() == 2);
    CHECK(m.group_columns[1].column == "Yi");
    apply_roster_map_option(m, t, "汉族人数=ignore");
    CHECK(m.group_columns.size() == 1);
    CHECK_THROWS_WITH(apply_roster_map_option(m, t, "合计=穿青人"),
                      Catch::Contains("穿青人 is not unit, ethnicity, size, ignore or one of the 56 group names"));
    CHECK_THROWS_WITH(apply_roster_map_option(m, t, "人口=unit"), Catch::Contains("人口") && Catch::Contains("no such column"));
    CHECK_THROWS_WITH(apply_roster_map_option(m, t, "unit"), Catch::Contains("is not COLUMN=FIELD"));
}

TEST_CASE("roster: unknown names, empty cells and bad sizes are reported one line each") {
    const Table t = table({{"院落编号", FieldType::String}, {"民族", FieldType::String}, {"人数", FieldType::String}},
                          {{S("A"), S("汉族"), S("2")},
                           {S("A"), S("穿青人"), S("3")},  // row 3: unknown name, 3 persons left out
                           {S("B"), Value{}, S("1")},      // row 4: empty ethnicity
                           {Value{}, S("彝族"), S("2")},   // row 5: empty unit
                           {S("B"), S("彝族"), S("2.5")},  // row 6: not a whole number
                           {S("B"), S("Yi"), S("4")}});
    RosterMapping m = guess_roster_mapping(t);
    // "2.5" keeps 人数 from being a size column: the user names it.
    CHECK(m.size_column.empty());
    apply_roster_map_option(m, t, "人数=size");
    CHECK(m.layout == RosterLayout::HouseholdRows);
    const RosterCounts c = aggregate_roster(t, m);
    REQUIRE(c.issues.size() == 4);
    CHECK(c.issues[0].line() ==
          "roster.xlsx: row 3, column 民族: unknown group name (not one of the 56 of GB/T 3304; row not counted) \"穿青人\"");
    CHECK(c.issues[1].kind == RosterIssue::Kind::EmptyCell);
    CHECK(c.issues[1].row == 4);
    CHECK(c.issues[1].column == "民族");
    CHECK(c.issues[2].row == 5);
    CHECK(c.issues[2].column == "院落编号");
    CHECK(c.issues[3].kind == RosterIssue::Kind::BadNumber);
    CHECK(c.issues[3].line().find("row 6, column 人数") != std::string::npos);
    CHECK(c.persons == 6);           // 2 (A 汉) + 4 (B 彝)
    CHECK(c.persons_left_out == 6);  // 3 + 1 + 2 (row 6's size is unknown: 0)
    CHECK(c.count("B", code("彝族")) == 4);
}

TEST_CASE("roster: a unit listed twice in a count table is reported, not added twice") {
    const Table t = table({{"unit_id", FieldType::String}, {"Han", FieldType::Integer}},
                          {{S("U1"), I(5)}, {S("U1"), I(7)}, {S("U2"), I(1)}});
    const RosterMapping m = guess_roster_mapping(t);
    const RosterCounts c = aggregate_roster(t, m);
    REQUIRE(c.issues.size() == 1);
    CHECK(c.issues[0].kind == RosterIssue::Kind::DuplicateUnit);
    CHECK(c.issues[0].row == 3);
    CHECK(c.issues[0].persons == 7);
    CHECK(c.count("U1", code("汉族")) == 5);
    // Person rows may repeat a unit: that is two persons.
    const Table p = table({{"unit", FieldType::String}, {"ethnicity", FieldType::String}},
                          {{S("U1"), S("Han")}, {S("U1"), S("Han")}});
    CHECK(aggregate_roster(p, guess_roster_mapping(p)).count("U1", code("汉族")) == 2);
}

TEST_CASE("roster: a mapping without a unit or ethnicity column is refused with the reason") {
    const Table t = table({{"姓名", FieldType::String}, {"备注", FieldType::String}}, {{S("张三"), S("x")}});
    const RosterMapping m = guess_roster_mapping(t);
    CHECK(m.unit_column.empty());
    CHECK(m.describe().find("no unit column found") != std::string::npos);
    CHECK_THROWS_WITH(aggregate_roster(t, m), Catch::Contains("roster.xlsx") && Catch::Contains("no unit column"));
    RosterMapping m2 = m;
    set_roster_column(m2, t, "姓名", RosterField::Unit);
    CHECK_THROWS_WITH(aggregate_roster(t, m2), Catch::Contains("no ethnicity column"));
}

TEST_CASE("roster: counts go onto the project's units by id, groups named from GB/T 3304") {
    test::TempDir dir;
    // Three courtyards as GeoJSON, ids A, B, C; the roster names A, B and a unit Z the map lacks.
    const std::string units = dir.file("units.geojson");
    {
        std::string fc = R"({"type":"FeatureCollection","features":[)";
        const char* ids[] = {"A", "B", "C"};
        for (int i = 0; i < 3; ++i) {
            const double x = 104.06 + 0.001 * i;
            fc += std::string(i ? "," : "") + R"({"type":"Feature","properties":{"id":")" + ids[i] +
                  R"("},"geometry":{"type":"Polygon","coordinates":[[[)" + std::to_string(x) + ",30.66],[" +
                  std::to_string(x + 0.0008) + ",30.66],[" + std::to_string(x + 0.0008) + ",30.6608],[" +
                  std::to_string(x) + ",30.6608],[" + std::to_string(x) + ",30.66]]]}}";
        }
        std::ofstream(units) << fc << "]}";
        std::ofstream(dir.file("project.json"))
            << R"({"huqian_manifest": 1, "name": {"zh": "测试", "en": "Test"}, "layers": {"units": {"path": "units.geojson", "id": "id"}}})";
    }
    Project p = load_project(dir.path().string());
    const Table t = table({{"院落编号", FieldType::String}, {"民族", FieldType::String}},
                          {{S("A"), S("汉族")}, {S("A"), S("彝族")}, {S("B"), S("彝族")}, {S("Z"), S("藏族")}});
    const RosterMapping m = guess_roster_mapping(t);
    const RosterCounts c = aggregate_roster(t, m);
    const RosterApplied a = apply_roster(p, c);
    CHECK(a.units_without_rows == std::vector<std::string>{"C"});
    CHECK(a.rows_without_unit == std::vector<std::string>{"Z"});
    CHECK(a.persons_without_unit == 1);
    REQUIRE(p.groups.size() == 3);
    CHECK(p.groups[0].column == "pop_han");
    CHECK(p.groups[0].name_zh == "汉族");
    CHECK(p.groups[2].column == "pop_yi");
    CHECK(p.groups[2].name_en == "Yi");
    const Layer* l = p.layer(Role::Units);
    CHECK(read_counts(*l, "pop_yi") == std::vector<double>{1, 1, 0});
    CHECK(read_counts(*l, "pop_han") == std::vector<double>{1, 0, 0});

    // On disk: the counts table, the join and the mapping in the manifest; loads back the same.
    save_roster_to_folder(dir.path().string(), p, m, c, "/somewhere/花名册.xlsx");
    CHECK(test::count_temporaries(dir.path()) == 0);
    const std::string manifest = test::slurp(dir.path() / "project.json");
    CHECK(manifest.find("\"roster_counts.csv\"") != std::string::npos);
    CPLJSONDocument doc;
    REQUIRE(doc.LoadMemory(manifest));
    CHECK(doc.GetRoot().GetString("roster/ethnicity_column") == "民族");
    CHECK(doc.GetRoot().GetString("roster/layout") == "person_rows");
    CHECK(doc.GetRoot().GetString("roster/file") == "花名册.xlsx");
    CHECK(doc.GetRoot().GetString("layers/units/join/table") == "roster_counts.csv");
    CHECK(doc.GetRoot().GetString("name/zh") == "测试");  // other keys kept
    Project back = load_project(dir.path().string());
    REQUIRE(back.groups.size() == 3);
    CHECK(back.groups[1].name_zh == "藏族");
    CHECK(read_counts(*back.layer(Role::Units), "pop_yi") == std::vector<double>{1, 1, 0});
    CHECK(read_counts(*back.layer(Role::Units), "pop_zang") == std::vector<double>{0, 0, 0});
    // A second import replaces the first (same join table).
    CHECK_NOTHROW(save_roster_to_folder(dir.path().string(), p, m, c, "r.xlsx"));
}

TEST_CASE("roster: an XLSX whose header row is all text keeps its headers") {
    // GDAL's XLSX driver by itself takes a text header over text rows for data (Field1...).
    test::TempDir dir;
    const std::string path = dir.file("花名册.xlsx");
    test::write_xlsx(path, "花名册", {{"院落编号", OFTString}, {"姓名", OFTString}, {"民族", OFTString}},
                     {{"A1", "张三", "汉族"}, {"A1", "阿依", "彝族"}});
    const Table t = read_table(path);
    REQUIRE(t.fields.size() == 3);
    CHECK(t.fields[0].name == "院落编号");
    CHECK(t.fields[2].name == "民族");
    CHECK(t.rows.size() == 2);
    const RosterCounts c = aggregate_roster(t, guess_roster_mapping(t));
    CHECK(c.count("A1", code("彝族")) == 1);
}

TEST_CASE("roster: a spreadsheet that unpacks to over 512 MB is refused before GDAL reads it") {
    // A "zip bomb": 520 MiB of zeros in one entry compress to about half a megabyte. GDAL's
    // XLSX driver would unpack and parse it whole, in memory.
    test::TempDir dir;
    const std::string path = dir.file("bomb.xlsx");
    void* zip = CPLCreateZip(path.c_str(), nullptr);
    REQUIRE(zip);
    REQUIRE(CPLCreateFileInZip(zip, "xl/worksheets/sheet1.xml", nullptr) == CE_None);
    const std::string block(std::size_t{1} << 20, '\0');
    for (int i = 0; i < 520; ++i) REQUIRE(CPLWriteFileInZip(zip, block.data(), static_cast<int>(block.size())) == CE_None);
    REQUIRE(CPLCloseFileInZip(zip) == CE_None);
    REQUIRE(CPLCloseZip(zip) == CE_None);
    CHECK(std::filesystem::file_size(path) < (std::uintmax_t{8} << 20));
    CHECK_THROWS_WITH(read_table(path),
                      Catch::Contains("bomb.xlsx: spreadsheet unpacks to 520 MB, over the limit of 512 MB"));
}

TEST_CASE("roster: the import is one undo step in the model") {
    Project p;
    p.path = "new";
    p.metric_crs = Crs::from_user_input("EPSG:4544");
    Layer l;
    l.table.name = "units";
    l.table.fields = {{"id", FieldType::String}};
    for (const char* id : {"A", "B"}) {
        l.ids.push_back(id);
        l.table.rows.push_back({std::string(id)});
        const Geometry g = Geometry::polygon({{403000, 3394000}, {403050, 3394000}, {403050, 3394050}, {403000, 3394000}});
        l.metric.push_back(g);
        l.display.push_back(g);
    }
    l.geom_type = GeomType::Polygon;
    p.layers.push_back({Role::Units, l});
    const Table t = table({{"院落编号", FieldType::String}, {"民族", FieldType::String}},
                          {{S("A"), S("汉族")}, {S("B"), S("彝族")}, {S("B"), S("彝族")}});
    UndoStack stack;
    stack.push(import_roster_command(p, aggregate_roster(t, guess_roster_mapping(t))));
    REQUIRE(p.groups.size() == 2);
    CHECK(read_counts(*p.layer(Role::Units), "pop_yi") == std::vector<double>{0, 2});
    CHECK(stack.undo_text() == "Import roster roster.xlsx");
    REQUIRE(stack.undo());
    CHECK(p.groups.empty());
    CHECK(p.layer(Role::Units)->table.field_index("pop_yi") < 0);
    REQUIRE(stack.redo());
    CHECK(read_counts(*p.layer(Role::Units), "pop_han") == std::vector<double>{1, 0});
}
