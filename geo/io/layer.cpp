#include "geo/io/layer.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <cstdio>

#include "geo/core/error.hpp"

namespace hq {

const char* field_type_name(FieldType t) {
    switch (t) {
        case FieldType::Integer: return "integer";
        case FieldType::Real: return "real";
        case FieldType::String: return "string";
        case FieldType::Date: return "date";
    }
    return "?";
}

int Table::field_index(const std::string& n) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == n) return static_cast<int>(i);
    return -1;
}

std::size_t Table::add_field(Field f) {
    fields.push_back(std::move(f));
    for (auto& r : rows) r.emplace_back();
    return fields.size() - 1;
}

std::string value_to_string(const Value& v) {
    if (std::holds_alternative<std::int64_t>(v)) return std::to_string(std::get<std::int64_t>(v));
    if (std::holds_alternative<double>(v)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.15g", std::get<double>(v));
        return buf;
    }
    if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
    return {};
}

namespace {

ErrorContext cell_context(const Layer& layer, std::size_t i, const std::string& field) {
    ErrorContext c;
    c.file = layer.path();
    c.feature = i;
    if (i < layer.ids.size()) c.feature_id = layer.ids[i];
    c.field = field;
    return c;
}

int require_field(const Layer& layer, const std::string& field) {
    const int j = layer.table.field_index(field);
    if (j < 0) {
        ErrorContext c;
        c.file = layer.path();
        c.field = field;
        std::string have;
        for (const auto& f : layer.table.fields) have += (have.empty() ? "" : ", ") + f.name;
        throw InputError(c, "no such column (the layer has: " + (have.empty() ? std::string("no columns") : have) + ")");
    }
    return j;
}

/// Strict parse of a whole cell as a number (surrounding blanks allowed).
std::optional<double> parse_number(const std::string& text) {
    std::size_t b = text.find_first_not_of(" \t");
    std::size_t e = text.find_last_not_of(" \t");
    if (b == std::string::npos) return std::nullopt;
    const std::string t = text.substr(b, e - b + 1);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || ptr != t.data() + t.size()) return std::nullopt;
    return v;
}

}  // namespace

std::vector<double> read_numbers(const Layer& layer, const std::string& field) {
    const int j = require_field(layer, field);
    std::vector<double> out(layer.table.rows.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const Value& v = layer.table.rows[i][static_cast<std::size_t>(j)];
        double x = 0;
        if (std::holds_alternative<std::int64_t>(v)) {
            x = static_cast<double>(std::get<std::int64_t>(v));
        } else if (std::holds_alternative<double>(v)) {
            x = std::get<double>(v);
        } else if (std::holds_alternative<std::string>(v)) {
            const auto parsed = parse_number(std::get<std::string>(v));
            if (!parsed)
                throw InputError(cell_context(layer, i, field), "\"" + std::get<std::string>(v) + "\" is not a number");
            x = *parsed;
        } else {
            throw InputError(cell_context(layer, i, field), "value is missing (null)");
        }
        if (!std::isfinite(x)) throw InputError(cell_context(layer, i, field), "value is not a finite number");
        out[i] = x;
    }
    return out;
}

namespace {

/// Checks one count; `text` is how the cell reads, for the message.
void check_count(double x, const std::string& text, const ErrorContext& where) {
    constexpr double kMaxCount = 1e9;
    if (std::isnan(x)) throw InputError(where, "NaN is not a count");
    if (x < 0) throw InputError(where, text + " is negative");
    if (!std::isfinite(x) || x > kMaxCount)
        throw InputError(where, text + " is too large for a count of residents (over 1e9)");
    if (x != std::floor(x)) throw InputError(where, text + " is not a whole number of residents");
}

}  // namespace

InputError in_layer(const Layer& layer, const InputError& e) {
    ErrorContext c = e.context();
    if (c.file.empty()) c.file = layer.path();
    if (c.layer.empty()) c.layer = layer.name();
    if (c.feature && c.feature_id.empty() && *c.feature < layer.ids.size()) c.feature_id = layer.ids[*c.feature];
    return InputError(c, e.bare_message());
}

std::vector<double> read_counts(const Layer& layer, const std::string& field) {
    const int j = require_field(layer, field);
    std::vector<double> out(layer.table.rows.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const Value& v = layer.table.rows[i][static_cast<std::size_t>(j)];
        double x = 0;
        if (std::holds_alternative<std::int64_t>(v)) {
            x = static_cast<double>(std::get<std::int64_t>(v));
        } else if (std::holds_alternative<double>(v)) {
            x = std::get<double>(v);
        } else if (std::holds_alternative<std::string>(v)) {
            // A text column (e.g. mixed types in GeoJSON, or a spreadsheet stored as text):
            // accept cells that are plain numbers, and check them like numbers.
            const std::string& text = std::get<std::string>(v);
            const auto parsed = parse_number(text);
            if (!parsed)
                throw InputError(cell_context(layer, i, field), "\"" + text + "\" is not a count (expected a whole number)");
            x = *parsed;
        } else {
            throw InputError(cell_context(layer, i, field), "count is missing (null)");
        }
        // The message's text and context are built only for a bad cell (this runs per cell
        // of every group column: 800k times for a 100k-unit city with 8 groups).
        if (!(x >= 0 && x <= 1e9 && x == std::floor(x)))
            check_count(x, value_to_string(v), cell_context(layer, i, field));
        out[i] = x;
    }
    return out;
}

}  // namespace hq
