/*
** test_read_csv.c: CSV and TSV catalogues: quoting, line breaks, the
** byte-order mark, delimiter detection, nulls, every malformed case with its
** exact FILE:LINE:COL message, format detection, the built-in catalogue read
** from disk, and out-of-memory behaviour of the readers.
*/
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/memory.h"
#include "core/read.h"
#include "tap.h"

static reel_error err;

static table *csv(const char *text)
{
	err.message[0] = '\0';
	return read_csv(text, strlen(text), "films.csv", '\0', &err);
}

static table *tsv(const char *text)
{
	err.message[0] = '\0';
	return read_tsv(text, strlen(text), "title.basics.tsv", &err);
}

/* The cell as text, NULL when null (or no such column). */
static const char *cell(const table *t, const char *name, row_id row)
{
	int c = t != NULL ? table_column_index(t, name) : -1;
	if (c < 0 || row >= t->row_count || table_is_null(t, (size_t)c, row))
		return NULL;
	return table_string_at(t, (size_t)c, row);
}

static void expect_error(const char *text, const char *message, const char *what)
{
	table *t = csv(text);
	ok(t == NULL, "%s: refused", what);
	is_string(err.message, message, what);
	table_free(t);
}

static void test_quoting(void)
{
	table *t = csv("title,description\n"
	               "Hope,\"Drawn from a real case, a family rebuilds\"\n"
	               "Daisy,\"A painter, a detective and a \"\"hitman\"\"\"\n"
	               "Harmony,\"line one\nline two\r\nline three\"\n"
	               "\"Silenced\",\"\"\n"
	               "Miracle,\n");
	ok(t != NULL, "quoted fields load (%s)", err.message);
	if (t == NULL)
		return;
	is_integer(t->row_count, 5, "five rows");
	is_string(cell(t, "description", 0), "Drawn from a real case, a family rebuilds",
	          "a quoted comma stays in the field");
	is_string(cell(t, "description", 1), "A painter, a detective and a \"hitman\"",
	          "doubled quotes become one");
	is_string(cell(t, "description", 2), "line one\nline two\r\nline three",
	          "quoted line breaks are kept byte for byte");
	is_string(cell(t, "title", 3), "Silenced", "a quoted plain field");
	ok(cell(t, "description", 3) != NULL, "\"\" is not null");
	is_string(cell(t, "description", 3), "", "\"\" is the empty string");
	ok(cell(t, "description", 4) == NULL, "an empty unquoted field is null");
	table_free(t);
}

static void test_line_endings(void)
{
	table *t = csv("\xEF\xBB\xBFtitle,year\r\nHope,2013\r\nDaisy,2006\r\n");
	ok(t != NULL, "CRLF with a byte-order mark loads (%s)", err.message);
	if (t == NULL)
		return;
	is_string(t->columns[0].name, "title", "the byte-order mark is skipped");
	is_integer(t->row_count, 2, "a final CRLF makes no extra row");
	is_integer(t->columns[1].type, COLUMN_INTEGER, "no CR is left on the last field");
	is_integer(column_integer(&t->columns[1], 1), 2006, "the last row's year");
	table_free(t);
	t = csv("title,year\nHope,2013");
	ok(t != NULL && t->row_count == 1 && t->columns[1].type == COLUMN_INTEGER &&
	   column_integer(&t->columns[1], 0) == 2013,
	   "no newline at the end: the last row is whole");
	table_free(t);
	t = csv("title,year\nHope,2013\n\n");
	ok(t != NULL && t->row_count == 1, "a blank last line is ignored");
	table_free(t);
	t = csv("title,year\nHope,2013\n\nDaisy,2006\n");
	ok(t != NULL && t->row_count == 2, "a blank line between rows is skipped");
	table_free(t);
	t = csv("title\nHope\n\nDaisy\n\n");
	ok(t != NULL && t->row_count == 3, "in one column a blank line is a null row");
	ok(t != NULL && cell(t, "title", 1) == NULL && strcmp(cell(t, "title", 2), "Daisy") == 0,
	   "the null sits between its neighbours");
	table_free(t);
	t = csv("title,year\r\n\"Hope\",2013\r\n");
	ok(t != NULL && t->row_count == 1 && t->columns[1].type == COLUMN_INTEGER,
	   "a quoted record ending in CRLF");
	table_free(t);
}

