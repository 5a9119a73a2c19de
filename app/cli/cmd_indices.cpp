// huqian indices PATH [--layer L] [--group COL --total COL] [--groups A,B,C]
//                [--weights queen|rook|knn:K|distance:M|kernel:NAME:M] [--distance M]
//                [--profile 50,100,200,...] [--permutations N --null NAME --seed S]
//                [--pairwise] [--json | --csv] [-o FILE]
// huqian indices compare PATH_A PATH_B --group COL --total COL --index ID
//                [--null NAME --permutations N --seed S] [--decompose] [--json]
// Segregation indices, their inference, pairwise tables and multiscalar profiles.
// JSON schema: docs/cli-json.md; methods: docs/segregation.md, docs/segregation-inference.md.
// [SECTION] index
//   huqian indices PATH: JSON, text, CSV, per-unit table
//   huqian indices compare PATH_A PATH_B
//   Options
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>

#include "app/cli/command.hpp"
#include "app/cli/by_table.hpp"
#include "app/cli/common.hpp"
#include "app/cli/privacy_json.hpp"
#include "geo/analysis/by.hpp"
#include "geo/core/text.hpp"
#include "geo/analysis/per_unit.hpp"
#include "geo/analysis/segregation.hpp"
#include "geo/io/writer.hpp"

