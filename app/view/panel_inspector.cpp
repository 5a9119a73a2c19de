// Inspector: the composition table of the selected unit(s): counts and shares per group
// through disclosure control (geo/privacy, inspect.hpp: composition), and for one unit its local
// indices (normalised entropy, Simpson's interaction, location quotient of the chosen
// group, the LISA I_i / z / p when LISA has run); a venue's attributes or a micro-garden
// project's status, dates, budget and participants by group when one was clicked.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "app/view/inspect.hpp"
#include "app/view/panels.hpp"
#include "geo/geometry/ops.hpp"

namespace hq::view {

namespace {
void rows_table(const char* id, const std::vector<InfoRow>& rows) {
    if (rows.empty() || !ImGui::BeginTable(id, 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
    for (const InfoRow& r : rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.label.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", r.value.c_str());
    }
    ImGui::EndTable();
}

std::string fmt(double v, const char* f = "%.3f") {
    if (!std::isfinite(v)) return "—";
    char buf[64];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    std::snprintf(buf, sizeof buf, f, v);
#pragma GCC diagnostic pop
    return buf;
}

/// A venue or project clicked on the map.
bool draw_feature(const Model& model, UiState& ui) {
    const ProjectData* d = model.data.get();
    if (!d || ui.inspect_feature < 0) return false;
    const Layer* layer = d->project->layer(ui.inspect_role);
    const auto f = static_cast<std::size_t>(ui.inspect_feature);
    if (!layer || f >= layer->size()) return false;
    if (ImGui::SmallButton(ui.t(S::ClearSelection))) {
        ui.inspect_feature = -1;
        return true;
    }
    if (ui.inspect_role == Role::Venues) {
        ImGui::TextUnformatted(ui.t(S::Venue));
        rows_table("venue", venue_rows(*layer, f, ui.lang));
    } else {
        ImGui::TextUnformatted(ui.t(S::Project));
        const ProjectInfo info = project_info(*layer, f, *d->project, ui.lang);
        rows_table("project", info.rows);
        if (!info.participants.empty()) {
            ImGui::Spacing();
            ImGui::TextUnformatted(ui.t(S::ParticipantsByGroup));
            rows_table("participants", info.participants);
        }
    }
    ImGui::TextDisabled("%s", ui.t(S::PrivacyNote));
    return true;
}
}  // namespace

void pick_feature_for_inspector(const Model& model, UiState& ui, Controller& /*ctl*/, Vec2 world, double pixel_m) {
    ui.inspect_feature = -1;
    const carto::Scene* scene = model.scene.get();
    if (!scene) return;
    // Venue symbols first: the nearest within its radius plus 3 px.
    double best = 1e300;
    for (const carto::PointSymbol& s : scene->points) {
        if (s.role != Role::Venues) continue;
        const double dist = std::hypot(s.position.x - world.x, s.position.y - world.y);
        if (dist <= (s.radius_px + 3.0) * pixel_m && dist < best) {
            best = dist;
            ui.inspect_role = Role::Venues;
            ui.inspect_feature = static_cast<int>(s.feature);
            ui.show_inspector = true;
        }
    }
    if (ui.inspect_feature >= 0) return;
    for (const carto::FillPolygon& p : scene->polygons)
        if (p.role == Role::Projects && p.geometry && p.geometry->bounds().contains(world) &&
            point_in_polygon(*p.geometry, world)) {
            ui.inspect_role = Role::Projects;
            ui.inspect_feature = static_cast<int>(p.feature);
            ui.show_inspector = true;
            return;
        }
}

void draw_inspector(const Model& model, UiState& ui, Controller& ctl) {
    if (!ui.show_inspector) return;
    if (!begin_docked_tab(ui, std::string(ui.t(S::Inspector)) + "###inspector", "inspector", ui.show_inspector)) return;
    if (draw_feature(model, ui)) {
        ImGui::EndTabItem();
        return;
    }
    const ProjectData* d = model.data.get();
    if (!d || !d->units || model.selection.empty()) {
        ImGui::TextDisabled("%s", ui.t(S::NoSelection));
        ImGui::TextDisabled("%s", ui.t(S::HoverHint));
        ImGui::EndTabItem();
        return;
    }
    // The selection's composition through the protected units × groups table.
    const std::vector<std::uint32_t> selection(model.selection.begin(), model.selection.end());
    const Composition comp = composition(*model.data->protected_units, selection);
    const std::size_t ng = d->counts.size();
    if (model.selection.size() == 1)
        ImGui::Text("%s %s", ui.t(S::Unit), d->units->ids[*model.selection.begin()].c_str());
    else
        ImGui::Text("%s: %zu", ui.t(S::Selected), model.selection.size());
    if (ImGui::SmallButton(ui.t(S::ClearSelection))) ctl.clear_selection();
    // One unit whose counts are all published: its local indices under the composition
    // table (with its total they would give a withheld count back: unit_values_published).
    std::vector<InfoRow> local;
    if (model.selection.size() == 1 &&
        unit_values_published(*model.data->protected_units, *model.selection.begin())) {
        const std::uint32_t u = *model.selection.begin();
        const LocalIndexTable& t = *model.data->local_indices;
        if (u < t.entropy.size()) {
            local.push_back({ui.t(S::VarEntropy), fmt(t.entropy[u])});
            local.push_back({ui.t(S::VarSimpsonInteraction), fmt(t.simpson_interaction[u])});
            const auto g = static_cast<std::size_t>(std::clamp(ui.group, 0, static_cast<int>(ng) - 1));
            if (g < t.lq.size() && !model.data->protected_units->cell(u, g).suppressed())
                local.push_back({std::string(ui.t(S::VarLq)) + " (" + ctl.group_name(g) + ")", fmt(t.lq[g][u])});
        }
    }
    // The LISA's values come from published-only inputs (docs/privacy.md, "LISA"): shown for
    // any one unit, "不公开 / withheld" for a unit left out of it.
    if (const LisaView* l = model.lisa.get(); l && model.selection.size() == 1) {
        const std::uint32_t u = *model.selection.begin();
        std::string gname = l->group;
        for (std::size_t g = 0; g < ng; ++g)
            if (d->project->groups[g].column == l->group) gname = ctl.group_name(g);
        for (InfoRow& r : lisa_inspector_rows(*l, u, gname, ui.lang)) local.push_back(std::move(r));
    }
    const float reserve = ImGui::GetTextLineHeightWithSpacing() *
                          (2.0f + (local.empty() ? 0.0f : static_cast<float>(local.size()) + 1.5f));
    if (ImGui::BeginTable("composition", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY,
                          ImVec2(0, std::max(ImGui::GetTextLineHeightWithSpacing() * 4,
                                             ImGui::GetContentRegionAvail().y - reserve)))) {
        ImGui::TableSetupColumn(ui.t(S::Group));
        ImGui::TableSetupColumn(ui.t(S::Count));
        ImGui::TableSetupColumn(ui.t(S::Share));
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableHeadersRow();
        for (const CompositionRow& row : comp.rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const carto::Color c = color_from_hex(d->project->groups[row.group].color);
            ImGui::ColorButton("##c", ImVec4(c.r, c.g, c.b, 1), ImGuiColorEditFlags_NoTooltip, ImVec2(10, 10));
            ImGui::SameLine();
            ImGui::TextUnformatted(ctl.group_name(row.group).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(row.count.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(row.share.c_str());
        }
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(ui.t(S::Total));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(comp.total.c_str());
        ImGui::EndTable();
    }
    if (!local.empty()) {
        ImGui::TextUnformatted(ui.t(S::LocalIndices));
        rows_table("local", local);
    }
    ImGui::TextDisabled("%s", ui.t(S::PrivacyNote));
    ImGui::EndTabItem();
}

}  // namespace hq::view
