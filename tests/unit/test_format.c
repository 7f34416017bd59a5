/*
** test_format.c: the formatting layer (format.h) on small film tables:
** exact output of every format, display widths with Hangul, cutting to a
** width, templates and their errors, and clean failure when memory runs out.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "core/error.h"
#include "core/format.h"
#include "core/memory.h"
#include "core/selection.h"
#include "core/table.h"
#include "tap.h"

/* {====== Fixtures ====== */
/* A cell for make_table: NULL is a null. */
static table *make_table(size_t columns, const char *const *names,
                         size_t rows, const char *const *cells)
{
	reel_error err = REEL_ERROR_INIT;
	table_builder *b = table_builder_new(columns, names);
	size_t r, c;
	if (b == NULL)
		return NULL;
	for (r = 0; r < rows; r++) {
		for (c = 0; c < columns; c++) {
			const char *cell = cells[r * columns + c];
			if (cell == NULL)
				table_builder_add_null(b);
			else
				table_builder_add(b, cell, strlen(cell));
		}
		if (table_builder_end_row(b, &err) != 0) {
			table_builder_free(b);
			return NULL;
		}
	}
	return table_builder_finish(b, &err);
}

/* Three films: a Hangul title, a title with a quote and a comma, one with a
** line break; nulls in year, duration and rating. */
static table *film_table(void)
{
	static const char *const names[] = {
		"rank", "title", "year", "duration", "rating"
	};
	static const char *const cells[] = {
		"1", "기생충", "2019", "132", "8.5",
		"2", "Say \"Hi\", Bob", NULL, "95", "7",
		"3", "Line\nbreak", "2013", NULL, NULL,
	};
	return make_table(5, names, 3, cells);
}

/* Renders and returns the text (owned by `out`); NULL when format_rows
** failed, with the message in err. */
static const char *render(const table *t, const selection *s, format_kind kind,
                          const format_options *opts, text_buffer *out,
                          reel_error *err)
{
	text_buffer_init(out);
	err->message[0] = '\0';
	if (format_rows(t, s, kind, opts, out, err) != 0)
		return NULL;
	return out->data;
}

static void check_format(const table *t, format_kind kind,
                         const format_options *opts, const char *expected,
                         const char *what)
{
	reel_error err = REEL_ERROR_INIT;
	text_buffer out;
	selection *s = selection_all(t);
	const char *got = render(t, s, kind, opts, &out, &err);
	is_string(got, expected, what);
	if (got == NULL)
		printf("# error: %s\n", err.message);
	text_buffer_free(&out);
	selection_free(s);
}

static void check_template_error(const table *t, const char *text,
                                 const char *expected)
{
	reel_error err = REEL_ERROR_INIT;
	text_buffer out;
	format_options opts = {NULL, 0, 0, 0, text};
	selection *s = selection_all(t);
	const char *got = render(t, s, FORMAT_TEMPLATE, &opts, &out, &err);
	ok(got == NULL, "template \"%s\" is refused", text);
	is_string(err.message, expected, "with the message");
	text_buffer_free(&out);
	selection_free(s);
}

/* Display widths of the lines of text: all equal (returned), or 0. Also
** fails when any line is wider than `limit` (if nonzero). */
static size_t line_width(const char *text, size_t limit)
{
	size_t width = 0, first = (size_t)-1;
	while (*text != '\0') {
		const char *end = strchr(text, '\n');
		size_t length = end ? (size_t)(end - text) : strlen(text);
		width = format_display_width(text, length);
		if (limit > 0 && width > limit)
			return 0;
		if (first == (size_t)-1)
			first = width;
		else if (width != first)
			return 0;
		text += length + (end != NULL);
	}
	return width;
}
/* }====== */

