// Issue 15, class 2 (report writes outside -o) and the escaping half of class 6: names from
// the data become safe file names (geo/core/text.hpp safe_file_name / UniqueFileNames) and
// visible escapes on a terminal (printable).
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "geo/core/text.hpp"
#include "tests/hostile/hostile_support.hpp"

using namespace hq;
using namespace hq::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

TEST_CASE("names: safe_file_name keeps a data name inside its folder and keeps Chinese") {
    CHECK(safe_file_name("../x") == "_x");
    CHECK(safe_file_name("../../etc/passwd") == "_.._etc_passwd");
    CHECK(safe_file_name("/abs/path") == "_abs_path");
    CHECK(safe_file_name("Han/汉") == "Han_汉");
    CHECK(safe_file_name("a\\b") == "a_b");
    CHECK(safe_file_name("..") == "_");
    CHECK(safe_file_name(".") == "_");
    CHECK(safe_file_name("") == "_");
    CHECK(safe_file_name(".hidden") == "hidden");
    CHECK(safe_file_name("trailing. ") == "trailing");
    CHECK(safe_file_name("a\nb\x1b[2Jc") == "a_b_[2Jc");
    CHECK(safe_file_name("a\xff" "b") == "a_b");            // invalid UTF-8
    CHECK(safe_file_name("x\xe2\x80\xaey") == "x_y");       // U+202E right-to-left override
    CHECK(safe_file_name("a:b*c?d\"e<f>g|h") == "a_b_c_d_e_f_g_h");
    CHECK(safe_file_name("CON") == "_CON");
    CHECK(safe_file_name("nul.png") == "_nul.png");
    CHECK(safe_file_name("藏族") == "藏族");
    // Cut at 120 bytes, never inside a character: 50 × "汉" (3 bytes) → 40 characters.
    std::string long_name;
    for (int i = 0; i < 50; ++i) long_name += "汉";
    CHECK(safe_file_name(long_name).size() == 120);
    CHECK(safe_file_name("a" + long_name).size() == 118);
    for (const std::string bad : {"../x", "a/../../b", "..\\..\\c", "/", "\x1b"}) {
        const std::string s = safe_file_name(bad);
        CHECK(s.find('/') == std::string::npos);
        CHECK(s.find('\\') == std::string::npos);
        CHECK(s != "..");
        CHECK(s.front() != '.');
    }
}

TEST_CASE("names: two data names that collide get distinct file names") {
    UniqueFileNames names;
    CHECK(names.make("heatmap_a/b", ".png") == "heatmap_a_b.png");
    CHECK(names.make("heatmap_a_b", ".png") == "heatmap_a_b_2.png");
    CHECK(names.make("heatmap_a:b", ".png") == "heatmap_a_b_3.png");
    CHECK(names.make("HEATMAP_A_B", ".png") == "HEATMAP_A_B_4.png");  // case-insensitive file systems
    CHECK(names.make("other", ".png") == "other.png");
}

TEST_CASE("names: printable escapes control characters and terminal escapes, keeps Chinese") {
    CHECK(printable("plain 汉族 text") == "plain 汉族 text");
    CHECK(printable("a\nb") == "a\\nb");
    CHECK(printable("\x1b[2J\x1b[1;1Hfake line") == "\\x1b[2J\\x1b[1;1Hfake line");
    CHECK(printable("tab\there\r") == "tab\\there\\r");
    CHECK(printable("del\x7f") == "del\\x7f");
    CHECK(printable("c1\xc2\x9b") == "c1\\u{009b}");           // C1 CSI
    CHECK(printable("rtl\xe2\x80\xae" "evil") == "rtl\\u{202e}evil");
    CHECK(printable("bad\xff\xfe") == "bad\\xff\\xfe");
    CHECK(printable("back\\slash") == "back\\slash");
    CHECK(printable_lines("a\x1b\nb\n") == "a\\x1b\nb\n");
    CHECK(one_line("ERROR 1: first line\n  second line\r\n") == "ERROR 1: first line second line");
    CHECK(whole_number_text(1e308) == "1e+308");
    CHECK(whole_number_text(12345) == "12345");
}

namespace {

/// Runs `huqian report` on a 12-unit project whose minority (focus) group column is `column`;
/// returns the output folder's files, and checks that nothing was written beside it.
std::set<std::string> report_files(const TempDir& tmp, const std::string& column, RunResult& r) {
    const fs::path proj = tmp.path() / "proj";
    fs::create_directories(proj);
    write_text((proj / "units.geojson").string(), squares_geojson(12, "", column, "pop_big"));
    write_text((proj / "project.json").string(), manifest("units.geojson", "", "1", column, "pop_big"));
    const fs::path out = tmp.path() / "deep" / "out";
    fs::create_directories(out.parent_path());  // the pack's folder is made; its parent must exist
    r = run_huqian("report '" + proj.string() + "' -o '" + out.string() + "' --dpi 72 --permutations 99 --lang en", tmp);
    std::set<std::string> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(out, ec)) files.insert(e.path().filename().string());
    // Nothing else anywhere in the temporary folder but the project, the pack and the logs.
    for (const auto& e : fs::recursive_directory_iterator(tmp.path())) {
        if (!e.is_regular_file()) continue;
        const auto rel = e.path().lexically_relative(tmp.path()).string();
        const bool ours = rel.rfind("proj/", 0) == 0 || rel.rfind("deep/out/", 0) == 0 || rel == "stdout.txt" ||
                          rel == "stderr.txt";
        INFO(rel);
        CHECK(ours);
    }
    return files;
}

}  // namespace

