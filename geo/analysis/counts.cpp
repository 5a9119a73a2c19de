#include "geo/analysis/counts.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>

#include "geo/core/error.hpp"
#include "geo/core/text.hpp"
#include "geo/io/layer.hpp"

namespace hq::analysis {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

const Layer* units_layer(const Project& project) {
    if (const Layer* l = project.layer(Role::Units)) return l;
    return project.analysis_layer();
}

std::vector<std::size_t> GroupCountTable::with_residents() const {
    std::vector<std::size_t> kept;
    for (std::size_t g = 0; g < group_totals.size(); ++g)
        if (group_totals[g] > 0) kept.push_back(g);
    return kept;
}

seg::CountMatrix GroupCountTable::matrix(const std::vector<std::size_t>& groups) const {
    seg::CountMatrix m;
    m.units = totals.size();
    m.groups = groups.size();
    m.data.resize(m.units * m.groups);
    for (std::size_t i = 0; i < m.units; ++i)
        for (std::size_t k = 0; k < groups.size(); ++k) m.data[i * groups.size() + k] = counts[groups[k]][i];
    for (std::size_t g : groups) m.names.push_back(columns[g]);
    if (layer) m.where = ErrorContext{.file = layer->path(), .layer = layer->name()};
    return m;
}

seg::GroupCounts GroupCountTable::group_vs_total(std::size_t g) const {
    seg::GroupCounts c;
    c.group = counts[g];
    c.total = totals;
    c.group_name = columns[g];
    c.total_name = "sum of the project's groups";
    if (layer) c.where = ErrorContext{.file = layer->path(), .layer = layer->name()};
    return c;
}

std::vector<double> GroupCountTable::share(std::size_t g) const {
    std::vector<double> s(totals.size(), 0.0);
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = totals[i] > 0 ? counts[g][i] / totals[i] : 0.0;
    return s;
}

std::shared_ptr<const GroupCountTable> group_count_table(const Project& project, const Layer* layer) {
    auto t = std::make_shared<GroupCountTable>();
    t->layer = layer ? layer : units_layer(project);
    if (!t->layer) return t;
    const std::size_t n = t->layer->size();
    t->totals.assign(n, 0.0);
    for (const auto& g : project.groups) {
        t->columns.push_back(g.column);
        std::vector<double> v = read_counts(*t->layer, g.column);
        for (std::size_t i = 0; i < n; ++i) t->totals[i] += v[i];
        t->group_totals.push_back(std::accumulate(v.begin(), v.end(), 0.0));
        t->counts.push_back(std::move(v));
    }
    t->total = std::accumulate(t->group_totals.begin(), t->group_totals.end(), 0.0);
    return t;
}

std::vector<GroupSplitTotal> group_split_totals(const Project& project, const Layer* layer) {
    const auto table = group_count_table(project, layer);
    std::vector<GroupSplitTotal> out;
    if (!table->layer) return out;
    auto sum = [&](const std::string& column) {
        const std::vector<double> v = read_counts(*table->layer, column);
        return std::accumulate(v.begin(), v.end(), 0.0);
    };
    for (std::size_t g = 0; g < project.groups.size(); ++g) {
        const GroupDef& d = project.groups[g];
        GroupSplitTotal t;
        t.total = table->group_totals[g];
        if (!d.registered_column.empty()) t.registered = sum(d.registered_column);
        if (!d.temporary_column.empty()) t.temporary = sum(d.temporary_column);
        out.push_back(t);
    }
    return out;
}

int find_group_index(const Project& project, const std::string& name) {
    const auto& gs = project.groups;
    for (std::size_t g = 0; g < gs.size(); ++g)
        if (gs[g].column == name) return static_cast<int>(g);
    const std::string l = lower(name);
    for (std::size_t g = 0; g < gs.size(); ++g)
        if (lower(gs[g].name_en) == l || gs[g].name_zh == name || lower(gs[g].column) == l) return static_cast<int>(g);
    // "tibetan" for "pop_tibetan"
    for (std::size_t g = 0; g < gs.size(); ++g) {
        const std::string c = lower(gs[g].column);
        if (c.size() > l.size() && c.compare(c.size() - l.size(), l.size(), l) == 0 && c[c.size() - l.size() - 1] == '_')
            return static_cast<int>(g);
    }
    return -1;
}

const GroupDef& find_group(const Project& project, const std::string& name) {
    const int g = find_group_index(project, name);
    if (g >= 0) return project.groups[static_cast<std::size_t>(g)];
    std::string list;
    for (const auto& d : project.groups) list += (list.empty() ? "" : ", ") + d.column + " (" + d.name_en + ")";
    throw InputError("unknown group \"" + name + "\"; the project's groups are: " + (list.empty() ? "none" : list));
}

void refuse_split_column(const Project& project, const std::string& column, const std::string& option,
                         const privacy::DisclosurePolicy& policy) {
    if (!policy.guard || column.empty()) return;
    for (const auto& g : project.groups)
        if (column == g.registered_column || column == g.temporary_column)
            throw InputError(option + " " + printable(column) + "：" + g.name_zh + "的" +
                             (column == g.registered_column ? "常住" : "暂住") +
                             "人口计数列，各单元的值不公开（隐私保护） / " + option + " " + printable(column) +
                             " is the " + (column == g.registered_column ? "registered" : "temporary") +
                             " count of group " + g.name_en +
                             ", whose per-unit values are never published (privacy guard; the data owner may pass "
                             "--no-privacy-guard)");
}

std::string resolve_count_column(const Project& project, const Layer& layer, const std::string& name) {
    if (layer.table.field_index(name) >= 0) return name;
    for (const auto& g : project.groups)
        if (g.name_en == name || g.name_zh == name) return g.column;
    return name;
}

}  // namespace hq::analysis
