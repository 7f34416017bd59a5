/*
** similar.c: q:similar (see similar.h). Each seed's terms are read into
** bags; every term's list in the catalogue's index (similar_index.h) then
** adds its share of the cosine to an accumulator a film, so only the films
** sharing a term with a seed are touched; one pass over the query's films
** adds the years' closeness and keeps the best in a heap. The reasons are
** found for those alone, from their cells. Relies on similar_index.h,
** similar_terms.h, word.h, table_gather and memory.h. Pure C.
*/
#include "similar.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "memory.h"
#include "similar_terms.h"
#include "word.h"

/* {====== Weights, checks and the schema ====== */

#define YEAR_HALF_LIFE 3.0 /* years apart that halve the closeness */
#define REASON_WORDS 3     /* shared words a reason names */
#define REASON_ITEMS 3     /* shared genres or cast a reason names */
#define REASON_YEARS 5     /* years apart a reason still mentions */
#define YEAR_SPAN 10000    /* years a table of the years' parts may span */

void similar_default_weights(double weights[SIMILAR_SIGNALS])
{
	weights[SIMILAR_DESCRIPTION] = 1.0;
	weights[SIMILAR_GENRES] = 0.5;
	weights[SIMILAR_DIRECTOR] = 0.3;
	weights[SIMILAR_CAST] = 0.3;
	weights[SIMILAR_YEAR] = 0.1;
}

int similar_check(const table *t, const similar_request *r, reel_error *err)
{
	int columns[SIMILAR_SIGNALS];
	unsigned s;
	similar_index_columns(t, columns);
	for (s = 0; s < SIMILAR_SIGNALS; s++)
		if (columns[s] >= 0 && r->weights[s] != 0)
			return 0;
	return error_set(err, REEL_ERROR_ARGUMENT, "similar: the catalogue has "
	                 "none of the columns description, genres, director, cast "
	                 "or year (a text column, or a number for the year)");
}

/* `name`, with "_2" added while t or the first `count` columns of out
** have a column of that name. */
static char *free_name(const table *t, const table *out, const char *name)
{
	char text[64];
	size_t i;
	bool taken = true;
	snprintf(text, sizeof text, "%s", name);
	while (taken) {
		taken = false;
		for (i = 0; i < t->column_count && !taken; i++)
			taken = strcmp(t->columns[i].name, text) == 0;
		for (i = 0; i < out->column_count && !taken; i++)
			taken = strcmp(out->columns[i].name, text) == 0;
		if (taken && strlen(text) + 3 < sizeof text)
			strcat(text, "_2");
		else if (taken)
			return NULL;
	}
	return reel_strdup(text);
}

static int add_named(table *out, const char *name, column_type type)
{
	column *c = &out->columns[out->column_count];
	c->name = name != NULL ? reel_strdup(name) : NULL;
	c->type = type;
	if (c->name == NULL)
		return -1;
	out->column_count++;
	return 0;
}

/* t's film names, standing for the same columns of out. */
static int carry_film_names(table *out, const table *t)
{
	size_t i;
	for (i = 0; i < t->alias_count; i++)
		if (table_set_alias(out, t->aliases[i].name,
		                    out->columns[t->aliases[i].column].name) != 0)
			return -1;
	return table_resolve_film_names(out);
}

static int shape(table *out, const table *t)
{
	char *score, *reason;
	size_t i;
	out->columns = reel_calloc(t->column_count + 3, sizeof *out->columns);
	if (out->columns == NULL)
		return -1;
	for (i = 0; i < t->column_count; i++)
		if (add_named(out, t->columns[i].name, t->columns[i].type) != 0)
			return -1;
	score = free_name(t, out, "score");
	if (add_named(out, score, COLUMN_NUMBER) != 0) {
		reel_free(score);
		return -1;
	}
	reel_free(score);
	reason = free_name(t, out, "reason");
	if (add_named(out, reason, COLUMN_STRING) != 0) {
		reel_free(reason);
		return -1;
	}
	reel_free(reason);
	return carry_film_names(out, t);
}

