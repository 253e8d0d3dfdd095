# web.cmake — the browser build (included by CMakeLists.txt under emcmake).
#
#   emcmake cmake -S . -B build-web -DLOSSCAPE_WEB_DEPS=build-web-deps/prefix
#   cmake --build build-web        (scripts/web-build.sh does both, deps included)
#
# Targets
#   losscape       build-web/{index.html, losscape.js, losscape.wasm, losscape-page.js}:
#                  the static site (WebGL2 through an OpenGL ES 3.0 context)
#   losscape_node  build-web/losscape_node.js: the same program for node (single file,
#                  the host's files through NODERAWFS), for the headless modes; the
#                  wasm-vs-native tests run it (tests/web/)
#
# What the browser build leaves out, and how it says so: src/record (the recorder's
# ffmpeg child process, libpng, cairo figures), so --record, --screenshot and --figure
# (main.c says they are not in the browser build); the page records the canvas
# with MediaRecorder (F9) and saves PNGs through the canvas (F12) instead. fuzz/,
# the cmocka tests and the benchmarks are desktop-only. The core is unchanged (no
# OpenMP in Emscripten: the `#ifdef _OPENMP` paths fall back to one thread).
set(LOSSCAPE_WEB_DEPS "" CACHE PATH "prefix holding SDL2, SDL2_ttf and FreeType built with emcmake (scripts/web-deps.sh)")
if(NOT LOSSCAPE_WEB_DEPS OR NOT EXISTS "${LOSSCAPE_WEB_DEPS}/lib/cmake/SDL2")
  message(FATAL_ERROR "losscape web build: set LOSSCAPE_WEB_DEPS to the prefix made by scripts/web-deps.sh "
                      "(no ${LOSSCAPE_WEB_DEPS}/lib/cmake/SDL2)")
endif()

