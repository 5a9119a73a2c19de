// [SECTION] index
//   Roles
//   Georeferencing
//   Manifest

#include "geo/project/project.hpp"

#include <cpl_error.h>
#include <cpl_json.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/crs/web_datum.hpp"
#include "geo/core/text.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/project/gpkg_project.hpp"
#include "geo/project/district.hpp"
#include "geo/io/postgis.hpp"
#include "geo/io/reader_load.hpp"

namespace hq {

namespace fs = std::filesystem;

// [SECTION] Roles ----------------------------------------------------------------------

const char* role_name(Role r) {
    switch (r) {
        case Role::Boundary: return "boundary";
        case Role::Units: return "units";
        case Role::Buildings: return "buildings";
        case Role::Venues: return "venues";
        case Role::Projects: return "projects";
        case Role::Streets: return "streets";
        case Role::Zones: return "zones";
    }
    return "?";
}

std::optional<Role> role_from_name(const std::string& s) {
    for (Role r : all_roles)
        if (s == role_name(r)) return r;
    return std::nullopt;
}

namespace {

GeomType expected_type(Role r) {
    switch (r) {
        case Role::Venues: return GeomType::Point;
        case Role::Streets: return GeomType::LineString;
        default: return GeomType::Polygon;
    }
}

const char* expected_type_text(Role r) {
    if (r == Role::Units) return "polygons (or points: households geocoded as points)";
    switch (expected_type(r)) {
        case GeomType::Point: return "points";
        case GeomType::LineString: return "lines";
        default: return "polygons";
    }
}

/// A layer as read fits its role: it has features, every feature has a geometry (a null,
/// empty, 1-D or unreadable one would leave the map and the areas but stay in the indices),
/// and the geometry type is the role's.
void check_layer(const Layer& l, Role role) {
    if (l.size() == 0) throw InputError(ErrorContext{l.path(), role_name(role)}, "layer has no features");
    for (std::size_t i = 0; i < l.size(); ++i)
        if (i >= l.display.size() || l.display[i].empty())
            throw InputError(ErrorContext{l.path(), role_name(role), i, l.ids[i], {}},
                             std::string("has no geometry (null, empty, or coordinates that are not numbers); every "
                                         "feature of the ") +
                                 role_name(role) + " layer needs " + expected_type_text(role));
    // Units may be points (households geocoded as points): drawn as proportional symbols,
    // used as KDE points and by the indices.
    const bool point_units = role == Role::Units && l.geom_type == GeomType::Point;
    if (l.geom_type != GeomType::None && l.geom_type != expected_type(role) && !point_units)
        throw InputError(ErrorContext{l.path(), role_name(role)},
                         std::string("has ") + geom_type_name(l.geom_type) + " geometry, but the " + role_name(role) +
                             " role needs " + expected_type_text(role));
}

}  // namespace

Crs metric_crs_from(const std::string& text, const ErrorContext& where) {
    Crs c;
    try {
        c = Crs::from_user_input(text);
    } catch (const InputError& e) {
        throw InputError(where, e.bare_message());
    }
    if (const std::string why = c.metric_problem(); !why.empty()) throw InputError(where, why);
    return c;
}

const Layer* Project::layer(Role r) const {
    for (const auto& e : layers)
        if (e.role == r) return &e.layer;
    return nullptr;
}

Layer* Project::layer(Role r) {
    for (auto& e : layers)
        if (e.role == r) return &e.layer;
    return nullptr;
}

const Layer* Project::analysis_layer() const {
    if (const Layer* l = layer(Role::Units)) return l;
    if (const Layer* l = layer(Role::Buildings)) return l;
    return layers.empty() ? nullptr : &layers.front().layer;
}

// [SECTION] Georeferencing -----------------------------------------------------------

namespace {

bool in_lonlat_range(const Box& b) {
    return !b.empty() && b.minx >= -180.0 && b.maxx <= 180.0 && b.miny >= -90.0 && b.maxy <= 90.0;
}

Box layer_bounds(const std::vector<Geometry>& gs) {
    Box b;
    for (const auto& g : gs) b.expand(g.bounds());
    return b;
}

/// First feature with a vertex outside lon/lat range, for the error message.
std::size_t first_outside(const Layer& l, Vec2& where) {
    for (std::size_t i = 0; i < l.display.size(); ++i) {
        bool bad = false;
        l.display[i].for_each_vertex([&](const Vec2& p) {
            if (!bad && (p.x < -180 || p.x > 180 || p.y < -90 || p.y > 90)) {
                bad = true;
                where = p;
            }
        });
        if (bad) return i;
    }
    return l.display.size();
}

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

/// Decides geographic vs planar for a layer without a CRS, and makes `display` WGS 84.
/// Transforms every geometry of `gs` from `from` to `to` in parallel parts (an OGR
/// transformation is not shared between threads: one per part). A feature whose
/// coordinates cannot be transformed is reported by its index (the first one).
void transform_all(std::vector<Geometry>& gs, const Crs& from, const Crs& to, const Layer& l,
                   const std::string& what) {
    // One part per thread (creating a transformation costs a PROJ database lookup).
    const std::size_t parts =
        std::clamp<std::size_t>(gs.size() / 2048, 1, std::max<std::size_t>(1, default_thread_count()));
    const std::size_t per = (gs.size() + parts - 1) / parts;
    std::atomic<std::size_t> first_bad{gs.size()};
    try {
        (void)Transformer(from, to);  // no transformation at all: say so, naming the file
    } catch (const InputError& e) {
        throw InputError(ErrorContext{l.path()}, e.bare_message());
    }
    parallel_for(parts, [&](std::size_t b) {
        const Transformer t(from, to);
        const std::size_t end = std::min(gs.size(), (b + 1) * per);
        // Geometries in runs of up to kRun vertices, one transformation call per run (a call
        // per geometry, with its two coordinate arrays, cost more than PROJ's arithmetic for
        // 1M points); a run that fails is done again geometry by geometry to find the first
        // bad one, as before. Each vertex is transformed alone either way: the same numbers.
        constexpr std::size_t kRun = 1 << 14;
        std::vector<double> xs, ys;
        for (std::size_t i = b * per; i < end;) {
            xs.clear();
            ys.clear();
            std::size_t j = i;
            for (; j < end && (j == i || xs.size() + gs[j].vertex_count() <= kRun); ++j)
                gs[j].for_each_vertex([&](const Vec2& p) {
                    xs.push_back(p.x);
                    ys.push_back(p.y);
                });
            if (t.apply(xs.data(), ys.data(), xs.size())) {
                std::size_t v = 0;
                for (std::size_t k = i; k < j; ++k)
                    gs[k].for_each_vertex([&](Vec2& p) {
                        p.x = xs[v];
                        p.y = ys[v];
                        ++v;
                    });
                i = j;
                continue;
            }
            for (; i < j; ++i) {
                try {
                    t.apply(gs[i]);
                } catch (const InputError&) {
                    std::size_t cur = first_bad.load();
                    while (i < cur && !first_bad.compare_exchange_weak(cur, i)) {
                    }
                    return;
                }
            }
        }
    });
    const std::size_t i = first_bad.load();
    if (i < gs.size()) throw InputError(ErrorContext{l.path(), {}, i, l.ids[i], {}}, what);
}

/// True when coordinates in `a` are coordinates in `b` (the same EPSG code).
bool same_crs(const Crs& a, const Crs& b) { return a.epsg != 0 && a.epsg == b.epsg && a.known() && b.known(); }

void to_display(Layer& l, std::vector<std::string>& warnings) {
    l.metric.clear();
    if (l.display.empty()) return;
    const Box b = layer_bounds(l.display);
    if (!l.source_crs.known()) {
        if (b.empty() || in_lonlat_range(b)) {
            l.source_crs = Crs::wgs84();
            return;
        }
        // Clearly projected (values far beyond degrees): planar, measured as given.
        const double biggest = std::max({std::abs(b.minx), std::abs(b.maxx), std::abs(b.miny), std::abs(b.maxy)});
        if (biggest > 1000.0) {
            l.planar = true;
            warnings.push_back(l.path() + ": no CRS and coordinates are not lon/lat: treated as planar (units as given)");
            return;
        }
        Vec2 p;
        const std::size_t i = first_outside(l, p);
        throw InputError(ErrorContext{l.path(), {}, i, i < l.ids.size() ? l.ids[i] : "", {}},
                         "coordinate (" + fmt(p.x) + ", " + fmt(p.y) + ") is outside the lon/lat range");
    }
    if (l.source_crs.geographic) {
        if (l.source_crs.epsg != 4326)
            transform_all(l.display, l.source_crs, Crs::wgs84(), l, "coordinates cannot be transformed to WGS 84");
        Vec2 p;
        const std::size_t i = first_outside(l, p);
        if (i < l.display.size())
            throw InputError(ErrorContext{l.path(), {}, i, l.ids[i], {}},
                             "coordinate (" + fmt(p.x) + ", " + fmt(p.y) + ") is outside the lon/lat range");
        return;
    }
    // Projected: the source coordinates are kept (in `metric`, until to_metric) so that, when
    // the metric CRS is the source CRS (a UTM file, a saved project), they need no round trip.
    l.metric = l.display;
    transform_all(l.display, l.source_crs, Crs::wgs84(), l,
                  "coordinates cannot be transformed from " + l.source_crs.label() + " to WGS 84");
}

void repair(Layer& l, std::vector<std::string>& warnings) {
    if (l.geom_type != GeomType::Polygon) return;
    std::vector<Validity> v(l.display.size());
    parallel_for(l.display.size(), [&](std::size_t i) { v[i] = check_validity(l.display[i]); });
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i].valid) continue;
        Geometry fixed;
        try {
            fixed = make_valid(l.display[i]);
        } catch (const std::exception& e) {
            throw InputError(ErrorContext{l.path(), {}, i, l.ids[i], {}},
                             "invalid polygon that cannot be repaired (" + v[i].reason + ")");
        }
        if (fixed.empty() || !fixed.is_polygonal())
            throw InputError(ErrorContext{l.path(), {}, i, l.ids[i], {}},
                             "invalid polygon with no area left after repair (" + v[i].reason + ")");
        warnings.push_back(ErrorContext{l.path(), {}, i, l.ids[i], {}}.describe() + ": invalid polygon repaired (" +
                           v[i].reason + ")");
        l.display[i] = std::move(fixed);
        if (i < l.metric.size()) l.metric[i] = Geometry{};  // kept source coordinates: stale now
    }
}

