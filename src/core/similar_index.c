/*
** similar_index.c: building the similarity index of a catalogue (see
** similar_index.h). One pass over each signal's column: each film's cell
** read into terms (similar_terms.h), each term's list grown as its films
** come; then the lists are put end to end in one block and each film's
** vector length found from them. Relies on similar_terms.h, stop.h and
** memory.h. Pure C.
*/
#include "similar_index.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#include "memory.h"
#include "progress.h"
#include "similar_terms.h"
#include "stop.h"
#include "stopword.h"

/* A catalogue of this many films or more builds its description's lists
** on a thread of their own. */
#define THREAD_ROWS 50000

/* {====== Signals and columns ====== */

static const char *const signal_names[SIMILAR_SIGNALS] = {
	"description", "genres", "director", "cast", "year"
};

const char *similar_index_signal_name(similar_signal s)
{
	return (unsigned)s < SIMILAR_SIGNALS ? signal_names[s] : "?";
}

bool similar_index_reads_words(similar_signal s)
{
	return s == SIMILAR_DESCRIPTION;
}

void similar_index_columns(const table *t, int columns[SIMILAR_SIGNALS])
{
	unsigned s;
	for (s = 0; s < SIMILAR_SIGNALS; s++) {
		int col = table_column_index(t, signal_names[s]);
		column_type type = col >= 0 ? t->columns[col].type : COLUMN_BOOLEAN;
		bool fits = s == SIMILAR_YEAR
		            ? type == COLUMN_INTEGER || type == COLUMN_NUMBER
		            : type == COLUMN_STRING;
		columns[s] = fits ? col : -1;
	}
}
/* }====== */

/* {====== Weights ====== */

double similar_index_idf(const similar_postings *p, uint32_t films)
{
	return log((1.0 + (double)p->films) / (1.0 + (double)films)) + 1.0;
}

double similar_index_tf(uint32_t count)
{
	return 1.0 + log((double)count);
}

long similar_index_term(const similar_postings *p, uint64_t hash)
{
	size_t i;
	if (p->slots == NULL)
		return -1;
	for (i = hash & p->slot_mask; p->slots[i] != 0; i = (i + 1) & p->slot_mask)
		if (p->terms[p->slots[i] - 1].hash == hash)
			return (long)p->slots[i] - 1;
	return -1;
}

void similar_index_walk(const similar_postings *p, size_t term,
                        similar_cursor *c)
{
	c->at = p->lists + p->terms[term].list;
	c->end = p->lists + p->terms[term + 1].list;
	c->row = 0;
	c->count = 0;
	c->started = false;
}
/* }====== */

/* {====== Building one signal ======
** While they grow, the terms' lists live in chunks of one pool, so adding
** a film to a list never copies it: a chunk is a 4-byte link to the next
** one (0: none) and then bytes; a term's chunks double from 16 bytes up to
** 256. Chunks are placed by 16-byte unit, so 32 bits reach 64 GiB. */

#define CHUNK_UNIT 16
#define CHUNK_FIRST 16
#define CHUNK_MAX 256
#define LINK 4

/* A term while its list grows. */
typedef struct growing_term {
	uint64_t hash;
	uint32_t head, tail;  /* its first and last chunks, in units */
	uint16_t used, size;  /* bytes used in the last chunk, and its size */
	uint32_t bytes;       /* of its whole list */
	uint32_t films;
	row_id last;
} growing_term;

typedef struct building {
	similar_postings *p;
	growing_term *terms;
	size_t room;
	unsigned char *pool;
	size_t pool_used, pool_room; /* in bytes */
	similar_terms reader;
	similar_bag bag;
} building;

static int grow_slots(building *b)
{
	similar_postings *p = b->p;
	size_t count = p->slot_mask == 0 ? 1024 : 2 * (p->slot_mask + 1), i, j;
	uint32_t *slots = reel_calloc(count, sizeof *slots);
	if (slots == NULL)
		return -1;
	for (i = 0; i < p->term_count; i++) {
		for (j = b->terms[i].hash & (count - 1); slots[j] != 0; j = (j + 1) & (count - 1))
			;
		slots[j] = (uint32_t)i + 1;
	}
	reel_free(p->slots);
	p->slots = slots;
	p->slot_mask = count - 1;
	return 0;
}

