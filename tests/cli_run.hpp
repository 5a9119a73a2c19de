#pragma once
// Running the real executable (HUQIAN_EXE) as a user does: exit code, stdout, stderr.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/test_support.hpp"

namespace hq::test {

/// Exit code and the two streams apart (test_support.hpp's run_huqian merges them).
struct ShellRun {
    int code = -1;
    std::string out;
    std::string err;
};

inline std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Runs `huqian ARGS` through the shell (ARGS quoted by the caller).
inline ShellRun huqian(const std::string& args) {
    static TempDir dir;
    static int counter = 0;
    const std::string out = dir.file("out" + std::to_string(counter) + ".txt");
    const std::string err = dir.file("err" + std::to_string(counter++) + ".txt");
    const std::string cmd = std::string("'") + HUQIAN_EXE + "' " + args + " > '" + out + "' 2> '" + err + "'";
    const int status = std::system(cmd.c_str());
    ShellRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

}  // namespace hq::test