void to_metric(Layer& l, const Crs& metric) {
    if (l.planar) {
        l.metric = l.display;
        return;
    }
    const std::string what = "coordinates cannot be transformed to the metric CRS " + metric.label();
    if (l.metric.size() == l.display.size() && same_crs(l.source_crs, metric)) {
        // The source coordinates are the metric ones; only repaired features (emptied by
        // repair) go through WGS 84.
        std::vector<std::size_t> redo;
        for (std::size_t i = 0; i < l.metric.size(); ++i)
            if (l.metric[i].empty() && !l.display[i].empty()) redo.push_back(i);
        if (!redo.empty()) {
            const Transformer t = [&] {
                try {
                    return Transformer(Crs::wgs84(), metric);
                } catch (const InputError& e) {
                    throw InputError(ErrorContext{l.path()}, e.bare_message());
                }
            }();
            for (std::size_t i : redo) {
                Geometry g = l.display[i];
                try {
                    t.apply(g);
                } catch (const InputError&) {
                    throw InputError(ErrorContext{l.path(), {}, i, l.ids[i], {}}, what);
                }
                l.metric[i] = std::move(g);
            }
        }
        return;
    }
    l.metric = l.display;
    transform_all(l.metric, Crs::wgs84(), metric, l, what);
}

/// Applies a layer's declared source coordinates ("source_crs" in a manifest, --source-crs
/// for a single file) before georeferencing: a CRS replaces the file's own (with a warning
/// when the file said otherwise); GCJ-02 or BD-09 mark the coordinates as shifted lon/lat,
/// returned so that `unshift` can bring them to WGS 84 after to_display.
WebDatum declare_source_crs(Layer& l, const std::string& text, const ErrorContext& where,
                            std::vector<std::string>& warnings) {
    if (text.empty()) return WebDatum::Wgs84;
    if (const auto d = web_datum_from_name(text)) {
        if (l.source_crs.known() && !l.source_crs.geographic)
            throw InputError(where, std::string(web_datum_name(*d)) + " coordinates are lon/lat, but the file's CRS is " +
                                        l.source_crs.label());
        l.source_crs = Crs::wgs84();
        return *d;
    }
    Crs c;
    try {
        c = Crs::from_user_input(text);
    } catch (const InputError& e) {
        throw InputError(where, e.bare_message() + "; or GCJ-02, BD-09");
    }
    if (l.source_crs.known() && !same_crs(l.source_crs, c) && l.source_crs.wkt != c.wkt)
        warnings.push_back(where.describe() + ": the file's CRS " + l.source_crs.label() + " is replaced by " +
                           c.label());
    l.source_crs = std::move(c);
    return WebDatum::Wgs84;
}