table *similar_schema(const table *t, reel_error *err)
{
	table *out = reel_calloc(1, sizeof *out);
	if (out != NULL) {
		out->references = 1;
		if (shape(out, t) == 0)
			return out;
		table_free(out);
	}
	error_memory(err, "similar");
	return NULL;
}
/* }====== */

/* {====== Seeds ====== */

/* A seed's terms for each signal, their vector lengths, and its year. */
typedef struct seed_vector {
	similar_bag bags[SIMILAR_TERM_SIGNALS];
	double norms[SIMILAR_TERM_SIGNALS];
	bool has_year;
	double year;
} seed_vector;

/* The work of one similar_fill. */
typedef struct likeness {
	table *t;
	similar_index *x;
	const similar_request *r;
	seed_vector *seeds;
	double total_weight;  /* of the seeds, by size */
	similar_terms reader;
	similar_bag bag;      /* a candidate's terms, for its reason */
	text_buffer scratch;
	float *sums;          /* per row of t: the terms' part of its score */
	double *year_parts;   /* the years' part a year from year_low, or NULL */
	int64_t year_low;
	size_t year_span;
	int votes;            /* the votes column, or -1 */
} likeness;

static bool year_of(const table *t, int col, row_id row, double *year)
{
	const column *c;
	if (col < 0 || table_is_null(t, col, row))
		return false;
	c = &t->columns[col];
	*year = c->type == COLUMN_INTEGER ? (double)column_integer(c, row)
	                                  : column_number(c, row);
	return !isnan(*year);
}

/* The vector length of a bag of terms under signal p's weights. */
static double bag_norm(const similar_postings *p, const similar_bag *b)
{
	double sum = 0;
	size_t i;
	for (i = 0; i < b->count; i++) {
		long term = similar_index_term(p, b->hashes[i]);
		double w = similar_index_tf(b->counts[i]) *
		           similar_index_idf(p, term < 0 ? 0 : p->terms[term].films);
		sum += w * w;
	}
	return sqrt(sum);
}

/* The terms of row `row` of t2 for signal s, read into `bag`. */
static int read_bag(likeness *k, const table *t2, int col, row_id row,
                    similar_signal s, similar_bag *bag)
{
	const column *c;
	bag->count = 0;
	if (col < 0 || table_is_null(t2, col, row))
		return 0;
	c = &t2->columns[col];
	if (similar_terms_read(&k->reader, column_text(t2, c, row),
	                       column_text_length(c, row),
	                       similar_index_reads_words(s)) != 0)
		return -1;
	return similar_terms_bag(&k->reader, bag);
}

static int read_seed(likeness *k, const similar_seed *seed, seed_vector *v)
{
	int columns[SIMILAR_SIGNALS];
	unsigned s;
	similar_index_columns(seed->films, columns);
	for (s = 0; s < SIMILAR_TERM_SIGNALS; s++) {
		const similar_postings *p = &k->x->signals[s];
		if (p->column < 0 || k->r->weights[s] == 0)
			continue;
		if (read_bag(k, seed->films, columns[s], seed->row, (similar_signal)s,
		             &v->bags[s]) != 0)
			return -1;
		v->norms[s] = bag_norm(p, &v->bags[s]);
	}
	v->has_year = k->x->columns[SIMILAR_YEAR] >= 0 &&
	              year_of(seed->films, columns[SIMILAR_YEAR], seed->row, &v->year);
	return 0;
}

static int read_seeds(likeness *k)
{
	size_t i;
	k->seeds = reel_calloc(k->r->seed_count + 1, sizeof *k->seeds);
	if (k->seeds == NULL)
		return -1;
	for (i = 0; i < k->r->seed_count; i++) {
		k->total_weight += fabs(k->r->seeds[i].weight);
		if (read_seed(k, &k->r->seeds[i], &k->seeds[i]) != 0)
			return -1;
	}
	return 0;
}

