#pragma once
// A vector layer as plain values: features with a stable id, geometry in two CRSs and a
// typed attribute table.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "geo/core/error.hpp"
#include "geo/crs/crs.hpp"
#include "geo/geometry/types.hpp"

namespace hq {

enum class FieldType : std::uint8_t { Integer, Real, String, Date };
const char* field_type_name(FieldType t);

struct Field {
    std::string name;
    FieldType type = FieldType::String;
};

/// A cell: null, integer, real, or UTF-8 string (dates are ISO 8601 strings, type Date).
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

/// A table of rows (one per feature) with named, typed columns.
struct Table {
    std::string name;                      ///< layer / sheet name
    std::string path;                      ///< file it came from, as given
    std::vector<Field> fields;
    std::vector<std::vector<Value>> rows;  ///< rows[i][j] = feature i, field j

    [[nodiscard]] int field_index(const std::string& name) const;  ///< -1 if absent
    [[nodiscard]] std::size_t size() const { return rows.size(); }
    /// Appends a column (all null); returns its index.
    std::size_t add_field(Field f);
};

struct Layer {
    Table table;
    std::vector<std::string> ids;     ///< stable feature ids, unique in the layer
    std::string id_field;             ///< the attribute the ids come from ("" = GDAL feature ids)
    std::vector<Geometry> display;    ///< WGS 84 lon/lat; source coordinates when planar
    std::vector<Geometry> metric;     ///< the project's metric CRS (metres); source when planar
    Crs source_crs;                   ///< as read (unknown when the file has none)
    GeomType geom_type = GeomType::None;  ///< the layer's declared/observed type
    bool planar = false;              ///< no CRS and not lon/lat: measured as given

    [[nodiscard]] const std::string& name() const { return table.name; }
    [[nodiscard]] const std::string& path() const { return table.path; }
    [[nodiscard]] std::size_t size() const { return ids.size(); }
    [[nodiscard]] bool has_geometry() const { return !display.empty(); }
};

/// Reads a column as non-negative integer counts (stored as double for the statistics).
/// Throws InputError naming file, feature (index and id) and field for a missing column,
/// a null, negative, fractional, non-numeric, NaN or huge (> 1e9) value.
std::vector<double> read_counts(const Layer& layer, const std::string& field);
/// Reads a numeric column (integer or real); nulls and non-numbers are errors.
std::vector<double> read_numbers(const Layer& layer, const std::string& field);

/// Formats a cell for display ("" for null).
std::string value_to_string(const Value& v);

/// `e` with the layer's file and name where its context has none, and the id of the
/// feature it names (so a GEOS error on feature i of file F names F, i and the id).
InputError in_layer(const Layer& layer, const InputError& e);

/// Runs f(); an InputError thrown by it is rethrown through in_layer.
template <class F>
decltype(auto) with_layer_context(const Layer& layer, F&& f) {
    try {
        return f();
    } catch (const InputError& e) {
        throw in_layer(layer, e);
    }
}

}  // namespace hq