/// GCJ-02 / BD-09 display coordinates to WGS 84 (after to_display, before repair).
void unshift(Layer& l, WebDatum d) {
    if (d == WebDatum::Wgs84) return;
    parallel_for(l.display.size(), [&](std::size_t i) { web_datum_to_wgs84(d, l.display[i]); });
}

}  // namespace

Crs choose_metric_crs(const std::vector<const Layer*>& layers) {
    Box b;
    for (const Layer* l : layers)
        if (l && !l->planar) b.expand(layer_bounds(l->display));
    if (b.empty()) {
        ErrorContext where;
        for (const Layer* l : layers)
            if (l && where.file.empty()) where.file = l->path();
        throw InputError(where, "no geometry to choose a metric CRS from (every feature is empty)");
    }
    const Vec2 c = b.center();
    // A projected source CRS in metres that every layer shares (a CGCS2000 Gauss–Krüger
    // zone, UTM, a local grid) measures the data in its own coordinates, unless its
    // central meridian is so far away that it distorts lengths by more than 0.1 %.
    const Crs* shared = nullptr;
    bool all_same = true;
    for (const Layer* l : layers) {
        if (!l || l->planar) continue;
        const Crs& s = l->source_crs;
        if (!s.projected_in_metres() || (shared && !same_crs(*shared, s) && shared->wkt != s.wkt)) {
            all_same = false;
            break;
        }
        if (!shared) shared = &s;
    }
    if (all_same && shared && scale_error_at(*shared, c) <= kMaxScaleError) return *shared;
    return Crs::utm_for(c.x, c.y);
}