static int grow_terms(building *b)
{
	size_t room = b->room < 1024 ? 1024 : 2 * b->room;
	growing_term *grown = reel_realloc(b->terms, room * sizeof *grown);
	if (grown == NULL)
		return -1;
	b->terms = grown;
	b->room = room;
	return 0;
}

/* The number of the term with `hash`, added when new; -1: no memory. */
static long find_or_add(building *b, uint64_t hash)
{
	similar_postings *p = b->p;
	size_t i;
	if (2 * (p->term_count + 1) > p->slot_mask + 1 && grow_slots(b) != 0)
		return -1;
	for (i = hash & p->slot_mask; p->slots[i] != 0; i = (i + 1) & p->slot_mask)
		if (b->terms[p->slots[i] - 1].hash == hash)
			return (long)p->slots[i] - 1;
	if (p->term_count == b->room && grow_terms(b) != 0)
		return -1;
	memset(&b->terms[p->term_count], 0, sizeof *b->terms);
	b->terms[p->term_count].hash = hash;
	p->slots[i] = (uint32_t)p->term_count + 1;
	return (long)p->term_count++;
}

/* A new chunk of `size` bytes, its link 0: its place in units, 0 when
** memory runs out (unit 0 is never handed out). */
static uint32_t new_chunk(building *b, size_t size)
{
	size_t at;
	if (b->pool_used == 0)
		b->pool_used = CHUNK_UNIT;
	if (b->pool_used + size > b->pool_room) {
		size_t room = b->pool_room < 65536 ? 65536 : 2 * b->pool_room;
		unsigned char *grown;
		if (room / CHUNK_UNIT > UINT32_MAX ||
		    (grown = reel_realloc(b->pool, room)) == NULL)
			return 0;
		b->pool = grown;
		b->pool_room = room;
	}
	at = b->pool_used;
	b->pool_used += size;
	memset(b->pool + at, 0, LINK);
	return (uint32_t)(at / CHUNK_UNIT);
}

/* Appends n bytes (at most CHUNK_FIRST - LINK) to the term's list. */
static int append(building *b, growing_term *t, const unsigned char *bytes,
                  size_t n)
{
	size_t room = t->tail != 0 ? (size_t)t->size - LINK - t->used : 0;
	size_t first = n < room ? n : room;
	unsigned char *tail = b->pool + (size_t)t->tail * CHUNK_UNIT;
	memcpy(tail + LINK + t->used, bytes, first);
	t->used = (uint16_t)(t->used + first);
	if (first < n) {
		size_t size = t->tail == 0 ? CHUNK_FIRST
		              : t->size < CHUNK_MAX ? 2 * (size_t)t->size : CHUNK_MAX;
		uint32_t chunk = new_chunk(b, size);
		if (chunk == 0)
			return -1;
		if (t->tail == 0)
			t->head = chunk;
		else /* the pool may have moved */
			memcpy(b->pool + (size_t)t->tail * CHUNK_UNIT, &chunk, LINK);
		t->tail = chunk;
		t->size = (uint16_t)size;
		memcpy(b->pool + (size_t)chunk * CHUNK_UNIT + LINK, bytes + first, n - first);
		t->used = (uint16_t)(n - first);
	}
	t->bytes += (uint32_t)n;
	return 0;
}

/* Appends a film to a term's list: the gap since the last one, shifted
** left past a bit that says a count follows. */
static int add_film(building *b, growing_term *t, row_id row, uint32_t count)
{
	uint64_t v = (uint64_t)(t->films == 0 ? row : row - t->last - 1) << 1;
	unsigned char bytes[12];
	size_t n = 0;
	v |= count > 1;
	for (; v >= 0x80; v >>= 7)
		bytes[n++] = (unsigned char)(v | 0x80);
	bytes[n++] = (unsigned char)v;
	if (count > 1)
		bytes[n++] = (unsigned char)(count - 2 > 255 ? 255 : count - 2);
	if (append(b, t, bytes, n) != 0)
		return -1;
	t->films++;
	t->last = row;
	return 0;
}

