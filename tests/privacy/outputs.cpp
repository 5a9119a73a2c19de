// Readers of huqian's outputs for the auditor (outputs.hpp).
#include "outputs.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace hq::audit {
namespace {

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

bool starts(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

std::vector<std::string> md_cells(const std::string& line) {
    std::vector<std::string> cells;
    auto parts = split(line, " |");
    for (auto& p : parts) {
        p = trim(p);
        if (!p.empty() && p[0] == '|') p = trim(p.substr(1));
    }
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) cells.push_back(parts[i]);
    return cells;
}

int group_var(Model& m, const std::string& name) { return m.var("group:" + name); }

/// "r / t (s%)" or "r / t" or "r of t (s %)".
void reach(Model& m, int r, int t, const std::string& text, const std::string& sep, const std::string& where) {
    const auto ab = split(text, sep);
    if (ab.size() != 2) return;
    m.count(r, ab[0], where + " (reached)");
    std::string total = ab[1], pct;
    if (const auto p = total.find('('); p != std::string::npos) {
        pct = total.substr(p + 1);
        if (const auto q = pct.find(')'); q != std::string::npos) pct = pct.substr(0, q);
        total = total.substr(0, p);
    }
    m.count(t, total, where + " (of)");
    m.le(r, t);
    if (!pct.empty()) m.percent(r, t, pct);
}

}  // namespace

void read_report_md(Model& m, const std::string& md) {
    const auto lines = lines_of(md);
    const int grand = m.var("grand");
    std::string zone;         // current zone id ("" outside the zone tables)
    std::string focus;        // courtyard table's group
    std::vector<int> zone_parts, cy_focus, cy_total;
    auto close_zone = [&]() {
        if (zone.empty()) return;
        zone_parts.push_back(m.var("zone:" + zone + ":rest"));
        m.sum(zone_parts, m.var("zone:" + zone + ":reached"));
        zone_parts.clear();
        zone.clear();
    };
    bool in_courtyards = false;
    for (const auto& line : lines) {
        if (starts(line, "## ")) {
            close_zone();
            in_courtyards = line.find("各院落居民") != std::string::npos || line.find("Residents by courtyard") != std::string::npos;
            if (in_courtyards) {
                const auto dot = line.rfind(" · ");
                focus = dot == std::string::npos ? "" : trim(line.substr(dot + 4));
                const auto slash = focus.find(" / ");  // both languages: the Chinese name
                if (slash != std::string::npos) focus = focus.substr(0, slash);
            }
            continue;
        }
        if (starts(line, "### ")) {
            close_zone();
            if (!in_courtyards) {
                const std::string rest = line.substr(4);
                zone = rest.substr(0, rest.find(' '));
            }
            continue;
        }
        if (!starts(line, "|")) continue;
        const auto c = md_cells(line);
        if (c.size() < 2 || starts(c[0], "---")) continue;
        if (in_courtyards && c.size() == 4) {
            if (c[1] == "居民" || c[1] == "Residents" || c[1] == "居民 / Residents") continue;  // header
            const std::string where = "report.md courtyard " + c[0];
            const int t = m.var("unit:" + c[0] + ":total"), f = m.var("unit:" + c[0] + ":focus");
            m.count(t, c[1], where + " residents");
            m.count(f, c[2], where + " " + focus);
            m.le(f, t);
            m.percent(f, t, c[3]);
            cy_focus.push_back(f);
            cy_total.push_back(t);
        } else if (!zone.empty() && c.size() == 2) {
            const std::string where = "report.md zone " + zone + " " + c[0];
            if (c[0].find("可达居民") != std::string::npos || c[0].find("Residents reached (weighted)") != std::string::npos) {
                reach(m, m.var("zone:" + zone + ":reached"), grand, c[1], " / ", where);
            } else if (starts(c[0], "可达：") || starts(c[0], "Reached: ")) {
                std::string g = starts(c[0], "可达：") ? c[0].substr(std::string("可达：").size()) : c[0].substr(9);
                const auto slash = g.find(" / ");
                if (slash != std::string::npos) g = g.substr(0, slash);
                const int r = m.var("zone:" + zone + ":g:" + g);
                reach(m, r, group_var(m, g), c[1], " / ", where);
                zone_parts.push_back(r);
            }
        }
    }
    close_zone();
    if (!cy_focus.empty() && !focus.empty()) {
        m.sum(cy_focus, group_var(m, focus));
        m.sum(cy_total, grand);
    }
}

