// Inspector: the composition table of the selected unit(s): counts and shares per group,
// counts below 5 shown as "<5" (privacy, DEVELOPERS.md).
#include <imgui.h>

#include <algorithm>
#include <numeric>

#include "app/view/panels.hpp"

namespace hq::view {

namespace {
void remember_window(const char* name) {
    const ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
    floating_windows().push_back({name, p.x, p.y, s.x, s.y});
}
}  // namespace

void draw_inspector(App& app, const Layout& layout) {
    if (!app.ui.show_inspector) return;
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(layout.canvas_min.x + layout.canvas_size.x) - 330,
                                   static_cast<float>(layout.canvas_min.y) + 10),
                            ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(320, 300), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin((std::string(app.t(S::Inspector)) + "###inspector").c_str(), &app.ui.show_inspector)) {
        ImGui::End();
        return;
    }
    remember_window("inspector");
    const ProjectData* d = app.model.data.get();
    if (!d || !d->units || app.model.selection.empty()) {
        ImGui::TextDisabled("%s", app.t(S::NoSelection));
        ImGui::TextDisabled("%s", app.t(S::HoverHint));
        ImGui::End();
        return;
    }
    // Sum over the selection (one unit, or several when brushing).
    const std::size_t ng = d->counts.size();
    std::vector<double> counts(ng, 0.0);
    double total = 0;
    for (std::uint32_t f : app.model.selection) {
        if (f >= d->totals.size()) continue;
        for (std::size_t g = 0; g < ng; ++g) counts[g] += d->counts[g][f];
        total += d->totals[f];
    }
    if (app.model.selection.size() == 1)
        ImGui::Text("%s %s", app.t(S::Unit), d->units->ids[*app.model.selection.begin()].c_str());
    else
        ImGui::Text("%s: %zu", app.t(S::Selected), app.model.selection.size());
    if (ImGui::SmallButton(app.t(S::ClearSelection))) app.model.selection.clear();
    std::vector<std::size_t> order(ng);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
    const bool show_shares = total >= 5;  // shares of tiny populations would reveal counts
    if (ImGui::BeginTable("composition", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY,
                          ImVec2(0, ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 2))) {
        ImGui::TableSetupColumn(app.t(S::Group));
        ImGui::TableSetupColumn(app.t(S::Count));
        ImGui::TableSetupColumn(app.t(S::Share));
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableHeadersRow();
        for (std::size_t g : order) {
            if (counts[g] <= 0) continue;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const carto::Color c = color_from_hex(d->project->groups[g].color);
            ImGui::ColorButton("##c", ImVec4(c.r, c.g, c.b, 1), ImGuiColorEditFlags_NoTooltip, ImVec2(10, 10));
            ImGui::SameLine();
            ImGui::TextUnformatted(app.group_name(g).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_count(counts[g]).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(show_shares ? format_share(counts[g] / total).c_str() : "—");
        }
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(app.t(S::Total));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_count(total).c_str());
        ImGui::EndTable();
    }
    ImGui::TextDisabled("%s", app.t(S::PrivacyNote));
    ImGui::End();
}

}  // namespace hq::view
