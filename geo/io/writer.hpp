#pragma once
// Writing a hq::Layer to GeoJSON (RFC 7946, WGS 84 lon/lat) or GeoPackage through GDAL/OGR,
// atomically; AtomicFile and AtomicFolder below are the only way huqian writes files.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <memory>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/crs/crs.hpp"
#include "geo/io/layer.hpp"

namespace hq {

enum class VectorFormat : std::uint8_t { Auto, GeoJSON, GeoPackage };
enum class GeometrySource : std::uint8_t { Display, Metric };

struct WriteOptions {
    VectorFormat format = VectorFormat::Auto;  ///< Auto: from the extension (.geojson/.json, .gpkg)
    /// GeoPackage only: write `layer.metric` (in `metric_crs`) or `layer.display` (WGS 84, or
    /// no CRS when the layer is planar). GeoJSON always writes `display`.
    GeometrySource geometry = GeometrySource::Metric;
    Crs metric_crs;          ///< CRS of layer.metric; unknown = written without a CRS
    std::string layer_name;  ///< "" = the table's name, else the file's stem
    /// The feature ids are written as a String column of this name unless the table already
    /// has a column so named ("" = never).
    std::string id_field = "id";
};

/// Writes the layer: fields typed Integer64, Real, String, Date (ISO "YYYY-MM-DD" strings);
/// non-finite reals are written as null. Throws InputError naming `path` (and feature and
/// field where it applies) on failure, leaving no partial file; hq::Cancelled when cancelled.
void write_layer(const Layer& layer, const std::string& path, const WriteOptions& options = {},
                 const Progress& progress = {});

class AtomicFile;

/// A row of QGIS's `layer_styles` table in a GeoPackage (the table QGIS reads when it opens
/// a layer: the useAsDefault style of the layer's table and geometry column is applied).
struct LayerStyle {
    std::string table;                     ///< f_table_name: the styled layer
    std::string geometry_column = "geom";  ///< f_geometry_column (GDAL's GeoPackage default)
    std::string name;                      ///< styleName
    std::string qml;                       ///< styleQML: a QGIS style document
    std::string sld;                       ///< styleSLD: the same classes as OGC SLD 1.1
    std::string description;
    bool use_as_default = true;
};

/// One layer of a multi-layer GeoPackage and how to write it.
struct GpkgLayer {
    const Layer* layer = nullptr;
    WriteOptions options;  ///< layer_name names the table
};

/// Writes the layers and a `layer_styles` table (when `styles` is not empty) into one new
/// GeoPackage, whole or not at all (an AtomicFile of kind Named).
void write_geopackage(const std::string& path, const std::vector<GpkgLayer>& layers,
                      const std::vector<LayerStyle>& styles = {}, const Progress& progress = {});
/// The same into `file` (kind Named), left uncommitted: for outputs of several files
/// committed together (AtomicFileGroup).
void write_geopackage(AtomicFile& file, const std::vector<GpkgLayer>& layers,
                      const std::vector<LayerStyle>& styles = {}, const Progress& progress = {});

/// Writes `bytes` to `path` through an AtomicFile (never a half file); throws InputError
/// naming the path: folder missing, not writable, read-only, or disk full.
void write_file_atomic(const std::string& path, std::string_view bytes);

/// The format `path`'s extension implies; throws InputError for an unknown extension.
VectorFormat vector_format_for(const std::string& path);

// [SECTION] The one way huqian writes a file (docs/export.md, "How files are written")

/// Names of our temporaries start with this, then "HOST-PID-RANDOM-": HOST is a hash of
/// the host name, PID the writer's process id, RANDOM 48 random bits.
inline constexpr const char* kTempPrefix = ".huqian-tmp-";

/// One output file. The temporary lives in the target's folder under an unpredictable name
/// marked as ours; it is created with O_CREAT|O_EXCL|O_NOFOLLOW (a planted file or symlink is
/// never opened), written, fsynced, renamed over the target, then the folder is fsynced.
/// Destroyed without commit(): the temporary is removed and the old target is untouched.
/// Creating one first removes stale temporaries of ours from the folder.
class AtomicFile {
public:
    enum class Kind : std::uint8_t {
        Stream,  ///< we write the bytes: write()
        Named,   ///< a library (GDAL, SQLite) writes temp_path() by name: it is a file inside a
                 ///< private folder (mode 0700, made like the temporary file), moved out on commit
    };
    explicit AtomicFile(std::string path, Kind kind = Kind::Stream);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    [[nodiscard]] const std::string& temp_path() const { return m_temp; }
    [[nodiscard]] const std::string& path() const { return m_path; }
    /// Stream only: appends; throws InputError naming the target (e.g. "the disk is full").
    void write(std::string_view bytes);
    /// fsync, rename over the target, fsync the folder; throws InputError naming the target.
    void commit() { commit_as(m_path); }
    /// The same to another file of the same folder (a save that found a conflict keeps its
    /// version beside the target).
    void commit_as(const std::string& target);
    /// Removes the temporary (and its private folder) now.
    void discard() noexcept;

private:
    std::string m_path;
    std::string m_temp;
    std::string m_private_dir;  ///< Named: the folder holding m_temp
    int m_fd = -1;              ///< Stream: the temporary's descriptor
    bool m_done = false;
};

/// A multi-file output (a report pack) written as a whole: the files are written into
/// temp_path(), a private folder made beside `dir` like AtomicFile's temporaries, which
/// commit() renames into place. An existing `dir` is replaced only when it is empty or
/// holds `marker` (a previous output of the same kind): it is exchanged atomically with
/// the new folder (renameat2 RENAME_EXCHANGE; where the file system lacks it, the old folder
/// is renamed aside first) and then removed, so `dir` is never a mix. Any other existing
/// folder is refused (InputError), so a pack never deletes someone's files.
class AtomicFolder {
public:
    AtomicFolder(std::string dir, std::string marker);
    ~AtomicFolder();
    AtomicFolder(const AtomicFolder&) = delete;
    AtomicFolder& operator=(const AtomicFolder&) = delete;

    [[nodiscard]] const std::string& temp_path() const { return m_temp; }
    [[nodiscard]] const std::string& path() const { return m_path; }
    /// Writes the marker, fsyncs the folder, swaps it into place, fsyncs the parent.
    void commit();
    void discard() noexcept;

private:
    std::string m_path;
    std::string m_marker;
    std::string m_temp;
    bool m_done = false;
};

/// Several files beside each other that belong together (a GeoPackage, a GeoTIFF and its
/// QGIS style sidecar): each is written to its own temporary; commit() renames them all at
/// the end, after every file was written (none is renamed when any write failed).
class AtomicFileGroup {
public:
    AtomicFile& add(const std::string& path, AtomicFile::Kind kind = AtomicFile::Kind::Stream) {
        m_files.push_back(std::make_unique<AtomicFile>(path, kind));
        return *m_files.back();
    }
    void commit() {
        for (auto& f : m_files) f->commit();
    }

private:
    std::vector<std::unique_ptr<AtomicFile>> m_files;
};

/// Removes stale temporaries of ours from `dir`: entries named kTempPrefix... that are
/// regular files or folders owned by this user (never symlinks, never others' files), whose
/// writer is gone (same host, no such process) or that are older than a day. Returns how many
/// it removed. Never throws.
std::size_t remove_stale_temporaries(const std::string& dir) noexcept;

}  // namespace hq
