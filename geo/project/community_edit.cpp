// Renaming units, group columns, the roster as one undo step, and the project folder written back.
#include "geo/project/community_edit.hpp"

#include <cpl_json.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "geo/core/error.hpp"
#include "geo/io/writer.hpp"

namespace hq {
namespace {

ErrorContext at(Role role, const std::string& id = {}, const std::string& field = {}) {
    return ErrorContext{{}, role_name(role), {}, id, field};
}

class RenameFeature final : public Command {
public:
    RenameFeature(Project& p, Role r, std::string from, std::string to)
        : m_p(p), m_role(r), m_from(std::move(from)), m_to(std::move(to)) {}
    void apply() override { rename(m_from, m_to, true); }
    void revert() override { rename(m_to, m_from, false); }
    [[nodiscard]] std::string describe() const override { return "Rename " + m_from + " to " + m_to; }

private:
    void rename(const std::string& from, const std::string& to, bool check) {
        Layer* l = m_p.layer(m_role);
        if (!l) throw InputError(at(m_role), "the project has no such layer");
        const auto it = std::find(l->ids.begin(), l->ids.end(), from);
        if (it == l->ids.end()) throw InputError(at(m_role, from), "no such feature");
        if (check) {
            if (to.empty()) throw InputError(at(m_role, from, "id"), "the new id is empty");
            if (to.size() > 64) throw InputError(at(m_role, from, "id"), "the new id is longer than 64 bytes");
            if (std::any_of(to.begin(), to.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
                throw InputError(at(m_role, from, "id"), "the new id holds a control character");
            if (std::find(l->ids.begin(), l->ids.end(), to) != l->ids.end())
                throw InputError(at(m_role, from, "id"), "the id " + to + " is taken");
        }
        const auto i = static_cast<std::size_t>(it - l->ids.begin());
        l->ids[i] = to;
        if (const int j = l->table.field_index(l->id_field); j >= 0) l->table.rows[i][static_cast<std::size_t>(j)] = to;
    }
    Project& m_p;
    Role m_role;
    std::string m_from, m_to;
};

/// Snapshot of what the group edits change: the units layer's table, the groups and count roles.
struct GroupState {
    Table table;
    std::vector<GroupDef> groups;
    std::vector<std::string> count_roles;
};

GroupState snapshot(const Project& p) {
    GroupState s;
    if (const Layer* l = p.layer(Role::Units)) s.table = l->table;
    s.groups = p.groups;
    s.count_roles = p.count_roles;
    return s;
}

void restore(Project& p, const GroupState& s) {
    if (Layer* l = p.layer(Role::Units)) l->table = s.table;
    p.groups = s.groups;
    p.count_roles = s.count_roles;
}

class AddGroupColumn final : public Command {
public:
    AddGroupColumn(Project& p, GroupDef g) : m_p(p), m_group(std::move(g)) {}
    void apply() override {
        Layer* l = m_p.layer(Role::Units);
        if (m_group.column.empty()) throw InputError(at(Role::Units), "a count column needs a name");
        if ((l && l->table.field_index(m_group.column) >= 0) ||
            std::any_of(m_p.groups.begin(), m_p.groups.end(), [&](const GroupDef& g) { return g.column == m_group.column; }))
            throw InputError(at(Role::Units, {}, m_group.column), "the column exists");
        m_before = snapshot(m_p);
        if (l) {
            const std::size_t j = l->table.add_field({m_group.column, FieldType::Integer});
            for (auto& row : l->table.rows) row[j] = std::int64_t{0};
        }
        if (m_group.color.empty()) m_group.color = default_group_colour(m_p.groups.size());
        m_p.groups.push_back(m_group);
        if (std::find(m_p.count_roles.begin(), m_p.count_roles.end(), "units") == m_p.count_roles.end())
            m_p.count_roles.emplace_back("units");
    }
    void revert() override { restore(m_p, m_before); }
    [[nodiscard]] std::string describe() const override { return "Add column " + m_group.column; }

private:
    Project& m_p;
    GroupDef m_group;
    GroupState m_before;
};

class ApplyRoster final : public Command {
public:
    ApplyRoster(Project& p, RosterCounts c) : m_p(p), m_counts(std::move(c)) {}
    void apply() override {
        m_before = snapshot(m_p);
        try {
            apply_roster(m_p, m_counts);
        } catch (...) {
            restore(m_p, m_before);
            throw;
        }
    }
    void revert() override { restore(m_p, m_before); }
    [[nodiscard]] std::string describe() const override {
        return "Import roster " + std::filesystem::path(m_counts.file).filename().string();
    }

private:
    Project& m_p;
    RosterCounts m_counts;
    GroupState m_before;
};

}  // namespace

std::unique_ptr<Command> rename_feature(Project& project, Role role, std::string old_id, std::string new_id) {
    return std::make_unique<RenameFeature>(project, role, std::move(old_id), std::move(new_id));
}
std::unique_ptr<Command> add_group_column(Project& project, GroupDef group) {
    return std::make_unique<AddGroupColumn>(project, std::move(group));
}
std::unique_ptr<Command> apply_roster_step(Project& project, RosterCounts counts) {
    return std::make_unique<ApplyRoster>(project, std::move(counts));
}

void write_project_folder(const std::string& dir, const Project& project) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path root(dir);
    const fs::path manifest = root / "project.json";
    if (fs::exists(root, ec)) {
        if (!fs::is_directory(root, ec)) throw InputError(dir + ": exists and is not a folder");
        if (!fs::exists(manifest, ec) && !fs::is_empty(root, ec))
            throw InputError(dir + ": the folder holds files but no project.json; choose an empty or new folder");
    } else if (!fs::create_directories(root, ec) || ec) {
        throw InputError(dir + ": cannot create the folder (" + ec.message() + ")");
    }
    const Layer* units = project.layer(Role::Units);
    const Layer* boundary = project.layer(Role::Boundary);
    if ((!units || units->size() == 0) && (!boundary || boundary->size() == 0))
        throw InputError(dir + ": a project needs a boundary or at least one unit");

