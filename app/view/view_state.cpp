// The view state in the planning document and the active map tool (view_state.hpp).
#include "app/view/view_state.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "app/carto/ramps.hpp"
#include "app/view/export_dialog.hpp"
#include "app/view/plan_panels.hpp"

namespace hq::view {
namespace {

constexpr const char* kModes[] = {"composition", "dominant", "heatmap",   "mixing",
                                  "lisa",        "projects", "graduated", "single"};
constexpr const char* kWeights[] = {"queen", "rook", "knn6"};
constexpr const char* kAdjust[] = {"none", "bonferroni", "fdr"};
constexpr const char* kClassifications[] = {"quantile", "equal_interval", "natural_breaks", "stddev"};

/// `v` with `decimals` decimals ("0.45").
std::string fixed(double v, int decimals) {
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

template <std::size_t N>
std::optional<int> index_of(const char* const (&names)[N], const std::string& v) {
    for (std::size_t i = 0; i < N; ++i)
        if (v == names[i]) return static_cast<int>(i);
    return std::nullopt;
}

std::optional<double> to_number(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string hex_colour(const float c[3]) {
    char b[16];
    auto byte = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
    std::snprintf(b, sizeof b, "#%02x%02x%02x", byte(c[0]), byte(c[1]), byte(c[2]));
    return b;
}

bool parse_colour(const std::string& s, float out[3]) {
    if (s.size() != 7 || s[0] != '#') return false;
    for (int k = 0; k < 3; ++k) {
        char* end = nullptr;
        const std::string part = s.substr(1 + 2 * static_cast<std::size_t>(k), 2);
        const long v = std::strtol(part.c_str(), &end, 16);
        if (end != part.c_str() + 2) return false;
        out[k] = static_cast<float>(v) / 255.0f;
    }
    return true;
}

std::string join(const std::vector<std::string>& keys) {
    std::string s;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i) s += '\n';
        s += keys[i];
    }
    return s;
}

std::vector<std::string> split_lines(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        const auto nl = s.find('\n', start);
        const std::string part = s.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!part.empty()) out.push_back(part);
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    return out;
}

std::vector<std::string> canonical_layers(const Controller& app) {
    std::vector<std::string> keys;
    for (const MeshBatch* b : app.all_batches()) keys.push_back(b->key);
    return keys;
}

/// The value a key has when the document does not set it: the baseline's, else the layers'
/// defaults (visible, opaque, canonical order).
std::optional<std::string> fallback(const std::string& key, const SettingsMap& baseline,
                                    const std::vector<std::string>& canonical) {
    if (auto it = baseline.find(key); it != baseline.end()) return it->second;
    if (key == kOrderKey) return join(canonical);
    if (starts_with(key, "layer.")) {
        const std::string vis = ".visible", op = ".opacity";
        if (key.size() > vis.size() && key.compare(key.size() - vis.size(), vis.size(), vis) == 0)
            return "true";
        if (key.size() > op.size() && key.compare(key.size() - op.size(), op.size(), op) == 0) return "1.00";
    }
    return std::nullopt;
}

std::optional<std::string> effective(const std::string& key, const SettingsMap& settings,
                                     const SettingsMap& baseline, const std::vector<std::string>& canonical) {
    if (auto it = settings.find(key); it != settings.end()) return it->second;
    return fallback(key, baseline, canonical);
}

void apply_layers(const SettingsMap& settings, const SettingsMap& baseline, UiState& ui,
                  const std::vector<std::string>& canonical) {
    auto value = [&](const std::string& k) { return effective(k, settings, baseline, canonical); };
    if (auto v = value(kLabelsKey)) {
        if (*v == "true")
            ui.show_labels = true;
        else if (*v == "false")
            ui.show_labels = false;
    }
    for (LayerState& l : ui.layers) {
        if (auto v = value(layer_visible_key(l.key))) {
            if (*v == "true")
                l.visible = true;
            else if (*v == "false")
                l.visible = false;
        }
        if (auto v = value(layer_opacity_key(l.key)))
            if (auto x = to_number(*v)) l.opacity = static_cast<float>(std::clamp(*x, 0.0, 1.0));
    }
    // Order (bottom to top): the layers the setting lists take the places those layers hold,
    // in the listed order; layers it does not list stay where they are.
    if (auto v = value(kOrderKey)) {
        const std::vector<std::string> order = split_lines(*v);
        auto rank = [&](const std::string& key) {
            return static_cast<std::size_t>(std::find(order.begin(), order.end(), key) - order.begin());
        };
        std::vector<std::size_t> places;
        std::vector<LayerState> listed;
        for (std::size_t i = 0; i < ui.layers.size(); ++i)
            if (rank(ui.layers[i].key) < order.size()) {
                places.push_back(i);
                listed.push_back(ui.layers[i]);
            }
        std::stable_sort(listed.begin(), listed.end(),
                         [&](const LayerState& a, const LayerState& b) { return rank(a.key) < rank(b.key); });
        for (std::size_t k = 0; k < places.size(); ++k) ui.layers[places[k]] = listed[k];
    }
}

ViewChange diff(const SettingsMap& before, const SettingsMap& after) {
    ViewChange c;
    auto note = [&](const std::string& k) {
        if (starts_with(k, "map."))
            c.scene = true;
        else if (starts_with(k, "plan."))
            c.planner = true;
        else
            c.layers = true;
    };
    for (const auto& [k, v] : after)
        if (auto it = before.find(k); it == before.end() || it->second != v) note(k);
    for (const auto& [k, v] : before)
        if (!after.count(k)) note(k);
    return c;
}

}  // namespace

