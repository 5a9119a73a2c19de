// libFuzzer target: one layer file of the project loader, in the format HUQIAN_FUZZ_EXT
// (".geojson", ".csv" or ".gpkg"; tests/fuzz/CMakeLists.txt builds one target per format).
// The input is written as input<EXT> and loaded twice, as the CLI loads projects:
//   1. through a manifest naming it as the units layer, with two groups (a = ra + ta, b);
//   2. as a single file (role from its geometry type; a huqian project GeoPackage is read
//      by the GeoPackage project loader).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "geo/project/project.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#ifndef HUQIAN_FUZZ_EXT
#error "HUQIAN_FUZZ_EXT must name the file extension of the fuzzed layer"
#endif

namespace {

constexpr std::string_view kManifest = R"({"huqian_manifest": 1,
  "layers": {"units": {"path": "input)" HUQIAN_FUZZ_EXT R"("}},
  "groups": [{"column": "a", "registered": "ra", "temporary": "ta"}, {"column": "b"}]})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto& dir = [] () -> const auto& {
        const auto& d = hq::fuzz::scratch();
        hq::fuzz::write_file(d / "project.json", kManifest);
        return d;
    }();
    const auto file = dir / ("input" HUQIAN_FUZZ_EXT);
    hq::fuzz::write_file(file, {reinterpret_cast<const char*>(data), size});
    hq::fuzz::expect_input_error_only([&] { (void)hq::load_project(dir.string()); });
    hq::fuzz::expect_input_error_only([&] { (void)hq::load_project(file.string()); });
    return 0;
}
