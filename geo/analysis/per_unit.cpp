#include "geo/analysis/per_unit.hpp"

#include <cmath>
#include <limits>

#include "geo/analysis/local.hpp"
#include "geo/analysis/segregation.hpp"
#include "geo/privacy/maps.hpp"
#include "geo/privacy/tables.hpp"

namespace hq::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Value number(double v) { return std::isfinite(v) ? Value(v) : Value(); }

Value count_value(const privacy::Cell& c) {
    if (c.suppressed() || !std::isfinite(c.value)) return {};
    return Value(static_cast<std::int64_t>(std::llround(c.value)));
}

}  // namespace

int geoda_cluster_code(const AutocorrResult& lisa, std::size_t unit) {
    if (unit >= lisa.cluster.size()) return 0;
    const Quadrant q = lisa.cluster[unit];
    if (q == Quadrant::Island) return 6;
    if (unit < lisa.local_moran_significant.size() && lisa.local_moran_significant[unit]) return static_cast<int>(q);
    return 0;
}

const char* geoda_cluster_label(int code) {
    switch (code) {
        case 1: return "High-High";
        case 2: return "Low-Low";
        case 3: return "Low-High";
        case 4: return "High-Low";
        case 6: return "Neighbourless";
        default: return "Not significant";
    }
}

std::string per_unit_id_field(const Layer& units) { return units.id_field.empty() ? "id" : units.id_field; }

