// build_scene(): the project + a map request -> one backend-neutral Scene.
//
// [SECTION] index
//   basics (Color, pick, languages, map kinds, privacy helpers)
//   context layers (boundary, streets, venues, labels)
//   one function per MapKind
//   title, subtitle, notes
#include "app/carto/scene.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <functional>
#include <limits>
#include <numeric>

#include "app/carto/classify.hpp"
#include "app/carto/ramps.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/analysis/local.hpp"
#include "geo/analysis/per_unit.hpp"
#include "geo/analysis/surfaces.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/privacy/density.hpp"
#include "geo/privacy/maps.hpp"
#include "geo/privacy/tables.hpp"

namespace hq::carto {

// [SECTION] Basics -------------------------------------------------------------------------

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string fmt_g(double v, int digits = 3) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

}  // namespace

Color Color::hex(const std::string& s) {
    if ((s.size() != 7 && s.size() != 9) || s[0] != '#') return {};
    int v[4] = {0, 0, 0, 255};
    for (std::size_t i = 0; i < (s.size() - 1) / 2; ++i) {
        const int hi = hex_digit(s[1 + 2 * i]), lo = hex_digit(s[2 + 2 * i]);
        if (hi < 0 || lo < 0) return {};
        v[i] = hi * 16 + lo;
    }
    return rgb(v[0], v[1], v[2], static_cast<float>(v[3]) / 255.0f);
}

std::string Color::to_hex() const {
    auto c8 = [](float x) { return static_cast<int>(std::lround(std::clamp(x, 0.0f, 1.0f) * 255.0f)); };
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c8(r), c8(g), c8(b));
    return buf;
}

std::string pick(Lang lang, const std::string& zh, const std::string& en) {
    switch (lang) {
        case Lang::Zh: return zh.empty() ? en : zh;
        case Lang::En: return en.empty() ? zh : en;
        case Lang::Both:
            if (zh.empty() || zh == en) return en;
            if (en.empty()) return zh;
            return zh + " / " + en;
    }
    return zh;
}

std::optional<Lang> lang_from_name(const std::string& s) {
    const std::string l = lower(s);
    if (l == "zh" || l == "cn" || l == "zh-cn") return Lang::Zh;
    if (l == "en") return Lang::En;
    if (l == "both") return Lang::Both;
    return std::nullopt;
}

const char* map_kind_name(MapKind k) {
    switch (k) {
        case MapKind::Composition: return "composition";
        case MapKind::Dominant: return "dominant";
        case MapKind::Heatmap: return "heatmap";
        case MapKind::Mixing: return "mixing";
        case MapKind::Lisa: return "lisa";
        case MapKind::Index: return "index";
        case MapKind::Zones: return "zones";
        case MapKind::Projects: return "projects";
    }
    return "dominant";
}

const char* glyph_style_name(GlyphStyle g) { return g == GlyphStyle::Bar ? "bar" : "pie"; }

std::optional<GlyphStyle> glyph_style_from_name(const std::string& name) {
    const std::string n = lower(name);
    if (n == "pie") return GlyphStyle::Pie;
    if (n == "bar") return GlyphStyle::Bar;
    return std::nullopt;
}

MapRequest parse_map_kind(const std::string& text) {
    MapRequest r;
    const auto colon = text.find(':');
    const std::string head = lower(text.substr(0, colon));
    const std::string arg = colon == std::string::npos ? "" : text.substr(colon + 1);
    const auto need_arg = [&](const char* what) {
        if (arg.empty())
            throw InputError("--map " + head + " needs " + what + " (e.g. " + head + ":" +
                             (head == "index" ? "multi_local_entropy" : "pop_tibetan") + ")");
    };
    const auto no_arg = [&]() {
        if (colon != std::string::npos) throw InputError("--map " + head + " takes no argument (got \"" + text + "\")");
    };
    if (head == "composition") { no_arg(); r.kind = MapKind::Composition; }
    else if (head == "dominant") { no_arg(); r.kind = MapKind::Dominant; }
    else if (head == "mixing") { no_arg(); r.kind = MapKind::Mixing; }
    else if (head == "zones") { no_arg(); r.kind = MapKind::Zones; }
    else if (head == "projects") { no_arg(); r.kind = MapKind::Projects; }
    else if (head == "heatmap") { need_arg("a group"); r.kind = MapKind::Heatmap; r.group = arg; }
    else if (head == "lisa") { need_arg("a group"); r.kind = MapKind::Lisa; r.group = arg; }
    else if (head == "index") {
        need_arg("a local index id");
        r.kind = MapKind::Index;
        r.index_id = arg;
        // index:multi_location_quotient:GROUP
        if (const auto c2 = arg.find(':'); c2 != std::string::npos) {
            r.index_id = arg.substr(0, c2);
            r.group = arg.substr(c2 + 1);
        }
    } else {
        throw InputError("unknown map \"" + text +
                         "\" (use composition, dominant, heatmap:GROUP, mixing, lisa:GROUP, index:ID, zones or projects)");
    }
    return r;
}

MapTransform fit_extent(const Box& extent, double x, double y, double w, double h, double margin) {
    MapTransform t;
    t.ox = x + w / 2;
    t.oy = y + h / 2;
    if (extent.empty()) return t;
    const double side = std::max(extent.width(), extent.height());
    const Box e = extent.inflated(margin * (side > 0 ? side : 1.0));
    const double ew = std::max(e.width(), 1e-9), eh = std::max(e.height(), 1e-9);
    t.scale = std::min(w / ew, h / eh);
    const Vec2 c = e.center();
    t.cx = c.x;
    t.cy = c.y;
    return t;
}

Box parse_lonlat_extent(const std::string& text) {
    const std::string what = "--extent \"" + text + "\": ";
    double v[4] = {};
    std::size_t at = 0;
    for (int i = 0; i < 4; ++i) {
        const std::size_t comma = text.find(',', at);
        if ((i < 3) != (comma != std::string::npos))
            throw InputError(what + "expected four numbers LON0,LAT0,LON1,LAT1 (WGS 84 degrees)");
        const std::string part = text.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        char* end = nullptr;
        v[i] = std::strtod(part.c_str(), &end);
        if (part.empty() || !end || *end != '\0' || !std::isfinite(v[i]))
            throw InputError(what + "\"" + part + "\" is not a number (expected LON0,LAT0,LON1,LAT1)");
        at = comma + 1;
    }
    for (int i : {0, 2})
        if (v[i] < -180 || v[i] > 180) throw InputError(what + "longitude " + fmt_g(v[i], 10) + " is outside -180..180");
    for (int i : {1, 3})
        if (v[i] < -90 || v[i] > 90) throw InputError(what + "latitude " + fmt_g(v[i], 10) + " is outside -90..90");
    if (!(v[0] < v[2]) || !(v[1] < v[3]))
        throw InputError(what + "LON0 must be less than LON1 and LAT0 less than LAT1 (west, south, east, north)");
    return {v[0], v[1], v[2], v[3]};
}

Box lonlat_extent_to_metric(const Project& project, const Box& lonlat) {
    if (project.planar || !project.metric_crs.known())
        throw InputError(ErrorContext{project.path, {}, {}, {}, {}},
                         "--extent is in longitude/latitude, but the project has no coordinate system (planar data)");
    const Transformer t(Crs::wgs84(), project.metric_crs);
    constexpr int kSteps = 16;  // the edges densified: a projected box edge bends
    std::vector<double> x, y;
    for (int i = 0; i <= kSteps; ++i) {
        const double f = static_cast<double>(i) / kSteps;
        const double lon = lonlat.minx + f * lonlat.width(), lat = lonlat.miny + f * lonlat.height();
        for (const Vec2 p : {Vec2{lon, lonlat.miny}, Vec2{lon, lonlat.maxy}, Vec2{lonlat.minx, lat}, Vec2{lonlat.maxx, lat}}) {
            x.push_back(p.x);
            y.push_back(p.y);
        }
    }
    if (!t.apply(x.data(), y.data(), x.size()))
        throw InputError(ErrorContext{project.path, {}, {}, {}, {}}, "--extent cannot be transformed to " + project.metric_crs.label());
    Box b;
    for (std::size_t i = 0; i < x.size(); ++i) b.expand(Vec2{x[i], y[i]});
    return b;
}

privacy::DisclosurePolicy disclosure_policy(const MapRequest& r) {
    privacy::DisclosurePolicy p;
    p.k = r.privacy_k;
    p.guard = r.privacy_guard;
    return p;
}

