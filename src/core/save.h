/*
** save.h: writing selected rows to a file, atomically.
** The rows are rendered by format.h a slice of rows at a time (so a large
** catalogue is not held twice, whatever the format), written to a
** temporary file in the target's folder, flushed to the disk, then renamed
** over the target: a reader sees the old file or the new one, never a part
** of one. A path that ends in .gz is compressed with gzip as it is written.
** A target that is not a regular file is refused; the temporary file never
** outlives a save that fails or is stopped.
** Pure C: no Lua here.
*/
#ifndef REEL_SAVE_H
#define REEL_SAVE_H

#include "error.h"
#include "format.h"
#include "selection.h"
#include "table.h"

/* The format a path's extension names: .csv, .tsv, .json, .jsonl (or
** .ndjson), .md or .markdown, in any case, looking past a final .gz; -1
** when none. */
int save_format_from_path(const char *path);

/* Writes the rows of `s` rendered as `kind` (opts as format_rows takes
** them) to `path`. Returns 0, or -1 with err filled (a message that names
** the path); on failure the temporary file is gone and whatever was at
** `path` before is untouched. Counted by progress.h as a PROGRESS_SAVE. */
int save_rows(const table *t, const selection *s, format_kind kind,
              const format_options *opts, const char *path, reel_error *err);

/* Removes the temporary file of a save under way, if any: for a signal
** handler that ends the program (async-signal-safe). */
void save_remove_temporary(void);

/* Test hook: make the N-th write to a file from now fail as a full disk
** would (ENOSPC); 0 turns it off. The output goes out in blocks of
** SAVE_BLOCK bytes, one write each. */
void save_fail_after(unsigned long n);
#define SAVE_BLOCK 65536

#endif
