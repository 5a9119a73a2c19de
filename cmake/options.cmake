# Compiler flags through INTERFACE targets, linked PRIVATE (cpp-best-practices style).
add_library(huqian_options INTERFACE)
add_library(huqian_warnings INTERFACE)

target_compile_options(huqian_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wformat=2
  -Wimplicit-fallthrough -Wno-missing-field-initializers)

if(HUQIAN_SANITIZE)
  target_compile_options(huqian_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(huqian_options INTERFACE -fsanitize=address,undefined)
endif()

if(HUQIAN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HUQIAN_FUZZ needs clang (libFuzzer): use the preset 'fuzz'")
  endif()
  # Coverage instrumentation everywhere; the fuzz targets add libFuzzer's main (tests/fuzz).
  target_compile_options(huqian_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(huqian_options INTERFACE -fsanitize=address,undefined)
endif()

# The source tree's absolute path (HUQIAN_SOURCE_DIR: the viewer finds data/shuhan when run
# from the build tree; the tests and benches find their fixtures) is defined only in the files
# that use it (app/CMakeLists.txt, tests/, bench/): a definition on every file would make each
# checkout's objects differ, and ccache could not share them between clones and worktrees.
target_compile_definitions(huqian_options INTERFACE
  HUQIAN_VERSION="${PROJECT_VERSION}")