std::string privacy_note(const MapRequest& r) {
    const auto p = disclosure_policy(r);
    return pick(r.lang, p.note_zh(), p.note_en());
}

const GroupDef& find_group(const Project& project, const std::string& name) {
    return analysis::find_group(project, name);
}

std::string group_label(const GroupDef& g, Lang lang) {
    return pick(lang, g.name_zh.empty() ? g.column : g.name_zh, g.name_en.empty() ? g.column : g.name_en);
}

const std::vector<std::string>& local_index_ids() { return analysis::local_index_ids(); }

std::string source_note(Lang lang, const Project& p) {
    const std::string src = pick(lang, p.source_zh, p.source_en);
    if (!src.empty()) return pick(lang, "数据来源：", "Source: ") + src;
    return pick(lang, "数据来源：未注明（项目清单未给出 source）", "Source: not stated (the manifest gives no source)");
}

// [SECTION] Building -------------------------------------------------------------------------

namespace {

// Light enough under pies and labels, dark enough to tell a courtyard from the street and the
// viewer's canvas (244, 242, 238) or the white page.
const Color kUnitFill = Color::rgb(230, 222, 204);
const Color kUnitStroke = Color::rgb(150, 150, 150);
const Color kHatchFill = Color::rgb(250, 250, 250);
const Color kOther = Color::rgb(189, 189, 189);

std::string field_str(const Layer& l, std::size_t i, const std::string& name) {
    const int f = l.table.field_index(name);
    if (f < 0 || i >= l.table.rows.size()) return {};
    return value_to_string(l.table.rows[i][static_cast<std::size_t>(f)]);
}

std::string feature_name(const Layer& l, std::size_t i, Lang lang) {
    const std::string zh = field_str(l, i, "name_zh");
    const std::string en = field_str(l, i, "name_en");
    if (zh.empty() && en.empty()) {
        const std::string n = field_str(l, i, "name");
        return n.empty() ? (i < l.ids.size() ? l.ids[i] : std::string()) : n;
    }
    // Map labels in Both stay Chinese only: two names per courtyard do not fit a map.
    return pick(lang == Lang::Both ? Lang::Zh : lang, zh, en);
}

}  // namespace

std::string today() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

namespace {

struct UnitData {
    const Layer* layer = nullptr;
    std::vector<std::vector<double>> counts;  ///< [group][unit]
    std::vector<double> totals;               ///< sum of the listed groups
    std::vector<bool> suppressed;             ///< guard on and total < k
};

class Builder {
public:
    Builder(std::shared_ptr<const Project> p, const MapRequest& r, const SceneResults& results,
            const Progress& progress)
        : m_p(*p), m_r(r), m_progress(progress), m_lisa(results.lisa), m_zones(results.zones) {
        m_s.project = std::move(p);
        m_s.request = r;
        m_s.crs = m_p.metric_crs;
        m_s.planar = m_p.planar;
    }

    Scene build() {
        disclosure_policy(m_r).check();
        compute_extent();
        load_units();
        switch (m_r.kind) {
            case MapKind::Composition: composition(); break;
            case MapKind::Dominant: dominant(); break;
            case MapKind::Heatmap: heatmap(); break;
            case MapKind::Mixing: mixing(); break;
            case MapKind::Lisa: lisa(); break;
            case MapKind::Index: index(); break;
            case MapKind::Zones: zones(); break;
            case MapKind::Projects: projects(); break;
        }
        context_layers();
        zone_overlay();
        texts();
        m_progress.report(1.0, "scene");
        return std::move(m_s);
    }

private:
    const Project& m_p;
    const MapRequest& m_r;
    const Progress& m_progress;
    std::shared_ptr<const analysis::AutocorrResult> m_lisa;  ///< given or computed once
    std::shared_ptr<const std::vector<OverlayZone>> m_zones;  ///< the overlay's zones, when given
    std::shared_ptr<const analysis::GroupCountTable> m_table;
    Scene m_s;
    UnitData m_u;
    std::string m_kind_zh, m_kind_en;   ///< default title
    std::string m_sub_zh, m_sub_en;     ///< parameters for the subtitle
    std::string m_density_note;         ///< densities from published counts only (geo/privacy/density)
    bool m_used_hatch = false;
    bool m_used_other = false;
    std::pair<std::string, std::string> m_hatch_withheld;  ///< zh, en: what else the hatch means (privacy)

    std::string L(const std::string& zh, const std::string& en) const { return pick(m_r.lang, zh, en); }
    /// "Ethnic" for the default group noun, else the noun capitalised ("Group composition ...").
    std::string group_adjective_en() const {
        if (m_p.group_noun_en == "ethnic group") return "Ethnic";
        std::string g = m_p.group_noun_en;
        if (!g.empty()) g[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(g[0])));
        return g;
    }

    void compute_extent() {
        Box b;
        if (const Layer* bl = m_p.layer(Role::Boundary))
            for (const auto& g : bl->metric) b.expand(g.bounds());
        if (b.empty())
            for (const auto& e : m_p.layers)
                for (const auto& g : e.layer.metric) b.expand(g.bounds());
        m_s.extent = b;
        if (!b.empty() && !m_p.planar && m_p.metric_crs.known()) {
            try {
                const Transformer t(m_p.metric_crs, Crs::wgs84());
                m_s.center_lonlat = t.apply(b.center());
            } catch (const std::exception&) {
                m_s.center_lonlat = {};
            }
        }
    }

    void load_units() {
        m_u.layer = analysis::units_layer(m_p);
        if (!m_u.layer) return;
        const GeomType gt = m_u.layer->geom_type;
        if (gt == GeomType::LineString || gt == GeomType::MultiLineString) return;
        const std::size_t n = m_u.layer->size();
        // The group count table of geo/analysis, as every analysis reads it.
        const auto table = analysis::group_count_table(m_p, m_u.layer);
        m_u.counts = table->counts;
        m_u.totals = table->totals;
        m_u.suppressed.assign(n, false);
        const privacy::DisclosurePolicy policy = disclosure_policy(m_r);
        for (std::size_t i = 0; i < n; ++i)
            if (policy.small(m_u.totals[i])) {
                    m_u.suppressed[i] = true;
                    m_s.suppressed_units.push_back(static_cast<std::uint32_t>(i));
                }
    }

    const Layer& units() const {
        if (!m_u.layer || m_u.counts.empty())
            throw InputError(ErrorContext{m_p.path, "units", {}, {}, {}},
                             "this map needs a polygon layer of units with group counts (layers.units and groups in "
                             "project.json)");
        return *m_u.layer;
    }

    std::size_t group_index(const std::string& name) const {
        const GroupDef& g = find_group(m_p, name);
        return static_cast<std::size_t>(&g - m_p.groups.data());
    }

    /// A map of one group (heatmap, LISA of its share, its share or location quotient):
    /// refused for a group with fewer than k residents in all (it would show where they live).
    std::size_t single_group_index(const std::string& name) const {
        const std::size_t g = group_index(name);
        const auto policy = disclosure_policy(m_r);
        if (g < m_u.counts.size() && policy.small(std::accumulate(m_u.counts[g].begin(), m_u.counts[g].end(), 0.0)))
            throw InputError("group " + m_p.groups[g].column + " has fewer than " + std::to_string(policy.k) +
                             " residents: a map of it alone would show where they live (privacy guard; the data "
                             "owner may pass --no-privacy-guard)");
        return g;
    }

    bool point_units() const {
        return m_u.layer && (m_u.layer->geom_type == GeomType::Point || m_u.layer->geom_type == GeomType::MultiPoint);
    }

    /// Point units (households or buildings geocoded as points): proportional circles, area
    /// ∝ residents (radius 2.5 + 8.5 √(t / max t) px), coloured like a polygon unit would be.
    void unit_points(const std::function<Color(std::size_t)>& fill, const std::vector<bool>* nodata) {
        const Layer& l = units();
        const double max_total = std::max(1.0, *std::max_element(m_u.totals.begin(), m_u.totals.end()));
        for (std::size_t i = 0; i < l.size(); ++i) {
            const bool hatched = m_u.suppressed[i] || (nodata && (*nodata)[i]);
            if (hatched) m_used_hatch = true;
            for (const auto& p : l.metric[i].points) {
                PointSymbol s;
                s.position = p;
                s.fill = hatched ? kHatchFill : fill(i);
                s.stroke = hatched ? Color::rgb(120, 120, 120) : kUnitStroke;
                // A suppressed unit's size would show its total: all hatched points are the smallest.
                s.radius_px = static_cast<float>(hatched ? 2.5 : 2.5 + 8.5 * std::sqrt(m_u.totals[i] / max_total));
                s.shape = Shape::Circle;
                s.role = Role::Units;
                s.feature = static_cast<std::uint32_t>(i);
                m_s.points.push_back(s);
            }
        }
    }

