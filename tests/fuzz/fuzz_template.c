/*
** fuzz_template.c: format_rows with FORMAT_TEMPLATE and an arbitrary
** template on a small fixed table. A template is either rendered or refused
** with a message; nothing may crash or leak.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/memory.h"
#include "fuzz.h"

/* The first byte picks the rows (all, none, or the last two reversed). */
static selection *pick_rows(const table *t, uint8_t how)
{
	selection *s;
	switch (how % 3) {
	case 0: return selection_all(t);
	case 1: return selection_new(0);
	default:
		s = selection_new(2);
		if (s != NULL && (selection_push(s, (row_id)(t->row_count - 1)) != 0 ||
		                  selection_push(s, (row_id)(t->row_count - 2)) != 0)) {
			selection_free(s);
			s = NULL;
		}
		return s;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const table *t = fuzz_fixed_table();
	reel_error err = REEL_ERROR_INIT;
	char *template_text;
	format_options opts = {NULL, 0, 0, 0, NULL};
	text_buffer out;
	selection *rows;
	if (size == 0)
		return 0;
	template_text = malloc(size); /* the rest of the input, terminated */
	if (template_text == NULL || (rows = pick_rows(t, data[0])) == NULL)
		abort();
	memcpy(template_text, data + 1, size - 1);
	template_text[size - 1] = '\0';
	opts.template_text = template_text;
	text_buffer_init(&out);
	if (format_rows(t, rows, FORMAT_TEMPLATE, &opts, &out, &err) != 0 &&
	    err.message[0] == '\0') {
		fputs("a refused template without a message\n", stderr);
		abort();
	}
	text_buffer_free(&out);
	selection_free(rows);
	free(template_text);
	return 0;
}
