// libFuzzer target: the scenarios JSON (geo/plan/scenario.hpp, docs/planning.md). The input
// is parsed as a scenario list; each scenario's household moves are applied to a fixed count
// matrix (three units, two groups) and the global indices computed on the result, as
// `huqian plan compare` does before its permutation tests.
#include <cstddef>
#include <cstdint>
#include <string>

#include "geo/plan/scenario.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const hq::seg::CountMatrix counts = [] {
        hq::seg::CountMatrix m;
        m.units = 3;
        m.groups = 2;
        m.data = {10, 3, 0, 7, 5, 5};
        m.names = {"Han", "Tibetan"};
        return m;
    }();
    static const std::vector<std::string> units{"U1", "U2", "U3"};
    static const std::vector<std::vector<std::string>> keys{{"pop_han", "Han", "汉族"}, {"pop_tibetan", "Tibetan", "藏族"}};
    const std::string text(reinterpret_cast<const char*>(data), size);
    hq::fuzz::expect_input_error_only([&] {
        for (const auto& s : hq::plan::scenarios_from_json(text, "scenarios.json"))
            hq::fuzz::expect_input_error_only([&] {
                (void)hq::plan::global_indices(hq::plan::apply_moves(counts, units, keys, s.moves, s.name));
            });
    });
    return 0;
}
