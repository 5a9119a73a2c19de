// Writing files: the atomic writer (AtomicFile, AtomicFolder, stale temporaries) and the
// vector layer writer on top of it.
// [SECTION] index
//   Temporaries: names, errors, fsync
//   AtomicFile
//   AtomicFolder
//   Whole files and vector layers
#include "geo/io/writer.hpp"
#include "geo/io/ogr_convert.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <random>
#include <system_error>

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "geo/core/error.hpp"
#include "geo/crs/srs.hpp"
#include "geo/io/gdal_util.hpp"
#include "geo/io/reader.hpp"

namespace hq {

using detail::file_error;
using detail::gdal_message;

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

// [SECTION] Temporaries: names, errors, fsync ------------------------------------------------

namespace {

fs::path folder_of(const std::string& path) {
    const fs::path target(path);
    return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

/// A short hash of the host name, so a writer on another machine sharing the folder is never
/// taken for a dead process of ours.
const std::string& host_tag() {
    static const std::string tag = [] {
        char name[256] = {};
        if (::gethostname(name, sizeof name - 1) != 0) name[0] = 0;
        std::uint32_t h = 2166136261u;  // FNV-1a
        for (const char* c = name; *c; ++c) h = (h ^ static_cast<unsigned char>(*c)) * 16777619u;
        char buf[16];
        std::snprintf(buf, sizeof buf, "%08x", h);
        return std::string(buf);
    }();
    return tag;
}

std::string random_hex() {
    unsigned char bytes[6] = {};
    if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
        std::random_device rd;
        for (auto& b : bytes) b = static_cast<unsigned char>(rd());
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02x%02x%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3], bytes[4],
                  bytes[5]);
    return buf;
}

/// ".huqian-tmp-HOST-PID-RANDOM-NAME", NAME cut (at a UTF-8 boundary) to keep under NAME_MAX.
std::string temp_name(const std::string& target_name) {
    std::string tail = target_name;
    if (tail.size() > 180) {
        std::size_t n = 180;
        while (n > 0 && (static_cast<unsigned char>(tail[n]) & 0xC0) == 0x80) --n;
        tail.resize(n);
    }
    return std::string(kTempPrefix) + host_tag() + "-" + std::to_string(::getpid()) + "-" + random_hex() + "-" + tail;
}

/// What an errno means to a planner, for "PATH: cannot write: ...".
std::string errno_text(int err) {
    switch (err) {
        case ENOSPC:
        case EDQUOT: return "the disk is full";
        case EROFS: return "the folder is read-only";
        case EACCES:
        case EPERM: return "permission denied";
        case ENOENT: return "the folder does not exist";
        case ENOTDIR: return "a part of the path is not a folder";
        case EISDIR: return "the target is a folder";
        case ENAMETOOLONG: return "the name is too long";
        default: return std::strerror(err);
    }
}

InputError write_error(const std::string& path, int err) { return file_error(path, "cannot write: " + errno_text(err)); }

/// fsync of a folder, so a rename in it survives a power loss. EINVAL: the file system
/// cannot (some network file systems); nothing more can be done there.
int fsync_folder(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    const int rc = ::fsync(fd) == 0 || errno == EINVAL ? 0 : errno;
    ::close(fd);
    return rc;
}

/// Makes a private folder for a temporary (mode 0700); returns its path.
std::string make_private_folder(const fs::path& dir, const std::string& target_name, const std::string& path) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        const fs::path p = dir / temp_name(target_name);
        if (::mkdir(p.c_str(), 0700) == 0) return p.string();
        if (errno != EEXIST) throw write_error(path, errno);
    }
    throw file_error(path, "cannot write: no free temporary name");
}

}  // namespace

std::size_t remove_stale_temporaries(const std::string& dir) noexcept {
    std::size_t removed = 0;
    try {
        const std::string prefix = kTempPrefix;
        const std::string mine = prefix + host_tag() + "-";
        const auto now = std::chrono::system_clock::now();
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.compare(0, prefix.size(), prefix) != 0) continue;
            struct stat st {};
            if (::lstat(it->path().c_str(), &st) != 0 || st.st_uid != ::geteuid()) continue;
            if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) continue;  // never a symlink
            bool stale = now - std::chrono::system_clock::from_time_t(st.st_mtime) > std::chrono::hours(24);
            if (!stale && name.compare(0, mine.size(), mine) == 0) {
                const long pid = std::strtol(name.c_str() + mine.size(), nullptr, 10);
                stale = pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH;
            }
            if (!stale) continue;
            std::error_code rm;
            if (S_ISDIR(st.st_mode)) fs::remove_all(it->path(), rm);  // does not follow symlinks inside
            else fs::remove(it->path(), rm);
            if (!rm) ++removed;
        }
    } catch (...) {
    }
    return removed;
}

