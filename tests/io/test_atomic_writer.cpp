// The one writer (geo/io/writer.hpp): planted symlinks are never followed, stale temporaries
// of ours are cleaned and nobody else's files are touched, a multi-file output replaces a
// folder whole or not at all (issue 15, "Temporary files").
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/carto/scene.hpp"
#include "app/export/render.hpp"
#include "geo/core/error.hpp"
#include "geo/io/raster.hpp"
#include "geo/io/writer.hpp"
#include "geo/project/edit.hpp"
#include "geo/project/gpkg_project.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using namespace hq;

namespace {


void put(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

/// Names in `dir` that start with our temporary prefix.
std::vector<std::string> temporaries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        if (n.rfind(kTempPrefix, 0) == 0) out.push_back(n);
    }
    return out;
}

/// A pid that existed and is gone (a reaped child).
pid_t dead_pid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    int st = 0;
    ::waitpid(child, &st, 0);
    return child;
}

/// ".huqian-tmp-HOST-" as this machine writes it (read off a real temporary).
std::string host_prefix(const fs::path& dir) {
    AtomicFile probe((dir / "probe").string());
    const std::string name = fs::path(probe.temp_path()).filename().string();
    return name.substr(0, name.find('-', std::string(kTempPrefix).size()) + 1);
}

Layer square_layer() {
    Layer l;
    l.table.name = "squares";
    l.table.fields = {{"n", FieldType::Integer}};
    l.ids = {"A"};
    l.display = {edit::rectangle({104.04, 30.64}, {104.041, 30.641})};
    l.metric = l.display;
    l.geom_type = GeomType::Polygon;
    l.table.rows = {{Value{std::int64_t{7}}}};
    return l;
}

}  // namespace

TEST_CASE("temporaries: planted symlinks at every predictable name are never followed", "[io][write][symlink]") {
    test::TempDir dir;
    const fs::path victim = dir.path() / "victim.txt";
    put(victim, "precious");
    const std::vector<std::string> targets = {"out.json", "layer.geojson", "layer.gpkg", "grid.tif",
                                              "map.png",  "map.pdf",       "map.svg",    "plan.gpkg"};
    // The names the old writer used (".STEM.tmp-PID-N.EXT") and the obvious ones: symlinks to
    // the victim. The new names hold 48 random bits, so none can be planted in advance.
    std::vector<fs::path> planted;
    for (const auto& t : targets) {
        const fs::path p(t);
        for (int n = 0; n < 40; ++n)
            planted.push_back(dir.path() / ("." + p.stem().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(n) + p.extension().string()));
        planted.push_back(dir.path() / (t + ".tmp"));
        planted.push_back(dir.path() / ("." + t + ".tmp"));
    }
    for (const auto& p : planted) fs::create_symlink(victim, p);
    // A symlink AT a target is replaced by the new file, never written through.
    fs::create_symlink(victim, dir.path() / "out.json");

    write_file_atomic((dir.path() / "out.json").string(), "{}");
    const Layer l = square_layer();
    write_layer(l, (dir.path() / "layer.geojson").string());
    WriteOptions wo;
    wo.geometry = GeometrySource::Display;
    write_layer(l, (dir.path() / "layer.gpkg").string(), wo);
    Grid g;
    g.width = g.height = 2;
    g.pixel = 1;
    g.values = {1, 2, 3, 4};
    write_geotiff((dir.path() / "grid.tif").string(), g);
    carto::Scene scene;
    scene.title = "t";
    for (const char* f : {"map.png", "map.pdf", "map.svg"}) exporter::write_map(scene, {}, (dir.path() / f).string());
    Project p;
    p.planar = true;
    p.count_roles = {};
    save_gpkg_project(p, {}, (dir.path() / "plan.gpkg").string());

    CHECK(test::slurp(victim) == "precious");
    for (const auto& s : planted) CHECK(fs::is_symlink(s));  // untouched, and not removed either
    CHECK_FALSE(fs::is_symlink(dir.path() / "out.json"));
    CHECK(test::slurp(dir.path() / "out.json") == "{}");
    CHECK(temporaries(dir.path()).empty());
}

