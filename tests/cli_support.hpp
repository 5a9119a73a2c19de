#pragma once
// Checking an error run of the huqian executable: the exit code AND the message (a sanitizer
// halt also exits 1, so the code alone proves nothing), and no sanitizer report.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/test_support.hpp"

namespace hq::test {

inline void check_cli_error(const std::vector<std::string>& args, int code, const std::string& text) {
    const CliRun r = run_huqian(args);
    INFO(r.out);
    CHECK(r.code == code);
    CHECK(r.out.find(text) != std::string::npos);
    CHECK(r.out.find("runtime error") == std::string::npos);
}

}  // namespace hq::test