SettingsMap view_settings(const UiState& ui, const ProjectData* data) {
    SettingsMap s;
    s["map.mode"] = kModes[std::clamp(static_cast<int>(ui.mode), 0, 7)];
    if (data && ui.group >= 0 && static_cast<std::size_t>(ui.group) < data->project->groups.size())
        s["map.group"] = data->project->groups[static_cast<std::size_t>(ui.group)].column;
    s["map.heatmap_radius"] = fixed(ui.radius_m, 0);
    s["map.weights"] = kWeights[std::clamp(ui.weights, 0, 2)];
    s["map.permutations"] = std::to_string(ui.permutations);
    s["map.alpha"] = fixed(ui.alpha, 3);
    s["map.adjust"] = kAdjust[std::clamp(ui.adjust, 0, 2)];
    const auto& ids = carto::local_index_ids();
    s["map.variable"] =
        ids[static_cast<std::size_t>(std::clamp(ui.variable, 0, static_cast<int>(ids.size()) - 1))];
    s["map.classification"] = kClassifications[std::clamp(ui.classification, 0, 3)];
    s["map.classes"] = std::to_string(ui.classes);
    s["map.ramp"] = ui.ramp;
    s["map.colour"] = hex_colour(ui.single_color);
    s["map.date"] = ui.all_dates ? std::string("all") : civil_from_days(ui.date_day);
    s["map.glyph"] = ui.glyph == 1 ? "bar" : "pie";
    s["map.other_share"] = fixed(ui.other_share_pct, 0);
    s[kLabelsKey] = ui.show_labels ? "true" : "false";
    s[kPlanRadiusKey] = fixed(ui.plan.radius_m, 0);
    s[kPlanDistanceKey] = plan::distance_mode_name(ui.plan.distance);
    std::vector<std::string> order;
    for (const LayerState& l : ui.layers) {
        order.push_back(l.key);
        s[layer_visible_key(l.key)] = l.visible ? "true" : "false";
        s[layer_opacity_key(l.key)] = fixed(static_cast<double>(l.opacity), 2);
    }
    s[kOrderKey] = join(order);
    return s;
}

