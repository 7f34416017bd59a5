/*
** collate.h: the orders of text. binary compares bytes; nocase folds case
** first; natural folds case and accents and reads the numbers inside text
** by value ("Part 2" before "Part 10", "École" beside "ecole"). Ties under
** a folding order are broken by the bytes, so every order is total and a
** sort by it stable. Pure C: no Lua here.
*/
#ifndef REEL_COLLATE_H
#define REEL_COLLATE_H

#include <stddef.h>

#include "text.h"

typedef enum collation {
	COLLATE_BINARY,
	COLLATE_NOCASE,
	COLLATE_NATURAL
} collation;

#define COLLATE_COUNT (COLLATE_NATURAL + 1)

/* "binary", "nocase", "natural", and back (-1 when no order has that name). */
const char *collate_name(collation c);
int collate_from_name(const char *name);

/* Appends the key of `text` under `c` to `out`: bytes whose bytewise order
** is the collation's (ties aside). A binary key is the text itself. */
void collate_key(collation c, const char *text, size_t length,
                 text_buffer *out);

/* The most bytes collate_key can append for a text of `length` bytes. */
size_t collate_key_room(collation c, size_t length);

/* The order of a and b under `c`, ties broken by their bytes: <0, 0 only
** when the bytes are equal, >0. `scratch` is two buffers reused from call
** to call (text_buffer_init them; free them when done). */
int collate_compare(collation c, const char *a, size_t a_length,
                    const char *b, size_t b_length, text_buffer scratch[2]);

#endif