TEST_CASE("temporaries: stale ones of ours are cleaned on the next write, nobody else's", "[io][write][stale]") {
    test::TempDir dir;
    const std::string host = host_prefix(dir.path());
    const fs::path d = dir.path();
    const std::string dead = std::to_string(dead_pid());
    // Ours and stale: the writer is gone (a file, and a private folder with a file inside).
    const fs::path dead_file = d / (host + dead + "-0123456789ab-out.json");
    const fs::path dead_dir = d / (host + dead + "-0123456789ac-plan.gpkg");
    put(dead_file, "half");
    fs::create_directory(dead_dir);
    put(dead_dir / "plan.gpkg", "half");
    // Ours, writer alive (pid 1), fresh: kept. The same, a day and more old: cleaned.
    const fs::path live = d / (host + "1-0123456789ad-a.json");
    const fs::path old = d / (host + "1-0123456789ae-b.json");
    put(live, "in progress");
    put(old, "forgotten");
    const auto two_days = fs::file_time_type::clock::now() - std::chrono::hours(49);
    fs::last_write_time(old, two_days);
    // Not ours: another user's file with our prefix, a symlink with our prefix, another
    // host's temporary (fresh), a file without the prefix.
    const fs::path foreign_user = d / (host + dead + "-0123456789af-c.json");
    put(foreign_user, "theirs");
    REQUIRE(::chown(foreign_user.c_str(), 12345, 12345) == 0);
    const fs::path link = d / (host + dead + "-0123456789b0-d.json");
    fs::create_symlink(d / "nowhere", link);
    const fs::path other_host = d / (std::string(kTempPrefix) + "00000000-" + dead + "-0123456789b1-e.json");
    put(other_host, "other machine");
    const fs::path plain = d / "notes.tmp";
    put(plain, "mine");

    write_file_atomic((d / "out.json").string(), "{}");

    CHECK_FALSE(fs::exists(dead_file));
    CHECK_FALSE(fs::exists(dead_dir));
    CHECK_FALSE(fs::exists(old));
    CHECK(test::slurp(live) == "in progress");
    CHECK(test::slurp(foreign_user) == "theirs");
    CHECK(fs::is_symlink(link));
    CHECK(test::slurp(other_host) == "other machine");
    CHECK(test::slurp(plain) == "mine");
    CHECK(test::slurp(d / "out.json") == "{}");
    CHECK(temporaries(d).size() == 4);  // live, foreign_user, link, other_host
}

TEST_CASE("temporaries: a failed write leaves the old file and no temporary", "[io][write]") {
    test::TempDir dir;
    const fs::path target = dir.path() / "layer.gpkg";
    put(target, "old bytes");
    Layer l = square_layer();
    l.table.fields.push_back({"when", FieldType::Date});
    l.table.rows[0].push_back(Value{std::string("not a date")});
    WriteOptions wo;
    wo.geometry = GeometrySource::Display;
    CHECK_THROWS_WITH(write_layer(l, target.string(), wo), Catch::Contains(target.string()) &&
                                                               Catch::Contains("is not a date"));
    CHECK(test::slurp(target) == "old bytes");
    CHECK(temporaries(dir.path()).empty());
    {
        AtomicFile f((dir.path() / "x.json").string());
        f.write("abandoned");
    }  // destroyed without commit
    CHECK(temporaries(dir.path()).empty());
    CHECK_FALSE(fs::exists(dir.path() / "x.json"));
}

TEST_CASE("AtomicFolder: replaces a previous output whole, refuses any other folder", "[io][write][folder]") {
    test::TempDir dir;
    const fs::path out = dir.path() / "pack";
    {
        AtomicFolder f(out.string(), ".marker");
        put(fs::path(f.temp_path()) / "a.txt", "first");
        put(fs::path(f.temp_path()) / "only-in-first.txt", "x");
        CHECK_FALSE(fs::exists(out));  // nothing at the target until commit
        f.commit();
    }
    CHECK(test::slurp(out / "a.txt") == "first");
    CHECK(fs::exists(out / ".marker"));
    {
        AtomicFolder f(out.string() + "/", ".marker");  // "pack/" is the folder "pack"
        put(fs::path(f.temp_path()) / "a.txt", "second");
        CHECK(test::slurp(out / "a.txt") == "first");  // the old pack stays whole until commit
        f.commit();
    }
    CHECK(test::slurp(out / "a.txt") == "second");
    CHECK_FALSE(fs::exists(out / "only-in-first.txt"));  // replaced whole, never a mix
    {
        AtomicFolder f(out.string(), ".marker");
        put(fs::path(f.temp_path()) / "a.txt", "abandoned");
    }  // not committed: the old pack stays, the temporary goes
    CHECK(test::slurp(out / "a.txt") == "second");
    CHECK(temporaries(dir.path()).empty());

    // A folder that is not ours (no marker, not empty) is refused: nothing in it is touched.
    const fs::path home = dir.path() / "home";
    fs::create_directory(home);
    put(home / "thesis.docx", "years of work");
    CHECK_THROWS_WITH(AtomicFolder(home.string(), ".marker"),
                      Catch::Contains(home.string()) && Catch::Contains("is not a huqian output"));
    CHECK(test::slurp(home / "thesis.docx") == "years of work");
    // An empty folder is taken.
    const fs::path empty = dir.path() / "empty";
    fs::create_directory(empty);
    {
        AtomicFolder f(empty.string(), ".marker");
        put(fs::path(f.temp_path()) / "a.txt", "new");
        f.commit();
    }
    CHECK(test::slurp(empty / "a.txt") == "new");
    CHECK(temporaries(dir.path()).empty());
}