static void free_seeds(likeness *k)
{
	size_t i;
	unsigned s;
	for (i = 0; k->seeds != NULL && i < k->r->seed_count; i++)
		for (s = 0; s < SIMILAR_TERM_SIGNALS; s++)
			similar_terms_free_bag(&k->seeds[i].bags[s]);
	reel_free(k->seeds);
}
/* }====== */

/* {====== Scores ====== */

/* Adds one seed term's share of the cosine to every film that has it. */
static void add_term(likeness *k, const similar_postings *p, long term,
                     double scale)
{
	similar_cursor c;
	double idf = similar_index_idf(p, p->terms[term].films);
	float share = (float)(scale * idf * idf);
	similar_index_walk(p, (size_t)term, &c);
	while (similar_index_step(&c)) {
		float tf = c.count == 1 ? 1.0f : (float)similar_index_tf(c.count);
		k->sums[c.row] += share * tf / p->norms[c.row];
	}
}

static void add_seed(likeness *k, size_t i)
{
	const seed_vector *v = &k->seeds[i];
	unsigned s;
	size_t j;
	for (s = 0; s < SIMILAR_TERM_SIGNALS; s++) {
		const similar_postings *p = &k->x->signals[s];
		double scale;
		if (p->column < 0 || v->norms[s] == 0 || k->r->weights[s] == 0)
			continue;
		scale = k->r->seeds[i].weight * k->r->weights[s] /
		        (k->total_weight * v->norms[s]);
		for (j = 0; j < v->bags[s].count; j++) {
			long term = similar_index_term(p, v->bags[s].hashes[j]);
			if (term >= 0)
				add_term(k, p, term, scale * similar_index_tf(v->bags[s].counts[j]));
		}
	}
}

static double closeness(double a, double b)
{
	return pow(0.5, fabs(a - b) / YEAR_HALF_LIFE);
}

/* The years' part of the score of a film of `year`: every seed's
** closeness, weighed. */
static double year_part_of(const likeness *k, double year)
{
	double sum = 0;
	size_t i;
	for (i = 0; i < k->r->seed_count; i++)
		if (k->seeds[i].has_year)
			sum += k->r->seeds[i].weight * closeness(k->seeds[i].year, year);
	return sum * k->r->weights[SIMILAR_YEAR] / k->total_weight;
}

static double year_part(const likeness *k, row_id row)
{
	int col = k->x->columns[SIMILAR_YEAR];
	double year;
	if (k->r->weights[SIMILAR_YEAR] == 0 || !year_of(k->t, col, row, &year))
		return 0;
	if (k->year_parts != NULL && year >= (double)k->year_low &&
	    year < (double)k->year_low + (double)k->year_span)
		return k->year_parts[(size_t)(year - (double)k->year_low)];
	return year_part_of(k, year);
}

/* When the years are integers over a small span, each year's part is found
** once instead of once a film. -1 when memory runs out. */
static int year_table(likeness *k, const selection *in)
{
	int col = k->x->columns[SIMILAR_YEAR];
	const column *c;
	int64_t low = INT64_MAX, high = INT64_MIN;
	size_t i;
	if (col < 0 || k->r->weights[SIMILAR_YEAR] == 0 || k->total_weight == 0 ||
	    (c = &k->t->columns[col])->type != COLUMN_INTEGER)
		return 0;
	for (i = 0; i < in->count; i++) {
		row_id row = ROW_AT(in, i);
		int64_t y;
		if (column_is_null(c, row))
			continue;
		y = column_integer(c, row);
		low = y < low ? y : low;
		high = y > high ? y : high;
	}
	if (low > high || high - low >= YEAR_SPAN)
		return 0;
	k->year_low = low;
	k->year_span = (size_t)(high - low) + 1;
	k->year_parts = reel_malloc(k->year_span * sizeof *k->year_parts);
	if (k->year_parts == NULL)
		return -1;
	for (i = 0; i < k->year_span; i++)
		k->year_parts[i] = year_part_of(k, (double)(low + (int64_t)i));
	return 0;
}
/* }====== */

