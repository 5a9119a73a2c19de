// The GIS hand-off: a GeoPackage with the map's layers, their results as fields and QGIS
// styles in `layer_styles`; a raster overlay as a styled GeoTIFF beside it.
//
// [SECTION] index
//   XML helpers
//   QML (QGIS styles): symbols, renderers, raster
//   SLD
//   the GeoPackage: layers, fields, zones' evaluations, writing
#include "app/export/handoff.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "app/carto/ramps.hpp"
#include "app/export/scenario.hpp"
#include "geo/analysis/per_unit.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/io/raster.hpp"
#include "geo/io/writer.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/core/text.hpp"

namespace hq::exporter {

using carto::Color;
using carto::Thematic;
using carto::ThematicClass;

namespace {

// [SECTION] XML helpers ------------------------------------------------------------------

int c8(float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); }
std::string qgis_color(const Color& c) {
    return std::to_string(c8(c.r)) + "," + std::to_string(c8(c.g)) + "," + std::to_string(c8(c.b)) + "," +
           std::to_string(c8(c.a));
}
std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}
/// CSS pixels (1/96 in) to millimetres, QGIS's symbol unit.
std::string mm(double px) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", px * 25.4 / 96.0);
    return buf;
}

// [SECTION] QML ------------------------------------------------------------------------------

enum class SymbolKind { Fill, Line, Marker };
SymbolKind symbol_kind(GeomType g) {
    switch (g) {
        case GeomType::Point:
        case GeomType::MultiPoint: return SymbolKind::Marker;
        case GeomType::LineString:
        case GeomType::MultiLineString: return SymbolKind::Line;
        default: return SymbolKind::Fill;
    }
}

/// A symbol layer with its properties both as QGIS ≥ 3.26 writes them (an Option map) and as
/// older versions read them (prop elements).
std::string symbol_layer(const char* cls, const std::vector<std::pair<std::string, std::string>>& props) {
    std::string s = std::string("      <layer class=\"") + cls + "\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
    s += "        <Option type=\"Map\">\n";
    for (const auto& [k, v] : props)
        s += "          <Option name=\"" + xml_escape(k) + "\" type=\"QString\" value=\"" + xml_escape(v) + "\"/>\n";
    s += "        </Option>\n";
    for (const auto& [k, v] : props) s += "        <prop k=\"" + xml_escape(k) + "\" v=\"" + xml_escape(v) + "\"/>\n";
    s += "      </layer>\n";
    return s;
}

struct SymbolStyle {
    Color fill, stroke;
    float stroke_px = 0.6f;
    bool hatched = false;
    bool dashed = false;
    float radius_px = 3.0f;
};

const Color kHatchLine = Color::rgb(120, 120, 120);

std::string symbol_xml(std::size_t name, SymbolKind kind, const SymbolStyle& st) {
    const char* type = kind == SymbolKind::Fill ? "fill" : kind == SymbolKind::Line ? "line" : "marker";
    std::string s = std::string("    <symbol type=\"") + type + "\" name=\"" + std::to_string(name) +
                    "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
    if (kind == SymbolKind::Fill) {
        s += symbol_layer("SimpleFill", {{"color", qgis_color(st.fill)},
                                         {"style", "solid"},
                                         {"outline_color", qgis_color(st.stroke)},
                                         {"outline_style", "solid"},
                                         {"outline_width", mm(st.stroke_px)},
                                         {"outline_width_unit", "MM"},
                                         {"joinstyle", "bevel"}});
        if (st.hatched)  // the map's grey diagonal hatching of suppressed units
            s += symbol_layer("SimpleFill", {{"color", qgis_color(kHatchLine)},
                                             {"style", "b_diagonal"},
                                             {"outline_style", "no"},
                                             {"outline_width", "0"},
                                             {"outline_width_unit", "MM"}});
    } else if (kind == SymbolKind::Line) {
        s += symbol_layer("SimpleLine", {{"line_color", qgis_color(st.fill)},
                                         {"line_style", st.dashed ? "dash" : "solid"},
                                         {"line_width", mm(st.stroke_px)},
                                         {"line_width_unit", "MM"},
                                         {"capstyle", "round"},
                                         {"joinstyle", "round"}});
    } else {
        s += symbol_layer("SimpleMarker", {{"name", "circle"},
                                           {"color", qgis_color(st.fill)},
                                           {"outline_color", qgis_color(st.stroke)},
                                           {"outline_style", "solid"},
                                           {"outline_width", mm(st.stroke_px)},
                                           {"outline_width_unit", "MM"},
                                           {"size", mm(2.0 * st.radius_px)},
                                           {"size_unit", "MM"}});
    }
    s += "    </symbol>\n";
    return s;
}

