#include "app/cli/report_by.hpp"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "app/carto/district.hpp"
#include "app/cli/by_table.hpp"
#include "app/cli/command.hpp"
#include "app/export/render.hpp"
#include "app/export/report.hpp"
#include "geo/analysis/by.hpp"
#include "geo/analysis/weights.hpp"
#include "geo/core/text.hpp"
#include "geo/io/writer.hpp"

namespace hq::cli {
namespace {

/// A Markdown table cell from data: one line, no '|'.
std::string md_cell(const std::string& s) {
    std::string out;
    for (char c : one_line(s)) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

/// The parts as a project of their own: one dissolved polygon per part, the source's names.
std::shared_ptr<const Project> parts_project(const Project& project, const analysis::ByTable& t) {
    auto parts = dissolve_parts(project, t.column);
    Project p = analysis::part_project(project, analysis::ByPart{});  // the names, source, CRS
    p.layers.clear();
    Layer l;
    l.table.name = "by_" + t.column;
    l.table.fields.push_back({t.column, FieldType::String});
    l.geom_type = GeomType::MultiPolygon;
    l.planar = project.planar;
    for (std::size_t k = 0; k < parts.size() && k < t.rows.size(); ++k) {
        l.ids.push_back(t.rows[k].key);
        l.table.rows.push_back({Value{t.rows[k].key}});
        l.metric.push_back(std::move(parts[k].first));
        l.display.push_back(std::move(parts[k].second));
    }
    p.layers.push_back({Role::Units, std::move(l)});
    return std::make_shared<const Project>(std::move(p));
}

std::string markdown(const Project& project, const analysis::ByTable& t, const std::string& map_file,
                     const carto::MapRequest& r) {
    const auto L = [&](const std::string& zh, const std::string& en) { return carto::pick(r.lang, zh, en); };
    std::ostringstream md;
    const std::string what = one_line(t.column);
    const std::string name = L(project.name_zh, project.name_en);
    md << "# " << (name.empty() ? "" : md_cell(name) + " — ") << L("分" + what + "汇总", "summary by " + what) << "\n\n";
    if (const std::string stamp = carto::disclosure_policy(r).stamp(); !stamp.empty()) md << "> **" << stamp << "**\n\n";
    if (project.illustrative) md << "> **示意数据，非实测 / Illustrative data, not surveyed**\n\n";
    md << carto::privacy_note(r) << "\n\n";
    md << L("每个" + what + "单独计算（与 `huqian indices --by " + what + "` 相同）。",
            "Each " + what + " is computed on its own (as `huqian indices --by " + what + "`).")
       << "\n\n";
    md << "![" << md_cell(what) << "](" << map_file << ")\n\n";
    md << "| " << md_cell(t.column) << " | units";
    for (const auto& n : t.value_names) md << " | " << n;
    md << " | error |\n| --- | ---:";
    for (std::size_t j = 0; j < t.value_names.size(); ++j) md << " | ---:";
    md << " | --- |\n";
    for (const auto& row : t.rows) {
        md << "| " << md_cell(row.key) << " | " << row.units;
        for (double v : row.values) md << " | " << (std::isfinite(v) ? json_number(v) : std::string());
        md << " | " << md_cell(row.error) << " |\n";
    }
    md << "\n";
    for (const auto& n : t.notes) md << "- " << one_line(L(n.zh, n.en)) << "\n";
    const std::string src = L(project.source_zh, project.source_en);
    md << "\n" << L("数据来源：", "Source: ") << one_line(src.empty() ? project.path : src) << "\n";
    return md.str();
}

/// The summary as a PDF (exporter::PdfDocument, the meeting pack's path): the title, the
/// stamp and privacy lines, the table (the --by column, units and the indices; a part's error
/// under its row), the notes and the source, then the map on a page of its own.
void write_pdf(const std::string& path, exporter::Template tmpl, const Project& project, const analysis::ByTable& t,
               const carto::Scene& map, const carto::MapRequest& r) {
    using exporter::TextBlock;
    const auto L = [&](const std::string& zh, const std::string& en) { return carto::pick(r.lang, zh, en); };
    const std::string what = one_line(t.column);
    const std::string name = L(project.name_zh, project.name_en);
    std::vector<TextBlock> blocks;
    blocks.push_back({TextBlock::Kind::Title, (name.empty() ? "" : one_line(name) + " — ") +
                                                  L("分" + what + "汇总", "summary by " + what), {}, {}});
    const std::string stamp = carto::disclosure_policy(r).stamp();
    if (!stamp.empty()) blocks.push_back({TextBlock::Kind::Heading, stamp, {}, {}});
    const std::string illustrative = project.illustrative ? "示意数据，非实测 / Illustrative data, not surveyed" : "";
    if (!illustrative.empty()) blocks.push_back({TextBlock::Kind::Paragraph, illustrative, {}, {}});
    const std::string privacy = carto::privacy_note(r);
    blocks.push_back({TextBlock::Kind::Paragraph, privacy, {}, {}});
    blocks.push_back({TextBlock::Kind::Paragraph,
                      L("每个" + what + "单独计算（与 huqian indices --by " + what + " 相同）。",
                        "Each " + what + " is computed on its own (as huqian indices --by " + what + ")."),
                      {}, {}});
    // The table: a wider first column, the rest shared; values to 4 decimals (the CSV has all digits).
    TextBlock table{TextBlock::Kind::Table, "", {}, {}};
    std::vector<std::string> header{one_line(t.column), L("单元", "units")};
    for (const auto& n : t.value_names) header.push_back(n);
    table.rows.push_back(header);
    const double rest = 0.78 / static_cast<double>(header.size() - 1);
    table.widths.push_back(0.22);
    for (std::size_t j = 1; j < header.size(); ++j) table.widths.push_back(rest);
    for (const auto& row : t.rows) {
        std::vector<std::string> cells{one_line(row.key), std::to_string(row.units)};
        for (double v : row.values) {
            char buf[32] = "";
            if (std::isfinite(v)) std::snprintf(buf, sizeof buf, "%.4f", v);
            cells.emplace_back(buf);
        }
        table.rows.push_back(std::move(cells));
        if (!row.error.empty()) {
            std::vector<std::string> err(header.size());
            err[0] = "  ↳ " + one_line(row.error);
            table.rows.push_back(std::move(err));
        }
    }
    blocks.push_back(std::move(table));
    for (const auto& n : t.notes) blocks.push_back({TextBlock::Kind::Paragraph, "· " + one_line(L(n.zh, n.en)), {}, {}});
    const std::string src = L(project.source_zh, project.source_en);
    blocks.push_back({TextBlock::Kind::Paragraph, L("数据来源：", "Source: ") + one_line(src.empty() ? project.path : src),
                      {}, {}});
    exporter::PdfDocument pdf(path, tmpl);
    pdf.add_text_pages(blocks, (illustrative.empty() ? "" : illustrative + " · ") + privacy);
    pdf.add_map_page(map);
    pdf.finish();
}

}  // namespace

void ReportByArgs::add_to(CLI::App* cmd) {
    cmd->add_option("--by", by,
                    "A district summary instead of the meeting pack: one row per value of this column (as "
                    "indices --by) and a map of the parts (docs/postgis.md)");
    cmd->add_option("--map-index", map_index, "With --by: the index the map shows (default multi_info_theory)");
}

std::vector<std::string> run_report_by(const ReportByCommon& c, const ReportByArgs& a) {
    namespace fs = std::filesystem;
    const auto lang = carto::lang_from_name(c.lang);
    if (!lang) throw InputError("--lang must be zh, en or both (got \"" + c.lang + "\")");
    const auto tmpl = exporter::template_from_name(c.tmpl);
    if (!tmpl)
        throw InputError("--template must be a4-landscape, a4-portrait, a3-landscape, a3-portrait or slide-16x9 (got \"" +
                         c.tmpl + "\")");
    if (!(c.dpi >= 72 && c.dpi <= 600)) throw InputError("--dpi must be between 72 and 600");
    if (!c.weights.empty()) (void)parse_weights_spec(c.weights);
    const privacy::DisclosurePolicy policy = c.privacy.policy();
    const Project project = load_for_command(c.path, c.load);

    analysis::SegregationRequest rq;
    rq.groups = c.load.groups;  // --groups (LoadArgs): the multigroup indices' groups, as in indices --by
    rq.weights = c.weights;
    rq.threads = c.threads;
    rq.privacy = policy;
    StderrProgress bar("report");
    const Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    const analysis::ByTable t = analysis::segregation_by(project, a.by, rq, progress);
    for (const auto& n : t.notes) print_note(n.en);
    std::string index = a.map_index;
    if (index.empty()) {
        index = t.value_names.empty() ? "" : t.value_names.front();
        for (const auto& n : t.value_names)
            if (n == "multi_info_theory") index = n;
    }
    std::size_t column = t.value_names.size();
    for (std::size_t j = 0; j < t.value_names.size(); ++j)
        if (t.value_names[j] == index) column = j;
    if (column == t.value_names.size()) {
        std::string names;
        for (const auto& n : t.value_names) names += (names.empty() ? "" : ", ") + n;
        throw InputError("--map-index " + one_line(index) + ": not among the computed indices (" + names + ")");
    }
    std::vector<double> values;
    for (const auto& row : t.rows) values.push_back(row.values[column]);

    carto::MapRequest r;
    r.lang = *lang;
    r.privacy_guard = policy.guard;
    r.privacy_k = policy.k;
    r.ramp = "YlOrRd";
    const carto::Scene scene = carto::district_scene(parts_project(project, t), values, index, a.by, r);

    UniqueFileNames names;
    const std::string csv_file = names.make("district", ".csv");
    const std::string md_file = names.make("district", ".md");
    const std::string map_file = names.make("map_" + index, ".png");
    const std::string pdf_file = names.make("district", ".pdf");
    AtomicFolder pack(c.output, exporter::kReportMarker);
    const fs::path staging(pack.temp_path());
    exporter::PageOptions po;
    po.tmpl = *tmpl;
    po.dpi = c.dpi;
    exporter::write_map(scene, po, (staging / map_file).string(), exporter::Format::Png);
    write_file_atomic((staging / csv_file).string(), by_table_text(t, true));
    write_file_atomic((staging / md_file).string(), markdown(project, t, map_file, r));
    write_pdf((staging / pdf_file).string(), *tmpl, project, t, scene, r);
    pack.commit();
    std::vector<std::string> files;
    for (const auto& f : {pdf_file, md_file, csv_file, map_file}) files.push_back((fs::path(c.output) / f).string());
    return files;
}

}  // namespace hq::cli
