#pragma once
// Errors that carry their context (file, layer, feature, field) and print as one line.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

namespace hq {

/// Where in the input a problem sits. Every member is optional; what is set is printed.
struct ErrorContext {
    std::string file;                    ///< path as the user gave it
    std::string layer;                   ///< layer name or role ("units")
    std::optional<std::size_t> feature;  ///< 0-based feature index in the file
    std::string feature_id;              ///< the feature's id, when it has one
    std::string field;                   ///< attribute / column name

    /// "courtyards.geojson: feature 17 (id "CY-17"): field pop_tibetan"
    [[nodiscard]] std::string describe() const;
};

/// Bad input from a user: a file, a manifest, a field value, a parameter.
/// The CLI maps it to exit code 1 and prints what() as one line: what() and bare_message()
/// pass through hq::printable (geo/core/text.hpp), so a newline or a terminal escape from
/// the data (an id, a column name) shows as \n or \x1b and never acts.
class InputError : public std::runtime_error {
public:
    InputError(ErrorContext context, const std::string& message);
    explicit InputError(const std::string& message) : InputError(ErrorContext{}, message) {}

    [[nodiscard]] const ErrorContext& context() const noexcept { return m_context; }
    /// The message without its context prefix.
    [[nodiscard]] const std::string& bare_message() const noexcept { return m_message; }

private:
    ErrorContext m_context;
    std::string m_message;
};

/// Thrown by long computations when their cancel flag is raised.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace hq
