#include "app/cli/by_table.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <sstream>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "app/cli/privacy_json.hpp"
#include "geo/core/text.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/io/writer.hpp"

namespace hq::cli {
namespace {

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

/// A GeoPackage: one feature per part, its units dissolved (metric CRS).
void write_gpkg(const Project& project, const analysis::ByTable& t, const std::string& output) {
    auto parts = dissolve_parts(project, t.column);
    Layer out;
    out.table.name = "by_" + t.column;
    out.table.fields.push_back({t.column, FieldType::String});
    out.table.fields.push_back({"units", FieldType::Integer});
    for (const auto& name : t.value_names) out.table.fields.push_back({name, FieldType::Real});
    out.table.fields.push_back({"error", FieldType::String});
    out.geom_type = GeomType::MultiPolygon;
    for (std::size_t k = 0; k < t.rows.size() && k < parts.size(); ++k) {
        const auto& r = t.rows[k];
        std::vector<Value> row{Value{r.key}, Value{static_cast<std::int64_t>(r.units)}};
        for (double v : r.values) row.push_back(std::isfinite(v) ? Value{v} : Value{});
        row.push_back(r.error.empty() ? Value{} : Value{r.error});
        out.table.rows.push_back(std::move(row));
        out.ids.push_back(r.key);
        out.metric.push_back(std::move(parts[k].first));
        out.display.push_back(std::move(parts[k].second));
    }
    WriteOptions w;
    w.metric_crs = project.metric_crs;
    w.id_field = "";
    write_layer(out, output, w);
}

}  // namespace

std::vector<std::pair<Geometry, Geometry>> dissolve_parts(const Project& project, const std::string& column) {
    const Layer* l = project.analysis_layer();
    std::vector<std::pair<Geometry, Geometry>> out;
    for (const auto& part : analysis::split_by(project, column)) {
        std::vector<Geometry> metric, display;
        for (std::size_t i : part.rows) {
            metric.push_back(l->metric[i]);
            display.push_back(l->display[i]);
        }
        out.emplace_back(union_all(metric), union_all(display));
    }
    return out;
}

void write_by_table(const Project& project, const analysis::ByTable& t, bool json, bool csv,
                    const std::string& output, const privacy::DisclosurePolicy* policy) {
    for (const auto& n : t.notes) print_note(n.en);
    if (output.size() > 5 && output.substr(output.size() - 5) == ".gpkg") {
        write_gpkg(project, t, output);
        return;
    }
    if (json) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& r : t.rows) {
            nlohmann::ordered_json o;
            o[t.column] = r.key;
            o["units"] = r.units;
            nlohmann::ordered_json values = nlohmann::ordered_json::object();
            for (std::size_t j = 0; j < t.value_names.size(); ++j)
                values[t.value_names[j]] = std::isfinite(r.values[j]) ? nlohmann::ordered_json(r.values[j]) : nullptr;
            o["values"] = values;
            o["error"] = r.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.error);
            if (r.suppressed) {  // every value null (the keys stay), as autocorr's withheld units
                o["suppressed"] = true;
                o["reason"] = {{"zh", r.reason.zh}, {"en", r.reason.en}};
            }
            rows.push_back(o);
        }
        nlohmann::ordered_json j;
        j["by"] = t.column;
        j["parts"] = t.rows.size();
        if (policy) j["privacy"] = policy_json(*policy);
        j["rows"] = rows;
        write_output(output, j.dump(2) + "\n");
        return;
    }
    // With the guard off every file is stamped (JSON: its "privacy" object), as indices does.
    const std::string stamp = policy && !policy->guard ? (csv ? "# " : "") + policy->stamp() + "\n" : "";
    if (csv) write_output(output, stamp + by_table_text(t, true));
    else write_text_output(output, stamp + by_table_text(t, false));
}

std::string by_table_text(const analysis::ByTable& t, bool csv) {
    std::ostringstream o;
    const char* sep = csv ? "," : "\t";
    const auto cell = [&](const std::string& s) { return csv ? csv_cell(s) : s; };
    o << cell(t.column) << sep << "units";
    for (const auto& name : t.value_names) o << sep << name;
    o << sep << "error\n";
    for (const auto& r : t.rows) {
        o << cell(r.key) << sep << r.units;
        for (double v : r.values) o << sep << (r.suppressed ? "—" : std::isfinite(v) ? json_number(v) : std::string());
        o << sep << cell(r.error) << "\n";
    }
    o << withheld_lines(t, csv ? "# " : "");
    return o.str();
}

std::string withheld_lines(const analysis::ByTable& t, const std::string& prefix) {
    // One line per reason, naming its parts: "—：<zh>（A、B） / —: <en> (A, B)".
    std::vector<std::pair<const analysis::Note*, std::vector<std::string>>> reasons;
    for (const auto& r : t.rows) {
        if (!r.suppressed) continue;
        auto it = std::find_if(reasons.begin(), reasons.end(), [&](const auto& x) { return x.first->en == r.reason.en; });
        if (it == reasons.end()) {
            reasons.emplace_back(&r.reason, std::vector<std::string>{});
            it = std::prev(reasons.end());
        }
        it->second.push_back(printable(r.key));
    }
    std::ostringstream o;
    for (const auto& [reason, keys] : reasons) {
        std::string zh, en;
        for (const auto& k : keys) {
            zh += (zh.empty() ? "" : "、") + k;
            en += (en.empty() ? "" : ", ") + k;
        }
        o << prefix << "—：" << reason->zh << "（" << zh << "） / —: " << reason->en << " (" << en << ")\n";
    }
    return o.str();
}

}  // namespace hq::cli