std::string pdf_text_as_report_md(const std::string& text) {
    std::string clean = text;  // pdftotext starts each page with a form feed
    for (char& ch : clean)
        if (ch == '\f') ch = ' ';
    const auto lines = lines_of(clean);
    auto columns = [](const std::string& line) {
        std::vector<std::string> out;
        std::string cur;
        std::size_t spaces = 0;
        for (char c : trim(line)) {
            if (c == ' ') {
                ++spaces;
                continue;
            }
            if (spaces >= 2 && !cur.empty()) {
                out.push_back(cur);
                cur.clear();
            } else if (spaces == 1) {
                cur += ' ';
            }
            spaces = 0;
            cur += c;
        }
        if (!cur.empty()) out.push_back(cur);
        return out;
    };
    std::string md;
    bool courtyards = false, zone_table = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string t = trim(lines[i]);
        const auto c = columns(lines[i]);
        if (starts(t, "各院落居民 · ") || starts(t, "Residents by courtyard · ")) {
            md += "## " + t + "\n";
            courtyards = true;
            zone_table = false;
            continue;
        }
        if (c.size() == 2 && ((c[0] == "指标" && c[1] == "数值") || (c[0] == "Measure" && c[1] == "Value"))) {
            // The zone's heading: the first line of the block (after a blank line) above.
            std::size_t h = i;
            while (h > 0 && !trim(lines[h - 1]).empty()) --h;
            while (h < i && trim(lines[h]).empty()) ++h;
            if (h > 0) {
                std::size_t b = h - 1;  // skip blank lines, then take the block's first line
                while (b > 0 && trim(lines[b]).empty()) --b;
                while (b > 0 && !trim(lines[b - 1]).empty()) --b;
                md += "### " + trim(lines[b]) + "\n";
            }
            courtyards = false;
            zone_table = true;
            continue;
        }
        if (courtyards && c.size() == 4) {
            md += "| " + c[0] + " | " + c[1] + " | " + c[2] + " | " + c[3] + " |\n";
        } else if (zone_table && c.size() == 2) {
            md += "| " + c[0] + " | " + c[1] + " |\n";
        } else if (zone_table && t.empty()) {
            zone_table = false;
        }
    }
    return md;
}

void read_legend_group(Model& m, const std::string& label) {
    const auto open = label.rfind(" (");
    if (open == std::string::npos || label.back() != ')') return;
    std::string name = label.substr(0, open);
    const auto slash = name.find(" / ");
    if (slash != std::string::npos) name = name.substr(0, slash);
    const std::string token = label.substr(open + 2, label.size() - open - 3);
    const int v = group_var(m, name);
    m.count(v, token, "legend " + label);
    m.var("legend:listed:" + name);  // remembered for close_legend
}

void close_legend(Model& m) {
    // Σ of the listed groups ≤ grand: a rest variable for the unlisted ones.
    std::vector<int> parts;
    for (const std::string& n : m.names_with_prefix("legend:listed:")) parts.push_back(group_var(m, n));
    parts.push_back(m.var("legend:rest"));
    m.sum(parts, m.var("grand"));
}

void read_plan_text(Model& m, const std::string& text) {
    std::string zone;
    std::vector<int> parts;
    auto close_zone = [&]() {
        if (zone.empty()) return;
        parts.push_back(m.var("zone:" + zone + ":rest"));
        m.sum(parts, m.var("zone:" + zone + ":reached"));
        parts.clear();
    };
    for (const auto& line : lines_of(text)) {
        if (starts(line, "zone ")) {
            close_zone();
            zone = split(line, " ")[1];
            continue;
        }
        const std::string t = trim(line);
        if (starts(t, "reaches ")) {
            const auto w = split(t, " ");
            if (w.size() >= 4) {
                m.count(m.var("zone:" + zone + ":reached"), w[1], "plan " + zone + " reaches");
                m.count(m.var("grand"), w[3], "plan " + zone + " residents");
            }
            continue;
        }
        // "藏族 Tibetan: 1344.0 of 2680 (50.1 %), isolation ..."
        const auto colon = t.find(": ");
        if (starts(line, "    ") && colon != std::string::npos && t.find(" of ") != std::string::npos) {
            const std::string g = t.substr(0, t.find(' '));
            std::string rest = t.substr(colon + 2);
            rest = rest.substr(0, rest.find(", isolation"));
            const int r = m.var("zone:" + zone + ":g:" + g);
            reach(m, r, m.var("group:" + g), rest, " of ", "plan " + zone + " " + g);
            parts.push_back(r);
        }
    }
    close_zone();
}