SymbolStyle class_style(const Thematic& t, const ThematicClass& c, SymbolKind kind) {
    SymbolStyle st;
    st.fill = c.color;
    st.stroke = t.stroke;
    st.stroke_px = t.stroke_px;
    st.hatched = c.hatched;
    st.dashed = t.dashed;
    st.radius_px = t.radius_px;
    if (c.radius_px > 0) (kind == SymbolKind::Line ? st.stroke_px : st.radius_px) = c.radius_px;
    if (kind == SymbolKind::Line && c.value == "path") st.dashed = true;
    return st;
}

int geometry_code(SymbolKind k) { return k == SymbolKind::Marker ? 0 : k == SymbolKind::Line ? 1 : 2; }

}  // namespace

std::string pie_diagram_qml(const carto::Scene& scene) {
    if (scene.request.kind != carto::MapKind::Composition || !scene.project || scene.pie_key.groups.empty()) return "";
    const Project& p = *scene.project;
    const auto quoted = [](const std::string& field) { return "\"" + field + "\""; };
    std::string shown;  // the counts with a slice of their own, NULL (withheld) as 0
    for (const std::size_t g : scene.pie_key.groups)
        shown += (shown.empty() ? "" : " + ") + std::string("coalesce(") + quoted(p.groups[g].column) + ", 0)";
    const std::string diameter = mm(2.0 * scene.pie_key.max_radius_px);
    std::ostringstream o;
    o << "  <LinearlyInterpolatedDiagramRenderer diagramType=\"Pie\" attributeLegend=\"1\" "
      << "classificationAttributeExpression=\"" << xml_escape(quoted("total")) << "\" lowerValue=\"0\" upperValue=\""
      << num(std::max(scene.pie_key.max_total, 1.0)) << "\" lowerWidth=\"0\" lowerHeight=\"0\" upperWidth=\"" << diameter
      << "\" upperHeight=\"" << diameter << "\">\n"
      << "    <DiagramCategory enabled=\"1\" opacity=\"1\" sizeType=\"MM\" width=\"" << diameter << "\" height=\""
      << diameter << "\" scaleDependency=\"Area\" penColor=\"#ffffff\" penWidth=\"0.2\" penAlpha=\"255\" "
      << "backgroundColor=\"#ffffff\" backgroundAlpha=\"0\" rotationOffset=\"270\" direction=\"1\" "
         "minimumSize=\"0\" scaleBasedVisibility=\"0\" lineSizeType=\"MM\" labelPlacementMethod=\"XHeight\" "
         "diagramOrientation=\"Up\" barWidth=\"5\" showAxis=\"0\" spacing=\"0\" spacingUnit=\"MM\">\n"
      << "      <fontProperties description=\"WenQuanYi Micro Hei,9,-1,5,50,0,0,0,0,0\" style=\"\"/>\n";
    for (const std::size_t g : scene.pie_key.groups)
        o << "      <attribute field=\"" << xml_escape(quoted(p.groups[g].column)) << "\" color=\""
          << Color::hex(p.groups[g].color).to_hex() << "\" colorOpacity=\"1\" label=\""
          << xml_escape(carto::group_label(p.groups[g], scene.request.lang)) << "\"/>\n";
    if (scene.pie_key.with_other)
        o << "      <attribute field=\"" << xml_escape(quoted("total") + " - (" + shown + ")") << "\" color=\""
          << scene.pie_key.other.to_hex() << "\" colorOpacity=\"1\" label=\""
          << xml_escape(carto::pick(scene.request.lang, "其他", "Other")) << "\"/>\n";
    o << "    </DiagramCategory>\n  </LinearlyInterpolatedDiagramRenderer>\n"
      << "  <DiagramLayerSettings placement=\"1\" priority=\"5\" zIndex=\"0\" dist=\"0\" obstacle=\"0\" "
         "showAll=\"1\" linePlacementFlags=\"18\"/>\n";
    return o.str();
}