static void test_delimiters(void)
{
	table *t = csv("title;year;note\nHope;2013;\"a, b; c\"\n");
	ok(t != NULL && t->column_count == 3, "semicolons are detected (%s)", err.message);
	is_string(cell(t, "note", 0), "a, b; c", "a quoted semicolon stays");
	table_free(t);
	t = csv("title|year\nHope|2013\n");
	ok(t != NULL && t->column_count == 2, "pipes are detected");
	is_string(cell(t, "title", 0), "Hope", "a pipe-separated cell");
	table_free(t);
	t = csv("\"a,b\";c\n1;2\n");
	ok(t != NULL && t->column_count == 2, "commas inside quotes do not count");
	is_string(t != NULL ? t->columns[0].name : NULL, "a,b", "the quoted header name");
	table_free(t);
	t = csv("title\tyear\nHope\t2013\n");
	ok(t != NULL && t->column_count == 2, "tabs are detected in CSV");
	table_free(t);
	err.message[0] = '\0';
	t = read_csv("a;b,c\n1;2,3\n", 12, "x.csv", ',', &err);
	ok(t != NULL && t->column_count == 2, "an explicit delimiter wins over detection");
	is_string(cell(t, "a;b", 0), "1;2", "with the other character kept in cells");
	table_free(t);
	t = csv("title\nHope\n");
	ok(t != NULL && t->column_count == 1 && t->row_count == 1, "one column needs no delimiter");
	table_free(t);
}

static void test_header_rules(void)
{
	table *t = csv("title,year\n");
	ok(t != NULL && t->row_count == 0 && t->column_count == 2, "a header-only file has 0 rows");
	if (t != NULL)
		is_integer(t->columns[1].type, COLUMN_STRING, "its columns are strings");
	table_free(t);
	t = csv("title");
	ok(t != NULL && t->row_count == 0 && t->column_count == 1, "a header without a newline");
	table_free(t);
	t = csv("title,,year\nHope,x,2013\n");
	is_string(t != NULL ? t->columns[1].name : NULL, "column2", "an empty header name is named by position");
	table_free(t);
	expect_error("", "films.csv:1:1: empty file, expected a header row", "an empty file");
	expect_error("\xEF\xBB\xBF", "films.csv:1:1: empty file, expected a header row",
	             "only a byte-order mark");
	expect_error("\n\nHope,2013\n", "films.csv:1:1: empty header row", "a blank header line");
	expect_error("title,year,title\n", "films.csv:1:12: duplicate column name \"title\"",
	             "a duplicate header name");
	expect_error("a,\"b\nc\",\"b\nc\"\n", "films.csv:2:4: duplicate column name \"b\nc\"",
	             "a duplicate quoted name on a later line");
}

static void test_malformed(void)
{
	expect_error("title,year\nHope,2013\n\"Daisy,2006\n",
	             "films.csv:3:1: unterminated quoted field", "an unterminated quote");
	expect_error("title,note\nHope,\"one\ntwo\"\nDaisy,ok\nHarmony,\"open\n",
	             "films.csv:5:9: unterminated quoted field",
	             "an unterminated quote after quoted line breaks");
	expect_error("rank,title,original_title,year,duration,director,description\n"
	             "1,Hope,So-won,2013,122\n",
	             "films.csv:2:1: expected 7 fields, found 5", "a short row");
	expect_error("title,year\nHope,2013\n\"Dai\nsy\",2006,x\n",
	             "films.csv:3:1: expected 2 fields, found 3", "a long quoted row names its first line");
	expect_error("title,year\nHope,2013\r\nDa\"isy,2006\n",
	             "films.csv:3:3: quote inside an unquoted field", "a stray quote");
	expect_error("title,note\nHope,\"a\" b\n",
	             "films.csv:2:9: text after a closing quote", "text after a closing quote");
	expect_error("title,note\nHope,\"a\"\rb\n",
	             "films.csv:2:9: text after a closing quote", "a lone CR after a closing quote");
	expect_error("\xEF\xBB\xBFtitle,year\nHope\n",
	             "films.csv:2:1: expected 2 fields, found 1", "lines count past a byte-order mark");
}

/* A catalogue of `length` bytes (it may hold NULs) fails with `message`. */
static void expect_bytes_error(const char *text, size_t length,
                               const char *message, const char *what)
{
	table *t;
	err.message[0] = '\0';
	t = read_csv(text, length, "films.csv", '\0', &err);
	ok(t == NULL, "%s: refused", what);
	is_string(err.message, message, what);
	table_free(t);
}

