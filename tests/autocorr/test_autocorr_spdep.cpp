// Analytical statistics on Columbus against R spdep 1.2-7, to 1e-9 (relative).
// Reference values: tests/reference/spdep/*.csv written by make_reference.R.
#include <catch2/catch.hpp>

#include <map>

#include "geo/stats/autocorr.hpp"
#include "geo/stats/local_moran.hpp"
#include "geo/stats/multiple_testing.hpp"
#include "geo/weights/contiguity.hpp"
#include "geo/weights/distance.hpp"
#include "tests/reference/spdep/reference_data.hpp"
#include "tests/test_support.hpp"

namespace ref = hq::test::ref;

namespace {

constexpr double kTol = 1e-9;

struct Columbus {
    ref::Features f;
    std::map<std::string, hq::Weights> w;
};

const Columbus& columbus() {
    static const Columbus c = [] {
        Columbus out;
        out.f = ref::read_geojson("columbus.geojson");
        // Our own weights (equal to spdep's: see tests/weights).
        const hq::Weights q = hq::contiguity_weights(out.f.geometries);
        out.w["queen_B"] = q;
        out.w["queen_W"] = q.row_standardised();
        out.w["knn4_W"] = hq::knn_weights(ref::read_coords(), 4).row_standardised();
        out.w["dist_B"] = hq::distance_band_weights(ref::read_coords(), {.threshold = 0.5});
        return out;
    }();
    return c;
}

hq::AutocorrOptions no_perm() {
    hq::AutocorrOptions o;
    o.permutations = 0;
    return o;
}

#define CHECK_CLOSE(ours, theirs)                                                  \
    do {                                                                           \
        const double a_ = (ours), b_ = (theirs);                                   \
        INFO(#ours << " = " << a_ << ", spdep " << b_);                            \
        CHECK(ref::close(a_, b_, kTol, 1e-15));                                    \
    } while (0)

}  // namespace

TEST_CASE("spdep: moran.test, geary.test, globalG.test on Columbus") {
    const auto& c = columbus();
    const ref::Csv g = ref::read_csv("global.csv");
    for (const std::string var : {"CRIME", "INC"}) {
        const auto& x = c.f.columns.at(var);
        for (const std::string wn : {"queen_W", "queen_B", "knn4_W", "dist_B"}) {
            INFO(var << " / " << wn);
            const hq::Weights& w = c.w.at(wn);
            auto v = [&](const std::string& test, const std::string& q) { return ref::global_value(g, test, var, wn, q); };
            const auto m = hq::moran(x, w, no_perm());
            CHECK_CLOSE(m.I, v("moran", "I"));
            CHECK_CLOSE(m.expected, v("moran", "expected"));
            CHECK_CLOSE(m.variance_randomisation, v("moran", "variance_randomisation"));
            CHECK_CLOSE(m.variance_normality, v("moran", "variance_normality"));
            CHECK_CLOSE(m.z_randomisation, v("moran", "z_randomisation"));
            CHECK_CLOSE(m.z_normality, v("moran", "z_normality"));
            CHECK_CLOSE(m.p_randomisation, v("moran", "p_randomisation"));
            CHECK_CLOSE(m.p_normality, v("moran", "p_normality"));
            CHECK_CLOSE(m.p_randomisation_two_sided, v("moran", "p2_randomisation"));
            CHECK_CLOSE(m.p_normality_two_sided, v("moran", "p2_normality"));
            const auto gc = hq::geary(x, w, no_perm());
            CHECK_CLOSE(gc.C, v("geary", "C"));
            CHECK_CLOSE(gc.variance_randomisation, v("geary", "variance_randomisation"));
            CHECK_CLOSE(gc.variance_normality, v("geary", "variance_normality"));
            CHECK_CLOSE(gc.z_randomisation, v("geary", "z_randomisation"));
            CHECK_CLOSE(gc.z_normality, v("geary", "z_normality"));
            CHECK_CLOSE(gc.p_randomisation, v("geary", "p_randomisation"));
            CHECK_CLOSE(gc.p_normality, v("geary", "p_normality"));
            if (wn == "queen_B" || wn == "dist_B") {
                const auto G = hq::general_g(x, w, no_perm());
                CHECK_CLOSE(G.G, v("general_g", "G"));
                CHECK_CLOSE(G.expected, v("general_g", "expected"));
                CHECK_CLOSE(G.variance, v("general_g", "variance"));
                CHECK_CLOSE(G.z, v("general_g", "z"));
                CHECK_CLOSE(G.p, v("general_g", "p"));
            }
        }
    }
    const auto bv = hq::bivariate_moran(c.f.columns.at("INC"), c.f.columns.at("CRIME"), c.w.at("queen_W"), no_perm());
    CHECK_CLOSE(bv.I, ref::global_value(g, "moran_bv", "INC~CRIME", "queen_W", "I"));
}

TEST_CASE("spdep: localmoran (conditional moments) on Columbus") {
    const auto& c = columbus();
    for (const std::string var : {"CRIME", "INC"}) {
        for (const std::string wn : {"queen_W", "queen_B", "dist_B"}) {
            INFO(var << " / " << wn);
            const ref::Csv csv = ref::read_csv("local_moran_" + var + "_" + wn + ".csv");
            const auto r = hq::local_moran(c.f.columns.at(var), c.w.at(wn), no_perm());
            const auto Ii = csv.numbers("Ii"), E = csv.numbers("E"), V = csv.numbers("V"), z = csv.numbers("z"),
                       p = csv.numbers("p");
            const auto quad = csv.strings("quadrant");
            for (std::size_t i = 0; i < Ii.size(); ++i) {
                INFO("unit " << i);
                CHECK_CLOSE(r.Ii[i], Ii[i]);
                CHECK_CLOSE(r.E[i], E[i]);
                CHECK_CLOSE(r.V[i], V[i]);
                CHECK_CLOSE(r.z[i], z[i]);
                CHECK_CLOSE(r.p_analytical[i], p[i]);
                // spdep's "pysal" quadrant: "Low-High" = z Low, lag High. Islands: spdep still
                // labels them (lag 0 → Low); we mark them as islands.
                const std::map<std::string, hq::Quadrant> names{{"High-High", hq::Quadrant::HH},
                                                                {"Low-Low", hq::Quadrant::LL},
                                                                {"Low-High", hq::Quadrant::LH},
                                                                {"High-Low", hq::Quadrant::HL}};
                if (c.w.at(wn).cardinality(i) > 0) CHECK(r.quadrant[i] == names.at(quad[i]));
                else CHECK(r.quadrant[i] == hq::Quadrant::Island);
            }
        }
    }
}

TEST_CASE("spdep: localG (G and G*) on Columbus") {
    const auto& c = columbus();
    for (const std::string var : {"CRIME", "INC"}) {
        for (const std::string wn : {"queen_W", "queen_B", "dist_B"}) {
            for (const bool star : {false, true}) {
                INFO(var << " / " << wn << (star ? " G*" : " G"));
                const ref::Csv csv =
                    ref::read_csv(std::string(star ? "local_gstar_" : "local_g_") + var + "_" + wn + ".csv");
                // spdep: include.self() then nb2listw with the same style: for W the self link
                // is 1/(k+1) like the others; z is invariant to that scaling, so binary + self
                // followed by our row standardisation is the same matrix.
                hq::Weights w = c.w.at(wn);
                if (star) {
                    w = c.w.at(wn == "queen_W" ? "queen_B" : wn).with_self();
                    if (wn == "queen_W") w = w.row_standardised();
                }
                const auto r = hq::local_g(c.f.columns.at(var), w, star, no_perm());
                const auto z = csv.numbers("z"), G = csv.numbers("G"), p = csv.numbers("p");
                for (std::size_t i = 0; i < z.size(); ++i) {
                    INFO("unit " << i);
                    CHECK_CLOSE(r.z[i], z[i]);
                    CHECK_CLOSE(r.G[i], G[i]);
                    CHECK_CLOSE(r.p_analytical[i], p[i]);
                }
            }
        }
    }
}

TEST_CASE("spdep: p.adjust bonferroni and BH on the local Moran p-values") {
    const ref::Csv csv = ref::read_csv("p_adjust.csv");
    const auto p = csv.numbers("p"), bonf = csv.numbers("bonferroni"), bh = csv.numbers("BH");
    const auto ob = hq::adjust_p_values(p, hq::PAdjust::Bonferroni);
    const auto oh = hq::adjust_p_values(p, hq::PAdjust::BenjaminiHochberg);
    for (std::size_t i = 0; i < p.size(); ++i) {
        CHECK_CLOSE(ob[i], bonf[i]);
        CHECK_CLOSE(oh[i], bh[i]);
    }
}
