#include "geo/model/zone.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "geo/core/error.hpp"

namespace hq::plan {

namespace {

struct KindNames {
    ZoneKind kind;
    const char* id;
    const char* zh;
    const char* en;
};

constexpr KindNames kKinds[] = {
    {ZoneKind::SharedActivityVenue, "shared_activity_venue", "共享活动场所", "shared activity venue"},
    {ZoneKind::MicroGarden, "micro_garden", "微花园", "micro-garden"},
    {ZoneKind::FestivalSite, "festival_site", "节庆活动场地", "festival site"},
    {ZoneKind::MerchantsAlliance, "merchants_alliance", "商户联盟", "merchants' alliance"},
    {ZoneKind::MixedHousing, "mixed_housing", "混合居住", "mixed housing"},
    {ZoneKind::PartyServicePoint, "party_service_point", "党群服务点", "Party-service point"},
    {ZoneKind::Other, "other", "其他", "other"},
};

const KindNames& names(ZoneKind k) {
    for (const auto& n : kKinds)
        if (n.kind == k) return n;
    return kKinds[std::size(kKinds) - 1];
}

std::string text_at(const Layer& l, std::size_t i, const char* field) {
    const int f = l.table.field_index(field);
    if (f < 0) return {};
    return value_to_string(l.table.rows[i][static_cast<std::size_t>(f)]);
}

}  // namespace

const char* zone_kind_id(ZoneKind k) { return names(k).id; }
const char* zone_kind_zh(ZoneKind k) { return names(k).zh; }
const char* zone_kind_en(ZoneKind k) { return names(k).en; }

std::optional<ZoneKind> zone_kind_from_id(const std::string& s) {
    std::string t;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        t.push_back((c == '-' || c == ' ') ? '_' : static_cast<char>(std::tolower(u)));
    }
    for (const auto& n : kKinds)
        if (t == n.id) return n.kind;
    return std::nullopt;
}

bool is_iso_date(const std::string& s) {
    if (s.empty()) return true;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
    if (m < 1 || m > 12 || d < 1) return false;
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + ((m == 2 && leap) ? 1 : 0);
}

bool same_geometry(const Geometry& a, const Geometry& b, double tol) {
    if (a.type != b.type || a.points.size() != b.points.size() || a.lines.size() != b.lines.size() ||
        a.polygons.size() != b.polygons.size())
        return false;
    auto near = [tol](Vec2 p, Vec2 q) { return std::abs(p.x - q.x) <= tol && std::abs(p.y - q.y) <= tol; };
    auto same_path = [&](const std::vector<Vec2>& p, const std::vector<Vec2>& q) {
        if (p.size() != q.size()) return false;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (!near(p[i], q[i])) return false;
        return true;
    };
    if (!same_path(a.points, b.points)) return false;
    for (std::size_t i = 0; i < a.lines.size(); ++i)
        if (!same_path(a.lines[i], b.lines[i])) return false;
    for (std::size_t i = 0; i < a.polygons.size(); ++i) {
        if (a.polygons[i].rings.size() != b.polygons[i].rings.size()) return false;
        for (std::size_t r = 0; r < a.polygons[i].rings.size(); ++r)
            if (!same_path(a.polygons[i].rings[r], b.polygons[i].rings[r])) return false;
    }
    return true;
}

bool operator==(const Zone& a, const Zone& b) {
    return a.id == b.id && a.name_zh == b.name_zh && a.name_en == b.name_en && a.kind == b.kind &&
           a.status == b.status && a.owner == b.owner && a.budget == b.budget && a.start_date == b.start_date &&
           a.end_date == b.end_date && a.notes == b.notes && same_geometry(a.geometry, b.geometry);
}

std::vector<Field> zone_fields() {
    return {{"id", FieldType::String},        {"name_zh", FieldType::String}, {"name_en", FieldType::String},
            {"kind", FieldType::String},      {"status", FieldType::String},  {"owner", FieldType::String},
            {"budget", FieldType::Real},      {"start_date", FieldType::Date}, {"end_date", FieldType::Date},
            {"notes", FieldType::String}};
}