std::string thematic_qml(const Thematic& t, GeomType geometry, const std::string& diagram) {
    const SymbolKind kind = symbol_kind(geometry);
    std::ostringstream o;
    o << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
      << "<qgis version=\"3.28.0-Firenze\" styleCategories=\"" << (diagram.empty() ? "Symbology" : "Symbology|Diagrams")
      << "\">\n";
    std::string symbols;
    if (t.renderer == Thematic::Renderer::Single || t.classes.empty()) {
        SymbolStyle st;
        st.fill = t.fill;
        st.stroke = t.stroke;
        st.stroke_px = t.stroke_px;
        st.dashed = t.dashed;
        st.radius_px = t.radius_px;
        if (kind == SymbolKind::Line) st.fill = t.stroke;
        o << "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n"
          << "   <symbols>\n"
          << symbol_xml(0, kind, st) << "   </symbols>\n"
          << "  </renderer-v2>\n";
    } else if (t.renderer == Thematic::Renderer::Categorized) {
        o << "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" << xml_escape(t.field)
          << "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n   <categories>\n";
        for (std::size_t i = 0; i < t.classes.size(); ++i)
            // A category of value "" holds every other value and NULL (QGIS's "all other values").
            o << "    <category value=\"" << xml_escape(t.classes[i].value) << "\" symbol=\"" << i << "\" label=\""
              << xml_escape(t.classes[i].label) << "\" render=\"true\"/>\n";
        o << "   </categories>\n   <symbols>\n";
        for (std::size_t i = 0; i < t.classes.size(); ++i) o << symbol_xml(i, kind, class_style(t, t.classes[i], kind));
        o << "   </symbols>\n  </renderer-v2>\n";
    } else {
        o << "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" << xml_escape(t.field)
          << "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n"
          << "   <ranges>\n";
        std::size_t k = 0;
        std::string syms;
        for (const auto& c : t.classes) {
            if (c.hatched) continue;  // null values: no range matches them (QGIS draws nothing)
            o << "    <range lower=\"" << num(c.lower) << "\" upper=\"" << num(c.upper) << "\" symbol=\"" << k
              << "\" label=\"" << xml_escape(c.label) << "\" render=\"true\"/>\n";
            syms += symbol_xml(k++, kind, class_style(t, c, kind));
        }
        o << "   </ranges>\n   <symbols>\n" << syms << "   </symbols>\n  </renderer-v2>\n";
    }
    o << "  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n"
      << diagram << "  <layerGeometryType>" << geometry_code(kind) << "</layerGeometryType>\n</qgis>\n";
    return o.str();
}

std::string raster_qml(const carto::RasterOverlay& r) {
    std::ostringstream o;
    const double lo = r.lo, hi = r.hi > r.lo ? r.hi : r.lo + 1e-12;
    o << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
      << "<qgis version=\"3.28.0-Firenze\" styleCategories=\"Symbology\">\n  <pipe>\n"
      << "    <rasterrenderer type=\"singlebandpseudocolor\" band=\"1\" opacity=\"" << num(r.opacity)
      << "\" alphaBand=\"-1\" classificationMin=\"" << num(lo) << "\" classificationMax=\"" << num(hi)
      << "\" nodataColor=\"\">\n"
      << "      <rasterTransparency/>\n"
      << "      <minMaxOrigin><limits>None</limits><extent>WholeRaster</extent><statAccuracy>Exact</statAccuracy>"
         "<cumulativeCutLower>0.02</cumulativeCutLower><cumulativeCutUpper>0.98</cumulativeCutUpper>"
         "<stdDevFactor>2</stdDevFactor></minMaxOrigin>\n"
      << "      <rastershader>\n        <colorrampshader colorRampType=\"INTERPOLATED\" classificationMode=\"1\" "
         "clip=\"0\" minimumValue=\""
      << num(lo) << "\" maximumValue=\"" << num(hi) << "\" labelPrecision=\"3\">\n";
    // The ramp's own stops (exact: between them both ramps are linear in sRGB), and with
    // fade_low the map's fade-in over the lowest 8 % (alpha 0 at lo).
    const std::size_t m = std::max<std::size_t>(carto::ramp_stops(r.ramp).size(), 2);
    std::vector<double> ts;
    for (std::size_t i = 0; i < m; ++i) ts.push_back(static_cast<double>(i) / static_cast<double>(m - 1));
    if (r.fade_low) ts.push_back(0.08);
    std::sort(ts.begin(), ts.end());
    for (const double t : ts) {
        const Color c = carto::ramp_at(r.ramp, t);
        const int alpha = r.fade_low ? static_cast<int>(std::lround(255.0 * std::min(1.0, t / 0.08))) : 255;
        const double v = lo + t * (hi - lo);
        char label[32];
        std::snprintf(label, sizeof label, "%.3g", v);
        o << "          <item value=\"" << num(v) << "\" color=\"" << c.to_hex() << "\" alpha=\"" << alpha
          << "\" label=\"" << label << "\"/>\n";
    }
    o << "        </colorrampshader>\n      </rastershader>\n    </rasterrenderer>\n"
      << "    <brightnesscontrast brightness=\"0\" contrast=\"0\"/>\n"
      << "    <huesaturation saturation=\"0\" grayscaleMode=\"0\" colorizeOn=\"0\"/>\n"
      << "    <rasterresampler maxOversampling=\"2\"/>\n  </pipe>\n  <blendMode>0</blendMode>\n</qgis>\n";
    return o.str();
}

