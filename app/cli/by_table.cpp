#include "app/cli/by_table.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "app/cli/privacy_json.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/io/writer.hpp"

namespace hq::cli {
namespace {

/// The index ids of every row, in order of first appearance (single-group, then multigroup).
std::vector<std::string> index_ids(const std::vector<analysis::ByRow>& rows) {
    std::vector<std::string> ids;
    const auto add = [&](const std::vector<seg::IndexValue>& v) {
        for (const auto& x : v)
            if (std::find(ids.begin(), ids.end(), x.id) == ids.end()) ids.push_back(x.id);
    };
    for (const auto& r : rows)
        if (r.result) add(r.result->single);
    for (const auto& r : rows)
        if (r.result) add(r.result->multi);
    return ids;
}

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

}  // namespace

void write_by_table(const Project& project, const std::string& column, const std::vector<analysis::ByRow>& rows,
                    ByFormat format, const std::string& output, const privacy::DisclosurePolicy& policy) {
    const std::vector<std::string> ids = index_ids(rows);
    const auto value = [](const analysis::ByRow& r, const std::string& id) {
        return r.result ? r.result->value(id) : std::nan("");
    };
    if (format == ByFormat::Json) {
        nlohmann::ordered_json rows_json = nlohmann::ordered_json::array();
        for (const auto& r : rows) {
            nlohmann::ordered_json o;
            o[column] = r.key;
            o["units"] = r.units;
            nlohmann::ordered_json single = nlohmann::ordered_json::object(), multi = nlohmann::ordered_json::object();
            if (r.result) {
                for (const auto& v : r.result->single) single[v.id] = std::isfinite(v.value) ? nlohmann::ordered_json(v.value) : nullptr;
                for (const auto& v : r.result->multi) multi[v.id] = std::isfinite(v.value) ? nlohmann::ordered_json(v.value) : nullptr;
            }
            o["single_group"] = single;
            o["multigroup"] = multi;
            o["error"] = r.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.error);
            rows_json.push_back(o);
        }
        nlohmann::ordered_json j;
        j["by"] = column;
        j["parts"] = rows.size();
        j["privacy"] = policy_json(policy);
        j["rows"] = rows_json;
        write_output(output, j.dump(2) + "\n");
        return;
    }
    if (format == ByFormat::Csv || format == ByFormat::Text) {
        std::ostringstream o;
        const char* sep = format == ByFormat::Csv ? "," : "\t";
        o << (format == ByFormat::Csv ? csv_cell(column) : column) << sep << "units";
        for (const auto& id : ids) o << sep << id;
        o << sep << "error\n";
        for (const auto& r : rows) {
            o << (format == ByFormat::Csv ? csv_cell(r.key) : r.key) << sep << r.units;
            for (const auto& id : ids) {
                const double v = value(r, id);
                o << sep << (std::isfinite(v) ? json_number(v) : std::string());
            }
            o << sep << (format == ByFormat::Csv ? csv_cell(r.error) : r.error) << "\n";
        }
        if (format == ByFormat::Csv) write_output(output, o.str());
        else write_text_output(output, o.str());
        return;
    }
    // GeoPackage: one feature per part, its units dissolved (metric CRS).
    const auto parts = analysis::split_by(project, column);
    const Layer* l = project.analysis_layer();
    Layer out;
    out.table.name = "by_" + column;
    out.table.fields.push_back({column, FieldType::String});
    out.table.fields.push_back({"units", FieldType::Integer});
    for (const auto& id : ids) out.table.fields.push_back({id, FieldType::Real});
    out.table.fields.push_back({"error", FieldType::String});
    out.geom_type = GeomType::MultiPolygon;
    for (std::size_t k = 0; k < rows.size() && k < parts.size(); ++k) {
        const auto& r = rows[k];
        std::vector<Value> row{Value{r.key}, Value{static_cast<std::int64_t>(r.units)}};
        for (const auto& id : ids) {
            const double v = value(r, id);
            row.push_back(std::isfinite(v) ? Value{v} : Value{});
        }
        row.push_back(r.error.empty() ? Value{} : Value{r.error});
        out.table.rows.push_back(std::move(row));
        out.ids.push_back(r.key);
        std::vector<Geometry> metric, display;
        for (std::size_t i : parts[k].rows) {
            metric.push_back(l->metric[i]);
            display.push_back(l->display[i]);
        }
        out.metric.push_back(union_all(metric));
        out.display.push_back(union_all(display));
    }
    WriteOptions w;
    w.metric_crs = project.metric_crs;
    w.id_field = "";
    write_layer(out, output, w);
}

}  // namespace hq::cli