/* {====== The best films ====== */

typedef struct scored {
	double score;
	double votes;  /* -HUGE_VAL when not known */
	row_id row;
} scored;

/* Whether a goes before b: a higher score, more votes, an earlier row. */
static bool before(const scored *a, const scored *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	if (a->votes != b->votes)
		return a->votes > b->votes;
	return a->row < b->row;
}

/* The heap keeps its worst film on top. */
static void sift_down(scored *heap, size_t n, size_t i)
{
	for (;;) {
		size_t worst = i, l = 2 * i + 1, r = l + 1;
		scored swap;
		if (l < n && before(&heap[worst], &heap[l]))
			worst = l;
		if (r < n && before(&heap[worst], &heap[r]))
			worst = r;
		if (worst == i)
			return;
		swap = heap[i];
		heap[i] = heap[worst];
		heap[worst] = swap;
		i = worst;
	}
}

static void sift_up(scored *heap, size_t i)
{
	while (i > 0 && before(&heap[(i - 1) / 2], &heap[i])) {
		scored swap = heap[i];
		heap[i] = heap[(i - 1) / 2];
		heap[(i - 1) / 2] = swap;
		i = (i - 1) / 2;
	}
}

static void offer(scored *heap, size_t *n, size_t k, const scored *s)
{
	if (*n < k) {
		heap[(*n)++] = *s;
		sift_up(heap, *n - 1);
	} else if (before(s, &heap[0])) {
		heap[0] = *s;
		sift_down(heap, k, 0);
	}
}

static double votes_of(const likeness *k, row_id row)
{
	const column *c;
	if (k->votes < 0 || table_is_null(k->t, k->votes, row))
		return -HUGE_VAL;
	c = &k->t->columns[k->votes];
	return c->type == COLUMN_INTEGER ? (double)column_integer(c, row)
	                                 : column_number(c, row);
}

/* The best films of `in` into heap (room for k), best first; how many. */
static size_t best_films(likeness *k, const selection *in, scored *heap,
                         size_t room)
{
	size_t n = 0, i, end;
	for (i = 0; i < in->count; i++) {
		row_id row = ROW_AT(in, i);
		scored s;
		s.score = k->sums[row] + year_part(k, row);
		if (!(s.score > 0))
			continue;
		s.row = row;
		s.votes = votes_of(k, row);
		offer(heap, &n, room, &s);
	}
	for (end = n; end > 1; end--) { /* heap sort: the worst to the end */
		scored swap = heap[0];
		heap[0] = heap[end - 1];
		heap[end - 1] = swap;
		sift_down(heap, end - 1, 0);
	}
	return n;
}

/* The seeds that are films of t are no candidates. */
static void leave_out_seeds(likeness *k)
{
	size_t i;
	for (i = 0; i < k->r->seed_count; i++)
		if (k->r->seeds[i].films == k->t && k->r->seeds[i].row < k->t->row_count)
			k->sums[k->r->seeds[i].row] = -HUGE_VALF;
}
/* }====== */

/* {====== Reasons ====== */

/* The cosine of signal s between seed v and row (its terms read into
** k->bag). */
static double cosine(likeness *k, const seed_vector *v, unsigned s, row_id row)
{
	const similar_postings *p = &k->x->signals[s];
	double sum = 0;
	size_t i;
	if (p->column < 0 || v->norms[s] == 0 || p->norms[row] == 0 ||
	    read_bag(k, k->t, p->column, row, (similar_signal)s, &k->bag) != 0)
		return 0;
	for (i = 0; i < k->bag.count; i++) {
		long mine = similar_terms_find(&v->bags[s], k->bag.hashes[i]);
		long term = similar_index_term(p, k->bag.hashes[i]);
		double idf;
		if (mine < 0 || term < 0)
			continue;
		idf = similar_index_idf(p, p->terms[term].films);
		sum += similar_index_tf(v->bags[s].counts[mine]) * idf *
		       similar_index_tf(k->bag.counts[i]) * idf;
	}
	return sum / (v->norms[s] * p->norms[row]);
}

