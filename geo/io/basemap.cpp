// Raster basemaps through GDAL: open (allowlisted drivers), warp to the metric CRS into an
// in-memory VRT (gdalwarp -of VRT -t_srs -dstalpha [-te]), read it at a bounded size.
#include "geo/io/basemap.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_utils.h>

#include "geo/core/error.hpp"
#include "geo/io/gdal_util.hpp"
#include "geo/io/reader.hpp"

namespace hq {

using detail::file_error;
using detail::gdal_message;
using DatasetPtr = detail::GdalHandlePtr;
namespace {




std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

const std::vector<std::string>& allowed_basemap_drivers() {
    // No VRT: a VRT names other files (anywhere on disk, or /vsicurl/ URLs) as its sources.
    static const std::vector<std::string> d{"GTiff", "COG", "MBTiles", "PNG", "JPEG"};
    return d;
}

BasemapImage read_basemap(const std::string& path, const Crs& target, const BasemapOptions& options) {
    init_gdal();
    if (!target.known()) throw file_error(path, "a basemap needs a project with a CRS (this project is planar)");
    if (options.max_pixels < 1) throw file_error(path, "the basemap size limit must be at least 1 pixel");
    check_local_file(path);
    CPLErrorReset();
    CPLStringList drivers;
    for (const auto& d : allowed_basemap_drivers()) drivers.AddString(d.c_str());
    DatasetPtr src(GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, drivers.List(), nullptr, nullptr));
    if (!src) throw file_error(path, "cannot open the basemap (GeoTIFF or MBTiles expected)" + gdal_message());
    const int bands = GDALGetRasterCount(src.get());
    if (bands < 1) throw file_error(path, "the basemap has no raster band");
    double gt[6];
    if (GDALGetGeoTransform(src.get(), gt) != CE_None) throw file_error(path, "the basemap has no geotransform");
    const char* src_wkt = GDALGetProjectionRef(src.get());
    if (!src_wkt || !*src_wkt) throw file_error(path, "the basemap has no CRS");
    BasemapImage out;
    try {
        out.source_crs = Crs::from_wkt(src_wkt).label();
    } catch (const std::exception&) {
        out.source_crs = "?";
    }

    // Warp into a lazy in-memory VRT with an alpha band (outside the source = transparent).
    CPLStringList args;
    args.AddString("-of");
    args.AddString("VRT");
    args.AddString("-t_srs");
    args.AddString(target.wkt.c_str());
    args.AddString("-r");
    args.AddString("bilinear");
    args.AddString("-dstalpha");
    if (!options.clip.empty()) {
        args.AddString("-te");
        for (double v : {options.clip.minx, options.clip.miny, options.clip.maxx, options.clip.maxy})
            args.AddString(num(v).c_str());
    }
    GDALWarpAppOptions* wo = GDALWarpAppOptionsNew(args.List(), nullptr);
    if (!wo) throw file_error(path, "cannot set up the warp" + gdal_message());
    GDALDatasetH in[1] = {src.get()};
    int usage_error = 0;
    CPLErrorReset();
    DatasetPtr warped(GDALWarp("", nullptr, 1, in, wo, &usage_error));
    GDALWarpAppOptionsFree(wo);
    if (!warped || usage_error)
        throw file_error(path, "cannot reproject the basemap to " + target.label() + gdal_message());
    const int ww = GDALGetRasterXSize(warped.get()), wh = GDALGetRasterYSize(warped.get());
    double wgt[6];
    if (ww < 1 || wh < 1 || GDALGetGeoTransform(warped.get(), wgt) != CE_None)
        throw file_error(path, "the reprojected basemap is empty");
    out.extent = Box{wgt[0], wgt[3] + wgt[5] * wh, wgt[0] + wgt[1] * ww, wgt[3]};
    const double f = std::min(1.0, static_cast<double>(options.max_pixels) / std::max(ww, wh));
    out.width = std::max(1, static_cast<int>(std::lround(ww * f)));
    out.height = std::max(1, static_cast<int>(std::lround(wh * f)));

    // Read every band at the output size (GDAL averages / interpolates when downsampling).
    const int wb = GDALGetRasterCount(warped.get());  // source bands + alpha
    const std::size_t npx = static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height);
    std::vector<std::vector<std::uint8_t>> planes(static_cast<std::size_t>(wb), std::vector<std::uint8_t>(npx));
    GDALRasterIOExtraArg extra;
    INIT_RASTERIO_EXTRA_ARG(extra);
    extra.eResampleAlg = f < 1.0 ? GRIORA_Average : GRIORA_NearestNeighbour;
    for (int b = 1; b <= wb; ++b) {
        GDALRasterBandH band = GDALGetRasterBand(warped.get(), b);
        // Paletted bands keep their indices (nearest) so the colour table applies.
        GDALRasterIOExtraArg e = extra;
        if (GDALGetRasterColorTable(band)) e.eResampleAlg = GRIORA_NearestNeighbour;
        CPLErrorReset();
        if (GDALRasterIOEx(band, GF_Read, 0, 0, ww, wh, planes[static_cast<std::size_t>(b - 1)].data(), out.width,
                           out.height, GDT_Byte, 0, 0, &e) != CE_None)
            throw file_error(path, "cannot read band " + std::to_string(b) + " of the basemap" + gdal_message());
    }
    const int data_bands = std::max(1, wb - 1);  // the last band is the warp's alpha
    GDALColorTableH ct = GDALGetRasterColorTable(GDALGetRasterBand(warped.get(), 1));
    out.rgba.assign(npx * 4, 0);
    for (std::size_t i = 0; i < npx; ++i) {
        std::uint8_t r = 0, g = 0, b = 0, a = planes.back()[i];
        const std::uint8_t v0 = planes[0][i];
        if (data_bands == 1 || data_bands == 2) {
            r = g = b = v0;
            if (ct) {
                if (const GDALColorEntry* e = GDALGetColorEntry(ct, v0)) {
                    r = static_cast<std::uint8_t>(std::clamp<int>(e->c1, 0, 255));
                    g = static_cast<std::uint8_t>(std::clamp<int>(e->c2, 0, 255));
                    b = static_cast<std::uint8_t>(std::clamp<int>(e->c3, 0, 255));
                    a = static_cast<std::uint8_t>(a * std::clamp<int>(e->c4, 0, 255) / 255);
                }
            }
            if (data_bands == 2) a = static_cast<std::uint8_t>(a * planes[1][i] / 255);
        } else {
            r = v0;
            g = planes[1][i];
            b = planes[2][i];
            if (data_bands >= 4) a = static_cast<std::uint8_t>(a * planes[3][i] / 255);
        }
        out.rgba[4 * i + 0] = r;
        out.rgba[4 * i + 1] = g;
        out.rgba[4 * i + 2] = b;
        out.rgba[4 * i + 3] = a;
    }
    (void)bands;
    if (std::none_of(planes.back().begin(), planes.back().end(), [](std::uint8_t a) { return a > 0; }))
        throw file_error(path, "the basemap does not cover the project's area (" + target.label() + ")");
    return out;
}

}  // namespace hq
