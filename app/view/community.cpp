// A community from nothing without GL: wizard, digitising, attribute table, roster mapping.
#include "app/view/community.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <system_error>

#include "geo/core/error.hpp"
#include "geo/crs/crs.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/io/reader.hpp"
#include "geo/project/ethnic_groups.hpp"
#include "geo/project/unit_edit.hpp"

namespace hq::view {

std::string Problem::text(UiLang lang) const {
    std::string s = tr(what, lang);
    if (!detail.empty()) s += (lang == UiLang::Zh ? "：" : ": ") + detail;
    return s;
}

namespace {
std::string trim(const std::string& s) { return trim_cell(s); }  // roster.hpp: also U+3000
bool file_exists(const std::string& p) {
    std::error_code ec;
    return !p.empty() && std::filesystem::is_regular_file(p, ec);
}
}  // namespace

// [SECTION] Wizard ------------------------------------------------------------------------------

std::string suggest_crs(double lon, double lat) {
    if (!std::isfinite(lon)) return {};
    if (auto gk = Crs::cgcs2000_gk3_for(lon); gk && gk->epsg > 0) return "EPSG:" + std::to_string(gk->epsg);
    const Crs utm = Crs::utm_for(lon, std::isfinite(lat) ? lat : 0.0);
    return utm.epsg > 0 ? "EPSG:" + std::to_string(utm.epsg) : std::string{};
}

std::optional<Problem> NewProjectWizard::problem() const {
    switch (step) {
    case WizardStep::Name: {
        if (trim(name_zh).empty() && trim(name_en).empty()) return Problem{S::CommNeedName, {}};
        if (trim(folder).empty()) return Problem{S::CommNeedFolder, {}};
        std::error_code ec;
        const std::filesystem::path f(folder);
        if (std::filesystem::exists(f, ec)) {
            if (!std::filesystem::is_directory(f, ec)) return Problem{S::CommFolderNotEmpty, folder};
            if (!std::filesystem::is_empty(f, ec)) return Problem{S::CommFolderNotEmpty, folder};
        }
        return std::nullopt;
    }
    case WizardStep::Crs: {
        if (!std::isfinite(lon) || lon < -180 || lon > 180 || !std::isfinite(lat) || lat < -85 || lat > 85)
            return Problem{S::CommBadCentre, {}};
        if (trim(crs_text).empty()) return Problem{S::CommBadCrs, {}};
        try {
            const Crs c = Crs::from_user_input(trim(crs_text));
            if (const std::string p = c.metric_problem(); !p.empty()) return Problem{S::CommBadCrs, p};
            const double k = scale_error_at(c, {lon, lat});
            if (k > kMaxScaleError) return Problem{S::CommCrsFar, suggest_crs(lon, lat)};
        } catch (const std::exception& e) {
            return Problem{S::CommBadCrs, e.what()};
        }
        return std::nullopt;
    }
    case WizardStep::Boundary:
        if (boundary_source == BoundarySource::File && !file_exists(boundary_file))
            return Problem{S::CommNoFile, boundary_file};
        if (boundary_source == BoundarySource::Draw && !(draw_half_size_m > 0 && draw_half_size_m <= 20000))
            return Problem{S::CommBadSize, {}};
        return std::nullopt;
    case WizardStep::Basemap:
        if (!trim(basemap).empty() && !file_exists(trim(basemap))) return Problem{S::CommNoFile, basemap};
        return std::nullopt;
    case WizardStep::Review: return std::nullopt;
    }
    return std::nullopt;
}

bool NewProjectWizard::next() {
    if (step == WizardStep::Review || problem()) return false;
    step = static_cast<WizardStep>(static_cast<int>(step) + 1);
    return true;
}

bool NewProjectWizard::back() {
    if (step == WizardStep::Name) return false;
    step = static_cast<WizardStep>(static_cast<int>(step) - 1);
    return true;
}

NewProjectSpec NewProjectWizard::spec() const {
    NewProjectSpec s;
    s.dir = trim(folder);
    s.name_zh = trim(name_zh);
    s.name_en = trim(name_en);
    s.crs = trim(crs_text);
    s.basemap = trim(basemap);
    if (boundary_source == BoundarySource::File) {
        s.boundary = boundary_file;
    } else {
        const Crs metric = Crs::from_user_input(s.crs);
        const Transformer to_metric(Crs::wgs84(), metric);
        const Vec2 c = to_metric.apply(Vec2{lon, lat});
        const double h = draw_half_size_m;
        Geometry square = edit::rectangle({c.x - h, c.y - h}, {c.x + h, c.y + h});
        Transformer(metric, Crs::wgs84()).apply(square);
        s.boundary_polygons = {std::move(square)};
    }
    return s;
}

// [SECTION] Parsing -----------------------------------------------------------------------------

std::optional<std::int64_t> parse_count_cell(const std::string& text) {
    const std::string t = trim(text);
    if (t.empty()) return std::nullopt;
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{} || p != t.data() + t.size() || v < 0 || v > 1'000'000'000) return std::nullopt;
    return v;
}

// [SECTION] Digitising --------------------------------------------------------------------------

void CommunityEditor::reset(std::string folder, Project project) {
    m_folder = std::move(folder);
    m_undo.clear();  // the commands refer to the old project
    m_project = std::move(project);
    ++m_resets;
    m_polygon = {};
    m_selected = -1;
    m_dragging = false;
    m_error.reset();
    m_snapper_rev = ~0ULL;
}

void CommunityEditor::set_tool(DigitiseTool t) {
    m_tool = t;
    m_polygon = {};
    m_dragging = false;
}

void CommunityEditor::rebuild_snapper() {
    if (m_snapper_rev == revision()) return;
    std::vector<Geometry> targets;
    for (DigitiseTarget t : {DigitiseTarget::Units, DigitiseTarget::Boundary})
        if (const Layer* l = layer(t)) targets.insert(targets.end(), l->metric.begin(), l->metric.end());
    m_snapper = edit::Snapper(std::move(targets));
    m_snapper_rev = revision();
}

Vec2 CommunityEditor::snapped(Vec2 w, double mpp) {
    m_snap_hint.reset();
    if (!snap) return w;
    rebuild_snapper();
    m_snap_hint = m_snapper.snap(w, snap_px * mpp);
    return m_snap_hint ? m_snap_hint->point : w;
}

bool CommunityEditor::refuse(S what, std::string detail) {
    m_error = Problem{what, std::move(detail)};
    return false;
}

bool CommunityEditor::push(std::unique_ptr<Command> c) {
    try {
        m_undo.push(std::move(c));
    } catch (const InputError& e) {
        return refuse(S::CommEditRefused, e.what());
    }
    m_error.reset();
    return true;
}

std::optional<Problem> CommunityEditor::check_polygon(const Geometry& g) const {
    const Validity v = edit::check_zone(g);
    if (v.valid) return std::nullopt;
    if (v.reason.find("Self-intersection") != std::string::npos || v.reason.find("self-intersection") != std::string::npos)
        return Problem{S::CommSelfIntersection, v.reason};
    return Problem{S::CommInvalidShape, v.reason};
}

int CommunityEditor::feature_at(Vec2 w) const {
    const Layer* l = layer(target);
    if (!l) return -1;
    for (std::size_t i = l->size(); i-- > 0;)
        if (l->metric[i].is_polygonal() && point_in_polygon(l->metric[i], w)) return static_cast<int>(i);
    return -1;
}

bool CommunityEditor::press(Vec2 w, double mpp) {
    m_cursor = snapped(w, mpp);
    if (m_tool == DigitiseTool::Polygon) {
        m_polygon.add_vertex(m_cursor);
        return true;
    }
    const Layer* l = layer(target);
    if (l && m_selected >= 0 && static_cast<std::size_t>(m_selected) < l->size()) {
        const Geometry& g = l->metric[static_cast<std::size_t>(m_selected)];
        if (auto v = edit::nearest_vertex(g, w, hit_px * mpp)) {
            m_dragging = true;
            m_drag_vertex = *v;
            m_drag_geometry = g;
            return true;
        }
        if (auto e = edit::nearest_edge(g, w, hit_px * mpp)) {
            m_drag_geometry = edit::insert_vertex(g, e->edge, e->point);
            m_drag_vertex = edit::VertexRef{e->edge.polygon, e->edge.ring, e->edge.index + 1};
            m_dragging = true;
            return true;
        }
    }
    m_selected = feature_at(w);
    return m_selected >= 0;
}

void CommunityEditor::drag(Vec2 w, double mpp) {
    m_cursor = snapped(w, mpp);
    if (m_dragging) m_drag_geometry = edit::move_vertex(m_drag_geometry, m_drag_vertex, m_cursor);
}

void CommunityEditor::release(Vec2 w, double mpp) {
    if (!m_dragging) return;
    drag(w, mpp);
    m_dragging = false;
    const Layer* l = layer(target);
    if (!l || m_selected < 0 || static_cast<std::size_t>(m_selected) >= l->size()) return;
    if (auto p = check_polygon(m_drag_geometry)) {
        m_error = p;
        return;
    }
    push(set_feature_geometry(m_project, target_role(), l->ids[static_cast<std::size_t>(m_selected)], m_drag_geometry,
                              target == DigitiseTarget::Units ? "Edit unit shape" : "Edit boundary"));
}

void CommunityEditor::hover(Vec2 w, double mpp) {
    if (m_dragging) return;
    m_cursor = snapped(w, mpp);
}

bool CommunityEditor::right_click(Vec2 w, double mpp) {
    const Layer* l = layer(target);
    if (m_tool != DigitiseTool::Select || !l || m_selected < 0 || static_cast<std::size_t>(m_selected) >= l->size())
        return false;
    const auto i = static_cast<std::size_t>(m_selected);
    const auto v = edit::nearest_vertex(l->metric[i], w, hit_px * mpp);
    if (!v) return false;
    Geometry g;
    try {
        g = edit::delete_vertex(l->metric[i], *v);
    } catch (const InputError& e) {
        return refuse(S::CommTooFewVertices, e.what());
    }
    if (auto p = check_polygon(g)) {
        m_error = p;
        return false;
    }
    return push(set_feature_geometry(m_project, target_role(), l->ids[i], std::move(g), "Delete vertex"));
}

bool CommunityEditor::key_enter() {
    if (m_tool != DigitiseTool::Polygon) return false;
    auto g = m_polygon.finish();
    if (!g) return false;
    return target == DigitiseTarget::Units ? add_unit(std::move(*g)) : set_boundary(std::move(*g));
}

bool CommunityEditor::key_backspace() { return m_tool == DigitiseTool::Polygon && m_polygon.remove_last_vertex(); }

bool CommunityEditor::key_escape() {
    if (m_dragging) {
        m_dragging = false;
        return true;
    }
    if (m_polygon.drawing()) {
        m_polygon = {};
        return true;
    }
    if (m_selected >= 0) {
        m_selected = -1;
        return true;
    }
    return false;
}

bool CommunityEditor::key_delete() {
    if (m_tool == DigitiseTool::Select && target == DigitiseTarget::Units) return delete_selected();
    return false;
}

bool CommunityEditor::add_unit(Geometry g) {
    if (auto p = check_polygon(g)) {
        m_error = p;
        return false;
    }
    if (!push(add_feature(m_project, Role::Units, next_feature_id(m_project, Role::Units), std::move(g)))) return false;
    m_selected = static_cast<int>(units()->size()) - 1;
    return true;
}

bool CommunityEditor::delete_selected() {
    const Layer* l = units();
    if (target != DigitiseTarget::Units || !l || m_selected < 0 || static_cast<std::size_t>(m_selected) >= l->size())
        return false;
    const bool ok = push(delete_feature(m_project, Role::Units, l->ids[static_cast<std::size_t>(m_selected)]));
    if (ok) m_selected = -1;
    return ok;
}

bool CommunityEditor::set_boundary(Geometry g) {
    if (auto p = check_polygon(g)) {
        m_error = p;
        return false;
    }
    const Layer* b = layer(DigitiseTarget::Boundary);
    if (b && b->size() > 0) return push(set_feature_geometry(m_project, Role::Boundary, b->ids[0], std::move(g), "Edit boundary"));
    return push(add_feature(m_project, Role::Boundary, "boundary", std::move(g)));
}

namespace {
bool is_group_column(const Project& p, const std::string& field) {
    return std::any_of(p.groups.begin(), p.groups.end(), [&](const GroupDef& g) { return g.column == field; });
}
}  // namespace

bool CommunityEditor::set_cell(std::size_t row, int field, const std::string& text) {
    const Layer* l = units();
    if (!l || row >= l->size() || field < -1 || field >= static_cast<int>(l->table.fields.size())) return false;
    const std::string& id = l->ids[row];
    if (field < 0 || l->table.fields[static_cast<std::size_t>(field)].name == l->id_field) {
        const std::string to = trim(text);
        if (to.empty()) return refuse(S::CommIdEmpty, id);
        if (to == id) return true;
        if (std::find(l->ids.begin(), l->ids.end(), to) != l->ids.end()) return refuse(S::CommIdDuplicate, to);
        return push(rename_feature(m_project, Role::Units, id, to));
    }
    const std::string& name = l->table.fields[static_cast<std::size_t>(field)].name;
    if (is_group_column(m_project, name) && !parse_count_cell(text)) return refuse(S::CommBadCount, trim(text));
    try {
        return push(hq::set_cell(m_project, Role::Units, id, name, text));
    } catch (const InputError& e) {
        return refuse(S::CommEditRefused, e.what());
    }
}

bool CommunityEditor::paste(const std::vector<std::size_t>& shown, std::size_t row, int field, const std::string& tsv) {
    const Layer* l = units();
    if (!l || row >= l->size() || field < 0 || field >= static_cast<int>(l->table.fields.size())) return false;
    if (trim(tsv).empty()) return refuse(S::CommPasteEmpty);
    bool table_order = shown.size() == l->size();
    for (std::size_t i = 0; table_order && i < shown.size(); ++i) table_order = shown[i] == i;
    if (!table_order) return refuse(S::CommPasteSorted);
    try {
        paste_cells(m_undo, m_project, Role::Units, l->ids[row], l->table.fields[static_cast<std::size_t>(field)].name, tsv);
    } catch (const InputError& e) {
        return refuse(S::CommEditRefused, e.what());
    }
    m_error.reset();
    return true;
}

bool CommunityEditor::add_column(const std::string& name) {
    const std::string n = trim(name);
    if (n.empty()) return refuse(S::CommIdEmpty);
    GroupDef g;
    g.column = n;
    if (const auto k = match_ethnic_group(n)) {  // "藏族" → pop_zang, 藏族, Tibetan
        g.column = roster_count_column(*k);
        g.name_zh = ethnic_groups()[*k].zh;
        g.name_en = ethnic_groups()[*k].en;
    }
    if (is_group_column(m_project, g.column) || (units() && units()->table.field_index(g.column) >= 0))
        return refuse(S::CommIdDuplicate, g.column);
    return push(add_group_column(m_project, std::move(g)));
}

bool CommunityEditor::apply_roster(const RosterCounts& counts) { return push(apply_roster_step(m_project, counts)); }

namespace {
/// After undo / redo: no drag goes on, and a selected feature that is gone is not selected.
bool after_history(bool moved, const Layer* l, int& selected, bool& dragging) {
    dragging = false;
    if (!l || selected >= static_cast<int>(l->size())) selected = -1;
    return moved;
}
}  // namespace

bool CommunityEditor::undo() {
    const bool moved = m_undo.undo();
    return after_history(moved, layer(target), m_selected, m_dragging);
}
bool CommunityEditor::redo() {
    const bool moved = m_undo.redo();
    return after_history(moved, layer(target), m_selected, m_dragging);
}

// [SECTION] Attribute table ---------------------------------------------------------------------

namespace {
/// Null < numbers < text; numbers by value, text by bytes.
bool value_less(const Value& a, const Value& b) {
    auto rank = [](const Value& v) { return std::holds_alternative<std::monostate>(v) ? 0 : std::holds_alternative<std::string>(v) ? 2 : 1; };
    auto num = [](const Value& v) {
        if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
        if (const auto* d = std::get_if<double>(&v)) return *d;
        return 0.0;
    };
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (rank(a) == 1) return num(a) < num(b);
    if (rank(a) == 2) return std::get<std::string>(a) < std::get<std::string>(b);
    return false;
}
}  // namespace

std::vector<std::size_t> table_rows(const Layer& layer, int sort_field, bool ascending, const std::string& filter) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < layer.size(); ++i) {
        bool keep = filter.empty() || layer.ids[i].find(filter) != std::string::npos;
        for (std::size_t j = 0; !keep && j < layer.table.fields.size(); ++j)
            keep = value_to_string(layer.table.rows[i][j]).find(filter) != std::string::npos;
        if (keep) rows.push_back(i);
    }
    if (sort_field == kSortId) {
        std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
            return ascending ? layer.ids[a] < layer.ids[b] : layer.ids[b] < layer.ids[a];
        });
        return rows;
    }
    if (sort_field < 0 || static_cast<std::size_t>(sort_field) >= layer.table.fields.size()) return rows;
    const auto j = static_cast<std::size_t>(sort_field);
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
        return ascending ? value_less(layer.table.rows[a][j], layer.table.rows[b][j])
                         : value_less(layer.table.rows[b][j], layer.table.rows[a][j]);
    });
    return rows;
}