TEST_CASE("names: xml_escape makes a data name XML character data (SVG text, QML, SLD)") {
    // Hand-worked against XML 1.0 §2.4 (the five entities) and §2.2 (Char excludes C0 but
    // tab, newline and carriage return; we map CR to a space too, so text is never split).
    CHECK(hq::xml_escape("A&B <i>\"x\" 'y'") == "A&amp;B &lt;i&gt;&quot;x&quot; &apos;y&apos;");
    CHECK(hq::xml_escape("彝族\tYi\nline") == "彝族\tYi\nline");
    CHECK(hq::xml_escape(std::string("a\x1b[2Jb\rc\0d", 10)) == "a [2Jb c d");
    CHECK(hq::xml_escape("") == "");
}

TEST_CASE("names: report map names from a group column stay inside -o (../, Han/汉)") {
    // The minority column is the focus group: its maps are heatmap_NAME.png and lisa_NAME.png.
    for (const auto& [column, safe] : {std::pair<std::string, std::string>{"../../evil", ".._.._evil"},
                                       std::pair<std::string, std::string>{"Han/汉", "Han_汉"}}) {
        INFO(column);
        TempDir tmp;
        RunResult r;
        const auto files = report_files(tmp, column, r);
        INFO(r.err);
        REQUIRE(r.code == 0);
        CHECK(files.count("heatmap_" + safe + ".png") == 1);
        CHECK(files.count("lisa_" + safe + ".png") == 1);
        CHECK(files.count("report.pdf") == 1);
        CHECK(files.count("report.md") == 1);
        CHECK_THAT(read_text((tmp.path() / "deep" / "out" / "report.md").string()),
                   Contains("(<heatmap_" + safe + ".png>)"));
    }
}

TEST_CASE("names: crafted column names (newline, terminal escape, bidi override) reach indices and autocorr "
          "output escaped") {
    // The GeoJSON property and the manifest column: "pop<LF>FAKE LINE<ESC>[2J<U+202E>x".
    const std::string crafted_json = "pop\\nFAKE LINE\\u001b[2J\\u202ex";
    const std::string escaped = "pop\\nFAKE LINE\\x1b[2J\\u{202e}x";  // what printable() shows
    TempDir tmp;
    const fs::path proj = tmp.path() / "proj";
    fs::create_directories(proj);
    write_text((proj / "units.geojson").string(), squares_geojson(12, "", crafted_json, "pop_b"));
    write_text((proj / "project.json").string(), manifest("units.geojson", "", "1", crafted_json, "pop_b"));
    const std::string p = "'" + proj.string() + "'";
    auto no_raw = [](const std::string& out) {
        CHECK(out.find("\nFAKE LINE") == std::string::npos);
        CHECK(out.find('\x1b') == std::string::npos);
        CHECK(out.find("\xe2\x80\xae") == std::string::npos);  // U+202E never raw, in text or JSON
    };
    // indices: text (pairwise matrices print the group names), CSV, JSON.
    const RunResult text = run_huqian("indices " + p + " --pairwise --no-privacy-guard", tmp);
    INFO(text.err);
    REQUIRE(text.code == 0);
    no_raw(text.out);
    const RunResult csv = run_huqian("indices " + p + " --pairwise --csv --no-privacy-guard", tmp);
    REQUIRE(csv.code == 0);
    no_raw(csv.out);
    CHECK_THAT(csv.out, Contains(escaped));
    const RunResult json = run_huqian("indices " + p + " --pairwise --json --no-privacy-guard", tmp);
    REQUIRE(json.code == 0);
    no_raw(json.out);
    // In JSON the name keeps its exact value: the bidi override is the escape \u202e, which a
    // parser reads back as U+202E (docs/untrusted-input.md).
    CHECK_THAT(json.out, Contains("\\u202e"));
    // autocorr: the variable's name in the text heading and the bivariate line.
    const RunResult ac = run_huqian("autocorr " + p + " --share '" + std::string("pop\nFAKE LINE\x1b[2J\xe2\x80\xaex") +
                                        ":pop_b' --permutations 99 --statistics moran",
                                    tmp);
    INFO(ac.err);
    REQUIRE(ac.code == 0);
    no_raw(ac.out);
    CHECK_THAT(ac.out, Contains(escaped));
}