    /// Units drawn with one colour each (hatched where suppressed, or where `nodata`).
    void unit_polygons(const std::function<Color(std::size_t)>& fill, const std::vector<bool>* nodata = nullptr) {
        const Layer& l = units();
        if (point_units()) {
            unit_points(fill, nodata);
            return;
        }
        for (std::size_t i = 0; i < l.size(); ++i) {
            FillPolygon f;
            f.geometry = &l.metric[i];
            f.stroke = kUnitStroke;
            f.stroke_px = 0.6f;
            f.role = Role::Units;
            f.feature = static_cast<std::uint32_t>(i);
            if (m_u.suppressed[i] || (nodata && (*nodata)[i])) {
                f.hatched = true;
                f.fill = kHatchFill;
                m_used_hatch = true;
            } else {
                f.fill = fill(i);
            }
            m_s.polygons.push_back(f);
        }
    }

    /// The hatch's meaning in the legend and the hatched class: small units, no data, or
    /// (m_hatch_withheld) a value or group the privacy guard withholds.
    std::string hatch_label(bool any_nodata) const {
        const std::string k = std::to_string(m_r.privacy_k);
        if (!m_hatch_withheld.first.empty())
            return L("少于" + k + "人、无数据或" + m_hatch_withheld.first + "（不显示）",
                     "Fewer than " + k + " residents, no data or " + m_hatch_withheld.second + " (not shown)");
        return any_nodata ? L("少于" + k + "人或无数据（不显示）", "Fewer than " + k + " residents or no data (not shown)")
                          : L("少于" + k + "人（不显示构成）", "Fewer than " + k + " residents (not shown)");
    }

    void hatch_legend(bool any_nodata = false) {
        if (m_used_hatch) {
            LegendItem h;
            h.kind = LegendItem::Kind::Hatch;
            h.color = Color::rgb(120, 120, 120);
            h.label = hatch_label(any_nodata);
            m_s.legend.push_back(h);
        }
    }

    void header(const std::string& text) {
        LegendItem h;
        h.kind = LegendItem::Kind::Header;
        h.label = text;
        m_s.legend.push_back(h);
    }
    void swatch(const std::string& text, Color c) {
        LegendItem s;
        s.kind = LegendItem::Kind::Swatch;
        s.label = text;
        s.color = c;
        m_s.legend.push_back(s);
    }

    // [SECTION] thematic styling as data (docs/export.md, GeoPackage hand-off) -----------

    Thematic& thematic(Thematic::Renderer renderer, const std::string& field, FieldType type) {
        Thematic t;
        t.renderer = renderer;
        t.field = field;
        t.type = type;
        t.fill = kUnitFill;
        t.stroke = kUnitStroke;
        m_s.thematic.push_back(std::move(t));
        return m_s.thematic.back();
    }
    void single_units() { thematic(Thematic::Renderer::Single, "", FieldType::String).fill = kUnitFill; }
    /// The hatched class (null values), labelled as the legend's hatch entry.
    void hatch_class(Thematic& t, bool any_nodata = false) {
        if (!m_used_hatch) return;
        ThematicClass c;
        c.hatched = true;
        c.color = kHatchFill;
        c.label = hatch_label(any_nodata);
        t.classes.push_back(c);
    }

    std::vector<double> group_totals() const {
        std::vector<double> t;
        for (const auto& c : m_u.counts) t.push_back(std::accumulate(c.begin(), c.end(), 0.0));
        return t;
    }

    // [SECTION] kinds ----------------------------------------------------------------------

    void composition() {
        m_kind_zh = "各" + m_p.unit_noun_zh + m_p.group_noun_zh + "构成";
        m_kind_en = group_adjective_en() + " composition by " + m_p.unit_noun_en;
        if (!(m_r.other_share >= 0.0 && m_r.other_share < 1.0))
            throw InputError("the share under which groups merge into \"other\" must be at least 0 and below 1 (got " +
                             fmt_g(m_r.other_share) + ")");
        const Layer& l = units();
        if (!point_units()) unit_polygons([](std::size_t) { return kUnitFill; });  // point units: the pies are the symbols
        single_units();
        const double max_total = *std::max_element(m_u.totals.begin(), m_u.totals.end());
        std::vector<bool> in_pie(m_p.groups.size(), false);
        // A slice's angle is its share of a pie whose total is published (exactly, in a
        // vector file): only published cells of the protected units × groups table get a
        // slice of their own; withheld ones (small or complementary) join "other", which is
        // then what the published total minus the published slices gives anyway.
        const privacy::DisclosurePolicy pie_policy = disclosure_policy(m_r);
        const privacy::ProtectedTable cells =
            privacy::units_by_groups_table(m_u.counts, privacy::group_totals_table(group_totals(), pie_policy));
        for (std::size_t i = 0; i < l.size(); ++i) {
            if (m_u.suppressed[i] || m_u.totals[i] <= 0 || l.metric[i].empty()) continue;
            PieGlyph pie;
            pie.style = m_r.glyph;
            pie.center = point_on_surface(l.metric[i]);
            pie.radius_px = static_cast<float>(5.0 + 11.0 * std::sqrt(m_u.totals[i] / std::max(max_total, 1.0)));
            pie.feature = static_cast<std::uint32_t>(i);
            std::vector<std::pair<double, std::size_t>> shares;
            double other = 0;
            for (std::size_t g = 0; g < m_p.groups.size(); ++g) {
                const double s = m_u.counts[g][i] / m_u.totals[i];
                if (s <= 0) continue;
                // A withheld count's own slice would show it (its share of a known-size pie).
                const bool withheld = i < cells.rows() && g < cells.cols() && cells.cell(i, g).suppressed();
                if (s < m_r.other_share || pie_policy.small(m_u.counts[g][i]) || withheld) other += s;
                else shares.emplace_back(s, g);
            }
            std::stable_sort(shares.begin(), shares.end(), [](auto& a, auto& b) { return a.first > b.first; });
            for (auto [s, g] : shares) {
                pie.slices.emplace_back(static_cast<float>(s), Color::hex(m_p.groups[g].color));
                in_pie[g] = true;
            }
            if (other > 0) {
                pie.slices.emplace_back(static_cast<float>(other), kOther);
                m_used_other = true;
            }
            m_s.pies.push_back(std::move(pie));
        }
        m_s.pie_key.other = kOther;
        m_s.pie_key.with_other = m_used_other;
        m_s.pie_key.max_total = max_total;
        m_s.pie_key.max_radius_px = 16.0f;  // 5 + 11 at the largest total, as above
        for (std::size_t g = 0; g < m_p.groups.size(); ++g)
            if (in_pie[g]) m_s.pie_key.groups.push_back(g);
        header(L(m_p.group_noun_zh + "（居民人数）", "Groups (residents)"));
        const privacy::ProtectedTable totals = privacy::group_totals_table(group_totals(), disclosure_policy(m_r));
        for (std::size_t g = 0; g < m_p.groups.size(); ++g)
            if (in_pie[g])
                swatch(group_label(m_p.groups[g], m_r.lang) + " (" +
                           privacy::count_text(totals.col_total(g), totals.policy()) + ")",
                       Color::hex(m_p.groups[g].color));
        if (m_used_other) {
            const std::string pct = fmt_g(100.0 * m_r.other_share);
            swatch(L("其他（各占比<" + pct + "%的民族）", "Other (groups under " + pct + " % each)"), kOther);
        }
        hatch_legend();
        if (m_r.glyph == GlyphStyle::Bar) {
            m_sub_zh = "柱状图：各" + m_p.unit_noun_zh + m_p.group_noun_zh + "占比（自下而上由多到少）；高度：" +
                       m_p.unit_noun_zh + "人口";
            m_sub_en = "Bars: group shares per " + m_p.unit_noun_en + " (largest at the bottom); height: residents";
        } else {
            m_sub_zh = "饼图：各" + m_p.unit_noun_zh + m_p.group_noun_zh + "占比；大小：" + m_p.unit_noun_zh + "人口";
            m_sub_en = "Pies: group shares per " + m_p.unit_noun_en + "; size: residents";
        }
    }

