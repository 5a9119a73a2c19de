// huqian info PATH [--json]: what is in a project or a vector file.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "app/cli/privacy_json.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/core/text.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/project/venues.hpp"

namespace hq::cli {
namespace {

struct InfoArgs {
    std::string path;
    bool json = false;
    std::string output;
    LoadArgs load;
    PrivacyArgs privacy;
};

struct GroupTotal {
    const GroupDef* def;
    double total = 0, registered = -1, temporary = -1;
};

/// The manifest groups' totals on `l` with their registered / temporary split (-1 where the
/// manifest names no such column), summed by geo/analysis.
std::vector<GroupTotal> group_totals(const Project& p, const Layer* l) {
    std::vector<GroupTotal> out;
    if (!l) return out;
    const auto sums = analysis::group_split_totals(p, l);
    for (std::size_t g = 0; g < sums.size(); ++g)
        out.push_back(GroupTotal{&p.groups[g], sums[g].total, sums[g].registered, sums[g].temporary});
    return out;
}

/// The group totals and their registered/temporary split as they may be published: one
/// table groups × {registered, temporary} whose row totals are the group totals every
/// output prints (geo/privacy). Without a complete split, groups × {total}.
struct GroupTable {
    privacy::ProtectedTable groups;  ///< 1 × G: the group totals
    privacy::ProtectedTable split;   ///< G × 2 (registered, temporary), or empty
    bool has_split = false;
};

GroupTable protect_groups(const std::vector<GroupTotal>& totals, const privacy::DisclosurePolicy& policy) {
    GroupTable t;
    std::vector<double> v;
    bool split = !totals.empty();
    for (const auto& g : totals) {
        v.push_back(g.total);
        split = split && g.registered >= 0 && g.temporary >= 0 && g.registered + g.temporary == g.total;
    }
    t.groups = privacy::group_totals_table(v, policy);
    t.has_split = split;
    if (split) {
        privacy::Table s(totals.size(), 2);
        for (std::size_t g = 0; g < totals.size(); ++g) {
            s.set(g, 0, totals[g].registered);
            s.set(g, 1, totals[g].temporary);
            privacy::pin(s, g, 2, t.groups.col_total(g));
        }
        privacy::pin(s, totals.size(), 2, t.groups.grand_total());
        // The registered and temporary totals are the community's headline figures (often
        // in the project's own source note): kept published; the split cells protect.
        s.lock(totals.size(), 0);
        s.lock(totals.size(), 1);
        t.split = privacy::protect(s, policy);
    }
    return t;
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

nlohmann::ordered_json to_json(const Project& p, const privacy::DisclosurePolicy& policy) {
    using json = nlohmann::ordered_json;
    json j;
    j["path"] = p.path;
    j["privacy"] = policy_json(policy);
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
    const auto totals = group_totals(p, tl);
    const GroupTable t = protect_groups(totals, policy);
    for (std::size_t g = 0; g < totals.size(); ++g) {
        const GroupDef* d = totals[g].def;
        json gj{{"column", d->column}, {"zh", d->name_zh}, {"en", d->name_en}, {"color", d->color},
                {"total", count_json(t.groups.col_total(g))}};
        bool suppressed = t.groups.col_total(g).suppressed();
        if (t.has_split) {
            gj["registered"] = count_json(t.split.cell(g, 0));
            gj["temporary"] = count_json(t.split.cell(g, 1));
            suppressed = suppressed || t.split.cell(g, 0).suppressed() || t.split.cell(g, 1).suppressed();
        } else {
            gj["registered"] = nullptr;
            gj["temporary"] = nullptr;
        }
        gj["suppressed"] = suppressed;
        groups.push_back(gj);
    }
    j["groups"] = groups;
    const bool split = t.has_split;
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
                   {"total", totals.empty() ? json(0) : count_json(t.groups.grand_total())},
                   {"registered", split ? count_json(t.split.col_total(0)) : json(nullptr)},
                   {"temporary", split ? count_json(t.split.col_total(1)) : json(nullptr)}};
    j["warnings"] = p.warnings;
    return j;
}

std::string fmt(int width, int decimals, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%*.*f", width, decimals, v);
    return buf;
}

std::string to_text(const Project& p, const privacy::DisclosurePolicy& policy) {
    std::ostringstream o;
    if (!policy.guard) o << policy.stamp() << "\n";
    // Names from the manifest through printable: a newline in one must not start a fake line.
    o << printable(p.name_zh);
    if (p.name_en != p.name_zh) o << " / " << printable(p.name_en);
    o << "\n";
    if (p.illustrative) o << "示意数据，非实测 / illustrative data, not surveyed\n";
    o << "path:        " << printable(p.path) << "\n";
    o << "metric CRS:  " << (p.planar ? std::string("none: planar, units as given") : p.metric_crs.label()) << "\n";
    const Box b = project_extent(p);
    if (!b.empty())
        o << "extent:      " << fmt(0, 6, b.minx) << ", " << fmt(0, 6, b.miny) << " .. " << fmt(0, 6, b.maxx) << ", "
          << fmt(0, 6, b.maxy) << (p.planar ? " (planar)" : " (lon/lat, WGS 84)") << "\n";
    o << "\nlayers:\n";
    // Files are shown relative to the project folder and escaped (a project comes from others:
    // a name may hold control characters); the file column is as wide as its longest entry.
    std::vector<std::string> files;
    std::size_t file_width = 4;
    for (const auto& e : p.layers) {
        files.push_back(printable(shown_path(p, e.layer.path())));
        file_width = std::max(file_width, display_columns(files.back()));
    }
    char line[512];
    std::snprintf(line, sizeof line, "  %-10s %s %9s  %-10s %-22s %10s\n", "role", pad_columns("file", file_width).c_str(),
                  "features", "geometry", "source CRS", "area km²");
    o << line;
    for (std::size_t i = 0; i < p.layers.size(); ++i) {
        const Layer& l = p.layers[i].layer;
        const std::string crs = printable(l.source_crs.known() ? (l.source_crs.epsg
                                                                      ? "EPSG:" + std::to_string(l.source_crs.epsg)
                                                                      : l.source_crs.name)
                                                                : "none");
        const std::string a = l.geom_type == GeomType::Polygon ? fmt(0, 4, layer_area_km2(l)) : "";
        std::snprintf(line, sizeof line, "  %-10s %s %9zu  %-10s %-22s %10s\n", role_name(p.layers[i].role),
                      pad_columns(files[i], file_width).c_str(), l.size(), geom_type_name(l.geom_type), crs.c_str(),
                      a.c_str());
        o << line;
    }
    const Layer* tl = totals_layer(p);
    const auto totals = group_totals(p, tl);
    if (!totals.empty()) {
        o << "\ngroups (" << totals.size() << "), residents in " << printable(shown_path(p, tl->path())) << ":\n";
        std::snprintf(line, sizeof line, "  %-26s %10s %12s %12s\n", "group", "total", "registered", "temporary");
        o << line;
        const GroupTable t = protect_groups(totals, policy);
        const auto cell = [&](const privacy::Cell& c, int width) {
            const std::string s = privacy::count_text(c, policy);
            return std::string(s.size() < static_cast<std::size_t>(width) ? width - s.size() : 0, ' ') + s;
        };
        for (std::size_t g = 0; g < totals.size(); ++g) {
            const std::string name = printable(totals[g].def->name_zh + " " + totals[g].def->name_en);
            // Pad by display columns, not bytes: a CJK character is 3 bytes and 2 columns.
            o << "  " << pad_columns(name, 26) << " " << cell(t.groups.col_total(g), 10) << " "
              << (t.has_split ? cell(t.split.cell(g, 0), 12) + " " + cell(t.split.cell(g, 1), 12) : std::string())
              << "\n";
        }
        o << "  " << "合计 total" << std::string(16, ' ') << " " << cell(t.groups.grand_total(), 10) << " "
          << (t.has_split ? cell(t.split.col_total(0), 12) + " " + cell(t.split.col_total(1), 12) : std::string())
          << "\n";
        o << "  " << policy.note_zh() << "\n  " << policy.note_en() << "\n";
    }
    if (const Layer* v = p.layer(Role::Venues)) {
        const VenueKinds k = venue_kinds(*v);
        if (!k.field.empty()) {
            o << "\nvenues by kind 场所类别 (" << printable(k.field) << "), " << v->size() << " in "
              << printable(shown_path(p, v->path())) << ":\n";
            for (const auto& c : k.counts) {
                const std::string name = printable(c.name_zh == c.name_en ? c.kind : c.name_zh + " " + c.name_en);
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
    args->privacy.add_to(cmd);
    cmd->callback([args]() {
        const privacy::DisclosurePolicy policy = args->privacy.policy();
        const Project p = load_for_command(args->path, args->load);
        if (args->json)
            write_json_output(args->output, to_json(p, policy).dump(2) + "\n");
        else
            write_text_output(args->output, to_text(p, policy));
    });
}

const Registrar reg{"info", 10, &setup};

}  // namespace
}  // namespace hq::cli