std::vector<std::size_t> table_fields(const Layer& layer) {
    std::vector<std::size_t> out;
    for (std::size_t j = 0; j < layer.table.fields.size(); ++j)
        if (layer.table.fields[j].name != layer.id_field) out.push_back(j);
    return out;
}

// [SECTION] Roster ------------------------------------------------------------------------------

void RosterMappingUi::guess() {
    mapping = guess_roster_mapping(table);
    recompute();
}

RosterField RosterMappingUi::field_of(const std::string& column, std::size_t* group) const {
    if (column == mapping.unit_column) return RosterField::Unit;
    if (column == mapping.ethnicity_column) return RosterField::Ethnicity;
    if (column == mapping.size_column) return RosterField::Size;
    for (const RosterGroupColumn& g : mapping.group_columns)
        if (g.column == column) {
            if (group) *group = g.group;
            return RosterField::Group;
        }
    return RosterField::Ignore;
}

void RosterMappingUi::set(const std::string& column, RosterField field, std::optional<std::size_t> group) {
    try {
        set_roster_column(mapping, table, column, field, group);
        recompute();
    } catch (const InputError& e) {
        error = e.what();
    }
}

void RosterMappingUi::recompute() {
    error.clear();
    counts.reset();
    try {
        counts = aggregate_roster(table, mapping);
    } catch (const InputError& e) {
        error = e.what();
    }
}

std::vector<std::string> RosterMappingUi::units_not_on_map(const Project& project) const {
    std::vector<std::string> out;
    if (!counts) return out;
    const Layer* l = project.layer(Role::Units);
    for (const std::string& u : counts->units)
        if (!l || std::find(l->ids.begin(), l->ids.end(), u) == l->ids.end()) out.push_back(u);
    return out;
}

}  // namespace hq::view
