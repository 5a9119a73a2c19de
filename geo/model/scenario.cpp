#include "geo/model/scenario.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "geo/core/error.hpp"
#include "geo/io/reader.hpp"

namespace hq::plan {

std::vector<Scenario> scenarios_from_json(const std::string& text, const std::string& source) {
    std::vector<Scenario> out;
    try {
        const auto j = nlohmann::json::parse(text);
        const auto& arr = j.is_object() ? j.at("scenarios") : j;
        for (const auto& s : arr) {
            Scenario sc;
            sc.name = s.at("name").get<std::string>();
            if (const auto d = s.find("description"); d != s.end() && d->is_string()) sc.description = d->get<std::string>();
            sc.zone_ids = s.value("zones", std::vector<std::string>{});
            for (const auto& m : s.value("moves", nlohmann::json::array()))
                sc.moves.push_back({m.at("group").get<std::string>(), m.at("from").get<std::string>(),
                                    m.at("to").get<std::string>(), m.at("count").get<double>()});
            out.push_back(std::move(sc));
        }
    } catch (const nlohmann::json::exception& e) {
        throw InputError(ErrorContext{source}, std::string("not a valid scenario list (") + e.what() + ")");
    }
    return out;
}

std::vector<Scenario> read_scenario_file(const std::string& path) {
    check_local_file(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(ErrorContext{path}, "cannot open the scenario file");
    std::ostringstream text;
    text << in.rdbuf();
    return scenarios_from_json(text.str(), path);
}

}  // namespace hq::plan