std::optional<std::string> metric_crs_scale_warning(const Crs& metric, const std::vector<const Layer*>& layers) {
    if (!metric.projected_in_metres()) return std::nullopt;
    Box b;
    for (const Layer* l : layers)
        if (l && !l->planar) b.expand(layer_bounds(l->display));
    if (b.empty()) return std::nullopt;
    const Vec2 c = b.center();
    const double k = scale_error_at(metric, c);
    if (k <= kMaxScaleError) return std::nullopt;
    char pct[64];
    std::snprintf(pct, sizeof pct, "%.2f %% (areas %.2f %%)", 100.0 * k, 100.0 * (2.0 * k + k * k));
    char at[64];
    std::snprintf(at, sizeof at, "%.3f°E, %.3f°N", c.x, c.y);
    const std::string use = suggested_metric_crs_text(c);
    return "metric CRS " + metric.label() + " is far from the data (" + at + "): it distorts lengths by " + pct +
           "; " + use + " / 度量坐标系 " + metric.label() + " 的中央经线离数据太远，长度误差 " + pct +
           "，请改用 " + use.substr(4);
}

void georeference_layer(Layer& layer, const Crs& metric, std::vector<std::string>& warnings) {
    to_display(layer, warnings);
    repair(layer, warnings);
    Crs m = metric;
    if (!m.known() && !layer.planar && layer.has_geometry()) m = choose_metric_crs({&layer});
    to_metric(layer, m);
}

// [SECTION] Manifest -------------------------------------------------------------------