// [SECTION] AtomicFile -------------------------------------------------------------------------

AtomicFile::AtomicFile(std::string path, Kind kind) : m_path(std::move(path)) {
    const fs::path dir = folder_of(m_path);
    const std::string name = fs::path(m_path).filename().string();
    if (name.empty() || name == "." || name == "..") throw file_error(m_path, "cannot write: not a file name");
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw file_error(m_path, "cannot write: the folder does not exist");
    remove_stale_temporaries(dir.string());
    if (kind == Kind::Named) {
        m_private_dir = make_private_folder(dir, name, m_path);
        m_temp = (fs::path(m_private_dir) / name).string();
        return;
    }
    for (int attempt = 0; attempt < 100; ++attempt) {
        const fs::path p = dir / temp_name(name);
        m_fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (m_fd >= 0) {
            m_temp = p.string();
            return;
        }
        if (errno != EEXIST) throw write_error(m_path, errno);
    }
    throw file_error(m_path, "cannot write: no free temporary name");
}

AtomicFile::~AtomicFile() {
    if (!m_done) discard();
}

void AtomicFile::write(std::string_view bytes) {
    assert(m_fd >= 0 && "AtomicFile::write on a Named temporary");
    while (!bytes.empty()) {
        const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            discard();
            throw write_error(m_path, err);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void AtomicFile::discard() noexcept {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    std::error_code ec;
    if (!m_private_dir.empty()) {
        fs::remove_all(m_private_dir, ec);  // GDAL's file and SQLite's side files with it
    } else if (!m_temp.empty()) {
        fs::remove(m_temp, ec);
    }
    m_done = true;
}

void AtomicFile::commit_as(const std::string& target) {
    if (m_done) throw file_error(target, "cannot write: the file was discarded");
    int fd = m_fd;
    if (fd < 0) {  // Named: the library closed it; open it again (never through a symlink) to fsync
        fd = ::open(m_temp.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            const int err = errno;
            discard();
            throw err == ENOENT ? file_error(target, "cannot write: the file was not written") : write_error(target, err);
        }
    }
    int err = ::fsync(fd) == 0 ? 0 : errno;
    if (::close(fd) != 0 && err == 0) err = errno;
    m_fd = -1;
    if (err == 0 && ::rename(m_temp.c_str(), target.c_str()) != 0) err = errno;
    if (err != 0) {
        discard();
        throw write_error(target, err);
    }
    m_done = true;
    std::error_code ec;
    if (!m_private_dir.empty()) fs::remove_all(m_private_dir, ec);
    if (const int e = fsync_folder(folder_of(target)); e != 0) throw write_error(target, e);
}

// [SECTION] AtomicFolder -----------------------------------------------------------------------

namespace {

/// "out/" and "out/." are the folder "out": the name the pack is renamed to.
fs::path folder_path(const std::string& dir) {
    fs::path p = fs::absolute(fs::path(dir)).lexically_normal();
    if (!p.has_filename() && p.has_parent_path()) p = p.parent_path();
    return p;
}

}  // namespace

AtomicFolder::AtomicFolder(std::string dir, std::string marker) : m_path(std::move(dir)), m_marker(std::move(marker)) {
    const fs::path target = folder_path(m_path);
    const fs::path parent = target.parent_path();
    const std::string name = target.filename().string();
    if (name.empty() || name == "." || name == "..") throw file_error(m_path, "cannot write: not a folder name");
    struct stat st {};
    if (::stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw file_error(m_path, "cannot write: the folder " + parent.string() + " does not exist");
    if (::lstat(target.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) throw file_error(m_path, "cannot write: it exists and is not a folder");
        std::error_code ec;
        const bool ours = fs::exists(target / m_marker, ec) || fs::is_empty(target, ec);
        if (!ours)
            throw file_error(m_path, "the folder exists and is not a huqian output (no " + m_marker +
                                         "); choose a new or empty folder");
    }
    remove_stale_temporaries(parent.string());
    m_temp = make_private_folder(parent, name, m_path);
}

AtomicFolder::~AtomicFolder() {
    if (!m_done) discard();
}

void AtomicFolder::discard() noexcept {
    std::error_code ec;
    if (!m_temp.empty()) fs::remove_all(m_temp, ec);
    m_done = true;
}

void AtomicFolder::commit() {
    if (m_done) throw file_error(m_path, "cannot write: the folder was discarded");
    const fs::path target = folder_path(m_path);
    const fs::path parent = target.parent_path();
    try {
        {
            AtomicFile marker((fs::path(m_temp) / m_marker).string());
            marker.write("huqian output folder: written whole, replaced whole\n");
            marker.commit();
        }
            if (const int e = fsync_folder(m_temp); e != 0) throw write_error(m_path, e);
        ::chmod(m_temp.c_str(), 0755);  // made private (0700) while written
    } catch (...) {
        discard();
        throw;
    }
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0) {  // no old folder
        if (::rename(m_temp.c_str(), target.c_str()) != 0) {
            const int err = errno;
            discard();
            throw write_error(m_path, err);
        }
    } else if (::renameat2(AT_FDCWD, m_temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
        if (errno != EINVAL && errno != ENOSYS) {
            const int err = errno;
            discard();
            throw write_error(m_path, err);
        }
        // No RENAME_EXCHANGE here: the old folder goes aside under a temporary name first; a
        // crash between the two renames leaves no folder (never a mix) and the old one is
        // cleaned as a stale temporary.
        const std::string aside = (parent / temp_name(target.filename().string())).string();
        if (::rename(target.c_str(), aside.c_str()) != 0 || ::rename(m_temp.c_str(), target.c_str()) != 0) {
            const int err = errno;
            discard();
            throw write_error(m_path, err);
        }
        m_temp = aside;
    }
    // m_temp now holds the old folder (or nothing): remove it.
    discard();
    if (const int e = fsync_folder(parent); e != 0) throw write_error(m_path, e);
}

// [SECTION] Whole files and vector layers ------------------------------------------------------

void write_file_atomic(const std::string& path, std::string_view bytes) {
    AtomicFile file(path);
    file.write(bytes);
    file.commit();
}

VectorFormat vector_format_for(const std::string& path) {
    const std::string ext = lower(fs::path(path).extension().string());
    if (ext == ".geojson" || ext == ".json") return VectorFormat::GeoJSON;
    if (ext == ".gpkg") return VectorFormat::GeoPackage;
    throw file_error(path, "unknown output format \"" + ext + "\" (use .geojson or .gpkg)");
}

namespace {

OGRwkbGeometryType ogr_type(GeomType t) {
    switch (t) {
        case GeomType::None: return wkbNone;
        case GeomType::Point: return wkbPoint;
        case GeomType::MultiPoint: return wkbMultiPoint;
        case GeomType::LineString: return wkbLineString;
        case GeomType::MultiLineString: return wkbMultiLineString;
        case GeomType::Polygon: return wkbPolygon;
        case GeomType::MultiPolygon: return wkbMultiPolygon;
    }
    return wkbUnknown;
}

GeomType multi_of(GeomType t) {
    switch (t) {
        case GeomType::Point: return GeomType::MultiPoint;
        case GeomType::LineString: return GeomType::MultiLineString;
        case GeomType::Polygon: return GeomType::MultiPolygon;
        default: return t;
    }
}

/// The declared type of the layer: the features' common type; a mix of X and MultiX is MultiX;
/// anything else is unknown (GeometryCollection-free "Geometry").
GeomType layer_type(const std::vector<Geometry>& geoms, GeomType declared) {
    GeomType t = GeomType::None;
    bool first = true;
    for (const auto& g : geoms) {
        if (g.type == GeomType::None) continue;
        if (first) {
            t = g.type;
            first = false;
        } else if (g.type != t) {
            if (multi_of(g.type) == multi_of(t)) {
                t = multi_of(t);
            } else {
                return GeomType::None;  // mixed dimensions → wkbUnknown
            }
        }
    }
    if (first) return declared;
    return t;
}

/// Our geometry as OGR, promoted to the multi type when the layer is multi.
std::unique_ptr<OGRGeometry> to_ogr(const Geometry& g, GeomType layer) {
    const bool multi = layer == GeomType::MultiPoint || layer == GeomType::MultiLineString ||
                       layer == GeomType::MultiPolygon || g.points.size() > 1 || g.lines.size() > 1 ||
                       g.polygons.size() > 1 || g.type == GeomType::MultiPoint ||
                       g.type == GeomType::MultiLineString || g.type == GeomType::MultiPolygon;
    if (!g.polygons.empty()) {
        if (!multi) return std::unique_ptr<OGRGeometry>(detail::make_ogr_polygon(g.polygons.front()));
        auto mp = std::make_unique<OGRMultiPolygon>();
        for (const auto& p : g.polygons) mp->addGeometryDirectly(detail::make_ogr_polygon(p));
        return mp;
    }
    if (!g.lines.empty()) {
        if (!multi) return std::unique_ptr<OGRGeometry>(detail::make_ogr_line(g.lines.front()));
        auto ml = std::make_unique<OGRMultiLineString>();
        for (const auto& l : g.lines) ml->addGeometryDirectly(detail::make_ogr_line(l));
        return ml;
    }
    if (!g.points.empty()) {
        if (!multi) return std::make_unique<OGRPoint>(g.points.front().x, g.points.front().y);
        auto mp = std::make_unique<OGRMultiPoint>();
        for (const auto& p : g.points) mp->addGeometryDirectly(new OGRPoint(p.x, p.y));
        return mp;
    }
    return nullptr;
}

std::string format_value(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        return buf;
    }
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    return {};
}

bool parse_date(const std::string& s, int& y, int& m, int& d) {
    if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(s[static_cast<std::size_t>(i)]))) return false;
    y = std::stoi(s.substr(0, 4));
    m = std::stoi(s.substr(5, 2));
    d = std::stoi(s.substr(8, 2));
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

using DatasetCloser = detail::GdalCloser;


}  // namespace

namespace {

/// The layer checks every writer makes before creating anything.
void check_layer(const Layer& layer, const std::vector<Geometry>& geoms, const std::string& path) {
    const std::size_t n = layer.table.rows.size();
    if (!geoms.empty() && geoms.size() != n)
        throw file_error(path, "the layer has " + std::to_string(geoms.size()) + " geometries for " +
                                   std::to_string(n) + " rows");
    if (!layer.ids.empty() && layer.ids.size() != n)
        throw file_error(path, "the layer has " + std::to_string(layer.ids.size()) + " ids for " +
                                   std::to_string(n) + " rows");
    for (std::size_t i = 0; i < n; ++i)
        if (layer.table.rows[i].size() != layer.table.fields.size())
            throw file_error(path, "row " + std::to_string(i) + " does not match the fields");
}

/// One layer into an open dataset (GeoJSON or GeoPackage). `path` names the target in errors.
void write_ogr_layer(GDALDataset* ds, const Layer& layer, const WriteOptions& options, bool geojson,
                     const std::string& path, const Progress& progress) {
    const bool use_display = geojson || options.geometry == GeometrySource::Display;
    const std::vector<Geometry>& geoms = use_display ? layer.display : layer.metric;
    const std::size_t n = layer.table.rows.size();
    // CRS: display is WGS 84 lon/lat unless the layer is planar; metric is options.metric_crs.
    std::string wkt;
    if (use_display) {
        if (!layer.planar) wkt = Crs::wgs84().wkt;
    } else {
        wkt = options.metric_crs.wkt;
    }
    const detail::SrsPtr srs = detail::srs_from_wkt(wkt, ErrorContext{.file = path});

    std::string name = options.layer_name;
    if (name.empty()) name = layer.table.name;
    if (name.empty()) name = fs::path(path).stem().string();

    const GeomType gtype = geoms.empty() ? GeomType::None : layer_type(geoms, layer.geom_type);
    OGRwkbGeometryType wkb = geoms.empty() ? wkbNone : ogr_type(gtype);
    if (!geoms.empty() && gtype == GeomType::None) wkb = wkbUnknown;
    char** lco = nullptr;
    if (geojson && !layer.planar) lco = CSLSetNameValue(lco, "RFC7946", "YES");
    if (!geojson) lco = CSLSetNameValue(lco, "FID", "fid");
    OGRLayer* out = ds->CreateLayer(name.c_str(), srs.get(), wkb, lco);
    CSLDestroy(lco);
    if (!out) throw file_error(path, "cannot create layer " + name + gdal_message());

    const bool write_ids =
        !options.id_field.empty() && layer.table.field_index(options.id_field) < 0 && !layer.ids.empty();
    int next_field = 0;
    int id_index = -1;
    if (write_ids) {
        OGRFieldDefn def(options.id_field.c_str(), OFTString);
        if (out->CreateField(&def) != OGRERR_NONE)
            throw file_error(path, "cannot create field " + options.id_field + gdal_message());
        id_index = next_field++;
    }
    std::vector<int> field_index(layer.table.fields.size());
    for (std::size_t j = 0; j < layer.table.fields.size(); ++j) {
        const Field& f = layer.table.fields[j];
        OGRFieldDefn def(f.name.c_str(), detail::ogr_field_type(f.type));
        if (out->CreateField(&def) != OGRERR_NONE)
            throw file_error(path, "cannot create field " + f.name + gdal_message());
        field_index[j] = next_field++;
    }

    const bool transaction = !geojson && ds->StartTransaction() == OGRERR_NONE;
    const std::size_t step = std::max<std::size_t>(1, n / 100);
    for (std::size_t i = 0; i < n; ++i) {
        if (i % step == 0) {
            progress.check();
            progress.report(static_cast<double>(i) / static_cast<double>(std::max<std::size_t>(n, 1)), "writing");
        }
        OGRFeature feature(out->GetLayerDefn());
        if (id_index >= 0) feature.SetField(id_index, layer.ids[i].c_str());
        const auto& row = layer.table.rows[i];
        for (std::size_t j = 0; j < row.size(); ++j) {
            const int k = field_index[j];
            const Value& v = row[j];
            const FieldType ft = layer.table.fields[j].type;
            if (std::holds_alternative<std::monostate>(v)) {
                feature.SetFieldNull(k);
            } else if (ft == FieldType::Date) {
                int y = 0, m = 0, d = 0;
                const std::string s = format_value(v);
                if (!parse_date(s, y, m, d)) {
                    ErrorContext c;
                    c.file = path;
                    c.feature = i;
                    if (!layer.ids.empty()) c.feature_id = layer.ids[i];
                    c.field = layer.table.fields[j].name;
                    throw InputError(c, "\"" + s + "\" is not a date (YYYY-MM-DD)");
                }
                feature.SetField(k, y, m, d);
            } else if (const auto* iv = std::get_if<std::int64_t>(&v)) {
                if (ft == FieldType::String)
                    feature.SetField(k, std::to_string(*iv).c_str());
                else
                    feature.SetField(k, static_cast<GIntBig>(*iv));
            } else if (const auto* dv = std::get_if<double>(&v)) {
                if (!std::isfinite(*dv))
                    feature.SetFieldNull(k);
                else if (ft == FieldType::String)
                    feature.SetField(k, format_value(v).c_str());
                else
                    feature.SetField(k, *dv);
            } else if (const auto* sv = std::get_if<std::string>(&v)) {
                feature.SetField(k, sv->c_str());
            }
        }
        if (!geoms.empty()) {
            auto g = to_ogr(geoms[i], gtype);
            if (g) {
                if (srs) g->assignSpatialReference(srs.get());
                feature.SetGeometryDirectly(g.release());
            }
        }
        if (out->CreateFeature(&feature) != OGRERR_NONE) {
            ErrorContext c;
            c.file = path;
            c.feature = i;
            if (!layer.ids.empty()) c.feature_id = layer.ids[i];
            throw InputError(c, "cannot write the feature" + gdal_message());
        }
    }
    if (transaction && ds->CommitTransaction() != OGRERR_NONE)
        throw file_error(path, "cannot write the features" + gdal_message());
}

/// QGIS's `layer_styles` table (as QGIS creates it in a GeoPackage) with one row per style.
void write_layer_styles(GDALDataset* ds, const std::vector<LayerStyle>& styles, const std::string& path) {
    char** lco = CSLSetNameValue(nullptr, "FID", "id");
    OGRLayer* out = ds->CreateLayer("layer_styles", nullptr, wkbNone, lco);
    CSLDestroy(lco);
    if (!out) throw file_error(path, "cannot create the layer_styles table" + gdal_message());
    struct Def {
        const char* name;
        OGRFieldType type;
        OGRFieldSubType sub;
        int width;
    };
    const Def defs[] = {{"f_table_catalog", OFTString, OFSTNone, 256}, {"f_table_schema", OFTString, OFSTNone, 256},
                        {"f_table_name", OFTString, OFSTNone, 256},    {"f_geometry_column", OFTString, OFSTNone, 256},
                        {"styleName", OFTString, OFSTNone, 30},        {"styleQML", OFTString, OFSTNone, 0},
                        {"styleSLD", OFTString, OFSTNone, 0},          {"useAsDefault", OFTInteger, OFSTBoolean, 0},
                        {"description", OFTString, OFSTNone, 0},       {"owner", OFTString, OFSTNone, 30},
                        {"ui", OFTString, OFSTNone, 30},               {"update_time", OFTDateTime, OFSTNone, 0}};
    for (const Def& d : defs) {
        OGRFieldDefn def(d.name, d.type);
        def.SetSubType(d.sub);
        def.SetWidth(d.width);
        if (out->CreateField(&def) != OGRERR_NONE)
            throw file_error(path, std::string("cannot create field layer_styles.") + d.name + gdal_message());
    }
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    for (const LayerStyle& s : styles) {
        OGRFeature f(out->GetLayerDefn());
        f.SetField("f_table_catalog", "");
        f.SetField("f_table_schema", "");
        f.SetField("f_table_name", s.table.c_str());
        f.SetField("f_geometry_column", s.geometry_column.c_str());
        f.SetField("styleName", s.name.c_str());
        f.SetField("styleQML", s.qml.c_str());
        f.SetField("styleSLD", s.sld.c_str());
        f.SetField("useAsDefault", s.use_as_default ? 1 : 0);
        f.SetField("description", s.description.c_str());
        f.SetField("owner", "");
        f.SetFieldNull(f.GetFieldIndex("ui"));
        f.SetField(f.GetFieldIndex("update_time"), tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                   static_cast<float>(tm.tm_sec), 100);
        if (out->CreateFeature(&f) != OGRERR_NONE)
            throw file_error(path, "cannot write the style of " + s.table + gdal_message());
    }
}

}  // namespace

void write_layer(const Layer& layer, const std::string& path, const WriteOptions& options, const Progress& progress) {
    const VectorFormat format = options.format == VectorFormat::Auto ? vector_format_for(path) : options.format;
    const bool geojson = format == VectorFormat::GeoJSON;
    const bool use_display = geojson || options.geometry == GeometrySource::Display;
    check_layer(layer, use_display ? layer.display : layer.metric, path);

    init_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(geojson ? "GeoJSON" : "GPKG");
    if (!driver) throw file_error(path, std::string("GDAL has no ") + (geojson ? "GeoJSON" : "GPKG") + " driver");

    AtomicFile file(path, AtomicFile::Kind::Named);
    CPLErrorReset();
    {
        std::unique_ptr<GDALDataset, DatasetCloser> ds(driver->Create(file.temp_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw file_error(path, "cannot create the file" + gdal_message());
        write_ogr_layer(ds.get(), layer, options, geojson, path, progress);
        ds->FlushCache();
        if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "cannot write the file" + gdal_message());
    }
    if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "cannot write the file" + gdal_message());
    file.commit();
    progress.report(1.0, "writing");
}

void write_geopackage(AtomicFile& file, const std::vector<GpkgLayer>& layers, const std::vector<LayerStyle>& styles,
                      const Progress& progress) {
    const std::string& path = file.path();
    for (const GpkgLayer& l : layers) {
        if (!l.layer) throw file_error(path, "no layer to write");
        check_layer(*l.layer, l.options.geometry == GeometrySource::Display ? l.layer->display : l.layer->metric, path);
    }
    init_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw file_error(path, "GDAL has no GPKG driver");
    CPLErrorReset();
    {
        std::unique_ptr<GDALDataset, DatasetCloser> ds(driver->Create(file.temp_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw file_error(path, "cannot create the file" + gdal_message());
        for (const GpkgLayer& l : layers) write_ogr_layer(ds.get(), *l.layer, l.options, false, path, progress);
        if (!styles.empty()) write_layer_styles(ds.get(), styles, path);
        ds->FlushCache();
        if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "cannot write the file" + gdal_message());
    }
    if (CPLGetLastErrorType() >= CE_Failure) throw file_error(path, "cannot write the file" + gdal_message());
}

void write_geopackage(const std::string& path, const std::vector<GpkgLayer>& layers,
                      const std::vector<LayerStyle>& styles, const Progress& progress) {
    AtomicFile file(path, AtomicFile::Kind::Named);
    write_geopackage(file, layers, styles, progress);
    file.commit();
}

}  // namespace hq
