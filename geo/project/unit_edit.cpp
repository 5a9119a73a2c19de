#include "geo/project/unit_edit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <utility>

#include "geo/crs/crs.hpp"
#include "geo/project/roster.hpp"

namespace hq {

namespace {

ErrorContext where(Role role, std::optional<std::size_t> i = {}, std::string id = {}, std::string field = {}) {
    return ErrorContext{{}, role_name(role), i, std::move(id), std::move(field)};
}

Layer& require_layer(Project& p, Role role) {
    Layer* l = p.layer(role);
    if (!l) throw InputError(where(role), "the project has no such layer");
    return *l;
}

std::size_t require_feature(const Layer& l, Role role, const std::string& id) {
    const auto it = std::find(l.ids.begin(), l.ids.end(), id);
    if (it == l.ids.end()) throw InputError(where(role, {}, id), "no such feature");
    return static_cast<std::size_t>(it - l.ids.begin());
}

bool count_column(const Project& p, Role role, const std::string& field) {
    if (std::find(p.count_roles.begin(), p.count_roles.end(), role_name(role)) == p.count_roles.end()) return false;
    return std::any_of(p.groups.begin(), p.groups.end(), [&](const GroupDef& g) {
        return g.column == field || g.registered_column == field || g.temporary_column == field;
    });
}

void check_geometry(const Geometry& g, Role role, const std::string& id) {
    const bool ok = role == Role::Venues     ? g.is_point()
                    : role == Role::Streets  ? g.is_line()
                    : role == Role::Units    ? g.is_polygonal() || g.type == GeomType::Point
                                             : g.is_polygonal();
    if (!ok || g.empty())
        throw InputError(where(role, {}, id), std::string("a ") + geom_type_name(g.type) + " geometry does not suit the " +
                                                  role_name(role) + " layer");
}

Geometry to_display(const Project& p, Geometry g) {
    if (p.planar || !p.metric_crs.known()) return g;
    Transformer(p.metric_crs, Crs::wgs84()).apply(g);
    return g;
}

/// The layer's type after adding a feature of type t (Polygon and MultiPolygon mix as Polygon).
GeomType layer_type(GeomType t) {
    if (t == GeomType::MultiPolygon) return GeomType::Polygon;
    if (t == GeomType::MultiLineString) return GeomType::LineString;
    if (t == GeomType::MultiPoint) return GeomType::Point;
    return t;
}

class AddFeature : public Command {
public:
    AddFeature(Project& p, Role r, std::string id, Geometry g) : m_p(p), m_role(r), m_id(std::move(id)), m_metric(std::move(g)) {}
    void apply() override {
        if (m_id.empty()) throw InputError(where(m_role), "a feature needs an id");
        check_geometry(m_metric, m_role, m_id);
        Geometry display = to_display(m_p, m_metric);
        m_created = m_p.layer(m_role) == nullptr;
        if (m_created) {
            Layer l;
            l.table.name = role_name(m_role);
            l.id_field = "id";
            l.source_crs = m_p.metric_crs;
            l.planar = m_p.planar;
            l.geom_type = layer_type(m_metric.type);
            m_p.layers.push_back({m_role, std::move(l)});
        }
        Layer& l = *m_p.layer(m_role);
        if (std::find(l.ids.begin(), l.ids.end(), m_id) != l.ids.end()) {
            if (m_created) m_p.layers.pop_back();
            throw InputError(where(m_role, {}, m_id), "the id is taken");
        }
        if (!m_created && l.size() > 0 && layer_type(m_metric.type) != l.geom_type) {
            throw InputError(where(m_role, {}, m_id), std::string("the layer has ") + geom_type_name(l.geom_type) +
                                                          " features: a " + geom_type_name(m_metric.type) + " does not fit");
        }
        m_type_before = l.geom_type;
        if (l.size() == 0) l.geom_type = layer_type(m_metric.type);
        std::vector<Value> row(l.table.fields.size());
        for (std::size_t j = 0; j < row.size(); ++j) {
            if (l.table.fields[j].name == l.id_field) row[j] = m_id;
            else if (count_column(m_p, m_role, l.table.fields[j].name)) row[j] = std::int64_t{0};
        }
        l.ids.push_back(m_id);
        l.metric.push_back(m_metric);
        l.display.push_back(std::move(display));
        l.table.rows.push_back(std::move(row));
    }
    void revert() override {
        if (m_created) {
            m_p.layers.erase(std::find_if(m_p.layers.begin(), m_p.layers.end(), [&](const LayerEntry& e) { return e.role == m_role; }));
            return;
        }
        Layer& l = require_layer(m_p, m_role);
        const std::size_t i = require_feature(l, m_role, m_id);
        l.ids.erase(l.ids.begin() + static_cast<std::ptrdiff_t>(i));
        l.metric.erase(l.metric.begin() + static_cast<std::ptrdiff_t>(i));
        l.display.erase(l.display.begin() + static_cast<std::ptrdiff_t>(i));
        l.table.rows.erase(l.table.rows.begin() + static_cast<std::ptrdiff_t>(i));
        l.geom_type = m_type_before;
    }
    [[nodiscard]] std::string describe() const override { return std::string("Add ") + role_name(m_role) + " " + m_id; }

private:
    Project& m_p;
    Role m_role;
    std::string m_id;
    Geometry m_metric;
    bool m_created = false;
    GeomType m_type_before = GeomType::None;
};

class DeleteFeature : public Command {
public:
    DeleteFeature(Project& p, Role r, std::string id) : m_p(p), m_role(r), m_id(std::move(id)) {}
    void apply() override {
        Layer& l = require_layer(m_p, m_role);
        m_index = require_feature(l, m_role, m_id);
        const auto at = static_cast<std::ptrdiff_t>(m_index);
        m_metric = l.metric[m_index];
        m_display = l.display[m_index];
        m_row = l.table.rows[m_index];
        l.ids.erase(l.ids.begin() + at);
        l.metric.erase(l.metric.begin() + at);
        l.display.erase(l.display.begin() + at);
        l.table.rows.erase(l.table.rows.begin() + at);
    }
    void revert() override {
        Layer& l = require_layer(m_p, m_role);
        const auto at = static_cast<std::ptrdiff_t>(std::min(m_index, l.size()));
        l.ids.insert(l.ids.begin() + at, m_id);
        l.metric.insert(l.metric.begin() + at, m_metric);
        l.display.insert(l.display.begin() + at, m_display);
        l.table.rows.insert(l.table.rows.begin() + at, m_row);
    }
    [[nodiscard]] std::string describe() const override { return std::string("Delete ") + role_name(m_role) + " " + m_id; }

private:
    Project& m_p;
    Role m_role;
    std::string m_id;
    std::size_t m_index = 0;
    Geometry m_metric, m_display;
    std::vector<Value> m_row;
};

class SetFeatureGeometry : public Command {
public:
    SetFeatureGeometry(Project& p, Role r, std::string id, Geometry g, std::string desc)
        : m_p(p), m_role(r), m_id(std::move(id)), m_after(std::move(g)), m_desc(std::move(desc)) {}
    void apply() override {
        check_geometry(m_after, m_role, m_id);
        Layer& l = require_layer(m_p, m_role);
        const std::size_t i = require_feature(l, m_role, m_id);
        if (layer_type(m_after.type) != l.geom_type)
            throw InputError(where(m_role, i, m_id), std::string("the layer has ") + geom_type_name(l.geom_type) + " features");
        Geometry d = to_display(m_p, m_after);
        m_before = l.metric[i];
        m_before_display = l.display[i];
        l.metric[i] = m_after;
        l.display[i] = std::move(d);
    }
    void revert() override {
        Layer& l = require_layer(m_p, m_role);
        const std::size_t i = require_feature(l, m_role, m_id);
        l.metric[i] = m_before;
        l.display[i] = m_before_display;
    }
    [[nodiscard]] std::string describe() const override { return m_desc + " (" + m_id + ")"; }

private:
    Project& m_p;
    Role m_role;
    std::string m_id;
    Geometry m_after, m_before, m_before_display;
    std::string m_desc;
};

class SetCell : public Command {
public:
    SetCell(Project& p, Role r, std::string id, std::string field, Value v)
        : m_p(p), m_role(r), m_id(std::move(id)), m_field(std::move(field)), m_after(std::move(v)) {}
    void apply() override { m_before = std::exchange(cell(), m_after); }
    void revert() override { cell() = m_before; }
    [[nodiscard]] std::string describe() const override { return "Edit " + m_field + " of " + m_id; }

private:
    Value& cell() {
        Layer& l = require_layer(m_p, m_role);
        const std::size_t i = require_feature(l, m_role, m_id);
        const int j = l.table.field_index(m_field);
        if (j < 0) throw InputError(where(m_role, i, m_id, m_field), "no such column");
        return l.table.rows[i][static_cast<std::size_t>(j)];
    }
    Project& m_p;
    Role m_role;
    std::string m_id, m_field;
    Value m_after, m_before;
};

class AddColumn : public Command {
public:
    AddColumn(Project& p, Role r, Field f) : m_p(p), m_role(r), m_field(std::move(f)) {}
    void apply() override {
        Layer& l = require_layer(m_p, m_role);
        if (m_field.name.empty()) throw InputError(where(m_role), "a column needs a name");
        if (l.table.field_index(m_field.name) >= 0) throw InputError(where(m_role, {}, {}, m_field.name), "the column exists");
        const bool counts = count_column(m_p, m_role, m_field.name);
        const std::size_t j = l.table.add_field(m_field);
        if (counts)
            for (auto& row : l.table.rows) row[j] = std::int64_t{0};
    }
    void revert() override {
        Layer& l = require_layer(m_p, m_role);
        const int j = l.table.field_index(m_field.name);
        if (j < 0) return;
        l.table.fields.erase(l.table.fields.begin() + j);
        for (auto& row : l.table.rows) row.erase(row.begin() + j);
    }
    [[nodiscard]] std::string describe() const override { return "Add column " + m_field.name; }

private:
    Project& m_p;
    Role m_role;
    Field m_field;
};

}  // namespace

std::unique_ptr<Command> add_feature(Project& p, Role r, std::string id, Geometry g) {
    return std::make_unique<AddFeature>(p, r, std::move(id), std::move(g));
}
std::unique_ptr<Command> delete_feature(Project& p, Role r, std::string id) {
    return std::make_unique<DeleteFeature>(p, r, std::move(id));
}
std::unique_ptr<Command> set_feature_geometry(Project& p, Role r, std::string id, Geometry g, std::string description) {
    return std::make_unique<SetFeatureGeometry>(p, r, std::move(id), std::move(g), std::move(description));
}

Value parse_cell(const Project& p, Role role, const std::string& id, const std::string& field, const std::string& raw) {
    const Layer* l = p.layer(role);
    if (!l) throw InputError(where(role), "the project has no such layer");
    const std::size_t i = require_feature(*l, role, id);
    const int j = l->table.field_index(field);
    const ErrorContext ctx{l->path(), role_name(role), i, id, field};
    if (j < 0) throw InputError(ctx, "no such column");
    if (field == l->id_field) throw InputError(ctx, "the id column is not edited here (ids join the roster and the plan)");
    const std::string t = trim_cell(raw);
    const FieldType type = l->table.fields[static_cast<std::size_t>(j)].type;
    const bool counts = count_column(p, role, field);
    auto whole = [&](double lo, double hi, const char* what) -> Value {
        char* end = nullptr;
        const long long v = std::strtoll(t.c_str(), &end, 10);
        if (t.empty() || end != t.c_str() + t.size() || static_cast<double>(v) < lo || static_cast<double>(v) > hi)
            throw InputError(ctx, "\"" + t + "\" is not " + what);
        return std::int64_t{v};
    };
    if (counts) return whole(0, 1e9, "a count (a whole number from 0 to 1000000000)");
    if (t.empty()) return std::monostate{};
    switch (type) {
        case FieldType::Integer: return whole(-9.2e18, 9.2e18, "a whole number");
        case FieldType::Real: {
            char* end = nullptr;
            const double v = std::strtod(t.c_str(), &end);
            if (end != t.c_str() + t.size() || !std::isfinite(v)) throw InputError(ctx, "\"" + t + "\" is not a number");
            return v;
        }
        case FieldType::Date: {
            const bool ok = t.size() == 10 && t[4] == '-' && t[7] == '-' &&
                            std::all_of(t.begin(), t.end(), [](char c) { return c == '-' || std::isdigit(static_cast<unsigned char>(c)); });
            if (!ok) throw InputError(ctx, "\"" + t + "\" is not a date (YYYY-MM-DD)");
            return t;
        }
        case FieldType::String: return raw;
    }
    return raw;
}

std::unique_ptr<Command> set_cell(Project& p, Role r, std::string id, std::string field, const std::string& text) {
    Value v = parse_cell(p, r, id, field, text);
    return std::make_unique<SetCell>(p, r, std::move(id), std::move(field), std::move(v));
}

std::unique_ptr<Command> add_column(Project& p, Role r, Field f) { return std::make_unique<AddColumn>(p, r, std::move(f)); }

void paste_cells(UndoStack& stack, Project& p, Role role, const std::string& first_id, const std::string& first_field,
                 const std::string& tsv) {
    const Layer* l = p.layer(role);
    if (!l) throw InputError(where(role), "the project has no such layer");
    const std::size_t i0 = require_feature(*l, role, first_id);
    const int j0 = l->table.field_index(first_field);
    if (j0 < 0) throw InputError(where(role, i0, first_id, first_field), "no such column");
    std::vector<std::vector<std::string>> block;
    std::string text = tsv;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t nl = text.find('\n', start);
        std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> cells;
        std::size_t s = 0;
        for (;;) {
            const std::size_t tab = line.find('\t', s);
            cells.push_back(line.substr(s, tab == std::string::npos ? std::string::npos : tab - s));
            if (tab == std::string::npos) break;
            s = tab + 1;
        }
        block.push_back(std::move(cells));
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    // Check everything first: all or nothing.
    std::vector<std::unique_ptr<Command>> commands;
    for (std::size_t r = 0; r < block.size(); ++r) {
        const std::size_t i = i0 + r;
        if (i >= l->size())
            throw InputError(where(role, {}, {}, {}), "the pasted block has " + std::to_string(block.size()) +
                                                          " rows: it runs past the last row");
        for (std::size_t c = 0; c < block[r].size(); ++c) {
            const std::size_t j = static_cast<std::size_t>(j0) + c;
            if (j >= l->table.fields.size())
                throw InputError(where(role, i, l->ids[i]), "the pasted block has " + std::to_string(block[r].size()) +
                                                                " columns: it runs past the last column");
            commands.push_back(set_cell(p, role, l->ids[i], l->table.fields[j].name, block[r][c]));
        }
    }
    stack.begin_group("Paste " + std::to_string(commands.size()) + " cells");
    try {
        for (auto& c : commands) stack.push(std::move(c));
    } catch (...) {
        stack.cancel_group();
        throw;
    }
    stack.end_group();
}

std::string next_feature_id(const Project& p, Role role, const std::string& prefix) {
    const Layer* l = p.layer(role);
    std::set<std::string> taken;
    if (l) taken.insert(l->ids.begin(), l->ids.end());
    for (std::size_t n = 1;; ++n) {
        std::string id = prefix + "-" + std::to_string(n);
        if (!taken.count(id)) return id;
    }
}

}  // namespace hq
