/*
** match.h: loose matching of text keys (q:join(..., {match = "loose"})):
** a title folded so that the ways catalogues spell one film meet. Case and
** accents are folded away (Unicode compatibility forms too), punctuation
** and spacing dropped ("Spider-Man: No Way Home" is "Spider-Man No Way
** Home"), "&" read as "and", and an article at the start, or after a
** comma at the end, set aside ("The Matrix" is "Matrix, The"). Pure C: no
** Lua here.
*/
#ifndef REEL_MATCH_H
#define REEL_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hash.h"
#include "selection.h"
#include "table.h"
#include "text.h"

/* Work space for folding, reused text after text. */
typedef struct match_folder {
	int32_t *points;
	size_t capacity;
} match_folder;

/* Appends the loose key of text[0 .. length-1] to `out` (its `failed` set
** when memory runs out). Text with no letter or digit keys as its bytes. */
void match_fold(match_folder *f, const char *text, size_t length,
                text_buffer *out);
void match_folder_free(match_folder *f);

/* The key columns of a table as a join compares them loosely: text
** columns folded for the rows of `rows` (the others as they are), in a
** table of their own whose rows are the source's row ids. */
typedef struct match_keys {
	table view;          /* its columns: the key columns, in order */
	size_t *columns;     /* 0 .. count-1, for hash_keys */
	char *arena;         /* the folded text of every text column */
} match_keys;

/* 0, or -1 with err filled when memory runs out (close it anyway). */
int match_keys_open(match_keys *k, const table *t, const selection *rows,
                    const size_t *keys, size_t count, reel_error *err);
/* The keys as hash.h reads them (nulls never match). */
hash_keys match_keys_hash(const match_keys *k);
void match_keys_close(match_keys *k);

#endif
