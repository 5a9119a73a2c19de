#include "geo/analysis/by.hpp"

#include <algorithm>
#include <map>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"

namespace hq::analysis {

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
    std::vector<ByPart> out;
    out.reserve(parts.size());
    for (auto& [k, p] : parts) out.push_back(std::move(p));
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
    Layer sub;
    sub.table.name = l->table.name;
    sub.table.path = l->table.path;
    sub.table.fields = l->table.fields;
    sub.id_field = l->id_field;
    sub.source_crs = l->source_crs;
    sub.geom_type = l->geom_type;
    sub.planar = l->planar;
    for (std::size_t i : part.rows) {
        sub.ids.push_back(l->ids[i]);
        sub.table.rows.push_back(l->table.rows[i]);
        if (l->has_geometry()) {
            sub.display.push_back(l->display[i]);
            sub.metric.push_back(l->metric[i]);
        }
    }
    p.layers.push_back({role, std::move(sub)});
    return p;
}

std::vector<ByRow> segregation_by(const Project& project, const std::string& column, SegregationRequest request,
                                  const Progress& progress) {
    const std::vector<ByPart> parts = split_by(project, column);
    const unsigned threads = request.threads;
    request.threads = 1;
    request.local = false;
    request.permutations = 0;
    request.pairwise = false;
    request.profile.clear();
    request.layer = nullptr;
    std::vector<ByRow> rows(parts.size());
    parallel_for(
        parts.size(),
        [&](std::size_t k) {
            ByRow& r = rows[k];
            r.key = parts[k].key;
            r.units = parts[k].rows.size();
            try {
                const Project sub = part_project(project, parts[k]);
                r.result = segregation(sub, request);
            } catch (const InputError& e) {
                r.error = e.bare_message();
            }
        },
        progress, threads, 1);
    // A request that fails the same way for every part is the request's fault: one error.
    const bool all_failed = !rows.empty() && std::all_of(rows.begin(), rows.end(), [&](const ByRow& r) {
        return !r.result && r.error == rows.front().error;
    });
    if (all_failed) throw InputError(rows.front().error);
    return rows;
}

}  // namespace hq::analysis