ViewChange apply_view_settings(const SettingsMap& settings, const SettingsMap& baseline, UiState& ui,
                               const ProjectData* data, const std::vector<std::string>& canonical) {
    const SettingsMap before = view_settings(ui, data);
    auto value = [&](const std::string& k) { return effective(k, settings, baseline, canonical); };
    if (auto v = value("map.mode"))
        if (auto i = index_of(kModes, *v)) ui.mode = static_cast<Mode>(*i);
    if (auto v = value("map.group"); v && data) {
        const auto& groups = data->project->groups;
        for (std::size_t g = 0; g < groups.size(); ++g)
            if (groups[g].column == *v) ui.group = static_cast<int>(g);
    }
    if (auto v = value("map.heatmap_radius"))
        if (auto x = to_number(*v)) ui.radius_m = static_cast<float>(std::clamp(*x, 10.0, 500.0));
    if (auto v = value("map.glyph")) {
        if (*v == "pie") ui.glyph = 0;
        if (*v == "bar") ui.glyph = 1;
    }
    if (auto v = value("map.other_share"))
        if (auto x = to_number(*v)) ui.other_share_pct = static_cast<float>(std::clamp(*x, 0.0, 50.0));
    if (auto v = value(kPlanRadiusKey))
        if (auto x = to_number(*v)) ui.plan.radius_m = static_cast<float>(std::clamp(*x, 50.0, 1000.0));
    if (auto v = value(kPlanDistanceKey))
        for (auto m : {plan::DistanceMode::Auto, plan::DistanceMode::Straight, plan::DistanceMode::Network})
            if (*v == plan::distance_mode_name(m)) ui.plan.distance = m;
    if (auto v = value("map.weights"))
        if (auto i = index_of(kWeights, *v)) ui.weights = *i;
    if (auto v = value("map.permutations"))
        if (auto x = to_number(*v)) ui.permutations = static_cast<int>(std::clamp(*x, 0.0, 99999.0));
    if (auto v = value("map.alpha"))
        if (auto x = to_number(*v)) ui.alpha = static_cast<float>(std::clamp(*x, 0.001, 0.2));
    if (auto v = value("map.adjust"))
        if (auto i = index_of(kAdjust, *v)) ui.adjust = *i;
    if (auto v = value("map.variable")) {
        const auto& ids = carto::local_index_ids();
        for (std::size_t i = 0; i < ids.size(); ++i)
            if (ids[i] == *v) ui.variable = static_cast<int>(i);
    }
    if (auto v = value("map.classification"))
        if (auto i = index_of(kClassifications, *v)) ui.classification = *i;
    if (auto v = value("map.classes"))
        if (auto x = to_number(*v)) ui.classes = static_cast<int>(std::clamp(*x, 2.0, 9.0));
    if (auto v = value("map.ramp")) {
        for (const std::string& name : carto::ramp_names())
            if (*v == name || *v == name + "_r") ui.ramp = *v;
    }
    if (auto v = value("map.colour")) {
        float c[3];
        if (parse_colour(*v, c)) std::copy(c, c + 3, ui.single_color);
    }
    if (auto v = value("map.date")) {
        int day = 0;
        if (*v == "all") {
            ui.all_dates = true;
        } else if (parse_iso_date(*v, day)) {
            ui.all_dates = false;
            ui.date_day = day;
        }
    }
    apply_layers(settings, baseline, ui, canonical);
    return diff(before, view_settings(ui, data));
}

bool commit_view_settings(Controller& app, const std::string& prefix, const std::string& description) {
    if (!app.model.data) return false;
    PlanUi& pu = app.ui.plan;
    PlanEditor& ed = app.model.plan;
    const std::vector<std::string> canonical = canonical_layers(app);
    const SettingsMap current = view_settings(app.ui, app.model.data.get());
    std::vector<std::pair<std::string, std::optional<std::string>>> changes;
    for (const auto& [k, v] : current)
        if (starts_with(k, prefix) && effective(k, ed.doc().settings, pu.view_baseline, canonical) != v)
            changes.emplace_back(k, v);
    if (!ed.set_settings(changes, description)) return false;
    // The view now shows exactly what the document says (values rounded as stored).
    apply_view_settings(ed.doc().settings, pu.view_baseline, app.ui, app.model.data.get(), canonical);
    pu.view_synced = ed.revision();
    return true;
}

bool commit_map_settings(Controller& app) {
    if (!app.model.data) return false;
    const SettingsMap current = view_settings(app.ui, app.model.data.get());
    const auto mode = effective("map.mode", app.model.plan.doc().settings, app.ui.plan.view_baseline, {});
    const bool mode_changed = mode != current.at("map.mode");
    return commit_view_settings(app, "map.", tr(mode_changed ? S::HistMapMode : S::HistMapStyle, UiLang::En));
}

void view_project_loaded(Controller& app) {
    PlanUi& pu = app.ui.plan;
    SettingsMap baseline;
    for (const auto& [k, v] : view_settings(app.ui, app.model.data.get()))
        if (starts_with(k, "map.") || starts_with(k, "plan.") || k == kLabelsKey) baseline.emplace(k, v);
    pu.view_baseline = std::move(baseline);
    apply_view_settings(app.model.plan.doc().settings, pu.view_baseline, app.ui, app.model.data.get(),
                        canonical_layers(app));
    pu.view_synced = app.model.plan.revision();
}

