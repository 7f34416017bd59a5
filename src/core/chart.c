/*
** chart.c: histograms for a terminal (see chart.h). The rows are counted
** into bars, each with a label, then drawn: labels aligned by display
** width, bars in eighths of a cell (U+2588 down to U+258F), the count
** after each. Relies on sort.h to bring equal text together, format.h for
** cells as text and their width, memory.h. Pure C: no Lua here.
*/
#include "chart.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "memory.h"
#include "sort.h"

#define DEFAULT_WIDTH 40
#define DEFAULT_VALUES 20
#define MAX_LABEL 30 /* cells: a longer label is cut with an ellipsis */

typedef struct bar {
	size_t start, length; /* its label in chart_bars.labels */
	size_t count;
} bar;

typedef struct chart_bars {
	bar *bars;
	size_t count, capacity;
	text_buffer labels;
	bool right;         /* labels of numbers align right */
	size_t left_out;    /* values not drawn, and their rows */
	size_t left_out_rows;
} chart_bars;

/* {====== Bars ====== */
/* Adds a bar whose label is what `label` appended to c->labels. */
static int add_bar(chart_bars *c, size_t label_start, size_t count)
{
	if (c->count == c->capacity) {
		size_t capacity = c->capacity ? c->capacity * 2 : 16;
		bar *grown = reel_realloc(c->bars, capacity * sizeof *grown);
		if (grown == NULL)
			return -1;
		c->bars = grown;
		c->capacity = capacity;
	}
	c->bars[c->count].start = label_start;
	c->bars[c->count].length = c->labels.length - label_start;
	c->bars[c->count++].count = count;
	return c->labels.failed ? -1 : 0;
}

static int add_value_bar(chart_bars *c, const value *v, size_t count)
{
	size_t start = c->labels.length;
	if (v->kind == VALUE_STRING)
		format_shown_text(v->as.string.text, v->as.string.length, &c->labels);
	else
		format_value(v, &c->labels);
	return add_bar(c, start, count);
}

static int add_text_bar(chart_bars *c, const char *label, size_t count)
{
	size_t start = c->labels.length;
	text_buffer_append_string(&c->labels, label);
	return add_bar(c, start, count);
}

/* The rows of s whose cell in column `col` is not null: a new selection. */
static selection *known_rows(const table *t, const selection *s, size_t col)
{
	selection *known = selection_new(s->count);
	size_t i;
	for (i = 0; known != NULL && i < s->count; i++)
		if (!table_is_null(t, col, ROW_AT(s, i)))
			known->rows[known->count++] = ROW_AT(s, i);
	return known;
}
/* }====== */

/* {====== A bar a value: text and booleans ====== */
static int by_count(const void *a, const void *b)
{
	const bar *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start; /* value order */
}

/* Equal values sit together once the rows are sorted by them: a bar a run,
** most frequent first, the first max_values of them kept. */
static int count_values(chart_bars *c, const table *t, const selection *known,
                        size_t col, size_t max_values)
{
	sort_key key = {col, false, COLLATE_BINARY};
	selection *sorted = sort_rows(t, known, &key, 1);
	size_t i, run = 0;
	int status = sorted == NULL ? -1 : 0;
	for (i = 0; status == 0 && i < known->count; i++) {
		value v = table_value(t, col, sorted->rows[i]), next;
		run++;
		if (i + 1 < known->count) {
			next = table_value(t, col, sorted->rows[i + 1]);
			if (value_compare(&v, &next) == 0)
				continue;
		}
		status = add_value_bar(c, &v, run);
		run = 0;
	}
	selection_free(sorted);
	if (status != 0)
		return -1;
	qsort(c->bars, c->count, sizeof *c->bars, by_count);
	for (i = max_values; i < c->count; i++) {
		c->left_out++;
		c->left_out_rows += c->bars[i].count;
	}
	if (c->count > max_values)
		c->count = max_values;
	return 0;
}
/* }====== */

/* {====== A bar a value: integers over a small span ====== */
static void integer_range(const table *t, const selection *known, size_t col,
                          int64_t *low, int64_t *high)
{
	const column *cells = &t->columns[col];
	size_t i;
	*low = *high = column_integer(cells, known->rows[0]);
	for (i = 1; i < known->count; i++) {
		int64_t x = column_integer(cells, known->rows[i]);
		*low = x < *low ? x : *low;
		*high = x > *high ? x : *high;
	}
}