/* {====== Text buffer and values ====== */
static void test_text_buffer(void)
{
	text_buffer b;
	size_t i;
	text_buffer_init(&b);
	ok(b.data == NULL && b.length == 0 && !b.failed, "a new buffer is empty");
	for (i = 0; i < 1000; i++)
		text_buffer_append_string(&b, "reel");
	is_integer(b.length, 4000, "1000 appends of 4 bytes");
	ok(b.data[4000] == '\0', "the text is NUL-terminated");
	ok(b.capacity >= 4001 && b.capacity < 8192, "capacity grows by doubling");
	text_buffer_free(&b);
	ok(b.data == NULL && b.length == 0, "free empties the buffer");

	text_buffer_append(&b, "ab", 2);
	reel_memory_fail_after(1);
	for (i = 0; i < 100; i++)
		text_buffer_append_string(&b, "film ");
	reel_memory_fail_after(0);
	ok(b.failed, "a failed growth marks the buffer");
	is_string(b.data, "abfilm film film film film film film film film film film film ",
	          "the text before the failure stays, NUL-terminated");
	text_buffer_append_string(&b, "x");
	ok(b.failed && b.data[b.length] == '\0' && b.data[b.length - 1] == ' ',
	   "later appends are ignored");
	text_buffer_free(&b);
	ok(!b.failed, "free resets the failure");
}

static void test_kind_names(void)
{
	is_integer(format_kind_from_name("table"), FORMAT_TABLE, "table");
	is_integer(format_kind_from_name("csv"), FORMAT_CSV, "csv");
	is_integer(format_kind_from_name("tsv"), FORMAT_TSV, "tsv");
	is_integer(format_kind_from_name("json"), FORMAT_JSON, "json");
	is_integer(format_kind_from_name("markdown"), FORMAT_MARKDOWN, "markdown");
	is_integer(format_kind_from_name("lines"), FORMAT_LINES, "lines");
	is_integer(format_kind_from_name("JSON"), -1, "names are lowercase");
	is_integer(format_kind_from_name("{title}"), -1, "a template is no name");
	is_integer(format_kind_from_name(""), -1, "empty name");
	is_integer(format_kind_from_name(NULL), -1, "no name");
}

static void check_value(value v, const char *expected)
{
	text_buffer b;
	text_buffer_init(&b);
	text_buffer_append(&b, "", 0);
	format_value(&v, &b);
	is_string(b.data, expected, expected);
	text_buffer_free(&b);
}

static value number(double x)
{
	value v;
	v.kind = VALUE_NUMBER;
	v.as.number = x;
	return v;
}

static value integer(int64_t i)
{
	value v;
	v.kind = VALUE_INTEGER;
	v.as.integer = i;
	return v;
}

static void test_values(void)
{
	value v;
	check_value(number(7.0), "7.0");
	check_value(number(0.1), "0.1");
	check_value(number(1e100), "1e+100");
	check_value(number(-0.0), "-0.0");
	check_value(number(-2.5), "-2.5");
	check_value(number(1e15), "1e+15");
	check_value(number(1e14), "1e+14");
	check_value(number(99999999999999.0), "99999999999999.0");
	check_value(number(-99999999999999.0), "-99999999999999.0");
	check_value(number(-5.0), "-5.0");
	check_value(number(0.0), "0.0");
	check_value(number(123456789012.0), "123456789012.0");
	check_value(number(9007199254740993.0), "9.007199254741e+15");
	check_value(number(1.0 / 3.0), "0.33333333333333");
	check_value(number(HUGE_VAL), "inf");
	check_value(number(-HUGE_VAL), "-inf");
	check_value(number(NAN), "nan");
	check_value(integer(INT64_MAX), "9223372036854775807");
	check_value(integer(INT64_MIN), "-9223372036854775808");
	check_value(integer(0), "0");
	v.kind = VALUE_BOOLEAN;
	v.as.boolean = true;
	check_value(v, "true");
	v.as.boolean = false;
	check_value(v, "false");
	v.kind = VALUE_STRING;
	v.as.string.text = "Oldboy and more";
	v.as.string.length = 6;
	check_value(v, "Oldboy");
	v.kind = VALUE_NULL;
	check_value(v, "");
}

