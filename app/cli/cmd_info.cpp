// huqian info PATH [--json]: what is in a project or a vector file.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/project/venues.hpp"

namespace hq::cli {
namespace {

struct InfoArgs {
    std::string path;
    bool json = false;
    std::string output;
    LoadArgs load;
};

struct GroupTotal {
    const GroupDef* def;
    double total = 0, registered = -1, temporary = -1;
};

double sum(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s;
}

std::vector<GroupTotal> group_totals(const Project& p, const Layer* l) {
    std::vector<GroupTotal> out;
    if (!l) return out;
    for (const auto& g : p.groups) {
        GroupTotal t{&g};
        t.total = sum(read_counts(*l, g.column));
        if (!g.registered_column.empty()) t.registered = sum(read_counts(*l, g.registered_column));
        if (!g.temporary_column.empty()) t.temporary = sum(read_counts(*l, g.temporary_column));
        out.push_back(t);
    }
    return out;
}

double layer_area_km2(const Layer& l) {
    double a = 0;
    for (const auto& g : l.metric) a += area(g);
    return a / 1e6;
}

Box project_extent(const Project& p) {
    Box b;
    for (const auto& e : p.layers)
        for (const auto& g : e.layer.display) b.expand(g.bounds());
    return b;
}

const Layer* totals_layer(const Project& p) {
    for (const auto& r : p.count_roles)
        if (const Layer* l = p.layer(*role_from_name(r))) return l;
    return nullptr;
}

nlohmann::json to_json(const Project& p) {
    using nlohmann::json;
    json j;
    j["path"] = p.path;
    j["name"] = {{"zh", p.name_zh}, {"en", p.name_en}};
    j["illustrative"] = p.illustrative;
    j["planar"] = p.planar;
    j["metric_crs"] = p.planar ? json(nullptr)
                               : json{{"epsg", p.metric_crs.epsg}, {"name", p.metric_crs.name}, {"label", p.metric_crs.label()}};
    const Box b = project_extent(p);
    j["extent"] = b.empty() ? json(nullptr) : json{b.minx, b.miny, b.maxx, b.maxy};
    j["extent_crs"] = p.planar ? "planar" : "EPSG:4326";
    json layers = json::array();
    for (const auto& e : p.layers) {
        const Layer& l = e.layer;
        json lj;
        lj["role"] = role_name(e.role);
        lj["file"] = l.path();
        lj["layer"] = l.name();
        lj["features"] = l.size();
        lj["geometry"] = geom_type_name(l.geom_type);
        lj["source_crs"] = l.source_crs.known() ? json{{"epsg", l.source_crs.epsg}, {"name", l.source_crs.name}} : json(nullptr);
        if (l.geom_type == GeomType::Polygon) lj["area_km2"] = layer_area_km2(l);
        json fields = json::array();
        for (const auto& f : l.table.fields) fields.push_back({{"name", f.name}, {"type", field_type_name(f.type)}});
        lj["fields"] = fields;
        layers.push_back(lj);
    }
    j["layers"] = layers;
    const Layer* tl = totals_layer(p);
    json groups = json::array();
    double all = 0, reg = 0, tmp = 0;
    bool have_reg = !p.groups.empty(), have_tmp = !p.groups.empty();
    for (const auto& t : group_totals(p, tl)) {
        json g{{"column", t.def->column}, {"zh", t.def->name_zh}, {"en", t.def->name_en}, {"color", t.def->color},
               {"total", t.total}};
        g["registered"] = t.registered >= 0 ? json(t.registered) : json(nullptr);
        g["temporary"] = t.temporary >= 0 ? json(t.temporary) : json(nullptr);
        all += t.total;
        if (t.registered >= 0) reg += t.registered; else have_reg = false;
        if (t.temporary >= 0) tmp += t.temporary; else have_tmp = false;
        groups.push_back(g);
    }
    j["groups"] = groups;
    if (const Layer* v = p.layer(Role::Venues)) {
        const VenueKinds k = venue_kinds(*v);
        json by_kind = json::array();
        for (const auto& c : k.counts) by_kind.push_back({{"kind", c.kind}, {"zh", c.name_zh}, {"en", c.name_en}, {"count", c.count}});
        j["venues"] = {{"layer", v->path()}, {"features", v->size()},
                       {"field", k.field.empty() ? json(nullptr) : json(k.field)}, {"by_kind", by_kind}};
    } else {
        j["venues"] = nullptr;
    }
    j["totals"] = {{"layer", tl ? tl->path() : ""},
                   {"total", all},
                   {"registered", have_reg ? json(reg) : json(nullptr)},
                   {"temporary", have_tmp ? json(tmp) : json(nullptr)}};
    j["warnings"] = p.warnings;
    return j;
}

std::string fmt(int width, int decimals, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%*.*f", width, decimals, v);
    return buf;
}

std::string to_text(const Project& p) {
    std::ostringstream o;
    o << p.name_zh;
    if (p.name_en != p.name_zh) o << " / " << p.name_en;
    o << "\n";
    if (p.illustrative) o << "示意数据，非实测 / illustrative data, not surveyed\n";
    o << "path:        " << p.path << "\n";
    o << "metric CRS:  " << (p.planar ? std::string("none: planar, units as given") : p.metric_crs.label()) << "\n";
    const Box b = project_extent(p);
    if (!b.empty())
        o << "extent:      " << fmt(0, 6, b.minx) << ", " << fmt(0, 6, b.miny) << " .. " << fmt(0, 6, b.maxx) << ", "
          << fmt(0, 6, b.maxy) << (p.planar ? " (planar)" : " (lon/lat, WGS 84)") << "\n";
    o << "\nlayers:\n";
    char line[512];
    std::snprintf(line, sizeof line, "  %-10s %-28s %9s  %-10s %-22s %10s\n", "role", "file", "features", "geometry",
                  "source CRS", "area km²");
    o << line;
    for (const auto& e : p.layers) {
        const Layer& l = e.layer;
        const std::string crs = l.source_crs.known() ? (l.source_crs.epsg ? "EPSG:" + std::to_string(l.source_crs.epsg)
                                                                           : l.source_crs.name)
                                                     : "none";
        const std::string a = l.geom_type == GeomType::Polygon ? fmt(0, 4, layer_area_km2(l)) : "";
        std::snprintf(line, sizeof line, "  %-10s %-28s %9zu  %-10s %-22s %10s\n", role_name(e.role), l.path().c_str(),
                      l.size(), geom_type_name(l.geom_type), crs.c_str(), a.c_str());
        o << line;
    }
    const Layer* tl = totals_layer(p);
    const auto totals = group_totals(p, tl);
    if (!totals.empty()) {
        o << "\ngroups (" << totals.size() << "), residents in " << tl->path() << ":\n";
        std::snprintf(line, sizeof line, "  %-26s %10s %12s %12s\n", "group", "total", "registered", "temporary");
        o << line;
        double all = 0, reg = 0, tmp = 0;
        for (const auto& t : totals) {
            o << "  " << pad_columns(t.def->name_zh + " " + t.def->name_en, 26) << " " << fmt(10, 0, t.total) << " "
              << (t.registered >= 0 ? fmt(12, 0, t.registered) : std::string(12, ' ')) << " "
              << (t.temporary >= 0 ? fmt(12, 0, t.temporary) : std::string(12, ' ')) << "\n";
            all += t.total;
            reg += std::max(0.0, t.registered);
            tmp += std::max(0.0, t.temporary);
        }
        o << "  " << "合计 total" << std::string(16, ' ') << " " << fmt(10, 0, all) << " " << fmt(12, 0, reg) << " "
          << fmt(12, 0, tmp) << "\n";
    }
    if (const Layer* v = p.layer(Role::Venues)) {
        const VenueKinds k = venue_kinds(*v);
        if (!k.field.empty()) {
            o << "\nvenues by kind 场所类别 (" << k.field << "), " << v->size() << " in " << v->path() << ":\n";
            for (const auto& c : k.counts) {
                const std::string name = c.name_zh == c.name_en ? c.kind : c.name_zh + " " + c.name_en;
                o << "  " << pad_columns(name.empty() ? "(none 无)" : name, 42) << " " << fmt(6, 0, static_cast<double>(c.count))
                  << "\n";
            }
        }
    }
    return o.str();
}

void setup(CLI::App& app) {
    auto args = std::make_shared<InfoArgs>();
    CLI::App* cmd = app.add_subcommand("info", "Show the layers, CRS, extent, areas and group totals of a project or file");
    cmd->add_option("PATH", args->path, "Project folder (with project.json) or a vector file")->required();
    cmd->add_flag("--json", args->json, "Print JSON (schema in docs/cli-json.md)");
    cmd->add_option("-o,--output", args->output, "Write to this file instead of standard output");
    args->load.add_to(cmd);
    cmd->callback([args]() {
        const Project p = load_for_command(args->path, args->load);
        write_output(args->output, args->json ? to_json(p).dump(2) + "\n" : to_text(p));
    });
}

const Registrar reg{"info", 10, &setup};

}  // namespace
}  // namespace hq::cli