Table per_unit_table(const GroupCountTable& t, const PerUnitRequest& rq,
                     const Progress& progress) {
    if (!t.layer) throw InputError("no units layer for a per-unit table");
    const Layer& l = *t.layer;
    const std::size_t n = l.size(), G = t.columns.size();
    Table out;
    out.name = l.name();
    const std::string id_field = per_unit_id_field(l);
    out.fields.push_back({id_field, FieldType::String});
    std::vector<int> name_fields;
    for (const char* nm : {"name_zh", "name_en", "name"})
        if (const int f = l.table.field_index(nm); f >= 0 && nm != id_field) {
            out.fields.push_back({nm, FieldType::String});
            name_fields.push_back(f);
        }
    out.rows.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) {
        out.rows[i].push_back(Value(l.ids[i]));
        for (const int f : name_fields) out.rows[i].push_back(l.table.rows[i][static_cast<std::size_t>(f)]);
    }
    const auto column = [&](const std::string& name, FieldType type, const std::vector<Value>& values) {
        out.fields.push_back({name, type});
        for (std::size_t i = 0; i < n; ++i) out.rows[i].push_back(values[i]);
    };

    const privacy::ProtectedTable groups = privacy::group_totals_table(t.group_totals, rq.privacy);
    const privacy::ProtectedTable cells = privacy::units_by_groups_table(t.counts, groups);
    // A count or share follows its cell (primary and complementary suppression). An exact
    // value computed from a unit's counts (a local index, the LISA's I and z of a share)
    // would give withheld counts back with the unit's total, so it is withheld when any
    // count of the unit is; the LISA cluster and p (categories, ranks) are withheld where the
    // map hatches the unit (fewer than k residents).
    std::vector<bool> hatched(n), hidden = privacy::units_with_withheld_counts(cells);
    for (std::size_t i = 0; i < n; ++i) {
        hatched[i] = rq.privacy.small(t.totals[i]);
        hidden[i] = hidden[i] || hatched[i];
    }

    if (rq.counts) {
        for (std::size_t g = 0; g < G; ++g) {
            std::vector<Value> v(n);
            for (std::size_t i = 0; i < n; ++i) v[i] = count_value(cells.cell(i, g));
            column(t.columns[g], FieldType::Integer, v);
        }
        std::vector<Value> v(n);
        for (std::size_t i = 0; i < n; ++i) v[i] = count_value(cells.row_total(i));
        column("total", FieldType::Integer, v);
    }
    if (rq.shares)
        for (std::size_t g = 0; g < G; ++g) {
            std::vector<Value> v(n);
            for (std::size_t i = 0; i < n; ++i)
                if (const auto s = privacy::share(cells.cell(i, g), cells.row_total(i))) v[i] = Value(*s);
            column("share_" + t.columns[g], FieldType::Real, v);
        }
    progress.report(0.3, "local indices");
    if (rq.local && t.with_residents().size() >= 2) {
        for (const char* id : {"multi_local_entropy", "multi_local_diversity", "multi_local_simpson_interaction",
                               "multi_local_simpson_concentration"}) {
            const std::vector<double> x = local_index(t, id, 0);
            std::vector<Value> v(n);
            for (std::size_t i = 0; i < n; ++i) v[i] = hidden[i] ? Value() : number(x[i]);
            column(id, FieldType::Real, v);
        }
        // Location quotients: with the unit and group totals they give the count back, so
        // they are withheld with their cell (geo/privacy).
        const std::vector<std::size_t> kept = t.with_residents();
        std::vector<double> lq(n * G, kNaN), counts(n * G, 0.0);
        for (const std::size_t g : kept) {
            const std::vector<double> x = local_index(t, "multi_location_quotient", g);
            for (std::size_t i = 0; i < n; ++i) lq[i * G + g] = x[i];
        }
        for (std::size_t g = 0; g < G; ++g)
            for (std::size_t i = 0; i < n; ++i) counts[i * G + g] = t.counts[g][i];
        privacy::withhold_with_cells(lq, counts, n, G, rq.privacy);
        for (std::size_t g = 0; g < G; ++g) {
            std::vector<Value> v(n);
            for (std::size_t i = 0; i < n; ++i) v[i] = (hidden[i] || cells.cell(i, g).suppressed()) ? Value() : number(lq[i * G + g]);
            column("lq_" + t.columns[g], FieldType::Real, v);
        }
        if (n <= kMaxDistortionUnits) {
            // A unit's distortion reads every unit's counts (its growing neighbourhood), so it
            // is published only when no count of the table is withheld (privacy/maps).
            const std::vector<double> x = local_index(t, "local_distortion", 0, progress);
            const bool all = !rq.privacy.guard || privacy::every_cell_published(cells);
            std::vector<Value> v(n);
            for (std::size_t i = 0; i < n; ++i) v[i] = (hidden[i] || !all) ? Value() : number(x[i]);
            column("local_distortion", FieldType::Real, v);
        }
    }
    if (rq.lisa && rq.lisa->local_moran && rq.lisa->local_moran->Ii.size() == n) {
        const LocalMoranResult& lm = *rq.lisa->local_moran;
        const bool perm = lm.permutations > 0;
        std::vector<Value> ii(n), z(n), p(n), sig(n), code(n), label(n);
        // With the guard on, the LISA's values are those of published-only inputs (geo/privacy
        // lisa_input_units, docs/privacy.md "LISA"): every field is null for a unit it left
        // out, as the map hatches it; a result computed without the guard shows nothing.
        const bool unguarded = rq.privacy.guard && !rq.lisa->published_only;
        for (std::size_t i = 0; i < n; ++i) {
            if (hatched[i] || unguarded || rq.lisa->is_withheld(i)) continue;
            ii[i] = number(lm.Ii[i]);
            z[i] = number(lm.z[i]);
            p[i] = number(perm ? lm.p_permutation[i] : lm.p_analytical[i]);
            const int c = geoda_cluster_code(*rq.lisa, i);
            sig[i] = Value(static_cast<std::int64_t>(c >= 1 && c <= 4 ? 1 : 0));
            code[i] = Value(static_cast<std::int64_t>(c));
            label[i] = Value(std::string(geoda_cluster_label(c)));
        }
        column("lisa_i", FieldType::Real, ii);
        column("lisa_z", FieldType::Real, z);
        column("lisa_p", FieldType::Real, p);
        column("lisa_sig", FieldType::Integer, sig);
        column("lisa_cluster", FieldType::Integer, code);
        column("lisa_label", FieldType::String, label);
    }
    progress.report(1.0, "per-unit table");
    return out;
}

}  // namespace hq::analysis
