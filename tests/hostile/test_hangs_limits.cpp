// Issue 15, class 4 (hangs) and the documented limits (docs/limits.md): stacked copies of one
// polygon, special files given as inputs, and every size limit tested at its edge.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>

#include "geo/core/limits.hpp"
#include "geo/io/basemap.hpp"
#include "geo/io/reader.hpp"
#include "geo/model/scenario.hpp"
#include "geo/project/gpkg_project.hpp"
#include "geo/project/project.hpp"
#include "geo/weights/contiguity.hpp"
#include "geo/weights/distance.hpp"
#include "geo/weights/weights_io.hpp"
#include "tests/hostile/hostile_support.hpp"

using namespace hq;
using namespace hq::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

Geometry square(double x, double y, double side = 1.0) {
    Geometry g;
    g.type = GeomType::Polygon;
    Polygon p;
    p.rings.push_back({{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}});
    g.polygons.push_back(p);
    return g;
}

}  // namespace

TEST_CASE("hangs: 5,000 stacked copies of one polygon are refused at once, not computed for minutes") {
    // Before: O(N²) — 5,000 copies took `autocorr` 105 s and 1.66 GB. Every copy shares every
    // vertex with the 4,999 others: the vertex grouping sees it before making any pair.
    const std::vector<Geometry> stacked(5000, square(0, 0));
    CHECK_THAT(error_of([&] { contiguity_weights(stacked); }),
               Contains("feature 0: has more than 1000 contiguity neighbours") && Contains("stacked"));
    CHECK_THAT(error_of([&] { contiguity_weights(stacked, {.kind = ContiguityKind::Rook}); }),
               Contains("more than 1000 contiguity neighbours"));
    // Copies shifted a little (no shared vertex): the pair loop stops at the limit.
    std::vector<Geometry> shifted;
    for (int i = 0; i < 5000; ++i) shifted.push_back(square(1e-4 * i, 1e-4 * i));
    CHECK_THAT(error_of([&] { contiguity_weights(shifted); }), Contains("more than 1000 contiguity neighbours"));
}

TEST_CASE("hangs: the neighbours-per-unit limit holds at its edge") {
    ScopedLimits small{Limits{.neighbours_per_unit = 10}};
    // 11 stacked copies: each has exactly 10 neighbours (allowed); 12: 11 (refused).
    const Weights w = contiguity_weights(std::vector<Geometry>(11, square(0, 0)));
    REQUIRE(w.n == 11);
    for (std::size_t i = 0; i < w.n; ++i) CHECK(w.cardinality(i) == 10);
    CHECK_THAT(error_of([&] { contiguity_weights(std::vector<Geometry>(12, square(0, 0))); }),
               Contains("more than 10 contiguity neighbours"));
    // A unit ringed by 11 others sharing no vertex with each other... one star: unit 0 is a
    // long strip touched by 11 squares along its top edge (each pair of squares apart).
    std::vector<Geometry> star{square(0, -1, 0)};
    star[0].polygons[0].rings[0] = {{0, -1}, {23, -1}, {23, 0}, {0, 0}, {0, -1}};
    for (int k = 0; k < 11; ++k) star.push_back(square(2.0 * k, 0));
    CHECK_THAT(error_of([&] { contiguity_weights(star); }), Contains("feature 0: has more than 10"));
    star.pop_back();
    CHECK(contiguity_weights(star).cardinality(0) == 10);
}

TEST_CASE("hangs: a FIFO, a socket, a device or a folder given as a file is refused before opening") {
    TempDir tmp;
    const std::string fifo = tmp.file("units.geojson");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Opening a FIFO for reading blocks until a writer comes: each call below would hang.
    CHECK_THAT(error_of([&] { load_project(fifo); }), Contains("units.geojson: is a FIFO (named pipe)"));
    CHECK_THAT(error_of([&] { read_table(fifo); }), Contains("is a FIFO"));
    CHECK_THAT(error_of([&] { read_basemap(fifo, Crs::utm_for(104, 30)); }), Contains("is a FIFO"));
    CHECK_THAT(error_of([&] { read_weights_file(fifo); }), Contains("is a FIFO"));
    CHECK_THAT(error_of([&] { plan::read_scenario_file(fifo); }), Contains("is a FIFO"));
    CHECK_THAT(error_of([&] { open_gpkg_project(fifo); }), Contains("is a FIFO"));
    CHECK_FALSE(is_gpkg_project(fifo));
    // As a manifest's layer, as a join table, and as project.json itself.
    write_text(tmp.file("project.json"), manifest());
    CHECK_THAT(error_of([&] { load_project(tmp.path().string()); }), Contains("is a FIFO"));
    const fs::path p2 = tmp.path() / "p2";
    fs::create_directories(p2);
    write_text((p2 / "units.geojson").string(), squares_geojson(2));
    REQUIRE(::mkfifo((p2 / "counts.csv").c_str(), 0600) == 0);
    write_text((p2 / "project.json").string(), "{\"huqian_manifest\":1,\"layers\":{\"units\":{\"path\":\"units.geojson\","
                                               "\"join\":{\"table\":\"counts.csv\",\"key\":\"id\"}}}}");
    CHECK_THAT(error_of([&] { load_project(p2.string()); }), Contains("counts.csv: is a FIFO"));
    const fs::path p3 = tmp.path() / "p3";
    fs::create_directories(p3);
    REQUIRE(::mkfifo((p3 / "project.json").c_str(), 0600) == 0);
    CHECK_THAT(error_of([&] { load_project(p3.string()); }), Contains("project.json: is a FIFO"));

    // A socket, a character device and a folder.
    const std::string sock = tmp.file("s.geojson");
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
    if (sock.size() < sizeof addr.sun_path && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0)
        CHECK_THAT(error_of([&] { load_project(sock); }), Contains("is a socket"));
    ::close(fd);
    CHECK_THAT(error_of([&] { read_table("/dev/zero"); }), Contains("/dev/zero: is a device"));
    fs::create_directories(tmp.path() / "dir.gal");
    CHECK_THAT(error_of([&] { read_weights_file(tmp.file("dir.gal")); }), Contains("is a folder"));
}