// [SECTION] SLD -------------------------------------------------------------------------------

namespace {

std::string sld_symbolizer(SymbolKind kind, const SymbolStyle& st) {
    const auto param = [](const char* n, const std::string& v) {
        return std::string("<se:SvgParameter name=\"") + n + "\">" + xml_escape(v) + "</se:SvgParameter>";
    };
    const auto opacity = [](float a) { return num(std::round(static_cast<double>(a) * 1000.0) / 1000.0); };
    const std::string stroke = "<se:Stroke>" + param("stroke", st.stroke.to_hex()) +
                               param("stroke-opacity", opacity(st.stroke.a)) +
                               param("stroke-width", mm(st.stroke_px)) + "</se:Stroke>";
    if (kind == SymbolKind::Fill) {
        std::string s = "<se:PolygonSymbolizer uom=\"http://www.opengeospatial.org/se/units/metre\"><se:Fill>" +
                        param("fill", st.fill.to_hex()) + param("fill-opacity", opacity(st.fill.a)) + "</se:Fill>";
        return s + stroke + "</se:PolygonSymbolizer>";
    }
    if (kind == SymbolKind::Line)
        return "<se:LineSymbolizer><se:Stroke>" + param("stroke", st.fill.to_hex()) +
               param("stroke-width", mm(st.stroke_px)) + (st.dashed ? param("stroke-dasharray", "4 2") : "") +
               "</se:Stroke></se:LineSymbolizer>";
    return "<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName><se:Fill>" +
           param("fill", st.fill.to_hex()) + "</se:Fill>" + stroke + "</se:Mark><se:Size>" + mm(2 * st.radius_px) +
           "</se:Size></se:Graphic></se:PointSymbolizer>";
}

std::string prop(const std::string& f) { return "<ogc:PropertyName>" + xml_escape(f) + "</ogc:PropertyName>"; }
std::string lit(const std::string& v) { return "<ogc:Literal>" + xml_escape(v) + "</ogc:Literal>"; }

std::string rule(const std::string& label, const std::string& filter, const std::string& symbolizer) {
    return "   <se:Rule><se:Name>" + xml_escape(label) + "</se:Name><se:Description><se:Title>" + xml_escape(label) +
           "</se:Title></se:Description>" + filter + symbolizer + "</se:Rule>\n";
}

}  // namespace

