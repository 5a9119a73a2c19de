// Writes a huqian project GeoPackage for the seed corpus of fuzz_gpkg (make_seeds.sh): the
// fuzz fixture folder (units with a join, venues, streets; fuzz_support.hpp) loaded and
// saved by save_gpkg_project, with one zone-free scenario. Not a fuzz target; built on
// demand only (EXCLUDE_FROM_ALL in CMakeLists.txt).
#include <cstdio>
#include <filesystem>

#include "geo/model/document.hpp"
#include "geo/project/gpkg_project.hpp"
#include "tests/fuzz/fuzz_support.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_project_seed OUT.gpkg\n");
        return 2;
    }
    const auto& dir = hq::fuzz::fixture_folder();
    hq::fuzz::write_file(dir / "project.json", R"({"huqian_manifest": 1, "name": {"zh": "种子", "en": "seed"},
        "layers": {"units": {"path": "units.geojson", "id": "uid", "join": {"table": "counts.csv", "key": "uid"}},
                   "venues": {"path": "venues.geojson", "id": "vid"}, "streets": {"path": "streets.geojson"}},
        "groups": [{"column": "a", "registered": "ra", "temporary": "ta"}, {"column": "b"}, {"column": "c"}]})");
    hq::plan::PlanDocument doc;
    doc.scenarios.push_back({"moves", "", {}, {{"a", "U1", "U2", 1}}});
    hq::save_gpkg_project(hq::load_project(dir.string()), doc, argv[1]);
    return 0;
}