static void test_display_width(void)
{
	is_integer(format_display_width("Oldboy", 6), 6, "ASCII: one cell each");
	is_integer(format_display_width("기생충", strlen("기생충")), 6,
	           "Hangul: two cells each");
	is_integer(format_display_width("e\xCC\x81", 3), 1,
	           "a combining accent takes no cell");
	is_integer(format_display_width("\xFF\xFE", 2), 2,
	           "invalid bytes: one cell each");
	is_integer(format_display_width("\xEC\x83", 2), 2,
	           "a cut sequence: one cell a byte");
	is_integer(format_display_width("a\tb\n", 4), 2,
	           "control characters take no cell");
	is_integer(format_display_width("…", strlen("…")), 1, "the ellipsis");
	is_integer(format_display_width("", 0), 0, "empty");
}
/* }====== */

/* {====== Box table ====== */
static const char film_box[] =
	"┌──────┬───────────────┬──────┬──────────┬────────┐\n"
	"│ rank │ title         │ year │ duration │ rating │\n"
	"├──────┼───────────────┼──────┼──────────┼────────┤\n"
	"│    1 │ 기생충        │ 2019 │      132 │    8.5 │\n"
	"│    2 │ Say \"Hi\", Bob │      │       95 │    7.0 │\n"
	"│    3 │ Line break    │ 2013 │          │        │\n"
	"└──────┴───────────────┴──────┴──────────┴────────┘\n";

static void test_table(const table *t)
{
	format_options opts = {NULL, 0, 0, 0, NULL};
	reel_error err = REEL_ERROR_INIT;
	text_buffer out;
	selection *s = selection_all(t);
	const char *got = render(t, s, FORMAT_TABLE, &opts, &out, &err);
	is_string(got, film_box, "table: boxes, padding, alignment, nulls blank");
	is_integer(got ? line_width(got, 0) : 0, 51,
	           "table: every line has the same display width");
	text_buffer_free(&out);
	got = render(t, s, FORMAT_TABLE, NULL, &out, &err);
	is_string(got, film_box, "table: no options is all columns, all rows");
	text_buffer_free(&out);
	selection_free(s);
}

static void test_table_max_rows(const table *t)
{
	format_options opts = {NULL, 0, 2, 0, NULL};
	check_format(t, FORMAT_TABLE, &opts,
		"┌──────┬───────────────┬──────┬──────────┬────────┐\n"
		"│ rank │ title         │ year │ duration │ rating │\n"
		"├──────┼───────────────┼──────┼──────────┼────────┤\n"
		"│    1 │ 기생충        │ 2019 │      132 │    8.5 │\n"
		"│    2 │ Say \"Hi\", Bob │      │       95 │    7.0 │\n"
		"└──────┴───────────────┴──────┴──────────┴────────┘\n"
		"... 1 more row\n",
		"table: max_rows 2 of 3");
	opts.max_rows = 1;
	check_format(t, FORMAT_TABLE, &opts,
		"┌──────┬────────┬──────┬──────────┬────────┐\n"
		"│ rank │ title  │ year │ duration │ rating │\n"
		"├──────┼────────┼──────┼──────────┼────────┤\n"
		"│    1 │ 기생충 │ 2019 │      132 │    8.5 │\n"
		"└──────┴────────┴──────┴──────────┴────────┘\n"
		"... 2 more rows\n",
		"table: max_rows 1 sizes columns by the rows shown");
	opts.max_rows = 3;
	check_format(t, FORMAT_TABLE, &opts, film_box,
	             "table: max_rows equal to the count hides nothing");
}

static void check_table_width(const table *t, size_t max_width,
                              size_t expected_width)
{
	format_options opts = {NULL, 0, 0, max_width, NULL};
	reel_error err = REEL_ERROR_INIT;
	text_buffer out;
	selection *s = selection_all(t);
	const char *got = render(t, s, FORMAT_TABLE, &opts, &out, &err);
	is_integer(got ? line_width(got, 0) : 0, expected_width,
	           "table: max_width lines have equal width");
	text_buffer_free(&out);
	selection_free(s);
}

