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

namespace hq::view {

std::string Problem::text(UiLang lang) const {
    std::string s = tr(what, lang);
    if (!detail.empty()) s += (lang == UiLang::Zh ? "：" : ": ") + detail;
    return s;
}

namespace {
std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}
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

CommunitySpec NewProjectWizard::spec() const {
    CommunitySpec s;
    s.name_zh = trim(name_zh);
    s.name_en = trim(name_en);
    s.metric = Crs::from_user_input(trim(crs_text));
    if (boundary_source == BoundarySource::File) {
        Layer l = read_layer_raw(boundary_file);
        std::vector<std::string> warnings;
        georeference_layer(l, s.metric, warnings);
        for (const Geometry& g : l.metric)
            if (g.is_polygonal() && !g.empty()) {
                s.boundary = g;
                break;
            }
        if (!s.boundary) throw InputError(boundary_file + ": no polygon to use as the boundary");
    } else {
        const Transformer to_metric(Crs::wgs84(), s.metric);
        const Vec2 c = to_metric.apply(Vec2{lon, lat});
        const double h = draw_half_size_m;
        s.boundary = edit::rectangle({c.x - h, c.y - h}, {c.x + h, c.y + h});
    }
    return s;
}

// [SECTION] Parsing -----------------------------------------------------------------------------

std::vector<std::vector<std::string>> parse_tsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::size_t start = 0;
    while (start < text.size() && rows.size() < 10000) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> cells;
        std::size_t a = 0;
        while (cells.size() < 200) {
            const std::size_t b = line.find('\t', a);
            cells.push_back(line.substr(a, b == std::string::npos ? std::string::npos : b - a));
            if (b == std::string::npos) break;
            a = b + 1;
        }
        rows.push_back(std::move(cells));
        start = end + 1;
    }
    // A trailing newline (spreadsheets end the block with one) is not an empty row.
    while (!rows.empty() && rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
    return rows;
}

std::optional<std::int64_t> parse_count_cell(const std::string& text) {
    const std::string t = trim(text);
    if (t.empty()) return 0;
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{} || p != t.data() + t.size() || v < 0 || v > kMaxUnitCount) return std::nullopt;
    return v;
}

namespace {
std::optional<S> id_problem(const std::string& id) {
    if (id.empty()) return S::CommIdEmpty;
    if (id.size() > 64) return S::CommIdTooLong;
    for (unsigned char c : id)
        if (c < 0x20 || c == 0x7f) return S::CommIdControl;
    return std::nullopt;
}
}  // namespace

// [SECTION] Digitising --------------------------------------------------------------------------

void CommunityEditor::reset(std::string folder, CommunitySpec spec, UnitTable units) {
    m_folder = std::move(folder);
    m_spec = std::move(spec);
    m_units = std::move(units);
    m_boundary = {};
    if (m_spec.boundary) {
        m_boundary.attr.ids = {"boundary"};
        m_boundary.attr.counts = {{}};
        m_boundary.geometry = {*m_spec.boundary};
    }
    m_undo.clear();
    ++m_resets;
    m_polygon = {};
    m_selected = -1;
    m_dragging = false;
    m_error.reset();
    m_snapper_rev = ~0ULL;
}

CommunitySpec CommunityEditor::current_spec() const {
    CommunitySpec s = m_spec;
    s.boundary.reset();
    if (m_boundary.size() > 0) s.boundary = m_boundary.geometry[0];
    for (const std::string& c : m_units.attr.columns)
        if (std::none_of(s.groups.begin(), s.groups.end(), [&](const GroupDef& g) { return g.column == c; }))
            s.groups.push_back(GroupDef{c, {}, {}, {}, {}, {}});
    return s;
}

void CommunityEditor::set_tool(DigitiseTool t) {
    m_tool = t;
    m_polygon = {};
    m_dragging = false;
}

