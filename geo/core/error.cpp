#include "geo/core/error.hpp"

#include "geo/core/text.hpp"

namespace hq {

std::string ErrorContext::describe() const {
    std::string out;
    auto add = [&out](const std::string& part) {
        if (!out.empty()) out += ": ";
        out += part;
    };
    if (!file.empty()) add(file);
    if (!layer.empty()) add("layer " + layer);
    if (feature) {
        std::string f = "feature " + std::to_string(*feature);
        if (!feature_id.empty()) f += " (id \"" + feature_id + "\")";
        add(f);
    } else if (!feature_id.empty()) {
        add("feature id \"" + feature_id + "\"");
    }
    if (!field.empty()) add("field " + field);
    return out;
}

namespace {
std::string join_context(const ErrorContext& c, const std::string& message) {
    std::string where = c.describe();
    return where.empty() ? message : where + ": " + message;
}
}  // namespace

InputError::InputError(ErrorContext context, const std::string& message)
    : std::runtime_error(printable(join_context(context, message))),
      m_context(std::move(context)),
      m_message(printable(message)) {}

}  // namespace hq
