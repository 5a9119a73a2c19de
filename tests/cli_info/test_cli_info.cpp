// `huqian info` as a user runs it: the executable (HUQIAN_EXE) in a subprocess, on the
// committed Shuhan project.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "geo/project/project.hpp"
#include "geo/project/venues.hpp"
#include "tests/test_support.hpp"

namespace {

struct Run {
    int code = -1;
    std::string out;
};

Run huqian(const std::string& args) {
    static hq::test::TempDir dir;
    static int counter = 0;
    const std::string out = dir.file("out" + std::to_string(counter++) + ".txt");
    const std::string cmd = std::string("'") + HUQIAN_EXE + "' " + args + " > '" + out + "' 2>/dev/null";
    const int status = std::system(cmd.c_str());
    Run r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(out);
    std::stringstream s;
    s << in.rdbuf();
    r.out = s.str();
    return r;
}

}  // namespace

// The study's figures for Shuhan Street (data/README.md, "what the data reproduces"): 6
// activity venues, 17 work units, 12 liaison offices, 284 shops and the Party-masses
// service centre: 320 venues.
TEST_CASE("venue_kinds counts Shuhan's venues by category", "[cli_info]") {
    const hq::Project p = hq::load_project(hq::test::shuhan());
    const hq::Layer* v = p.layer(hq::Role::Venues);
    REQUIRE(v);
    const hq::VenueKinds k = hq::venue_kinds(*v);
    CHECK(k.field == "category");
    REQUIRE(k.counts.size() == 5);
    const std::pair<const char*, std::size_t> want[] = {
        {"shop", 284}, {"work_unit", 17}, {"liaison_office", 12}, {"activity_venue", 6}, {"party_service_center", 1}};
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(k.counts[i].kind == want[i].first);
        CHECK(k.counts[i].count == want[i].second);
    }
    CHECK(k.counts[0].name_zh == "商铺");
    CHECK(k.counts[0].name_en == "Shop");
    // Without `category`, the finer `kind` field is counted; without either, nothing.
    hq::Layer by_kind = *v;
    const auto col = static_cast<std::size_t>(by_kind.table.field_index("category"));
    by_kind.table.fields[col].name = "not_a_kind";
    const hq::VenueKinds f = hq::venue_kinds(by_kind);
    CHECK(f.field == "kind");
    REQUIRE_FALSE(f.counts.empty());
    CHECK(f.counts[0].kind == "tibetan_goods");  // data/README.md: 72 shops of Tibetan goods
    CHECK(f.counts[0].count == 72);
    CHECK(f.counts[0].name_en == "tibetan_goods");  // not a documented kind: its value as name
    by_kind.table.fields[static_cast<std::size_t>(by_kind.table.field_index("kind"))].name = "x";
    CHECK(hq::venue_kinds(by_kind).field.empty());
    CHECK(hq::venue_kinds(by_kind).counts.empty());
}

TEST_CASE("info shows the venues by kind in text and JSON", "[cli_info]") {
    const Run j = huqian("info '" + hq::test::shuhan() + "' --json");
    REQUIRE(j.code == 0);
    const auto doc = nlohmann::json::parse(j.out);
    const auto& v = doc.at("venues");
    CHECK(v.at("features") == 320);
    CHECK(v.at("field") == "category");
    const auto& by = v.at("by_kind");
    REQUIRE(by.size() == 5);
    CHECK(by[0] == nlohmann::json{{"kind", "shop"}, {"zh", "商铺"}, {"en", "Shop"}, {"count", 284}});
    CHECK(by[1].at("kind") == "work_unit");
    CHECK(by[1].at("count") == 17);
    CHECK(by[2].at("kind") == "liaison_office");
    CHECK(by[2].at("count") == 12);
    CHECK(by[3].at("kind") == "activity_venue");
    CHECK(by[3].at("count") == 6);
    CHECK(by[4].at("kind") == "party_service_center");
    CHECK(by[4].at("count") == 1);

    const Run t = huqian("info '" + hq::test::shuhan() + "'");
    REQUIRE(t.code == 0);
    INFO(t.out);
    CHECK(t.out.find("venues by kind 场所类别 (category), 320 in ") != std::string::npos);
    auto line_with = [&](const std::string& name) {
        const std::size_t at = t.out.find("\n  " + name);
        if (at == std::string::npos) return std::string();
        return t.out.substr(at + 1, t.out.find('\n', at + 1) - at - 1);
    };
    CHECK(line_with("商铺 Shop").ends_with(" 284"));
    CHECK(line_with("单位 Work unit").ends_with(" 17"));
    CHECK(line_with("驻蓉办事处 Liaison office").ends_with(" 12"));
    CHECK(line_with("活动场所 Activity venue").ends_with(" 6"));
    CHECK(line_with("党群服务中心 Party-masses service centre").ends_with(" 1"));
}