namespace {

/// Zone catchments on demand: the planner is built when they are first asked for, and the
/// map is rebuilt when the planner they were drawn with is not the one wanted (none, a new
/// radius or distance) or, in plan mode, when the zones changed (not during a drag).
void sync_catchments(Controller& app) {
    PlanUi& pu = app.ui.plan;
    if (pu.show_catchments && !app.model.planner && !pu.planner_requested && !app.jobs.busy("planner"))
        app.plan_request_planner();
    const plan::Planner* want = pu.show_catchments ? app.model.planner.get() : nullptr;
    if (want != pu.catchments_planner ||
        (want && pu.active && !app.model.plan.dragging() && !app.jobs.busy("scene") &&
         !overlay_current(app.model.scene.get(), app.model.plan.doc())))
        app.request_scene();
}

}  // namespace

void sync_view_from_document(Controller& app) {
    PlanUi& pu = app.ui.plan;
    const std::uint64_t rev = app.model.plan.revision();
    if (!app.model.data) return;
    sync_catchments(app);
    if (rev == pu.view_synced) {
        // View > Labels toggles the flag itself: the click becomes its undo step here.
        const std::string labels = app.ui.show_labels ? "true" : "false";
        if (effective(kLabelsKey, app.model.plan.doc().settings, pu.view_baseline, {}) != labels)
            commit_view_settings(app, kLabelsKey, tr(S::HistLabels, UiLang::En));
        return;
    }
    pu.view_synced = rev;
    const ViewChange c = apply_view_settings(app.model.plan.doc().settings, pu.view_baseline, app.ui,
                                             app.model.data.get(), canonical_layers(app));
    if (c.layers) app.renderer.invalidate();
    // Outside plan mode the map draws the plan's zones: an undo or redo there redraws them.
    if (c.scene || (!pu.active && !overlay_current(app.model.scene.get(), app.model.plan.doc()))) app.request_scene();
    if (c.planner && (app.model.planner || pu.planner_requested)) app.plan_request_planner();
}

void apply_layer_settings(Controller& app) {
    apply_layers(app.model.plan.doc().settings, app.ui.plan.view_baseline, app.ui, canonical_layers(app));
}

// [SECTION] The active map tool ----------------------------------------------------------------

ActiveTool active_tool(const Controller& app) {
    if (app.ui.measure_active) return ActiveTool::Measure;
    if (app.ui.plan.active) return ActiveTool::Plan;
    return ActiveTool::None;
}

void activate_measure(Controller& app, bool on) {
    app.ui.measure_active = on;
    app.ui.measure = {};
    if (on) {
        if (app.model.plan.tool() != PlanTool::Select) app.model.plan.set_tool(PlanTool::Select);
        app.ui.plan.owns_mouse = false;
    }
    app.ui.plan.measure_seen = on;
}

void activate_plan_tool(Controller& app, PlanTool tool) {
    if (!app.ui.plan.active) set_plan_mode(app, true);
    if (app.model.plan.tool() != tool) app.model.plan.set_tool(tool);
    if (app.ui.measure_active) activate_measure(app, false);
}

void set_plan_mode(Controller& app, bool on) {
    const bool changed = app.ui.plan.active != on;
    app.ui.plan.active = on;
    if (changed) app.request_scene();  // the map's zones overlay gives way to the editor's and back
    if (!on) {
        app.ui.plan.owns_mouse = false;
        return;
    }
    if (app.ui.measure_active) activate_measure(app, false);
    if (!app.ui.plan.planner_requested) app.plan_request_planner();
}

void resolve_active_tool(Controller& app) {
    if (app.ui.measure_active && !app.ui.plan.measure_seen) activate_measure(app, true);
    app.ui.plan.measure_seen = app.ui.measure_active;
}

// [SECTION] The saved map extent ---------------------------------------------------------------

void record_view_extent(Controller& app) {
    const Camera& cam = app.ui.camera;
    if (!app.model.data || cam.canvas_size.x <= 1 || cam.canvas_size.y <= 1) return;
    const Box b = cam.visible_world();
    if (!(b.maxx > b.minx && b.maxy > b.miny)) return;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%.3f,%.3f,%.3f,%.3f", b.minx, b.miny, b.maxx, b.maxy);
    app.plan().set_setting_quietly(kViewExtentKey, buf);
}

std::optional<Box> saved_view_extent(const Model& model) {
    const auto& st = model.plan.doc().settings;
    const auto it = st.find(kViewExtentKey);
    if (it == st.end()) return std::nullopt;
    double v[4];
    if (std::sscanf(it->second.c_str(), "%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) != 4) return std::nullopt;
    for (double x : v)
        if (!std::isfinite(x)) return std::nullopt;
    if (!(v[2] > v[0] && v[3] > v[1])) return std::nullopt;
    return Box{v[0], v[1], v[2], v[3]};
}

}  // namespace hq::view