static void test_table_max_width(const table *t)
{
	format_options opts = {NULL, 0, 0, 40, NULL};
	size_t width;
	check_format(t, FORMAT_TABLE, &opts,
		"┌──────┬───────┬──────┬───────┬────────┐\n"
		"│ rank │ title │ year │ dura… │ rating │\n"
		"├──────┼───────┼──────┼───────┼────────┤\n"
		"│    1 │ 기생… │ 2019 │   132 │    8.5 │\n"
		"│    2 │ Say…  │      │    95 │    7.0 │\n"
		"│    3 │ Line… │ 2013 │       │        │\n"
		"└──────┴───────┴──────┴───────┴────────┘\n",
		"table: max_width 40 cuts the widest columns first, no space before …");
	opts.max_width = 36;
	check_format(t, FORMAT_TABLE, &opts,
		"┌──────┬──────┬──────┬──────┬──────┐\n"
		"│ rank │ tit… │ year │ dur… │ rat… │\n"
		"├──────┼──────┼──────┼──────┼──────┤\n"
		"│    1 │ 기…  │ 2019 │  132 │  8.5 │\n"
		"│    2 │ Say… │      │   95 │  7.0 │\n"
		"│    3 │ Lin… │ 2013 │      │      │\n"
		"└──────┴──────┴──────┴──────┴──────┘\n",
		"table: a wide character that would overhang is left out");
	for (width = 31; width <= 52; width++)
		check_table_width(t, width, width <= 51 ? width : 51);
	check_table_width(t, 10, 31); /* no column goes below 3 cells */
}

static void test_table_cells(void)
{
	static const char *const names[] = {"title", "ok"};
	static const char *const cells[] = {
		"a\tb\r\nc\rd", "true",
		"bad\xFF\xFE!", "false",
		"esc\x1b[1m", NULL,
	};
	table *t = make_table(2, names, 3, cells);
	format_options opts = {NULL, 0, 0, 0, NULL};
	check_format(t, FORMAT_TABLE, &opts,
		"┌─────────┬───────┐\n"
		"│ title   │ ok    │\n"
		"├─────────┼───────┤\n"
		"│ a b c d │ true  │\n"
		"│ bad��!  │ false │\n"
		"│ esc�[1m │       │\n"
		"└─────────┴───────┘\n",
		"table: breaks and tabs as spaces, bad bytes and controls as U+FFFD");
	table_free(t);
}

static void test_table_empty(const table *t)
{
	reel_error err = REEL_ERROR_INIT;
	text_buffer out;
	selection *none = selection_new(0);
	is_string(render(t, none, FORMAT_TABLE, NULL, &out, &err),
		"┌──────┬───────┬──────┬──────────┬────────┐\n"
		"│ rank │ title │ year │ duration │ rating │\n"
		"└──────┴───────┴──────┴──────────┴────────┘\n"
		"(no rows)\n",
		"table: an empty selection");
	text_buffer_free(&out);
	is_string(render(t, none, FORMAT_JSON, NULL, &out, &err), "[]\n",
	          "json: an empty selection");
	text_buffer_free(&out);
	is_string(render(t, none, FORMAT_CSV, NULL, &out, &err),
	          "rank,title,year,duration,rating\n", "csv: only the header");
	text_buffer_free(&out);
	is_string(render(t, none, FORMAT_LINES, NULL, &out, &err), "",
	          "lines: nothing, but a string");
	text_buffer_free(&out);
	selection_free(none);
}
/* }====== */

/* {====== CSV, TSV, JSON, Markdown, lines ====== */
static void test_csv_tsv(const table *t)
{
	static const char *const names[] = {"name", "note"};
	static const char *const cells[] = {
		" lead", "trail ",
		"plain", NULL,
		"a\rb", "x",
	};
	table *u = make_table(2, names, 3, cells);
	check_format(t, FORMAT_CSV, NULL,
		"rank,title,year,duration,rating\n"
		"1,기생충,2019,132,8.5\n"
		"2,\"Say \"\"Hi\"\", Bob\",,95,7.0\n"
		"3,\"Line\nbreak\",2013,,\n",
		"csv: quotes doubled, breaks quoted, nulls empty");
	check_format(u, FORMAT_CSV, NULL,
		"name,note\n"
		"\" lead\",\"trail \"\n"
		"plain,\n"
		"\"a\rb\",x\n",
		"csv: blanks at the ends and CR are quoted");
	check_format(t, FORMAT_TSV, NULL,
		"rank\ttitle\tyear\tduration\trating\n"
		"1\t기생충\t2019\t132\t8.5\n"
		"2\tSay \"Hi\", Bob\t\\N\t95\t7.0\n"
		"3\tLine break\t2013\t\\N\t\\N\n",
		"tsv: null as \\N, a break as a space");
	check_format(u, FORMAT_TSV, NULL,
		"name\tnote\n lead\ttrail \nplain\t\\N\na b\tx\n",
		"tsv: no quoting");
	table_free(u);
}