namespace {

struct LayerSpec {
    Role role;
    std::string path, layer, id, encoding;
    std::string source_crs;  ///< "GCJ-02", "BD-09" or a CRS that replaces the file's own
    std::string join_table, join_sheet, join_key, join_table_key;
};

std::string str(const CPLJSONObject& o, const std::string& key) {
    const CPLJSONObject v = o.GetObj(key);
    if (!v.IsValid()) return {};
    return v.ToString();
}

[[noreturn]] void manifest_error(const std::string& file, const std::string& key, const std::string& msg) {
    ErrorContext c;
    c.file = file;
    c.field = key;
    throw InputError(c, msg);
}

/// "unit_noun": {"zh": "网格", "en": "grid cell", "en_plural": "grid cells"}, "group_noun":
/// {"zh": "群体", "en": "group"}; a missing language keeps the default.
void read_nouns(Project& p, const CPLJSONObject& root) {
    if (const std::string zh = str(root, "unit_noun/zh"); !zh.empty()) p.unit_noun_zh = zh;
    if (const std::string en = str(root, "unit_noun/en"); !en.empty()) {
        p.unit_noun_en = en;
        p.unit_noun_en_plural = en + "s";
    }
    if (const std::string pl = str(root, "unit_noun/en_plural"); !pl.empty()) p.unit_noun_en_plural = pl;
    if (const std::string zh = str(root, "group_noun/zh"); !zh.empty()) p.group_noun_zh = zh;
    if (const std::string en = str(root, "group_noun/en"); !en.empty()) p.group_noun_en = en;
}

/// A file named by the manifest: a local path relative to the project folder that stays inside
/// it (after "..", and after symbolic links). A URL, a GDAL virtual path (/vsicurl/...), an
/// absolute path or a way out of the folder is refused, naming the manifest key.
fs::path project_file(const fs::path& dir, const std::string& rel, const std::string& manifest, const std::string& key) {
    if (is_remote_path(rel))
        manifest_error(manifest, key, "\"" + rel + "\" is a URL or a virtual path: huqian opens only local files inside the project folder");
    const fs::path r(rel);
    if (r.is_absolute() || r.has_root_name())
        manifest_error(manifest, key, "\"" + rel + "\" is an absolute path: paths are relative to the project folder");
    const fs::path norm = r.lexically_normal();
    if (norm.empty() || *norm.begin() == "..")
        manifest_error(manifest, key, "\"" + rel + "\" points outside the project folder");
    const fs::path full = dir / norm;
    std::error_code e1, e2;
    const fs::path real = fs::weakly_canonical(full, e1), root = fs::weakly_canonical(dir, e2);
    if (!e1 && !e2) {
        const fs::path inside = real.lexically_relative(root);
        if (inside.empty() || *inside.begin() == "..")
            manifest_error(manifest, key, "\"" + rel + "\" leads (through a symbolic link) outside the project folder");
    }
    return full;
}

std::string require_string(const CPLJSONObject& o, const std::string& key, const std::string& file,
                           const std::string& where) {
    const CPLJSONObject v = o.GetObj(key);
    if (!v.IsValid()) manifest_error(file, where + key, "is required");
    if (v.GetType() != CPLJSONObject::Type::String) manifest_error(file, where + key, "must be a string");
    return v.ToString();
}

void apply_join(Layer& layer, const LayerSpec& spec, const fs::path& root, const std::string& manifest,
                std::vector<std::string>& warnings, const std::string& encoding) {
    const std::string table_path =
        project_file(root, spec.join_table, manifest, std::string("layers.") + role_name(spec.role) + ".join.table").string();
    ReadOptions ro;
    ro.layer = spec.join_sheet;
    ro.encoding = encoding;
    ro.display_name = table_path;
    Table t = read_table(table_path, ro);
    const std::string tkey = spec.join_table_key.empty() ? spec.join_key : spec.join_table_key;
    const int lk = layer.table.field_index(spec.join_key);
    if (lk < 0) {
        ErrorContext c{layer.path(), {}, {}, {}, spec.join_key};
        throw InputError(c, "join key column not found (named in " + manifest + ")");
    }
    const int tk = t.field_index(tkey);
    if (tk < 0) throw InputError(ErrorContext{table_path, t.name, {}, {}, tkey}, "join key column not found");

    std::unordered_map<std::string, std::size_t> table_rows;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const std::string k = value_to_string(t.rows[i][static_cast<std::size_t>(tk)]);
        if (k.empty()) continue;
        if (auto [it, ok] = table_rows.emplace(k, i); !ok)
            throw InputError(ErrorContext{table_path, t.name, i, k, tkey},
                             "duplicate join key (also in row " + std::to_string(it->second) + ")");
    }
    // Columns to add: every table column except the key; a name clash is an error.
    std::vector<std::pair<std::size_t, std::size_t>> columns;  // table col -> layer col
    for (std::size_t j = 0; j < t.fields.size(); ++j) {
        if (static_cast<int>(j) == tk) continue;
        if (layer.table.field_index(t.fields[j].name) >= 0)
            throw InputError(ErrorContext{table_path, t.name, {}, {}, t.fields[j].name},
                             "column also exists in " + layer.path() + " (rename one of them)");
        columns.emplace_back(j, layer.table.add_field(t.fields[j]));
    }
    std::set<std::string> matched;
    std::vector<std::string> unmatched_layer;
    for (std::size_t i = 0; i < layer.table.rows.size(); ++i) {
        const std::string k = value_to_string(layer.table.rows[i][static_cast<std::size_t>(lk)]);
        auto it = table_rows.find(k);
        if (it == table_rows.end()) {
            unmatched_layer.push_back(k);
            continue;
        }
        matched.insert(k);
        for (auto [tj, lj] : columns) layer.table.rows[i][lj] = t.rows[it->second][tj];
    }
    std::vector<std::string> unmatched_table;
    for (const auto& [k, i] : table_rows)
        if (!matched.count(k)) unmatched_table.push_back(k);
    std::sort(unmatched_table.begin(), unmatched_table.end());
    auto list = [](const std::vector<std::string>& v) {
        std::string s;
        for (std::size_t i = 0; i < v.size() && i < 20; ++i) s += (i ? ", " : "") + v[i];
        if (v.size() > 20) s += ", ... (" + std::to_string(v.size()) + " in all)";
        return s;
    };
    if (!unmatched_layer.empty())
        warnings.push_back(layer.path() + ": join with " + spec.join_table + ": " + std::to_string(unmatched_layer.size()) +
                           " feature key(s) match no table row: " + list(unmatched_layer));
    if (!unmatched_table.empty())
        warnings.push_back(spec.join_table + ": join with " + layer.path() + ": " + std::to_string(unmatched_table.size()) +
                           " table key(s) match no feature: " + list(unmatched_table));
}

const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                          "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

