// libFuzzer target: the spreadsheet join of the manifest (docs/manifest.md, "join"). The
// input is the table joined to the fixed units layer by "uid"; its format is taken from its
// first bytes: a zip holding an OpenDocument mimetype is an .ods, any other zip an .xlsx,
// anything else a .csv (GDAL picks these drivers by extension). The groups c and d are
// columns of the table, so the joined counts are read and checked too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "geo/project/project.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

const char* extension_of(std::string_view bytes) {
    if (bytes.substr(0, 2) != "PK") return ".csv";
    return bytes.substr(0, 200).find("opendocument") != std::string_view::npos ? ".ods" : ".xlsx";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& dir = hq::fuzz::fixture_folder();
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::string table = std::string("table") + extension_of(bytes);
    hq::fuzz::write_file(dir / table, bytes);
    hq::fuzz::write_file(dir / "project.json",
                         R"({"huqian_manifest": 1, "layers": {"units": {"path": "units.geojson", "id": "uid",
                              "join": {"table": ")" + table + R"(", "key": "uid"}}},
                              "groups": [{"column": "c"}, {"column": "d"}]})");
    hq::fuzz::expect_input_error_only([&] { (void)hq::load_project(dir.string()); });
    return 0;
}