void read_plan_json(Model& m, const std::string& text) {
    const auto j = nlohmann::json::parse(text);
    for (const auto& z : j.at("zones")) {
        const std::string id = z.at("id").get<std::string>();
        auto num = [](const nlohmann::json& v, double& out) {
            if (!v.is_number()) return false;
            out = v.get<double>();
            return true;
        };
        double x = 0;
        const int reached = m.var("zone:" + id + ":reached"), grand = m.var("grand");
        m.json_count(reached, num(z.at("residents_reached"), x) ? &x : nullptr, "plan json " + id + " residents_reached");
        m.json_count(grand, num(z.at("residents_total"), x) ? &x : nullptr, "plan json " + id + " residents_total");
        std::vector<int> parts, hh_parts;
        for (const auto& g : z.at("groups")) {
            const std::string name = g.at("zh").get<std::string>();
            const std::string where = "plan json " + id + " " + name;
            const int r = m.var("zone:" + id + ":g:" + name), t = m.var("group:" + name);
            m.json_count(r, num(g.at("reached"), x) ? &x : nullptr, where + " reached");
            m.json_count(t, num(g.at("total"), x) ? &x : nullptr, where + " total");
            m.le(r, t);
            if (num(g.at("share"), x)) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.9f", 100 * x);
                m.percent(r, t, buf);
            }
            const int hr = m.var("zone:" + id + ":hh:" + name), ht = m.var("hh:" + name);
            m.json_count(hr, num(g.at("hh_reached"), x) ? &x : nullptr, where + " hh_reached");
            m.json_count(ht, num(g.at("hh_total"), x) ? &x : nullptr, where + " hh_total");
            m.le(hr, ht);
            m.le(ht, t);
            m.le(hr, r);
            parts.push_back(r);
        }
        m.sum(parts, reached);
        for (const auto& u : z.at("units")) {
            const std::string uid = u.at("id").get<std::string>();
            m.json_count(m.var("unitid:" + uid + ":total"), num(u.at("residents"), x) ? &x : nullptr,
                         "plan json " + id + " unit " + uid + " residents");
        }
    }
}

std::vector<std::string> catchment_leaks(const std::string& text, int k) {
    const auto j = nlohmann::json::parse(text);
    std::vector<std::string> out;
    const auto& zones = j.at("zones");
    if (zones.empty()) return out;
    const std::size_t ng = zones[0].at("groups").size();
    for (std::size_t g = 0; g < ng; ++g) {
        Model m(k);
        const std::string name = zones[0].at("groups")[g].at("zh").get<std::string>();
        std::map<std::string, int> cell;  // unit id → variable
        for (const auto& z : zones)
            for (const auto& u : z.at("units")) {
                const std::string uid = u.at("id").get<std::string>();
                if (cell.count(uid)) continue;
                const int v = m.var("cell:" + uid);
                cell[uid] = v;
                m.hidden(v, "catchments: " + name + " in unit " + uid);
                if (u.at("residents").is_number()) m.at_most(v, u.at("residents").get<double>());
            }
        for (const auto& z : zones) {
            const auto& gj = z.at("groups")[g];
            if (!gj.at("reached").is_number()) continue;
            std::vector<std::pair<int, double>> terms;
            for (const auto& u : z.at("units"))
                terms.emplace_back(cell.at(u.at("id").get<std::string>()), u.at("weight").get<double>());
            m.weighted_sum(terms, gj.at("reached").get<double>());
        }
        const auto& total = zones[0].at("groups")[g].at("total");
        if (total.is_number()) {
            const int outside = m.var("outside");
            m.hidden(outside, "catchments: " + name + " outside every catchment");
            std::vector<std::pair<int, double>> terms{{outside, 1.0}};
            for (const auto& [uid, v] : cell) terms.emplace_back(v, 1.0);
            m.weighted_sum(terms, total.get<double>());
        }
        for (auto& l : m.leaks()) out.push_back(std::move(l));
    }
    return out;
}