bool is_colour(const std::string& s) {
    if (s.size() != 7 || s[0] != '#') return false;
    return std::all_of(s.begin() + 1, s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

void check_groups(Project& p) {
    for (const std::string& role : p.count_roles) {
        const Layer* l = p.layer(*role_from_name(role));
        if (!l) continue;
        std::vector<double> total(l->size(), 0.0);
        for (const auto& g : p.groups) {
            const auto c = read_counts(*l, g.column);
            for (std::size_t i = 0; i < c.size(); ++i) total[i] += c[i];
            if (!g.registered_column.empty() && !g.temporary_column.empty()) {
                const auto r = read_counts(*l, g.registered_column);
                const auto t = read_counts(*l, g.temporary_column);
                for (std::size_t i = 0; i < c.size(); ++i)
                    if (r[i] + t[i] != c[i])
                        throw InputError(ErrorContext{l->path(), {}, i, l->ids[i], g.column},
                                         "is not the sum of " + g.registered_column + " and " + g.temporary_column);
            } else if (!g.registered_column.empty()) {
                (void)read_counts(*l, g.registered_column);
            } else if (!g.temporary_column.empty()) {
                (void)read_counts(*l, g.temporary_column);
            }
        }
        if (p.groups.empty()) continue;
        std::vector<std::string> empty;
        for (std::size_t i = 0; i < total.size(); ++i)
            if (total[i] == 0) empty.push_back(l->ids[i]);
        if (!empty.empty()) {
            std::string s;
            for (std::size_t i = 0; i < empty.size() && i < 20; ++i) s += (i ? ", " : "") + empty[i];
            if (empty.size() > 20) s += ", ...";
            p.warnings.push_back(l->path() + ": " + std::to_string(empty.size()) + " unit(s) with zero population: " + s);
        }
    }
}

Project load_manifest(const fs::path& dir, const LoadOptions& opts, const Progress& progress) {
    const fs::path mpath = dir / "project.json";
    const std::string mname = mpath.string();
    std::error_code ec;
    if (!fs::exists(mpath, ec)) throw InputError(ErrorContext{dir.string()}, "folder has no project.json manifest");
    check_local_file(mname);
    CPLJSONDocument doc;
    if (fs::file_size(mpath, ec) == 0) throw InputError(ErrorContext{mname}, "file is empty");
    if (!doc.Load(mname)) {
        throw InputError(ErrorContext{mname}, "not valid JSON (" + one_line(CPLGetLastErrorMsg()) + ")");
    }
    const CPLJSONObject root = doc.GetRoot();
    if (root.GetType() != CPLJSONObject::Type::Object) throw InputError(ErrorContext{mname}, "not a JSON object");
    {
        // The version is a JSON integer: 1.5, true or "1" are not versions.
        const CPLJSONObject v = root.GetObj("huqian_manifest");
        const bool integer = v.IsValid() && (v.GetType() == CPLJSONObject::Type::Integer ||
                                             v.GetType() == CPLJSONObject::Type::Long);
        if (!integer || v.ToLong() != 1)
            manifest_error(mname, "huqian_manifest",
                           "must be the integer 1 (the manifest format version), not " +
                               (v.IsValid() ? v.Format(CPLJSONObject::PrettyFormat::Plain) : std::string("missing")));
    }

    Project p;
    p.path = dir.string();
    p.name_zh = str(root, "name/zh");
    p.name_en = str(root, "name/en");
    if (p.name_en.empty()) p.name_en = dir.filename().string();
    if (p.name_zh.empty()) p.name_zh = p.name_en;
    p.illustrative = root.GetBool("illustrative", false);
    p.source_zh = str(root, "source/zh");
    p.source_en = str(root, "source/en");
    read_nouns(p, root);
    if (const std::string b = str(root, "basemap"); !b.empty()) p.basemap = project_file(dir, b, mname, "basemap").string();

    const CPLJSONObject layers = root.GetObj("layers");
    if (!layers.IsValid() || layers.GetType() != CPLJSONObject::Type::Object || layers.GetChildren().empty())
        manifest_error(mname, "layers", "must name at least one layer");
    std::vector<LayerSpec> specs;
    for (const CPLJSONObject& child : layers.GetChildren()) {
        const auto role = role_from_name(child.GetName());
        if (!role)
            manifest_error(mname, "layers." + child.GetName(),
                           "unknown role (roles: boundary, units, buildings, venues, projects, streets, zones)");
        LayerSpec s;
        s.role = *role;
        const std::string where = "layers." + child.GetName() + ".";
        s.path = require_string(child, "path", mname, where);
        s.layer = str(child, "layer");
        s.id = str(child, "id");
        s.encoding = str(child, "encoding");
        s.source_crs = str(child, "source_crs");
        const CPLJSONObject join = child.GetObj("join");
        if (join.IsValid()) {
            s.join_table = require_string(join, "table", mname, where + "join.");
            s.join_key = require_string(join, "key", mname, where + "join.");
            s.join_sheet = str(join, "sheet");
            s.join_table_key = str(join, "table_key");
        }
        specs.push_back(std::move(s));
    }

    const CPLJSONArray roles = root.GetArray("count_roles");
    if (roles.IsValid()) {
        for (int i = 0; i < roles.Size(); ++i) {
            const std::string r = roles[i].ToString();
            if (!role_from_name(r)) manifest_error(mname, "count_roles", "unknown role \"" + r + "\"");
            p.count_roles.push_back(r);
        }
    } else {
        p.count_roles = {"units"};
    }

    const CPLJSONArray groups = root.GetArray("groups");
    if (root.GetObj("groups").IsValid() && !groups.IsValid()) manifest_error(mname, "groups", "must be an array");
    std::set<std::string> group_cols;
    for (int i = 0; groups.IsValid() && i < groups.Size(); ++i) {
        const CPLJSONObject g = groups[i];
        const std::string where = "groups[" + std::to_string(i) + "].";
        GroupDef d;
        d.column = require_string(g, "column", mname, where);
        if (!group_cols.insert(d.column).second) manifest_error(mname, where + "column", "group column listed twice");
        d.registered_column = str(g, "registered");
        d.temporary_column = str(g, "temporary");
        d.name_zh = str(g, "zh");
        d.name_en = str(g, "en");
        if (d.name_en.empty()) d.name_en = d.column;
        if (d.name_zh.empty()) d.name_zh = d.name_en;
        d.color = str(g, "color");
        if (d.color.empty()) d.color = default_group_colour(static_cast<std::size_t>(i));
        if (!is_colour(d.color)) manifest_error(mname, where + "color", "must be #rrggbb");
        p.groups.push_back(std::move(d));
    }

    // Read every layer in its source CRS.
    std::vector<WebDatum> datums;
    for (std::size_t k = 0; k < specs.size(); ++k) {
        progress.check();
        progress.report(0.6 * static_cast<double>(k) / static_cast<double>(specs.size()), "reading layers");
        const LayerSpec& s = specs[k];
        ReadOptions ro;
        ro.layer = s.layer;
        ro.id_field = s.id;
        ro.encoding = opts.encoding.empty() ? s.encoding : opts.encoding;
        const std::string key = std::string("layers.") + role_name(s.role) + ".path";
        // A table of a PostGIS database the user named on the command line (geo/io/postgis.hpp).
        const bool database = pg::is_pg_source(s.path);
        if (database) {
            ro.display_name = pg::redact(s.path);
            pg::check_allowed(s.path, mname + ": " + key);
        }
        const fs::path file = database ? fs::path(s.path) : project_file(dir, s.path, mname, key);
        if (!database) ro.display_name = file.string();
        std::error_code ec2;
        if (!database && !fs::exists(file, ec2))
            throw InputError(ErrorContext{mname, {}, {}, {}, key}, "names a missing file: " + s.path);
        Layer l = detail::read_layer_display_only(database ? s.path : file.string(), ro);  // to_display fills metric
        check_layer(l, s.role);
        if (!s.join_table.empty()) apply_join(l, s, dir, mname, p.warnings, ro.encoding);
        const bool own = !s.source_crs.empty();
        datums.push_back(declare_source_crs(
            l, own ? s.source_crs : opts.source_crs,
            own ? ErrorContext{mname, {}, {}, {}, std::string("layers.") + role_name(s.role) + ".source_crs"}
                : ErrorContext{ro.display_name, {}, {}, {}, "--source-crs"},
            p.warnings));
        p.layers.push_back({s.role, std::move(l)});
    }

    progress.report(0.7, "georeferencing");
    for (std::size_t k = 0; k < p.layers.size(); ++k) {
        to_display(p.layers[k].layer, p.warnings);
        unshift(p.layers[k].layer, datums[k]);
        repair(p.layers[k].layer, p.warnings);
    }
    const bool any_planar = std::any_of(p.layers.begin(), p.layers.end(), [](const auto& e) { return e.layer.planar; });
    const bool all_planar = std::all_of(p.layers.begin(), p.layers.end(), [](const auto& e) { return e.layer.planar; });
    if (any_planar && !all_planar)
        throw InputError(ErrorContext{mname}, "some layers have a CRS and some have none: give every file a CRS");
    p.planar = all_planar;
    std::vector<const Layer*> ls;
    for (const auto& e : p.layers) ls.push_back(&e.layer);
    if (!p.planar) {
        const std::string crs_text = !opts.crs.empty() ? opts.crs : str(root, "crs");
        if (!crs_text.empty()) {
            p.metric_crs = metric_crs_from(crs_text, !opts.crs.empty() ? ErrorContext{"--crs"}
                                                                       : ErrorContext{mname, {}, {}, {}, "crs"});
            if (auto w = metric_crs_scale_warning(p.metric_crs, ls)) p.warnings.push_back(mname + ": " + *w);
        } else {
            p.metric_crs = choose_metric_crs(ls);
        }
    }
    for (auto& e : p.layers) to_metric(e.layer, p.metric_crs);
    progress.report(0.9, "checking counts");
    check_project(p, mname);
    progress.report(1.0);
    return p;
}

}  // namespace

std::string default_group_colour(std::size_t i) { return kPalette[i % std::size(kPalette)]; }

void check_project(Project& p, const std::string& manifest) {
    for (const auto& e : p.layers) check_layer(e.layer, e.role);
    for (std::size_t a = 0; a < p.layers.size(); ++a)
        for (std::size_t b = a + 1; b < p.layers.size(); ++b)
            if (p.layers[a].role == p.layers[b].role)
                manifest_error(manifest, "layers", std::string("role ") + role_name(p.layers[a].role) + " given twice");
    for (const std::string& r : p.count_roles)
        if (!role_from_name(r)) manifest_error(manifest, "count_roles", "unknown role \"" + r + "\"");
    std::set<std::string> columns;
    for (std::size_t i = 0; i < p.groups.size(); ++i) {
        const std::string where = "groups[" + std::to_string(i) + "].";
        if (p.groups[i].column.empty()) manifest_error(manifest, where + "column", "is required");
        if (!columns.insert(p.groups[i].column).second)
            manifest_error(manifest, where + "column", "group column listed twice");
        if (!is_colour(p.groups[i].color)) manifest_error(manifest, where + "color", "must be #rrggbb");
    }
    if (p.planar) {
        if (p.metric_crs.known()) manifest_error(manifest, "crs", "a planar project has no CRS");
    } else {
        if (!p.metric_crs.known()) manifest_error(manifest, "crs", "is missing (a project with lon/lat data needs its metric CRS)");
        if (const std::string why = p.metric_crs.metric_problem(); !why.empty()) manifest_error(manifest, "crs", why);
    }
    check_groups(p);
}

namespace {

Project load_project_unguarded(const std::string& path, const LoadOptions& opts, const Progress& progress) {
    std::error_code ec;
    const bool database = pg::is_pg_source(path);
    if (!opts.community.empty()) {
        if (!database)
            throw InputError(ErrorContext{path}, "--community opens a community of a district database: give a PG: "
                                                 "connection string (docs/postgis.md)");
        return district::open_community(path, opts.community, progress).project;
    }
    const fs::path fp(database ? fs::path() : fs::path(path));
    if (fs::is_directory(fp, ec)) return load_manifest(fp, opts, progress);
    if (fp.filename() == "project.json") return load_manifest(fp.parent_path().empty() ? fs::path(".") : fp.parent_path(), opts, progress);
    // A huqian project saved as one GeoPackage (a plain GeoPackage is read as a layer file).
    if (fp.extension() == ".gpkg" && is_gpkg_project(path)) return load_gpkg_project(path, progress);

    Project p;
    p.path = database ? pg::redact(path) : path;  // never a password in a message or a saved project
    p.name_en = database ? (opts.layer.empty() ? std::string("PostGIS") : opts.layer) : fp.stem().string();
    p.name_zh = p.name_en;
    ReadOptions ro;
    ro.layer = opts.layer;
    ro.encoding = opts.encoding;
    Layer l = detail::read_layer_display_only(path, ro);  // to_display fills Layer::metric
    if (l.size() == 0) throw InputError(ErrorContext{p.path}, "layer has no features");
    Role role = Role::Units;
    if (l.geom_type == GeomType::Point) role = Role::Venues;
    if (l.geom_type == GeomType::LineString) role = Role::Streets;
    check_layer(l, role);
    const WebDatum datum = declare_source_crs(l, opts.source_crs, ErrorContext{path, {}, {}, {}, "--source-crs"}, p.warnings);
    to_display(l, p.warnings);
    unshift(l, datum);
    repair(l, p.warnings);
    p.planar = l.planar;
    if (!p.planar) {
        if (!opts.crs.empty()) {
            p.metric_crs = metric_crs_from(opts.crs, ErrorContext{"--crs"});
            if (auto w = metric_crs_scale_warning(p.metric_crs, {&l})) p.warnings.push_back(path + ": " + *w);
        } else if (l.has_geometry()) {
            p.metric_crs = choose_metric_crs({&l});
        }
    }
    if (l.has_geometry()) to_metric(l, p.metric_crs);
    p.count_roles = {role_name(role)};
    p.layers.push_back({role, std::move(l)});
    return p;
}

}  // namespace

Project load_project(const std::string& path, const LoadOptions& opts, const Progress& progress) {
    init_gdal();
    try {
        return load_project_unguarded(path, opts, progress);
    } catch (const std::bad_alloc&) {
        throw InputError(ErrorContext{path}, "out of memory while loading the project (the data is too large for "
                                             "this machine; docs/limits.md lists the limits)");
    }
}

}  // namespace hq
