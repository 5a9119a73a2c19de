// The GeoPackage project: round trip with Chinese names, ogrinfo, GDAL, bad files, crash safety.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "geo/core/parallel.hpp"
#include "geo/io/writer.hpp"
#include "geo/project/edit.hpp"
#include "geo/project/gpkg_project.hpp"
#include "tests/test_support.hpp"

using namespace hq;
namespace fs = std::filesystem;

namespace {

/// Three courtyards near Chengdu (lon/lat squares of 0.0005°), two groups.
Project small_project() {
    Project p;
    p.path = "memory";
    p.name_zh = "蜀汉街测试社区";
    p.name_en = "Test community";
    p.illustrative = true;
    p.source_zh = "虚构数据";
    p.metric_crs = Crs::from_user_input("EPSG:32648");
    p.count_roles = {"units"};
    p.groups = {{"pop_han", "", "", "汉族", "Han", "#9e9e9e"}, {"pop_tibetan", "", "", "藏族", "Tibetan", "#c62828"}};
    Layer l;
    l.table.name = "courtyards";
    l.table.path = "courtyards.geojson";
    l.table.fields = {{"cy_id", FieldType::String}, {"name_zh", FieldType::String}, {"pop_han", FieldType::Integer},
                      {"pop_tibetan", FieldType::Integer}, {"area_note", FieldType::Real}, {"since", FieldType::Date}};
    const char* names[] = {"武侯祠大街1号院", "洗面桥横街2号院", "蜀汉路3号院"};
    for (int i = 0; i < 3; ++i) {
        const double x = 104.040 + 0.0006 * i, y = 30.640;
        l.ids.push_back("CY-0" + std::to_string(i + 1));
        l.display.push_back(edit::rectangle({x, y}, {x + 0.0005, y + 0.0005}));
        l.table.rows.push_back({Value{l.ids.back()}, Value{std::string(names[i])}, Value{std::int64_t{50 + 10 * i}},
                                Value{std::int64_t{5 * i}}, i == 1 ? Value{} : Value{1.5 * i}, Value{std::string("2019-03-20")}});
    }
    l.geom_type = GeomType::Polygon;
    l.source_crs = Crs::wgs84();
    l.metric = l.display;
    Transformer t(Crs::wgs84(), p.metric_crs);
    for (auto& g : l.metric) t.apply(g);
    p.layers.push_back({Role::Units, std::move(l)});
    return p;
}

plan::PlanDocument small_document(const Project& p, int state) {
    plan::PlanDocument d;
    const Box b = p.layers[0].layer.metric[0].bounds();
    for (int k = 0; k <= state; ++k) {
        plan::Zone z;
        z.id = "Z-" + std::to_string(k + 1);
        z.geometry = edit::circle(b.center(), 20.0 + k, 32);
        z.name_zh = "藏族院落共享活动室" + std::to_string(k);
        z.name_en = "Shared room " + std::to_string(k);
        z.kind = plan::ZoneKind::SharedActivityVenue;
        z.status = "proposed";
        z.owner = "社区居委会";
        z.budget = 120000.5 + k;
        z.start_date = "2025-03-01";
        z.end_date = "2025-12-31";
        z.notes = "与藏族商户联盟合作；含“锅庄”活动";
        d.zones.push_back(std::move(z));
    }
    d.scenarios.push_back({"混合居住 A", "move 5", {"Z-1"}, {{"Tibetan", "CY-03", "CY-01", 5}}});
    d.settings["state"] = std::to_string(state);
    d.settings["visible.units"] = "true";
    d.settings["style.units.fill"] = "#c62828";
    return d;
}

int run(const std::string& cmd) {
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

TEST_CASE("a project GeoPackage round-trips, Chinese names included", "[project][gpkg]") {
    test::TempDir dir;
    const std::string path = dir.file("社区规划.gpkg");
    const Project p = small_project();
    const plan::PlanDocument d = small_document(p, 1);
    save_gpkg_project(p, d, path);
    CHECK(is_gpkg_project(path));

    const GpkgProject back = open_gpkg_project(path);
    CHECK(back.document == d);
    const Project& q = back.project;
    CHECK(q.name_zh == "蜀汉街测试社区");
    CHECK(q.source_zh == "虚构数据");
    CHECK(q.illustrative);
    CHECK(q.metric_crs.epsg == 32648);
    REQUIRE(q.groups.size() == 2);
    CHECK(q.groups[1].name_zh == "藏族");
    CHECK(q.groups[1].color == "#c62828");
    REQUIRE(q.layers.size() == 2);  // the units, and the document's zones as the zones layer
    CHECK(q.layers[1].role == Role::Zones);
    CHECK(q.layers[1].layer.ids == std::vector<std::string>{"Z-1", "Z-2"});
    const Layer& l = q.layers[0].layer;
    CHECK(q.layers[0].role == Role::Units);
    CHECK(l.ids == p.layers[0].layer.ids);
    CHECK(l.name() == "courtyards");
    CHECK(value_to_string(l.table.rows[1][static_cast<std::size_t>(l.table.field_index("name_zh"))]) == "洗面桥横街2号院");
    CHECK(read_counts(l, "pop_tibetan") == std::vector<double>{0, 5, 10});
    CHECK(std::holds_alternative<std::monostate>(l.table.rows[1][static_cast<std::size_t>(l.table.field_index("area_note"))]));
    CHECK(value_to_string(l.table.rows[0][static_cast<std::size_t>(l.table.field_index("since"))]) == "2019-03-20");
    CHECK(l.table.field_index("huqian_id") < 0);
    CHECK(l.id_field == "cy_id");  // the attribute the ids come from (the weights files' key)
    for (std::size_t i = 0; i < 3; ++i)
        CHECK(plan::same_geometry(l.metric[i], p.layers[0].layer.metric[i], 1e-6));
}

TEST_CASE("the saved GeoPackage passes ogrinfo and opens in GDAL as a normal GeoPackage", "[project][gpkg]") {
    test::TempDir dir;
    const std::string path = dir.file("plan.gpkg");
    const Project p = small_project();
    save_gpkg_project(p, small_document(p, 2), path);
    const std::string out = dir.file("ogrinfo.txt");
    REQUIRE(run("ogrinfo -ro -so -al '" + path + "' > '" + out + "' 2>&1") == 0);
    std::ifstream in(out);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("Layer name: units") != std::string::npos);
    CHECK(text.find("Layer name: huqian_zones") != std::string::npos);
    CHECK(text.find("Layer name: huqian_manifest") != std::string::npos);
    CHECK(text.find("ERROR") == std::string::npos);
    // Integrity check through SQLite itself (GDAL's SQLite dialect).
    REQUIRE(run("ogrinfo -ro '" + path + "' -sql 'PRAGMA integrity_check' > '" + out + "' 2>&1") == 0);
    std::ifstream in2(out);
    const std::string text2((std::istreambuf_iterator<char>(in2)), std::istreambuf_iterator<char>());
    CHECK(text2.find("integrity_check (String) = ok") != std::string::npos);

    GDALAllRegister();
    const char* drivers[] = {"GPKG", nullptr};
    GDALDataset* ds = GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
    REQUIRE(ds != nullptr);
    CHECK(std::string(ds->GetDriver()->GetDescription()) == "GPKG");
    OGRLayer* units = ds->GetLayerByName("units");
    REQUIRE(units != nullptr);
    CHECK(units->GetFeatureCount() == 3);
    REQUIRE(units->GetSpatialRef() != nullptr);
    CHECK(std::string(units->GetSpatialRef()->GetAuthorityCode(nullptr)) == "4326");
    OGRLayer* zones = ds->GetLayerByName("huqian_zones");
    REQUIRE(zones != nullptr);
    CHECK(zones->GetFeatureCount() == 3);
    CHECK(std::string(zones->GetSpatialRef()->GetAuthorityCode(nullptr)) == "32648");
    GDALClose(GDALDataset::ToHandle(ds));
}

TEST_CASE("one zones layer: the document's, also when an old file holds a stale zones table", "[project][gpkg]") {
    // Issue 13: a project opened with a zones layer was saved with that layer as table `zones`
    // next to the plan's huqian_zones; after edits the two disagreed.
    test::TempDir dir;
    Project p = small_project();
    Layer stale;  // the zones the project was opened with: one square, id OLD-1
    stale.table.name = "zones";
    stale.table.fields = {{"id", FieldType::String}};
    stale.ids = {"OLD-1"};
    stale.table.rows = {{Value{std::string("OLD-1")}}};
    stale.display = {p.layers[0].layer.display[2]};
    stale.metric = {p.layers[0].layer.metric[2]};
    stale.geom_type = GeomType::Polygon;
    stale.source_crs = Crs::wgs84();
    stale.id_field = "id";
    p.layers.push_back({Role::Zones, stale});
    const plan::PlanDocument d = small_document(p, 1);  // the edited plan: Z-1, Z-2
    const std::string path = dir.file("plan.gpkg");
    save_gpkg_project(p, d, path);

    GDALAllRegister();
    const char* drivers[] = {"GPKG", nullptr};
    {
        GDALDataset* ds = GDALDataset::FromHandle(
            GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, nullptr, nullptr));
        REQUIRE(ds != nullptr);
        CHECK(ds->GetLayerByName("zones") == nullptr);  // one zones layer in the file
        REQUIRE(ds->GetLayerByName("huqian_zones") != nullptr);
        // Make it an old file: a stale `zones` table (a copy of the units) listed in the manifest.
        REQUIRE(ds->CopyLayer(ds->GetLayerByName("units"), "zones") != nullptr);
        OGRLayer* m = ds->GetLayerByName("huqian_manifest");
        REQUIRE(m != nullptr);
        m->ResetReading();
        std::string manifest;
        while (std::unique_ptr<OGRFeature> f{m->GetNextFeature()})
            if (std::string(f->GetFieldAsString("key")) == "manifest") {
                auto j = nlohmann::json::parse(f->GetFieldAsString("value"));
                j["layers"].push_back({{"role", "zones"}, {"table", "zones"}, {"id_field", "cy_id"}, {"name", "zones"}});
                f->SetField("value", j.dump().c_str());
                REQUIRE(m->SetFeature(f.get()) == OGRERR_NONE);
            }
        GDALClose(GDALDataset::ToHandle(ds));
    }
    const GpkgProject back = open_gpkg_project(path);
    CHECK(back.document.zones.size() == 2);
    std::size_t zone_layers = 0;
    for (const auto& e : back.project.layers)
        if (e.role == Role::Zones) {
            ++zone_layers;
            CHECK(e.layer.ids == std::vector<std::string>{"Z-1", "Z-2"});  // the plan's, not the stale table's
            REQUIRE(e.layer.metric.size() == 2);
            CHECK(plan::same_geometry(e.layer.metric[1], d.zones[1].geometry, 1e-6));
        }
    CHECK(zone_layers == 1);
    // Saved again, the file has one zones layer again.
    const std::string again = dir.file("again.gpkg");
    save_gpkg_project(back.project, back.document, again);
    GDALDataset* ds = GDALDataset::FromHandle(GDALOpenEx(again.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
    REQUIRE(ds != nullptr);
    CHECK(ds->GetLayerByName("zones") == nullptr);
    CHECK(ds->GetLayerByName("huqian_zones")->GetFeatureCount() == 2);
    GDALClose(GDALDataset::ToHandle(ds));
}

TEST_CASE("corrupted, foreign and non-GeoPackage files get a clear InputError", "[project][gpkg]") {
    test::TempDir dir;
    const Project p = small_project();
    const std::string good = dir.file("good.gpkg");
    save_gpkg_project(p, small_document(p, 0), good);
    const auto size = fs::file_size(good);

    auto message_of = [](const std::string& path) {
        try {
            (void)open_gpkg_project(path);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    // Truncated to a third.
    const std::string cut = dir.file("cut.gpkg");
    fs::copy_file(good, cut);
    fs::resize_file(cut, size / 3);
    CHECK(message_of(cut).find("cut.gpkg") != std::string::npos);
    CHECK_THROWS_AS(open_gpkg_project(cut), InputError);
    // Garbage over the SQLite header and the first pages.
    const std::string bad = dir.file("garbage.gpkg");
    fs::copy_file(good, bad);
    {
        std::fstream f(bad, std::ios::in | std::ios::out | std::ios::binary);
        Rng rng(1, 0);
        for (int i = 0; i < 8192; ++i) f.put(static_cast<char>(rng.below(256)));
    }
    CHECK_THROWS_AS(open_gpkg_project(bad), InputError);
    CHECK(message_of(bad).find("garbage.gpkg") != std::string::npos);
    // A text file with the extension.
    const std::string text = dir.file("notes.gpkg");
    std::ofstream(text) << "not a database";
    CHECK(message_of(text).find("not a GeoPackage") != std::string::npos);
    CHECK_FALSE(is_gpkg_project(text));
    // A normal GeoPackage that is not a huqian project.
    const std::string foreign = dir.file("foreign.gpkg");
    WriteOptions wo;
    wo.metric_crs = p.metric_crs;
    write_layer(p.layers[0].layer, foreign, wo);
    CHECK(message_of(foreign).find("not a huqian project") != std::string::npos);
    CHECK_FALSE(is_gpkg_project(foreign));
    CHECK(message_of(dir.file("missing.gpkg")).find("not found") != std::string::npos);
}

TEST_CASE("autosave writes a recovery file next to the project", "[project][gpkg]") {
    test::TempDir dir;
    const std::string path = dir.file("plan.gpkg");
    CHECK(recovery_path(path) == dir.file("plan.recovery.gpkg"));
    const Project p = small_project();
    save_gpkg_project(p, small_document(p, 0), path);
    CHECK_FALSE(has_recovery(path));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    autosave(p, small_document(p, 1), path);
    CHECK(has_recovery(path));
    CHECK(open_gpkg_project(recovery_path(path)).document.zones.size() == 2);
    CHECK(open_gpkg_project(path).document.zones.size() == 1);
    discard_recovery(path);
    CHECK_FALSE(has_recovery(path));
}

TEST_CASE("crash safety: SIGKILL during saves leaves the old or the new project", "[project][gpkg][crash]") {
    test::TempDir dir;
    const std::string path = dir.file("crash.gpkg");
    const Project p = small_project();
    const plan::PlanDocument states[2] = {small_document(p, 0), small_document(p, 1)};
    save_gpkg_project(p, states[0], path);
    // How long one save takes here: the kills are spread over a few saves, so both states
    // get written between kills and some kills land inside a save.
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < 3; ++k) save_gpkg_project(p, states[k % 2], path);
    const auto save_us = std::max<long>(
        1000, static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::steady_clock::now() - t0).count() / 3));
    Rng rng(2026, 0);
    int seen[2] = {0, 0};
    int killed_mid_save = 0;  // kills that left a temporary behind (a save was cut short)
    for (int kill_no = 0; kill_no < 20; ++kill_no) {
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            // The child saves the two states in turn, forever, until it is killed.
            for (int k = 0;; ++k) {
                try {
                    save_gpkg_project(p, states[(k + kill_no) % 2], path);
                } catch (...) {
                    ::_exit(3);
                }
            }
        }
        std::this_thread::sleep_for(std::chrono::microseconds(
            save_us + static_cast<long>(rng.below(static_cast<std::uint64_t>(4 * save_us)))));
        REQUIRE(::kill(child, SIGKILL) == 0);
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        REQUIRE(WIFSIGNALED(status));  // still saving when killed (exit 3 would mean a save failed)
        killed_mid_save += test::count_temporaries(dir.path()) > 0 ? 1 : 0;
        const GpkgProject back = open_gpkg_project(path);
        const std::string state = back.document.settings.at("state");
        REQUIRE((state == "0" || state == "1"));
        const int s = state == "0" ? 0 : 1;
        ++seen[s];
        CHECK(back.document == states[s]);
        CHECK(back.project.layers.at(0).layer.size() == 3);
    }
    INFO("one save takes " << save_us << " us; state 0 seen " << seen[0] << " times, state 1 " << seen[1]
                           << " times; " << killed_mid_save << " kills cut a save short");
    // Both states were on disk after some kill (the saves did replace the file), and some
    // kills hit a save in progress (what the test is about).
    CHECK(seen[0] > 0);
    CHECK(seen[1] > 0);
    CHECK(killed_mid_save > 0);
    // Temporary files of the killed savers are removed by the next save.
    save_gpkg_project(p, states[0], path);
    CHECK(test::count_temporaries(dir.path()) == 0);
}