# NO_DEFAULT_PATH is required: Emscripten's sysroot has its own sdl2-config.cmake that
# asks for the SDL2 port (-sUSE_SDL=2), i.e. a download, which the frozen cache refuses.
find_package(SDL2 CONFIG REQUIRED PATHS ${LOSSCAPE_WEB_DEPS}/lib/cmake/SDL2
             NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
set(Freetype_ROOT ${LOSSCAPE_WEB_DEPS})
list(APPEND CMAKE_FIND_ROOT_PATH ${LOSSCAPE_WEB_DEPS})
find_package(SDL2_ttf CONFIG REQUIRED PATHS ${LOSSCAPE_WEB_DEPS}/lib/cmake/SDL2_ttf
             NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)

# cglm is header-only as used here (glm_* are inline). Only its folder is exposed, so
# the host's /usr/include never reaches emcc.
find_path(LOSSCAPE_CGLM_DIR cglm/cglm.h PATHS /usr/include NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
if(NOT LOSSCAPE_CGLM_DIR)
  message(FATAL_ERROR "losscape web build: cglm headers not found (apt-get install libcglm-dev)")
endif()
set(CGLM_LINK_DIR ${CMAKE_BINARY_DIR}/cglm-include)
file(MAKE_DIRECTORY ${CGLM_LINK_DIR})
file(CREATE_LINK ${LOSSCAPE_CGLM_DIR}/cglm ${CGLM_LINK_DIR}/cglm SYMBOLIC)

file(GLOB RENDER_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/render/*.c)
# of src/record only the --figure-size/format parser (no cairo): the command line
# checks the options the same way, then main.c says --figure is desktop-only
add_library(losscape_render STATIC ${RENDER_SOURCES} ${CMAKE_SOURCE_DIR}/src/record/figure_size.c)
target_include_directories(losscape_render SYSTEM PUBLIC ${CGLM_LINK_DIR})
target_link_libraries(losscape_render PUBLIC losscape_core losscape_assets SDL2::SDL2-static
                      SDL2_ttf::SDL2_ttf-static)
target_compile_definitions(losscape_render PUBLIC GL_GLEXT_PROTOTYPES LOSSCAPE_NO_RECORDER=1)

# Chinese (--lang zh, lessons' caption_zh): the desktop finds a CJK font through
# fontconfig; the page embeds Debian's WenQuanYi Micro Hei cut down to the characters
# the scenes and the program use (cmake/cjk_subset.py, fontTools).
set(LOSSCAPE_CJK_FONT /usr/share/fonts/truetype/wqy/wqy-microhei.ttc CACHE FILEPATH "CJK font the page's Chinese subset is cut from")
# Debian's python3 (python3-fonttools is an apt package), not another one on PATH
find_program(LOSSCAPE_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH REQUIRED)
file(GLOB_RECURSE CJK_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/assets/scenes/*.scene
     ${CMAKE_SOURCE_DIR}/src/*.c)
set(CJK_TTF ${CMAKE_BINARY_DIR}/generated/cjk-subset.ttf)
set(CJK_OUT ${CMAKE_BINARY_DIR}/generated/embedded_cjk.c)
add_custom_command(
  OUTPUT ${CJK_TTF}
  COMMAND ${LOSSCAPE_PYTHON3} ${CMAKE_SOURCE_DIR}/cmake/cjk_subset.py ${CJK_TTF} ${LOSSCAPE_CJK_FONT} ${CJK_SOURCES}
  DEPENDS ${CJK_SOURCES} ${CMAKE_SOURCE_DIR}/cmake/cjk_subset.py ${LOSSCAPE_CJK_FONT}
  COMMENT "Subsetting the CJK font"
  VERBATIM)
add_custom_command(
  OUTPUT ${CJK_OUT}
  COMMAND ${CMAKE_COMMAND} -DOUT=${CJK_OUT} -DPREFIX=cjk_font -DFILES=${CJK_TTF}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${CJK_TTF} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "Embedding the CJK subset"
  VERBATIM)
target_sources(losscape_render PRIVATE ${CJK_OUT})

# The app without main.c and without the --record and --figure modes (record.c, figure.c:
# ffmpeg, cairo). The page hooks (src/web: JavaScript imports, which a static
# library would not pull in) go into each program directly.
file(GLOB APP_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/app/*.c)
list(REMOVE_ITEM APP_SOURCES ${CMAKE_SOURCE_DIR}/src/app/main.c ${CMAKE_SOURCE_DIR}/src/app/record.c
     ${CMAKE_SOURCE_DIR}/src/app/figure.c)   # --record, --figure: desktop only
add_library(losscape_app STATIC ${APP_SOURCES})
target_link_libraries(losscape_app PUBLIC losscape_core losscape_assets losscape_render)
target_compile_definitions(losscape_app PUBLIC LOSSCAPE_VERSION="${PROJECT_VERSION}")

set(WEB_GL_FLAGS -sUSE_WEBGL2=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sFULL_ES3=1
                 -sALLOW_MEMORY_GROWTH=1)

# ---- the page ------------------------------------------------------------------
add_executable(losscape ${CMAKE_SOURCE_DIR}/src/app/main.c ${CMAKE_SOURCE_DIR}/src/web/web.c)
target_link_libraries(losscape PRIVATE losscape_app)
target_link_options(losscape PRIVATE ${WEB_GL_FLAGS} -sENVIRONMENT=web
                    "-sEXPORTED_RUNTIME_METHODS=['FS','ccall']"
                    "-sEXPORTED_FUNCTIONS=['_main','_web_open_file','_web_key']")
set(WEB_PAGE_FILES index.html losscape-page.js)
foreach(f ${WEB_PAGE_FILES})
  add_custom_command(TARGET losscape POST_BUILD
                     COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/web/${f} ${CMAKE_BINARY_DIR}/${f}
                     VERBATIM)
endforeach()

# ---- the same program under node (tests) ---------------------------------------
add_executable(losscape_node ${CMAKE_SOURCE_DIR}/src/app/main.c ${CMAKE_SOURCE_DIR}/src/web/web.c)
target_link_libraries(losscape_node PRIVATE losscape_app)
target_link_options(losscape_node PRIVATE ${WEB_GL_FLAGS} -sENVIRONMENT=node -sNODERAWFS=1
                    -sEXIT_RUNTIME=1 -sSINGLE_FILE=1)