/* The terms of one film's cell into their lists. */
static int index_film(building *b, const table *t, row_id row, bool words)
{
	const column *c = &t->columns[b->p->column];
	size_t i;
	if (column_is_null(c, row))
		return 0;
	if (similar_terms_read(&b->reader, column_text(t, c, row),
	                       column_text_length(c, row), words) != 0 ||
	    similar_terms_bag(&b->reader, &b->bag) != 0)
		return -1;
	for (i = 0; i < b->bag.count; i++) {
		long term = find_or_add(b, b->bag.hashes[i]);
		if (term < 0 || add_film(b, &b->terms[term], row, b->bag.counts[i]) != 0)
			return -1;
	}
	b->p->films += b->bag.count > 0;
	return 0;
}

/* A term's chunks copied end to end into `out`. */
static void copy_list(const building *b, const growing_term *t,
                      unsigned char *out)
{
	uint32_t chunk = t->head;
	size_t size = CHUNK_FIRST, left = t->bytes;
	while (left > 0) {
		const unsigned char *at = b->pool + (size_t)chunk * CHUNK_UNIT;
		size_t n = left < size - LINK ? left : size - LINK;
		memcpy(out, at + LINK, n);
		out += n;
		left -= n;
		memcpy(&chunk, at, LINK);
		size = size < CHUNK_MAX ? 2 * size : CHUNK_MAX;
	}
}

/* The lists end to end in one block, and the terms made final. */
static int settle_lists(building *b)
{
	similar_postings *p = b->p;
	size_t i, total = 0;
	for (i = 0; i < p->term_count; i++)
		total += b->terms[i].bytes;
	p->lists = reel_malloc(total + 1);
	p->terms = reel_malloc((p->term_count + 1) * sizeof *p->terms);
	if (p->lists == NULL || p->terms == NULL)
		return -1;
	total = 0;
	for (i = 0; i < p->term_count; i++) {
		const growing_term *g = &b->terms[i];
		copy_list(b, g, p->lists + total);
		p->terms[i].hash = g->hash;
		p->terms[i].list = total;
		p->terms[i].films = g->films;
		total += g->bytes;
	}
	p->terms[p->term_count].list = total;
	return 0;
}

/* Each film's vector length, from every term's list. */
static int find_norms(similar_postings *p, size_t rows)
{
	size_t term, r;
	p->norms = reel_calloc(rows + 1, sizeof *p->norms);
	if (p->norms == NULL)
		return -1;
	for (term = 0; term < p->term_count; term++) {
		double idf = similar_index_idf(p, p->terms[term].films);
		similar_cursor c;
		similar_index_walk(p, term, &c);
		while (similar_index_step(&c)) {
			double w = similar_index_tf(c.count) * idf;
			p->norms[c.row] += (float)(w * w);
		}
	}
	for (r = 0; r < rows; r++)
		p->norms[r] = sqrtf(p->norms[r]);
	return 0;
}

static void end_building(building *b)
{
	reel_free(b->terms);
	reel_free(b->pool);
	similar_terms_close(&b->reader);
	similar_terms_free_bag(&b->bag);
}

static int build_signal(similar_postings *p, const table *t, similar_signal s,
                        reel_error *err)
{
	building b;
	row_id row;
	int status = 0;
	memset(&b, 0, sizeof b);
	b.p = p;
	similar_terms_open(&b.reader);
	for (row = 0; row < t->row_count && status == 0; row++) {
		if (row % 4096 == 4095 && (status = stop_check(err)) != 0)
			break;
		status = index_film(&b, t, row, similar_index_reads_words(s));
		if (row % 4096 == 4095)
			progress_add(0, 4096);
	}
	if (status == 0)
		status = settle_lists(&b);
	end_building(&b);
	if (status == 0)
		status = find_norms(p, t->row_count);
	if (status != 0 && err->code == REEL_ERROR_NONE)
		error_memory(err, "similar");
	return status;
}
/* }====== */