void read_compare_json(Model& m, const std::string& text) {
    const auto j = nlohmann::json::parse(text);
    for (const auto& s : j.at("scenarios")) {
        std::vector<int> parts;
        for (const auto& u : s.at("units")) {
            const std::string uid = u.at("id").get<std::string>();
            const int before = m.var("unitid:" + uid + ":total");
            const auto& tb = u.at("total_before");
            const double* v = nullptr;
            double x = 0;
            if (tb.is_number()) {
                x = tb.get<double>();
                v = &x;
            } else {
                m.hidden(before, "plan compare " + uid + " total_before (withheld)");
            }
            m.json_count(before, v, "plan compare " + uid + " total_before");
            double moved = 0;
            for (const auto& [col, d] : u.at("delta").items()) moved += d.get<double>();
            const auto& ta = u.at("total_after");
            if (ta.is_number()) {
                // after = before + moves: a printed after gives before back.
                m.weighted_sum({{before, 1.0}}, ta.get<double>() - moved);
            }
            parts.push_back(before);
        }
        m.sum(parts, m.var("grand"));
    }
}

void read_indices_lq(Model& m, const std::string& text, const std::vector<double>& unit_totals,
                     const std::vector<std::string>& group_names, const std::vector<double>& group_totals,
                     double grand) {
    const auto j = nlohmann::json::parse(text);
    const auto& lq = j.at("local").at("multi_location_quotient");
    const std::size_t n = lq.size(), ng = group_names.size();
    std::vector<std::vector<int>> col(ng);
    for (std::size_t i = 0; i < n; ++i) {
        const int t = m.var("lq:unit:" + std::to_string(i));
        const bool known = std::isfinite(unit_totals[i]);
        if (known) m.weighted_sum({{t, 1.0}}, unit_totals[i]);
        std::vector<int> row;
        for (std::size_t g = 0; g < ng; ++g) {
            const std::string where = "indices LQ unit " + std::to_string(i) + " " + group_names[g];
            const int x = m.var("lq:cell:" + std::to_string(i) + ":" + std::to_string(g));
            m.hidden(x, where);
            row.push_back(x);
            col[g].push_back(x);
            const auto& v = lq[i][g];
            if (!v.is_number()) continue;
            const double q = v.get<double>();
            const int tg = m.var("group:" + group_names[g]);
            const bool gknown = std::isfinite(group_totals[g]);
            // x = q · t · T_g / T
            if (known && gknown) m.weighted_sum({{x, 1.0}}, q * unit_totals[i] * group_totals[g] / grand, 1e-6);
            else if (known) m.weighted_sum({{x, 1.0}, {tg, -q * unit_totals[i] / grand}}, 0.0, 1e-6);
            else if (gknown) m.weighted_sum({{x, 1.0}, {t, -q * group_totals[g] / grand}}, 0.0, 1e-6);
        }
        m.sum(row, t);
    }
    for (std::size_t g = 0; g < ng; ++g) m.sum(col[g], m.var("group:" + group_names[g]));
}

void read_units_table(Model& m, const std::vector<std::string>& columns, const std::vector<std::string>& group_names,
                      const std::vector<std::vector<const double*>>& counts,
                      const std::vector<const double*>& totals,
                      const std::vector<std::vector<const double*>>& shares) {
    const std::size_t n = totals.size(), ng = columns.size();
    std::vector<std::vector<int>> col(ng);
    for (std::size_t i = 0; i < n; ++i) {
        const int t = m.var("lq:unit:" + std::to_string(i));
        m.json_count(t, totals[i], "units layer unit " + std::to_string(i) + " total");
        std::vector<int> row;
        for (std::size_t g = 0; g < ng; ++g) {
            const std::string where = "units layer unit " + std::to_string(i) + " " + columns[g];
            const int x = m.var("lq:cell:" + std::to_string(i) + ":" + std::to_string(g));
            m.hidden(x, where);
            m.json_count(x, counts[g][i], where);
            row.push_back(x);
            col[g].push_back(x);
            // count = share · total (the share printed with full precision).
            if (const double* s = shares[g][i]) m.weighted_sum({{x, 1.0}, {t, -*s}}, 0.0, 1e-6);
        }
        m.sum(row, t);
    }
    for (std::size_t g = 0; g < ng; ++g) m.sum(col[g], m.var("group:" + group_names[g]));
}