TEST_CASE("two writers: the second save gets a conflict, and nothing is lost", "[project][gpkg][revision]") {
    test::TempDir dir;
    const std::string path = dir.file("plan.gpkg");
    const Project p = small_project();
    const std::string r0 = save_gpkg_project(p, small_document(p, 0), path);
    CHECK(gpkg_project_revision(path) == r0);
    // Two planners open the same file.
    GpkgProject a = open_gpkg_project(path);
    GpkgProject b = open_gpkg_project(path);
    REQUIRE(a.revision == r0);
    REQUIRE(b.revision == r0);
    // A saves first: the file is at A's revision.
    const plan::PlanDocument doc_a = small_document(p, 1), doc_b = small_document(p, 2);
    const std::string ra = save_gpkg_project(a.project, doc_a, path, {}, a.revision);
    CHECK(ra != r0);
    CHECK(gpkg_project_revision(path) == ra);
    // B saves from the revision it opened: a conflict, in both languages, naming both files.
    std::string beside;
    try {
        save_gpkg_project(b.project, doc_b, path, {}, b.revision);
        FAIL("B's save should conflict");
    } catch (const SaveConflict& e) {
        beside = e.saved_as;
        const std::string what = e.what();
        CHECK(what.find(path) != std::string::npos);
        CHECK(what.find(beside) != std::string::npos);
        CHECK(what.find("保存冲突") != std::string::npos);
        CHECK(what.find("save conflict") != std::string::npos);
        CHECK(what.find('\n') == std::string::npos);
    }
    // Nothing lost: A's plan is the file, B's plan is beside it.
    CHECK(fs::path(beside).parent_path() == dir.path());
    CHECK(fs::path(beside).filename().string().rfind("plan.conflict-", 0) == 0);
    CHECK(open_gpkg_project(path).document == doc_a);
    CHECK(open_gpkg_project(beside).document == doc_b);
    // A saves again from its new revision: fine. Without a base (Save As), the file is replaced.
    const std::string ra2 = save_gpkg_project(a.project, doc_a, path, {}, ra);
    CHECK(ra2 != ra);
    save_gpkg_project(b.project, doc_b, path);
    CHECK(open_gpkg_project(path).document == doc_b);
    // A file saved before revisions has revision "": opened and saved back, no conflict.
    const std::string fresh = dir.file("fresh.gpkg");
    CHECK(gpkg_project_revision(fresh).empty());
    CHECK_FALSE(save_gpkg_project(p, doc_a, fresh, {}, std::string()).empty());
    CHECK(test::count_temporaries(dir.path()) == 0);
}

