# sanitizers.cmake — sanitizer and fuzzing switches (included by the top-level
# CMakeLists.txt before any target is defined, so they apply to every target).
#
#   LOSSCAPE_SANITIZE  a -fsanitize= list, e.g. "address,undefined" (the asan preset);
#                      every UBSan check is made fatal (-fno-sanitize-recover=all)
#   LOSSCAPE_FUZZ      ON: build the libFuzzer targets fuzz/fuzz_* (clang only); the
#                      whole build gets libFuzzer's coverage instrumentation
#                      (-fsanitize=fuzzer-no-link). OFF (default): the same targets are
#                      built as replayers (fuzz/replay.c) that ctest runs over the seed
#                      corpus and tests/regressions/.
set(LOSSCAPE_SANITIZE "" CACHE STRING "sanitizers for every target, e.g. address,undefined")
option(LOSSCAPE_FUZZ "build the libFuzzer targets (clang)" OFF)

if(LOSSCAPE_SANITIZE)
  add_compile_options(-fsanitize=${LOSSCAPE_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${LOSSCAPE_SANITIZE})
endif()

if(LOSSCAPE_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "LOSSCAPE_FUZZ needs clang (libFuzzer); use the 'fuzz' preset")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