    void dominant() {
        m_kind_zh = "各" + m_p.unit_noun_zh + "人数最多的" + m_p.group_noun_zh;
        m_kind_en = "Largest group by " + m_p.unit_noun_en;
        const Layer& l = units();
        // The largest group of each unit (the first of equal largest), through geo/privacy:
        // with the guard on, a unit whose largest count is withheld is not coloured by it
        // (its colour would say that withheld count is above every published one), but
        // hatched as "no publishable largest group" (docs/privacy.md, "Classed maps").
        const privacy::DisclosurePolicy policy = disclosure_policy(m_r);
        const std::vector<int> dom =
            privacy::published_dominant(privacy::units_by_groups_table(m_u.counts, privacy::group_totals_table(group_totals(), policy)));
        std::vector<bool> nodata(l.size(), false), used(m_p.groups.size(), false);
        for (std::size_t i = 0; i < l.size(); ++i) {
            nodata[i] = dom[i] < 0;
            if (dom[i] == privacy::kNoPublishedDominant && !m_u.suppressed[i])
                m_hatch_withheld = {"无可公开的主要群体", "no publishable largest group"};
            if (!nodata[i] && !m_u.suppressed[i]) used[static_cast<std::size_t>(dom[i])] = true;
        }
        unit_polygons([&](std::size_t i) { return Color::hex(m_p.groups[static_cast<std::size_t>(dom[i])].color); },
                      &nodata);
        header(L("人数最多的" + m_p.group_noun_zh, "Largest group"));
        Thematic& t = thematic(Thematic::Renderer::Categorized, "dominant", FieldType::String);
        for (std::size_t i = 0; i < l.size(); ++i)
            t.values.push_back(nodata[i] || m_u.suppressed[i] ? Value() : Value(m_p.groups[static_cast<std::size_t>(dom[i])].column));
        for (std::size_t g = 0; g < m_p.groups.size(); ++g)
            if (used[g]) {
                swatch(group_label(m_p.groups[g], m_r.lang), Color::hex(m_p.groups[g].color));
                t.classes.push_back({m_p.groups[g].column, 0, 0, group_label(m_p.groups[g], m_r.lang),
                                     Color::hex(m_p.groups[g].color), false});
            }
        const bool any_nodata = std::find(nodata.begin(), nodata.end(), true) != nodata.end();
        hatch_legend(any_nodata);
        hatch_class(t, any_nodata);
    }

    /// The units' group counts as geo/analysis reads them (once per scene).
    const analysis::GroupCountTable& table() {
        if (!m_table) m_table = analysis::group_count_table(m_p, &units());
        return *m_table;
    }

    analysis::SurfaceRequest surface_request() const {
        analysis::SurfaceRequest r;
        r.radius_m = m_r.heatmap_radius_m;
        r.kernel = Kernel::Quartic;
        r.output = KdeOutput::Scaled;
        r.per_hectare = true;
        // The map frame and a quarter radius around it, so the raster fills the frame.
        r.extent = m_s.extent.inflated(r.radius_m * 0.25);
        // A map is looked at, not measured: cells finer than a printed page can show cost time
        // and memory for nothing. A 100k-unit city (25 km across) at the default 2 m took 189 s
        // and 12.9 GB for the mixing map, and a 1M-unit city is past make_grid's limit. So at
        // most max_raster_side (kMapRasterSide) cells along the longer side (an A3 page's map frame at 300 dpi
        // is about 4,500 px; the surfaces are smooth over the radius); the subtitle says the cell
        // used. The `heatmap` command's GeoTIFF keeps the cell asked for.
        r.pixel_m = std::max(m_r.heatmap_pixel_m, std::max(r.extent->width(), r.extent->height()) / m_r.max_raster_side);
        r.spread = analysis::Spread::Auto;
        r.privacy = disclosure_policy(m_r);  // a group's density from its published cells (geo/privacy/density)
        return r;
    }

