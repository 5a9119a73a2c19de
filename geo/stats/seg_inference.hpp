#pragma once
// Inference for segregation indices, following PySAL `segregation`
// (inference/inference_wrappers.py: SingleValueTest, TwoValueTest;
// inference/randomization.py: the simulators; inference/comparative.py).
//
// Every simulated iteration b draws only from hq::Rng(seed, b) (a second city in a
// two-sample bootstrap from Rng(seed, permutations + b)) and runs under hq::parallel_for,
// so the null distribution, and every number derived from it, is identical whatever the
// thread count. docs/segregation-inference.md describes each null, the p-value conventions
// and where we depart from PySAL.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "geo/core/parallel.hpp"
#include "geo/core/progress.hpp"
#include "geo/geometry/types.hpp"
#include "geo/stats/seg_decomposition.hpp"
#include "geo/stats/segregation.hpp"
#include "geo/weights/distance.hpp"

namespace hq::seg {

// ---------------------------------------------------------------------------------------
// Nulls of the single-value test (PySAL randomization.SIMULATORS).
// ---------------------------------------------------------------------------------------

enum class NullApproach : std::uint8_t {
    /// Each group's regional total is spread over the units by a multinomial draw with
    /// probabilities t_i / T (Allen et al. 2015); unit totals vary, group totals are kept.
    Systematic,
    /// Units resampled with replacement (n draws); the tested value is `null_value` (0).
    Bootstrap,
    /// Each unit keeps its total; its members are drawn with the regional group shares
    /// (binomial for one group, multinomial for several); group totals vary.
    Evenness,
    /// The city's people are shuffled over the units' places: unit totals and group
    /// totals are both kept (a multivariate hypergeometric draw).
    PersonPermutation,
    /// The units' counts are moved to randomly permuted locations (only spatial and
    /// spatially implicit indices can change).
    GeographicPermutation,
    /// Systematic, then geographic permutation.
    SystematicPermutation,
    /// Evenness, then geographic permutation.
    EvenPermutation,
};
const char* null_name(NullApproach n);
/// PySAL's names ("systematic", "bootstrap", "evenness", "person_permutation",
/// "geographic_permutation", "systematic_permutation", "even_permutation"); InputError
/// (listing them) otherwise.
NullApproach null_from_name(const std::string& name);
const std::vector<std::string>& null_names();

/// One draw of a null for single-group counts. Counts are rounded to integers first
/// (PySAL casts to int). `locations` receives, per simulated unit, the index of the input
/// unit whose location it takes (identity except for bootstrap and the permutations).
GroupCounts simulate_null(const GroupCounts& c, NullApproach null, Rng& rng, std::vector<std::uint32_t>& locations);
CountMatrix simulate_null(const CountMatrix& m, NullApproach null, Rng& rng, std::vector<std::uint32_t>& locations);

// ---------------------------------------------------------------------------------------
// Statistics: an index as a function of counts and unit locations.
// ---------------------------------------------------------------------------------------

using SingleGroupStatistic = std::function<double(const GroupCounts&, const std::vector<Vec2>& centroids)>;
using MultiGroupStatistic = std::function<double(const CountMatrix&, const std::vector<Vec2>& centroids)>;

struct StatisticOptions {
    /// > 0: the spatially implicit index, the aspatial formula on local environments of
    /// this bandwidth (seg_profile.hpp); needs centroids. 0 = aspatial.
    double distance = 0.0;
    KernelFunction function = KernelFunction::Triangular;
    /// For the randomised indices (modified_dissim, modified_gini). They run on one
    /// thread inside a test, with this seed in every iteration.
    RandomOptions random;
};
/// Any id single_group_index accepts; InputError otherwise.
SingleGroupStatistic single_group_statistic(const std::string& id, const StatisticOptions& options = {});
/// Any id multigroup_aspatial_ids() lists; InputError otherwise.
MultiGroupStatistic multigroup_statistic(const std::string& id, const StatisticOptions& options = {});

// ---------------------------------------------------------------------------------------
// Results.
// ---------------------------------------------------------------------------------------

/// The simulated distribution in a few numbers (NaN when it is empty). sd is the
/// population standard deviation (numpy's np.std); quantiles interpolate linearly (numpy's
/// default).
struct NullSummary {
    std::size_t count = 0;
    double mean = std::numeric_limits<double>::quiet_NaN();
    double sd = std::numeric_limits<double>::quiet_NaN();
    double min = std::numeric_limits<double>::quiet_NaN();
    double q025 = std::numeric_limits<double>::quiet_NaN();
    double median = std::numeric_limits<double>::quiet_NaN();
    double q975 = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
};
NullSummary summarize(const std::vector<double>& values);

struct TestOptions {
    std::size_t permutations = 500;  ///< PySAL's iterations_under_null default
    std::uint64_t seed = 0;
    /// Single-value test: true = PySAL's two-tailed p, false = right one-tailed.
    bool two_tailed = true;
    /// Bootstrap single-value test: the value tested against the bootstrap distribution.
    double null_value = 0.0;
    unsigned threads = 0;  ///< 0 = default; results do not depend on it
};

struct SingleValueResult {
    std::string index;
    std::string null;
    double statistic = 0.0;     ///< the observed index
    double tested_value = 0.0;  ///< = statistic, except null_value under bootstrap (as PySAL)
    /// Two-tailed: 2·min(#{sim > v}, #{sim < v}) / #valid; one-tailed: #{sim > v} / R
    /// (PySAL's formulas, v the tested value, R the requested permutations).
    double p_value = 0.0;
    bool two_tailed = true;
    std::size_t permutations = 0;  ///< requested
    std::size_t dropped = 0;       ///< draws where the index was undefined (removed, as PySAL)
    std::vector<double> simulated; ///< the valid draws, in iteration order
    NullSummary summary;
};

/// The single-value test. `centroids` may be empty for aspatial statistics (then geographic
/// permutation moves nothing). Throws InputError for permutations = 0 or an invalid input.
SingleValueResult single_value_test(const GroupCounts& c, const std::vector<Vec2>& centroids,
                                    const SingleGroupStatistic& statistic, NullApproach null,
                                    const TestOptions& options, const Progress& progress = {},
                                    const std::string& index_name = "");
SingleValueResult single_value_test(const CountMatrix& m, const std::vector<Vec2>& centroids,
                                    const MultiGroupStatistic& statistic, NullApproach null,
                                    const TestOptions& options, const Progress& progress = {},
                                    const std::string& index_name = "");
/// By id: single-group ids take GroupCounts, multigroup ids a CountMatrix.
SingleValueResult single_value_test(const std::string& id, const GroupCounts& c, const std::vector<Vec2>& centroids,
                                    NullApproach null, const TestOptions& options,
                                    const StatisticOptions& statistic = {}, const Progress& progress = {});
SingleValueResult single_value_test(const std::string& id, const CountMatrix& m, const std::vector<Vec2>& centroids,
                                    NullApproach null, const TestOptions& options,
                                    const StatisticOptions& statistic = {}, const Progress& progress = {});

// ---------------------------------------------------------------------------------------
// Two-value test (PySAL TwoValueTest): is index(a) − index(b) different from 0?
// ---------------------------------------------------------------------------------------

enum class TwoValueNull : std::uint8_t {
    /// Pool the units of both, deal them at random into sets of the original sizes.
    RandomLabel,
    /// Each unit is, with probability ½, replaced by its counterfactual (composition,
    /// share or dual composition; seg_decomposition.hpp). Single group only.
    CounterfactualComposition,
    CounterfactualShare,
    CounterfactualDualComposition,
    /// Bootstrap each city, then a two-sample t test on the means (PySAL).
    Bootstrap,
    /// Shuffle the people of both cities over the pooled units (totals kept).
    PersonPermutation,
};
const char* two_value_null_name(TwoValueNull n);
/// "random_label", "counterfactual_composition" (or PySAL's "composition"),
/// "counterfactual_share" ("share"), "counterfactual_dual_composition"
/// ("dual_composition"), "bootstrap", "person_permutation".
TwoValueNull two_value_null_from_name(const std::string& name);
const std::vector<std::string>& two_value_null_names();

struct TwoValueResult {
    std::string index;
    std::string null;
    double statistic_a = 0.0;
    double statistic_b = 0.0;
    double difference = 0.0;  ///< statistic_a − statistic_b
    /// 2·min(#{sim > diff}, #{sim < diff}) / #valid; bootstrap: 2·t.sf(|t|, R − 1).
    double p_value = 0.0;
    std::size_t permutations = 0;
    std::size_t dropped = 0;
    std::vector<double> simulated;  ///< differences under the null (not for bootstrap)
    std::vector<double> simulated_a, simulated_b;  ///< bootstrap distributions
    NullSummary summary;  ///< of `simulated`, or of the bootstrap differences a_b − b_b
    double t_statistic = std::numeric_limits<double>::quiet_NaN();  ///< bootstrap only
};

// CountsStatistic (counts -> value) is declared in seg_decomposition.hpp.
using MatrixStatistic = std::function<double(const CountMatrix&)>;

TwoValueResult two_value_test(const GroupCounts& a, const GroupCounts& b, const CountsStatistic& statistic,
                              TwoValueNull null, const TestOptions& options, const Progress& progress = {},
                              const std::string& index_name = "");
/// Multigroup: random_label, bootstrap and person_permutation (counterfactuals are
/// single-group only, as in PySAL: InputError). The groups must match.
TwoValueResult two_value_test(const CountMatrix& a, const CountMatrix& b, const MatrixStatistic& statistic,
                              TwoValueNull null, const TestOptions& options, const Progress& progress = {},
                              const std::string& index_name = "");
TwoValueResult two_value_test(const std::string& id, const GroupCounts& a, const GroupCounts& b, TwoValueNull null,
                              const TestOptions& options, const RandomOptions& random = {},
                              const Progress& progress = {});
TwoValueResult two_value_test(const std::string& id, const CountMatrix& a, const CountMatrix& b, TwoValueNull null,
                              const TestOptions& options, const Progress& progress = {});

/// Student's t survival function P(T > t) with `df` degrees of freedom (df > 0), via the
/// regularised incomplete beta function; exposed for tests.
double student_t_sf(double t, double df);

}  // namespace hq::seg
