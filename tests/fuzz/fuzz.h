/*
** fuzz.h: what the fuzz targets share. Each target defines
** LLVMFuzzerTestOneInput; built with -fsanitize=fuzzer it runs under
** libFuzzer (make fuzz), built with replay.c it replays corpus files
** (make check). Relies on the core headers only.
*/
#ifndef REEL_FUZZ_H
#define REEL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/format.h"
#include "core/read.h"
#include "core/selection.h"
#include "core/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A copy of the input in a block of exactly `size` bytes (so reading past
** it is caught), or NULL for empty input. Freed with free(). */
char *fuzz_copy(const uint8_t *data, size_t size);

/* The small catalogue the formatter and predicate targets work on: every
** column type, nulls, wide characters. Aborts if it cannot be built. */
table *fuzz_fixed_table(void);

/* Renders every row of `t` in every format, to exercise format.c on
** whatever the readers accept; aborts on a failure other than memory. */
void fuzz_format_all(const table *t);

/* What every reader target does with the reader's result: a table is
** resolved, formatted every way and freed; then no core memory may remain. */
void fuzz_check_read(table *t);

/* Aborts unless every byte the core allocated has been given back. */
void fuzz_check_no_core_memory(void);

#endif
