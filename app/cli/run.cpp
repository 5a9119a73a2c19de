#include <algorithm>
#include <iostream>

#include "app/cli/command.hpp"
#include "geo/core/error.hpp"
#include "geo/core/text.hpp"
#include "geo/io/reader.hpp"

namespace hq::cli {

namespace {

/// "autocorr data/city.gpkg": the subcommand and its first positional argument (the file it
/// works on), to name what ran out of memory.
std::string running(const CLI::App& app) {
    const auto subs = app.get_subcommands();
    if (subs.empty()) return "huqian";
    std::string s = subs.front()->get_name();
    for (const CLI::Option* o : subs.front()->get_options())
        if (o->get_positional() && o->count() > 0) return s + " " + o->results().front();
    return s;
}

}  // namespace

int run(int argc, const char* const* argv) {
    init_gdal();  // no network, whatever the subcommand (geo/io/reader.hpp)
    CLI::App app{
        "huqian (互嵌) — see how groups live across a neighbourhood, measure residential segregation,\n"
        "and plan mixed-embedding interventions.\n\n"
        "Exit codes: 0 ok, 1 bad input (one line names file, feature and field), 2 usage error.",
        "huqian"};
    app.set_version_flag("--version", std::string("huqian ") + HUQIAN_VERSION);
    app.require_subcommand(0, 1);
    app.fallthrough(false);

    auto& reg = registry();
    std::stable_sort(reg.begin(), reg.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
    for (const auto& c : reg) c.setup(app);

    // `huqian` alone opens the viewer when this build has one.
    const bool has_view = std::any_of(reg.begin(), reg.end(), [](const auto& c) { return c.name == "view"; });
    const char* view_argv[] = {argc > 0 ? argv[0] : "huqian", "view", nullptr};
    if (argc <= 1 && has_view) {
        argc = 2;
        argv = view_argv;
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::RuntimeError& e) {
        return e.get_exit_code();
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    } catch (const UsageError& e) {
        std::cerr << "huqian: " << printable(e.what()) << " (see --help)\n";
        return kExitUsage;
    } catch (const hq::InputError& e) {
        std::cerr << "huqian: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const hq::Cancelled&) {
        std::cerr << "huqian: cancelled\n";
        return kExitBadInput;
    } catch (const std::bad_alloc&) {
        std::cerr << "huqian: " << printable(running(app))
                  << ": out of memory (the data is too large for this machine; docs/limits.md lists the limits)\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "huqian: " << one_line(e.what()) << "\n";
        return kExitBadInput;
    }
    if (app.get_subcommands().empty()) {
        std::cout << app.help();
        return kExitOk;
    }
    return kExitOk;
}

}  // namespace hq::cli