void CommunityEditor::rebuild_snapper() {
    if (m_snapper_rev == revision()) return;
    std::vector<Geometry> targets = m_units.geometry;
    targets.insert(targets.end(), m_boundary.geometry.begin(), m_boundary.geometry.end());
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

std::optional<Problem> CommunityEditor::check_polygon(const Geometry& g) const {
    const Validity v = edit::check_zone(g);
    if (v.valid) return std::nullopt;
    if (v.reason.find("Self-intersection") != std::string::npos || v.reason.find("self-intersection") != std::string::npos)
        return Problem{S::CommSelfIntersection, v.reason};
    return Problem{S::CommInvalidShape, v.reason};
}

int CommunityEditor::unit_at(Vec2 w) const {
    const UnitTable& t = target_table();
    for (std::size_t i = t.size(); i-- > 0;)
        if (point_in_polygon(t.geometry[i], w)) return static_cast<int>(i);
    return -1;
}

bool CommunityEditor::press(Vec2 w, double mpp) {
    m_cursor = snapped(w, mpp);
    if (m_tool == DigitiseTool::Polygon) {
        m_polygon.add_vertex(m_cursor);
        return true;
    }
    const UnitTable& t = target_table();
    if (m_selected >= 0 && static_cast<std::size_t>(m_selected) < t.size()) {
        const Geometry& g = t.geometry[static_cast<std::size_t>(m_selected)];
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
    const int hit = unit_at(w);
    m_selected = hit;
    return hit >= 0;
}

void CommunityEditor::drag(Vec2 w, double mpp) {
    m_cursor = snapped(w, mpp);
    if (m_dragging) m_drag_geometry = edit::move_vertex(m_drag_geometry, m_drag_vertex, m_cursor);
}

void CommunityEditor::release(Vec2 w, double mpp) {
    if (!m_dragging) return;
    drag(w, mpp);
    m_dragging = false;
    const auto i = static_cast<std::size_t>(m_selected);
    if (auto p = check_polygon(m_drag_geometry)) {
        m_error = p;
        return;
    }
    if (m_drag_geometry.polygons.empty()) return;
    m_undo.push(set_unit_geometry(target_table(), i, m_drag_geometry,
                                  target == DigitiseTarget::Units ? "Edit unit shape" : "Edit boundary"));
}

void CommunityEditor::hover(Vec2 w, double mpp) {
    if (m_dragging) return;
    m_cursor = snapped(w, mpp);
}

bool CommunityEditor::right_click(Vec2 w, double mpp) {
    if (m_tool != DigitiseTool::Select || m_selected < 0) return false;
    const auto i = static_cast<std::size_t>(m_selected);
    const UnitTable& t = target_table();
    if (i >= t.size()) return false;
    const auto v = edit::nearest_vertex(t.geometry[i], w, hit_px * mpp);
    if (!v) return false;
    Geometry g;
    try {
        g = edit::delete_vertex(t.geometry[i], *v);
    } catch (const InputError& e) {
        return refuse(S::CommTooFewVertices, e.what());
    }
    if (auto p = check_polygon(g)) {
        m_error = p;
        return false;
    }
    m_undo.push(set_unit_geometry(target_table(), i, std::move(g), "Delete vertex"));
    return true;
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
    const std::string id = m_units.next_id();
    m_undo.push(hq::add_unit(m_units, m_units.size(), id, std::move(g)));
    m_selected = static_cast<int>(m_units.size()) - 1;
    return true;
}

bool CommunityEditor::delete_selected() {
    if (m_selected < 0 || static_cast<std::size_t>(m_selected) >= m_units.size()) return false;
    m_undo.push(hq::delete_unit(m_units, static_cast<std::size_t>(m_selected)));
    m_selected = -1;
    return true;
}

bool CommunityEditor::set_boundary(Geometry g) {
    if (auto p = check_polygon(g)) {
        m_error = p;
        return false;
    }
    if (m_boundary.size() == 0) {
        m_undo.push(hq::add_unit(m_boundary, 0, "boundary", std::move(g)));
    } else {
        m_undo.push(set_unit_geometry(m_boundary, 0, std::move(g), "Edit boundary"));
    }
    return true;
}

bool CommunityEditor::set_cell(std::size_t row, int col, const std::string& text) {
    if (row >= m_units.size() || col >= static_cast<int>(m_units.attr.columns.size()) || col < -1) return false;
    UnitAttributes a = m_units.attr;
    if (col < 0) {
        const std::string id = trim(text);
        if (auto p = id_problem(id)) return refuse(*p, id);
        const int other = m_units.find(id);
        if (other >= 0 && static_cast<std::size_t>(other) != row) return refuse(S::CommIdDuplicate, id);
        if (a.ids[row] == id) return true;
        a.ids[row] = id;
    } else {
        const auto v = parse_count_cell(text);
        if (!v) return refuse(S::CommBadCount, trim(text));
        if (a.counts[row][static_cast<std::size_t>(col)] == *v) return true;
        a.counts[row][static_cast<std::size_t>(col)] = *v;
    }
    const std::string field = col < 0 ? std::string("id") : m_units.attr.columns[static_cast<std::size_t>(col)];
    m_undo.push(set_unit_attributes(m_units, std::move(a), "Edit cell " + m_units.attr.ids[row] + " " + field));
    return true;
}

bool CommunityEditor::paste(const std::vector<std::size_t>& rows, std::size_t row, int col, const std::string& tsv) {
    const auto block = parse_tsv(tsv);
    if (block.empty()) return refuse(S::CommPasteEmpty);
    UnitAttributes a = m_units.attr;
    const int ncols = static_cast<int>(a.columns.size());
    for (std::size_t r = 0; r < block.size(); ++r) {
        if (row + r >= rows.size()) return refuse(S::CommPasteTooBig, std::to_string(block.size()) + " × " + std::to_string(block[r].size()));
        const std::size_t unit = rows[row + r];
        for (std::size_t c = 0; c < block[r].size(); ++c) {
            const int j = col + static_cast<int>(c);
            if (j >= ncols) return refuse(S::CommPasteTooBig, std::to_string(block.size()) + " × " + std::to_string(block[r].size()));
            const std::string where = std::to_string(r + 1) + ":" + std::to_string(c + 1);
            if (j < 0) {
                const std::string id = trim(block[r][c]);
                if (auto p = id_problem(id)) return refuse(*p, where + " " + id);
                a.ids[unit] = id;
            } else {
                const auto v = parse_count_cell(block[r][c]);
                if (!v) return refuse(S::CommBadCount, where + " \"" + trim(block[r][c]) + "\"");
                a.counts[unit][static_cast<std::size_t>(j)] = *v;
            }
        }
    }
    std::vector<std::string> sorted = a.ids;
    std::sort(sorted.begin(), sorted.end());
    if (auto d = std::adjacent_find(sorted.begin(), sorted.end()); d != sorted.end()) return refuse(S::CommIdDuplicate, *d);
    if (a == m_units.attr) return true;
    m_undo.push(set_unit_attributes(m_units, std::move(a), "Paste " + std::to_string(block.size()) + " rows"));
    return true;
}

bool CommunityEditor::add_column(const std::string& column) {
    const std::string c = trim(column);
    if (auto p = id_problem(c)) return refuse(*p, c);
    if (c == "id" || m_units.column(c) >= 0) return refuse(S::CommIdDuplicate, c);
    UnitAttributes a = m_units.attr;
    a.columns.push_back(c);
    for (auto& r : a.counts) r.push_back(0);
    m_undo.push(set_unit_attributes(m_units, std::move(a), "Add column " + c));
    return true;
}

bool CommunityEditor::apply_counts(const std::map<std::string, std::map<std::string, std::int64_t>>& counts,
                                   const std::vector<GroupDef>& groups, const std::string& description) {
    UnitAttributes a = m_units.attr;
    auto col_of = [&](const std::string& name) {
        for (std::size_t j = 0; j < a.columns.size(); ++j)
            if (a.columns[j] == name) return j;
        a.columns.push_back(name);
        for (auto& r : a.counts) r.push_back(0);
        return a.columns.size() - 1;
    };
    for (const auto& [id, by_col] : counts) {
        const int i = m_units.find(id);
        if (i < 0) continue;  // listed by the dialog as unknown units
        for (const auto& [c, n] : by_col) {
            if (n < 0 || n > kMaxUnitCount) return refuse(S::CommBadCount, id + " " + c + " " + std::to_string(n));
            const std::size_t j = col_of(c);
            a.counts[static_cast<std::size_t>(i)][j] = n;
        }
    }
    for (const GroupDef& g : groups)
        if (std::none_of(m_spec.groups.begin(), m_spec.groups.end(), [&](const GroupDef& h) { return h.column == g.column; }))
            m_spec.groups.push_back(g);  // names only; harmless when the step is undone
    if (a == m_units.attr) return true;
    m_undo.push(set_unit_attributes(m_units, std::move(a), description));
    return true;
}

bool CommunityEditor::undo() {
    m_dragging = false;
    const bool r = m_undo.undo();
    if (m_selected >= static_cast<int>(target_table().size())) m_selected = -1;
    return r;
}

bool CommunityEditor::redo() {
    m_dragging = false;
    const bool r = m_undo.redo();
    if (m_selected >= static_cast<int>(target_table().size())) m_selected = -1;
    return r;
}

// [SECTION] Attribute table ---------------------------------------------------------------------

std::vector<std::size_t> table_rows(const UnitTable& t, int sort_col, bool ascending, const std::string& filter) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < t.size(); ++i) {
        bool keep = filter.empty() || t.attr.ids[i].find(filter) != std::string::npos;
        for (std::size_t j = 0; !keep && j < t.attr.columns.size(); ++j)
            keep = std::to_string(t.attr.counts[i][j]).find(filter) != std::string::npos;
        if (keep) rows.push_back(i);
    }
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
        if (sort_col >= 0 && static_cast<std::size_t>(sort_col) < t.attr.columns.size()) {
            const auto j = static_cast<std::size_t>(sort_col);
            return ascending ? t.attr.counts[a][j] < t.attr.counts[b][j] : t.attr.counts[a][j] > t.attr.counts[b][j];
        }
        return ascending ? t.attr.ids[a] < t.attr.ids[b] : t.attr.ids[a] > t.attr.ids[b];
    });
    return rows;
}

