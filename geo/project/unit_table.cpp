// Units digitised from nothing: undoable edits and the project folder they are written as.
#include "geo/project/unit_table.hpp"

#include <cpl_json.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "geo/core/error.hpp"
#include "geo/io/writer.hpp"

namespace hq {

int UnitTable::find(const std::string& id) const {
    for (std::size_t i = 0; i < attr.ids.size(); ++i)
        if (attr.ids[i] == id) return static_cast<int>(i);
    return -1;
}

int UnitTable::column(const std::string& name) const {
    for (std::size_t j = 0; j < attr.columns.size(); ++j)
        if (attr.columns[j] == name) return static_cast<int>(j);
    return -1;
}

std::string UnitTable::next_id(const std::string& prefix) const {
    for (std::size_t n = size() + 1;; ++n) {
        std::string id = prefix + std::to_string(n);
        if (find(id) < 0) return id;
    }
}

namespace {

void check_shape(const UnitAttributes& a, std::size_t units) {
    if (a.ids.size() != units || a.counts.size() != units)
        throw InputError("unit table: " + std::to_string(a.ids.size()) + " ids for " + std::to_string(units) + " units");
    for (const auto& row : a.counts)
        if (row.size() != a.columns.size())
            throw InputError("unit table: a row has " + std::to_string(row.size()) + " counts for " +
                             std::to_string(a.columns.size()) + " columns");
}

class AddUnit final : public Command {
public:
    AddUnit(UnitTable& t, std::size_t index, std::string id, Geometry g)
        : m_t(t), m_index(index), m_id(std::move(id)), m_geometry(std::move(g)) {}
    void apply() override {
        if (m_index > m_t.size()) throw InputError("unit table: index " + std::to_string(m_index) + " out of range");
        if (m_t.find(m_id) >= 0) throw InputError("unit table: id \"" + m_id + "\" exists");
        if (m_t.size() >= kMaxUnits) throw InputError("unit table: more than " + std::to_string(kMaxUnits) + " units");
        const auto at = static_cast<std::ptrdiff_t>(m_index);
        m_t.attr.ids.insert(m_t.attr.ids.begin() + at, m_id);
        m_t.attr.counts.insert(m_t.attr.counts.begin() + at, std::vector<std::int64_t>(m_t.attr.columns.size(), 0));
        m_t.geometry.insert(m_t.geometry.begin() + at, m_geometry);
    }
    void revert() override {
        const auto at = static_cast<std::ptrdiff_t>(m_index);
        m_t.attr.ids.erase(m_t.attr.ids.begin() + at);
        m_t.attr.counts.erase(m_t.attr.counts.begin() + at);
        m_t.geometry.erase(m_t.geometry.begin() + at);
    }
    [[nodiscard]] std::string describe() const override { return "Add unit " + m_id; }

private:
    UnitTable& m_t;
    std::size_t m_index;
    std::string m_id;
    Geometry m_geometry;
};

class DeleteUnit final : public Command {
public:
    DeleteUnit(UnitTable& t, std::size_t index) : m_t(t), m_index(index) {}
    void apply() override {
        if (m_index >= m_t.size()) throw InputError("unit table: index " + std::to_string(m_index) + " out of range");
        const auto at = static_cast<std::ptrdiff_t>(m_index);
        m_id = m_t.attr.ids[m_index];
        m_counts = m_t.attr.counts[m_index];
        m_geometry = m_t.geometry[m_index];
        m_t.attr.ids.erase(m_t.attr.ids.begin() + at);
        m_t.attr.counts.erase(m_t.attr.counts.begin() + at);
        m_t.geometry.erase(m_t.geometry.begin() + at);
    }
    void revert() override {
        const auto at = static_cast<std::ptrdiff_t>(m_index);
        m_t.attr.ids.insert(m_t.attr.ids.begin() + at, m_id);
        m_t.attr.counts.insert(m_t.attr.counts.begin() + at, m_counts);
        m_t.geometry.insert(m_t.geometry.begin() + at, m_geometry);
    }
    [[nodiscard]] std::string describe() const override { return "Delete unit " + m_id; }

private:
    UnitTable& m_t;
    std::size_t m_index;
    std::string m_id;
    std::vector<std::int64_t> m_counts;
    Geometry m_geometry;
};

class SetUnitGeometry final : public Command {
public:
    SetUnitGeometry(UnitTable& t, std::size_t index, Geometry g, std::string description)
        : m_t(t), m_index(index), m_after(std::move(g)), m_description(std::move(description)) {}
    void apply() override {
        if (m_index >= m_t.size()) throw InputError("unit table: index " + std::to_string(m_index) + " out of range");
        m_before = m_t.geometry[m_index];
        m_t.geometry[m_index] = m_after;
    }
    void revert() override { m_t.geometry[m_index] = m_before; }
    [[nodiscard]] std::string describe() const override { return m_description; }

private:
    UnitTable& m_t;
    std::size_t m_index;
    Geometry m_before, m_after;
    std::string m_description;
};

class SetUnitAttributes final : public Command {
public:
    SetUnitAttributes(UnitTable& t, UnitAttributes after, std::string description)
        : m_t(t), m_after(std::move(after)), m_description(std::move(description)) {}
    void apply() override {
        check_shape(m_after, m_t.size());
        if (m_after.columns.size() > kMaxUnitColumns)
            throw InputError("unit table: more than " + std::to_string(kMaxUnitColumns) + " count columns");
        m_before = m_t.attr;
        m_t.attr = m_after;
    }
    void revert() override { m_t.attr = m_before; }
    [[nodiscard]] std::string describe() const override { return m_description; }

private:
    UnitTable& m_t;
    UnitAttributes m_before, m_after;
    std::string m_description;
};

}  // namespace

std::unique_ptr<Command> add_unit(UnitTable& t, std::size_t index, std::string id, Geometry g) {
    return std::make_unique<AddUnit>(t, index, std::move(id), std::move(g));
}
std::unique_ptr<Command> delete_unit(UnitTable& t, std::size_t index) { return std::make_unique<DeleteUnit>(t, index); }
std::unique_ptr<Command> set_unit_geometry(UnitTable& t, std::size_t index, Geometry g, std::string description) {
    return std::make_unique<SetUnitGeometry>(t, index, std::move(g), std::move(description));
}
std::unique_ptr<Command> set_unit_attributes(UnitTable& t, UnitAttributes after, std::string description) {
    return std::make_unique<SetUnitAttributes>(t, std::move(after), std::move(description));
}

UnitTable unit_table_from_layer(const Layer& layer, const std::vector<std::string>& columns) {
    UnitTable t;
    t.attr.ids = layer.ids;
    t.geometry = layer.metric;
    t.attr.columns = columns;
    t.attr.counts.assign(layer.size(), std::vector<std::int64_t>(columns.size(), 0));
    for (std::size_t j = 0; j < columns.size(); ++j) {
        if (layer.table.field_index(columns[j]) < 0) continue;
        const std::vector<double> c = read_counts(layer, columns[j]);
        for (std::size_t i = 0; i < c.size(); ++i) t.attr.counts[i][j] = static_cast<std::int64_t>(c[i]);
    }
    return t;
}

Layer unit_table_layer(const UnitTable& t, const Crs& metric, const std::string& name) {
    check_shape(t.attr, t.geometry.size());
    Layer l;
    l.table.name = name;
    l.table.fields.push_back({"id", FieldType::String});
    for (const std::string& c : t.attr.columns) l.table.fields.push_back({c, FieldType::Integer});
    l.ids = t.attr.ids;
    l.id_field = "id";
    l.metric = t.geometry;
    l.display = t.geometry;
    l.source_crs = metric;
    l.geom_type = GeomType::Polygon;
    for (const Geometry& g : t.geometry)
        if (g.type == GeomType::MultiPolygon) l.geom_type = GeomType::MultiPolygon;
    if (metric.known()) {
        const Transformer to_wgs(metric, Crs::wgs84());
        for (Geometry& g : l.display) to_wgs.apply(g);
    } else {
        l.planar = true;
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
        std::vector<Value> row;
        row.emplace_back(t.attr.ids[i]);
        for (std::int64_t n : t.attr.counts[i]) row.emplace_back(n);
        l.table.rows.push_back(std::move(row));
    }
    return l;
}

void write_community_folder(const std::string& dir, const CommunitySpec& spec, const UnitTable& units) {
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
    const std::string metric_id = spec.metric.epsg > 0 ? "EPSG:" + std::to_string(spec.metric.epsg) : spec.metric.wkt;
    if (!spec.metric.projected_in_metres())
        throw InputError(dir + ": the project CRS " + spec.metric.label() + " is not projected in metres");

    // An existing manifest keeps its other keys and layers (venues, streets...); the units,
    // boundary, groups, count roles, name and CRS are the editor's.
    CPLJSONDocument doc;
    const bool existing = fs::exists(manifest, ec);
    if (existing && !doc.Load(manifest.string())) throw InputError(manifest.string() + ": cannot be read as JSON");
    CPLJSONObject root_obj = doc.GetRoot();
    root_obj.Delete("huqian_manifest");
    root_obj.Add("huqian_manifest", 1);
    CPLJSONObject name;
    name.Add("zh", spec.name_zh.empty() ? spec.name_en : spec.name_zh);
    name.Add("en", spec.name_en.empty() ? spec.name_zh : spec.name_en);
    root_obj.Delete("name");
    root_obj.Add("name", name);
    root_obj.Delete("crs");
    root_obj.Add("crs", metric_id);
    CPLJSONObject old_layers = root_obj.GetObj("layers");
    const CPLJSONArray old_groups = root_obj.GetArray("groups");
    CPLJSONObject layers;
    if (old_layers.IsValid())
        for (const CPLJSONObject& l : old_layers.GetChildren())
            if (l.GetName() != "units" && l.GetName() != "boundary") layers.Add(l.GetName(), l);
    WriteOptions wo;
    wo.geometry = GeometrySource::Metric;
    wo.metric_crs = spec.metric;
    if (spec.boundary) {
        UnitTable b;
        b.attr.ids = {"boundary"};
        b.attr.counts = {{}};
        b.geometry = {*spec.boundary};
        Layer bl = unit_table_layer(b, spec.metric, "boundary");
        wo.layer_name = "boundary";
        write_layer(bl, (root / "boundary.gpkg").string(), wo);
        CPLJSONObject e;
        e.Add("path", "boundary.gpkg");
        layers.Add("boundary", e);
    }
    if (units.size() > 0) {
        Layer ul = unit_table_layer(units, spec.metric, "units");
        wo.layer_name = "units";
        write_layer(ul, (root / "units.gpkg").string(), wo);
        CPLJSONObject e;
        e.Add("path", "units.gpkg");
        e.Add("id", "id");
        layers.Add("units", e);
    }
    if (!spec.boundary && units.size() == 0)
        throw InputError(dir + ": a project needs a boundary or at least one unit");
    root_obj.Delete("layers");
    root_obj.Add("layers", layers);
    root_obj.Delete("count_roles");
    CPLJSONArray roles;
    roles.Add("units");
    root_obj.Add("count_roles", roles);
    CPLJSONArray groups;
    if (units.size() > 0) {
        for (const std::string& c : units.attr.columns) {
            CPLJSONObject g;
            g.Add("column", c);
            if (old_groups.IsValid())  // names and colour of the old manifest (no registered/temporary split)
                for (int k = 0; k < old_groups.Size(); ++k)
                    if (old_groups[k].GetString("column") == c)
                        for (const char* key : {"zh", "en", "color"})
                            if (!old_groups[k].GetString(key).empty()) g.Add(key, old_groups[k].GetString(key));
            for (const GroupDef& d : spec.groups)
                if (d.column == c) {
                    for (const char* key : {"zh", "en", "color"}) g.Delete(key);
                    if (!d.name_zh.empty()) g.Add("zh", d.name_zh);
                    if (!d.name_en.empty()) g.Add("en", d.name_en);
                    if (!d.color.empty()) g.Add("color", d.color);
                }
            groups.Add(g);
        }
    }
    root_obj.Delete("groups");
    root_obj.Add("groups", groups);
    write_file_atomic(manifest.string(), doc.SaveAsString());
}

}  // namespace hq
