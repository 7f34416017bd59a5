/*
** table.c: the film table, stored by column (see table.h): reading cells,
** the schema and the film names that resolve to a catalogue's own columns.
** Building a table is table_builder.c's. Relies on memory.h. Pure C.
*/
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "similar_index.h"
#include "text.h"

/* {====== Reading cells ====== */
value table_value(const table *t, size_t col, row_id row)
{
	const column *c = &t->columns[col];
	value v;
	memset(&v, 0, sizeof v);
	v.kind = VALUE_NULL;
	if (table_is_null(t, col, row))
		return v;
	switch (c->type) {
	case COLUMN_INTEGER:
		v.kind = VALUE_INTEGER;
		v.as.integer = column_integer(c, row);
		break;
	case COLUMN_NUMBER:
		v.kind = VALUE_NUMBER;
		v.as.number = column_number(c, row);
		break;
	case COLUMN_BOOLEAN:
		v.kind = VALUE_BOOLEAN;
		v.as.boolean = column_boolean(c, row) != 0;
		break;
	case COLUMN_STRING:
		v.kind = VALUE_STRING;
		v.as.string.text = table_string_at(t, col, row);
		v.as.string.length = table_string_length(t, col, row);
		break;
	case COLUMN_DATE:
		v.kind = VALUE_DATE;
		v.as.integer = column_integer(c, row);
		break;
	}
	return v;
}

int table_cell_order(const table *t, const column *col, row_id a, row_id b)
{
	switch (col->type) {
	case COLUMN_INTEGER: case COLUMN_DATE:
		return value_order_of(column_integer(col, a) < column_integer(col, b),
		                column_integer(col, a) > column_integer(col, b));
	case COLUMN_NUMBER:
		return value_order_numbers(column_number(col, a), column_number(col, b));
	case COLUMN_BOOLEAN:
		return value_order_of(column_boolean(col, a) < column_boolean(col, b),
		                column_boolean(col, a) > column_boolean(col, b));
	default:
		return value_order_strings(column_text(t, col, a), column_text_length(col, a),
		                    column_text(t, col, b), column_text_length(col, b));
	}
}

const char *table_type_name(column_type type)
{
	switch (type) {
	case COLUMN_INTEGER: return "integer";
	case COLUMN_NUMBER: return "number";
	case COLUMN_BOOLEAN: return "boolean";
	case COLUMN_STRING: return "string";
	case COLUMN_DATE: return "date";
	}
	return "unknown";
}
/* }====== */

/* {====== Schema and film names ====== */

static bool same_ignoring_case(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (text_ascii_lower((unsigned char)*a) != text_ascii_lower((unsigned char)*b))
			return false;
	return *a == *b;
}

