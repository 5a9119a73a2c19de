// Inspector rows (venues, micro-garden projects), local indices of units, the single-colour
// style and the plain-language readings of the indices panel.
#include "app/view/inspect.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "app/view/format.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/analysis/local.hpp"
#include "geo/analysis/segregation.hpp"

namespace hq::view {
namespace {

std::string field(const Layer& l, std::size_t i, const std::string& name) {
    const int f = l.table.field_index(name);
    if (f < 0 || i >= l.table.rows.size()) return {};
    return value_to_string(l.table.rows[i][static_cast<std::size_t>(f)]);
}

std::string translate_kind(const std::string& kind, UiLang lang) {
    constexpr std::pair<const char*, S> kinds[] = {{"party_service_center", S::KindPartyCentre},
                                                      {"activity_venue", S::KindActivityVenue},
                                                      {"liaison_office", S::KindLiaisonOffice},
                                                      {"work_unit", S::KindWorkUnit},
                                                      {"shop", S::KindShop}};
    for (const auto& [k, s] : kinds)
        if (kind == k) return tr(s, lang);
    return kind;
}

void add(std::vector<InfoRow>& rows, S label, UiLang lang, const std::string& value) {
    if (!value.empty()) rows.push_back({tr(label, lang), value});
}

}  // namespace

std::string index_label(const std::string& id, UiLang lang, const Project* project) {
    const bool zh = lang == UiLang::Zh;
    const std::size_t colon = id.find(':');
    if (colon == std::string::npos) return analysis::index_name(id, zh);
    const std::string base = id.substr(0, colon);
    std::string group = id.substr(colon + 1);
    if (project)
        for (const GroupDef& g : project->groups)
            if (g.column == group || g.name_en == group || g.name_zh == group) {
                group = zh ? (g.name_zh.empty() ? g.name_en : g.name_zh) : (g.name_en.empty() ? g.name_zh : g.name_en);
                break;
            }
    return analysis::index_name(base, zh) + (zh ? "（" + group + "）" : " (" + group + ")");
}

std::string translate_status(const std::string& status, UiLang lang) {
    for (const auto& [key, label] : kStatusLabels)
        if (status == key) return tr(label, lang);
    return status;  // a status of the data's own: shown as written
}

std::vector<InfoRow> venue_rows(const Layer& v, std::size_t i, UiLang lang) {
    std::vector<InfoRow> rows;
    if (i >= v.size()) return rows;
    rows.push_back({"ID", v.ids[i]});
    std::string kind = field(v, i, "kind");
    if (kind.empty()) kind = field(v, i, "category");
    add(rows, S::Kind, lang, translate_kind(kind, lang));
    add(rows, S::NameZh, lang, field(v, i, "name_zh"));
    add(rows, S::NameEn, lang, field(v, i, "name_en"));
    return rows;
}

ProjectInfo project_info(const Layer& pl, std::size_t i, const Project& project, UiLang lang) {
    ProjectInfo out;
    if (i >= pl.size()) return out;
    auto& rows = out.rows;
    rows.push_back({"ID", pl.ids[i]});
    add(rows, S::NameZh, lang, field(pl, i, "name_zh"));
    add(rows, S::NameEn, lang, field(pl, i, "name_en"));
    add(rows, S::Status, lang, translate_status(field(pl, i, "status"), lang));
    add(rows, S::StartDate, lang, field(pl, i, "start_date").substr(0, 10));
    add(rows, S::EndDate, lang, field(pl, i, "end_date").substr(0, 10));
    const std::string budget = field(pl, i, "budget_cny");
    if (!budget.empty()) {
        char buf[64];
        const double b = std::strtod(budget.c_str(), nullptr);
        std::snprintf(buf, sizeof buf, "%.0f", b);
        rows.push_back({tr(S::Budget, lang), std::isfinite(b) ? buf : budget});
    }
    const std::string hh = field(pl, i, "households");
    // Participants by group: hh_<suffix> for a group column pop_<suffix> (or hh_<column>).
    std::vector<std::pair<double, std::string>> parts;
    for (const auto& g : project.groups) {
        const auto us = g.column.find('_');
        std::string name = "hh_" + (us == std::string::npos ? g.column : g.column.substr(us + 1));
        if (pl.table.field_index(name) < 0) name = "hh_" + g.column;
        const std::string v = field(pl, i, name);
        if (v.empty()) continue;
        const double c = std::strtod(v.c_str(), nullptr);
        if (!(c > 0)) continue;
        const std::string label = lang == UiLang::Zh ? (g.name_zh.empty() ? g.column : g.name_zh)
                                                     : (g.name_en.empty() ? g.column : g.name_en);
        parts.emplace_back(c, label);
    }
    std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    // One protected table: a row of households by group, its total the households.
    const privacy::DisclosurePolicy policy;
    privacy::Table t(1, parts.size());
    for (std::size_t k = 0; k < parts.size(); ++k) t.set(0, k, parts[k].first);
    const privacy::ProtectedTable pt = privacy::protect(t, policy);
    if (!hh.empty()) {
        const double h = std::strtod(hh.c_str(), nullptr);
        // The households field is the row's total when it agrees with the parts.
        rows.push_back({tr(S::Households, lang), h == pt.row_total(0).value ? privacy::count_text(pt.row_total(0), policy)
                                                                           : format_count(h)});
    }
    for (std::size_t k = 0; k < parts.size(); ++k)
        if (!pt.cell(0, k).suppressed()) out.participants.push_back({parts[k].second, privacy::count_text(pt.cell(0, k), policy)});
    for (std::size_t k = 0; k < parts.size(); ++k)
        if (pt.cell(0, k).suppressed()) out.participants.push_back({parts[k].second, privacy::count_text(pt.cell(0, k), policy)});
    return out;
}

privacy::ProtectedTable units_table(const std::vector<std::vector<double>>& counts) {
    std::vector<double> totals;
    for (const auto& c : counts) totals.push_back(std::accumulate(c.begin(), c.end(), 0.0));
    return privacy::units_by_groups_table(counts, privacy::group_totals_table(totals, privacy::DisclosurePolicy{}));
}

Composition composition(const privacy::ProtectedTable& units, const std::vector<std::uint32_t>& selection) {
    Composition out;
    const auto& policy = units.policy();
    std::vector<const privacy::Cell*> totals;
    for (std::uint32_t u : selection)
        if (u < units.rows()) totals.push_back(&units.row_total(u));
    const privacy::Cell total = totals.size() == 1 ? *totals[0] : privacy::sum_of(totals, policy);
    out.total = privacy::count_text(total, policy);
    out.total_published = !total.suppressed();
    std::vector<std::pair<privacy::Cell, std::size_t>> cells;
    for (std::size_t g = 0; g < units.cols(); ++g) {
        std::vector<const privacy::Cell*> parts;
        for (std::uint32_t u : selection)
            if (u < units.rows()) parts.push_back(&units.cell(u, g));
        privacy::Cell c = parts.size() == 1 ? *parts[0] : privacy::sum_of(parts, policy);
        if (parts.size() > 1 && c.suppressed()) c.total = false;  // a sum of counts: "<5" when small
        cells.emplace_back(c, g);
    }
    std::stable_sort(cells.begin(), cells.end(), [](const auto& a, const auto& b) {
        if (a.first.suppressed() != b.first.suppressed()) return !a.first.suppressed();
        return !a.first.suppressed() && a.first.value > b.first.value;
    });
    for (const auto& [c, g] : cells)
        out.rows.push_back({g, privacy::count_text(c, policy), privacy::percent_text(c, total, 1)});
    return out;
}

bool unit_values_published(const privacy::ProtectedTable& units, std::uint32_t unit) {
    if (unit >= units.rows() || units.row_total(unit).suppressed()) return false;
    for (std::size_t g = 0; g < units.cols(); ++g)
        if (units.cell(unit, g).suppressed()) return false;
    return true;
}

ReachView zone_panel_reach(const plan::PlanInput& input, std::vector<plan::ZoneEvaluation> zones,
                           std::optional<std::size_t> selected, const plan::ZoneEvaluation& current,
                           const privacy::DisclosurePolicy& policy, const privacy::ProtectedTable* units) {
    std::size_t shown = zones.size();
    if (selected && *selected < zones.size()) {
        shown = *selected;
        zones[shown] = current;
    } else {
        zones.push_back(current);
    }
    const std::vector<privacy::ProtectedTable> tables = plan::zone_reach_tables(input, zones, policy);
    const privacy::ProtectedTable& t = tables[shown];
    const plan::ZoneEvaluation& e = zones[shown];
    ReachView v;
    v.reached = privacy::count_text(t.col_total(0), policy);
    v.total = privacy::count_text(t.grand_total(), policy);
    v.share = privacy::percent_text(t.col_total(0), t.grand_total(), 1);
    const privacy::ExposurePublished exposure = units && policy.guard ? privacy::exposure_published(*units)
                                                                      : plan::exposure_published(input, policy);
    v.mix_withheld = !privacy::catchment_mix_published(t);
    v.redundancy_withheld = !plan::redundancy_published(e, policy);
    v.mean_isolation_withheld = !exposure.mean;
    std::vector<const privacy::Cell*> minority_reached, minority_total;
    for (std::size_t g = 0; g < e.groups.size() && g < t.rows(); ++g) {
        v.group_reached.push_back(privacy::count_text(t.cell(g, 0), policy));
        v.group_share.push_back(privacy::percent_text(t.cell(g, 0), t.row_total(g), 1));
        v.exposure_withheld.push_back(t.row_total(g).suppressed() ||
                                      (g < exposure.group.size() && !exposure.group[g]));
        if (e.groups[g].minority) {
            minority_reached.push_back(&t.cell(g, 0));
            minority_total.push_back(&t.row_total(g));
        }
    }
    if (minority_total.empty()) {
        v.minority_share = "—";
    } else {
        const privacy::Cell r = privacy::sum_of(minority_reached, policy), w = privacy::sum_of(minority_total, policy);
        v.minority_share = privacy::percent_text(r, w, 1);
    }
    if (e.lisa_available && std::isfinite(e.hh_share)) v.hh_share = e.hh_share;
    return v;
}

plan::PlannerOptions viewer_planner_options(double radius, plan::DistanceMode distance,
                                            const privacy::DisclosurePolicy& policy) {
    plan::PlannerOptions o;
    o.radius = radius;
    o.distance = distance;
    o.privacy = policy;  // the HH clusters of the LISA under the viewer's guard (docs/privacy.md, "LISA")
    return o;
}

LocalIndexTable local_index_table(const std::vector<std::vector<double>>& counts) {
    LocalIndexTable t;
    const std::size_t ng = counts.size();
    const std::size_t n = ng ? counts[0].size() : 0;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    t.entropy.assign(n, nan);
    t.simpson_interaction.assign(n, nan);
    t.lq.assign(ng, std::vector<double>(n, nan));
    // geo/analysis's local indices (the graduated map's values) on these counts.
    analysis::GroupCountTable table;
    table.counts = counts;
    table.totals.assign(n, 0.0);
    for (std::size_t g = 0; g < ng; ++g) {
        table.columns.push_back("group " + std::to_string(g));
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) {
            table.totals[i] += counts[g][i];
            s += counts[g][i];
        }
        table.group_totals.push_back(s);
    }
    if (table.with_residents().size() < 2 || n == 0) return t;
    t.entropy = analysis::local_index(table, "multi_local_entropy", 0);
    t.simpson_interaction = analysis::local_index(table, "multi_local_simpson_interaction", 0);
    for (std::size_t g : table.with_residents()) t.lq[g] = analysis::local_index(table, "multi_location_quotient", g);
    return t;
}