TEST_CASE("two writer processes saving at once: one wins, the other gets the conflict", "[project][gpkg][revision]") {
    test::TempDir dir;
    const std::string path = dir.file("plan.gpkg");
    const Project p = small_project();
    const std::string r0 = save_gpkg_project(p, small_document(p, 0), path);
    pid_t kids[2];
    for (int k = 0; k < 2; ++k) {
        kids[k] = ::fork();
        REQUIRE(kids[k] >= 0);
        if (kids[k] == 0) {
            try {
                save_gpkg_project(p, small_document(p, k + 1), path, {}, r0);
                ::_exit(0);
            } catch (const SaveConflict&) {
                ::_exit(4);
            } catch (...) {
                ::_exit(3);
            }
        }
    }
    int codes[2] = {-1, -1};
    for (int k = 0; k < 2; ++k) {
        int st = 0;
        REQUIRE(::waitpid(kids[k], &st, 0) == kids[k]);
        REQUIRE(WIFEXITED(st));
        codes[k] = WEXITSTATUS(st);
    }
    INFO("exit codes " << codes[0] << " " << codes[1]);
    REQUIRE(((codes[0] == 0 && codes[1] == 4) || (codes[0] == 4 && codes[1] == 0)));
    const int winner = codes[0] == 0 ? 0 : 1;
    CHECK(open_gpkg_project(path).document == small_document(p, winner + 1));
    std::size_t conflicts = 0;
    for (const auto& e : fs::directory_iterator(dir.path()))
        if (e.path().filename().string().find(".conflict-") != std::string::npos) {
            ++conflicts;
            CHECK(open_gpkg_project(e.path().string()).document == small_document(p, 2 - winner));
        }
    CHECK(conflicts == 1);
}