Layer zones_to_layer(const std::vector<Zone>& zones, const Crs& metric_crs, const std::string& name) {
    Layer l;
    l.table.name = name;
    l.table.path = name;
    l.table.fields = zone_fields();
    l.geom_type = GeomType::Polygon;
    l.planar = !metric_crs.known();
    l.source_crs = metric_crs;
    std::optional<Transformer> to_wgs84;
    if (metric_crs.known()) to_wgs84.emplace(metric_crs, Crs::wgs84());
    for (const Zone& z : zones) {
        l.ids.push_back(z.id);
        l.metric.push_back(z.geometry);
        Geometry d = z.geometry;
        if (to_wgs84) to_wgs84->apply(d);
        l.display.push_back(std::move(d));
        auto text = [](const std::string& s) { return s.empty() ? Value{} : Value{s}; };
        l.table.rows.push_back({Value{z.id}, text(z.name_zh), text(z.name_en), Value{std::string(zone_kind_id(z.kind))},
                                text(z.status), text(z.owner), z.budget ? Value{*z.budget} : Value{},
                                text(z.start_date), text(z.end_date), text(z.notes)});
    }
    return l;
}

std::vector<Zone> zones_from_layer(const Layer& l, std::vector<std::string>* warnings) {
    std::vector<Zone> out;
    out.reserve(l.size());
    const int budget_f = l.table.field_index("budget");
    for (std::size_t i = 0; i < l.size(); ++i) {
        const ErrorContext where{l.path(), l.name(), i, l.ids[i], {}};
        Zone z;
        z.id = l.ids[i];
        z.geometry = i < l.metric.size() ? l.metric[i] : Geometry{};
        if (!z.geometry.is_polygonal() || z.geometry.empty())
            throw InputError(where, "a zone must be a polygon (this feature is " +
                                        std::string(geom_type_name(z.geometry.type)) + ")");
        z.name_zh = text_at(l, i, "name_zh");
        z.name_en = text_at(l, i, "name_en");
        if (z.name_zh.empty()) z.name_zh = text_at(l, i, "name");
        const std::string kind = text_at(l, i, "kind");
        if (!kind.empty()) {
            if (auto k = zone_kind_from_id(kind)) {
                z.kind = *k;
            } else if (warnings) {
                warnings->push_back(where.describe() + ": unknown zone kind \"" + kind + "\", treated as other");
            }
        }
        z.status = text_at(l, i, "status");
        z.owner = text_at(l, i, "owner");
        if (budget_f >= 0) {
            const Value& v = l.table.rows[i][static_cast<std::size_t>(budget_f)];
            if (const auto* d = std::get_if<double>(&v)) z.budget = *d;
            else if (const auto* n = std::get_if<std::int64_t>(&v)) z.budget = static_cast<double>(*n);
            else if (const auto* s = std::get_if<std::string>(&v); s && !s->empty()) {
                ErrorContext c = where;
                c.field = "budget";
                throw InputError(c, "budget is not a number: \"" + *s + "\"");
            }
            if (z.budget && (!std::isfinite(*z.budget) || *z.budget < 0)) {
                ErrorContext c = where;
                c.field = "budget";
                throw InputError(c, "budget must be a non-negative number");
            }
        }
        z.start_date = text_at(l, i, "start_date");
        z.end_date = text_at(l, i, "end_date");
        for (const char* f : {"start_date", "end_date"}) {
            const std::string& d = std::string(f) == "start_date" ? z.start_date : z.end_date;
            if (!is_iso_date(d)) {
                ErrorContext c = where;
                c.field = f;
                throw InputError(c, "not a date in the form YYYY-MM-DD: \"" + d + "\"");
            }
        }
        z.notes = text_at(l, i, "notes");
        out.push_back(std::move(z));
    }
    return out;
}

}  // namespace hq::plan