/* {====== The index ====== */

static size_t postings_bytes(const similar_postings *p, size_t rows)
{
	if (p->column < 0)
		return 0;
	return (p->term_count + 1) * sizeof *p->terms +
	       (p->slot_mask + 1) * sizeof *p->slots + p->terms[p->term_count].list +
	       rows * sizeof *p->norms;
}

static void free_postings(similar_postings *p)
{
	reel_free(p->terms);
	reel_free(p->slots);
	reel_free(p->lists);
	reel_free(p->norms);
}

void similar_index_free(similar_index *x)
{
	unsigned s;
	if (x == NULL)
		return;
	for (s = 0; s < SIMILAR_TERM_SIGNALS; s++)
		free_postings(&x->signals[s]);
	reel_free(x);
}

/* One signal's lists, built on a thread of their own. */
typedef struct signal_job {
	similar_postings *p;
	const table *t;
	similar_signal s;
	int status;
	reel_error err;
} signal_job;

static void *build_job(void *context)
{
	signal_job *job = context;
	job->status = build_signal(job->p, job->t, job->s, &job->err);
	return NULL;
}

/* The signals from `first` on, one after the other. */
static int build_signals(similar_index *x, const table *t, unsigned first,
                         reel_error *err)
{
	unsigned s;
	for (s = first; s < SIMILAR_TERM_SIGNALS; s++)
		if (x->signals[s].column >= 0 &&
		    build_signal(&x->signals[s], t, (similar_signal)s, err) != 0)
			return -1;
	return 0;
}

/* The description, the most work, on a second thread while the others are
** built on this one, when the catalogue is large enough to be worth it. */
static int build_all(similar_index *x, const table *t, reel_error *err)
{
	signal_job job = {&x->signals[SIMILAR_DESCRIPTION], t, SIMILAR_DESCRIPTION,
	                  0, REEL_ERROR_INIT};
	pthread_t thread;
	int status;
	if (job.p->column < 0 || t->row_count < THREAD_ROWS)
		return build_signals(x, t, 0, err);
	stopword_languages("the", 3); /* its table is made once, before the threads */
	if (pthread_create(&thread, NULL, build_job, &job) != 0)
		return build_signals(x, t, 0, err);
	status = build_signals(x, t, SIMILAR_DESCRIPTION + 1, err);
	pthread_join(thread, NULL);
	if (job.status != 0 && status == 0) {
		*err = job.err;
		status = -1;
	}
	return status;
}

static similar_index *build_index(const table *t, const int *columns,
                                  reel_error *err)
{
	similar_index *x = reel_calloc(1, sizeof *x);
	unsigned s;
	if (x == NULL) {
		error_memory(err, "similar");
		return NULL;
	}
	x->rows = t->row_count;
	memcpy(x->columns, columns, sizeof x->columns);
	for (s = 0; s < SIMILAR_TERM_SIGNALS; s++)
		x->signals[s].column = columns[s];
	if (build_all(x, t, err) != 0) {
		similar_index_free(x);
		return NULL;
	}
	for (s = 0; s < SIMILAR_TERM_SIGNALS; s++)
		x->bytes += postings_bytes(&x->signals[s], t->row_count);
	return x;
}

similar_index *similar_index_of(table *t, reel_error *err)
{
	int columns[SIMILAR_SIGNALS];
	similar_index_columns(t, columns);
	if (t->similar != NULL && t->similar->rows == t->row_count &&
	    memcmp(t->similar->columns, columns, sizeof columns) == 0)
		return t->similar;
	similar_index_free(t->similar);
	t->similar = build_index(t, columns, err);
	return t->similar;
}
/* }====== */
