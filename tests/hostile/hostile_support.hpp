#pragma once
// Helpers for the hostile-input tests: small files, a command runner and a counting HTTP
// server on 127.0.0.1 (written here in C++: no Python in CI).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "geo/core/error.hpp"
#include "tests/test_support.hpp"

namespace hq::test {

/// The message of the hq::InputError `f` throws ("" when it throws none).
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return {};
}

inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A GeoJSON FeatureCollection of unit squares (id U1.., counts pop_a / pop_b); `extra` is
/// inserted into the collection object (e.g. a "crs" member).
inline std::string squares_geojson(int n, const std::string& extra = "", const std::string& col_a = "pop_a",
                                   const std::string& col_b = "pop_b") {
    std::string s = "{\"type\":\"FeatureCollection\"," + extra + "\"features\":[";
    for (int i = 0; i < n; ++i) {
        const double x = 104.0 + 0.001 * i, y = 30.6;
        char g[256];
        std::snprintf(g, sizeof g, "[[[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f]]]", x, y, x + 0.001, y,
                      x + 0.001, y + 0.001, x, y + 0.001, x, y);
        s += std::string(i ? "," : "") + "{\"type\":\"Feature\",\"properties\":{\"id\":\"U" + std::to_string(i + 1) +
             "\",\"" + col_a + "\":" + std::to_string(10 + i) + ",\"" + col_b + "\":" + std::to_string(20 + (7 * i) % 13) +
             "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + g + "}}";
    }
    return s + "]}";
}

/// project.json naming units.geojson (or `units`) with groups pop_a and pop_b; `extra`
/// members are added at the top level.
inline std::string manifest(const std::string& units = "units.geojson", const std::string& extra = "",
                            const std::string& version = "1", const std::string& col_a = "pop_a",
                            const std::string& col_b = "pop_b") {
    return "{\"huqian_manifest\":" + version + "," + extra + "\"layers\":{\"units\":{\"path\":\"" + units +
           "\"}},\"groups\":[{\"column\":\"" + col_a + "\",\"en\":\"A\"},{\"column\":\"" + col_b +
           "\",\"en\":\"B\"}]}";
}

struct RunResult {
    int code = -1;
    std::string out, err;
};

/// Runs the huqian executable with `args` (already shell-quoted) in a subprocess.
inline RunResult run_huqian(const std::string& args, const TempDir& tmp) {
    const std::string out = tmp.file("stdout.txt"), err = tmp.file("stderr.txt");
    const std::string cmd = std::string("'") + HUQIAN_EXE + "' " + args + " > '" + out + "' 2> '" + err + "'";
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
}

/// An HTTP server on 127.0.0.1 (a free port) that counts the connections it accepts and
/// answers each with the WKT of WGS 84. It stops by itself after `life` at the latest.
class CountingHttpServer {
public:
    explicit CountingHttpServer(std::chrono::seconds life = std::chrono::seconds(120)) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_fd < 0) throw std::runtime_error("socket");
        const int one = 1;
        ::setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = 0;
        if (::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(m_fd, 16) != 0)
            throw std::runtime_error("bind/listen");
        socklen_t len = sizeof a;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
        m_port = ntohs(a.sin_port);
        const auto until = std::chrono::steady_clock::now() + life;
        m_thread = std::thread([this, until] {
            while (!m_stop && std::chrono::steady_clock::now() < until) {
                pollfd p{m_fd, POLLIN, 0};
                if (::poll(&p, 1, 50) <= 0) continue;
                const int c = ::accept(m_fd, nullptr, nullptr);
                if (c < 0) continue;
                ++m_requests;
                char buf[2048];
                pollfd q{c, POLLIN, 0};
                if (::poll(&q, 1, 500) > 0) (void)::recv(c, buf, sizeof buf, 0);
                const std::string body = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],"
                                         "PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";
                const std::string resp = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                                         std::to_string(body.size()) + "\r\n\r\n" + body;
                (void)::send(c, resp.data(), resp.size(), MSG_NOSIGNAL);
                ::close(c);
            }
        });
    }
    ~CountingHttpServer() {
        m_stop = true;
        if (m_thread.joinable()) m_thread.join();
        ::close(m_fd);
    }
    CountingHttpServer(const CountingHttpServer&) = delete;
    CountingHttpServer& operator=(const CountingHttpServer&) = delete;

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(m_port) + "/" + path;
    }
    [[nodiscard]] int requests() const { return m_requests.load(); }

    /// Connects once as a client would (the positive control: the server does count).
    void poke() const {
        const int s = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<std::uint16_t>(m_port));
        if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
            const char req[] = "GET / HTTP/1.0\r\n\r\n";
            (void)::send(s, req, sizeof req - 1, MSG_NOSIGNAL);
            char buf[512];
            while (::recv(s, buf, sizeof buf, 0) > 0) {
            }
        }
        ::close(s);
    }

private:
    int m_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_requests{0};
    std::thread m_thread;
};

}  // namespace hq::test