static void test_csv_empty_string(void)
{
	static const char *const names[] = {"title", "note"};
	static const char *const cells[] = {"Mother", "", "Memories", NULL};
	table *t = make_table(2, names, 2, cells);
	value note = table_value(t, 1, 0);
	if (note.kind == VALUE_STRING) /* the builder keeps "" as a string */
		check_format(t, FORMAT_CSV, NULL,
		             "title,note\nMother,\"\"\nMemories,\n",
		             "csv: an empty string is \"\", a null is empty");
	else
		ok(note.kind == VALUE_NULL, "the builder reads \"\" as null");
	table_free(t);
}

static void test_json(const table *t)
{
	static const char *const names[] = {"text", "score"};
	static const char *const cells[] = {
		"\x01\x1f\b\f\t\r\n\"\\/\x7f", "1.5",
		"caf\xC3\xA9 \xFF\xC3 \xED\xA0\x80", "-0.25",
	};
	table *u = make_table(2, names, 2, cells);
	check_format(t, FORMAT_JSON, NULL,
		"[\n"
		"{\"rank\":1,\"title\":\"기생충\",\"year\":2019,\"duration\":132,\"rating\":8.5},\n"
		"{\"rank\":2,\"title\":\"Say \\\"Hi\\\", Bob\",\"year\":null,\"duration\":95,\"rating\":7.0},\n"
		"{\"rank\":3,\"title\":\"Line\\nbreak\",\"year\":2013,\"duration\":null,\"rating\":null}\n"
		"]\n",
		"json: one object a line, keys in column order");
	check_format(u, FORMAT_JSON, NULL,
		"[\n"
		"{\"text\":\"\\u0001\\u001f\\b\\f\\t\\r\\n\\\"\\\\/\x7f\",\"score\":1.5},\n"
		"{\"text\":\"caf\xC3\xA9 \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd\",\"score\":-0.25}\n"
		"]\n",
		"json: controls escaped, bad UTF-8 as \\ufffd a byte");
	table_free(u);
}

/* Readers never make inf or nan, but arithmetic could: set them by hand. */
static void test_json_non_finite(void)
{
	static const char *const names[] = {"score"};
	static const char *const cells[] = {"0.5", "1.5", "2.5", "3"};
	table *t = make_table(1, names, 4, cells);
	ok(t->columns[0].type == COLUMN_NUMBER, "a number column");
	t->columns[0].numbers[0] = HUGE_VAL;
	t->columns[0].numbers[1] = -HUGE_VAL;
	t->columns[0].numbers[2] = NAN;
	check_format(t, FORMAT_JSON, NULL,
	             "[\n{\"score\":null},\n{\"score\":null},\n{\"score\":null},\n"
	             "{\"score\":3.0}\n]\n",
	             "json: inf and nan are null");
	check_format(t, FORMAT_CSV, NULL, "score\ninf\n-inf\nnan\n3.0\n",
	             "csv: inf and nan as Lua writes them");
	table_free(t);
}

static void test_markdown(const table *t)
{
	static const char *const names[] = {"a|b", "n"};
	static const char *const cells[] = {"x|y", "10", "z", "200"};
	table *u = make_table(2, names, 2, cells);
	check_format(t, FORMAT_MARKDOWN, NULL,
		"| rank | title         | year | duration | rating |\n"
		"| ---: | ------------- | ---: | -------: | -----: |\n"
		"|    1 | 기생충        | 2019 |      132 |    8.5 |\n"
		"|    2 | Say \"Hi\", Bob |      |       95 |    7.0 |\n"
		"|    3 | Line<br>break | 2013 |          |        |\n",
		"markdown: padded by display width, numbers right-aligned");
	check_format(u, FORMAT_MARKDOWN, NULL,
		"| a\\|b |    n |\n"
		"| ---- | ---: |\n"
		"| x\\|y |   10 |\n"
		"| z    |  200 |\n",
		"markdown: pipes escaped, short columns still get ---");
	table_free(u);
}