std::string thematic_sld(const Thematic& t, GeomType geometry, const std::string& layer) {
    const SymbolKind kind = symbol_kind(geometry);
    std::ostringstream o;
    o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<StyledLayerDescriptor version=\"1.1.0\" xmlns=\"http://www.opengis.net/sld\" "
         "xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:se=\"http://www.opengis.net/se\" "
         "xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
      << " <NamedLayer><se:Name>" << xml_escape(layer) << "</se:Name><UserStyle><se:Name>" << xml_escape(layer)
      << "</se:Name><se:FeatureTypeStyle>\n";
    if (t.renderer == Thematic::Renderer::Single || t.classes.empty()) {
        SymbolStyle st;
        st.fill = kind == SymbolKind::Line ? t.stroke : t.fill;
        st.stroke = t.stroke;
        st.stroke_px = t.stroke_px;
        st.radius_px = t.radius_px;
        o << rule(layer, "", sld_symbolizer(kind, st));
    } else {
        bool first = true;
        for (const auto& c : t.classes) {
            const SymbolStyle st = class_style(t, c, kind);
            std::string filter;
            if (c.hatched || (t.renderer == Thematic::Renderer::Categorized && c.value.empty())) {
                // "" = every other value (and null): SLD's else rule.
                o << "   <se:Rule><se:Name>" << xml_escape(c.label) << "</se:Name><se:Description><se:Title>" << xml_escape(c.label)
                  << "</se:Title></se:Description><se:ElseFilter/>" << sld_symbolizer(kind, st) << "</se:Rule>\n";
                continue;
            }
            if (t.renderer == Thematic::Renderer::Categorized) {
                filter = "<ogc:Filter><ogc:PropertyIsEqualTo>" + prop(t.field) + lit(c.value) +
                         "</ogc:PropertyIsEqualTo></ogc:Filter>";
            } else {
                filter = std::string("<ogc:Filter><ogc:And>") +
                         (first ? "<ogc:PropertyIsGreaterThanOrEqualTo>" : "<ogc:PropertyIsGreaterThan>") +
                         prop(t.field) + lit(num(c.lower)) +
                         (first ? "</ogc:PropertyIsGreaterThanOrEqualTo>" : "</ogc:PropertyIsGreaterThan>") +
                         "<ogc:PropertyIsLessThanOrEqualTo>" + prop(t.field) + lit(num(c.upper)) +
                         "</ogc:PropertyIsLessThanOrEqualTo></ogc:And></ogc:Filter>";
                first = false;
            }
            o << rule(c.label, filter, sld_symbolizer(kind, st));
        }
    }
    o << " </se:FeatureTypeStyle></UserStyle></NamedLayer>\n</StyledLayerDescriptor>\n";
    return o.str();
}

// [SECTION] The GeoPackage ----------------------------------------------------------------------