    void raster_from(const Grid& grid, double lo, double hi, bool fade_low) {
        RasterOverlay r;
        r.values = std::make_shared<const Grid>(grid);
        r.request_extent = *surface_request().extent;
        r.extent = grid.bounds();
        r.width = grid.width;
        r.height = grid.height;
        r.rgba.assign(static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height) * 4, 0);
        r.opacity = 0.8f;
        const auto stops = ramp_stops(m_r.ramp);
        for (std::size_t i = 0; i < grid.values.size(); ++i) {
            const double v = grid.values[i];
            if (!std::isfinite(v)) continue;
            const double t = hi > lo ? std::clamp((v - lo) / (hi - lo), 0.0, 1.0) : 0.0;
            if (fade_low && t <= 1e-6) continue;
            const Color c = ramp_at(m_r.ramp, t);
            const double a = fade_low ? std::min(1.0, t / 0.08) : 1.0;
            r.rgba[4 * i + 0] = static_cast<std::uint8_t>(std::lround(c.r * 255));
            r.rgba[4 * i + 1] = static_cast<std::uint8_t>(std::lround(c.g * 255));
            r.rgba[4 * i + 2] = static_cast<std::uint8_t>(std::lround(c.b * 255));
            r.rgba[4 * i + 3] = static_cast<std::uint8_t>(std::lround(a * 255));
        }
        (void)stops;
        r.lo = lo;
        r.hi = hi;
        r.ramp = m_r.ramp;
        r.fade_low = fade_low;
        m_s.raster = std::move(r);
    }

    void ramp_legend(const std::string& low, const std::string& high, const std::string& unit) {
        LegendItem it;
        it.kind = LegendItem::Kind::Ramp;
        it.ramp = ramp_stops(m_r.ramp);
        it.ramp_low = low;
        it.ramp_high = high;
        it.ramp_unit = unit;
        m_s.legend.push_back(it);
    }

    /// With the guard on, the densities (and the legend's numbers) come from published counts
    /// only; the notes say so ("小于k的计数未计入 / counts below k left out").
    void density_note() {
        const auto policy = disclosure_policy(m_r);
        m_density_note = L(privacy::density_note_zh(policy), privacy::density_note_en(policy));
    }

    void heatmap() {
        const std::size_t g = single_group_index(m_r.group);
        const GroupDef& gd = m_p.groups[g];
        m_kind_zh = (gd.name_zh.empty() ? gd.column : gd.name_zh) + "居住密度热力图";
        m_kind_en = "Where " + (gd.name_en.empty() ? gd.column : gd.name_en) + " residents live: density heatmap";
        unit_polygons([](std::size_t) { return kUnitFill; });
        single_units();
        Grid grid = analysis::group_density(m_p, table(), g, surface_request(), m_progress);
        double mx = 0;
        for (const double v : grid.values)
            if (std::isfinite(v)) mx = std::max(mx, v);
        raster_from(grid, 0.0, mx, true);
        density_note();
        m_s.raster->unit = L("人/公顷", "residents per ha");
        header(group_label(gd, m_r.lang));
        ramp_legend("0", fmt_g(mx, 3), L("人/公顷", "residents per ha"));
        hatch_legend();
        const double cell = surface_request().pixel_m;
        m_sub_zh = "四次核，半径" + fmt_g(m_r.heatmap_radius_m) + "米，像元" + fmt_g(cell, 3) + "米";
        m_sub_en = "quartic kernel, radius " + fmt_g(m_r.heatmap_radius_m) + " m, cell " + fmt_g(cell, 3) + " m";
    }

    void mixing() {
        m_kind_zh = m_p.group_noun_zh + "混居程度（归一化熵）";
        m_kind_en = group_adjective_en() + " mixing (normalised entropy)";
        unit_polygons([](std::size_t) { return kUnitFill; });
        single_units();
        const analysis::MixingSurface surface = analysis::mixing(m_p, table(), surface_request(),
                                                                         MixingIndex::EntropyNormalised, m_progress);
        const Grid& mix = surface.grid;
        const std::size_t groups = surface.groups;
        double lo = 1, hi = 0;
        for (double v : mix.values)
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        if (hi < lo) lo = hi = 0;
        raster_from(mix, lo, hi, false);
        density_note();
        m_s.raster->unit = L("归一化熵", "normalised entropy");
        header(L("混居程度", "Mixing"));
        ramp_legend(fmt_g(lo, 2) + L(" 较单一", " less mixed"), fmt_g(hi, 2) + L(" 较混居", " more mixed"),
                    L("归一化熵（0 单一民族，1 " + std::to_string(groups) + "个民族均匀混居）",
                      "normalised entropy (0 one group, 1 even mix of " + std::to_string(groups) + ")"));
        hatch_legend();
        m_sub_zh = "各民族核密度的局部熵，半径" + fmt_g(m_r.heatmap_radius_m) + "米";
        m_sub_en = "local entropy of the smoothed group densities, radius " + fmt_g(m_r.heatmap_radius_m) + " m";
    }

    /// The LISA of the request's group: the one given, else computed by geo/analysis.
    const analysis::AutocorrResult& lisa_result() {
        if (!m_lisa) m_lisa = scene_results(m_p, m_r, m_progress).lisa;
        if (!m_lisa || !m_lisa->local_moran) throw InputError("no LISA result for this map");
        return *m_lisa;
    }

    void lisa() {
        const std::size_t g = single_group_index(m_r.group);
        const GroupDef& gd = m_p.groups[g];
        m_kind_zh = (gd.name_zh.empty() ? gd.column : gd.name_zh) + "占比的局部空间聚类（LISA）";
        m_kind_en = "LISA cluster map: share of " + (gd.name_en.empty() ? gd.column : gd.name_en) + " residents";
        const std::size_t n = units().size();
        m_progress.report(0.1, "local Moran");
        const analysis::AutocorrResult& res = lisa_result();
        const Color cols[5] = {Color::rgb(140, 140, 140), Color::rgb(255, 0, 0), Color::rgb(0, 0, 255),
                               Color::rgb(150, 150, 255), Color::rgb(255, 150, 150)};
        const Color ns = Color::rgb(240, 240, 240);
        std::vector<Color> fill(n, ns);
        // Units the privacy guard left out of the LISA (published-only inputs) are hatched,
        // "数值不公开 / value withheld" (docs/privacy.md, "LISA").
        std::vector<bool> withheld(n, false);
        for (std::size_t i = 0; i < n; ++i) {
            withheld[i] = res.is_withheld(i);
            if (withheld[i]) m_hatch_withheld = {"数值不公开", "value withheld"};
            const auto q = static_cast<int>(res.cluster[i]);
            if (q == 0) fill[i] = cols[0];
            else if (res.local_moran_significant[i]) fill[i] = cols[q];
        }
        // The legend counts the units it shows (privacy-suppressed units are hatched).
        std::vector<bool> shown(n);
        for (std::size_t i = 0; i < n; ++i) shown[i] = !m_u.suppressed[i];
        const analysis::ClusterCounts counts = res.cluster_counts(&shown);
        unit_polygons([&](std::size_t i) { return fill[i]; }, &withheld);
        const std::string& adj = res.inference.adjust;
        const std::string adj_zh = adj == "none" ? "未校正" : (adj == "bonferroni" ? "Bonferroni校正" : "FDR校正");
        const std::string adj_en = adj == "none" ? "no adjustment" : (adj == "bonferroni" ? "Bonferroni" : "FDR");
        header(L("LISA聚类（p ≤ " + fmt_g(res.inference.alpha) + "，" + adj_zh + "）",
                 "LISA clusters (p ≤ " + fmt_g(res.inference.alpha) + ", " + adj_en + ")"));
        const char* zh[6] = {"无邻居", "高-高", "低-低", "低-高", "高-低", "不显著"};
        const char* en[6] = {"Neighbourless", "High-High", "Low-Low", "Low-High", "High-Low", "Not significant"};
        // GeoDa's cluster codes (its LISA_CL field): 0 not significant, 1..4 the quadrants, 6 neighbourless.
        Thematic& t = thematic(Thematic::Renderer::Categorized, "lisa_cluster", FieldType::Integer);
        for (std::size_t i = 0; i < n; ++i)
            t.values.push_back(m_u.suppressed[i] || withheld[i]
                                   ? Value()
                                   : Value(static_cast<std::int64_t>(analysis::geoda_cluster_code(res, i))));
        for (int s : {1, 2, 3, 4, 5, 0}) {
            const auto slot = static_cast<std::size_t>(s);
            if (s == 0 && counts[0] == 0) continue;
            const std::string label = L(zh[s], en[s]) + " (" + std::to_string(counts[slot]) + ")";
            swatch(label, s == 5 ? ns : cols[s]);
            t.classes.push_back({std::to_string(s == 5 ? 0 : s == 0 ? 6 : s), 0, 0, label, s == 5 ? ns : cols[s], false});
        }
        const bool any_withheld = std::find(withheld.begin(), withheld.end(), true) != withheld.end();
        hatch_legend(any_withheld);
        hatch_class(t, any_withheld);
        const analysis::WeightsProvenance& w = res.weights;
        const std::string wz = w.requested == "queen" ? "后邻接" : (w.requested == "rook" ? "车邻接" : w.requested);
        const std::string perms = std::to_string(res.inference.permutations);
        m_sub_zh = "权重：" + (w.fallback ? w.note_zh + "，代替" + wz : wz) + "，行标准化；" + perms + "次条件置换";
        m_sub_en = (w.fallback ? w.note_en + " instead of " + w.requested : w.requested) +
                   " weights, row-standardised; " + perms + " conditional permutations";
        lisa_input_note(res);
    }

    /// The published-only note of a LISA that left units out (geo/privacy), in the subtitle.
    void lisa_input_note(const analysis::AutocorrResult& res) {
        if (res.withheld.empty()) return;
        const std::size_t in = static_cast<std::size_t>(std::count(res.withheld.begin(), res.withheld.end(), false));
        m_sub_zh += "；" + privacy::lisa_input_note_zh(in, res.withheld.size());
        m_sub_en += "; " + privacy::lisa_input_note_en(in, res.withheld.size());
    }

    void index() {
        const Layer& l = units();
        const std::size_t n = l.size();
        const std::string id = m_r.index_id;
        std::vector<double> values;
        std::string zh_name, en_name;
        auto gname = [&](std::size_t g, bool zh) {
            const GroupDef& d = m_p.groups[g];
            const std::string& nm = zh ? d.name_zh : d.name_en;
            return nm.empty() ? d.column : nm;
        };
        const bool needs_group = id == "share" || id == "lisa_z" || id == "multi_location_quotient";
        if (needs_group && m_r.group.empty()) throw InputError("index:" + id + " needs a group: index:" + id + ":GROUP");
        const std::size_t g = needs_group ? single_group_index(m_r.group) : 0;
        if (id == "lisa_z") {
            // The local Moran z ((I_i − E)/√V, analytical; NaN for neighbourless units) of a
            // group's share, with the LISA map's weights.
            values = lisa_result().local_moran->z;
        } else {
            values = analysis::local_index(table(), id, g, m_progress);
        }
        static const std::map<std::string, std::pair<std::string, std::string>> names{
            {"multi_local_entropy", {"局部熵（归一化）", "Local entropy (normalised)"}},
            {"multi_local_diversity", {"局部多样性（熵）", "Local diversity (entropy)"}},
            {"multi_local_simpson_interaction", {"局部辛普森交互指数", "Local Simpson's interaction"}},
            {"multi_local_simpson_concentration", {"局部辛普森集中指数", "Local Simpson's concentration"}},
            {"local_distortion", {"局部扭曲系数", "Local distortion coefficient"}}};
        if (id == "share") {
            zh_name = gname(g, true) + "居民占比";
            en_name = "Share of " + gname(g, false) + " residents";
        } else if (id == "lisa_z") {
            zh_name = gname(g, true) + "占比的LISA z值";
            en_name = "LISA z of the share of " + gname(g, false);
        } else if (id == "multi_location_quotient") {
            zh_name = m_p.groups[g].name_zh + "区位商";
            en_name = "Location quotient of " + m_p.groups[g].name_en;
        } else {
            const auto nm = names.find(id);
            zh_name = nm != names.end() ? nm->second.first : id;
            en_name = nm != names.end() ? nm->second.second : id;
        }
        m_kind_zh = zh_name;
        m_kind_en = en_name;
        // A group's share or LQ in a unit is linear in its count given the unit's published
        // total: it is withheld with its cell (geo/privacy), as in the per-unit export. Else
        // the unit's class (a range of its share) narrows a "<k" (3 of 33 in [0.0909,
        // 0.571] gave 3..4), and the class breaks are those withheld values themselves.
        // Entropy, diversity and Simpson are not linear in the counts: a unit's class is
        // drawn only when every filling of its withheld cells gives that class, with breaks
        // over the index's theoretical range; a local distortion depends on every unit, so
        // any withheld cell withholds them all (geo/privacy/maps.hpp, docs/privacy.md
        // "Classed maps"); a LISA z is computed from published-only inputs (the units whose
        // cell and total are published; docs/privacy.md "LISA"), the others have no value.
        const privacy::DisclosurePolicy policy = disclosure_policy(m_r);
        const auto per_unit = privacy::unit_index_from_id(id);
        std::vector<int> guarded_class;  // with the guard on and a per-unit index: the class drawn
        std::vector<double> edges;
        if (policy.guard && !m_u.counts.empty()) {
            const privacy::ProtectedTable cells =
                privacy::units_by_groups_table(m_u.counts, privacy::group_totals_table(group_totals(), policy));
            const auto withhold = [&](std::size_t i) {
                values[i] = std::numeric_limits<double>::quiet_NaN();
                m_hatch_withheld = {"数值不公开", "value withheld"};
            };
            if (id == "share" || id == "multi_location_quotient") {
                for (std::size_t i = 0; i < n && i < cells.rows(); ++i)
                    if (cells.cell(i, g).suppressed()) withhold(i);
            } else if (per_unit) {
                edges = privacy::theoretical_breaks(*per_unit, m_p.groups.size(), m_r.classes);
                guarded_class.assign(n, privacy::kWithheldClass);
                const auto ranges = privacy::unit_index_ranges(*per_unit, cells);
                for (std::size_t i = 0; i < n && i < cells.rows(); ++i) {
                    if (!std::isfinite(values[i]) || m_u.suppressed[i]) continue;
                    const auto& range = ranges[i];
                    guarded_class[i] = range ? privacy::published_unit_class(*range, edges) : privacy::kWithheldClass;
                    if (guarded_class[i] == privacy::kWithheldClass) {
                        withhold(i);
                    } else if (!range->exact) {
                        // The exact value would say more than the class: a GIS hand-off or a
                        // reader of the scene gets the class's middle instead.
                        const auto c = static_cast<std::size_t>(guarded_class[i]);
                        values[i] = 0.5 * (edges[c] + edges[c + 1]);
                    }
                }
            } else if (id == "lisa_z") {
                // Published-only inputs: the units left out of the LISA have no value.
                for (std::size_t i = 0; i < n; ++i)
                    if (lisa_result().is_withheld(i)) withhold(i);
            } else if (!privacy::every_cell_published(cells)) {
                for (std::size_t i = 0; i < n; ++i)
                    if (std::isfinite(values[i])) withhold(i);
            }
        }
        std::vector<double> shown;
        std::vector<bool> nodata(n, false);
        for (std::size_t i = 0; i < n; ++i) {
            nodata[i] = !std::isfinite(values[i]);
            if (!nodata[i] && !m_u.suppressed[i]) shown.push_back(values[i]);
        }
        // Breaks from the data only where every value they see is published (share, LQ,
        // LISA z of the published-only inputs, distortion when no cell is withheld);
        // theoretical ones otherwise.
        if (guarded_class.empty()) edges = class_breaks(shown, m_r.classification, m_r.classes);
        const int nclass = edges.size() >= 2 ? static_cast<int>(edges.size()) - 1 : 0;
        const auto colors = ramp_colors(m_r.ramp, std::max(nclass, 1));
        unit_polygons(
            [&](std::size_t i) {
                const int c = guarded_class.empty() ? class_of(values[i], edges) : guarded_class[i];
                return c >= 0 ? colors[static_cast<std::size_t>(c)] : kHatchFill;
            },
            &nodata);
        header(L(zh_name, en_name));
        // The field of the per-unit table (geo/analysis/per_unit.hpp) holding these values.
        const std::string field = id == "share"                     ? "share_" + m_p.groups[g].column
                                  : id == "multi_location_quotient" ? "lq_" + m_p.groups[g].column
                                                                    : id;
        Thematic& t = thematic(Thematic::Renderer::Graduated, field, FieldType::Real);
        for (std::size_t i = 0; i < n; ++i)
            t.values.push_back(nodata[i] || m_u.suppressed[i] ? Value() : Value(values[i]));
        for (int c = 0; c < nclass; ++c) {
            const auto cu = static_cast<std::size_t>(c);
            const std::string label = fmt_g(edges[cu]) + " – " + fmt_g(edges[cu + 1]);
            swatch(label, colors[cu]);
            t.classes.push_back({{}, edges[cu], edges[cu + 1], label, colors[cu], false});
        }
        const bool any_nodata = std::find(nodata.begin(), nodata.end(), true) != nodata.end();
        hatch_legend(any_nodata);
        hatch_class(t, any_nodata);
        static const char* cz[] = {"分位数", "等间距", "自然断点", "标准差"};
        static const char* ce[] = {"quantile", "equal interval", "natural breaks (Jenks)", "standard deviation"};
        const auto ci = static_cast<std::size_t>(m_r.classification);
        m_sub_zh = std::string(cz[ci]) + "分级";
        m_sub_en = std::string(ce[ci]) + " classes";
        if (!guarded_class.empty()) {
            m_sub_zh = "指数理论范围" + fmt_g(edges.front()) + "–" + fmt_g(edges.back()) + "等间距分级（隐私保护）";
            m_sub_en = "equal classes over the index's range " + fmt_g(edges.front()) + "–" + fmt_g(edges.back()) +
                       " (privacy guard)";
        }
        if (id == "lisa_z") lisa_input_note(lisa_result());
    }

    void zones() {
        const Layer* z = m_p.layer(Role::Zones);
        if (!z) throw InputError(ErrorContext{m_p.path, "zones", {}, {}, {}}, "the project has no zones layer");
        m_kind_zh = "干预分区";
        m_kind_en = "Intervention zones";
        if (m_u.layer && !m_u.counts.empty()) {
            unit_polygons([](std::size_t) { return kUnitFill; });
            single_units();
        }
        header(L("分区", "Zones"));
        Thematic& t = thematic(Thematic::Renderer::Categorized, z->id_field.empty() ? "id" : z->id_field, FieldType::String);
        t.role = Role::Zones;
        t.stroke_px = 1.5f;
        for (std::size_t i = 0; i < z->size(); ++i) {
            Color c = categorical_color(i);
            t.values.push_back(Value(z->ids[i]));
            t.classes.push_back({z->ids[i], 0, 0, feature_name(*z, i, m_r.lang), Color{c.r, c.g, c.b, 0.45f}, false});
            FillPolygon f;
            f.geometry = &z->metric[i];
            f.fill = Color{c.r, c.g, c.b, 0.45f};
            f.stroke = c;
            f.stroke_px = 1.5f;
            f.role = Role::Zones;
            f.feature = static_cast<std::uint32_t>(i);
            m_s.polygons.push_back(f);
            const std::string name = feature_name(*z, i, m_r.lang);
            if (i < 16) swatch(name, f.fill);
            if (!z->metric[i].empty())
                m_s.labels.push_back({point_on_surface(z->metric[i]), name, 9.0f, Color::rgb(20, 20, 20),
                                      Color::rgb(255, 255, 255, 0.85f), 20});
        }
        if (z->size() > 16) swatch(L("等" + std::to_string(z->size()) + "个分区", "... " + std::to_string(z->size()) + " zones"), kOther);
        hatch_legend();
    }

    void projects() {
        const Layer* pl = m_p.layer(Role::Projects);
        if (!pl) throw InputError(ErrorContext{m_p.path, "projects", {}, {}, {}}, "the project has no projects layer");
        m_kind_zh = "微花园项目";
        m_kind_en = "Micro-garden projects";
        if (m_u.layer && !m_u.counts.empty()) {
            unit_polygons([](std::size_t) { return kUnitFill; });
            single_units();
        }
        struct Status {
            const char* key;
            const char* zh;
            const char* en;
            Color c;
        };
        const Status statuses[] = {{"completed", "已建成", "Completed", Color::rgb(46, 125, 50)},
                                   {"under_construction", "施工中", "Under construction", Color::rgb(249, 168, 37)},
                                   {"planned", "规划中", "Planned", Color::rgb(21, 101, 192)}};
        std::vector<int> used(4, 0);
        Thematic& t = thematic(Thematic::Renderer::Categorized, "map_status", FieldType::String);
        t.role = Role::Projects;
        t.stroke = Color::rgb(40, 40, 40);
        t.stroke_px = 0.8f;
        t.values.assign(pl->size(), Value());  // null: not started by --date (not drawn)
        for (std::size_t i = 0; i < pl->size(); ++i) {
            std::string status = field_str(*pl, i, "status");
            const std::string start = field_str(*pl, i, "start_date");
            const std::string end = field_str(*pl, i, "end_date");
            if (!m_r.date.empty()) {
                // Status on that date from the dates; projects not started yet are hidden.
                if (start.empty() || start.substr(0, 10) > m_r.date) continue;
                status = (!end.empty() && end.substr(0, 10) <= m_r.date) ? "completed" : "under_construction";
            }
            int s = 3;
            for (int k = 0; k < 3; ++k)
                if (status == statuses[k].key) s = k;
            ++used[static_cast<std::size_t>(s)];
            t.values[i] = Value(s < 3 ? std::string(statuses[s].key) : std::string("other"));
            FillPolygon f;
            f.geometry = &pl->metric[i];
            f.fill = s < 3 ? statuses[s].c : kOther;
            f.stroke = Color::rgb(40, 40, 40);
            f.stroke_px = 0.8f;
            f.role = Role::Projects;
            f.feature = static_cast<std::uint32_t>(i);
            m_s.polygons.push_back(f);
            if (!pl->metric[i].empty())
                m_s.labels.push_back({point_on_surface(pl->metric[i]), feature_name(*pl, i, m_r.lang), 7.5f,
                                      Color::rgb(20, 20, 20), Color::rgb(255, 255, 255, 0.85f), 15});
        }
        header(L("项目状态", "Project status"));
        for (int k = 0; k < 3; ++k)
            if (used[static_cast<std::size_t>(k)]) {
                const std::string label =
                    L(statuses[k].zh, statuses[k].en) + " (" + std::to_string(used[static_cast<std::size_t>(k)]) + ")";
                swatch(label, statuses[k].c);
                t.classes.push_back({statuses[k].key, 0, 0, label, statuses[k].c, false});
            }
        if (used[3]) {
            const std::string label = L("其他状态", "Other status") + " (" + std::to_string(used[3]) + ")";
            swatch(label, kOther);
            t.classes.push_back({"other", 0, 0, label, kOther, false});
        }
        hatch_legend();
        if (!m_r.date.empty()) {
            m_sub_zh = m_r.date + "时的状态";
            m_sub_en = "status on " + m_r.date;
        }
    }

    /// Zones over any other map kind (issue 13: zones were invisible outside plan mode and
    /// never printed): a 2 px outline in the plan's orange, no fill (the map under a zone keeps
    /// its colours), labelled above the courtyards' names.
    /// The overlay zones' catchments (MapRequest::zone_catchments): every unit a zone reaches
    /// outlined in teal, more opaque and faintly tinted the larger its weight (the largest over
    /// the zones), under the zones' outlines; one legend line with the walking radius.
    void zone_catchments() {
        if (!m_r.zone_catchments || !m_zones || !m_u.layer || m_r.kind == MapKind::Zones) return;
        m_s.overlay_zones = m_zones;  // drawn (the viewer checks they are current)
        const Layer& units = *m_u.layer;
        std::vector<double> w(units.size(), 0.0);
        double radius = 0;
        for (const OverlayZone& z : *m_zones) {
            if (z.catchment.size() != units.size()) continue;
            radius = std::max(radius, z.catchment_radius);
            for (std::size_t i = 0; i < w.size(); ++i) w[i] = std::max(w[i], std::clamp(z.catchment[i], 0.0, 1.0));
        }
        std::size_t n = 0;
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (!(w[i] > 0) || units.metric[i].empty() || !units.metric[i].is_polygonal()) continue;
            FillPolygon f;
            f.geometry = &units.metric[i];
            f.fill = Color::rgb(0, 137, 123, static_cast<float>(0.08 + 0.17 * w[i]));
            f.stroke = Color::rgb(0, 137, 123, static_cast<float>(0.45 + 0.55 * w[i]));
            f.stroke_px = 1.5f;
            f.role = Role::Zones;
            f.feature = static_cast<std::uint32_t>(i);
            m_s.polygons.push_back(f);
            ++n;
        }
        if (n == 0) return;
        LegendItem it;
        it.kind = LegendItem::Kind::Swatch;
        char r[32];
        std::snprintf(r, sizeof r, "%.0f", radius);
        it.label = L("分区步行可达范围（" + std::string(r) + "米内，" + std::to_string(n) + "个单元）",
                     "Zone catchments (" + std::string(r) + " m walk, " + std::to_string(n) + " units)");
        it.color = Color::rgb(0, 137, 123, 0.25f);
        m_s.legend.push_back(it);
    }

    void zone_overlay() {
        zone_catchments();
        if (!m_r.zones_overlay || m_r.kind == MapKind::Zones) return;
        const Color c = Color::rgb(230, 81, 0);
        std::size_t n = 0;
        auto add = [&](const Geometry* g, std::uint32_t feature, const std::string& name) {
            if (!g || g->empty()) return;
            FillPolygon f;
            f.geometry = g;
            f.fill = Color{c.r, c.g, c.b, 0.0f};
            f.stroke = c;
            f.stroke_px = 2.0f;
            f.role = Role::Zones;
            f.feature = feature;
            m_s.polygons.push_back(f);
            if (!name.empty())
                m_s.labels.push_back({point_on_surface(*g), name, 9.0f, Color::rgb(120, 40, 0),
                                      Color::rgb(255, 255, 255, 0.9f), 20, std::abs(area(*g))});
            ++n;
        };
        if (m_zones) {
            m_s.overlay_zones = m_zones;
            for (std::size_t i = 0; i < m_zones->size(); ++i) {
                const OverlayZone& z = (*m_zones)[i];
                const std::string name = pick(m_r.lang == Lang::Both ? Lang::Zh : m_r.lang, z.name_zh, z.name_en);
                add(&z.geometry, static_cast<std::uint32_t>(i), name.empty() ? z.id : name);
            }
        } else if (const Layer* z = m_p.layer(Role::Zones); z && z->geom_type != GeomType::Point) {
            for (std::size_t i = 0; i < z->size(); ++i)
                add(&z->metric[i], static_cast<std::uint32_t>(i), feature_name(*z, i, m_r.lang));
        }
        if (n == 0) return;
        LegendItem it;
        it.kind = LegendItem::Kind::Line;
        it.label = L("干预分区（" + std::to_string(n) + "个）", "Intervention zones (" + std::to_string(n) + ")");
        it.color = c;
        m_s.legend.push_back(it);
    }

    // [SECTION] context -------------------------------------------------------------------

    void context_layers() {
        const bool light = m_r.kind != MapKind::Lisa && m_r.kind != MapKind::Dominant && m_r.kind != MapKind::Index;
        if (const Layer* b = m_p.layer(Role::Buildings); b && light && b->geom_type != GeomType::Point)
            for (std::size_t i = 0; i < b->size(); ++i) {
                FillPolygon f;
                f.geometry = &b->metric[i];
                f.fill = Color::rgb(255, 255, 255, 0.0f);
                f.stroke = Color::rgb(170, 170, 170);
                f.stroke_px = 0.35f;
                f.role = Role::Buildings;
                f.feature = static_cast<std::uint32_t>(i);
                m_s.polygons.push_back(f);
            }
        if (m_p.layer(Role::Boundary)) {
            Thematic& t = thematic(Thematic::Renderer::Single, "", FieldType::String);
            t.role = Role::Boundary;
            t.fill = Color::rgb(255, 255, 255, 0.0f);
            t.stroke = Color::rgb(40, 40, 40);
            t.stroke_px = 1.8f;
        }
        if (const Layer* bl = m_p.layer(Role::Boundary))
            for (std::size_t i = 0; i < bl->size(); ++i) {
                FillPolygon f;
                f.geometry = &bl->metric[i];
                f.fill = Color::rgb(255, 255, 255, 0.0f);
                f.stroke = Color::rgb(40, 40, 40);
                f.stroke_px = 1.8f;
                f.role = Role::Boundary;
                f.feature = static_cast<std::uint32_t>(i);
                m_s.polygons.push_back(f);
            }
        bool have_path = false, have_street = false;
        if (const Layer* st = m_p.layer(Role::Streets)) {
            Thematic& t = thematic(Thematic::Renderer::Categorized, "kind", FieldType::String);
            t.role = Role::Streets;
            t.stroke = Color::rgb(120, 120, 120);
            t.stroke_px = 1.6f;
            for (std::size_t i = 0; i < st->size(); ++i) t.values.push_back(Value(field_str(*st, i, "kind")));
            ThematicClass path{"path", 0, 0, L("小路", "Path"), Color::rgb(150, 150, 150), false, 0.8f};
            t.classes.push_back(path);
            t.classes.push_back({"", 0, 0, L("街道", "Street"), Color::rgb(120, 120, 120), false, 1.6f});
        }
        if (const Layer* st = m_p.layer(Role::Streets))
            for (std::size_t i = 0; i < st->size(); ++i) {
                const bool path = field_str(*st, i, "kind") == "path";
                LineFeature lf;
                lf.geometry = &st->metric[i];
                lf.color = path ? Color::rgb(150, 150, 150) : Color::rgb(120, 120, 120);
                lf.width_px = path ? 0.8f : 1.6f;
                lf.dashed = path;
                m_s.lines.push_back(lf);
                (path ? have_path : have_street) = true;
            }
        venues();
        // Courtyard labels.
        if (m_u.layer && m_u.layer->geom_type != GeomType::Point && m_r.kind != MapKind::Zones)
            for (std::size_t i = 0; i < m_u.layer->size(); ++i) {
                if (m_u.layer->metric[i].empty()) continue;
                const std::string name = feature_name(*m_u.layer, i, m_r.lang);
                if (name.empty()) continue;
                m_s.labels.push_back({point_on_surface(m_u.layer->metric[i]), name, 8.0f, Color::rgb(30, 30, 30),
                                      Color::rgb(255, 255, 255, 0.85f), 10, std::abs(area(m_u.layer->metric[i]))});
            }
        if (have_street || have_path || m_p.layer(Role::Boundary)) header(L("底图", "Base map"));
        if (m_p.layer(Role::Boundary)) line_legend(L("社区边界", "Community boundary"), Color::rgb(40, 40, 40));
        if (have_street) line_legend(L("街道", "Street"), Color::rgb(120, 120, 120));
        if (have_path) line_legend(L("小路", "Path"), Color::rgb(150, 150, 150));
        for (const auto& v : m_venue_legend) m_s.legend.push_back(v);
    }

    void line_legend(const std::string& text, Color c) {
        LegendItem it;
        it.kind = LegendItem::Kind::Line;
        it.label = text;
        it.color = c;
        m_s.legend.push_back(it);
    }

    std::vector<LegendItem> m_venue_legend;

    void venues() {
        const Layer* v = m_p.layer(Role::Venues);
        if (!v || v->geom_type == GeomType::Polygon) return;
        struct Cat {
            const char* key;
            const char* zh;
            const char* en;
            Shape shape;
            Color c;
            float r;
        };
        static const Cat cats[] = {
            {"party_service_center", "党群服务中心", "Party-masses service centre", Shape::Star, Color::rgb(211, 47, 47), 6.0f},
            {"activity_venue", "活动场所", "Activity venue", Shape::Triangle, Color::rgb(56, 142, 60), 4.0f},
            {"liaison_office", "驻蓉办事处", "Liaison office", Shape::Diamond, Color::rgb(123, 31, 162), 3.8f},
            {"work_unit", "单位", "Work unit", Shape::Square, Color::rgb(25, 118, 210), 3.2f},
            {"shop", "商铺", "Shop", Shape::Circle, Color::rgb(245, 124, 0), 1.8f},
        };
        const Cat other{"", "其他场所", "Other venue", Shape::Circle, Color::rgb(97, 97, 97), 2.2f};
        std::vector<int> used(6, 0);
        const bool by_category = v->table.field_index("category") >= 0;
        Thematic& t = thematic(Thematic::Renderer::Categorized, by_category ? "category" : "kind", FieldType::String);
        t.role = Role::Venues;
        t.stroke = Color::rgb(255, 255, 255);
        t.stroke_px = 0.5f;
        for (std::size_t i = 0; i < v->size(); ++i) {
            std::string c = field_str(*v, i, "category");
            if (c.empty()) c = field_str(*v, i, "kind");
            t.values.push_back(Value(c));
            std::size_t k = 5;
            for (std::size_t j = 0; j < 5; ++j)
                if (c == cats[j].key) k = j;
            const Cat& cat = k < 5 ? cats[k] : other;
            used[k] = 1;
            for (const auto& p : v->metric[i].points) {
                PointSymbol s;
                s.position = p;
                s.fill = cat.c;
                s.stroke = Color::rgb(255, 255, 255);
                s.radius_px = cat.r;
                s.shape = cat.shape;
                s.feature = static_cast<std::uint32_t>(i);
                m_s.points.push_back(s);
            }
            if (k < 4 && !v->metric[i].points.empty())  // label everything but shops
                m_s.labels.push_back({v->metric[i].points[0], feature_name(*v, i, m_r.lang), 7.0f,
                                      Color::rgb(60, 60, 60), Color::rgb(255, 255, 255, 0.85f), k == 0 ? 12 : 5});
        }
        for (std::size_t k = 0; k < 6; ++k) {
            if (!used[k]) continue;
            const Cat& cat = k < 5 ? cats[k] : other;
            // Other venues: every value not listed (a QGIS "all other values" class, value "").
            t.classes.push_back({cat.key, 0, 0, L(cat.zh, cat.en), cat.c, false, cat.r});
            LegendItem it;
            it.kind = LegendItem::Kind::Point;
            it.label = L(cat.zh, cat.en);
            it.color = cat.c;
            it.shape = cat.shape;
            m_venue_legend.push_back(it);
        }
    }

    // [SECTION] texts ----------------------------------------------------------------------

    void texts() {
        m_s.title = m_r.title.empty() ? L(m_kind_zh, m_kind_en) : m_r.title;
        std::string sub = L(m_p.name_zh, m_p.name_en);
        const std::string params = L(m_sub_zh, m_sub_en);
        if (!params.empty()) sub += (sub.empty() ? "" : " · ") + params;
        m_s.subtitle = sub;
        auto& n = m_s.notes;
        if (m_p.illustrative) n.push_back(kIllustrativeNote);
        n.push_back(privacy_note(m_r));
        if (!m_density_note.empty()) n.push_back(m_density_note);
        m_s.stamp = disclosure_policy(m_r).stamp();
        const std::string src = L(m_p.source_zh, m_p.source_en);
        n.push_back(source_note(m_r.lang, m_p));
        const std::string crs = m_p.planar ? L("无坐标系（平面）", "no CRS (planar)") : m_p.metric_crs.label();
        n.push_back(L("制图日期：" + today() + "；坐标系：" + crs + "；指北针指向坐标北",
                      "Map date: " + today() + "; CRS: " + crs + "; the north arrow shows grid north"));
    }
};

}  // namespace