static int count_integers(chart_bars *c, const table *t, const selection *known,
                          size_t col, int64_t low, int64_t high)
{
	size_t span = (size_t)(high - low) + 1, i;
	size_t *counts = reel_calloc(span, sizeof *counts);
	int status = counts == NULL ? -1 : 0;
	for (i = 0; status == 0 && i < known->count; i++)
		counts[column_integer(&t->columns[col], known->rows[i]) - low]++;
	for (i = 0; status == 0 && i < span; i++) {
		value v;
		v.kind = VALUE_INTEGER;
		v.as.integer = low + (int64_t)i;
		status = add_value_bar(c, &v, counts[i]);
	}
	reel_free(counts);
	c->right = true;
	return status;
}
/* }====== */

/* {====== A bar a bin ====== */
typedef struct bins {
	double start, step;
	size_t count;
	bool whole; /* integer bounds: labels "1990–1999" */
} bins;

static double number_at(const table *t, size_t col, row_id row)
{
	value v = table_value(t, col, row);
	return v.kind == VALUE_INTEGER ? (double)v.as.integer : v.as.number;
}

/* A round width near span/10: 1, 2 or 5 times a power of ten (whole for
** integers). */
static double round_step(double span, bool whole)
{
	double raw = span / 10, power, step;
	if (!(raw > 0))
		return 1;
	power = pow(10, floor(log10(raw)));
	step = raw <= power ? power : raw <= 2 * power ? 2 * power
	       : raw <= 5 * power ? 5 * power : 10 * power;
	return whole && step < 1 ? 1 : step;
}

/* How many steps from `from` to x, as a whole number: a value that falls
** on an edge (6.6 in bins of 0.2) is in the bin above it, whatever the
** rounding of the division. */
static double steps_to(double x, double from, double step)
{
	return floor((x - from) / step + 1e-9);
}

static int plan_bins(bins *b, const chart_options *o, double low, double high,
                     bool whole, reel_error *err)
{
	double count;
	b->whole = whole;
	if (o->bins > 0 && whole) {
		b->start = low;
		b->step = ceil((high - low + 1) / (double)o->bins);
		b->count = (size_t)ceil((high - low + 1) / b->step);
	} else if (o->bins > 0) {
		b->start = low;
		b->step = high > low ? (high - low) / (double)o->bins : 1;
		b->count = o->bins;
		b->whole = false;
	} else {
		b->step = o->step > 0 ? o->step : round_step(high - low, whole);
		b->start = steps_to(low, 0, b->step) * b->step;
		b->whole = whole && b->step == floor(b->step);
		count = steps_to(high, b->start, b->step) + 1;
		b->count = count <= CHART_MAX_BINS ? (size_t)count : CHART_MAX_BINS + 1;
	}
	if (b->count > CHART_MAX_BINS)
		return error_set(err, REEL_ERROR_ARGUMENT, "histogram: more than %d "
		                 "bins (give a larger step)", CHART_MAX_BINS);
	return 0;
}

static size_t bin_of(const bins *b, double x)
{
	double i = steps_to(x, b->start, b->step);
	if (!(i >= 0))
		return 0;
	return i >= (double)b->count ? b->count - 1 : (size_t)i; /* the top edge */
}

/* "1990–1999" for whole bins, "6.5–7" for the rest. */
static void bin_label(const bins *b, size_t i, text_buffer *out)
{
	char text[96];
	double low = b->start + (double)i * b->step, high = low + b->step;
	if (b->whole && b->step == 1)
		snprintf(text, sizeof text, "%.0f", low);
	else if (b->whole)
		snprintf(text, sizeof text, "%.0f–%.0f", low, high - 1);
	else
		snprintf(text, sizeof text, "%.6g–%.6g", low, high);
	text_buffer_append_string(out, text);
}

static int count_bins(chart_bars *c, const table *t, const selection *known,
                      size_t col, const chart_options *o, reel_error *err)
{
	double low = number_at(t, col, known->rows[0]), high = low, x;
	bool whole = t->columns[col].type == COLUMN_INTEGER;
	size_t i, *counts;
	bins b;
	int status = 0;
	for (i = 1; i < known->count; i++) {
		x = number_at(t, col, known->rows[i]);
		low = x < low ? x : low;
		high = x > high ? x : high;
	}
	if (plan_bins(&b, o, low, high, whole, err) != 0)
		return -1;
	if ((counts = reel_calloc(b.count, sizeof *counts)) == NULL)
		return error_memory(err, "histogram");
	for (i = 0; i < known->count; i++)
		counts[bin_of(&b, number_at(t, col, known->rows[i]))]++;
	for (i = 0; status == 0 && i < b.count; i++) {
		size_t start = c->labels.length;
		bin_label(&b, i, &c->labels);
		status = add_bar(c, start, counts[i]);
	}
	reel_free(counts);
	c->right = true;
	return status != 0 ? error_memory(err, "histogram") : 0;
}
/* }====== */