// [SECTION] Roster ------------------------------------------------------------------------------

std::string group_column(std::size_t ethnic_index) {
    std::string r = ethnic_groups().at(ethnic_index).roman;
    std::string out = "pop_";
    for (char c : r)
        if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

namespace {
std::string cell_text(const Value& v) { return trim(value_to_string(v)); }

constexpr const char* kUnitWords[] = {"院落", "单元", "楼栋", "编号", "unit", "courtyard", "building", "cy_id", "id"};
constexpr const char* kSizeWords[] = {"人数", "人口", "户人", "size", "persons", "members"};

template <std::size_t N>
bool header_has(const std::string& h, const char* const (&words)[N]) {
    std::string low;
    for (char c : h) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* w : words)
        if (low.find(w) != std::string::npos) return true;
    return false;
}
bool header_is_unit(const std::string& h) { return header_has(h, kUnitWords); }
bool header_is_size(const std::string& h) { return header_has(h, kSizeWords); }
}  // namespace

void RosterMappingUi::guess() {
    std::vector<std::string> headers;
    for (const Field& f : table.fields) headers.push_back(f.name);
    const auto rec = recognise_group_columns(headers);
    column_group.assign(headers.size(), -1);
    unit_column = name_column = size_column = -1;
    for (std::size_t j = 0; j < headers.size(); ++j)
        if (rec[j]) column_group[j] = static_cast<int>(*rec[j]);
    for (std::size_t j = 0; j < headers.size() && unit_column < 0; ++j)
        if (column_group[j] < 0 && header_is_unit(headers[j])) unit_column = static_cast<int>(j);
    // A column most of whose values are group names is the long form's name column.
    std::size_t best = 0;
    for (std::size_t j = 0; j < headers.size(); ++j) {
        if (static_cast<int>(j) == unit_column || column_group[j] >= 0) continue;
        std::size_t hits = 0;
        for (const auto& row : table.rows)
            if (j < row.size() && match_ethnic_group(cell_text(row[j]))) ++hits;
        if (hits > best && hits * 2 >= table.rows.size()) {
            best = hits;
            name_column = static_cast<int>(j);
        }
    }
    if (name_column >= 0) {
        for (std::size_t j = 0; j < headers.size(); ++j)
            if (static_cast<int>(j) != unit_column && static_cast<int>(j) != name_column && column_group[j] < 0 &&
                header_is_size(headers[j])) {
                size_column = static_cast<int>(j);
                break;
            }
    }
}

