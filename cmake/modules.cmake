# og_add_library(<name> LINKS <targets...>)
# Builds src/<name>/**/*.cpp into the static library og_<name>, with include/
# and src/ on its include path. A folder with no sources yet becomes an
# INTERFACE library so dependents can already name it.
function(og_add_library name)
  cmake_parse_arguments(ARG "" "" "LINKS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  if(sources)
    add_library(og_${name} STATIC ${sources})
    target_include_directories(og_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(og_${name} PUBLIC ${ARG_LINKS} Threads::Threads)
  else()
    add_library(og_${name} INTERFACE)
    target_include_directories(og_${name} INTERFACE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(og_${name} INTERFACE ${ARG_LINKS} Threads::Threads)
  endif()
endfunction()

# og_add_test_suite(<name> LINKS <targets...>)
# Builds test/unit/<name>/*.cpp into the GoogleTest binary og_<name>_tests and
# registers it with CTest. Tests find shared/ and the repo via environment.
function(og_add_test_suite name)
  cmake_parse_arguments(ARG "" "" "LINKS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/test/unit/${name}/*.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(og_${name}_tests ${sources})
  target_link_libraries(og_${name}_tests PRIVATE ${ARG_LINKS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(og_${name}_tests PRIVATE
    OG_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    OG_BINARY_DIR="${CMAKE_BINARY_DIR}")
  add_test(NAME ${name} COMMAND og_${name}_tests)
  set_tests_properties(${name} PROPERTIES TIMEOUT 900)
endfunction()