#define INVALID_UTF8(byte) "invalid UTF-8 (byte 0x" byte "): if the file is " \
	"not UTF-8, say its encoding (--encoding or opts.encoding: latin1, " \
	"cp1252, utf-16)"

static void test_bytes(void)
{
	table *t = csv("title,original_title\nSpirits' Homecoming,\xEA\xB7\x80\xED\x96\xA5\n"
	               "Emoji,\xF0\x9F\x8E\xAC\n");
	ok(t != NULL, "UTF-8 loads (%s)", err.message);
	is_string(cell(t, "original_title", 0), "\xEA\xB7\x80\xED\x96\xA5", "Hangul is kept");
	is_string(cell(t, "original_title", 1), "\xF0\x9F\x8E\xAC", "four-byte sequences too");
	table_free(t);
	expect_error("title,original_title\nBroken,\xFF\xFE x\n",
	             "films.csv:2:8: " INVALID_UTF8("FF"), "invalid UTF-8 names the encoding option");
	expect_error("title,year\nCaf\xE9,2001\n", "films.csv:2:4: " INVALID_UTF8("E9"),
	             "a Latin-1 byte");
	expect_error("title,year\n\xC0\xAF,1\n", "films.csv:2:1: " INVALID_UTF8("C0"),
	             "an overlong form");
	expect_error("title,year\n\xED\xA0\x80,1\n", "films.csv:2:1: " INVALID_UTF8("ED"),
	             "a surrogate");
	expect_error("title,year\nA,1\nCut \xED\x95", "films.csv:3:5: " INVALID_UTF8("ED"),
	             "a sequence cut by the end of the file");
	expect_error("title,note\nA,\"two\nlines \xFF\"\n",
	             "films.csv:3:7: " INVALID_UTF8("FF"), "inside a quoted line break");
	expect_error("tit\xFFle,year\nA,1\n", "films.csv:1:4: " INVALID_UTF8("FF"),
	             "in the header");
	expect_bytes_error("title,year\nA\0B,1\n", 17,
	                   "films.csv:2:2: a NUL byte: binary data, not a text catalogue",
	                   "a NUL byte in a row");
	expect_bytes_error("tit\0le,year\nA,1\n", 17,
	                   "films.csv:1:4: a NUL byte: binary data, not a text catalogue",
	                   "a NUL byte cutting a header name");
	expect_error("\xEF\xBB\xBF\xEF\xBB\xBFtitle,year\nA,1\n",
	             "films.csv:1:1: a second byte-order mark", "a doubled byte-order mark");
	t = tsv("title\tyear\nA\xFF\t1\n");
	ok(t == NULL && strcmp(err.message, "title.basics.tsv:2:2: " INVALID_UTF8("FF")) == 0,
	   "TSV checks its bytes too (%s)", err.message);
	table_free(t);
}

/* A buffer read as read_catalogue would read it, in `encoding`. */
static table *encoded(const char *text, size_t length, read_encoding encoding)
{
	read_options opts = {.format = CATALOGUE_CSV, .delimiter = '\0'};
	opts.encoding = encoding;
	err.message[0] = '\0';
	return read_catalogue_buffer(text, length, "films.csv", &opts, &err);
}