    CPLJSONDocument doc;
    if (fs::exists(manifest, ec) && !doc.Load(manifest.string()))
        throw InputError(manifest.string() + ": cannot be read as JSON");
    CPLJSONObject root_obj = doc.GetRoot();
    auto set = [&](const std::string& key, const auto& value) {
        root_obj.Delete(key);
        root_obj.Add(key, value);
    };
    set("huqian_manifest", 1);
    CPLJSONObject name;
    name.Add("zh", project.name_zh.empty() ? project.name_en : project.name_zh);
    name.Add("en", project.name_en.empty() ? project.name_zh : project.name_en);
    set("name", name);
    if (project.metric_crs.known())
        set("crs", project.metric_crs.epsg > 0 ? "EPSG:" + std::to_string(project.metric_crs.epsg) : project.metric_crs.wkt);
    CPLJSONObject layers;
    if (const CPLJSONObject old = root_obj.GetObj("layers"); old.IsValid())
        for (const CPLJSONObject& l : old.GetChildren())
            if (l.GetName() != "units" && l.GetName() != "boundary") layers.Add(l.GetName(), l);
    auto write = [&](const Layer& l, const char* role, const char* file) {
        WriteOptions wo;
        wo.format = VectorFormat::GeoJSON;
        wo.id_field = l.id_field.empty() ? "id" : l.id_field;
        write_layer(l, (root / file).string(), wo);
        CPLJSONObject e;
        e.Add("path", file);
        e.Add("id", wo.id_field);
        layers.Add(role, e);
    };
    if (boundary && boundary->size() > 0) write(*boundary, "boundary", "boundary.geojson");
    if (units && units->size() > 0) write(*units, "units", "units.geojson");
    set("layers", layers);
    CPLJSONArray roles;
    roles.Add("units");
    set("count_roles", roles);
    CPLJSONArray groups;
    for (const GroupDef& g : project.groups) {
        CPLJSONObject o;
        o.Add("column", g.column);
        if (!g.name_zh.empty()) o.Add("zh", g.name_zh);
        if (!g.name_en.empty()) o.Add("en", g.name_en);
        if (!g.color.empty()) o.Add("color", g.color);
        groups.Add(o);
    }
    set("groups", groups);
    write_file_atomic(manifest.string(), doc.SaveAsString());
}

}  // namespace hq