static void test_lines(const table *t)
{
	static const char *const names[] = {"film", "year"};
	static const char *const cells[] = {"Mother", "2009", "Poetry", NULL};
	table *u = make_table(2, names, 2, cells);
	static const char *const bare_names[] = {"title"};
	static const char *const bare_cells[] = {"Burning"};
	table *bare = make_table(1, bare_names, 1, bare_cells);
	check_format(t, FORMAT_LINES, NULL,
		"기생충 (2019, 132 min)\n"
		"Say \"Hi\", Bob (95 min)\n"
		"Line\nbreak (2013)\n",
		"lines: Title (year, N min), absent parts left out");
	check_format(u, FORMAT_LINES, NULL, "Mother (2009)\nPoetry\n",
	             "lines: no title column shows the first column");
	check_format(bare, FORMAT_LINES, NULL, "Burning\n", "lines: title only");
	table_free(u);
	table_free(bare);
}

static void test_columns(const table *t)
{
	size_t picked[] = {1, 0};
	size_t wrong[] = {7};
	format_options opts = {picked, 2, 0, 0, NULL};
	reel_error err = REEL_ERROR_INIT;
	text_buffer out;
	selection *s = selection_new(2);
	selection_push(s, 2);
	selection_push(s, 0);
	is_string(render(t, s, FORMAT_CSV, &opts, &out, &err),
	          "title,rank\n\"Line\nbreak\",3\n기생충,1\n",
	          "columns pick and order, rows follow the selection");
	text_buffer_free(&out);
	is_string(render(t, s, FORMAT_TABLE, &opts, &out, &err),
		"┌────────────┬──────┐\n"
		"│ title      │ rank │\n"
		"├────────────┼──────┤\n"
		"│ Line break │    3 │\n"
		"│ 기생충     │    1 │\n"
		"└────────────┴──────┘\n",
		"columns apply to the table");
	text_buffer_free(&out);
	is_string(render(t, s, FORMAT_LINES, &opts, &out, &err),
	          "Line\nbreak (2013)\n기생충 (2019, 132 min)\n",
	          "lines ignore the columns");
	text_buffer_free(&out);
	opts.columns = wrong;
	opts.column_count = 1;
	ok(render(t, s, FORMAT_JSON, &opts, &out, &err) == NULL,
	   "a column out of range is an error");
	is_string(err.message, "format: no column 8", "naming it");
	text_buffer_free(&out);
	selection_free(s);
}
/* }====== */

/* {====== Templates ====== */
static void test_template(const table *t)
{
	format_options opts = {NULL, 0, 0, 0, "{title} ({year})"};
	check_format(t, FORMAT_TEMPLATE, &opts,
	             "기생충 (2019)\nSay \"Hi\", Bob ()\nLine\nbreak (2013)\n",
	             "template: cells in place, null empty, a line a row");
	opts.template_text = "{{{rank}}}. {rating}\n";
	check_format(t, FORMAT_TEMPLATE, &opts, "{1}. 8.5\n{2}. 7.0\n{3}. \n",
	             "template: {{ and }} are braces; no doubled newline");
	opts.template_text = "";
	check_format(t, FORMAT_TEMPLATE, &opts, "\n\n\n",
	             "template: empty, one line a row");
	opts.template_text = "{{title}}";
	check_format(t, FORMAT_TEMPLATE, &opts, "{title}\n{title}\n{title}\n",
	             "template: an escaped placeholder stays text");
	check_template_error(t, "{durration} min",
		"template: no column 'durration' (did you mean 'duration'?)");
	check_template_error(t, "{title} ({year)",
		"template: unclosed '{' at offset 10");
	check_template_error(t, "{ti{tle}",
		"template: unclosed '{' at offset 1");
	check_template_error(t, "{title}} x",
		"template: unmatched '}' at offset 8 (write '}}' for a brace)");
	check_template_error(t, "a } b",
		"template: unmatched '}' at offset 3 (write '}}' for a brace)");
}