static void test_encodings(void)
{
	static const char utf16le[] = "\xFF\xFEt\0i\0t\0l\0e\0\n\0\xE9\0\x34\xD8\x1E\xDD\n\0";
	static const char utf16be[] = "\xFE\xFF\0t\0i\0t\0l\0e\0\n\0\xE9\0\n";
	static const char utf32le[] = "\xFF\xFE\0\0t\0\0\0\n\0\0\0\xE9\0\0\0\n\0\0\0";
	static const char bare16[] = "t\0i\0t\0l\0e\0\n\0A\0\n\0";
	table *t = encoded(utf16le, sizeof utf16le - 1, READ_ENCODING_DETECT);
	ok(t != NULL, "UTF-16LE with a byte-order mark loads (%s)", err.message);
	is_string(cell(t, "title", 0), "\xC3\xA9\xF0\x9D\x84\x9E", "its text made UTF-8, pairs joined");
	table_free(t);
	t = encoded(utf16be, sizeof utf16be - 1, READ_ENCODING_DETECT);
	is_string(cell(t, "title", 0), "\xC3\xA9", "UTF-16BE too");
	table_free(t);
	t = encoded(utf32le, sizeof utf32le - 1, READ_ENCODING_DETECT);
	is_string(cell(t, "t", 0), "\xC3\xA9", "and UTF-32LE");
	table_free(t);
	t = encoded(bare16, sizeof bare16 - 1, READ_ENCODING_DETECT);
	ok(t == NULL && strstr(err.message, "UTF-16 without a byte-order mark?") != NULL,
	   "UTF-16 with no mark is refused with a hint (%s)", err.message);
	table_free(t);
	t = encoded(bare16, sizeof bare16 - 1, READ_ENCODING_UTF16);
	is_string(cell(t, "title", 0), "A", "and read when the encoding is named");
	table_free(t);
	t = encoded("\xFF\xFEt\0\n\0\x00\xD8\n\0", 10, READ_ENCODING_DETECT);
	is_string(t == NULL ? err.message : "", "films.csv:2:1: invalid UTF-16 (a lone surrogate)",
	          "a lone surrogate is an error naming its place");
	table_free(t);
	t = encoded("title\nCaf\xE9 \x80\n", 13, READ_ENCODING_LATIN1);
	is_string(cell(t, "title", 0), "Caf\xC3\xA9 \xC2\x80", "Latin-1");
	table_free(t);
	t = encoded("title\nCaf\xE9 \x80\x81\n", 14, READ_ENCODING_CP1252);
	is_string(cell(t, "title", 0), "Caf\xC3\xA9 \xE2\x82\xAC\xC2\x81", "Windows-1252");
	table_free(t);
	is_integer(read_encoding_from_name("Windows-1252"), READ_ENCODING_CP1252, "encoding names");
	is_integer(read_encoding_from_name("ebcdic"), -1, "an unknown encoding");
}

/* The reader's warnings, as a front end would show them. */
static char warned[REEL_ERROR_MAX];
static int warnings;

static void keep_warning(void *context, const char *message)
{
	(void)context;
	snprintf(warned, sizeof warned, "%s", message);
	warnings++;
}

/* A whole number past int64 keeps its column exact, as text, and says so;
** the other integers of a column are never rounded through a double. */
static void test_oversized(void)
{
	read_options opts = READ_OPTIONS_INIT;
	static const char json[] = "[{\"id\": 1}, {\"id\": -9223372036854775809}]";
	table *t;
	read_set_warning(keep_warning, NULL);
	t = csv("id,year\n9007199254740993,2001\n99999999999999999999,2002\n7,2003\n");
	ok(t != NULL && t->columns[0].type == COLUMN_STRING, "the column stays text");
	is_string(cell(t, "id", 0), "9007199254740993", "2^53 + 1 kept exactly");
	is_string(cell(t, "id", 1), "99999999999999999999", "the big one exactly");
	ok(t != NULL && t->columns[1].type == COLUMN_INTEGER, "other columns are unchanged");
	is_integer(warnings, 1, "one warning");
	is_string(warned, "films.csv: column 'id' holds a whole number too large for 64 bits "
	          "(row 2): the column is kept as text, every value exact", "naming column and row");
	table_free(t);
	t = read_catalogue_buffer(json, sizeof json - 1, "films.json", &opts, &err);
	is_string(cell(t, "id", 1), "-9223372036854775809", "JSON too, below INT64_MIN");
	is_integer(warnings, 2, "with its warning");
	table_free(t);
	t = csv("id\n9223372036854775807\n-9223372036854775808\n");
	ok(t != NULL && t->columns[0].type == COLUMN_INTEGER && warnings == 2,
	   "the int64 limits themselves are integers, no warning");
	table_free(t);
	read_set_warning(NULL, NULL);
}

