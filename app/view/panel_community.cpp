// A community from nothing in the viewer (issue 16 §4): File > New project (the wizard, a modal
// dialog), the Digitise tab of the right-hand panel (units and boundary tools, save, the
// attribute table with sort, filter, cell edits and spreadsheet paste) and the roster import
// dialog. The logic lives in community.hpp (GL-free, tested); this file only draws it and
// routes the canvas's mouse and keys to the CommunityEditor.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstring>

#include "app/view/draw_util.hpp"
#include "app/view/panels.hpp"
#include "app/view/tessellate.hpp"
#include "app/view/tool_input.hpp"
#include "geo/io/reader.hpp"
#include "geo/project/ethnic_groups.hpp"

namespace hq::view {
namespace {

ImVec2 to_im(Vec2 p) { return {static_cast<float>(p.x), static_cast<float>(p.y)}; }

constexpr ImU32 kUnitOutline = IM_COL32(38, 50, 56, 255);
constexpr ImU32 kSelected = IM_COL32(0, 188, 212, 255);
constexpr ImU32 kBoundaryOutline = IM_COL32(121, 85, 72, 255);
constexpr ImU32 kDrawing = IM_COL32(21, 101, 192, 255);

template <std::size_t N>
void copy_to(std::array<char, N>& buf, const std::string& s) {
    const std::size_t n = std::min(s.size(), N - 1);
    std::memcpy(buf.data(), s.data(), n);
    buf[n] = 0;
}


void problem_line(const UiState& ui, const std::optional<Problem>& p) {
    if (p) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", p->text(ui.lang).c_str());
}


// [SECTION] Wizard ---------------------------------------------------------------------------------

void draw_wizard(UiState& ui, Controller& ctl) {
    CommunityUi& cu = ui.community;
    NewProjectWizard& w = cu.wizard;
    if (!begin_modal((std::string(ui.t(S::WizardTitle)) + "###community_wizard").c_str(), cu.wizard_popup)) return;
    record_window(ui, "community_wizard");
    const S steps[] = {S::WizStepName, S::WizStepCrs, S::WizStepBoundary, S::WizStepBasemap, S::WizStepReview};
    for (std::size_t k = 0; k < 5; ++k) {
        if (k) ImGui::SameLine();
        if (static_cast<std::size_t>(w.step) == k) ImGui::TextUnformatted(ui.t(steps[k]));
        else ImGui::TextDisabled("%s", ui.t(steps[k]));
    }
    ImGui::Separator();
    auto text = [&](S label, CommunityUi::Buf& buf, std::string& into) {
        ImGui::SetNextItemWidth(420);
        if (ImGui::InputText(ui.t(label), buf.data(), buf.size())) into = buf.data();
    };
    switch (w.step) {
    case WizardStep::Name:
        text(S::WizNameZh, cu.name_zh, w.name_zh);
        text(S::WizNameEn, cu.name_en, w.name_en);
        text(S::WizFolder, cu.folder, w.folder);
        break;
    case WizardStep::Crs:
        ImGui::SetNextItemWidth(200);
        ImGui::InputDouble(ui.t(S::WizLon), &w.lon, 0, 0, "%.5f");
        ImGui::SetNextItemWidth(200);
        ImGui::InputDouble(ui.t(S::WizLat), &w.lat, 0, 0, "%.5f");
        if (ImGui::Button(ui.t(S::WizSuggest))) {
            w.crs_text = suggest_crs(w.lon, w.lat);
            copy_to(cu.crs, w.crs_text);
        }
        text(S::WizCrs, cu.crs, w.crs_text);
        break;
    case WizardStep::Boundary: {
        int src = static_cast<int>(w.boundary_source);
        ImGui::RadioButton(ui.t(S::WizDraw), &src, 0);
        ImGui::RadioButton(ui.t(S::WizFile), &src, 1);
        w.boundary_source = static_cast<BoundarySource>(src);
        if (w.boundary_source == BoundarySource::Draw) {
            ImGui::SetNextItemWidth(200);
            ImGui::InputDouble(ui.t(S::WizHalfSize), &w.draw_half_size_m, 0, 0, "%.0f");
        } else {
            text(S::WizBoundaryFile, cu.boundary_file, w.boundary_file);
        }
        break;
    }
    case WizardStep::Basemap: text(S::WizBasemap, cu.basemap, w.basemap); break;
    case WizardStep::Review:
        ImGui::Text("%s / %s", w.name_zh.c_str(), w.name_en.c_str());
        ImGui::Text("%s", w.folder.c_str());
        ImGui::Text("%s", w.crs_text.c_str());
        ImGui::Text("%s", w.boundary_source == BoundarySource::File ? w.boundary_file.c_str() : ui.t(S::WizDraw));
        if (!w.basemap.empty()) ImGui::Text("%s", w.basemap.c_str());
        break;
    }
    const auto problem = w.problem();
    problem_line(ui, problem);
    ImGui::Separator();
    if (ImGui::Button(ui.t(S::WizBack))) w.back();
    ImGui::SameLine();
    if (w.step != WizardStep::Review) {
        ImGui::BeginDisabled(problem.has_value());
        if (ImGui::Button(ui.t(S::WizNext))) w.next();
        ImGui::EndDisabled();
    } else if (ImGui::Button(ui.t(S::WizCreate))) {
        ctl.community_create(w);
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(ui.t(S::Cancel))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

// [SECTION] Roster -----------------------------------------------------------------------------------

const char* field_label(const UiState& ui, RosterField f, std::size_t group) {
    switch (f) {
    case RosterField::Unit: return ui.t(S::RosterUnitColumn);
    case RosterField::Ethnicity: return ui.t(S::RosterNameColumn);
    case RosterField::Size: return ui.t(S::RosterSizeColumn);
    case RosterField::Group: return ui.lang == UiLang::Zh ? ethnic_groups()[group].zh : ethnic_groups()[group].en;
    case RosterField::Ignore: return ui.t(S::RosterNone);
    }
    return "";
}

void list_box(const UiState& ui, S title, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    ImGui::TextColored(ImVec4(0.8f, 0.35f, 0.0f, 1), "%s (%zu)", ui.t(title), lines.size());
    ImGui::BeginChild(ui.t(title), ImVec2(560, 90), true);
    for (const std::string& l : lines) ImGui::TextUnformatted(l.c_str());
    ImGui::EndChild();
}

void draw_roster(const Model& model, UiState& ui, Controller& ctl) {
    CommunityUi& cu = ui.community;
    if (!begin_modal((std::string(ui.t(S::RosterTitle)) + "###community_roster").c_str(), cu.roster_popup)) return;
    record_window(ui, "community_roster");
    ImGui::SetNextItemWidth(420);
    ImGui::InputText(ui.t(S::RosterPath), cu.roster_path.data(), cu.roster_path.size());
    ImGui::SameLine();
    if (ImGui::Button(ui.t(S::RosterRead))) {
        try {
            cu.roster = {};
            cu.roster.table = read_table(cu.roster_path.data());
            cu.roster.guess();
            cu.roster_loaded = true;
            ctl.fonts_dirty = true;  // the roster's headers and names
        } catch (const std::exception& e) {
            cu.roster_loaded = false;
            ui.errors.emplace_back(e.what());
        }
    }
    if (cu.roster_loaded) {
        RosterMappingUi& r = cu.roster;
        ImGui::TextUnformatted(ui.t(S::RosterColumns));
        const auto& groups = ethnic_groups();
        for (std::size_t j = 0; j < r.table.fields.size(); ++j) {
            const std::string& col = r.table.fields[j].name;
            std::size_t g = 0;
            const RosterField f = r.field_of(col, &g);
            ImGui::SetNextItemWidth(220);
            if (ImGui::BeginCombo((col + "##rc" + std::to_string(j)).c_str(), field_label(ui, f, g))) {
                for (RosterField k : {RosterField::Unit, RosterField::Ethnicity, RosterField::Size, RosterField::Ignore})
                    if (ImGui::Selectable(field_label(ui, k, 0), f == k) && f != k) r.set(col, k);
                ImGui::Separator();
                for (std::size_t k = 0; k < groups.size(); ++k)
                    if (ImGui::Selectable(ui.lang == UiLang::Zh ? groups[k].zh : groups[k].en, f == RosterField::Group && g == k))
                        r.set(col, RosterField::Group, k);
                ImGui::EndCombo();
            }
        }
        if (!r.error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", r.error.c_str());
        if (r.counts) {
            std::vector<std::string> unknown, problems;
            for (const RosterIssue& i : r.counts->issues)
                (i.kind == RosterIssue::Kind::UnknownGroup ? unknown : problems).push_back(i.line());
            list_box(ui, S::RosterUnknown, unknown);
            list_box(ui, S::RosterProblems, problems);
            list_box(ui, S::RosterUnmatched, r.units_not_on_map(model.community.project()));
        }
        ImGui::BeginDisabled(!r.counts);
        if (ImGui::Button(ui.t(S::RosterApply)) && r.counts && ctl.community().apply_roster(*r.counts))
            ImGui::CloseCurrentPopup();
        ImGui::EndDisabled();
        ImGui::SameLine();
    }
    if (ImGui::Button(ui.t(S::Cancel))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

// [SECTION] Attribute table ---------------------------------------------------------------------------

void draw_table(const Model& model, UiState& ui, Controller& ctl) {
    CommunityUi& cu = ui.community;
    CommunityEditor& ed = ctl.community();
    ImGui::SetNextItemWidth(160);
    ImGui::InputText(ui.t(S::AttrFilter), cu.filter.data(), cu.filter.size());
    ImGui::SetNextItemWidth(120);
    ImGui::InputText(ui.t(S::AttrColumnName), cu.column.data(), cu.column.size());
    ImGui::SameLine();
    if (ImGui::Button(ui.t(S::AttrAddColumn)) && ed.add_column(cu.column.data())) cu.column[0] = 0;
    const Layer* l = model.community.units();
    if (!l) return;
    const std::vector<std::size_t> rows = table_rows(*l, cu.sort_col, cu.ascending, cu.filter.data());
    const std::vector<std::size_t> fields = table_fields(*l);
    // Columns on screen: 0 the id, then `fields` (cu.cell_col is a field index, −1 the id).
    if (cu.cell_row >= 0 && static_cast<std::size_t>(cu.cell_row) < l->size() && cu.cell_col >= -1 &&
        cu.cell_col < static_cast<int>(l->table.fields.size())) {
        const auto row = static_cast<std::size_t>(cu.cell_row);
        ImGui::Text("%s · %s", l->ids[row].c_str(),
                    cu.cell_col < 0 ? "id" : l->table.fields[static_cast<std::size_t>(cu.cell_col)].name.c_str());
        ImGui::SetNextItemWidth(120);
        if (ImGui::InputText("##cell", cu.cell.data(), cu.cell.size(), ImGuiInputTextFlags_EnterReturnsTrue))
            ed.set_cell(row, cu.cell_col, cu.cell.data());
        ImGui::SameLine();
        ImGui::BeginDisabled(cu.cell_col < 0);
        if (ImGui::Button(ui.t(S::AttrPaste))) {
            const char* clip = ImGui::GetClipboardText();
            ed.paste(rows, row, cu.cell_col, clip ? clip : "");
        }
        ImGui::EndDisabled();
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_ScrollX | ImGuiTableFlags_Sortable | ImGuiTableFlags_SortTristate;
    const int ncols = static_cast<int>(std::min<std::size_t>(fields.size(), 63)) + 1;
    if (!ImGui::BeginTable("##units", ncols, flags, ImVec2(0, 320))) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("id");
    for (int c = 1; c < ncols; ++c) ImGui::TableSetupColumn(l->table.fields[fields[static_cast<std::size_t>(c - 1)]].name.c_str());
    ImGui::TableHeadersRow();
    if (ImGuiTableSortSpecs* s = ImGui::TableGetSortSpecs(); s && s->SpecsDirty) {
        const int c = s->SpecsCount > 0 ? s->Specs[0].ColumnIndex : -100;
        cu.sort_col = c == 0 ? kSortId : c > 0 ? static_cast<int>(fields[static_cast<std::size_t>(c - 1)]) : kSortNone;
        cu.ascending = s->SpecsCount == 0 || s->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
        s->SpecsDirty = false;
    }
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(rows.size()));
    while (clip.Step())
        for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
            const std::size_t unit = rows[static_cast<std::size_t>(r)];
            ImGui::TableNextRow();
            for (int c = 0; c < ncols; ++c) {
                ImGui::TableSetColumnIndex(c);
                const int field = c == 0 ? -1 : static_cast<int>(fields[static_cast<std::size_t>(c - 1)]);
                const std::string v = field < 0 ? l->ids[unit] : value_to_string(l->table.rows[unit][static_cast<std::size_t>(field)]);
                const bool sel = cu.cell_row == static_cast<int>(unit) && cu.cell_col == field;
                if (ImGui::Selectable((v + "##" + std::to_string(unit) + "_" + std::to_string(c)).c_str(), sel)) {
                    cu.cell_row = static_cast<int>(unit);
                    cu.cell_col = field;
                    copy_to(cu.cell, v);
                    if (ed.target == DigitiseTarget::Units) ed.select(static_cast<int>(unit));
                }
            }
        }
    ImGui::EndTable();
}

}  // namespace

// [SECTION] Menu, tab, dialogs, canvas ---------------------------------------------------------------------

void draw_community_menu_items(const Model& model, UiState& ui, Controller& ctl) {
    if (ImGui::MenuItem(ui.t(S::MenuNewProject))) {
        ui.community.wizard = {};
        ui.community.wizard_popup = true;
    }
    if (ImGui::MenuItem(ui.t(S::Digitise), nullptr, ui.community.show, model.data != nullptr)) {
        ui.community.show = !ui.community.show;
        if (ui.community.show && !model.community.active()) ctl.community_start();
    }
    if (ImGui::MenuItem(ui.t(S::MenuRoster), nullptr, false, model.community.active())) ui.community.roster_popup = true;
}

void draw_community_tab(const Model& model, UiState& ui, Controller& ctl) {
    CommunityUi& cu = ui.community;
    if (!begin_docked_tab(ui, std::string(ui.t(S::Digitise)) + "###community", "community", cu.show)) return;
    CommunityEditor& ed = ctl.community();
    if (!ed.active()) {
        if (model.data) ctl.community_start();
        ImGui::EndTabItem();
        return;
    }
    int target = static_cast<int>(ed.target);
    ImGui::RadioButton(ui.t(S::DigUnits), &target, 0);
    ImGui::SameLine();
    ImGui::RadioButton(ui.t(S::DigBoundary), &target, 1);
    if (target != static_cast<int>(ed.target)) {
        ed.target = static_cast<DigitiseTarget>(target);
        ed.select(-1);
    }
    int tool = static_cast<int>(ed.tool());
    ImGui::RadioButton(ui.t(S::DigSelect), &tool, 0);
    ImGui::SameLine();
    ImGui::RadioButton(ui.t(S::DigPolygon), &tool, 1);
    if (tool != static_cast<int>(ed.tool())) ed.set_tool(static_cast<DigitiseTool>(tool));
    ImGui::Checkbox(ui.t(S::Snap), &ed.snap);
    ImGui::TextWrapped("%s", ui.t(S::DigHint));
    ImGui::BeginDisabled(ed.selected() < 0 || ed.target != DigitiseTarget::Units);
    if (ImGui::Button(ui.t(S::DigDelete))) ed.delete_selected();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!ed.undo_stack().can_undo());
    if (ImGui::Button(ui.t(S::Undo))) ed.undo();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!ed.undo_stack().can_redo());
    if (ImGui::Button(ui.t(S::Redo))) ed.redo();
    ImGui::EndDisabled();
    ImGui::Text("%s: %zu", ui.t(S::DigUnitCount), ed.units() ? ed.units()->size() : std::size_t{0});
    problem_line(ui, ed.error());
    ImGui::Separator();
    if (ImGui::Button(ui.t(S::DigSaveFolder))) ctl.community_save_folder();
    if (!cu.gpkg_path[0]) copy_to(cu.gpkg_path, ed.folder() + ".gpkg");
    ImGui::SetNextItemWidth(220);
    ImGui::InputText("##gpkg_path", cu.gpkg_path.data(), cu.gpkg_path.size());
    ImGui::SameLine();
    if (ImGui::Button(ui.t(S::DigSaveGpkg)) && cu.gpkg_path[0]) ctl.community_save_gpkg(cu.gpkg_path.data());
    if (ImGui::Button(ui.t(S::MenuRoster))) cu.roster_popup = true;
    if (!cu.message.empty()) ImGui::TextWrapped("%s", cu.message.c_str());
    ImGui::Separator();
    ImGui::TextUnformatted(ui.t(S::AttrTable));
    draw_table(model, ui, ctl);
    ImGui::EndTabItem();
}

void draw_community_dialogs(const Model& model, UiState& ui, Controller& ctl) {
    draw_wizard(ui, ctl);
    draw_roster(model, ui, ctl);
}

bool community_canvas_input(const Model& model, UiState& ui, Controller& ctl, bool hovered) {
    CommunityUi& cu = ui.community;
    CommunityEditor& ed = ctl.community();
    if (!cu.show || !ed.active() || !model.data || ui.plan.active || ui.measure_active) {
        cu.owns_mouse = false;
        return false;
    }
    return route_tool_input(
        ed, cu.owns_mouse, ui.camera, hovered, [&](Vec2 w, double mpp) { return ed.press(w, mpp); },
        [&] { ed.key_escape(); });
}

void draw_community_overlay(const Model& model, UiState& ui, Controller& /*ctl*/, ImDrawList* dl) {
    const CommunityEditor& ed = model.community;
    if (!ui.community.show || !ed.active()) return;
    const Camera& cam = ui.camera;
    if (const Layer* b = ed.layer(DigitiseTarget::Boundary))
        for (const Geometry& g : b->metric) outline_polygon(dl, cam, g, kBoundaryOutline, 2.0f);
    if (const Layer* u = ed.units())
        for (const Geometry& g : u->metric) outline_polygon(dl, cam, g, kUnitOutline, 1.5f);
    const Layer* target = ed.layer(ed.target);
    if (target && ed.selected() >= 0 && static_cast<std::size_t>(ed.selected()) < target->size()) {
        const Geometry& g = target->metric[static_cast<std::size_t>(ed.selected())];
        outline_polygon(dl, cam, g, kSelected, 3.0f);
        g.for_each_vertex([&](const Vec2& p) {
            const ImVec2 s = to_im(cam.world_to_screen(p));
            dl->AddRectFilled(ImVec2(s.x - 3, s.y - 3), ImVec2(s.x + 3, s.y + 3), kSelected);
        });
    }
    const auto& v = ed.drawing();
    if (!v.empty()) {
        std::vector<ImVec2> pts;
        for (const Vec2& p : v) pts.push_back(to_im(cam.world_to_screen(p)));
        pts.push_back(to_im(cam.world_to_screen(ed.cursor())));
        dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), kDrawing, ImDrawFlags_None, 2.0f);
        for (const ImVec2& p : pts) dl->AddCircleFilled(p, 3.0f, kDrawing);
    }
    if (const auto& s = ed.snap_hint()) {
        const ImVec2 p = to_im(cam.world_to_screen(s->point));
        dl->AddRect(ImVec2(p.x - 5, p.y - 5), ImVec2(p.x + 5, p.y + 5), IM_COL32(233, 30, 99, 255), 0, 0, 2.0f);
    }
}

}  // namespace hq::view
