#pragma once
// Readers for the committed spdep / libpysal reference outputs in this folder (see
// make_reference.R and make_reference_libpysal.py for provenance). Test-only code.
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "geo/geometry/types.hpp"
#include "geo/weights/weights.hpp"

namespace hq::test::ref {

inline std::string dir() { return std::string(HUQIAN_SOURCE_DIR) + "/tests/reference/spdep/"; }

/// A CSV with a header row; lines starting with '#' are comments. "NA" reads as NaN.
struct Csv {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    [[nodiscard]] std::size_t col(const std::string& name) const {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return i;
        throw std::runtime_error("no column " + name);
    }
    [[nodiscard]] std::vector<double> numbers(const std::string& name) const {
        const std::size_t c = col(name);
        std::vector<double> out;
        for (const auto& r : rows)
            out.push_back(r[c] == "NA" ? std::numeric_limits<double>::quiet_NaN() : std::stod(r[c]));
        return out;
    }
    [[nodiscard]] std::vector<std::string> strings(const std::string& name) const {
        const std::size_t c = col(name);
        std::vector<std::string> out;
        for (const auto& r : rows) out.push_back(r[c]);
        return out;
    }
};

inline std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream ss(line);
    while (std::getline(ss, cur, sep)) out.push_back(cur);
    return out;
}

inline Csv read_csv(const std::string& name) {
    std::ifstream in(dir() + name);
    if (!in) throw std::runtime_error("cannot open reference file " + name);
    Csv csv;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (csv.header.empty()) csv.header = split(line, ',');
        else csv.rows.push_back(split(line, ','));
    }
    return csv;
}

/// Neighbour lists from an edge file "i,j[,w]" (0-based) for n units.
inline Weights read_edges(const std::string& name, std::size_t n) {
    const Csv csv = read_csv(name);
    std::vector<std::vector<std::uint32_t>> nb(n);
    std::vector<std::vector<double>> w(n);
    const bool weighted = csv.header.size() == 3;
    for (const auto& r : csv.rows) {
        const auto i = std::stoul(r[0]);
        nb[i].push_back(static_cast<std::uint32_t>(std::stoul(r[1])));
        w[i].push_back(weighted ? std::stod(r[2]) : 1.0);
    }
    return Weights::from_lists(std::move(nb), std::move(w),
                               weighted ? WeightsStyle::General : WeightsStyle::Binary);
}

inline Ring to_ring(const nlohmann::json& coords) {
    Ring r;
    for (const auto& p : coords) r.push_back({p[0].get<double>(), p[1].get<double>()});
    return r;
}

inline Polygon to_polygon(const nlohmann::json& rings) {
    Polygon p;
    for (const auto& r : rings) p.rings.push_back(to_ring(r));
    return p;
}

struct Features {
    std::vector<Geometry> geometries;
    std::map<std::string, std::vector<double>> columns;  ///< numeric properties
};

/// Minimal GeoJSON reader for the committed Columbus file (Polygon / MultiPolygon,
/// numeric properties): independent of the project's GDAL loader.
inline Features read_geojson(const std::string& name, bool absolute = false) {
    std::ifstream in(absolute ? name : dir() + name);
    if (!in) throw std::runtime_error("cannot open " + name);
    const nlohmann::json j = nlohmann::json::parse(in);
    Features f;
    for (const auto& feat : j.at("features")) {
        const auto& g = feat.at("geometry");
        Geometry geom;
        if (g.at("type") == "Polygon") {
            geom.type = GeomType::Polygon;
            geom.polygons.push_back(to_polygon(g.at("coordinates")));
        } else {
            geom.type = GeomType::MultiPolygon;
            for (const auto& p : g.at("coordinates")) geom.polygons.push_back(to_polygon(p));
        }
        f.geometries.push_back(std::move(geom));
        for (const auto& [k, v] : feat.at("properties").items())
            if (v.is_number()) f.columns[k].push_back(v.get<double>());
    }
    return f;
}

inline std::vector<Vec2> read_coords() {
    const Csv c = read_csv("coords.csv");
    const auto x = c.numbers("x"), y = c.numbers("y");
    std::vector<Vec2> out;
    for (std::size_t i = 0; i < x.size(); ++i) out.push_back({x[i], y[i]});
    return out;
}

/// global.csv value for (test, variable, weights, quantity).
inline double global_value(const Csv& g, const std::string& test, const std::string& var, const std::string& w,
                           const std::string& quantity) {
    for (const auto& r : g.rows)
        if (r[0] == test && r[1] == var && r[2] == w && r[3] == quantity) return r[4] == "NA" ? NAN : std::stod(r[4]);
    throw std::runtime_error("no reference value " + test + "/" + var + "/" + w + "/" + quantity);
}

/// |a − b| <= rel·|b| + abs, NaN equal to NaN.
inline bool close(double a, double b, double rel = 1e-9, double abs = 1e-12) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::fabs(a - b) <= rel * std::fabs(b) + abs;
}

}  // namespace hq::test::ref
