# Warnings on for every target of ours; sanitizers when MEMXBAR_SANITIZE is set.
add_library(memxbar_warnings INTERFACE)
target_compile_options(memxbar_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                                  -Wno-sign-conversion
                                                  # GCC 12 false positive in std::string concatenation (GCC bug 105329)
                                                  -Wno-restrict)
add_library(memxbar_sanitize INTERFACE)
if(MEMXBAR_SANITIZE)
  target_compile_options(memxbar_sanitize INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                    -fno-sanitize-recover=undefined)
  target_link_options(memxbar_sanitize INTERFACE -fsanitize=address,undefined)
endif()

# memxbar_add_library(NAME [NO_SANITIZED_COPY] SOURCES... LINK libs...) builds NAME and, when the
# sanitizer tests are on, NAME_asan: the same sources with ASan+UBSan, which the sanitized test
# executables link (NO_SANITIZED_COPY: no test links this library sanitized).
function(memxbar_add_library name)
  cmake_parse_arguments(ARG "NO_SANITIZED_COPY" "" "SOURCES;LINK" ${ARGN})
  set(variants ${name})
  if(MEMXBAR_TESTS AND MEMXBAR_SANITIZER_TESTS AND NOT ARG_NO_SANITIZED_COPY)
    list(APPEND variants ${name}_asan)
  endif()
  foreach(target IN LISTS variants)
    add_library(${target} STATIC ${ARG_SOURCES})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
    target_link_libraries(${target} PRIVATE memxbar_warnings)
    set(link ${ARG_LINK})
    if(target MATCHES "_asan$")
      list(TRANSFORM link REPLACE "^(memxbar_(devices|solvers|experiments|crossbar|snn))$" "\\1_asan")
      target_compile_options(${target} PUBLIC -fsanitize=address,undefined -fno-omit-frame-pointer
                                              -fno-sanitize-recover=undefined -O1 -g)
      target_link_options(${target} PUBLIC -fsanitize=address,undefined)
    else()
      target_link_libraries(${target} PUBLIC memxbar_sanitize)
    endif()
    target_link_libraries(${target} PUBLIC ${link})
  endforeach()
endfunction()
