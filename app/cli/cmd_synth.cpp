// huqian synth --units N --groups G --seed S -o FILE.gpkg: a synthetic city for benchmarks.
#include <memory>

#include "app/cli/command.hpp"
#include "geo/io/writer.hpp"
#include "geo/synth/synth.hpp"

namespace hq::cli {
namespace {

struct SynthArgs {
    std::size_t units = 1000;
    int groups = 3;
    std::uint64_t seed = 1;
    std::string output;
};

void setup(CLI::App& app) {
    auto args = std::make_shared<SynthArgs>();
    CLI::App* cmd = app.add_subcommand(
        "synth", "Write a synthetic city: Voronoi polygon units near Chengdu (UTM 48N) with clustered group counts");
    cmd->add_option("--units", args->units, "Number of polygon units")->required()->check(CLI::Range(1, 10'000'000));
    cmd->add_option("--groups", args->groups, "Number of population groups (columns pop_g01, pop_g02, ...)")
        ->required()
        ->check(CLI::Range(1, 99));
    cmd->add_option("--seed", args->seed, "Random seed: the same seed gives the same city")->required();
    cmd->add_option("-o,--output", args->output, "Output file (.gpkg in UTM 48N, or .geojson in WGS 84)")->required();
    cmd->callback([args]() {
        SynthOptions o;
        o.units = args->units;
        o.groups = args->groups;
        o.seed = args->seed;
        vector_format_for(args->output);  // refuse an unknown extension before the work
        Layer city;
        {
            StderrProgress bar("synth");
            const Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
            city = synth_city(o, progress);
        }
        WriteOptions w;
        w.metric_crs = city.source_crs;
        StderrProgress bar("writing");
        const Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
        write_layer(city, args->output, w, progress);
    });
}

const Registrar reg{"synth", 90, &setup};

}  // namespace
}  // namespace hq::cli
