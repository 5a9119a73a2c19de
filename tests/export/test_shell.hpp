#pragma once
// Running the huqian executable and poppler's pdftotext from the export tests, as a user
// would from a shell: exit code and everything printed (stdout and stderr together).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace hq::test::shell {

struct Run {
    int code = -1;
    std::string out;
};

/// Runs a shell command, capturing stdout and stderr together.
inline Run run(const std::string& cmd) {
    Run r;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int st = ::pclose(p);
    r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

/// Single-quoted for the shell (test paths hold no quotes).
inline std::string q(const std::string& s) { return "'" + s + "'"; }
inline std::string exe() { return HUQIAN_EXE; }

/// The text of a PDF as pdftotext (poppler-utils) extracts it.
inline std::string pdftotext(const std::string& pdf) {
    const Run r = run("pdftotext -enc UTF-8 " + q(pdf) + " -");
    REQUIRE(r.code == 0);
    return r.out;
}

}  // namespace hq::test::shell