/* One seed's likeness to row, exactly, to tell which seed a film is most
** like. */
static double likeness_to(likeness *k, size_t i, row_id row)
{
	const seed_vector *v = &k->seeds[i];
	double sum = 0, year;
	unsigned s;
	for (s = 0; s < SIMILAR_TERM_SIGNALS; s++)
		if (k->r->weights[s] != 0)
			sum += k->r->weights[s] * cosine(k, v, s, row);
	if (v->has_year && year_of(k->t, k->x->columns[SIMILAR_YEAR], row, &year))
		sum += k->r->weights[SIMILAR_YEAR] * closeness(v->year, year);
	return sum * k->r->seeds[i].weight;
}

static size_t likest_seed(likeness *k, row_id row)
{
	size_t i, best = 0;
	double most = -HUGE_VAL;
	for (i = 0; k->r->seed_count > 1 && i < k->r->seed_count; i++) {
		double l = likeness_to(k, i, row);
		if (l > most) {
			most = l;
			best = i;
		}
	}
	return best;
}

/* A new part of a reason after "; ", or (lead NULL) a new item of the
** last part after ", ". */
static void add_part(text_buffer *out, size_t start, const char *lead)
{
	if (lead == NULL)
		text_buffer_append_string(out, ", ");
	else if (out->length > start)
		text_buffer_append_string(out, "; ");
	text_buffer_append_string(out, lead);
}

/* Whether the folded item is among the seed's terms. */
static bool shared_item(likeness *k, const similar_bag *seed, const char *item,
                        size_t length)
{
	k->scratch.length = 0;
	word_fold_text(item, length, &k->scratch);
	return !k->scratch.failed && k->scratch.length > 0 &&
	       similar_terms_find(seed, similar_terms_hash(k->scratch.data,
	                                                   k->scratch.length)) >= 0;
}

static bool item_end(char c)
{
	return c == ',' || c == '|' || c == ';';
}

/* The items of row's cell for signal s that the seed has, as they are
** spelt there, after `lead` and at most `most` of them (none are written
** when out is NULL); how many. */
static size_t shared_items(likeness *k, const seed_vector *v, unsigned s,
                           row_id row, text_buffer *out, size_t start,
                           const char *lead, size_t most)
{
	int col = k->x->signals[s].column;
	const char *text;
	size_t length, at = 0, found = 0;
	if (col < 0 || v->bags[s].count == 0 || table_is_null(k->t, col, row))
		return 0;
	text = table_string_at(k->t, col, row);
	length = table_string_length(k->t, col, row);
	while (at < length && found < most) {
		size_t end = at, a = at, b;
		while (end < length && !item_end(text[end]))
			end++;
		for (b = end; b > a && text[b - 1] == ' '; b--)
			;
		while (a < b && text[a] == ' ')
			a++;
		if (b > a && shared_item(k, &v->bags[s], text + a, b - a) &&
		    ++found > 0 && out != NULL) {
			add_part(out, start, found == 1 ? lead : NULL);
			text_buffer_append(out, text + a, b - a);
		}
		at = end + 1;
	}
	return found;
}

typedef struct shared_word {
	const char *text;
	size_t length;
	uint64_t hash;
	double part;
} shared_word;