namespace {

namespace fs = std::filesystem;

/// `l` with its table replaced (geometry, ids and CRS kept).
Layer with_table(const Layer& l, Table table) {
    Layer out = l;
    table.name = l.table.name;
    out.table = std::move(table);
    return out;
}

/// Appends a column unless the table has one of that name.
void add_column(Table& t, const std::string& name, FieldType type, const std::vector<Value>& values) {
    if (name.empty() || t.field_index(name) >= 0 || values.size() != t.rows.size()) return;
    t.fields.push_back({name, type});
    for (std::size_t i = 0; i < t.rows.size(); ++i) t.rows[i].push_back(values[i]);
}

Value count_value(const privacy::Cell& c) {
    if (c.suppressed() || !std::isfinite(c.value)) return {};
    return Value(c.value);
}
Value real(double v) { return std::isfinite(v) ? Value(v) : Value(); }

/// The zones layer with each zone's evaluation (plan evaluate's numbers; counts through
/// the disclosure policy as there).
Layer zones_with_evaluations(const Project& p, const Layer& zl, const privacy::DisclosurePolicy& policy,
                             const HandoffOptions& o, const Progress& progress) {
    Layer out = zl;
    const std::vector<plan::Zone> zones = project_zones(p, nullptr);
    if (zones.size() != zl.size() || p.groups.empty() || !analysis::units_layer(p)) return out;
    plan::PlannerOptions po;
    po.radius = o.zone_radius;
    po.exposure_fraction = o.fraction;
    po.privacy = policy;  // hh_share from the LISA under the same guard (docs/privacy.md, "LISA")
    const plan::Planner planner = analysis::make_planner(p, po, progress);
    const std::size_t n = zones.size(), G = p.groups.size();
    std::vector<Value> reached(n), total(n), entropy(n), simpson(n), hh(n), redundancy(n), before(n), after(n);
    std::vector<std::vector<Value>> by_group(G, std::vector<Value>(n)), share(G, std::vector<Value>(n));
    std::vector<plan::ZoneEvaluation> evals;
    for (const plan::Zone& zone : zones) {
        progress.check();
        evals.push_back(planner.evaluate(zone.geometry));
    }
    // Protected jointly, as plan evaluate and the report do: one zone's reach must not be
    // recoverable by differencing overlapping catchments (privacy::zone_reach_tables).
    const std::vector<privacy::ProtectedTable> reaches = plan::zone_reach_tables(planner.input(), evals, policy);
    // Values exact in withheld counts are NULL, as in plan evaluate (docs/privacy.md,
    // "Catchment diversity"): the mix by its reach table, the mean isolation by the units ×
    // groups table, the redundancy by the reached units' residents.
    const bool mean_published = plan::exposure_published(planner.input(), policy).mean;
    for (std::size_t z = 0; z < n; ++z) {
        const plan::ZoneEvaluation& e = evals[z];
        const privacy::ProtectedTable& rt = reaches[z];
        reached[z] = count_value(rt.col_total(0));
        total[z] = count_value(rt.grand_total());
        const bool mix = privacy::catchment_mix_published(rt);
        const bool covered = plan::redundancy_published(e, policy);
        entropy[z] = mix ? real(e.entropy_normalised) : Value();
        simpson[z] = mix ? real(e.simpson_interaction) : Value();
        hh[z] = real(e.hh_share);
        redundancy[z] = covered ? real(e.redundancy) : Value();
        before[z] = mean_published ? real(e.mean_isolation_before) : Value();
        after[z] = mean_published ? real(e.mean_isolation_after) : Value();
        for (std::size_t g = 0; g < G && g < e.groups.size(); ++g) {
            by_group[g][z] = count_value(rt.cell(g, 0));
            if (const auto s = privacy::share(rt.cell(g, 0), rt.row_total(g))) share[g][z] = Value(*s);
        }
    }
    Table& t = out.table;
    add_column(t, "residents_reached", FieldType::Real, reached);
    add_column(t, "residents_total", FieldType::Real, total);
    add_column(t, "entropy_normalised", FieldType::Real, entropy);
    add_column(t, "simpson_interaction", FieldType::Real, simpson);
    add_column(t, "hh_share", FieldType::Real, hh);
    add_column(t, "redundancy", FieldType::Real, redundancy);
    add_column(t, "mean_isolation_before", FieldType::Real, before);
    add_column(t, "mean_isolation_after", FieldType::Real, after);
    for (std::size_t g = 0; g < G; ++g) {
        add_column(t, "reached_" + p.groups[g].column, FieldType::Real, by_group[g]);
        add_column(t, "reached_share_" + p.groups[g].column, FieldType::Real, share[g]);
    }
    return out;
}

std::string lower_ascii(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

HandoffFiles write_handoff(const carto::Scene& scene, const carto::SceneResults& results, const std::string& path,
                           const HandoffOptions& options, const Progress& progress) {
    if (!scene.project) throw InputError("no project loaded");
    const Project& p = *scene.project;
    if (lower_ascii(fs::path(path).extension().string()) != ".gpkg")
        throw InputError(ErrorContext{path}, "the GIS hand-off is a GeoPackage: name it .gpkg");
    const privacy::DisclosurePolicy policy = carto::disclosure_policy(scene.request);
    HandoffFiles files;
    files.gpkg = path;

    std::vector<Layer> layers;      // owned here; GpkgLayer points into it
    std::vector<Role> roles;
    layers.reserve(8);
    const Layer* units = analysis::units_layer(p);
    progress.report(0.05, "fields");
    // With the guard on, exact index values are withheld wherever a unit's counts are
    // (geo/analysis/per_unit.hpp); a graduated map is then handed off as the class number
    // of each unit (FIELD_class, the map's classes as ranges k − ½ … k + ½ with the map's
    // labels), which shows what the map shows and nothing more.
    std::vector<Thematic> thematic = scene.thematic;
    for (auto& t : thematic)
        if (policy.guard && t.renderer == Thematic::Renderer::Graduated && t.role == Role::Units) {
            std::vector<ThematicClass> ranges;
            for (const auto& c : t.classes)
                if (!c.hatched) ranges.push_back(c);
            for (auto& v : t.values) {
                const auto* d = std::get_if<double>(&v);
                if (!d) continue;
                Value k;
                for (std::size_t c = 0; c < ranges.size(); ++c)
                    if (*d >= ranges[c].lower && *d <= ranges[c].upper) {
                        k = Value(static_cast<std::int64_t>(c + 1));
                        break;
                    }
                v = k;
            }
            for (std::size_t c = 0; c < ranges.size(); ++c) {
                ranges[c].lower = static_cast<double>(c) + 0.5;
                ranges[c].upper = static_cast<double>(c) + 1.5;
            }
            for (const auto& c : t.classes)
                if (c.hatched) ranges.push_back(c);
            t.classes = std::move(ranges);
            t.field += "_class";
            t.type = FieldType::Integer;
        }
    if (units) {
        Table table = units->table;
        if (!p.groups.empty()) {
            const auto counts = analysis::group_count_table(p, units);
            analysis::PerUnitRequest rq;
            rq.privacy = policy;
            if (results.lisa && results.lisa->layer == units) rq.lisa = results.lisa.get();
            table = analysis::per_unit_table(*counts, rq);
        }
        for (const auto& t : thematic)
            if (t.role == Role::Units && !t.field.empty()) add_column(table, t.field, t.type, t.values);
        layers.push_back(with_table(*units, std::move(table)));
        roles.push_back(Role::Units);
    }
    progress.report(0.3, "zones");
    if (const Layer* z = p.layer(Role::Zones)) {
        layers.push_back(zones_with_evaluations(p, *z, policy, options, progress));
        roles.push_back(Role::Zones);
    }
    for (const Role r : {Role::Projects, Role::Boundary, Role::Streets, Role::Venues})
        if (const Layer* l = p.layer(r)) {
            Layer copy = *l;
            for (const auto& t : thematic)
                if (t.role == r && !t.field.empty()) add_column(copy.table, t.field, t.type, t.values);
            layers.push_back(std::move(copy));
            roles.push_back(r);
        }

    // Provenance and the disclosure rule, where a GIS user finds them beside the layers.
    Layer about;
    about.table.fields = {{"key", FieldType::String}, {"value", FieldType::String}};
    const auto line = [&](const std::string& k, const std::string& v) {
        about.table.rows.push_back({Value(k), Value(v)});
        about.ids.push_back(std::to_string(about.ids.size() + 1));
    };
    line("title", scene.title);
    line("subtitle", scene.subtitle);
    for (const auto& n : scene.notes) line("note", n);
    if (!scene.stamp.empty()) line("stamp", scene.stamp);
    line("privacy_k", std::to_string(policy.k));
    line("privacy_guard", policy.guard ? "on" : "off");

    std::vector<GpkgLayer> out;
    std::vector<LayerStyle> styles;
    std::string description = scene.title;
    for (const auto& n : scene.notes) description += "\n" + n;
    if (!scene.stamp.empty()) description = scene.stamp + "\n" + description;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        GpkgLayer g;
        g.layer = &layers[i];
        g.options.geometry = GeometrySource::Metric;
        g.options.metric_crs = p.planar ? Crs{} : p.metric_crs;
        g.options.layer_name = role_name(roles[i]);
        g.options.id_field = layers[i].id_field.empty() ? "id" : layers[i].id_field;
        out.push_back(g);
        files.layers.push_back(g.options.layer_name);
        for (const auto& t : thematic)
            if (t.role == roles[i]) {
                LayerStyle s;
                s.table = g.options.layer_name;
                s.name = std::string("huqian ") + carto::map_kind_name(scene.request.kind);
                s.qml = thematic_qml(t, layers[i].geom_type, roles[i] == Role::Units ? pie_diagram_qml(scene) : "");
                s.sld = thematic_sld(t, layers[i].geom_type, s.table);
                s.description = description;
                styles.push_back(std::move(s));
                break;
            }
    }
    GpkgLayer ab;
    ab.layer = &about;
    ab.options.layer_name = "huqian_about";
    ab.options.id_field = "";
    out.push_back(ab);

    progress.report(0.6, "writing");
    AtomicFileGroup group;
    if (scene.raster && scene.raster->values && scene.raster->values->width > 0) {
        const carto::RasterOverlay& r = *scene.raster;
        std::string kind = carto::map_kind_name(scene.request.kind);
        const fs::path base = fs::path(path).replace_extension("");
        files.raster = base.string() + "." + kind + ".tif";
        files.raster_qml = base.string() + "." + kind + ".qml";
        Grid grid = *r.values;
        if (grid.crs_wkt.empty() && !p.planar) grid.crs_wkt = p.metric_crs.wkt;
        write_geotiff(group.add(files.raster, AtomicFile::Kind::Named), {&grid}, {scene.title + " (" + r.unit + ")"});
        group.add(files.raster_qml).write(raster_qml(r));
    }
    write_geopackage(group.add(path, AtomicFile::Kind::Named), out, styles, progress);
    group.commit();
    progress.report(1.0, "written");
    return files;
}

}  // namespace hq::exporter