const char* variable_label(const std::string& id, UiLang lang) {
    constexpr std::pair<const char*, S> names[] = {{"share", S::VarShare},
                                                      {"multi_local_entropy", S::VarEntropy},
                                                      {"multi_local_diversity", S::VarDiversity},
                                                      {"multi_local_simpson_interaction", S::VarSimpsonInteraction},
                                                      {"multi_local_simpson_concentration", S::VarSimpsonConcentration},
                                                      {"multi_location_quotient", S::VarLq},
                                                      {"local_distortion", S::VarDistortion},
                                                      {"lisa_z", S::VarLisaZ}};
    for (const auto& [k, s] : names)
        if (id == k) return tr(s, lang);
    return id.c_str();
}

void apply_single_colour(carto::Scene& scene, carto::Color color, UiLang lang) {
    const Role units = Role::Units;  // carto draws the analysis units with this role
    for (auto& p : scene.polygons)
        if (p.role == units && !p.hatched) p.fill = color;
    scene.pies.clear();
    // The first legend block (the composition's groups) ends at the hatch entry or the
    // next header (the base map).
    auto& legend = scene.legend;
    std::size_t end = 0;
    for (std::size_t i = 1; i < legend.size(); ++i)
        if (legend[i].kind == carto::LegendItem::Kind::Hatch || legend[i].kind == carto::LegendItem::Kind::Header) {
            end = i;
            break;
        }
    if (end == 0 && !legend.empty() && legend[0].kind == carto::LegendItem::Kind::Header) end = legend.size();
    legend.erase(legend.begin(), legend.begin() + static_cast<std::ptrdiff_t>(end));
    carto::LegendItem swatch;
    swatch.kind = carto::LegendItem::Kind::Swatch;
    swatch.label = tr(S::SingleTitle, lang);
    swatch.color = color;
    legend.insert(legend.begin(), swatch);
    scene.title = tr(S::SingleTitle, lang);
    if (scene.project) scene.subtitle = lang == UiLang::Zh ? scene.project->name_zh : scene.project->name_en;
}