/* w among the REASON_WORDS most telling words so far, once. */
static void keep_word(shared_word *words, size_t *n, const shared_word *w)
{
	size_t i;
	for (i = 0; i < *n; i++)
		if (words[i].hash == w->hash)
			return;
	if (*n == REASON_WORDS && !(w->part > words[*n - 1].part))
		return;
	if (*n < REASON_WORDS)
		(*n)++;
	for (i = *n - 1; i > 0 && words[i - 1].part < w->part; i--)
		words[i] = words[i - 1];
	words[i] = *w;
}

/* The words of row's description that the seed has, the rarest first (in
** the description's order on a tie); how many, at most REASON_WORDS. */
static size_t shared_words(likeness *k, const seed_vector *v, row_id row,
                           shared_word *words)
{
	const similar_postings *p = &k->x->signals[SIMILAR_DESCRIPTION];
	size_t n = 0;
	if (read_bag(k, k->t, p->column, row, SIMILAR_DESCRIPTION, &k->bag) != 0)
		return 0;
	while (similar_terms_next(&k->reader)) {
		long term = similar_index_term(p, k->reader.hash);
		shared_word w;
		if (term < 0 ||
		    similar_terms_find(&v->bags[SIMILAR_DESCRIPTION], k->reader.hash) < 0)
			continue;
		w.text = k->reader.term;
		w.length = k->reader.length;
		w.hash = k->reader.hash;
		w.part = similar_index_idf(p, p->terms[term].films);
		keep_word(words, &n, &w);
	}
	return n;
}

static void describe_words(likeness *k, const seed_vector *v, row_id row,
                           text_buffer *out, size_t start)
{
	shared_word words[REASON_WORDS];
	size_t n, i;
	if (k->x->signals[SIMILAR_DESCRIPTION].column < 0 ||
	    v->bags[SIMILAR_DESCRIPTION].count == 0 ||
	    k->r->weights[SIMILAR_DESCRIPTION] == 0)
		return;
	n = shared_words(k, v, row, words);
	for (i = 0; i < n; i++) {
		add_part(out, start, i == 0 ? "shares: " : NULL);
		text_buffer_append(out, words[i].text, words[i].length);
	}
}

static void describe_year(likeness *k, const seed_vector *v, row_id row,
                          text_buffer *out, size_t start, bool alone)
{
	char text[48];
	double year, apart;
	if (!v->has_year || k->r->weights[SIMILAR_YEAR] == 0 ||
	    !year_of(k->t, k->x->columns[SIMILAR_YEAR], row, &year))
		return;
	apart = fabs(year - v->year);
	if (apart > REASON_YEARS && !alone)
		return;
	if (apart == 0)
		snprintf(text, sizeof text, "same year");
	else
		snprintf(text, sizeof text, "%.0f year%s apart", apart,
		         apart == 1 ? "" : "s");
	add_part(out, start, text);
}

/* "like TITLE: " before the reason, when there are several seeds. */
static void name_seed(const similar_seed *seed, text_buffer *out)
{
	int col = table_column_index(seed->films, "title");
	if (col < 0 || seed->films->columns[col].type != COLUMN_STRING ||
	    table_is_null(seed->films, col, seed->row))
		return;
	text_buffer_append_string(out, "like ");
	text_buffer_append(out, table_string_at(seed->films, col, seed->row),
	                   table_string_length(seed->films, col, seed->row));
	text_buffer_append_string(out, ": ");
}

/* The reason row is alike, appended to out with a '\0' after it. */
static void describe(likeness *k, row_id row, text_buffer *out)
{
	size_t i = likest_seed(k, row), start;
	const seed_vector *v = &k->seeds[i];
	if (k->r->seed_count > 1)
		name_seed(&k->r->seeds[i], out);
	start = out->length;
	if (k->r->weights[SIMILAR_DIRECTOR] != 0 &&
	    shared_items(k, v, SIMILAR_DIRECTOR, row, NULL, 0, "", 1) > 0)
		add_part(out, start, "same director");
	if (k->r->weights[SIMILAR_CAST] != 0)
		shared_items(k, v, SIMILAR_CAST, row, out, start, "with ", REASON_ITEMS);
	if (k->r->weights[SIMILAR_GENRES] != 0)
		shared_items(k, v, SIMILAR_GENRES, row, out, start, "genres: ",
		             REASON_ITEMS);
	describe_words(k, v, row, out, start);
	describe_year(k, v, row, out, start, out->length == start);
	text_buffer_append(out, "", 1);
}
/* }====== */