RosterMappingUi::Result RosterMappingUi::aggregate() const {
    Result r;
    std::vector<bool> used(ethnic_groups().size(), false);
    auto add = [&](const std::string& unit, std::size_t g, std::int64_t n) {
        used[g] = true;
        std::int64_t& c = r.counts[unit][group_column(g)];
        c = std::min<std::int64_t>(c + n, kMaxUnitCount + 1);
    };
    auto header = [&](int j) { return table.fields.at(static_cast<std::size_t>(j)).name; };
    if (unit_column < 0) {
        r.problems.push_back(std::string(tr(S::CommNoUnitColumn, UiLang::Zh)) + " / " + tr(S::CommNoUnitColumn, UiLang::En));
        return r;
    }
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const auto& row = table.rows[i];
        const std::string where = "第" + std::to_string(i + 2) + "行 / row " + std::to_string(i + 2);  // the header is row 1
        const std::string unit = static_cast<std::size_t>(unit_column) < row.size() ? cell_text(row[static_cast<std::size_t>(unit_column)]) : "";
        if (unit.empty()) {
            r.problems.push_back(where + ", " + header(unit_column) + ": 单元编号为空 / empty unit id");
            continue;
        }
        if (name_column >= 0) {
            const std::string name = static_cast<std::size_t>(name_column) < row.size() ? cell_text(row[static_cast<std::size_t>(name_column)]) : "";
            std::int64_t n = 1;
            if (size_column >= 0 && static_cast<std::size_t>(size_column) < row.size()) {
                const auto v = parse_count_cell(cell_text(row[static_cast<std::size_t>(size_column)]));
                if (!v) {
                    r.problems.push_back(where + ", " + header(size_column) + ": \"" + cell_text(row[static_cast<std::size_t>(size_column)]) + "\" 不是人数 / is not a count");
                    continue;
                }
                n = cell_text(row[static_cast<std::size_t>(size_column)]).empty() ? 1 : *v;
            }
            const auto g = match_ethnic_group(name);
            if (!g) {
                r.unknown.push_back(where + ", " + header(name_column) + ": " + (name.empty() ? "（空）/ (empty)" : name));
                continue;
            }
            add(unit, *g, n);
        }
        for (std::size_t j = 0; j < column_group.size() && j < row.size(); ++j) {
            if (column_group[j] < 0 || static_cast<int>(j) == unit_column || static_cast<int>(j) == name_column) continue;
            const auto v = parse_count_cell(cell_text(row[j]));
            if (!v) {
                r.problems.push_back(where + ", " + header(static_cast<int>(j)) + ": \"" + cell_text(row[j]) + "\" 不是人数 / is not a count");
                continue;
            }
            add(unit, static_cast<std::size_t>(column_group[j]), *v);
        }
    }
    for (std::size_t g = 0; g < used.size(); ++g)
        if (used[g]) r.groups.push_back(GroupDef{group_column(g), {}, {}, ethnic_groups()[g].zh, ethnic_groups()[g].en, {}});
    return r;
}

}  // namespace hq::view
