#pragma once
// Writing a small spreadsheet with GDAL's XLSX driver for the roster tests (what a committee
// would save from Excel).
#include <catch2/catch.hpp>

#include <gdal.h>
#include <ogr_api.h>

#include <string>
#include <utility>
#include <vector>

#include "geo/io/reader.hpp"

namespace hq::test {

/// One sheet `sheet` with these headers (and field types) and rows of text cells (an
/// Integer column's cells are parsed as numbers).
inline void write_xlsx(const std::string& path, const std::string& sheet,
                       const std::vector<std::pair<std::string, OGRFieldType>>& headers,
                       const std::vector<std::vector<std::string>>& rows) {
    init_gdal();
    GDALDriverH drv = GDALGetDriverByName("XLSX");
    REQUIRE(drv);
    GDALDatasetH ds = GDALCreate(drv, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    REQUIRE(ds);
    OGRLayerH l = GDALDatasetCreateLayer(ds, sheet.c_str(), nullptr, wkbNone, nullptr);
    REQUIRE(l);
    for (const auto& [name, type] : headers) {
        OGRFieldDefnH f = OGR_Fld_Create(name.c_str(), type);
        REQUIRE(OGR_L_CreateField(l, f, TRUE) == OGRERR_NONE);
        OGR_Fld_Destroy(f);
    }
    for (const auto& r : rows) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
        for (std::size_t j = 0; j < r.size() && j < headers.size(); ++j) OGR_F_SetFieldString(f, static_cast<int>(j), r[j].c_str());
        REQUIRE(OGR_L_CreateFeature(l, f) == OGRERR_NONE);
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
}

}  // namespace hq::test
