// huqian weights PATH [--layer L] --weights SPEC [-o FILE.gal|FILE.gwt] [--json]
// Builds spatial weights for a layer, prints a summary (neighbour counts, islands) and
// writes them as a GeoDa/PySAL .gal or .gwt file. See docs/autocorrelation.md.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "geo/core/error.hpp"
#include "geo/analysis/weights.hpp"
#include "geo/core/text.hpp"

namespace hq::cli {
namespace {

struct WeightsArgs {
    std::string path;
    LoadArgs load;
    std::string weights;
    std::string output;
    bool json = false;
};

std::string lower_ext(const std::string& path) {
    const std::size_t dot = path.find_last_of('.');
    if (dot == std::string::npos) return "";
    std::string e = path.substr(dot);
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

void run(const WeightsArgs& a) {
    const WeightsSpec spec = parse_weights_spec(a.weights);
    const std::string ext = lower_ext(a.output);
    if (!a.output.empty() && ext != ".gal" && ext != ".gwt")
        throw InputError("-o: the weights file must end in .gal or .gwt, got '" + a.output + "'");
    const Project project = load_for_command(a.path, a.load);
    const Layer* layer = project.analysis_layer();
    if (!layer || !layer->has_geometry())
        throw InputError(ErrorContext{.file = a.path}, "no layer with geometry to build weights for");

    StderrProgress bar("weights");
    const Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    const BuiltWeights built = resolve_weights(spec, *layer, progress);
    if (built.fallback) print_note("weights " + built.note_en() + " instead of " + spec.canonical());
    const Weights& w = built.weights;
    const NeighbourStats s = w.stats();
    const auto islands = w.islands();

    if (!a.output.empty()) {
        // GeoDa matches the header's key against the table: name the layer's real id field.
        const std::string key = weights_file_key(*layer);
        const std::string text = ext == ".gal" ? format_gal(w, layer->ids, layer->name(), key)
                                               : format_gwt(w, layer->ids, layer->name(), key);
        if (ext == ".gal" && w.style != WeightsStyle::Binary)
            std::cerr << "huqian: warning: a .gal file holds neighbour lists only; the weight values (" << weights_style_name(w.style)
                      << ") are dropped. Write a .gwt to keep them.\n";
        write_output(a.output, text);
    }

    // Histogram of neighbour counts.
    std::vector<std::size_t> hist(s.max_neighbours + 1, 0);
    for (std::size_t i = 0; i < w.n; ++i) ++hist[w.cardinality(i)];

    if (a.json) {
        nlohmann::ordered_json j;
        j["n"] = w.n;
        j["spec"] = spec.text;
        j["weights"] = weights_json(analysis::weights_provenance(built));
        j["style"] = weights_style_name(w.style);
        j["links"] = s.links;
        j["min_neighbours"] = s.min_neighbours;
        j["mean_neighbours"] = s.mean_neighbours;
        j["max_neighbours"] = s.max_neighbours;
        j["percent_nonzero"] = s.percent_nonzero;
        j["symmetric"] = s.symmetric;
        nlohmann::ordered_json isl = nlohmann::ordered_json::array();
        for (const auto i : islands) isl.push_back(layer->ids[i]);
        j["islands"] = isl;
        nlohmann::ordered_json h = nlohmann::ordered_json::object();
        for (std::size_t k = 0; k < hist.size(); ++k)
            if (hist[k]) h[std::to_string(k)] = hist[k];
        j["neighbour_counts"] = h;
        j["output"] = a.output.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(a.output);
        (a.output == "-" ? std::cerr : std::cout) << j.dump(2) << "\n";
        return;
    }
    std::ostringstream o;
    o << "weights " << printable(spec.text) << " for " << printable(layer->path()) << ": " << w.n << " units, " << s.links << " links ("
      << weights_style_name(w.style) << (s.symmetric ? ", symmetric" : ", not symmetric") << ")\n";
    char buf[128];
    std::snprintf(buf, sizeof buf, "neighbours: min %zu, mean %.3f, max %zu; %.3f%% non-zero\n", s.min_neighbours,
                  s.mean_neighbours, s.max_neighbours, s.percent_nonzero);
    o << buf;
    o << "neighbour counts:";
    for (std::size_t k = 0; k < hist.size(); ++k)
        if (hist[k]) o << " " << k << ":" << hist[k];
    o << "\n";
    o << "islands: " << islands.size();
    for (std::size_t k = 0; k < islands.size() && k < 20; ++k) o << (k ? ", " : " (") << printable(layer->ids[islands[k]]);
    if (!islands.empty()) o << (islands.size() > 20 ? ", ...)" : ")");
    o << "\n";
    if (!a.output.empty()) o << "written: " << printable(a.output) << "\n";
    // The summary goes to stdout, unless the weights file itself does.
    (a.output == "-" ? std::cerr : std::cout) << printable_lines(o.str());
}

void setup(CLI::App& app) {
    auto args = std::make_shared<WeightsArgs>();
    CLI::App* cmd = app.add_subcommand("weights", "Build spatial weights, summarise them and write a .gal/.gwt file");
    cmd->add_option("PATH", args->path, "Project folder or vector file")->required();
    args->load.add_to(cmd);
    cmd->add_option("--weights", args->weights, std::string(weights_spec_forms()) + " (metres)")->required();
    cmd->add_option("-o,--output", args->output, "Write the weights to FILE.gal or FILE.gwt");
    cmd->add_flag("--json", args->json, "Print the summary as JSON on standard output");
    cmd->callback([args]() { run(*args); });
}

const Registrar reg{"weights", 41, &setup};

}  // namespace
}  // namespace hq::cli