/* Files of other kinds are named, not read. */
static void test_other_kinds(void)
{
	static const char pdf[] = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n";
	read_options opts = READ_OPTIONS_INIT;
	table *t = read_catalogue_buffer(pdf, sizeof pdf - 1, "films.csv", &opts, &err);
	ok(t == NULL, "a PDF is refused");
	is_string(err.message, "films.csv: a PDF document, not a catalogue",
	          "and named");
	t = read_catalogue_buffer("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16, "x.tsv", &opts, &err);
	is_string(t == NULL ? err.message : "", "x.tsv: a PNG image, not a catalogue",
	          "a PNG image");
	t = read_catalogue_buffer("MZ Films,Year\nA,1\n", 18, "x.csv", &opts, &err);
	ok(t != NULL && t->row_count == 1, "text that opens like a program's signature is text");
	table_free(t);
}

static void test_tsv(void)
{
	table *t = tsv("tconst\tprimaryTitle\tstartYear\truntimeMinutes\n"
	               "tt1\t\"Wedding\" Dress\t2010\t109\n"
	               "tt2\tHope \"\t\\N\t\n"
	               "tt3\ta,b\t2016\t127\r\n");
	ok(t != NULL, "an IMDb-style TSV loads (%s)", err.message);
	if (t == NULL)
		return;
	is_integer(t->row_count, 3, "three rows");
	is_string(cell(t, "primaryTitle", 0), "\"Wedding\" Dress", "quotes are ordinary in TSV");
	is_string(cell(t, "primaryTitle", 1), "Hope \"", "a lone quote is ordinary");
	ok(cell(t, "startYear", 1) == NULL, "\\N is null");
	ok(table_is_null(t, 3, 1), "an empty TSV field is null");
	is_integer(t->columns[2].type, COLUMN_INTEGER, "a year column with \\N is integer");
	is_integer(column_integer(&t->columns[3], 2), 127, "CRLF is stripped");
	is_string(cell(t, "primaryTitle", 2), "a,b", "a comma is ordinary");
	table_free(t);
	t = tsv("a\tb\nx\n");
	ok(t == NULL, "a short TSV row is refused");
	is_string(err.message, "title.basics.tsv:2:1: expected 2 fields, found 1", "with its line");
	table_free(t);
}

static void test_builtin_catalogue(void)
{
	static const char *const integer_columns[] = {"rank", "year", "duration"};
	static const char *const string_columns[] = {"title", "original_title", "director",
	                                             "description"};
	table *t;
	size_t i;
	err.message[0] = '\0';
	t = read_catalogue("data/films.csv", NULL, &err);
	ok(t != NULL, "data/films.csv loads (%s)", err.message);
	if (t == NULL)
		return;
	is_integer(t->row_count, 10, "ten films");
	is_integer(t->column_count, 7, "seven columns");
	for (i = 0; i < 3; i++) {
		int c = table_column_index(t, integer_columns[i]);
		ok(c >= 0 && t->columns[c].type == COLUMN_INTEGER, "%s is integer", integer_columns[i]);
	}
	for (i = 0; i < 4; i++) {
		int c = table_column_index(t, string_columns[i]);
		ok(c >= 0 && t->columns[c].type == COLUMN_STRING, "%s is string", string_columns[i]);
	}
	is_string(cell(t, "original_title", 0), "7\xEB\xB2\x88\xEB\xB0\xA9\xEC\x9D\x98 \xEC\x84\xA0\xEB\xAC\xBC",
	          "Hangul in original_title");
	is_string(cell(t, "title", 7), "Silenced", "the eighth film");
	ok(cell(t, "description", 0) != NULL && strstr(cell(t, "description", 0), ", and years later") != NULL,
	   "a quoted description keeps its commas");
	i = (size_t)table_column_index(t, "duration");
	is_integer(column_integer(&t->columns[i], 8), 131, "Way Back Home runs 131 minutes");
	table_free(t);
}

static void test_catalogue_detection(void)
{
	static const char tabbed[] = "title\t\"year\"\nHope\t2013\n";
	read_options opts = READ_OPTIONS_INIT;
	table *t;
	t = read_catalogue_buffer(tabbed, strlen(tabbed), "list.tsv", &opts, &err);
	ok(t != NULL && table_column_index(t, "\"year\"") == 1, ".tsv reads as TSV");
	table_free(t);
	t = read_catalogue_buffer(tabbed, strlen(tabbed), "list", &opts, &err);
	ok(t != NULL && table_column_index(t, "\"year\"") == 1, "a tab in the first line means TSV");
	table_free(t);
	t = read_catalogue_buffer(tabbed, strlen(tabbed), "list.csv", &opts, &err);
	ok(t != NULL && table_column_index(t, "year") == 1, ".csv reads as CSV");
	table_free(t);
	opts.format = CATALOGUE_CSV;
	t = read_catalogue_buffer(tabbed, strlen(tabbed), "list.tsv", &opts, &err);
	ok(t != NULL && table_column_index(t, "year") == 1, "the asked format wins over the extension");
	table_free(t);
	opts.format = CATALOGUE_DETECT;
	t = read_catalogue_buffer("primaryTitle,startYear\nHope,2013\n", 33, "x.CSV", &opts, &err);
	ok(t != NULL && table_column_index(t, "title") == 0 && table_column_index(t, "year") == 1,
	   "film names are resolved after reading");
	table_free(t);
	t = read_catalogue_buffer("\x1f\x8b\x08", 3, "x.csv.gz", &opts, &err);
	ok(t == NULL, "cut gzip bytes in a buffer are refused");
	is_string(err.message, "x.csv.gz: cannot decompress: unexpected end of file", "saying why");
	{
		/* "title\nHope\n", as gzip -n writes it */
		static const char gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x2b\xc9\x2c\xc9"
		                         "\x49\xe5\xf2\xc8\x2f\x48\xe5\x02\x00\x5f\x32\xf8\xfd\x0b\x00"
		                         "\x00\x00";
		t = read_catalogue_buffer(gz, sizeof gz - 1, "x.csv.gz", &opts, &err);
		ok(t != NULL && t->row_count == 1, "whole gzip bytes in a buffer are inflated and read");
		table_free(t);
	}
	is_integer(read_format_from_name("csv"), CATALOGUE_CSV, "format name csv");
	is_integer(read_format_from_name("tsv"), CATALOGUE_TSV, "format name tsv");
	is_integer(read_format_from_name("json"), CATALOGUE_JSON, "format name json");
	is_integer(read_format_from_name("xlsx"), CATALOGUE_DETECT, "unknown names detect");
	t = read_catalogue_buffer("[{\"title\": \"Hope\"}]", 19, "list", &opts, &err);
	ok(t != NULL && t->row_count == 1 && table_column_index(t, "title") == 0,
	   "text opening with [ reads as JSON");
	table_free(t);
	t = read_catalogue("tests/data/csv/basics.tsv.gz", NULL, &err);
	ok(t != NULL && t->row_count == 2, "a .tsv.gz file is decompressed and read as TSV (%s)", err.message);
	ok(t != NULL && table_column_index(t, "duration") == 2 && table_is_null(t, 2, 1),
	   "with its film names and \\N nulls");
	table_free(t);
	t = read_catalogue("tests/data/csv/compressed.csv", NULL, &err);
	ok(t != NULL && t->row_count == 1 && t->columns[1].type == COLUMN_INTEGER &&
	   column_integer(&t->columns[1], 0) == 2013,
	   "gzip is recognised by its first bytes (%s)", err.message);
	table_free(t);
	t = read_catalogue("tests/data/no-such-file.csv", NULL, &err);
	ok(t == NULL, "a missing file is refused");
	is_string(err.message, "tests/data/no-such-file.csv: cannot open: No such file or directory",
	          "the message names the path");
}

/* Each allocation in turn fails: the reader says so, and leaks nothing. */
static void test_out_of_memory_in(const char *what, bool as_tsv, const char *text)
{
	size_t before = reel_memory_used(), leaks = 0, wrong = 0;
	unsigned long n;
	table *t = NULL;
	for (n = 1; n < 100000 && t == NULL; n++) {
		reel_memory_fail_after(n);
		err.message[0] = '\0';
		t = as_tsv ? read_tsv(text, strlen(text), "m", &err)
		           : read_csv(text, strlen(text), "m", '\0', &err);
		if (t == NULL && reel_memory_used() != before)
			leaks++;
		if (t == NULL && strcmp(err.message, "m: out of memory") != 0)
			wrong++;
	}
	reel_memory_fail_after(0);
	is_integer(leaks, 0, what);
	is_integer(wrong, 0, "every failure says out of memory");
	ok(t != NULL, "%s: loads once memory allows (%lu tries)", what, n - 1);
	table_free(t);
	is_integer(reel_memory_used(), before, "all memory returned");
}

static void test_out_of_memory(void)
{
	char big[20000];
	size_t used = 0, r;
	used += (size_t)snprintf(big, sizeof big, "rank,title,\"note\",rating\n");
	for (r = 0; r < 300; r++)
		used += (size_t)snprintf(big + used, sizeof big - used,
		                         "%zu,Film %zu,\"a \"\"quoted\"\", note\",%s\n",
		                         r, r, r % 5 ? "7.5" : "");
	test_out_of_memory_in("CSV: no failed allocation leaks", false, big);
	test_out_of_memory_in("TSV: no failed allocation leaks", true,
	                      "a\tb\tc\n1\t\\N\tx\n2\t3\t\n4\t5\ty\n");
}

int main(void)
{
	test_quoting();
	test_line_endings();
	test_delimiters();
	test_header_rules();
	test_malformed();
	test_bytes();
	test_encodings();
	test_oversized();
	test_other_kinds();
	test_tsv();
	test_builtin_catalogue();
	test_catalogue_detection();
	test_out_of_memory();
	return done_testing();
}