std::string index_reading(const std::string& id, double value, const std::string& group, UiLang lang) {
    if (!std::isfinite(value)) return {};
    struct Reading {
        const char* id;
        S format;
        int args;  ///< 1: value; 2: value, percent; 3: value, group, percent
    };
    constexpr Reading readings[] = {
        {"dissim", S::DissimReading, 3},        {"gini", S::ReadGini, 3},
        {"entropy", S::ReadEntropy, 3},         {"isolation", S::ReadIsolation, 3},
        {"interaction", S::ReadInteraction, 3}, {"multi_dissim", S::ReadMultiDissim, 1},
        {"multi_gini", S::ReadMultiGini, 1},    {"multi_info_theory", S::ReadMultiInfo, 2},
        {"multi_diversity", S::ReadMultiDiversity, 1}, {"simpsons_interaction", S::ReadSimpsonInteraction, 2},
    };
    for (const Reading& r : readings) {
        if (id != r.id) continue;
        char buf[512];
        const char* f = tr(r.format, lang);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
        if (r.args == 1) std::snprintf(buf, sizeof buf, f, value);
        else if (r.args == 2) std::snprintf(buf, sizeof buf, f, value, value * 100);
        else std::snprintf(buf, sizeof buf, f, value, group.c_str(), value * 100);
#pragma GCC diagnostic pop
        return buf;
    }
    return {};
}

}  // namespace hq::view

