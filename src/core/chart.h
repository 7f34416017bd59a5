/*
** chart.h: a column's values counted and drawn as a bar chart for a
** terminal, in Unicode blocks with each count beside its bar: a bar a value
** for text, booleans and integers over a small span (years), a bar a bin
** of values for numbers and wider integers. Pure C: no Lua here.
*/
#ifndef REEL_CHART_H
#define REEL_CHART_H

#include <stddef.h>

#include "error.h"
#include "selection.h"
#include "table.h"
#include "text.h"

/* Integers whose values span at most this many (the years of a decade or
** two, ratings out of ten) get a bar each, with the values between that no
** row holds, unless bins are asked for. */
#define CHART_VALUE_SPAN 20
/* The most bins a chart draws. */
#define CHART_MAX_BINS 500
/* The widest bar, in cells: a chart is drawn whole before it is shown. */
#define CHART_MAX_WIDTH 1000

typedef struct chart_options {
	size_t bins;       /* this many bins of equal width from the smallest
	                      value to the largest (whole widths for integers,
	                      so maybe fewer); 0: a round width */
	double step;       /* bins this wide, at multiples of it (10: decades
	                      of years); 0: chosen */
	size_t width;      /* cells of the longest bar; 0: 40 */
	size_t max_values; /* a bar a value: the most frequent this many; 0: 20 */
} chart_options;

/* The chart of column `column` over the rows of `s`, appended to `out`: a
** line a bar, "label │█████▍ count", then the nulls' bar "(null)" if any.
** Text and booleans: the most frequent values first (ties in value order),
** and a last line for the values left out. Returns 0, or -1 with err
** filled (REEL_ERROR_ARGUMENT: bins or a step for a text column, too many
** bins; REEL_ERROR_MEMORY). */
int chart_histogram(const table *t, const selection *s, size_t column,
                    const chart_options *opts, text_buffer *out,
                    reel_error *err);

#endif
