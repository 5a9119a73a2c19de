#include "geo/io/raster.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/io/gdal_util.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"

namespace hq {

using detail::file_error;
using detail::gdal_message;
using DatasetPtr = detail::GdalHandlePtr;

namespace {




}  // namespace

void write_geotiff(const std::string& path, const Grid& grid, const std::string& description,
                   const RasterWriteOptions& options) {
    write_geotiff(path, std::vector<const Grid*>{&grid}, std::vector<std::string>{description}, options);
}

void write_geotiff(const std::string& path, const std::vector<const Grid*>& grids,
                   const std::vector<std::string>& descriptions, const RasterWriteOptions& options) {
    AtomicFile file(path, AtomicFile::Kind::Named);
    write_geotiff(file, grids, descriptions, options);
    file.commit();
}

void write_geotiff(AtomicFile& file, const std::vector<const Grid*>& grids, const std::vector<std::string>& descriptions,
                   const RasterWriteOptions& options) {
    const std::string& path = file.path();
    if (grids.empty()) throw file_error(path, "no band to write");
    const Grid& first = *grids.front();
    for (const Grid* g : grids) {
        if (g->width != first.width || g->height != first.height || g->origin_x != first.origin_x ||
            g->origin_y != first.origin_y || g->pixel != first.pixel)
            throw file_error(path, "the bands of a GeoTIFF must share one grid");
        if (g->values.size() != static_cast<std::size_t>(g->width) * static_cast<std::size_t>(g->height))
            throw file_error(path, "grid values do not match its size");
    }
    if (first.width <= 0 || first.height <= 0) throw file_error(path, "the grid is empty");
    init_gdal();
    GDALDriverH driver = GDALGetDriverByName("GTiff");
    if (!driver) throw file_error(path, "GDAL has no GTiff driver");

    CPLErrorReset();
    char** co = nullptr;
    if (options.compress) {
        co = CSLSetNameValue(co, "COMPRESS", "DEFLATE");
        co = CSLSetNameValue(co, "PREDICTOR", "3");
        // Tiles are compressed by GDAL's worker threads (each tile on its own, so the file is
        // the same bytes whatever the thread count): a 2048² heatmap's DEFLATE was one core.
        co = CSLSetNameValue(co, "NUM_THREADS", std::to_string(std::max(1u, default_thread_count())).c_str());
    }
    co = CSLSetNameValue(co, "TILED", "YES");
    co = CSLSetNameValue(co, "BIGTIFF", "IF_SAFER");
    const GDALDataType type = options.float64 ? GDT_Float64 : GDT_Float32;
    {
        DatasetPtr ds(GDALCreate(driver, file.temp_path().c_str(), first.width, first.height,
                                 static_cast<int>(grids.size()), type, co));
        CSLDestroy(co);
        if (!ds) throw file_error(path, "cannot create the GeoTIFF" + gdal_message());
        double gt[6] = {first.origin_x, first.pixel, 0.0, first.origin_y, 0.0, -first.pixel};
        if (GDALSetGeoTransform(ds.get(), gt) != CE_None)
            throw file_error(path, "cannot set the geotransform" + gdal_message());
        for (const auto& [key, value] : options.metadata)
            if (GDALSetMetadataItem(ds.get(), key.c_str(), value.c_str(), nullptr) != CE_None)
                throw file_error(path, "cannot set the metadata item " + key + gdal_message());
        if (!first.crs_wkt.empty() && GDALSetProjection(ds.get(), first.crs_wkt.c_str()) != CE_None)
            throw file_error(path, "cannot set the CRS" + gdal_message());
        std::vector<double> row(static_cast<std::size_t>(first.width));
        for (std::size_t b = 0; b < grids.size(); ++b) {
            GDALRasterBandH band = GDALGetRasterBand(ds.get(), static_cast<int>(b) + 1);
            if (!band) throw file_error(path, "cannot open band " + std::to_string(b + 1) + gdal_message());
            GDALSetRasterNoDataValue(band, options.nodata);
            if (b < descriptions.size() && !descriptions[b].empty())
                GDALSetDescription(band, descriptions[b].c_str());
            const Grid& g = *grids[b];
            for (int r = 0; r < g.height; ++r) {
                const double* src = g.values.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(g.width);
                for (int c = 0; c < g.width; ++c) row[static_cast<std::size_t>(c)] = std::isnan(src[c]) ? options.nodata : src[c];
                if (GDALRasterIO(band, GF_Write, 0, r, g.width, 1, row.data(), g.width, 1, GDT_Float64, 0, 0) != CE_None)
                    throw file_error(path, "cannot write the raster" + gdal_message());
            }
        }
        GDALFlushCache(ds.get());
        if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "cannot write the raster" + gdal_message());
    }
    if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "cannot write the raster" + gdal_message());
}

RasterFile read_geotiff(const std::string& path) {
    init_gdal();
    check_local_file(path);
    CPLErrorReset();
    const char* const drivers[] = {"GTiff", nullptr};
    DatasetPtr ds(GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, drivers, nullptr, nullptr));
    if (!ds) throw file_error(path, "cannot open the GeoTIFF" + gdal_message());
    double gt[6];
    if (GDALGetGeoTransform(ds.get(), gt) != CE_None) throw file_error(path, "the GeoTIFF has no geotransform");
    if (gt[2] != 0.0 || gt[4] != 0.0 || gt[1] != -gt[5])
        throw file_error(path, "only north-up rasters with square pixels are supported");
    RasterFile out;
    const int w = GDALGetRasterXSize(ds.get());
    const int h = GDALGetRasterYSize(ds.get());
    const char* wkt = GDALGetProjectionRef(ds.get());
    const int n = GDALGetRasterCount(ds.get());
    for (int b = 1; b <= n; ++b) {
        GDALRasterBandH band = GDALGetRasterBand(ds.get(), b);
        Grid g;
        g.origin_x = gt[0];
        g.origin_y = gt[3];
        g.pixel = gt[1];
        g.width = w;
        g.height = h;
        g.crs_wkt = wkt ? wkt : "";
        g.values.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
        if (GDALRasterIO(band, GF_Read, 0, 0, w, h, g.values.data(), w, h, GDT_Float64, 0, 0) != CE_None)
            throw file_error(path, "cannot read band " + std::to_string(b) + gdal_message());
        int has = 0;
        const double nd = GDALGetRasterNoDataValue(band, &has);
        if (has) {
            out.has_nodata = true;
            out.nodata = nd;
            for (double& v : g.values)
                if (v == nd || (std::isnan(nd) && std::isnan(v))) v = std::numeric_limits<double>::quiet_NaN();
        }
        const char* desc = GDALGetDescription(band);
        out.descriptions.emplace_back(desc ? desc : "");
        out.bands.push_back(std::move(g));
    }
    return out;
}

}  // namespace hq