namespace hq::view {

IndicesView compute_indices(const Project& proj, const Layer* units, std::size_t g, const privacy::DisclosurePolicy& policy,
                            const Progress& progress) {
    // The segregation suite of geo/analysis, aspatial part: the CLI's `indices` and the
    // report show the same values.
    analysis::SegregationRequest rq;
    rq.group = proj.groups[g].column;
    rq.spatial = false;
    rq.randomised = false;
    rq.local = false;
    rq.layer = units;
    rq.privacy = policy;
    IndicesView v;
    v.group = proj.groups[g].column;
    v.group_index = g;
    v.stamp = policy.stamp();
    // A small group's single-group indices are refused as `indices --group` refuses them
    // (geo/analysis throws for it); the multigroup ones remain.
    const auto table = analysis::group_count_table(proj, units);
    v.single_withheld = table && g < table->group_totals.size() && policy.small(table->group_totals[g]);
    std::shared_ptr<const analysis::SegregationResult> r;
    bool with_single = false;
    if (!v.single_withheld) try {
            r = analysis::segregation(proj, rq, progress);
            with_single = true;
        } catch (const InputError&) {  // a group without residents (guard off): multigroup only
            r = nullptr;
        }
    if (!r) {
        rq.group.clear();
        r = analysis::segregation(proj, rq, progress);
    }
    set_index_values(v, *r, with_single);
    return v;
}

void set_index_values(IndicesView& v, const analysis::SegregationResult& r, bool with_single) {
    v.single.clear();
    v.single_disclosure.clear();
    if (with_single) {
        v.single = r.single;
        for (const auto& iv : r.single) v.single_disclosure.push_back(r.disclosure(iv.id));
    }
    v.multi.clear();
    v.multi_disclosure.clear();
    for (const char* id : {"multi_dissim", "multi_gini", "multi_info_theory", "multi_diversity", "simpsons_interaction"}) {
        const std::string s = id;
        v.multi.push_back({s, s == "multi_diversity" ? r.diversity_normalised : r.value(s)});
        v.multi_disclosure.push_back(r.disclosure(s));
    }
    v.notes = r.notes;
}

std::vector<IndexPanelRow> index_panel_rows(const IndicesView& v, bool single, const std::string& group_name,
                                            UiLang lang) {
    const auto& values = single ? v.single : v.multi;
    const auto& disclosure = single ? v.single_disclosure : v.multi_disclosure;
    const bool zh = lang == UiLang::Zh;
    std::vector<IndexPanelRow> rows;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const seg::IndexValue& iv = values[i];
        const analysis::IndexDisclosure d = i < disclosure.size() ? disclosure[i] : analysis::IndexDisclosure{};
        IndexPanelRow row;
        row.id = iv.id;
        row.label = index_label(iv.id, lang);
        row.value = analysis::index_value_text(iv.value, d, 4);
        row.withheld = d.withheld;
        if (d.withheld) {
            // The reason where the panel has room: the reading column and the value's tooltip.
            const std::string& reason = zh ? d.reason_zh : d.reason_en;
            row.reading = std::string(tr(S::IndexWithheld, lang)) + (reason.empty() ? "" : (zh ? "：" : ": ") + reason);
            row.tooltip = row.reading;
        } else {
            row.reading = index_reading(iv.id, iv.value, group_name, lang);
            if (d.estimated) {
                // The reading opens "D = 0.48": an estimate opens "D ≈ 0.48".
                if (const auto eq = row.reading.find(" = "); eq != std::string::npos) row.reading.replace(eq, 3, " ≈ ");
                char note[512];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
                std::snprintf(note, sizeof note, tr(S::IndexEstimated, lang), 100.0 * d.filled_share);
#pragma GCC diagnostic pop
                row.tooltip = note;
                row.reading += row.reading.empty() ? note : std::string(zh ? "" : " ") + note;
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<std::string> index_panel_notes(const IndicesView& v, UiLang lang) {
    std::vector<std::string> out;
    for (const auto& n : v.notes) out.push_back(lang == UiLang::Zh ? n.zh : n.en);
    return out;
}

std::string fixed_text(double v, int decimals) {
    if (!std::isfinite(v)) return "–";
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

ScenarioTable scenario_table(const plan::ScenarioResult& a, const plan::ScenarioResult& b, UiLang lang,
                             const Project* project, const privacy::DisclosurePolicy& policy) {
    ScenarioTable t;
    t.stamp = policy.stamp();
    // A scenario's residents reached is a lone count (as `plan compare` prints it).
    const auto reached = [&](double v) { return privacy::count_text(privacy::lone_cell(v, policy), policy); };
    t.rows.push_back({tr(S::ResidentsReached, lang), reached(0.0), reached(a.residents_reached), reached(b.residents_reached)});
    // Withheld by the guard as `plan compare` withholds it (geo/plan compare_scenarios): "—" as it prints.
    const auto mean = [](const plan::ScenarioResult& r, double v) {
        return r.mean_isolation_withheld ? std::string("—") : fixed_text(v, 4);
    };
    t.rows.push_back({tr(S::MeanIsolation, lang), mean(a, a.mean_isolation_before), mean(a, a.mean_isolation_after),
                      mean(b, b.mean_isolation_after)});
    const bool zh = lang == UiLang::Zh;
    for (std::size_t i = 0; i < a.indices.size() && i < b.indices.size(); ++i) {
        const plan::IndexChange &ia = a.indices[i], &ib = b.indices[i];
        // Under the guard from the published estimate ("≈") or withheld ("—", geo/plan compare_scenarios).
        const analysis::IndexDisclosure da = analysis::index_disclosure(ia), db = analysis::index_disclosure(ib);
        std::string va = analysis::index_value_text(ia.after, da, 4), vb = analysis::index_value_text(ib.after, db, 4);
        if (ia.permutations > 0 && !ia.withheld) va += " (p " + fixed_text(ia.p_value, 3) + ")";
        if (ib.permutations > 0 && !ib.withheld) vb += " (p " + fixed_text(ib.p_value, 3) + ")";
        const std::string label = index_label(ia.id, lang, project);
        t.rows.push_back({label, analysis::index_value_text(ia.before, da, 4), va, vb});
        if (ia.withheld || ib.withheld) {
            const plan::IndexChange& w = ia.withheld ? ia : ib;
            t.notes.push_back("— " + label + (zh ? "：" + w.reason_zh : ": " + w.reason_en));
        }
    }
    for (const plan::ScenarioResult* r : {&a, &b})
        if (const auto note = analysis::scenario_estimate_note(*r); !note.empty()) {
            const std::string line = zh ? note.zh : note.en;
            if (std::find(t.notes.begin(), t.notes.end(), line) == t.notes.end()) t.notes.push_back(line);
        }
    return t;
}

}  // namespace hq::view
