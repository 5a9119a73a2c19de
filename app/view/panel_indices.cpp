// Indices panel: the segregation indices of geo/stats/segregation.hpp for the chosen group
// (vs the rest) and the multigroup ones, computed on demand off the UI thread; p-values on
// demand from geo's single-value tests (a null, a number of simulations; a progress bar and
// cancel); the plain-language reading of each index (inspect.hpp) in Chinese or English.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <string>

#include "app/view/inspect.hpp"
#include "app/view/panels.hpp"

namespace hq::view {

namespace {
/// The nulls offered (docs/segregation-inference.md): evenness keeps each unit's total and
/// draws its members from the community's shares, systematic keeps the group totals,
/// person permutation keeps both.
constexpr const char* kInferenceNulls[] = {"evenness", "systematic", "person_permutation"};
constexpr S kInferenceNullNames[] = {S::NullEvenness, S::NullSystematic, S::NullPersonPermutation};

/// A null's name in the UI language (its id when unknown).
const char* null_name(const std::string& id, UiLang lang) {
    for (std::size_t i = 0; i < std::size(kInferenceNulls); ++i)
        if (id == kInferenceNulls[i]) return tr(kInferenceNullNames[i], lang);
    return id.c_str();
}
}  // namespace

void draw_indices(const Model& model, UiState& ui, Controller& ctl) {
    if (!ui.show_indices) return;
    if (!begin_docked_tab(ui, std::string(ui.t(S::Indices)) + "###indices", "indices", ui.show_indices)) return;
    if (!model.data || model.data->counts.size() < 2) {
        ImGui::TextDisabled("%s", ui.t(S::IndicesUnavailable));
        ImGui::EndTabItem();
        return;
    }
    ImGui::Text("%s: %s", ui.t(S::Group), ctl.group_name(static_cast<std::size_t>(ui.group)).c_str());
    ImGui::SameLine();
    if (ctl.jobs.busy("indices")) {
        ImGui::TextDisabled("%s", ui.t(S::Computing));
    } else if (ImGui::Button(ui.t(S::Compute))) {
        ctl.request_indices();
    }
    // Inference on demand.
    ImGui::SetNextItemWidth(170);
    const char* nulls[] = {ui.t(kInferenceNullNames[0]), ui.t(kInferenceNullNames[1]), ui.t(kInferenceNullNames[2])};
    ImGui::Combo(ui.t(S::NullModel), &ui.inference_null, nulls, IM_ARRAYSIZE(nulls));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    ImGui::InputInt(ui.t(S::Simulations), &ui.inference_permutations, 100, 1000);
    ui.inference_permutations = std::clamp(ui.inference_permutations, 19, 99999);
    bool running = false;
    for (const JobStatus& j : ctl.jobs.status())
        if (j.slot == "inference") {
            running = true;
            ImGui::ProgressBar(static_cast<float>(j.fraction), ImVec2(-80, 0));
            ImGui::SameLine();
            if (ImGui::Button(ui.t(S::Cancel))) ctl.jobs.cancel("inference");
        }
    if (!running && ImGui::Button(ui.t(S::PValues))) {
        if (!model.indices) ctl.request_indices();
        const int k = std::clamp(ui.inference_null, 0, static_cast<int>(IM_ARRAYSIZE(kInferenceNulls)) - 1);
        ctl.request_inference(kInferenceNulls[k], static_cast<std::size_t>(ui.inference_permutations));
    }
    const IndicesView* v = model.indices.get();
    if (!v) {
        ImGui::TextDisabled("%s", ui.t(S::IndicesPending));
        ImGui::EndTabItem();
        return;
    }
    // p-values apply when they were computed for the same group.
    const InferenceView* inf = model.inference.get();
    auto p_of = [&](const std::string& id, bool single) -> const double* {
        if (!inf || (single && inf->group != v->group)) return nullptr;
        for (const auto& [k, p] : inf->p)
            if (k == id) return &p;
        return nullptr;
    };
    const std::string gname = ctl.group_name(v->group_index);
    auto table = [&](const char* id, bool single) {
        // The rows as inspect.hpp formats them: "≈" estimated from the published table, "—"
        // withheld with its reason (docs/privacy.md, "Indices from the published table").
        const std::vector<IndexPanelRow> rows = index_panel_rows(*v, single, gname, ui.lang);
        if (!ImGui::BeginTable(id, 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable)) return;
        ImGui::TableSetupColumn(ui.t(S::Index), ImGuiTableColumnFlags_WidthFixed, 190);
        ImGui::TableSetupColumn(ui.t(S::Value), ImGuiTableColumnFlags_WidthFixed, 60);
        ImGui::TableSetupColumn(ui.t(S::PValue), ImGuiTableColumnFlags_WidthFixed, 55);
        ImGui::TableSetupColumn(ui.t(S::Reading), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        for (const IndexPanelRow& row : rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            // The plain-language name (geo/analysis's one table); the id in the tooltip.
            ImGui::TextUnformatted(row.label.c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", row.id.c_str());
            ImGui::TableNextColumn();
            if (row.value == "—") ImGui::TextDisabled("—");
            else ImGui::TextUnformatted(row.value.c_str());
            if (!row.tooltip.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", row.tooltip.c_str());
            ImGui::TableNextColumn();
            // A withheld value has no p-value either.
            if (const double* p = p_of(row.id, single); p && std::isfinite(*p) && !row.withheld)
                ImGui::TextUnformatted(format_p(*p, inf ? inf->permutations : 0, ui.lang).c_str());
            else ImGui::TextDisabled("—");
            ImGui::TableNextColumn();
            if (!row.reading.empty()) ImGui::TextWrapped("%s", row.reading.c_str());
        }
        ImGui::EndTable();
    };
    if (!v->stamp.empty()) ImGui::TextColored(ImVec4(0.85f, 0.1f, 0.1f, 1.0f), "%s", v->stamp.c_str());
    // A group of fewer than k residents: its single-group indices are refused (geo/privacy).
    if (v->single_withheld) ImGui::TextWrapped("%s", ui.t(S::IndicesSmallGroup));
    else table("single", true);
    ImGui::Separator();
    table("multi", false);
    for (const std::string& n : index_panel_notes(*v, ui.lang)) ImGui::TextWrapped("%s", n.c_str());
    if (inf) {
        ImGui::TextDisabled("%s (%s, %zu)", ui.t(S::InferenceNote), null_name(inf->null, ui.lang), inf->permutations);
    }
    ImGui::EndTabItem();
}

}  // namespace hq::view