std::string indices_csv_lq_as_json(const std::string& csv, const std::vector<std::string>& columns) {
    std::map<std::size_t, std::vector<nlohmann::json>> rows;
    const std::string prefix = "local,multi_location_quotient:";
    for (const auto& line : lines_of(csv)) {
        if (!starts(line, prefix)) continue;
        const auto f = split(line, ",");
        if (f.size() < 5) continue;
        const std::string col = f[1].substr(std::string("multi_location_quotient:").size());
        const auto it = std::find(columns.begin(), columns.end(), col);
        if (it == columns.end()) continue;
        const std::size_t i = std::stoul(f[2]), g = static_cast<std::size_t>(it - columns.begin());
        auto& row = rows[i];
        row.resize(columns.size());
        row[g] = f[4].empty() ? nlohmann::json(nullptr) : nlohmann::json(std::stod(f[4]));
    }
    nlohmann::json arr = nlohmann::json::array();
    for (auto& [i, row] : rows) arr.push_back(row);
    return nlohmann::json{{"local", {{"multi_location_quotient", arr}}}}.dump();
}

void read_info_text(Model& m, const std::string& text) {
    bool in = false;
    std::vector<int> tot, reg, tmp;
    for (const auto& line : lines_of(text)) {
        if (starts(line, "groups (")) {
            in = true;
            continue;
        }
        if (!in) continue;
        const std::string t = trim(line);
        if (t.empty()) break;
        auto w = split(t, " ");
        std::vector<std::string> words;
        for (auto& s : w)
            if (!s.empty()) words.push_back(s);
        if (words.size() < 3 || words[0] == "group") continue;
        const bool total_row = words[0] == "合计";
        const std::string g = words[0];
        // name words, then total registered temporary (the last two may be blank).
        std::vector<std::string> nums(words.begin() + 2, words.end());
        const int gt = total_row ? m.var("grand") : m.var("group:" + g);
        const int gr = m.var((total_row ? std::string("reg:all") : "reg:" + g));
        const int gm = m.var((total_row ? std::string("tmp:all") : "tmp:" + g));
        if (!nums.empty()) m.count(gt, nums[0], "info " + g + " total");
        if (nums.size() >= 3) {
            m.count(gr, nums[1], "info " + g + " registered");
            m.count(gm, nums[2], "info " + g + " temporary");
            if (!total_row) m.sum({gr, gm}, gt);
        }
        if (total_row) break;
        tot.push_back(gt);
        reg.push_back(gr);
        tmp.push_back(gm);
    }
    if (!tot.empty()) {
        m.sum(tot, m.var("grand"));
        m.sum(reg, m.var("reg:all"));
        m.sum(tmp, m.var("tmp:all"));
    }
}

void read_info_json(Model& m, const std::string& text) {
    const auto j = nlohmann::json::parse(text);
    std::vector<int> tot, reg, tmp;
    auto val = [](const nlohmann::json& o, const char* key, double& out) {
        if (!o.contains(key) || !o.at(key).is_number()) return false;
        out = o.at(key).get<double>();
        return true;
    };
    double x = 0;
    for (const auto& g : j.at("groups")) {
        const std::string name = g.at("zh").get<std::string>();
        const int gt = m.var("group:" + name), gr = m.var("reg:" + name), gm = m.var("tmp:" + name);
        m.json_count(gt, val(g, "total", x) ? &x : nullptr, "info json " + name + " total");
        m.json_count(gr, val(g, "registered", x) ? &x : nullptr, "info json " + name + " registered");
        m.json_count(gm, val(g, "temporary", x) ? &x : nullptr, "info json " + name + " temporary");
        m.sum({gr, gm}, gt);
        tot.push_back(gt);
        reg.push_back(gr);
        tmp.push_back(gm);
    }
    const auto& t = j.at("totals");
    m.json_count(m.var("grand"), val(t, "total", x) ? &x : nullptr, "info json total");
    m.json_count(m.var("reg:all"), val(t, "registered", x) ? &x : nullptr, "info json registered");
    m.json_count(m.var("tmp:all"), val(t, "temporary", x) ? &x : nullptr, "info json temporary");
    m.sum(tot, m.var("grand"));
    m.sum(reg, m.var("reg:all"));
    m.sum(tmp, m.var("tmp:all"));
}

}  // namespace hq::audit