static int own_column_index(const table *t, const char *name)
{
	size_t i;
	for (i = 0; i < t->column_count; i++) /* first bytes first: f.duration */
		if (t->columns[i].name[0] == name[0] && strcmp(t->columns[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Film names first: resolving never makes one that shadows a column, so a
** film name spelled like a column was set on purpose (opts.columns,
** --column) and wins over it. */
int table_column_index(const table *t, const char *name)
{
	size_t i;
	for (i = 0; i < t->alias_count; i++)
		if (t->aliases[i].name[0] == name[0] && strcmp(t->aliases[i].name, name) == 0)
			return (int)t->aliases[i].column;
	return own_column_index(t, name);
}

/* Column names first, then film names: one list to search for a suggestion. */
static const char *known_name(const table *t, size_t i)
{
	if (i < t->column_count)
		return t->columns[i].name;
	return t->aliases[i - t->column_count].name;
}

/* Levenshtein distance ignoring ASCII case; `row` has room for strlen(b)+1. */
static size_t edit_distance(const char *a, const char *b, size_t *row)
{
	size_t n = strlen(b), i, j;
	for (j = 0; j <= n; j++)
		row[j] = j;
	for (i = 1; a[i - 1] != '\0'; i++) {
		size_t diagonal = row[0];
		row[0] = i;
		for (j = 1; j <= n; j++) {
			size_t above = row[j], best = diagonal;
			if (text_ascii_lower((unsigned char)a[i - 1]) !=
			    text_ascii_lower((unsigned char)b[j - 1]))
				best++;
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
		}
	}
	return row[n];
}

const char *table_closest_column(const table *t, const char *name)
{
	size_t length = strlen(name), limit = length / 3 < 2 ? 2 : length / 3;
	size_t known = t->column_count + t->alias_count, longest = 0, i;
	size_t best_distance = limit + 1, *row;
	const char *best = NULL;
	for (i = 0; i < known; i++)
		if (strlen(known_name(t, i)) > longest)
			longest = strlen(known_name(t, i));
	row = reel_malloc((longest + 1) * sizeof *row);
	if (row == NULL)
		return NULL;
	for (i = 0; i < known; i++) {
		const char *candidate = known_name(t, i);
		size_t other = strlen(candidate);
		/* the distance is at least the difference in length */
		if ((other > length ? other - length : length - other) >= best_distance)
			continue;
		size_t distance = edit_distance(name, candidate, row);
		if (distance < best_distance) {
			best = candidate;
			best_distance = distance;
		}
	}
	reel_free(row);
	return best;
}

/* The source is a column's own name when there is one, else a film name. */
int table_set_alias(table *t, const char *name, const char *source)
{
	int col = own_column_index(t, source) >= 0 ? own_column_index(t, source)
	                                          : table_column_index(t, source);
	column_alias *grown;
	char *copy;
	size_t i;
	if (col < 0)
		return -1;
	for (i = 0; i < t->alias_count; i++)
		if (strcmp(t->aliases[i].name, name) == 0) {
			t->aliases[i].column = (size_t)col;
			return 0;
		}
	copy = reel_strdup(name);
	grown = copy ? reel_realloc(t->aliases, (t->alias_count + 1) * sizeof *grown) : NULL;
	if (grown == NULL) {
		reel_free(copy);
		return -1;
	}
	t->aliases = grown;
	t->aliases[t->alias_count].name = copy;
	t->aliases[t->alias_count].column = (size_t)col;
	t->alias_count++;
	return 0;
}

/* Where common sources keep the film names, in order of preference; headers
** compare case-insensitively. A column spelled like the film name itself
** (Title, YEAR) is taken before any of these. */
typedef struct film_source {
	const char *film;
	const char *header;
} film_source;

static const film_source film_sources[] = {
	{"title", "primaryTitle"},          /* IMDb datasets (title.basics) */
	{"title", "Title"},                 /* IMDb exports */
	{"title", "Name"},                  /* Letterboxd */
	{"original_title", "originalTitle"},
	{"original_title", "Original Title"},
	{"year", "startYear"},
	{"year", "Year"},
	{"duration", "runtimeMinutes"},
	{"duration", "Runtime (mins)"},
	{"duration", "Running Time min"},
	{"duration", "Running Time (min)"},
	{"duration", "Running Time"},
	{"duration", "runtime"},            /* TMDB */
	{"duration", "Runtime (min)"},
	{"duration", "length"},
	{"duration", "minutes"},
	{"director", "Directors"},
	{"director", "directed_by"},
	{"genres", "genre"},
	{"description", "overview"},        /* TMDB */
	{"description", "plot"},
	{"description", "synopsis"},
	{"description", "summary"},
	{"description", "storyline"},
	{"cast", "actors"},
	{"cast", "stars"},
	{"cast", "starring"},
	{"rating", "averageRating"},        /* IMDb datasets (title.ratings) */
	{"rating", "IMDb Rating"},
	{"rating", "vote_average"},         /* TMDB */
	{"rating", "imdbRating"},
	{"rating", "Rating"},               /* Letterboxd */
	{"votes", "numVotes"},
	{"votes", "Num Votes"},
	{"votes", "vote_count"},
	{"votes", "imdbVotes"},
	{"type", "titleType"},
	{"type", "Title Type"},
	{"imdb_id", "tconst"},
	{"imdb_id", "Const"},
	{"imdb_id", "imdbID"},
	{"imdb_id", "imdb"},                /* Trakt: movie.ids.imdb */
	{NULL, NULL}
};

static const char *const film_names[] = {
	"title", "original_title", "year", "duration", "director", "genres",
	"rating", "description", "cast", "votes", "type", "imdb_id", NULL
};

static int column_named_ignoring_case(const table *t, const char *header)
{
	size_t i;
	for (i = 0; i < t->column_count; i++)
		if (same_ignoring_case(t->columns[i].name, header))
			return (int)i;
	return -1;
}

/* A column flattened from nested JSON whose last part is `header`
** (movie.title for title), or -1: under "movie." first, since a Trakt
** history also holds a show's and an episode's fields. */
static int dotted_column(const table *t, const char *header)
{
	size_t i, pass;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < t->column_count; i++) {
			const char *name = t->columns[i].name;
			const char *last = strrchr(name, '.');
			if (last != NULL && same_ignoring_case(last + 1, header) &&
			    (pass == 1 || strncmp(name, "movie.", 6) == 0))
				return (int)i;
		}
	return -1;
}

/* The column the film name should stand for, or -1: a column of the name,
** else of a source's header; else the same inside nested JSON. */
static int film_source_column(const table *t, const char *film)
{
	const film_source *s;
	int col = column_named_ignoring_case(t, film);
	for (s = film_sources; col < 0 && s->film != NULL; s++)
		if (strcmp(s->film, film) == 0)
			col = column_named_ignoring_case(t, s->header);
	if (col < 0)
		col = dotted_column(t, film);
	for (s = film_sources; col < 0 && s->film != NULL; s++)
		if (strcmp(s->film, film) == 0)
			col = dotted_column(t, s->header);
	return col;
}

int table_resolve_film_names(table *t)
{
	const char *const *film;
	for (film = film_names; *film != NULL; film++) {
		int col;
		if (table_column_index(t, *film) >= 0)
			continue; /* the table's own column, or a name set before */
		col = film_source_column(t, *film);
		if (col >= 0 && table_set_alias(t, *film, t->columns[col].name) != 0)
			return -1;
	}
	return 0;
}
/* }====== */

const char *table_type_plural(column_type type)
{
	switch (type) {
	case COLUMN_INTEGER: return "integers";
	case COLUMN_NUMBER: return "numbers";
	case COLUMN_BOOLEAN: return "booleans";
	case COLUMN_DATE: return "dates";
	default: return "strings";
	}
}

table *table_retain(table *t)
{
	t->references++;
	return t;
}

void column_free_cells(column *c)
{
	if (c->map != NULL)
		return; /* a view: its arrays are a held table's */
	reel_free(c->integers);
	reel_free(c->narrow);
	reel_free(c->numbers);
	reel_free(c->booleans);
	reel_free(c->offsets);
	reel_free(c->nulls);
}

void table_free(table *t)
{
	size_t i;
	if (t == NULL || --t->references > 0)
		return;
	for (i = 0; i < t->column_count; i++) {
		column *c = &t->columns[i];
		reel_free(c->name);
		column_free_cells(c);
	}
	for (i = 0; i < t->alias_count; i++)
		reel_free(t->aliases[i].name);
	reel_free(t->aliases);
	reel_free(t->columns);
	reel_free(t->arena);
	for (i = 0; i < t->held_count; i++)
		table_free(t->held[i]);
	reel_free(t->held);
	for (i = 0; i < t->map_count; i++)
		reel_free(t->maps[i]);
	reel_free(t->maps);
	similar_index_free(t->similar);
	reel_free(t);
}