static void test_template_aliases(void)
{
	static const char *const names[] = {"primaryTitle", "startYear"};
	static const char *const cells[] = {"Oldboy", "2003"};
	table *t = make_table(2, names, 1, cells);
	format_options opts = {NULL, 0, 0, 0, "{title}/{year}/{startYear}"};
	ok(table_set_alias(t, "title", "primaryTitle") == 0 &&
	   table_set_alias(t, "year", "startYear") == 0, "film names set");
	check_format(t, FORMAT_TEMPLATE, &opts, "Oldboy/2003/2003\n",
	             "template: film names resolve to the file's columns");
	opts.template_text = NULL;
	check_template_error(t, "{qqqqqqqqqqqqqqqqqqqq}",
	                     "template: no column 'qqqqqqqqqqqqqqqqqqqq'");
	table_free(t);
}

static char *repeated(const char *piece, size_t times, const char *tail)
{
	size_t n = strlen(piece), i;
	char *text = reel_malloc(n * times + strlen(tail) + 1);
	if (text == NULL)
		return NULL;
	for (i = 0; i < times; i++)
		memcpy(text + i * n, piece, n);
	strcpy(text + n * times, tail);
	return text;
}

/* Renders a long template once; true when it took under a second (a
** quadratic parse of 100,000 braces would take far longer). */
static bool quick_template(const table *t, const char *text, size_t *length,
                           reel_error *err)
{
	format_options opts = {NULL, 0, 0, 0, text};
	text_buffer out;
	selection *s = selection_all(t);
	clock_t start = clock();
	int status;
	double seconds;
	text_buffer_init(&out);
	status = format_rows(t, s, FORMAT_TEMPLATE, &opts, &out, err);
	seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
	*length = status == 0 ? out.length : 0;
	text_buffer_free(&out);
	selection_free(s);
	return seconds < 1.0;
}

static void test_template_linear(const table *t)
{
	reel_error err = REEL_ERROR_INIT;
	size_t length;
	char *braces = repeated("{", 100000, "");
	char *open = repeated("}}", 50000, "{");
	char *fields = repeated("{rank}", 20000, "");
	ok(quick_template(t, braces, &length, &err), "100,000 braces: quick");
	is_integer(length, 3 * 50001, "each {{ is one brace, a line a row");
	ok(quick_template(t, open, &length, &err) && length == 0,
	   "100,000 closing braces and an open one: quick");
	is_string(err.message, "template: unclosed '{' at offset 100001", "and refused");
	ok(quick_template(t, fields, &length, &err), "20,000 fields: quick");
	is_integer(length, 3 * 20001, "each row's line");
	reel_free(braces);
	reel_free(open);
	reel_free(fields);
}
/* }====== */

/* {====== Random cells ====== */
/* Pieces that stress alignment and escaping: wide, zero-width, control,
** invalid and quoting characters. */
static const char *const pieces[] = {
	"a", "Z", " ", "기", "생충", "e\xCC\x81", "\xF0\x9F\x8E\xAC", "\t", "\r\n",
	"\n", "\x1b", "\xFF", "\xE2\x82", "|", "\"", ",", "\\", "\xC2\x85", "…",
};

static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

static void random_cell(char *cell, size_t room, uint32_t *state)
{
	size_t n = next_random(state) % 8, i;
	cell[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *piece = pieces[next_random(state) % (sizeof pieces / sizeof *pieces)];
		if (strlen(cell) + strlen(piece) < room)
			strcat(cell, piece);
	}
}

static table *random_table(uint32_t *state)
{
	static const char *const names[] = {"title", "기생충", "x|y"};
	char cells[4 * 3][64];
	const char *pointers[4 * 3];
	size_t i;
	for (i = 0; i < 12; i++) {
		random_cell(cells[i], sizeof cells[i], state);
		pointers[i] = cells[i];
	}
	return make_table(3, names, 4, pointers);
}

/* Whether text is valid UTF-8 throughout. */
static bool valid_utf8(const char *text)
{
	utf8proc_int32_t code;
	while (*text != '\0') {
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text, -1, &code);
		if (n <= 0)
			return false;
		text += n;
	}
	return true;
}