analysis::AutocorrRequest lisa_request(const MapRequest& r) {
    analysis::AutocorrRequest q = analysis::lisa_request(r.group, r.weights,
                                                         static_cast<std::size_t>(std::max(0, r.permutations)), r.seed,
                                                         r.alpha, r.adjust);
    q.privacy = disclosure_policy(r);  // published-only inputs with the guard on (docs/privacy.md, "LISA")
    return q;
}

SceneResults scene_results(const Project& project, const MapRequest& request, const Progress& progress) {
    SceneResults out;
    const bool lisa_z = request.kind == MapKind::Index && request.index_id == "lisa_z";
    if (request.kind == MapKind::Lisa || lisa_z) {
        if (request.group.empty())
            throw InputError(lisa_z ? "index:lisa_z needs a group: index:lisa_z:GROUP" : "the LISA map needs a group");
        analysis::AutocorrRequest q = lisa_request(request);
        if (lisa_z) q.permutations = 0;  // the analytical z does not depend on them
        out.lisa = analysis::autocorrelation(project, q, progress);
    }
    return out;
}

Scene build_scene(std::shared_ptr<const Project> project, const MapRequest& request, const SceneResults& results,
                  const Progress& progress) {
    if (!project) throw InputError("no project loaded");
    Builder b(std::move(project), request, results, progress);
    return b.build();
}

Scene build_scene(std::shared_ptr<const Project> project, const MapRequest& request, const Progress& progress) {
    return build_scene(std::move(project), request, SceneResults{}, progress);
}

}  // namespace hq::carto