/* {====== Filling the result ====== */

static int fill_reasons(likeness *k, table *out, const scored *best, size_t n)
{
	column *c = &out->columns[out->column_count - 1];
	text_buffer reasons;
	size_t i;
	text_buffer_init(&reasons);
	c->offsets = reel_malloc((n + 1) * sizeof *c->offsets);
	if (c->offsets == NULL)
		return -1;
	for (i = 0; i < n && !reasons.failed; i++) {
		size_t start = reasons.length;
		describe(k, best[i].row, &reasons);
		c->offsets[i] = text_cell(start, reasons.length - start - 1);
	}
	if (reasons.failed) {
		text_buffer_free(&reasons);
		return -1;
	}
	out->arena = reasons.data;
	out->arena_size = reasons.length;
	return 0;
}

static int fill_table(likeness *k, table *out, const scored *best, size_t n)
{
	row_id *rows = reel_malloc((n + 1) * sizeof *rows);
	column *score = &out->columns[out->column_count - 2];
	size_t i, c;
	int status = 0;
	if (rows == NULL)
		return -1;
	for (i = 0; i < n; i++)
		rows[i] = best[i].row;
	out->row_count = n;
	for (c = 0; c < k->t->column_count && status == 0; c++)
		status = table_gather(out, c, k->t, c, rows, n);
	reel_free(rows);
	if (status != 0 ||
	    (score->numbers = reel_malloc((n + 1) * sizeof *score->numbers)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		score->numbers[i] = round(best[i].score * 1000) / 1000;
	return fill_reasons(k, out, best, n);
}

static int rank_films(likeness *k, table *out, const selection *in)
{
	size_t room = k->r->count < in->count ? k->r->count : in->count, n, i;
	scored *best;
	int status;
	k->sums = reel_calloc(k->t->row_count + 1, sizeof *k->sums);
	best = reel_malloc((room + 1) * sizeof *best);
	if (k->sums == NULL || best == NULL || read_seeds(k) != 0) {
		reel_free(best);
		return -1;
	}
	for (i = 0; i < k->r->seed_count && k->total_weight > 0; i++)
		if (k->r->seeds[i].weight != 0)
			add_seed(k, i);
	leave_out_seeds(k);
	if (year_table(k, in) != 0) {
		reel_free(best);
		return -1;
	}
	n = k->total_weight > 0 ? best_films(k, in, best, room) : 0;
	status = fill_table(k, out, best, n);
	reel_free(best);
	return status;
}

int similar_fill(table *out, table *t, const selection *in,
                 const similar_request *r, reel_error *err)
{
	likeness k;
	int status;
	memset(&k, 0, sizeof k);
	k.t = t;
	k.r = r;
	k.votes = table_column_index(t, "votes");
	if (k.votes >= 0 && t->columns[k.votes].type != COLUMN_INTEGER &&
	    t->columns[k.votes].type != COLUMN_NUMBER)
		k.votes = -1;
	if ((k.x = similar_index_of(t, err)) == NULL)
		return -1;
	similar_terms_open(&k.reader);
	text_buffer_init(&k.scratch);
	status = rank_films(&k, out, in);
	free_seeds(&k);
	similar_terms_free_bag(&k.bag);
	similar_terms_close(&k.reader);
	text_buffer_free(&k.scratch);
	reel_free(k.sums);
	reel_free(k.year_parts);
	if (status != 0) {
		table_drop_cells(out);
		error_memory(err, "similar");
	}
	return status;
}
/* }====== */