/* The narrowest table of three columns is 19 cells: 1 + 3 * (3 + 3). */
static void test_random_cells(void)
{
	uint32_t state = 2013;
	reel_error err = REEL_ERROR_INIT;
	int round, aligned = 0, fitted = 0, valid = 0;
	for (round = 0; round < 200; round++) {
		table *t = random_table(&state);
		selection *s = selection_all(t);
		format_options opts = {NULL, 0, 0, 19 + (size_t)round % 20, NULL};
		text_buffer out;
		const char *got = render(t, s, FORMAT_TABLE, NULL, &out, &err);
		aligned += got != NULL && line_width(got, 0) > 0 && valid_utf8(got);
		text_buffer_free(&out);
		got = render(t, s, FORMAT_TABLE, &opts, &out, &err);
		fitted += got != NULL && line_width(got, opts.max_width) > 0;
		text_buffer_free(&out);
		got = render(t, s, FORMAT_JSON, NULL, &out, &err);
		valid += got != NULL && valid_utf8(got) && strchr(got, '\x1b') == NULL;
		text_buffer_free(&out);
		selection_free(s);
		table_free(t);
	}
	is_integer(aligned, 200, "random cells: table lines line up, valid UTF-8");
	is_integer(fitted, 200, "random cells: every line fits max_width");
	is_integer(valid, 200, "random cells: JSON is valid UTF-8, controls escaped");
}
/* }====== */

/* {====== Running out of memory ====== */
/* Makes the n-th allocation fail for n = 1, 2, ... until a run succeeds:
** each failing run must report "out of memory" and leak nothing; the run
** that succeeds must give the normal output. */
static void check_failures(const table *t, format_kind kind,
                           const format_options *opts, const char *what)
{
	reel_error err = REEL_ERROR_INIT;
	text_buffer out, expected;
	selection *s = selection_all(t);
	size_t before;
	unsigned long n;
	bool clean = true, done = false;
	render(t, s, kind, opts, &expected, &err);
	before = reel_memory_used();
	for (n = 1; n < 1000 && !done && clean; n++) {
		reel_memory_fail_after(n);
		text_buffer_init(&out);
		if (format_rows(t, s, kind, opts, &out, &err) != 0)
			clean = strcmp(err.message, "out of memory") == 0;
		else {
			done = true;
			clean = strcmp(out.data, expected.data) == 0;
		}
		reel_memory_fail_after(0);
		text_buffer_free(&out);
		clean = clean && reel_memory_used() == before;
	}
	ok(clean && done, "%s: clean on every failed allocation (%lu runs)",
	   what, n - 1);
	text_buffer_free(&expected);
	selection_free(s);
}

static void test_failures(const table *t)
{
	format_options small = {NULL, 0, 2, 40, NULL};
	format_options template = {NULL, 0, 0, 0, "{{{title}}} {year} {rank}."};
	check_failures(t, FORMAT_TABLE, NULL, "table");
	check_failures(t, FORMAT_TABLE, &small, "table cut to 40 cells");
	check_failures(t, FORMAT_CSV, NULL, "csv");
	check_failures(t, FORMAT_TSV, NULL, "tsv");
	check_failures(t, FORMAT_JSON, NULL, "json");
	check_failures(t, FORMAT_MARKDOWN, NULL, "markdown");
	check_failures(t, FORMAT_LINES, NULL, "lines");
	check_failures(t, FORMAT_TEMPLATE, &template, "template");
}
/* }====== */

int main(void)
{
	table *t = film_table();
	ok(t != NULL, "the film table builds");
	if (t == NULL)
		return done_testing();
	test_text_buffer();
	test_kind_names();
	test_values();
	test_display_width();
	test_table(t);
	test_table_max_rows(t);
	test_table_max_width(t);
	test_table_cells();
	test_table_empty(t);
	test_csv_tsv(t);
	test_csv_empty_string();
	test_json(t);
	test_json_non_finite();
	test_markdown(t);
	test_lines(t);
	test_columns(t);
	test_template(t);
	test_template_aliases();
	test_template_linear(t);
	test_random_cells();
	test_failures(t);
	table_free(t);
	is_integer(reel_memory_used(), 0, "everything is freed");
	return done_testing();
}
