// The planning tools' state machine (plan_tools.hpp): no GL, no ImGui.
//
// [SECTION] index
//   Document
//   Settings
//   Input
//   Edits
//   Queries
//   Labels, autosave, title
//   Messages, household moves, window placement
#include "app/view/plan_tools.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <utility>

#include "app/view/format.hpp"
#include "geo/core/error.hpp"
#include "geo/geometry/ops.hpp"

namespace hq::view {
namespace {

double dist(Vec2 a, Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// "Move zone (Z-1)": the form geo's commands describe themselves in.
std::string with_id(S what, const std::string& id) { return std::string(tr(what, UiLang::En)) + " (" + id + ")"; }

}  // namespace

plan::PlanDocument document_from_project(const Project& project, std::vector<std::string>* warnings) {
    try {  // the viewer opens the project without its zones rather than not at all
        return plan::document_from_project(project, warnings);
    } catch (const std::exception& e) {
        if (warnings) warnings->push_back(std::string("zones layer not used: ") + e.what());
    }
    return {};
}

// [SECTION] Document ---------------------------------------------------------------------------

void PlanEditor::reset(plan::PlanDocument doc, std::string path, bool recovered) {
    if (m_undo.in_group()) m_undo.cancel_group();
    m_undo.clear();  // before the document: commands refer to it
    m_doc = std::move(doc);
    m_saved = m_doc;
    m_modified_rev = ~0ULL;
    m_path = std::move(path);
    m_file_revision.reset();
    m_recovered = recovered;
    ++m_resets;
    m_selected.clear();
    m_polygon.confirm_cancel();
    m_anchor.reset();
    m_drag = Drag::None;
    m_hot_vertex.reset();
    m_validity_rev = ~0ULL;
}

void PlanEditor::mark_saved(const std::string& path, std::uint64_t revision) {
    m_path = path;
    if (revision == this->revision() && !m_undo.in_group()) {
        m_undo.mark_saved();
        m_recovered = false;
        m_saved = m_doc;
        m_modified_rev = ~0ULL;
    }
}

bool PlanEditor::modified() const {
    if (m_recovered) return true;
    if (m_modified_rev != revision()) {  // compared once per revision (a drag changes it each frame)
        m_modified_cache = m_doc.zones != m_saved.zones || m_doc.scenarios != m_saved.scenarios;
        m_modified_rev = revision();
    }
    return m_modified_cache;
}

UnsavedChanges PlanEditor::unsaved() const {
    UnsavedChanges c = unsaved_changes(m_saved, m_doc);
    c.recovered = m_recovered;
    return c;
}

UnsavedChanges unsaved_changes(const plan::PlanDocument& saved, const plan::PlanDocument& now) {
    UnsavedChanges c;
    for (const plan::Zone& z : now.zones) {
        const plan::Zone* before = saved.find_zone(z.id);
        if (!before) ++c.zones_added;
        else if (!(*before == z)) ++c.zones_edited;
    }
    for (const plan::Zone& z : saved.zones)
        if (!now.find_zone(z.id)) ++c.zones_deleted;
    auto find = [](const plan::PlanDocument& d, const std::string& name) -> const plan::Scenario* {
        for (const auto& s : d.scenarios)
            if (s.name == name) return &s;
        return nullptr;
    };
    for (const plan::Scenario& s : now.scenarios) {
        const plan::Scenario* before = find(saved, s.name);
        if (!before) ++c.scenarios_added;
        else if (!(*before == s)) ++c.scenarios_edited;
    }
    for (const plan::Scenario& s : saved.scenarios)
        if (!find(now, s.name)) ++c.scenarios_deleted;
    return c;
}

std::string describe_unsaved(const UnsavedChanges& c, UiLang lang) {
    const bool zh = lang == UiLang::Zh;
    std::string out;
    auto part = [&](int n, S one, S many, S verb) {
        if (n <= 0) return;
        if (!out.empty()) out += zh ? "，" : ", ";
        const std::string count = std::to_string(n);
        if (zh) out += std::string(tr(verb, lang)) + " " + count + " " + tr(many, lang);
        else out += count + " " + tr(n == 1 ? one : many, lang) + " " + tr(verb, lang);
    };
    part(c.zones_added, S::UnsZone, S::UnsZones, S::UnsAdded);
    part(c.zones_edited, S::UnsZone, S::UnsZones, S::UnsEdited);
    part(c.zones_deleted, S::UnsZone, S::UnsZones, S::UnsDeleted);
    part(c.scenarios_added, S::UnsScenario, S::UnsScenarios, S::UnsAdded);
    part(c.scenarios_edited, S::UnsScenario, S::UnsScenarios, S::UnsEdited);
    part(c.scenarios_deleted, S::UnsScenario, S::UnsScenarios, S::UnsDeleted);
    if (c.recovered) {
        if (!out.empty()) out += zh ? "，" : ", ";
        out += tr(S::UnsRecovered, lang);
    }
    return out;
}

// [SECTION] Settings ---------------------------------------------------------------------------

void PlanEditor::set_tool(PlanTool t) {
    if (m_drag == Drag::Move || m_drag == Drag::Vertex) finish_drag();
    m_drag = Drag::None;
    m_polygon.confirm_cancel();
    m_anchor.reset();
    m_hot_vertex.reset();
    m_tool = t;
}

void PlanEditor::set_snap_targets(std::vector<Geometry> targets) { m_snapper = edit::Snapper(std::move(targets)); }

void PlanEditor::set_buffer_targets(std::vector<Geometry> venues, std::vector<Geometry> courtyards) {
    m_venues = std::move(venues);
    m_courtyards = std::move(courtyards);
}

Vec2 PlanEditor::snapped(Vec2 w, double mpp) {
    m_snap_hint.reset();
    if (!snap) return w;
    m_snap_hint = m_snapper.snap(w, snap_px * mpp);
    return m_snap_hint ? m_snap_hint->point : w;
}

// [SECTION] Input ------------------------------------------------------------------------------

bool PlanEditor::press(Vec2 w, double mpp, bool double_click) {
    const double tol = hit_px * mpp;
    switch (m_tool) {
        case PlanTool::Polygon:
            if (m_polygon.needs_confirmation()) return true;
            if (double_click) {
                key_enter();
                return true;
            }
            m_cursor = snapped(w, mpp);
            m_polygon.add_vertex(m_cursor);
            return true;
        case PlanTool::Rectangle:
        case PlanTool::Circle: {
            m_cursor = snapped(w, mpp);
            if (m_anchor) {  // second click of a two-click rectangle
                if (auto g = shape_from(*m_anchor, m_cursor, mpp, false)) create_zone(std::move(*g));
                m_anchor.reset();
                return true;
            }
            m_anchor = m_cursor;
            m_drag = Drag::Shape;
            return true;
        }
        case PlanTool::Buffer: {
            const Geometry* target = nullptr;
            double best = tol;
            for (const Geometry& v : m_venues)
                v.for_each_vertex([&](const Vec2& p) {
                    if (dist(p, w) <= best) {
                        best = dist(p, w);
                        target = &v;
                    }
                });
            if (!target)
                for (const Geometry& c : m_courtyards)
                    if (c.is_polygonal() && c.bounds().contains(w) && point_in_polygon(c, w)) {
                        target = &c;
                        break;
                    }
            if (!target) return false;
            try {
                create_zone(edit::buffer_feature(*target, buffer_m));
            } catch (const std::exception& e) {
                m_error = e.what();
            }
            return true;
        }
        case PlanTool::Select: break;
    }
    if (const plan::Zone* z = selected_zone()) {
        if (auto v = edit::nearest_vertex(z->geometry, w, tol)) {
            m_undo.begin_group(with_id(S::HistMoveVertex, z->id));
            m_drag = Drag::Vertex;
            m_drag_base = z->geometry;
            m_drag_vertex = *v;
            m_drag_origin = w;
            m_drag_moved = false;
            return true;
        }
        if (auto e = edit::nearest_edge(z->geometry, w, tol)) {
            const std::string id = z->id;
            m_undo.begin_group(with_id(S::HistInsertVertex, id));
            try {
                Geometry g = edit::insert_vertex(z->geometry, e->edge, e->point);
                m_undo.push(set_zone_geometry(m_doc, id, g, tr(S::HistInsertVertex, UiLang::En)));
                m_drag = Drag::Vertex;
                m_drag_base = std::move(g);
                m_drag_vertex = e->edge;
                ++m_drag_vertex.index;
                m_drag_origin = w;
                m_drag_moved = false;
            } catch (const std::exception& ex) {
                m_undo.cancel_group();
                m_error = ex.what();
            }
            return true;
        }
    }
    const std::string id = zone_at(w, mpp);
    if (id.empty()) {
        m_selected.clear();
        return false;
    }
    m_selected = id;
    const plan::Zone* z = m_doc.find_zone(id);
    m_undo.begin_group(with_id(S::HistMoveZone, id));
    m_drag = Drag::Move;
    m_drag_base = z->geometry;
    m_drag_origin = w;
    m_drag_moved = false;
    return true;
}

void PlanEditor::drag(Vec2 w, double mpp) {
    try {
        switch (m_drag) {
            case Drag::Move: {
                const Vec2 d{w.x - m_drag_origin.x, w.y - m_drag_origin.y};
                if (d.x == 0 && d.y == 0 && !m_drag_moved) return;
                m_drag_moved = true;
                m_undo.push(set_zone_geometry(m_doc, m_selected, edit::translate(m_drag_base, d),
                                              tr(S::HistMoveZone, UiLang::En)));
                break;
            }
            case Drag::Vertex: {
                const Vec2 p = snapped(w, mpp);
                m_cursor = p;
                if (!m_drag_moved && dist(w, m_drag_origin) == 0) return;
                m_drag_moved = true;
                m_undo.push(set_zone_geometry(m_doc, m_selected, edit::move_vertex(m_drag_base, m_drag_vertex, p),
                                              tr(S::HistMoveVertex, UiLang::En)));
                break;
            }
            case Drag::Shape: m_cursor = snapped(w, mpp); break;
            case Drag::None: break;
        }
    } catch (const std::exception& e) {
        m_error = e.what();
    }
}

void PlanEditor::release(Vec2 w, double mpp) {
    if (m_drag == Drag::Shape) {
        m_drag = Drag::None;
        m_cursor = snapped(w, mpp);
        if (!m_anchor) return;
        const bool click = dist(*m_anchor, m_cursor) / mpp < 3.0;
        if (click && m_tool == PlanTool::Rectangle) return;  // keep the corner: the next click completes
        if (auto g = shape_from(*m_anchor, m_cursor, mpp, click)) create_zone(std::move(*g));
        m_anchor.reset();
        return;
    }
    if (m_drag != Drag::None) drag(w, mpp);
    finish_drag();
}

void PlanEditor::finish_drag() {
    if ((m_drag == Drag::Move || m_drag == Drag::Vertex) && m_undo.in_group()) m_undo.end_group();
    m_drag = Drag::None;
}

std::optional<Geometry> PlanEditor::shape_from(Vec2 a, Vec2 b, double mpp, bool click) const {
    (void)mpp;
    try {
        if (m_tool == PlanTool::Rectangle) return edit::rectangle(a, b);
        if (m_tool == PlanTool::Circle) return edit::circle(a, click ? circle_radius_m : dist(a, b));
    } catch (const std::exception&) {
        return std::nullopt;  // no area (a rubber band of zero width): nothing to create
    }
    return std::nullopt;
}

void PlanEditor::hover(Vec2 w, double mpp) {
    if (m_drag == Drag::Move || m_drag == Drag::Vertex) return;
    if (m_tool == PlanTool::Select) {
        m_snap_hint.reset();
        m_cursor = w;
        m_hot_vertex.reset();
        if (const plan::Zone* z = selected_zone()) m_hot_vertex = edit::nearest_vertex(z->geometry, w, hit_px * mpp);
        return;
    }
    m_cursor = snapped(w, mpp);
}

bool PlanEditor::right_click(Vec2 w, double mpp) {
    if (m_tool != PlanTool::Select || m_drag != Drag::None) return false;
    const plan::Zone* z = selected_zone();
    if (!z) return false;
    auto v = edit::nearest_vertex(z->geometry, w, hit_px * mpp);
    if (!v) return false;
    try {
        Geometry g = edit::delete_vertex(z->geometry, *v);
        m_undo.push(set_zone_geometry(m_doc, z->id, std::move(g), tr(S::HistDeleteVertex, UiLang::En)));
        m_hot_vertex.reset();
    } catch (const std::exception& e) {
        m_error = e.what();
    }
    return true;
}

bool PlanEditor::key_enter() {
    if (m_tool != PlanTool::Polygon) return false;
    auto g = m_polygon.finish();
    if (!g) return false;
    return !create_zone(std::move(*g)).empty();
}

bool PlanEditor::key_backspace() { return m_tool == PlanTool::Polygon && m_polygon.remove_last_vertex(); }

PlanEscape PlanEditor::key_escape() {
    if (m_drag == Drag::Move || m_drag == Drag::Vertex) {
        if (m_undo.in_group()) m_undo.cancel_group();
        m_drag = Drag::None;
        return PlanEscape::CancelledDrag;
    }
    if (m_anchor) {
        m_anchor.reset();
        m_drag = Drag::None;
        return PlanEscape::CancelledShape;
    }
    if (m_polygon.drawing() || m_polygon.needs_confirmation()) {
        switch (m_polygon.escape()) {
            case edit::EscapeResult::Cancelled: return PlanEscape::CancelledShape;
            case edit::EscapeResult::NeedsConfirmation: return PlanEscape::NeedsConfirmation;
            case edit::EscapeResult::Nothing: return PlanEscape::Nothing;
        }
    }
    if (!m_selected.empty()) {
        m_selected.clear();
        m_hot_vertex.reset();
        return PlanEscape::Deselected;
    }
    return PlanEscape::Nothing;
}

bool PlanEditor::key_delete() {
    if (m_drag != Drag::None || m_selected.empty()) return false;
    if (m_hot_vertex) {
        const plan::Zone* z = selected_zone();
        if (!z) return false;
        try {
            Geometry g = edit::delete_vertex(z->geometry, *m_hot_vertex);
            m_undo.push(set_zone_geometry(m_doc, z->id, std::move(g), tr(S::HistDeleteVertex, UiLang::En)));
        } catch (const std::exception& e) {
            m_error = e.what();
        }
        m_hot_vertex.reset();
        return true;
    }
    return delete_selected();
}

void PlanEditor::confirm_discard() { m_polygon.confirm_cancel(); }
void PlanEditor::keep_drawing() { m_polygon.keep_drawing(); }

// [SECTION] Edits ------------------------------------------------------------------------------

std::vector<ZoneLabel> zone_labels(const plan::PlanDocument& doc, UiLang lang) {
    std::vector<ZoneLabel> out;
    for (const plan::Zone& z : doc.zones) {
        if (z.geometry.empty()) continue;
        const std::string& first = lang == UiLang::Zh ? z.name_zh : z.name_en;
        const std::string& second = lang == UiLang::Zh ? z.name_en : z.name_zh;
        out.push_back({z.id, !first.empty() ? first : !second.empty() ? second : z.id, point_on_surface(z.geometry)});
    }
    return out;
}

std::string PlanEditor::create_zone(Geometry g) {
    plan::Zone z;
    z.id = m_doc.next_zone_id();
    z.geometry = std::move(g);
    z.kind = new_kind;
    z.status = "proposed";
    try {
        m_undo.push(add_zone(m_doc, z));
    } catch (const std::exception& e) {
        m_error = e.what();
        return {};
    }
    m_selected = z.id;
    return z.id;
}

bool PlanEditor::delete_selected() {
    if (m_selected.empty() || !m_doc.find_zone(m_selected) || m_undo.in_group()) return false;
    m_undo.push(delete_zone(m_doc, m_selected));
    m_selected.clear();
    m_hot_vertex.reset();
    return true;
}

bool PlanEditor::set_attributes(const plan::Zone& values, const std::string& description) {
    if (m_selected.empty() || !m_doc.find_zone(m_selected) || m_undo.in_group()) return false;
    try {
        m_undo.push(set_zone_attributes(m_doc, m_selected, values, description));
    } catch (const std::exception& e) {
        m_error = e.what();
        return false;
    }
    return true;
}

bool PlanEditor::set_settings(const std::vector<std::pair<std::string, std::optional<std::string>>>& changes,
                              const std::string& description) {
    if (m_undo.in_group() || changes.empty()) return false;
    m_undo.begin_group(description);
    try {
        for (const auto& [key, value] : changes) m_undo.push(set_setting(m_doc, key, value, description));
    } catch (const std::exception& e) {
        m_undo.cancel_group();
        m_error = e.what();
        return false;
    }
    m_undo.end_group();
    return true;
}

bool PlanEditor::set_scenario(const std::string& name, std::optional<plan::Scenario> value,
                              const std::string& description) {
    if (m_undo.in_group() || name.empty()) return false;
    try {
        m_undo.push(hq::set_scenario(m_doc, name, std::move(value), description));
    } catch (const std::exception& e) {
        m_error = e.what();
        return false;
    }
    return true;
}

bool PlanEditor::repair_selected() {
    const plan::Zone* z = selected_zone();
    if (!z || m_undo.in_group()) return false;
    try {
        Geometry g = edit::repair_zone(z->geometry);
        m_undo.push(set_zone_geometry(m_doc, z->id, std::move(g), tr(S::HistRepairZone, UiLang::En)));
    } catch (const std::exception& e) {
        m_error = e.what();
        return false;
    }
    return true;
}

bool PlanEditor::undo() {
    if (m_drag != Drag::None) return false;
    const bool ok = m_undo.undo();
    if (ok && !m_doc.find_zone(m_selected)) m_selected.clear();
    m_hot_vertex.reset();
    return ok;
}

bool PlanEditor::redo() {
    if (m_drag != Drag::None) return false;
    const bool ok = m_undo.redo();
    if (ok && !m_doc.find_zone(m_selected)) m_selected.clear();
    m_hot_vertex.reset();
    return ok;
}

bool PlanEditor::jump_to(std::size_t position) {
    if (m_drag != Drag::None || position > m_undo.size()) return false;
    while (m_undo.position() > position)
        if (!undo()) return false;
    while (m_undo.position() < position)
        if (!redo()) return false;
    return true;
}

std::string PlanEditor::take_error() { return std::exchange(m_error, {}); }

// [SECTION] Queries ----------------------------------------------------------------------------

void PlanEditor::select(const std::string& id) {
    m_selected = m_doc.find_zone(id) ? id : std::string();
    m_hot_vertex.reset();
}

std::string PlanEditor::zone_at(Vec2 w, double mpp) const {
    const double tol = hit_px * mpp;
    for (auto it = m_doc.zones.rbegin(); it != m_doc.zones.rend(); ++it) {
        const Geometry& g = it->geometry;
        if (!g.is_polygonal()) continue;
        if (!g.bounds().inflated(tol).contains(w)) continue;
        if (point_in_polygon(g, w) || edit::nearest_edge(g, w, tol)) return it->id;
    }
    return {};
}

std::optional<Geometry> PlanEditor::preview() const {
    if (m_anchor && (m_tool == PlanTool::Rectangle || m_tool == PlanTool::Circle))
        return shape_from(*m_anchor, m_cursor, 1.0, false);
    const auto& v = m_polygon.vertices();
    if (m_tool == PlanTool::Polygon && v.size() >= 3) {
        Ring r = v;
        r.push_back(v.front());
        return Geometry::polygon(std::move(r));
    }
    return std::nullopt;
}

Validity PlanEditor::validity(const std::string& id) const {
    if (m_validity_rev != revision()) {
        m_validity.clear();
        for (const plan::Zone& z : m_doc.zones) m_validity.emplace_back(z.id, edit::check_zone(z.geometry));
        m_validity_rev = revision();
    }
    for (const auto& [zid, v] : m_validity)
        if (zid == id) return v;
    return {};
}

// [SECTION] Labels, autosave, title ------------------------------------------------------------

std::string history_label(const std::string& description, UiLang lang) {
    if (lang == UiLang::En) return description;
    // geo's English step descriptions start with one of these phrases ("Move zone (Z-1)",
    // "Create zone 社区活动室"); attribute changes add ": FIELD" (attribute_description).
    constexpr S phrases[] = {S::HistEditAttributes, S::HistDeleteScenario, S::HistEditScenario,
                                S::HistInsertVertex,   S::HistDeleteVertex,   S::HistCreateZone,
                                S::HistDeleteZone,     S::HistMoveVertex,     S::HistRepairZone,
                                S::HistEditShape,      S::HistMoveZone,       S::HistShowLayer,
                                S::HistHideLayer,      S::HistLayerOpacity,   S::HistLayerOrder,
                                S::HistLabels,         S::HistMapMode,        S::HistMapStyle,
                                S::HistAddMove,        S::HistEditMove,       S::HistRemoveMove,
                                S::HistPlanRadius,     S::HistPlanDistance};
    constexpr S fields[] = {S::ZoneNameZh, S::ZoneNameEn, S::ZoneKindLabel,      S::ZoneStatus,  S::ZoneOwner,
                               S::ZoneBudget, S::ZoneStartDate, S::ZoneEndDate, S::ZoneNotes};
    for (S s : phrases) {
        const std::string en = tr(s, UiLang::En);
        if (description.compare(0, en.size(), en) != 0) continue;
        std::string rest = description.substr(en.size());
        if (s == S::HistEditAttributes && rest.rfind(": ", 0) == 0)
            for (S f : fields) {
                const std::string fe = tr(f, UiLang::En);
                if (rest.compare(2, fe.size(), fe) == 0) {
                    rest = std::string("：") + tr(f, UiLang::Zh) + rest.substr(2 + fe.size());
                    break;
                }
            }
        if (s == S::HistCreateZone || s == S::HistDeleteZone || s == S::HistEditScenario ||
            s == S::HistDeleteScenario || s == S::HistShowLayer || s == S::HistHideLayer || s == S::HistLayerOpacity)
            if (rest.rfind(' ', 0) == 0) rest = "「" + rest.substr(1) + "」";
        return tr(s, UiLang::Zh) + rest;
    }
    return description;
}

std::string attribute_description(S field) {
    return std::string(tr(S::HistEditAttributes, UiLang::En)) + ": " + tr(field, UiLang::En);
}

bool AutosaveTimer::due(double now_s, bool modified, std::uint64_t revision) {
    if (!modified || (m_saved_revision && *m_saved_revision == revision)) {
        m_pending_since.reset();
        return false;
    }
    if (!m_pending_since) m_pending_since = now_s;
    return now_s - *m_pending_since >= interval_s;
}

double AutosaveTimer::wait_s(double now_s) const {
    if (!m_pending_since) return 1e9;
    return std::max(0.0, *m_pending_since + interval_s - now_s);
}

std::string window_title(const std::string& app_title, const std::string& project_name, const std::string& path,
                         bool modified, UiLang lang) {
    std::string name;
    if (!path.empty()) {
        const auto slash = path.find_last_of("/\\");
        name = slash == std::string::npos ? path : path.substr(slash + 1);
    } else {
        name = project_name.empty() ? tr(S::Untitled, lang) : project_name;
    }
    return (modified ? "*" : "") + name + " — " + app_title;
}

// [SECTION] Messages, household moves --------------------------------------------------------

std::string fill(const char* text, const std::vector<std::string>& args) {
    std::string out;
    for (const char* p = text; *p; ++p) {
        if (*p == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
            const auto k = static_cast<std::size_t>(p[1] - '1');
            if (k < args.size()) out += args[k];
            p += 2;
            continue;
        }
        out += *p;
    }
    return out;
}

namespace {

std::optional<std::size_t> group_of(const MoveContext& c, const std::string& name) {
    for (std::size_t g = 0; g < c.group_keys.size(); ++g)
        for (const auto& k : c.group_keys[g])
            if (!k.empty() && k == name) return g;
    return std::nullopt;
}

std::optional<std::size_t> unit_of(const MoveContext& c, const std::string& id) {
    for (std::size_t i = 0; i < c.unit_ids.size(); ++i)
        if (c.unit_ids[i] == id) return i;
    return std::nullopt;
}

std::string whole(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.0f", v);
    return b;
}

}  // namespace

double residents_before_move(const MoveContext& c, const std::vector<plan::HouseholdMove>& moves,
                             std::size_t upto, const std::string& group, const std::string& unit) {
    const auto g = group_of(c, group);
    const auto u = unit_of(c, unit);
    if (!g || !u || *g >= c.counts.size() || *u >= c.counts[*g].size())
        return std::numeric_limits<double>::quiet_NaN();
    double n = c.counts[*g][*u];
    for (std::size_t k = 0; k < upto && k < moves.size(); ++k) {
        const plan::HouseholdMove& m = moves[k];
        if (group_of(c, m.group) != g) continue;
        const auto from = unit_of(c, m.from), to = unit_of(c, m.to);
        if (!from || !to) continue;
        if (*from == *u) n -= m.count;
        if (*to == *u) n += m.count;
    }
    return n;
}

std::string residents_before_move_text(const MoveContext& c, const std::vector<plan::HouseholdMove>& moves,
                                       std::size_t upto, const std::string& group, const std::string& unit) {
    const double n = residents_before_move(c, moves, upto, group, unit);
    if (!std::isfinite(n)) return "—";
    const auto g = group_of(c, group);
    const auto u = unit_of(c, unit);
    if (!c.cells || !c.cells->policy().guard || *u >= c.cells->rows() || *g >= c.cells->cols())
        return format_count(n);
    const privacy::Cell& cell = c.cells->cell(*u, *g);
    if (!cell.suppressed()) return format_count(n);
    const double delta = n - c.counts[*g][*u];  // the earlier moves: public
    const std::string shown = privacy::count_text(cell, c.cells->policy());
    if (delta == 0) return shown;
    return shown + " " + (delta > 0 ? "+" : "−") + whole(std::abs(delta));
}

std::string check_moves(const MoveContext& c, const std::vector<plan::HouseholdMove>& moves, UiLang lang) {
    // The counts as the moves apply in order: the project's plus the changes so far.
    std::map<std::pair<std::size_t, std::size_t>, double> delta;
    for (std::size_t k = 0; k < moves.size(); ++k) {
        const plan::HouseholdMove& m = moves[k];
        const std::string no = std::to_string(k + 1);
        const auto g = group_of(c, m.group);
        if (!g || *g >= c.counts.size()) return fill(tr(S::MoveErrUnknownGroup, lang), {no, m.group});
        const auto from = unit_of(c, m.from);
        if (!from || *from >= c.counts[*g].size()) return fill(tr(S::MoveErrUnknownUnit, lang), {no, m.from});
        const auto to = unit_of(c, m.to);
        if (!to || *to >= c.counts[*g].size()) return fill(tr(S::MoveErrUnknownUnit, lang), {no, m.to});
        if (*from == *to) return fill(tr(S::MoveErrSameUnit, lang), {no, m.from});
        if (!std::isfinite(m.count) || !(m.count > 0) || std::floor(m.count) != m.count)
            return fill(tr(S::MoveErrCount, lang), {no});
        const double src = c.counts[*g][*from] + delta[{*g, *from}];
        if (src < m.count) {
            const std::string name = *g < c.group_names.size() ? c.group_names[*g] : m.group;
            if (c.cells && c.cells->policy().guard)  // no count under the guard (geo's apply_moves)
                return fill(tr(S::MoveErrTooManyGuarded, lang), {no, m.from, name, whole(m.count)});
            return fill(tr(S::MoveErrTooMany, lang), {no, m.from, name, whole(src), whole(m.count)});
        }
        delta[{*g, *from}] -= m.count;
        delta[{*g, *to}] += m.count;
    }
    return {};
}

}  // namespace hq::view