/* {====== Drawing ====== */
static void draw_bar(size_t count, size_t most, size_t width, text_buffer *out)
{
	static const char *const eighths[] = {
		"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"
	};
	size_t cells = most > 0 ? (size_t)((double)count * (double)width * 8 /
	                                   (double)most + 0.5) : 0, i;
	if (count > 0 && cells == 0)
		cells = 1; /* a bar for every value some row holds */
	for (i = 0; i < cells / 8; i++)
		text_buffer_append_string(out, "█");
	text_buffer_append_string(out, eighths[cells % 8]);
}

static size_t label_width(const chart_bars *c)
{
	size_t i, widest = 0;
	for (i = 0; i < c->count; i++) {
		size_t w = format_display_width(c->labels.data + c->bars[i].start,
		                                c->bars[i].length);
		widest = w > widest ? w : widest;
	}
	return widest < MAX_LABEL ? widest : MAX_LABEL;
}

static void draw(const chart_bars *c, size_t width, text_buffer *out)
{
	size_t i, most = 0, labels = label_width(c);
	char number[32];
	for (i = 0; i < c->count; i++)
		most = c->bars[i].count > most ? c->bars[i].count : most;
	for (i = 0; i < c->count; i++) {
		format_fitted(c->labels.data + c->bars[i].start, c->bars[i].length,
		              labels, c->right, out);
		text_buffer_append_string(out, " │");
		draw_bar(c->bars[i].count, most, width, out);
		snprintf(number, sizeof number, " %zu\n", c->bars[i].count);
		text_buffer_append_string(out, number);
	}
	if (c->left_out > 0) {
		snprintf(number, sizeof number, "%zu", c->left_out);
		text_buffer_append_string(out, "(");
		text_buffer_append_string(out, number);
		snprintf(number, sizeof number, " more values: %zu rows)\n",
		         c->left_out_rows);
		text_buffer_append_string(out, number);
	}
}
/* }====== */

static int count_bars(chart_bars *c, const table *t, const selection *known,
                      size_t col, const chart_options *o, reel_error *err)
{
	column_type type = t->columns[col].type;
	int64_t low, high;
	if (type == COLUMN_STRING || type == COLUMN_BOOLEAN || type == COLUMN_DATE) {
		if (o->bins > 0 || o->step > 0)
			return error_set(err, REEL_ERROR_ARGUMENT, "histogram: column "
			                 "'%s' holds %s, which have no bins",
			                 t->columns[col].name, table_type_plural(type));
		return count_values(c, t, known, col, o->max_values ? o->max_values
		                                                        : DEFAULT_VALUES)
		       != 0 ? error_memory(err, "histogram") : 0;
	}
	if (type == COLUMN_INTEGER && o->bins == 0 && o->step == 0) {
		integer_range(t, known, col, &low, &high);
		if ((uint64_t)high - (uint64_t)low < CHART_VALUE_SPAN)
			return count_integers(c, t, known, col, low, high) != 0
			       ? error_memory(err, "histogram") : 0;
	}
	return count_bins(c, t, known, col, o, err);
}

int chart_histogram(const table *t, const selection *s, size_t col,
                    const chart_options *o, text_buffer *out, reel_error *err)
{
	chart_bars c;
	selection *known;
	size_t nulls;
	int status = 0;
	if (o->width > CHART_MAX_WIDTH)
		return error_set(err, REEL_ERROR_ARGUMENT, "histogram: a width of "
		                 "at most %d cells", CHART_MAX_WIDTH);
	memset(&c, 0, sizeof c);
	text_buffer_init(&c.labels);
	if ((known = known_rows(t, s, col)) == NULL)
		return error_memory(err, "histogram");
	nulls = s->count - known->count;
	if (known->count > 0)
		status = count_bars(&c, t, known, col, o, err);
	if (status == 0 && nulls > 0 && add_text_bar(&c, "(null)", nulls) != 0)
		status = error_memory(err, "histogram");
	if (status == 0 && s->count == 0)
		text_buffer_append_string(out, "(no rows)\n");
	else if (status == 0)
		draw(&c, o->width ? o->width : DEFAULT_WIDTH, out);
	if (status == 0 && out->failed)
		status = error_memory(err, "histogram");
	selection_free(known);
	reel_free(c.bars);
	text_buffer_free(&c.labels);
	return status;
}
