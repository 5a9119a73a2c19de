#include "geo/analysis/by.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/privacy/tables.hpp"

namespace hq::analysis {

namespace {

/// A non-negative integer without leading zeros ("0", "17"): ordered by length, then text.
bool is_plain_number(const std::string& s) {
    if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<ByPart> split_by(const Project& project, const std::string& column) {
    const Layer* l = project.analysis_layer();
    if (!l) throw InputError(ErrorContext{project.path}, "the project has no layer to analyse");
    const int j = l->table.field_index(column);
    if (j < 0)
        throw InputError(ErrorContext{l->path(), l->name(), {}, {}, column}, "--by: no such column in the analysis layer");
    std::map<std::string, ByPart> parts;
    for (std::size_t i = 0; i < l->size(); ++i) {
        const std::string key = value_to_string(l->table.rows[i][static_cast<std::size_t>(j)]);
        if (key.empty())
            throw InputError(ErrorContext{l->path(), l->name(), i, l->ids[i], column}, "--by: the value is empty");
        ByPart& p = parts[key];
        p.key = key;
        p.rows.push_back(i);
    }
    // Within a part, the units in order of their ids (numbers by value, then text), not in
    // the order the source returned them: sums then add in the same order from a database
    // and from a file, so both give bit-identical values.
    const auto id_less = [&](std::size_t a, std::size_t b) {
        const std::string& x = l->ids[a];
        const std::string& y = l->ids[b];
        const bool nx = is_plain_number(x), ny = is_plain_number(y);
        if (nx != ny) return nx;
        if (nx && x.size() != y.size()) return x.size() < y.size();
        return x != y ? x < y : a < b;
    };
    std::vector<ByPart> out;
    out.reserve(parts.size());
    for (auto& [k, p] : parts) {
        std::sort(p.rows.begin(), p.rows.end(), id_less);
        out.push_back(std::move(p));
    }
    return out;
}

Project part_project(const Project& project, const ByPart& part) {
    const Layer* l = project.analysis_layer();
    Project p;
    p.path = project.path;
    p.name_zh = project.name_zh;
    p.name_en = project.name_en;
    p.illustrative = project.illustrative;
    p.source_zh = project.source_zh;
    p.source_en = project.source_en;
    p.groups = project.groups;
    p.count_roles = project.count_roles;
    p.metric_crs = project.metric_crs;
    p.planar = project.planar;
    Role role = Role::Units;
    for (const auto& e : project.layers)
        if (&e.layer == l) role = e.role;
    p.layers.push_back({role, layer_rows(*l, part.rows)});
    return p;
}

Layer layer_rows(const Layer& l, const std::vector<std::size_t>& rows) {
    Layer sub;
    sub.table.name = l.table.name;
    sub.table.path = l.table.path;
    sub.table.fields = l.table.fields;
    sub.id_field = l.id_field;
    sub.source_crs = l.source_crs;
    sub.geom_type = l.geom_type;
    sub.planar = l.planar;
    for (std::size_t i : rows) {
        sub.ids.push_back(l.ids[i]);
        sub.table.rows.push_back(l.table.rows[i]);
        if (l.has_geometry()) {
            sub.display.push_back(l.display[i]);
            sub.metric.push_back(l.metric[i]);
        }
    }
    return sub;
}

namespace {

/// What one part's analysis gives: named values and notes.
struct PartValues {
    std::vector<std::pair<std::string, double>> values;
    std::vector<Note> notes;
    std::optional<Note> suppressed;  ///< withheld by the privacy guard: why (values NaN)
};

/// Runs `analyse` on every part in parallel and gathers one row per part: the value
/// columns in order of first appearance, each note once.
ByTable run_by(const Project& project, const std::string& column, unsigned threads, const Progress& progress,
               const std::function<PartValues(const Project&, const ByPart&)>& analyse) {
    const std::vector<ByPart> parts = split_by(project, column);
    std::vector<PartValues> results(parts.size());
    std::vector<std::string> errors(parts.size());
    parallel_for(
        parts.size(),
        [&](std::size_t k) {
            try {
                results[k] = analyse(part_project(project, parts[k]), parts[k]);
            } catch (const InputError& e) {
                errors[k] = e.bare_message();
            }
        },
        progress, threads, 1);
    // A request that fails the same way for every part is the request's fault: one error.
    if (!parts.empty() && std::all_of(errors.begin(), errors.end(), [&](const std::string& e) {
            return !e.empty() && e == errors.front();
        }))
        throw InputError(errors.front());
    ByTable t;
    t.column = column;
    std::map<std::string, std::size_t> index;
    std::map<std::string, std::pair<Note, std::size_t>> notes;
    for (const auto& r : results) {
        for (const auto& [name, v] : r.values)
            if (index.emplace(name, t.value_names.size()).second) t.value_names.push_back(name);
        for (const auto& n : r.notes) {
            auto [it, added] = notes.emplace(n.en, std::pair{n, 0});
            ++it->second.second;
        }
    }
    for (std::size_t k = 0; k < parts.size(); ++k) {
        ByTable::Row row;
        row.key = parts[k].key;
        row.units = parts[k].rows.size();
        row.values.assign(t.value_names.size(), std::nan(""));
        for (const auto& [name, v] : results[k].values) row.values[index[name]] = v;
        row.error = errors[k];
        if (results[k].suppressed) {
            row.suppressed = true;
            row.reason = *results[k].suppressed;
            std::fill(row.values.begin(), row.values.end(), std::nan(""));
        }
        t.rows.push_back(std::move(row));
    }
    for (auto& [en, nk] : notes) {
        Note n = nk.first;
        const std::string count = std::to_string(nk.second);
        n.zh += "（" + count + "/" + std::to_string(parts.size()) + " 个部分）";
        n.en += " (" + count + " of " + std::to_string(parts.size()) + " parts)";
        t.notes.push_back(std::move(n));
    }
    return t;
}

}  // namespace

ByTable segregation_by(const Project& project, const std::string& column, SegregationRequest request,
                       const Progress& progress) {
    const unsigned threads = request.threads;
    request.threads = 1;
    request.local = false;
    request.permutations = 0;
    request.pairwise = false;
    request.profile.clear();
    request.layer = nullptr;
    // The guard: each part reads the whole project's published estimate, its rows of it (a
    // part protected anew could publish cells the whole table withholds; docs/privacy.md,
    // "Indices from the published table").
    const std::shared_ptr<const privacy::PublishedEstimate> whole =
        project.analysis_layer() ? published_counts_estimate(project, project.analysis_layer(), request.privacy) : nullptr;
    return run_by(project, column, threads, progress, [&](const Project& sub, const ByPart& part) {
        SegregationRequest rq = request;
        if (whole) rq.published = std::make_shared<const privacy::PublishedEstimate>(privacy::estimate_rows(*whole, part.rows));
        const auto r = segregation(sub, rq);
        PartValues v;
        for (const auto& x : r->single) v.values.emplace_back(x.id, x.value);
        for (const auto& x : r->multi) v.values.emplace_back(x.id, x.value);
        v.notes = r->notes;
        return v;
    });
}

ByTable autocorrelation_by(const Project& project, const std::string& column, AutocorrRequest request,
                           unsigned threads, const Progress& progress) {
    request.statistics = {"moran", "geary"};
    request.bivariate.reset();
    request.layer = nullptr;
    // The guard: the table the reader holds is the whole project's (info, the report), so
    // each part's units enter by its rows of that table (docs/privacy.md, "LISA").
    const std::shared_ptr<const privacy::ProtectedTable> whole = published_units_table(project, request);
    return run_by(project, column, threads, progress, [&](const Project& sub, const ByPart& part) {
        AutocorrRequest rq = request;
        if (whole) rq.published = std::make_shared<const privacy::ProtectedTable>(privacy::table_rows(*whole, part.rows));
        const auto r = autocorrelation(sub, rq);
        PartValues v;
        v.suppressed = r->suppressed;  // its values below are NaN (run_by makes sure)
        const double nan = std::nan("");
        const bool perms = request.permutations > 0;
        v.values = {{"moran_i", r->moran ? r->moran->I : nan},
                    {"moran_p_randomisation", r->moran ? r->moran->p_randomisation : nan},
                    {"moran_p_permutation", r->moran && perms ? r->moran->p_permutation : nan},
                    {"geary_c", r->geary ? r->geary->C : nan},
                    {"geary_p_randomisation", r->geary ? r->geary->p_randomisation : nan},
                    {"geary_p_permutation", r->geary && perms ? r->geary->p_permutation : nan},
                    {"weights_islands", static_cast<double>(r->weights.islands)}};
        v.notes = r->notes;
        return v;
    });
}

}  // namespace hq::analysis