namespace hq::cli {
namespace {

using nlohmann::ordered_json;
using analysis::InferenceRow;
using Results = analysis::SegregationResult;

std::string meaning(const std::string& id) { return analysis::index_meaning(id); }

std::string null_list() {
    std::string s;
    for (const auto& n : seg::null_names()) s += (s.empty() ? "" : ", ") + n;
    return s + " (default systematic)";
}

Progress make_progress(StderrProgress& bar) {
    return Progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
}

// [SECTION] huqian indices PATH: JSON, text, CSV, per-unit table ----------------------------------

struct IndicesArgs {
    std::string path;
    LoadArgs load;
    AnalysisArgs common;
    double distance = 0.0;
    std::vector<double> profile;
    std::vector<std::string> profile_ids;
    std::string null = "systematic";
    std::vector<std::string> test_ids;
    bool pairwise = false;
    bool json = false;
    bool csv = false;
    bool per_unit = false;
    std::string output;
    unsigned threads = 0;
    PrivacyArgs privacy;
    std::string by;  ///< --by COLUMN: one row per value (app/cli/by_table.hpp)
};

ordered_json number(double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); }

/// A k × k row-major flag table (the pairwise tables' marks) as rows of booleans.
ordered_json bool_matrix(const std::vector<bool>& flags, std::size_t k) {
    ordered_json m = ordered_json::array();
    for (std::size_t x = 0; x < k; ++x) {
        ordered_json row = ordered_json::array();
        for (std::size_t y = 0; y < k; ++y) row.push_back(static_cast<bool>(flags[x * k + y]));
        m.push_back(row);
    }
    return m;
}

/// Values computed from the published estimate (docs/privacy.md, "Indices from the published
/// table"): at the same paths as the values, "estimated" marks each estimate with its filled
/// share, "suppressed" each value withheld by the 0.5 rule (null above) with its reason. Only
/// when there is any, so an exact result keeps today's document.
void disclosure_json(const Results& r, ordered_json& j) {
    ordered_json estimated = ordered_json::object();
    const auto section = [&](const char* name, const std::vector<seg::IndexValue>& values,
                             const std::vector<analysis::IndexDisclosure>& ds) {
        ordered_json est = ordered_json::object();
        ordered_json sup = ordered_json::object();
        for (std::size_t i = 0; i < values.size() && i < ds.size(); ++i) {
            const auto& d = ds[i];
            if (d.withheld)
                sup[values[i].id] = {{"suppressed", true},
                                     {"filled_share", d.filled_share},
                                     {"reason", {{"zh", d.reason_zh}, {"en", d.reason_en}}}};
            else if (d.estimated)
                est[values[i].id] = {{"estimated", true}, {"filled_share", d.filled_share}};
        }
        if (!est.empty()) estimated[name] = est;
        if (!sup.empty()) j["suppressed"][name] = sup;
    };
    section("single_group", r.single, r.single_disclosure);
    section("multigroup", r.multi, r.multi_disclosure);
    if (r.pairwise && !r.pairwise_estimated.empty()) estimated["pairwise"] = bool_matrix(r.pairwise_estimated, r.pairwise->groups);
    if (estimated.empty()) return;
    for (const auto& n : r.notes)
        if (n.en.starts_with("≈")) estimated["note"] = {{"zh", n.zh}, {"en", n.en}};
    j["estimated"] = estimated;
}

ordered_json to_json(const Results& r, const IndicesArgs& a, const privacy::DisclosurePolicy& policy) {
    ordered_json j;
    j["privacy"] = policy_json(policy);
    j["units"] = r.units;
    ordered_json single = ordered_json::object();
    for (const auto& v : r.single) single[v.id] = number(v.value);
    j["single_group"] = single;
    ordered_json multi = ordered_json::object();
    for (const auto& v : r.multi) multi[v.id] = number(v.value);
    j["multigroup"] = multi;
    ordered_json local = ordered_json::object();
    for (const auto& lv : r.local) {
        ordered_json arr = ordered_json::array();
        const std::size_t n = lv.values.size() / std::max<std::size_t>(lv.columns, 1);
        for (std::size_t i = 0; i < n; ++i) {
            if (lv.columns == 1) {
                arr.push_back(number(lv.values[i]));
            } else {
                ordered_json row = ordered_json::array();
                for (std::size_t k = 0; k < lv.columns; ++k) row.push_back(number(lv.values[i * lv.columns + k]));
                arr.push_back(row);
            }
        }
        local[lv.id] = arr;
    }
    j["local"] = local;
    // Values withheld by disclosure control (geo/privacy) are null above; here, at the same
    // path and in the same shape, true marks each of them ("suppressed": every null it
    // produced is flagged; a null of an undefined value is not).
    ordered_json withheld = ordered_json::object();
    for (const auto& [id, mask] : r.local_withheld) {
        const auto lv = std::find_if(r.local.begin(), r.local.end(), [&](const auto& l) { return l.id == id; });
        if (lv == r.local.end() || mask.size() != lv->values.size()) continue;
        const std::size_t cols = std::max<std::size_t>(lv->columns, 1), n = mask.size() / cols;
        ordered_json arr = ordered_json::array();
        for (std::size_t i = 0; i < n; ++i) {
            if (cols == 1) {
                arr.push_back(static_cast<bool>(mask[i]));
                continue;
            }
            ordered_json row = ordered_json::array();
            for (std::size_t k = 0; k < cols; ++k) row.push_back(static_cast<bool>(mask[i * cols + k]));
            arr.push_back(row);
        }
        withheld[id] = arr;
    }
    j["suppressed"] = {{"local", withheld}};
    if (r.pairwise && !r.pairwise_withheld.empty()) j["suppressed"]["pairwise"] = bool_matrix(r.pairwise_withheld, r.pairwise->groups);
    disclosure_json(r, j);
    ordered_json inf = ordered_json::object();
    for (const auto& row : r.inference) {
        const auto& t = row.r;
        inf[row.id] = {{"statistic", number(t.statistic)},
                       {"p_value", number(t.p_value)},
                       {"null", t.null},
                       {"permutations", t.permutations},
                       {"two_tailed", t.two_tailed},
                       {"tested_value", number(t.tested_value)},
                       {"seed", a.common.seed},
                       {"valid", t.simulated.size()},
                       {"null_mean", number(t.summary.mean)},
                       {"null_sd", number(t.summary.sd)},
                       {"null_q025", number(t.summary.q025)},
                       {"null_q975", number(t.summary.q975)}};
    }
    j["inference"] = inf;
    if (r.pairwise) {
        const auto& pw = *r.pairwise;
        ordered_json ex = ordered_json::array();
        ordered_json d = ordered_json::array();
        for (std::size_t x = 0; x < pw.groups; ++x) {
            ordered_json er = ordered_json::array();
            ordered_json dr = ordered_json::array();
            for (std::size_t y = 0; y < pw.groups; ++y) {
                er.push_back(number(pw.exposure_at(x, y)));
                dr.push_back(number(pw.dissim_at(x, y)));
            }
            ex.push_back(er);
            d.push_back(dr);
        }
        j["pairwise"] = {{"groups", pw.names}, {"exposure", ex}, {"dissim", d}};
    } else {
        j["pairwise"] = ordered_json::object();
    }
    if (!r.profile.empty()) {
        ordered_json values = ordered_json::object();
        for (const auto& [id, v] : r.profile) {
            ordered_json arr = ordered_json::array();
            for (double x : v) arr.push_back(number(x));
            values[id] = arr;
        }
        j["profile"] = {{"kernel", "triangular"}, {"distances", r.profile_distances}, {"values", values}};
    } else {
        j["profile"] = ordered_json::object();
    }
    if (!r.environment.empty()) j["environment"] = r.environment;
    if (r.weights) j["weights"] = weights_json(*r.weights);
    return j;
}

std::string fmt(double v, int decimals = 4) {
    if (!std::isfinite(v)) return "n/a";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// A name from the data for a text table: escaped (printable) and cut to at most `bytes`
/// bytes on a character boundary.
std::string label(const std::string& name, std::size_t bytes) {
    std::string s = printable(name);
    if (s.size() <= bytes) return s;
    std::size_t n = bytes;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

/// A value padded to `width` terminal columns: "—" and "≈" are one column but three bytes
/// (pad_columns counts them as two), the rest ASCII.
std::string pad_value(const std::string& s, std::size_t width) {
    const bool marked = s.starts_with("—") || s.starts_with("≈");
    const std::size_t cols = marked ? s.size() - 2 : s.size();
    return s + (cols < width ? std::string(width - cols, ' ') : "");
}

std::string to_text(const Results& r, const privacy::DisclosurePolicy& policy) {
    std::ostringstream o;
    o << "units: " << r.units << "\n";
    if (!r.environment.empty())
        o << "aspatial-formula indices below are spatially implicit: local environments, " << r.environment << "\n";
    std::vector<std::string> reasons;  // the withheld values' reasons, each once
    auto table = [&](const char* title, const std::vector<seg::IndexValue>& v,
                     const std::vector<analysis::IndexDisclosure>& ds) {
        if (v.empty()) return;
        o << "\n" << title << "\n";
        o << "  " << pad_columns("index", 28) << pad_columns("value", 10) << "meaning\n";
        for (std::size_t i = 0; i < v.size(); ++i) {
            const auto& x = v[i];
            const analysis::IndexDisclosure d = i < ds.size() ? ds[i] : analysis::IndexDisclosure{};
            // Estimated from the published table: "≈"; withheld: "—" (analysis::index_value_text).
            const std::string value = d.estimated || d.withheld ? analysis::index_value_text(x.value, d, 4) : fmt(x.value);
            o << "  " << pad_columns(printable(x.id), 28) << pad_value(value, 10) << meaning(x.id) << "\n";
            const std::string reason = "—：" + d.reason_zh + " / —: " + d.reason_en;
            if (d.withheld && std::find(reasons.begin(), reasons.end(), reason) == reasons.end())
                reasons.push_back(reason);
        }
    };
    table("single group vs total:", r.single, r.single_disclosure);
    table("multigroup:", r.multi, r.multi_disclosure);
    for (const auto& n : r.notes)
        if (n.en.starts_with("≈")) o << "\n  " << n.zh << "\n  " << n.en << "\n";
    for (const auto& reason : reasons) o << "  " << reason << "\n";
    if (!r.local.empty()) {
        o << "\nlocal (one value per unit; see --json for the values):\n";
        o << "  " << pad_columns("index", 36) << pad_columns("min", 9) << pad_columns("median", 9) << pad_columns("max", 9) << pad_columns("n/a", 6)
          << pad_columns("withheld", 10) << "meaning\n";
        std::size_t any_withheld = 0;
        for (const auto& lv : r.local) {
            std::vector<double> v;
            std::size_t nan = 0, withheld = 0;
            const auto mask = std::find_if(r.local_withheld.begin(), r.local_withheld.end(),
                                           [&](const auto& w) { return w.first == lv.id; });
            for (std::size_t i = 0; i < lv.values.size(); ++i) {
                const double x = lv.values[i];
                if (std::isfinite(x))
                    v.push_back(x);
                else if (mask != r.local_withheld.end() && i < mask->second.size() && mask->second[i])
                    ++withheld;
                else
                    ++nan;
            }
            any_withheld += withheld;
            std::sort(v.begin(), v.end());
            const double mn = v.empty() ? NAN : v.front();
            const double md = v.empty() ? NAN : v[v.size() / 2];
            const double mx = v.empty() ? NAN : v.back();
            o << "  " << pad_columns(printable(lv.id), 36) << pad_columns(fmt(mn, 3), 9) << pad_columns(fmt(md, 3), 9) << pad_columns(fmt(mx, 3), 9)
              << pad_columns(std::to_string(nan), 6) << pad_columns(std::to_string(withheld), 10) << meaning(lv.id) << "\n";
        }
        if (any_withheld > 0)
            o << "  不公开：由被隐去计数算出的值（隐私保护，docs/privacy.md） / withheld: values computed from withheld "
                 "counts (privacy guard, docs/privacy.md)\n";
    }
    if (!r.inference.empty()) {
        const auto& t0 = r.inference.front().r;
        o << "\ninference (null " << t0.null << ", " << t0.permutations << " permutations, "
          << (t0.two_tailed ? "two-tailed" : "one-tailed") << " pseudo p-values as PySAL):\n";
        o << "  " << pad_columns("index", 28) << pad_columns("value", 10) << pad_columns("p", 9) << pad_columns("null mean", 11) << "null 95% range\n";
        for (const auto& row : r.inference) {
            const auto& t = row.r;
            const std::string p = t.p_value == 0.0 && !t.simulated.empty()
                                      ? "<" + fmt(1.0 / static_cast<double>(t.simulated.size()), 3)
                                      : fmt(t.p_value, 3);
            o << "  " << pad_columns(printable(row.id), 28) << pad_columns(fmt(t.statistic), 10) << pad_columns(p, 9)
              << pad_columns(fmt(t.summary.mean), 11) << fmt(t.summary.q025) << " .. " << fmt(t.summary.q975) << "\n";
        }
    }
    if (r.pairwise) {
        const auto& pw = *r.pairwise;
        auto matrix = [&](const char* title, bool exposure) {
            o << "\n" << title << "\n  " << pad_columns("", 14);
            for (std::size_t y = 0; y < pw.groups; ++y) o << pad_columns(label(pw.names[y], 9), 10);
            o << "\n";
            for (std::size_t x = 0; x < pw.groups; ++x) {
                o << "  " << pad_columns(label(pw.names[x], 13), 14);
                for (std::size_t y = 0; y < pw.groups; ++y) {
                    const bool withheld = !r.pairwise_withheld.empty() && r.pairwise_withheld[x * pw.groups + y];
                    // "—" is one terminal column but three bytes: padded by hand.
                    const bool estimated = !r.pairwise_estimated.empty() && r.pairwise_estimated[x * pw.groups + y];
                    const std::string v = fmt(exposure ? pw.exposure_at(x, y) : pw.dissim_at(x, y), 3);
                    o << (withheld ? std::string("—") + std::string(9, ' ') : pad_value(estimated ? "≈" + v : v, 10));
                }
                o << "\n";
            }
        };
        matrix("exposure (row group's average member: share of the column group in the unit):", true);
        matrix("two-group dissimilarity:", false);
        if (!r.pairwise_withheld.empty())
            o << "  —：含不足" << policy.k << "人或合计被隐去的群体的组对不公开（隐私保护，docs/privacy.md） / —: pairs with a group of "
              << "fewer than " << policy.k << " residents or a withheld total are withheld (privacy guard, docs/privacy.md)\n";
        if (!r.pairwise_estimated.empty())
            o << "  ≈：由公开表估计；两群体居民中填补超过 50 % 的组对不公开 / ≈: estimated from the published table; pairs "
                 "with more than 50 % of their residents filled are withheld\n";
    }
    if (!r.profile.empty()) {
        o << "\nmultiscalar profile (triangular kernel; distance 0 = aspatial):\n  " << pad_columns("distance", 10);
        for (const auto& [id, v] : r.profile) o << pad_columns(printable(id), 20);
        o << "\n";
        for (std::size_t i = 0; i < r.profile_distances.size(); ++i) {
            o << "  " << pad_columns(fmt(r.profile_distances[i], 0), 10);
            for (const auto& [id, v] : r.profile) o << pad_columns(fmt(v[i]), 20);
            o << "\n";
        }
    }
    return o.str();
}

/// A CSV field: names from the data escaped (printable: no control or bidi character reaches
/// a terminal or spreadsheet), then quoted when needed.
std::string csv_field(const std::string& raw) {
    const std::string s = printable(raw);
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

/// A table as CSV (RFC 4180 quoting; null = empty; names escaped like any field).
std::string table_csv(const Table& t) {
    std::ostringstream o;
    for (std::size_t j = 0; j < t.fields.size(); ++j) o << (j ? "," : "") << csv_field(t.fields[j].name);
    o << "\n";
    for (const auto& row : t.rows) {
        for (std::size_t j = 0; j < row.size(); ++j) {
            if (j) o << ",";
            if (const auto* d = std::get_if<double>(&row[j])) o << (std::isfinite(*d) ? json_number(*d) : "");
            else o << csv_field(value_to_string(row[j]));
        }
        o << "\n";
    }
    return o.str();
}

/// indices --per-unit: one row per unit with its local indices (geo/analysis/per_unit.hpp),
/// to stdout or -o FILE (.csv; .gpkg / .geojson with the units' geometry).
void run_per_unit(const Project& p, const IndicesArgs& a) {
    const Layer* units = analysis::units_layer(p);
    if (!units) throw InputError(ErrorContext{a.path}, "no units layer for a per-unit table");
    if (p.groups.empty())
        throw InputError(ErrorContext{a.path}, "--per-unit needs the groups' count columns: a manifest's groups or --groups A,B,C");
    analysis::PerUnitRequest rq;
    rq.privacy = a.privacy.policy();
    const Table table = analysis::per_unit_table(*analysis::group_count_table(p, units), rq);
    std::string ext = std::filesystem::path(a.output).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (a.output.empty() || ext == ".csv") {
        std::string text = table_csv(table);
        if (!rq.privacy.guard) text = "# " + rq.privacy.stamp() + "\n" + text;
        write_output(a.output, text);
        return;
    }
    Layer out = *units;
    out.table = table;
    WriteOptions wo;
    wo.metric_crs = p.planar ? Crs{} : p.metric_crs;
    wo.id_field = analysis::per_unit_id_field(*units);
    write_layer(out, a.output, wo);
}

std::string to_csv(const Results& r) {
    std::ostringstream o;
    // The last column names the group(s) a row is about: the single group's column, the
    // multigroup indices' columns joined by "|", a pair "A|B".
    o << "section,id,feature,distance,value,p_value,null,permutations,group\n";
    auto num = [](double v) { return std::isfinite(v) ? json_number(v) : std::string(); };
    std::string multi;
    for (const auto& c : r.group_columns) multi += (multi.empty() ? "" : "|") + c;
    const std::string single = csv_field(r.group_column);
    multi = csv_field(multi);
    std::set<std::string> single_ids;
    for (const auto& v : r.single) single_ids.insert(v.id);
    const auto group_of = [&](const std::string& id) { return single_ids.count(id) ? single : multi; };
    for (const auto& v : r.single) o << "single_group," << csv_field(v.id) << ",,," << num(v.value) << ",,,," << single << "\n";
    for (const auto& v : r.multi) o << "multigroup," << csv_field(v.id) << ",,," << num(v.value) << ",,,," << multi << "\n";
    // Values from the published estimate: one row each, its value the filled share (docs/privacy.md).
    const auto disclosure_rows = [&](const std::vector<seg::IndexValue>& values,
                                     const std::vector<analysis::IndexDisclosure>& ds, const std::string& group) {
        for (std::size_t i = 0; i < values.size() && i < ds.size(); ++i)
            if (ds[i].estimated || ds[i].withheld)
                o << (ds[i].withheld ? "suppressed_filled_share," : "estimated_filled_share,") << csv_field(values[i].id)
                  << ",,," << num(ds[i].filled_share) << ",,,," << group << "\n";
    };
    disclosure_rows(r.single, r.single_disclosure, single);
    disclosure_rows(r.multi, r.multi_disclosure, multi);
    for (const auto& lv : r.local) {
        const std::size_t n = lv.values.size() / std::max<std::size_t>(lv.columns, 1);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t k = 0; k < lv.columns; ++k) {
                const std::string id = lv.columns == 1 ? lv.id : lv.id + ":" + lv.column_names[k];
                o << "local," << csv_field(id) << "," << i << ",," << num(lv.values[i * lv.columns + k]) << ",,,,"
                  << (lv.columns == 1 ? multi : csv_field(lv.column_names[k])) << "\n";
            }
    }
    for (const auto& row : r.inference)
        o << "inference," << csv_field(row.id) << ",,," << num(row.r.statistic) << "," << num(row.r.p_value) << ","
          << row.r.null << "," << row.r.permutations << "," << group_of(row.id) << "\n";
    if (r.pairwise) {
        const auto& pw = *r.pairwise;
        for (std::size_t x = 0; x < pw.groups; ++x)
            for (std::size_t y = 0; y < pw.groups; ++y) {
                const std::string id = csv_field(pw.names[x] + "|" + pw.names[y]);
                o << "pairwise_exposure," << id << ",,," << num(pw.exposure_at(x, y)) << ",,,," << id << "\n";
                o << "pairwise_dissim," << id << ",,," << num(pw.dissim_at(x, y)) << ",,,," << id << "\n";
            }
    }
    for (const auto& [id, v] : r.profile)
        for (std::size_t i = 0; i < v.size(); ++i)
            o << "profile," << csv_field(id) << ",," << num(r.profile_distances[i]) << "," << num(v[i]) << ",,,,"
              << group_of(id) << "\n";
    return o.str();
}

// [SECTION] huqian indices compare PATH_A PATH_B --------------------------------------------------

struct CompareArgs {
    std::string path_a;
    std::string path_b;
    LoadArgs load;
    std::string group;
    std::string total;
    std::vector<std::string> groups;
    std::string index;
    std::string null = "random_label";
    std::size_t permutations = 0;
    std::uint64_t seed = 0;
    bool decompose = false;
    std::string approach = "composition";
    bool json = false;
    std::string output;
    unsigned threads = 0;
    PrivacyArgs privacy;
};

void run_compare(const CompareArgs& a, bool test_requested) {
    if (a.index.empty()) throw InputError("indices compare: give --index ID");
    const Project pa = load_for_command(a.path_a, a.load);
    const Project pb = load_for_command(a.path_b, a.load);
    analysis::CompareRequest rq;
    rq.group = a.group;
    rq.total = a.total;
    rq.groups = a.groups;
    rq.index = a.index;
    rq.null = a.null;
    rq.permutations = a.permutations;
    rq.seed = a.seed;
    rq.test = test_requested;
    rq.decompose = a.decompose;
    rq.approach = a.approach;
    rq.threads = a.threads;
    rq.privacy = a.privacy.policy();
    StderrProgress bar("compare");
    const analysis::CompareResult cr = analysis::compare_indices(pa, pb, rq, make_progress(bar));
    const double va = cr.a;
    const double vb = cr.b;
    const auto& test = cr.test;
    const auto& dec = cr.decomposition;
    const std::size_t units_a = cr.units_a, units_b = cr.units_b;
    // Values from a published estimate are marked, withheld ones null with the reason
    // (docs/privacy.md, "Indices from the published table").
    auto side = [&](const std::string& path, std::size_t units, double v, const analysis::IndexDisclosure& d) {
        ordered_json s = {{"path", path}, {"units", units}, {"value", number(v)}};
        if (d.estimated || d.withheld) s["filled_share"] = d.filled_share;
        if (d.estimated && !d.withheld) s["estimated"] = true;
        if (d.withheld) {
            s["suppressed"] = true;
            s["reason"] = d.reason_zh + " / " + d.reason_en;
        }
        return s;
    };
    const analysis::IndexDisclosure& da = cr.disclosure_a;
    const analysis::IndexDisclosure& db = cr.disclosure_b;
    analysis::IndexDisclosure dd;  // the difference: withheld or estimated with either side
    dd.withheld = da.withheld || db.withheld;
    dd.estimated = da.estimated || db.estimated;
    ordered_json j;
    j["index"] = a.index;
    j["privacy"] = policy_json(rq.privacy);
    j["a"] = side(a.path_a, units_a, va, da);
    j["b"] = side(a.path_b, units_b, vb, db);
    j["difference"] = number(dd.withheld ? NAN : va - vb);
    if (test) {
        j["test"] = {{"null", test->null},
                     {"p_value", number(test->p_value)},
                     {"permutations", test->permutations},
                     {"seed", a.seed},
                     {"valid", test->null == "bootstrap" ? test->simulated_a.size() : test->simulated.size()},
                     {"null_mean", number(test->summary.mean)},
                     {"null_sd", number(test->summary.sd)},
                     {"null_q025", number(test->summary.q025)},
                     {"null_q975", number(test->summary.q975)},
                     {"t_statistic", number(test->t_statistic)}};
    } else {
        j["test"] = nullptr;
    }
    if (dec) {
        j["decomposition"] = {{"approach", dec->approach},  {"spatial", number(dec->spatial)},
                              {"attribute", number(dec->attribute)}, {"s1_a1", number(dec->s1_a1)},
                              {"s1_a2", number(dec->s1_a2)},    {"s2_a1", number(dec->s2_a1)},
                              {"s2_a2", number(dec->s2_a2)}};
    } else {
        j["decomposition"] = nullptr;
    }
    if (a.json) {
        write_json_output(a.output, j.dump(2) + "\n");
        return;
    }
    std::ostringstream t;
    if (!rq.privacy.guard) t << rq.privacy.stamp() << "\n";
    t << a.index << ": " << meaning(a.index) << "\n";
    t << "  A " << pad_columns(analysis::index_value_text(va, da, 4), 10) << printable(a.path_a) << " (" << units_a
      << " units)\n";
    t << "  B " << pad_columns(analysis::index_value_text(vb, db, 4), 10) << printable(a.path_b) << " (" << units_b
      << " units)\n";
    t << "  A − B = " << analysis::index_value_text(va - vb, dd, 4) << "\n";
    for (const auto* d : {&da, &db})
        if (d->withheld)
            t << "  " << (d == &da ? "A" : "B") << ": 不公开：" << d->reason_zh << " / withheld: " << d->reason_en << "\n";
    if (dd.estimated && !dd.withheld)
        t << "  ≈：由公开表估计（被隐去的格按公开合计填补；A "
          << fmt(100.0 * da.filled_share, 1) << " %，B " << fmt(100.0 * db.filled_share, 1)
          << " % 的居民在被填补的格中，docs/privacy.md） / ≈: estimated from the published table (withheld cells "
             "filled from the published totals; "
          << fmt(100.0 * da.filled_share, 1) << " % of A's and " << fmt(100.0 * db.filled_share, 1)
          << " % of B's residents it reads are in filled cells, docs/privacy.md)\n";
    if (test) {
        t << "  test: null " << test->null << ", " << test->permutations << " permutations, p = " << fmt(test->p_value, 3);
        if (test->null == "bootstrap") t << " (two-sample t = " << fmt(test->t_statistic, 3) << ")";
        else t << " (null differences " << fmt(test->summary.q025) << " .. " << fmt(test->summary.q975) << ")";
        t << "\n";
    }
    if (dec) {
        t << "  Shapley decomposition (" << dec->approach << "): spatial " << fmt(dec->spatial) << ", attribute "
          << fmt(dec->attribute) << "\n";
        t << "    spatial = the part of the difference from where people live given the group's mix;\n"
          << "    attribute = the part from the group's mix (composition) itself\n";
    }
    write_text_output(a.output, t.str());
}

// [SECTION] Options -------------------------------------------------------------------------------

void setup(CLI::App& app) {
    auto args = std::make_shared<IndicesArgs>();
    CLI::App* cmd = app.add_subcommand("indices", "Segregation indices, inference, pairwise tables and profiles");
    cmd->footer(
        "Cost: spatial_proximity, the clustering and distance-decay indices and spatial_prox_prof compare every pair "
        "of units by definition: O(n^2), about 10 s of CPU at 10k units; they are left out, "
        "with a note, above " +
        std::to_string(analysis::kMaxDistanceDecayUnits) +
        " units. --distance and --profile sum over each unit's neighbours within the bandwidth only (a spatial index): "
        "units × neighbours, not all pairs.");
    cmd->add_option("PATH", args->path, "Project folder (with project.json) or a vector file with count columns");
    args->load.offer_groups = false;  // --groups: the multigroup indices' columns (AnalysisArgs)
    args->load.add_to(cmd);
    args->common.permutations = 0;  // indices: tests only when asked for
    args->common.seed = 0;
    args->common.add_to(cmd, {.significance = false});
    args->privacy.add_to(cmd);
    cmd->add_option("--distance", args->distance,
                    "Spatially implicit indices on local environments of this bandwidth (m, triangular kernel)");
    cmd->add_option("--profile", args->profile, "Multiscalar profile at these distances (m), e.g. 50,100,200")
        ->delimiter(',');
    cmd->add_option("--profile-index", args->profile_ids,
                    "Indices for the profile (default: multi_info_theory and/or dissim)")
        ->delimiter(',');
    cmd->add_option("--null", args->null, "Null of the single-value test (with --permutations): " + null_list());
    cmd->add_option("--test", args->test_ids, "Indices to test (default: every aspatial one but the randomised)")
        ->delimiter(',');
    cmd->add_flag("--pairwise", args->pairwise, "Exposure and two-group dissimilarity for every pair of groups");
    auto* json = cmd->add_flag("--json", args->json, "Print JSON (schema in docs/cli-json.md)");
    auto* csv = cmd->add_flag("--csv", args->csv, "Print CSV: section,id,feature,distance,value,p_value,null,permutations,group");
    json->excludes(csv);
    auto* per_unit = cmd->add_flag("--per-unit", args->per_unit,
                                   "One row per unit with its counts, shares and local indices (joinable by the units' id "
                                   "field): CSV, or -o FILE.gpkg / .geojson with the geometry");
    per_unit->excludes(json);
    per_unit->excludes(csv);
    cmd->add_option("-o,--output", args->output, "Write to this file instead of standard output");
    cmd->add_option("--threads", args->threads, "Worker threads (0 = all cores; results do not depend on it)");
    cmd->add_option("--by", args->by,
                    "One row per value of this column (e.g. community), computed in parallel; -o FILE.gpkg writes "
                    "a GeoPackage of the parts (docs/postgis.md)");

    auto cargs = std::make_shared<CompareArgs>();
    CLI::App* cmp = cmd->add_subcommand("compare", "Compare an index between two datasets (two-value test, "
                                                   "Shapley decomposition)");
    cmp->add_option("PATH_A", cargs->path_a, "First dataset")->required();
    cmp->add_option("PATH_B", cargs->path_b, "Second dataset")->required();
    cargs->load.offer_groups = false;
    cargs->load.add_to(cmp);
    cmp->add_option("--group", cargs->group, "Count column of the group (single-group index)");
    cmp->add_option("--total", cargs->total, "Total population column");
    cmp->add_option("--groups", cargs->groups, "Count columns (multigroup index)")->delimiter(',');
    cmp->add_option("--index", cargs->index, "Index id, e.g. dissim or multi_dissim")->required();
    auto* null_opt = cmp->add_option("--null", cargs->null,
                                     "random_label, counterfactual_composition, counterfactual_share, "
                                     "counterfactual_dual_composition, bootstrap, person_permutation");
    auto* perm_opt = cmp->add_option("--permutations", cargs->permutations, "Simulations of the test (default 500)");
    cmp->add_option("--seed", cargs->seed, "Random seed");
    cmp->add_flag("--decompose", cargs->decompose, "Shapley decomposition into spatial and attribute parts");
    cmp->add_option("--approach", cargs->approach, "Counterfactual for --decompose: composition, share, dual_composition");
    cmp->add_flag("--json", cargs->json, "Print JSON");
    cmp->add_option("-o,--output", cargs->output, "Write to this file instead of standard output");
    cmp->add_option("--threads", cargs->threads, "Worker threads (0 = all cores)");
    cargs->privacy.add_to(cmp);
    cmp->callback([cargs, null_opt, perm_opt]() {
        run_compare(*cargs, null_opt->count() > 0 || perm_opt->count() > 0);
    });

    cmd->callback([args, cmd, cmp]() {
        if (cmp->parsed()) return;
        if (args->path.empty()) throw CLI::RequiredError("PATH");
        if (args->common.permutations == 0 && cmd->count("--null") > 0)
            throw InputError("--null needs --permutations N");
        Project p = load_for_command(args->path, args->load);
        if (args->per_unit) {
            adopt_groups(p, args->common.groups);
            run_per_unit(p, *args);
            return;
        }
        analysis::SegregationRequest rq;
        rq.group = args->common.group;
        rq.total = args->common.total;
        rq.groups = args->common.groups;
        rq.weights = args->common.weights;
        rq.permutations = args->common.permutations;
        rq.seed = args->common.seed;
        rq.distance = args->distance;
        rq.profile = args->profile;
        rq.profile_ids = args->profile_ids;
        rq.null = args->null;
        rq.test_ids = args->test_ids;
        rq.pairwise = args->pairwise;
        rq.threads = args->threads;
        rq.privacy = args->privacy.policy();
        StderrProgress bar("indices");
        if (!args->by.empty()) {
            if (args->pairwise || !args->profile.empty() || args->common.permutations > 0)
                throw UsageError("--by computes the index values of each part: --pairwise, --profile and "
                                 "--permutations are not available with it");
            // A file without a manifest: its --groups are the project's groups, as `report --by`
            // adopts them, so both read one published table (docs/privacy.md, "Indices from the
            // published table").
            adopt_groups(p, args->common.groups);
            const auto table = analysis::segregation_by(p, args->by, rq, make_progress(bar));
            write_by_table(p, table, args->json, args->csv, args->output, &rq.privacy);
            keep_until_exit(std::move(p));  // a whole district: freed by the exit
            return;
        }
        const auto result = analysis::segregation(p, rq, make_progress(bar));
        const Results& r = *result;
        for (const auto& n : r.notes) print_note(n.en);
        std::string text;
        if (args->json)
            text = to_json(r, *args, rq.privacy).dump(2) + "\n";
        else if (args->csv)
            text = to_csv(r);
        else
            text = to_text(r, rq.privacy);
        // With the guard off every file is stamped (JSON: its "privacy" object).
        if (!rq.privacy.guard && !args->json) text = (args->csv ? "# " : "") + rq.privacy.stamp() + "\n" + text;
        if (args->json)
            write_json_output(args->output, text);
        else if (args->csv)
            write_output(args->output, text);
        else
            write_text_output(args->output, text);
    });
}

const Registrar reg{"indices", 30, &setup};

}  // namespace
}  // namespace hq::cli
