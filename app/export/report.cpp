// The meeting pack (huqian report): the focus group, its maps and tables, report.md and report.pdf.
// [SECTION] index
//   Helpers: numbers, names, escaping
//   The focus group, the map request, the index rows
//   Writing the pack
#include "app/export/report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <numeric>
#include <sstream>

#include "app/export/render.hpp"
#include "app/export/scenario.hpp"
#include "geo/core/text.hpp"
#include "geo/io/writer.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/analysis/autocorr.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/analysis/segregation.hpp"
#include "geo/analysis/surfaces.hpp"
#include "geo/privacy/maps.hpp"
#include "geo/privacy/tables.hpp"

namespace hq::exporter {

using carto::Lang;
using carto::pick;

// [SECTION] Helpers: numbers, names, escaping -----------------------------------------------------

namespace {

/// The aspatial single-group indices of `group` (and, when `multigroup`, the multigroup
/// ones of the groups with residents), as geo/analysis computes them for every surface.
std::shared_ptr<const analysis::SegregationResult> aspatial_suite(const Project& p, const Layer& l,
                                                                  const std::string& group, bool multigroup,
                                                                  const privacy::DisclosurePolicy& policy) {
    analysis::SegregationRequest rq;
    rq.group = group;
    rq.spatial = false;
    rq.randomised = false;
    rq.local = false;
    rq.multigroup = multigroup;
    rq.layer = &l;
    rq.privacy = policy;
    return analysis::segregation(p, rq);
}

std::string num(double v, int decimals = 2) {
    if (!std::isfinite(v)) return "—";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}
std::string pct(double v) { return num(100.0 * v, 0) + "%"; }
std::string pct_en(double v) { return num(100.0 * v, 0) + " %"; }
std::string pval(double p) {
    if (!(p >= 0)) return "—";
    if (p < 0.001) return "< 0.001";
    return num(p, 3);
}

/// The opening of a reading: "D = 0.40" exact, "D ≈ 0.48" estimated from the published table.
std::string opening(const std::string& sym, double v, const analysis::IndexDisclosure& d, int decimals = 2) {
    return sym + (d.estimated && !d.withheld ? " ≈ " : " = ") + num(v, decimals);
}

std::string group_name(const GroupDef& g, Lang lang) { return carto::group_label(g, lang); }

std::string capitalised(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

/// A table cell for Markdown: control characters from data visible (printable), '|' escaped.
std::string md_escape(const std::string& s) {
    std::string o;
    for (char c : printable(s)) {
        if (c == '|') o += "\\|";
        else o += c;
    }
    return o;
}

}  // namespace

// [SECTION] The focus group, the map request, the index rows --------------------------------------

std::string choose_focus_group(const Project& p, int privacy_k, std::string* reason, Lang lang, bool privacy_guard) {
    const Layer* l = analysis::units_layer(p);
    if (!l || p.groups.size() < 2) return {};
    const auto table = analysis::group_count_table(p, l);
    const analysis::GroupCountTable& c = *table;
    const std::size_t largest =
        static_cast<std::size_t>(std::max_element(c.group_totals.begin(), c.group_totals.end()) - c.group_totals.begin());
    const double floor = std::max<double>(privacy_k, 0.01 * c.total);
    // Under the guard each D is the suite's: estimated from the published table or withheld
    // (NaN, not a candidate), never read from withheld counts (docs/privacy.md).
    const privacy::DisclosurePolicy policy{privacy_k, privacy_guard};
    double best = -1;
    analysis::IndexDisclosure best_d;
    std::size_t arg = p.groups.size();
    for (std::size_t g = 0; g < p.groups.size(); ++g) {
        if (g == largest || c.group_totals[g] < floor) continue;
        try {
            const auto suite = aspatial_suite(p, *l, p.groups[g].column, false, policy);
            const double d = suite->value("dissim");
            if (std::isfinite(d) && d > best) {
                best = d;
                best_d = suite->disclosure("dissim");
                arg = g;
            }
        } catch (const InputError&) {
        }
    }
    if (arg < p.groups.size()) {
        const std::string D = opening("D", best, best_d);
        if (reason)
            *reason = pick(lang,
                           group_name(p.groups[arg], Lang::Zh) + "的相异指数最高（" + D +
                               "，在人数不少于全社区1%的少数民族中）",
                           group_name(p.groups[arg], Lang::En) + " has the highest dissimilarity index (" + D +
                               ") of the minority groups with at least 1 % of residents");
        return p.groups[arg].column;
    }
    // Largest minority.
    double second = -1;
    for (std::size_t g = 0; g < p.groups.size(); ++g)
        if (g != largest && c.group_totals[g] > second) {
            second = c.group_totals[g];
            arg = g;
        }
    if (arg >= p.groups.size()) return {};
    if (reason)
        *reason = pick(lang, group_name(p.groups[arg], Lang::Zh) + "是人数最多的少数民族",
                       group_name(p.groups[arg], Lang::En) + " is the largest minority");
    return p.groups[arg].column;
}

std::string focus_group(const Project& p, const ReportOptions& o, std::string* reason, Lang lang) {
    if (o.group.empty()) return choose_focus_group(p, o.privacy_k, reason, lang, o.privacy_guard);
    const GroupDef& gd = carto::find_group(p, o.group);
    if (reason) *reason = pick(lang, "按 --group 指定", "chosen with --group");
    return gd.column;
}

namespace {

/// The map request of the report's options (each map sets its kind and group).
carto::MapRequest report_map_request(const ReportOptions& o) {
    carto::MapRequest r;
    r.lang = o.lang;
    r.privacy_k = o.privacy_k;
    r.privacy_guard = o.privacy_guard;
    r.permutations = o.permutations;
    r.seed = o.seed;
    r.weights = o.weights;
    r.alpha = o.alpha;
    r.adjust = o.adjust;
    return r;
}

}  // namespace

analysis::AutocorrRequest focus_lisa_request(const std::string& focus_column, const ReportOptions& o) {
    carto::MapRequest r = report_map_request(o);
    r.kind = carto::MapKind::Lisa;
    r.group = focus_column;
    analysis::AutocorrRequest q = carto::lisa_request(r);
    q.statistics.insert("moran");
    return q;
}

namespace {

/// One row of the suite: a withheld value is NaN and its reading is its reason; an estimated
/// one's reading says it is estimated and what share of the residents it reads was filled.
IndexRow disclosed_row(const std::string& id, const std::string& sym, double v, const analysis::IndexDisclosure& d,
                       const std::string& zh, const std::string& en, Lang lang) {
    IndexRow r{id, sym, v, -1, pick(lang, zh, en), d};
    if (d.withheld) {
        r.value = std::numeric_limits<double>::quiet_NaN();
        r.reading = pick(lang, sym + " 不公开：" + (d.reason_zh.empty() ? "隐私保护" : d.reason_zh) + "。",
                         sym + " withheld: " + (d.reason_en.empty() ? "privacy guard" : d.reason_en) + ".");
    } else if (d.estimated) {
        r.reading = pick(lang,
                         zh + "（由公开表估算：该值所读居民中" + pct(d.filled_share) +
                             "位于不公开的格子，按公开的总数填补。）",
                         en + " (Estimated from the published table: " + pct_en(d.filled_share) +
                             " of the residents it reads are in withheld cells, filled in from the published totals.)");
    }
    return r;
}

}  // namespace

std::vector<IndexRow> suite_single_rows(const Project& p, const GroupDef& gd, double P,
                                        const analysis::SegregationResult& suite, Lang lang) {
    std::vector<IndexRow> rows;
    // The project's nouns (manifest unit_noun): 院落 / courtyard(s) by default.
    const std::string uz = p.unit_noun_zh, ue = p.unit_noun_en, ues = p.unit_noun_en_plural;
    const std::string gz = gd.name_zh.empty() ? gd.column : gd.name_zh;
    const std::string ge = gd.name_en.empty() ? gd.column : gd.name_en;
    auto add = [&](const std::string& id, const std::string& sym, auto reading) {
        const double v = suite.value(id);
        const analysis::IndexDisclosure d = suite.disclosure(id);
        const auto [zh, en] = reading(v, opening(sym, v, d));
        rows.push_back(disclosed_row(id, sym, v, d, zh, en, lang));
    };
    using Texts = std::pair<std::string, std::string>;
    add("dissim", "D", [&](double D, const std::string& o) {
        return Texts{o + "：要使" + gz + "居民在各" + uz + "均匀分布，需要有" + pct(D) + "的" + gz + "居民搬到其他" + uz +
                         "（0 = 均匀，1 = 完全分开）。",
                     o + ": " + pct_en(D) + " of " + ge + " residents would have to move to another " + ue +
                         " for an even spread (0 = even, 1 = completely separate)."};
    });
    add("gini", "G", [&](double, const std::string& o) {
        return Texts{o + "：各" + uz + gz + "占比差异的基尼系数；各" + uz + "占比相同为0，" + gz + "与其他居民从不同住一个" +
                         uz + "为1。",
                     o + ": the Gini index of the " + ge + " share across " + ues + "; 0 when every " + ue +
                         " has the same share, 1 when " + ge + " residents and others never share a " + ue + "."};
    });
    add("entropy", "H", [&](double H, const std::string& o) {
        return Texts{o + "：按" + gz + "与其他居民计算，" + uz + "的混合程度平均比整个社区低" + pct(H) + "。",
                     o + ": " + ues + " are on average " + pct_en(H) + " less mixed (" + ge +
                         " vs others) than the community as a whole."};
    });
    add("atkinson", "A", [&](double, const std::string& o) {
        return Texts{o + "（b = 0.5）：" + gz + "居民在各" + uz + "分布的不均匀程度，0为均匀，越接近1越集中。",
                     o + " (b = 0.5): how unevenly " + ge + " residents are spread over the " + ues +
                         "; 0 = even, near 1 = concentrated."};
    });
    add("isolation", "xPx", [&](double X, const std::string& o) {
        return Texts{o + "：" + gz + "居民所在" + uz + "中，平均有" + pct(X) + "的居民也是" + gz + "（全社区占比" + pct(P) + "）。",
                     o + ": the average " + ge + " resident lives in a " + ue + " where " + pct_en(X) + " of residents are " +
                         ge + " (community share: " + pct_en(P) + ")."};
    });
    add("interaction", "xPy", [&](double Y, const std::string& o) {
        return Texts{o + "：" + gz + "居民所在" + uz + "中，平均有" + pct(Y) + "的居民属于其他民族。",
                     o + ": the average " + ge + " resident lives in a " + ue + " where " + pct_en(Y) +
                         " of residents belong to other groups."};
    });
    add("correlation_r", "V", [&](double, const std::string& o) {
        return Texts{o + "：" + gz + "居民的隔离程度超出其人口占比本身所带来的程度（0 = 没有超出，1 = 完全隔离）。",
                     o + ": how much more isolated " + ge +
                         " residents are than their share of the population alone would make them (0 = not at all, 1 = "
                         "completely)."};
    });
    return rows;
}

std::vector<IndexRow> suite_multigroup_rows(const Project& p, const analysis::SegregationResult& suite, Lang lang) {
    std::vector<IndexRow> rows;
    // Multigroup (groups with residents only).
    const std::size_t kept = suite.group_columns.size();
    if (kept < 2) return rows;
    const std::string uz = p.unit_noun_zh, ue = p.unit_noun_en, ues = p.unit_noun_en_plural;
    const std::string K = std::to_string(kept);
    auto add = [&](const std::string& id, const std::string& sym, const std::string& name_zh,
                   const std::string& name_en, double v, auto reading) {
        const analysis::IndexDisclosure d = suite.disclosure(id);
        const auto [zh, en] = reading(v, opening(name_zh, v, d), opening(name_en, v, d));
        rows.push_back(disclosed_row(id, sym, v, d, zh, en, lang));
    };
    using Texts = std::pair<std::string, std::string>;
    add("multi_dissim", "D (multi)", "多群体相异指数 D", "Multigroup D", suite.value("multi_dissim"),
        [&](double MD, const std::string& oz, const std::string& oe) {
            return Texts{oz + "：要使每个" + uz + "的民族构成与全社区一致，需要搬迁的居民占最大可能搬迁人数的" + pct(MD) + "。",
                         oe + ": for every " + ue + " to have the community's mix, " + pct_en(MD) +
                             " of the most residents that could ever have to move would have to move."};
        });
    add("multi_info_theory", "H (multi)", "多群体信息论指数 H", "Multigroup H", suite.value("multi_info_theory"),
        [&](double MH, const std::string& oz, const std::string& oe) {
            return Texts{oz + "：" + uz + "的民族多样性平均比整个社区低" + pct(MH) + "。",
                         oe + ": " + ues + " are on average " + pct_en(MH) + " less diverse than the community as a whole."};
        });
    add("multi_diversity", "E", "多样性 E", "Diversity E", suite.diversity_normalised,
        [&](double E, const std::string& oz, const std::string& oe) {
            return Texts{oz + "：社区的民族多样性为" + K + "个民族最大可能值的" + pct(E) + "（归一化熵）。",
                         oe + ": the community's ethnic diversity is " + pct_en(E) + " of the maximum for " + K +
                             " groups (normalised entropy)."};
        });
    add("simpsons_interaction", "I (Simpson)", "辛普森交互指数", "Simpson's interaction", suite.value("simpsons_interaction"),
        [&](double SI, const std::string& oz, const std::string& oe) {
            return Texts{oz + "：在社区中随机抽取两位居民，属于不同民族的概率为" + pct(SI) + "。",
                         oe + ": two residents picked at random belong to different groups with probability " + pct_en(SI) +
                             "."};
        });
    return rows;
}

IndexTable index_table(const std::vector<IndexRow>& rows, const std::vector<analysis::Note>& notes, Lang lang) {
    IndexTable t;
    t.header = {pick(lang, "指数", "Index"), pick(lang, "数值", "Value"), pick(lang, "p值", "p-value"),
                pick(lang, "解读", "Reading")};
    for (const auto& r : rows)
        t.rows.push_back({r.symbol, analysis::index_value_text(r.value, r.disclosure, 3), pval(r.p_value), r.reading});
    for (const auto& n : notes) t.notes.push_back(pick(lang, n.zh, n.en));
    return t;
}

std::vector<IndexRow> global_index_rows(const Project& p, const std::string& focus, const ReportOptions& o,
                                        const Progress& progress, const analysis::AutocorrResult* focus_lisa,
                                        std::vector<analysis::Note>* notes) {
    std::vector<IndexRow> rows;
    const Layer* l = analysis::units_layer(p);
    if (!l || p.groups.empty()) return rows;
    const auto table = analysis::group_count_table(p, l);
    const analysis::GroupCountTable& c = *table;
    const Lang lang = o.lang;
    const privacy::DisclosurePolicy policy{o.privacy_k, o.privacy_guard};
    // The suite of geo/analysis: the focus group's single-group indices with the multigroup
    // ones; only the multigroup ones when the focus group cannot have them (the whole
    // population, or absent).
    std::shared_ptr<const analysis::SegregationResult> suite;
    bool single_ok = false;
    if (!focus.empty()) {
        try {
            suite = aspatial_suite(p, *l, carto::find_group(p, focus).column, true, policy);
            single_ok = true;
        } catch (const InputError&) {
        }
    }
    if (!suite) {
        try {
            suite = aspatial_suite(p, *l, "", true, policy);
        } catch (const InputError&) {
        }
    }
    if (suite && notes) *notes = suite->notes;
    // The project's nouns (manifest unit_noun): 院落 / courtyard(s) by default.
    const std::string uz = p.unit_noun_zh, ues = p.unit_noun_en_plural;
    if (!focus.empty()) {
        const GroupDef& gd = carto::find_group(p, focus);
        const std::size_t g = static_cast<std::size_t>(&gd - p.groups.data());
        const std::string gz = gd.name_zh.empty() ? gd.column : gd.name_zh;
        const std::string ge = gd.name_en.empty() ? gd.column : gd.name_en;
        const double P = c.total > 0 ? c.group_totals[g] / c.total : 0;
        auto add = [&](const std::string& id, const std::string& sym, double v, const std::string& zh,
                       const std::string& en, double pv = -1) { rows.push_back({id, sym, v, pv, pick(lang, zh, en), {}}); };
        // else a group that is the whole population or absent: no single-group indices
        if (single_ok) rows = suite_single_rows(p, gd, P, *suite, lang);
        progress.report(0.3, "Moran's I");
        try {
            // The focus group's LISA (the LISA map's request, global Moran included): given by
            // write_pack, which shares it with the map, else computed here.
            std::shared_ptr<const analysis::AutocorrResult> own;
            if (!focus_lisa || !focus_lisa->moran) {
                analysis::AutocorrRequest rq = focus_lisa_request(gd.column, o);
                rq.layer = l;
                own = analysis::autocorrelation(p, rq);
                focus_lisa = own.get();
            }
            const analysis::AutocorrResult* res = focus_lisa;
            if (!res->moran) {
                if (!res->withheld.empty())  // published-only inputs: fewer than 3 units
                    add("moran_i", "I", std::numeric_limits<double>::quiet_NaN(),
                        "莫兰指数 I 不公开：" + gz + "计数与总数均公开的" + uz +
                            "少于3个（隐私保护，LISA仅用公开计数计算）。",
                        "Moran's I withheld: fewer than 3 " + ues + " have a published " + ge +
                            " count and total (privacy guard: the LISA uses published counts only).");
            } else {
                const MoranResult& m = *res->moran;
                // With the guard on, computed from published-only inputs (docs/privacy.md, "LISA").
                std::string only_zh, only_en;
                if (!res->withheld.empty()) {
                    const auto in = static_cast<std::size_t>(
                        std::count(res->withheld.begin(), res->withheld.end(), false));
                    only_zh = privacy::lisa_input_note_zh(in, res->withheld.size()) + "。";
                    only_en = " " + privacy::lisa_input_note_en(in, res->withheld.size()) + ".";
                }
                const std::size_t perms = res->inference.permutations;
                const double pv = perms > 0 ? m.p_permutation : m.p_randomisation;
                const bool clustered = pv <= 0.05 && m.I > m.expected;
                const std::string R = std::to_string(perms);
                add("moran_i", "I", m.I,
                    "莫兰指数 I = " + num(m.I, 3) + "（p = " + pval(pv) + "，" + R + "次置换）：" + gz +
                        (clustered ? "占比高的" + uz + "彼此相邻的情况明显多于随机分布。"
                                   : "占比高的" + uz + "与随机分布相比没有明显的聚集。") +
                        "p为随机重排中结果至少同样极端的比例。" + only_zh,
                    "Moran's I = " + num(m.I, 3) + " (p = " + pval(pv) + ", " + R + " permutations): " + ues +
                        " with a high " + ge + " share " +
                        (clustered ? "lie next to each other clearly more often than chance would give."
                                   : "are not clearly more clustered than chance would give.") +
                        " p is the share of random rearrangements at least as extreme." + only_en,
                    pv);
            }
        } catch (const InputError&) {
        }
    }
    if (suite) {
        std::vector<IndexRow> multi = suite_multigroup_rows(p, *suite, lang);
        rows.insert(rows.end(), multi.begin(), multi.end());
    }
    return rows;
}

// [SECTION] Writing the pack ----------------------------------------------------------------------

namespace {

/// The pack's files, written into `staging`; `dir` is where they will be (the names returned).
ReportSummary write_pack(std::shared_ptr<const Project> project, const std::string& staging, const std::string& dir,
                         const ReportOptions& o, const Progress& progress) {
    namespace fs = std::filesystem;
    const Project& p = *project;
    const Lang lang = o.lang;
    auto L = [&](const std::string& zh, const std::string& en) { return pick(lang, zh, en); };
    ReportSummary out;
    out.focus_group = focus_group(p, o, &out.focus_reason, lang);
    progress.report(0.05, "indices");
    // The focus group's LISA, computed once: the LISA map draws it and the Moran row reads it.
    std::shared_ptr<const analysis::AutocorrResult> focus_lisa;
    if (!out.focus_group.empty()) {
        try {
            focus_lisa = analysis::autocorrelation(p, focus_lisa_request(out.focus_group, o));
        } catch (const InputError&) {
        }
    }
    std::vector<analysis::Note> index_notes;
    out.indices = global_index_rows(p, out.focus_group, o, progress, focus_lisa.get(), &index_notes);

    carto::MapRequest base = report_map_request(o);
    base.ramp = "YlOrRd";

    struct MapSpec {
        carto::MapKind kind;
        std::string file;
    };
    std::vector<MapSpec> specs;
    // File names from data (the focus group's column) only through safe_file_name: a column
    // "../x" or "Han/汉" stays a plain name inside `dir`, and no two maps share a name.
    UniqueFileNames names;
    for (const char* ours : {"report.pdf", "report.md"}) (void)names.make(ours, "");
    const Layer* ul = analysis::units_layer(p);
    if (ul && !p.groups.empty()) specs.push_back({carto::MapKind::Composition, names.make("composition", ".png")});
    // With the guard on a group's density uses its published cells only (docs/privacy.md,
    // "Densities"): a focus group with none gets no heatmap (the map would be refused).
    bool focus_heatmap = false;
    if (!out.focus_group.empty() && ul) {
        const auto table = analysis::group_count_table(p, ul);
        const auto policy = carto::disclosure_policy(base);
        const auto d = analysis::density_counts(*table, policy);
        const std::size_t g = static_cast<std::size_t>(&carto::find_group(p, out.focus_group) - p.groups.data());
        focus_heatmap = g < d.counts.size() && !policy.small(table->group_totals[g]) &&
                        std::any_of(d.counts[g].begin(), d.counts[g].end(), [](double v) { return v > 0; });
    }
    if (!out.focus_group.empty()) {
        if (focus_heatmap) specs.push_back({carto::MapKind::Heatmap, names.make("heatmap_" + out.focus_group, ".png")});
        specs.push_back({carto::MapKind::Lisa, names.make("lisa_" + out.focus_group, ".png")});
    }
    if (p.layer(Role::Zones)) specs.push_back({carto::MapKind::Zones, names.make("zones", ".png")});
    if (p.layer(Role::Projects)) specs.push_back({carto::MapKind::Projects, names.make("projects", ".png")});

    std::vector<carto::Scene> scenes;
    for (std::size_t k = 0; k < specs.size(); ++k) {
        progress.check();
        progress.report(0.1 + 0.6 * static_cast<double>(k) / static_cast<double>(specs.size()), "maps");
        carto::MapRequest r = base;
        r.kind = specs[k].kind;
        r.group = out.focus_group;
        carto::SceneResults given;
        if (r.kind == carto::MapKind::Lisa) given.lisa = focus_lisa;
        carto::Scene s = carto::build_scene(project, r, given);
        PageOptions po;
        po.tmpl = o.tmpl;
        po.dpi = o.dpi;
        write_map(s, po, (fs::path(staging) / specs[k].file).string(), Format::Png);
        out.files.push_back((fs::path(dir) / specs[k].file).string());
        scenes.push_back(std::move(s));
    }
    progress.report(0.75, "report");

    // Texts shared by the PDF and the Markdown.
    const std::string name = L(p.name_zh, p.name_en);
    const std::string title = name + " — " + L("会议材料", "meeting pack");
    carto::MapRequest pr = base;
    const std::string privacy = carto::privacy_note(pr);
    const std::string illustrative = p.illustrative ? "示意数据，非实测 / Illustrative data, not surveyed" : "";
    const std::string source = carto::source_note(lang, p);
    std::string intro_zh = "本材料由 huqian 生成：各" + p.unit_noun_zh + p.group_noun_zh + "构成、",
                intro_en = "Made by huqian: the " +
                           (p.group_noun_en == "ethnic group" ? std::string("ethnic composition")
                                                              : "composition by " + p.group_noun_en) +
                           " of the " + p.unit_noun_en_plural + ", ";
    std::string focus_label;
    if (!out.focus_group.empty()) {
        const GroupDef& gd = carto::find_group(p, out.focus_group);
        focus_label = group_name(gd, lang);
        std::string rz, re;
        (void)focus_group(p, o, &rz, Lang::Zh);
        (void)focus_group(p, o, &re, Lang::En);
        intro_zh += "重点群体" + group_name(gd, Lang::Zh) + "（" + rz + "）的" +
                    (focus_heatmap ? "居住密度热力图与" : "") + "局部空间聚类图，以及全局隔离指数及其通俗解读。";
        intro_en += std::string(focus_heatmap ? "the density heatmap and " : "") + "the local cluster map of the focus group, " +
                    group_name(gd, Lang::En) + " (" + re + "), and the global segregation indices with a plain reading of each.";
    } else {
        intro_zh += "以及全局指数。";
        intro_en += "and the global indices.";
    }
    const std::string intro = L(intro_zh, intro_en);
    const IndexTable itable = index_table(out.indices, index_notes, lang);

    // Groups table: each group's residents and share, as the maps' legends publish them (the
    // group totals protected as one table, geo/privacy).
    std::vector<std::vector<std::string>> group_rows;
    if (ul && !p.groups.empty()) {
        const auto table = analysis::group_count_table(p, ul);
        const privacy::DisclosurePolicy policy = carto::disclosure_policy(pr);
        const privacy::ProtectedTable groups = privacy::group_totals_table(table->group_totals, policy);
        group_rows.push_back({L(p.group_noun_zh, capitalised(p.group_noun_en)), L("居民", "Residents"), L("占比", "Share")});
        for (std::size_t g = 0; g < p.groups.size(); ++g)
            group_rows.push_back({group_name(p.groups[g], lang), privacy::count_text(groups.col_total(g), policy),
                                  privacy::percent_text(groups.col_total(g), groups.grand_total())});
        group_rows.push_back({L("合计", "Total"), privacy::count_text(groups.grand_total(), policy),
                              privacy::percent_text(groups.grand_total(), groups.grand_total())});
    }
    const std::string groups_heading = L("各" + p.group_noun_zh + "居民", "Residents by " + p.group_noun_en);

    // Courtyard table: the focus group per courtyard beside the courtyard's residents,
    // protected as one table whose group total and grand total are the maps' (geo/privacy).
    std::vector<std::vector<std::string>> cy_rows;
    if (ul && !out.focus_group.empty()) {
        const auto table = analysis::group_count_table(p, ul);
        const analysis::GroupCountTable& c = *table;
        const GroupDef& gd = carto::find_group(p, out.focus_group);
        const std::size_t g = static_cast<std::size_t>(&gd - p.groups.data());
        const privacy::DisclosurePolicy policy = carto::disclosure_policy(pr);
        const privacy::ProtectedTable groups = privacy::group_totals_table(c.group_totals, policy);
        // The courtyards' residents as every output publishes them (geo/privacy).
        const privacy::ProtectedTable units = privacy::unit_totals_table(c.totals, groups);
        // A city (above 50,000 units × groups): the focus group's column as the coarse
        // units × groups table prints it everywhere else (the maps, the viewer, the hand-off),
        // so that this table publishes no cell that one withholds (docs/privacy.md).
        const bool large = privacy::large_table(c.totals.size(), c.counts.size());
        std::vector<privacy::Cell> unit_pins;
        for (std::size_t i = 0; i < c.totals.size(); ++i) unit_pins.push_back(units.col_total(i));
        const privacy::ProtectedTable t =
            large ? privacy::units_by_groups_table(c.counts, groups)
                  : privacy::part_of_whole_table(c.counts[g], c.totals, policy, unit_pins, &groups.col_total(g),
                                                 &groups.grand_total());
        const std::size_t col = large ? g : 0;
        cy_rows.push_back({L(p.unit_noun_zh, capitalised(p.unit_noun_en)), L("居民", "Residents"), group_name(gd, lang),
                           L("占比", "Share")});
        const int fzh = ul->table.field_index("name_zh"), fen = ul->table.field_index("name_en");
        for (std::size_t i = 0; i < ul->size(); ++i) {
            const std::string zh = fzh >= 0 ? value_to_string(ul->table.rows[i][static_cast<std::size_t>(fzh)]) : "";
            const std::string en = fen >= 0 ? value_to_string(ul->table.rows[i][static_cast<std::size_t>(fen)]) : "";
            std::string nm = pick(lang, zh, en);
            if (nm.empty()) nm = ul->ids[i];
            cy_rows.push_back({nm, privacy::count_text(t.row_total(i), policy), privacy::count_text(t.cell(i, col), policy),
                               privacy::percent_text(t.cell(i, col), t.row_total(i))});
        }
    }

    // Zones' evaluations (geo/plan Planner; counts through the privacy guard).
    progress.report(0.8, "zones");
    const std::vector<plan::Zone> zones = o.zones_given ? o.zones : project_zones(p, nullptr);
    plan::PlannerOptions zpo;
    zpo.radius = o.zone_radius;
    zpo.seed = o.seed;
    const std::vector<ZoneReport> zone_tables = zone_reports(p, zones, pr, zpo);
    for (const auto& z : zone_tables) out.zones.push_back(z.id);
    const std::string zones_heading = L("分区评估", "Zone evaluations");
    const std::string zones_intro =
        L("每个拟议分区：步行范围内可服务的居民（按单元加权）、服务范围的民族多样性、各少数民族被覆盖的人数，"
          "以及按活动空间模型"
          "（居民把" +
              pct(zpo.exposure_fraction) +
              "的交往时间用于分区，并在那里随机相遇）估算的平均隔离度变化。模型是透明的假设情景，不是预测；定"
              "义与假设见 "
              "docs/planning.md。",
          "For each proposed zone: the residents it reaches within a walk (weighted by unit), the diversity "
          "of its "
          "catchment, how many residents of each minority group it reaches, and the change in mean isolation "
          "under the "
          "activity-space model (residents spend " +
              pct_en(zpo.exposure_fraction) +
              " of their contact time at the zone and meet at random there). The "
              "model is a transparent what-if, not a prediction; docs/planning.md states its definitions and "
              "assumptions.");

    // PDF.
    {
        PdfDocument pdf((fs::path(staging) / "report.pdf").string(), o.tmpl);
        std::vector<TextBlock> blocks;
        blocks.push_back({TextBlock::Kind::Title, title, {}, {}});
        if (const std::string stamp = carto::disclosure_policy(pr).stamp(); !stamp.empty())
            blocks.push_back({TextBlock::Kind::Heading, stamp, {}, {}});
        if (!illustrative.empty()) blocks.push_back({TextBlock::Kind::Paragraph, illustrative, {}, {}});
        blocks.push_back({TextBlock::Kind::Paragraph, intro, {}, {}});
        blocks.push_back({TextBlock::Kind::Paragraph, privacy, {}, {}});
        if (!group_rows.empty()) {
            blocks.push_back({TextBlock::Kind::Heading, groups_heading, {}, {}});
            blocks.push_back({TextBlock::Kind::Table, "", group_rows, {0.5, 0.25, 0.25}});
        }
        blocks.push_back({TextBlock::Kind::Heading,
                          L("全局指数", "Global indices") + (focus_label.empty() ? "" : " · " + focus_label), {}, {}});
        TextBlock t{TextBlock::Kind::Table, "", {itable.header}, {0.12, 0.08, 0.08, 0.72}};
        t.rows.insert(t.rows.end(), itable.rows.begin(), itable.rows.end());
        blocks.push_back(t);
        for (const auto& n : itable.notes) blocks.push_back({TextBlock::Kind::Paragraph, n, {}, {}});
        blocks.push_back({TextBlock::Kind::Paragraph, source, {}, {}});
        const std::string footer = (illustrative.empty() ? "" : illustrative + " · ") + privacy;
        pdf.add_text_pages(blocks, footer);
        for (const auto& s : scenes) pdf.add_map_page(s);
        if (!zone_tables.empty()) {
            std::vector<TextBlock> bz;
            bz.push_back({TextBlock::Kind::Heading, zones_heading, {}, {}});
            bz.push_back({TextBlock::Kind::Paragraph, zones_intro, {}, {}});
            for (const auto& z : zone_tables) {
                bz.push_back({TextBlock::Kind::Heading, z.id + " " + z.name, {}, {}});
                bz.push_back({TextBlock::Kind::Paragraph, z.summary, {}, {}});
                bz.push_back({TextBlock::Kind::Table, "", z.rows, {0.45, 0.55}});
            }
            pdf.add_text_pages(bz, footer);
        }
        if (!cy_rows.empty()) {
            std::vector<TextBlock> b2;
            b2.push_back({TextBlock::Kind::Heading, L("各" + p.unit_noun_zh + "居民", "Residents by " + p.unit_noun_en) + " · " + focus_label, {}, {}});
            b2.push_back({TextBlock::Kind::Table, "", cy_rows, {0.55, 0.15, 0.15, 0.15}});
            pdf.add_text_pages(b2, footer);
        }
        pdf.finish();
        out.files.push_back((fs::path(dir) / "report.pdf").string());
    }

    // Markdown.
    std::ostringstream md;
    md << "# " << title << "\n\n";
    if (const std::string stamp = carto::disclosure_policy(pr).stamp(); !stamp.empty()) md << "> **" << stamp << "**\n\n";
    if (!illustrative.empty()) md << "> **" << illustrative << "**\n\n";
    md << intro << "\n\n" << privacy << "\n\n";
    md << "## " << L("地图", "Maps") << "\n\n";
    for (std::size_t k = 0; k < scenes.size(); ++k)
        md << "### " << printable(scenes[k].title) << "\n\n![" << printable(scenes[k].title) << "](<" << specs[k].file
           << ">)\n\n";
    // A table whose first row is its header; `rule` aligns the columns.
    auto md_table = [&md](const std::vector<std::vector<std::string>>& rows, const char* rule) {
        for (std::size_t r = 0; r < rows.size(); ++r) {
            md << "|";
            for (const auto& cell : rows[r]) md << " " << md_escape(cell) << " |";
            md << "\n";
            if (r == 0) md << rule << "\n";
        }
        md << "\n";
    };
    if (!group_rows.empty()) {
        md << "## " << groups_heading << "\n\n";
        md_table(group_rows, "| --- | ---: | ---: |");
    }
    md << "## " << L("全局指数", "Global indices") << (focus_label.empty() ? "" : " · " + focus_label) << "\n\n";
    md_table([&] {
        std::vector<std::vector<std::string>> all{itable.header};
        all.insert(all.end(), itable.rows.begin(), itable.rows.end());
        return all;
    }(), "| --- | ---: | ---: | --- |");
    for (const auto& n : itable.notes) md << n << "\n\n";
    if (!zone_tables.empty()) {
        md << "## " << zones_heading << "\n\n" << zones_intro << "\n\n";
        for (const auto& z : zone_tables) {
            md << "### " << z.id << " " << md_escape(z.name) << "\n\n" << z.summary << "\n\n";
            md_table(z.rows, "| --- | ---: |");
        }
    }
    if (!cy_rows.empty()) {
        md << "## " << L("各" + p.unit_noun_zh + "居民", "Residents by " + p.unit_noun_en) << " · " << focus_label << "\n\n";
        md_table(cy_rows, "| --- | ---: | ---: | ---: |");
    }
    md << source << "\n";
    write_file_atomic((fs::path(staging) / "report.md").string(), md.str());
    out.files.push_back((fs::path(dir) / "report.md").string());
    return out;
}

}  // namespace

ReportSummary write_report(std::shared_ptr<const Project> project, const std::string& dir, const ReportOptions& o,
                           const Progress& progress) {
    namespace fs = std::filesystem;
    if (!project) throw InputError("no project loaded");
    // The pack is written into a private folder beside `dir` and renamed into place whole
    // (hq::AtomicFolder): a killed or failed report leaves the old pack or none, never a mix.
    AtomicFolder pack(dir, kReportMarker);
    ReportSummary out;
    try {
        out = write_pack(std::move(project), pack.temp_path(), dir, o, progress);
    } catch (const InputError& e) {  // name the file as the user will look for it: DIR/NAME
        ErrorContext c = e.context();
        if (c.file.rfind(pack.temp_path(), 0) == 0)
            c.file = (fs::path(dir) / fs::path(c.file).lexically_relative(pack.temp_path())).string();
        throw InputError(c, e.bare_message());
    }
    pack.commit();
    progress.report(1.0, "report");
    return out;
}

}  // namespace hq::exporter