TEST_CASE("limits: features per layer, vertices per feature and file size, each at its edge") {
    TempDir tmp;
    write_text(tmp.file("three.geojson"), squares_geojson(3));
    write_text(tmp.file("four.geojson"), squares_geojson(4));
    {
        ScopedLimits l{Limits{.features_per_layer = 3}};
        CHECK(error_of([&] { load_project(tmp.file("three.geojson")); }).empty());
        CHECK_THAT(error_of([&] { load_project(tmp.file("four.geojson")); }),
                   Contains("four.geojson: has more than 3 features, the limit per layer"));
        write_text(tmp.file("t4.csv"), "id,v\n1,1\n2,2\n3,3\n4,4\n");
        CHECK_THAT(error_of([&] { read_table(tmp.file("t4.csv")); }), Contains("has more than 3 features"));
    }
    {
        // A unit square has 5 vertices (the ring is closed).
        ScopedLimits l{Limits{.vertices_per_feature = 5}};
        CHECK(error_of([&] { load_project(tmp.file("three.geojson")); }).empty());
        ScopedLimits l4{Limits{.vertices_per_feature = 4}};
        CHECK_THAT(error_of([&] { load_project(tmp.file("three.geojson")); }),
                   Contains("three.geojson: feature 0 (id \"U1\"): has 5 vertices, over the limit of 4 per feature"));
    }
    {
        const auto size = fs::file_size(tmp.file("three.geojson"));
        ScopedLimits at{Limits{.file_bytes = size}};
        CHECK(error_of([&] { load_project(tmp.file("three.geojson")); }).empty());
        ScopedLimits below{Limits{.file_bytes = size - 1}};
        CHECK_THAT(error_of([&] { load_project(tmp.file("three.geojson")); }),
                   Contains("three.geojson: is " + std::to_string(size) + " bytes, over the limit of " +
                            std::to_string(size - 1) + " bytes per file"));
    }
    // The real default, on a sparse file one byte over 4 GiB (no disk used).
    const std::string big = tmp.file("big.geojson");
    {
        std::FILE* f = std::fopen(big.c_str(), "wb");
        REQUIRE(f);
        std::fclose(f);
        fs::resize_file(big, limits().file_bytes + 1);
    }
    CHECK_THAT(error_of([&] { load_project(big); }), Contains("bytes per file (docs/limits.md)"));
    CHECK(limits().file_bytes == std::uint64_t{4} << 30);
    CHECK(limits().features_per_layer == 2'000'000);
    CHECK(limits().vertices_per_feature == 1'000'000);
    CHECK(limits().neighbours_per_unit == 1'000);
}

TEST_CASE("hangs: a distance band that reaches every unit is refused at the link limit") {
    // 60 points on a line 1 m apart: distance:1e308 links every pair, 60 × 59 = 3,540 links.
    std::vector<Vec2> pts;
    for (int i = 0; i < 60; ++i) pts.push_back({static_cast<double>(i), 0.0});
    {
        ScopedLimits at_edge{Limits{.weights_links = 3540}};
        CHECK(distance_band_weights(pts, {.threshold = 1e308}).n == 60);
    }
    ScopedLimits small{Limits{.weights_links = 3539}};
    CHECK_THAT(error_of([&] { distance_band_weights(pts, {.threshold = 1e308}); }),
               Contains("distance-band weights: more than 3539 links, the limit of one weights matrix"));
    // A kernel counts its diagonal: 60 × 60 = 3,600 links.
    KernelOptions k;
    k.bandwidth = 1e308;
    CHECK_THAT(error_of([&] { kernel_weights(pts, k); }), Contains("kernel weights: more than 3539 links"));
    // A small radius stays well inside it: 2 links for inner points, 1 at the ends.
    CHECK(distance_band_weights(pts, {.threshold = 1.0}).n == 60);
}
