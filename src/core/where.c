/*
** where.c: the rows that satisfy predicates (see where.h): checks that a
** predicate fits its column, integer ranges, number comparisons, `in` sets
** (built in where_set.c), case-folded contains, and the chunked loops that
** run them. Relies on table.h for the columns, text.h for folding and
** memory.h. Pure C.
*/
#include "where.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "list.h"
#include "memory.h"
#include "parallel.h"
#include "text.h"
#include "where_set.h"

/* {====== Predicate checks ====== */

/* One name an op, in predicate_op order. */
static const char *const op_names[OP_COUNT] = {
	"eq", "ne", "lt", "le", "gt", "ge", "between", "in", "contains", "null",
	"has"
};

const char *where_op_name(predicate_op op)
{
	return (unsigned)op < OP_COUNT ? op_names[op] : "?";
}

int where_op_from_name(const char *name)
{
	int i;
	for (i = 0; i < OP_COUNT; i++)
		if (strcmp(op_names[i], name) == 0)
			return i;
	return -1;
}

static bool is_ordering(predicate_op op)
{
	return op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE ||
	       op == OP_BETWEEN;
}

static bool value_fits(column_type type, value_kind kind)
{
	switch (type) {
	case COLUMN_INTEGER: case COLUMN_NUMBER:
		return kind == VALUE_INTEGER || kind == VALUE_NUMBER;
	case COLUMN_BOOLEAN: return kind == VALUE_BOOLEAN;
	case COLUMN_DATE: return kind == VALUE_STRING || kind == VALUE_DATE;
	default: return kind == VALUE_STRING;
	}
}

/* {====== Dates ====== */
/* A date column is compared with ISO text ("1998-01-01", or any form
** date.h reads), each operand read once into its stamp. */
bool where_operand_date(const value *v, int64_t *stamp)
{
	if (v->kind == VALUE_DATE) {
		*stamp = v->as.integer;
		return true;
	}
	return v->kind == VALUE_STRING &&
	       date_parse(v->as.string.text, v->as.string.length, stamp, NULL);
}

static int check_date(const column *col, const value *v, reel_error *err)
{
	int64_t stamp;
	if (where_operand_date(v, &stamp))
		return 0;
	return error_set(err, REEL_ERROR_ARGUMENT, "where: column '%.200s' holds "
	                 "dates, and '%.*s' is no date (write one as 1998-06-12 "
	                 "or 1998-06-12T20:00:00Z)", col->name,
	                 (int)(v->as.string.length < 100 ? v->as.string.length : 100),
	                 v->as.string.text);
}

/* The operands of a predicate on dates, as stamps: a date column's cells
** are integers, so every comparison is an integer one from here on. */
static void operands_as_stamps(predicate *p)
{
	int64_t stamp;
	if (p->op == OP_NULL || p->op == OP_IN)
		return;
	if (where_operand_date(&p->operand, &stamp)) {
		p->operand.kind = VALUE_INTEGER;
		p->operand.as.integer = stamp;
	}
	if (p->op == OP_BETWEEN && where_operand_date(&p->upper, &stamp)) {
		p->upper.kind = VALUE_INTEGER;
		p->upper.as.integer = stamp;
	}
}
/* }====== */

/* An operand of `op` against column `col`: present and of its kind. */
static int check_operand(const column *col, predicate_op op, const value *v,
                         reel_error *err)
{
	if (v->kind == VALUE_NULL)
		return error_set(err, REEL_ERROR_ARGUMENT, "where: %s on column '%.200s' needs a value, not null",
		            where_op_name(op), col->name);
	if (!value_fits(col->type, v->kind) && col->type == COLUMN_DATE)
		return error_set(err, REEL_ERROR_ARGUMENT, "where: column '%.200s' "
		                 "holds dates, not %s: compare it with a date's ISO "
		                 "text, such as \"1998-06-12\"", col->name,
		                 value_kind_plural(v->kind));
	if (!value_fits(col->type, v->kind))
		return error_set(err, REEL_ERROR_ARGUMENT, "where: column '%.200s' holds %s, not %s", col->name,
		            table_type_plural(col->type), value_kind_plural(v->kind));
	return col->type == COLUMN_DATE ? check_date(col, v, err) : 0;
}

static int check_set(const column *col, const predicate *p, reel_error *err)
{
	size_t i;
	if (p->set == NULL && p->set_count > 0)
		return error_set(err, REEL_ERROR_ARGUMENT, "where: in on column '%.200s' has no set", col->name);
	for (i = 0; i < p->set_count; i++)
		if (p->set[i].kind != VALUE_NULL &&
		    check_operand(col, OP_IN, &p->set[i], err) != 0)
			return -1;
	return 0;
}

static int check_contains(const column *col, const predicate *p, reel_error *err)
{
	if (col->type != COLUMN_STRING)
		return error_set(err, REEL_ERROR_ARGUMENT, "where: contains needs a string column, and '%.200s' "
		            "holds %s", col->name, table_type_plural(col->type));
	return check_operand(col, OP_CONTAINS, &p->operand, err);
}

static int check_has(const column *col, const predicate *p, reel_error *err)
{
	if (col->type != COLUMN_STRING || !column_is_list(col))
		return error_set(err, REEL_ERROR_ARGUMENT, "where: has needs a list "
		                 "column, and '%.200s' is not one (load with "
		                 "opts.lists = {%.200s = \",\"} to make it one)",
		                 col->name, col->name);
	return check_operand(col, OP_HAS, &p->operand, err);
}

/* Whether the predicate fits its column, before any row is looked at. */
static int check_predicate(const table *t, const predicate *p, reel_error *err)
{
	const column *col;
	if (p->column >= t->column_count)
		return error_set(err, REEL_ERROR_ARGUMENT, "where: no column number %zu", p->column + 1);
	col = &t->columns[p->column];
	if ((size_t)p->op >= OP_COUNT)
		return error_set(err, REEL_ERROR_ARGUMENT, "where: unknown operator on column '%.200s'",
		            col->name);
	if (p->op == OP_NULL)
		return p->operand.kind == VALUE_BOOLEAN ? 0 :
		       error_set(err, REEL_ERROR_ARGUMENT, "where: null on column '%.200s' takes true or false",
		            col->name);
	if (p->no_accents && (col->type != COLUMN_STRING ||
	                      (p->op != OP_CONTAINS && p->op != OP_EQ &&
	                       p->op != OP_NE && p->op != OP_HAS)))
		return error_set(err, REEL_ERROR_ARGUMENT, "where: accents = false applies "
		                 "to contains, eq and ne on text (and has on a list), "
		                 "not to %s on column '%.200s'", where_op_name(p->op),
		                 col->name);
	if (p->op == OP_CONTAINS)
		return check_contains(col, p, err);
	if (p->op == OP_HAS)
		return check_has(col, p, err);
	if (is_ordering(p->op) && col->type == COLUMN_BOOLEAN)
		return error_set(err, REEL_ERROR_ARGUMENT, "where: %s does not apply to column '%.200s', which "
		            "holds booleans", where_op_name(p->op), col->name);
	if (p->op == OP_IN)
		return check_set(col, p, err);
	if (check_operand(col, p->op, &p->operand, err) != 0)
		return -1;
	return p->op == OP_BETWEEN ? check_operand(col, p->op, &p->upper, err) : 0;
}

/* eq null asks for the nulls, ne null for the rest. */
static predicate normalise_predicate(const predicate *p)
{
	predicate q = *p;
	if ((p->op == OP_EQ || p->op == OP_NE) && p->operand.kind == VALUE_NULL) {
		q.op = OP_NULL;
		q.operand.kind = VALUE_BOOLEAN;
		q.operand.as.boolean = p->op == OP_EQ;
	}
	return q;
}
/* }====== */

/* {====== Integer ranges ====== */

/* Every comparison of an integer column with a number becomes a range
** [lo, hi] of integers; these find its ends. Each returns false when no
** integer qualifies. A double bound is rounded inwards, so x < 109.5 is
** x <= 109 and x == 109.5 is an empty range. */
static bool least_at_least(const value *v, int64_t *out)
{
	double d = v->as.number;
	if (v->kind == VALUE_INTEGER) {
		*out = v->as.integer;
		return true;
	}
	if (isnan(d) || d >= VALUE_TWO_TO_63)
		return false;
	*out = d <= -VALUE_TWO_TO_63 ? INT64_MIN : (int64_t)ceil(d);
	return true;
}

static bool least_above(const value *v, int64_t *out)
{
	double d = v->as.number;
	if (v->kind == VALUE_INTEGER) {
		*out = v->as.integer == INT64_MAX ? 0 : v->as.integer + 1;
		return v->as.integer != INT64_MAX;
	}
	if (isnan(d) || d >= VALUE_TWO_TO_63)
		return false;
	*out = d < -VALUE_TWO_TO_63 ? INT64_MIN : (int64_t)floor(d) + 1;
	return true;
}

static bool greatest_at_most(const value *v, int64_t *out)
{
	double d = v->as.number;
	if (v->kind == VALUE_INTEGER) {
		*out = v->as.integer;
		return true;
	}
	if (isnan(d) || d < -VALUE_TWO_TO_63)
		return false;
	*out = d >= VALUE_TWO_TO_63 ? INT64_MAX : (int64_t)floor(d);
	return true;
}

static bool greatest_below(const value *v, int64_t *out)
{
	double d = v->as.number;
	if (v->kind == VALUE_INTEGER) {
		*out = v->as.integer == INT64_MIN ? 0 : v->as.integer - 1;
		return v->as.integer != INT64_MIN;
	}
	if (isnan(d) || d <= -VALUE_TWO_TO_63)
		return false;
	*out = d >= VALUE_TWO_TO_63 ? INT64_MAX : (int64_t)ceil(d) - 1;
	return true;
}

/* A number as an int64 when it is a whole one in range. */
bool where_whole_value(const value *v, int64_t *out)
{
	int64_t below;
	return least_at_least(v, out) && greatest_at_most(v, &below) && below == *out;
}

/* The range a comparison keeps (ne: the range of eq, kept outside). */
static bool integer_range(const predicate *p, int64_t *lo, int64_t *hi)
{
	bool found = true;
	*lo = INT64_MIN;
	*hi = INT64_MAX;
	switch (p->op) {
	case OP_EQ: case OP_NE:
		found = least_at_least(&p->operand, lo) &&
		        greatest_at_most(&p->operand, hi);
		break;
	case OP_LT: found = greatest_below(&p->operand, hi); break;
	case OP_LE: found = greatest_at_most(&p->operand, hi); break;
	case OP_GT: found = least_above(&p->operand, lo); break;
	case OP_GE: found = least_at_least(&p->operand, lo); break;
	case OP_BETWEEN:
		found = least_at_least(&p->operand, lo) &&
		        greatest_at_most(&p->upper, hi);
		break;
	default: found = false; break;
	}
	return found && *lo <= *hi;
}
/* }====== */

/* {====== Number columns ====== */

/* An operand as a double, when that loses nothing. */
bool where_exact_double(const value *v, double *out)
{
	if (v->kind == VALUE_NUMBER) {
		*out = v->as.number;
		return true;
	}
	*out = (double)v->as.integer;
	return *out < VALUE_TWO_TO_63 && (int64_t)*out == v->as.integer;
}

static bool is_nan_value(const value *v)
{
	return v->kind == VALUE_NUMBER && isnan(v->as.number);
}

/* Whether a number satisfies a comparison, by value_compare; NaN satisfies
** only ne, as in IEEE arithmetic. */
static bool number_satisfies(double x, const predicate *p)
{
	value cell;
	int lower, upper;
	if (isnan(x) || is_nan_value(&p->operand) ||
	    (p->op == OP_BETWEEN && is_nan_value(&p->upper)))
		return p->op == OP_NE;
	cell.kind = VALUE_NUMBER;
	cell.as.number = x;
	lower = value_compare(&cell, &p->operand);
	switch (p->op) {
	case OP_EQ: return lower == 0;
	case OP_NE: return lower != 0;
	case OP_LT: return lower < 0;
	case OP_LE: return lower <= 0;
	case OP_GT: return lower > 0;
	case OP_GE: return lower >= 0;
	default:
		upper = value_compare(&cell, &p->upper);
		return lower >= 0 && upper <= 0;
	}
}
/* }====== */

/* {====== Filter loops ====== */

/* The filters read rows from src and write the kept ones to dst, which may
** be src itself: a row is read before its place can be overwritten. Each
** stores every row and advances only past the kept, so the loops have no
** branches. A numeric or boolean loop reads null cells too (the arrays hold
** every row) and masks them out with the null bit, whatever they hold. */
#define NULL_BIT(r) ((nulls[(r) >> 6] >> ((r) & 63)) & 1)
#define FILTER_LOOP(keep) \
	for (i = 0; i < n; i++) { \
		row_id r = src[i]; \
		dst[k] = r; \
		k += (size_t)(keep); \
	}
/* `cond` is 0 or 1; null cells never pass. */
#define KEEP_WHERE(cond) \
	do { \
		if (nulls == NULL) { \
			FILTER_LOOP(cond) \
		} else { \
			FILTER_LOOP((cond) & (NULL_BIT(r) ^ 1)) \
		} \
	} while (0)

static size_t copy_rows(const row_id *src, size_t n, row_id *dst)
{
	if (src != dst && n > 0)
		memmove(dst, src, n * sizeof *dst);
	return n;
}

/* The rows whose cell is null (want_null) or not. */
static size_t keep_nulls(const column *col, const row_id *src, size_t n,
                         row_id *dst, bool want_null)
{
	const uint64_t *nulls = col->nulls;
	uint64_t want = want_null ? 1 : 0;
	size_t i, k = 0;
	if (nulls == NULL)
		return want_null ? 0 : copy_rows(src, n, dst);
	FILTER_LOOP(NULL_BIT(r) == want);
	return k;
}

/* Integers inside [lo, hi] (or outside): one unsigned comparison a row. */
static size_t keep_integer_range(const column *col, const row_id *src, size_t n,
                                 row_id *dst, int64_t lo, int64_t hi, bool inside)
{
	const uint64_t *nulls = col->nulls;
	const int32_t *narrow = col->narrow;
	const int64_t *wide = col->integers;
	uint64_t base = (uint64_t)lo, span = (uint64_t)hi - (uint64_t)lo;
	size_t i, k = 0;
	if (narrow != NULL && inside) /* each width its own loop */
		KEEP_WHERE((uint64_t)(int64_t)narrow[r] - base <= span);
	else if (narrow != NULL)
		KEEP_WHERE((uint64_t)(int64_t)narrow[r] - base > span);
	else if (inside)
		KEEP_WHERE((uint64_t)wide[r] - base <= span);
	else
		KEEP_WHERE((uint64_t)wide[r] - base > span);
	return k;
}

static size_t filter_integers(const column *col, const predicate *p,
                              const row_id *src, size_t n, row_id *dst)
{
	int64_t lo, hi;
	bool any = integer_range(p, &lo, &hi);
	if (p->op == OP_NE && !any)
		return keep_nulls(col, src, n, dst, false);
	if (!any)
		return 0;
	return keep_integer_range(col, src, n, dst, lo, hi, p->op != OP_NE);
}

static size_t keep_numbers(const column *col, const row_id *src, size_t n,
                           row_id *dst, predicate_op op, double x, double y)
{
	const double *v = col->numbers;
	const uint64_t *nulls = col->nulls;
	size_t i, k = 0;
	switch (op) {
	case OP_EQ: KEEP_WHERE(v[r] == x); break;
	case OP_NE: KEEP_WHERE(v[r] != x); break;
	case OP_LT: KEEP_WHERE(v[r] < x); break;
	case OP_LE: KEEP_WHERE(v[r] <= x); break;
	case OP_GT: KEEP_WHERE(v[r] > x); break;
	case OP_GE: KEEP_WHERE(v[r] >= x); break;
	default: KEEP_WHERE((v[r] >= x) & (v[r] <= y)); break;
	}
	return k;
}

static size_t filter_numbers(const column *col, const predicate *p,
                             const row_id *src, size_t n, row_id *dst)
{
	const double *v = col->numbers;
	const uint64_t *nulls = col->nulls;
	double x, y = 0;
	size_t i, k = 0;
	bool exact = where_exact_double(&p->operand, &x);
	if (p->op == OP_BETWEEN)
		exact = where_exact_double(&p->upper, &y) && exact;
	if (exact)
		return keep_numbers(col, src, n, dst, p->op, x, y);
	/* An integer operand past 2^53: compare exactly, row by row. */
	KEEP_WHERE(number_satisfies(v[r], p));
	return k;
}

static size_t keep_booleans(const column *col, const row_id *src, size_t n,
                            row_id *dst, bool want)
{
	const uint8_t *v = col->booleans;
	const uint64_t *nulls = col->nulls;
	size_t i, k = 0;
	uint8_t w = want ? 1 : 0;
	KEEP_WHERE(v[r] == w);
	return k;
}

/* Strings are read only where the cell is not null. */
#define KEEP_TEXT_WHERE(cond) FILTER_LOOP(!column_is_null(col, r) && (cond))
#define CELL_TEXT(r) column_text(t, col, r)
#define CELL_LENGTH(r) column_text_length(col, r)
#define CELL_ORDER(r, v) \
	value_order_strings(CELL_TEXT(r), CELL_LENGTH(r), (v)->as.string.text, \
	             (v)->as.string.length)
#define CELL_IS(r, v) \
	(CELL_LENGTH(r) == (v)->as.string.length && \
	 memcmp(CELL_TEXT(r), (v)->as.string.text, CELL_LENGTH(r)) == 0)

static size_t keep_strings(const table *t, const column *col, const predicate *p,
                           const row_id *src, size_t n, row_id *dst)
{
	const value *x = &p->operand, *y = &p->upper;
	size_t i, k = 0;
	switch (p->op) {
	case OP_EQ: KEEP_TEXT_WHERE(CELL_IS(r, x)); break;
	case OP_NE: KEEP_TEXT_WHERE(!CELL_IS(r, x)); break;
	case OP_LT: KEEP_TEXT_WHERE(CELL_ORDER(r, x) < 0); break;
	case OP_LE: KEEP_TEXT_WHERE(CELL_ORDER(r, x) <= 0); break;
	case OP_GT: KEEP_TEXT_WHERE(CELL_ORDER(r, x) > 0); break;
	case OP_GE: KEEP_TEXT_WHERE(CELL_ORDER(r, x) >= 0); break;
	default:
		KEEP_TEXT_WHERE(CELL_ORDER(r, x) >= 0 && CELL_ORDER(r, y) <= 0);
		break;
	}
	return k;
}

/* contains: (size_t)-1 when out of memory. */
static size_t keep_containing(const table *t, const column *col,
                              text_finder *f, const row_id *src, size_t n,
                              row_id *dst)
{
	size_t i, k = 0;
	for (i = 0; i < n; i++) {
		row_id r = src[i];
		int found = 0;
		if (!column_is_null(col, r))
			found = text_finder_match(f, CELL_TEXT(r), CELL_LENGTH(r));
		if (found < 0)
			return (size_t)-1;
		dst[k] = r;
		k += (size_t)found;
	}
	return k;
}

/* eq (or ne) with case and accents folded away; (size_t)-1 when out of
** memory. A null cell matches neither. */
static size_t keep_folded(const table *t, const column *col, text_finder *f,
                          bool equal, const row_id *src, size_t n, row_id *dst)
{
	size_t i, k = 0;
	for (i = 0; i < n; i++) {
		row_id r = src[i];
		int same;
		if (column_is_null(col, r))
			continue;
		same = text_finder_equals(f, CELL_TEXT(r), CELL_LENGTH(r));
		if (same < 0)
			return (size_t)-1;
		dst[k] = r;
		k += (size_t)(same == equal);
	}
	return k;
}

/* has: an element of the list is the operand, bytewise, or folded through
** the finder (accents = false); (size_t)-1 when out of memory. */
static size_t keep_having(const table *t, const column *col, const value *x,
                          text_finder *f, const row_id *src, size_t n,
                          row_id *dst)
{
	size_t i, k = 0;
	for (i = 0; i < n; i++) {
		row_id r = src[i];
		int found = 0;
		if (column_is_null(col, r))
			continue;
		if (f == NULL)
			found = list_has(col, CELL_TEXT(r), CELL_LENGTH(r),
			                 x->as.string.text, x->as.string.length);
		else
			found = list_has_folded(col, CELL_TEXT(r), CELL_LENGTH(r), f);
		if (found < 0)
			return (size_t)-1;
		dst[k] = r;
		k += (size_t)found;
	}
	return k;
}

static size_t keep_members(const table *t, const column *col,
                           const where_set *m, const row_id *src, size_t n,
                           row_id *dst)
{
	const uint64_t *nulls = col->nulls;
	size_t i, k = 0;
	if (nulls != NULL && m->has_null) /* nulls kept: a cell at a time */
		FILTER_LOOP(column_is_null(col, r) ||
		            (col->type == COLUMN_STRING
		             ? where_set_has_string(m, column_text(t, col, r),
		                                    column_text_length(col, r))
		             : column_is_integral(col)
		             ? where_set_has_integer(m, column_integer(col, r))
		             : col->type == COLUMN_NUMBER
		             ? where_set_has_number(m, col->numbers[r])
		             : (col->booleans[r] ? m->has_true : m->has_false)))
	else if (col->type == COLUMN_INTEGER && col->narrow != NULL)
		KEEP_WHERE(where_set_has_integer(m, col->narrow[r]));
	else if (column_is_integral(col))
		KEEP_WHERE(where_set_has_integer(m, col->integers[r]));
	else if (col->type == COLUMN_NUMBER)
		KEEP_WHERE(where_set_has_number(m, col->numbers[r]));
	else if (col->type == COLUMN_BOOLEAN)
		KEEP_WHERE(col->booleans[r] ? m->has_true : m->has_false);
	else
		KEEP_WHERE(where_set_has_string(m, column_text(t, col, r),
		                                column_text_length(col, r)));
	return k;
}
/* }====== */

/* {====== Where ====== */

/* A predicate ready to run: checked, eq/ne null turned into null, and what
** it needs built once for all the rows. */
typedef struct prepared_predicate {
	predicate p;
	const column *col;
	where_set members;   /* in */
	text_finder finder;   /* contains */
} prepared_predicate;

/* contains, and eq and ne with accents folded away, match through a
** finder of the folded operand. */
static bool uses_finder(const predicate *p)
{
	return p->op == OP_CONTAINS ||
	       (p->no_accents &&
	        (p->op == OP_EQ || p->op == OP_NE || p->op == OP_HAS));
}

static int prepare_predicate(const table *t, const predicate *given,
                             prepared_predicate *pp, reel_error *err)
{
	const value *text = &pp->p.operand;
	pp->p = normalise_predicate(given);
	if (check_predicate(t, &pp->p, err) != 0)
		return -1;
	pp->col = &t->columns[pp->p.column];
	if (pp->col->type == COLUMN_DATE)
		operands_as_stamps(&pp->p);
	if (pp->p.op == OP_IN && where_set_open(&pp->members, pp->col->type,
	                                         pp->p.set, pp->p.set_count) != 0)
		return error_memory(err, NULL);
	if (uses_finder(&pp->p) &&
	    text_finder_open_as(&pp->finder, text->as.string.text,
	                        text->as.string.length, !pp->p.no_accents) != 0)
		return error_memory(err, NULL);
	return 0;
}

static void release_predicate(prepared_predicate *pp)
{
	if (pp->p.op == OP_IN)
		where_set_close(&pp->members);
	else if (uses_finder(&pp->p))
		text_finder_close(&pp->finder);
}

/* One predicate over src[0 .. n-1] of col (pp's column, or its cells
** read straight); the kept rows go to dst. (size_t)-1 when out of memory. */
static size_t filter_plain(const table *t, prepared_predicate *pp,
                           const column *col, const row_id *src, size_t n,
                           row_id *dst)
{
	const predicate *p = &pp->p;
	switch (p->op) {
	case OP_NULL: return keep_nulls(col, src, n, dst, p->operand.as.boolean);
	case OP_IN: return keep_members(t, col, &pp->members, src, n, dst);
	case OP_CONTAINS: return keep_containing(t, col, &pp->finder, src, n, dst);
	case OP_HAS:
		return keep_having(t, col, &p->operand,
		                   p->no_accents ? &pp->finder : NULL, src, n, dst);
	case OP_EQ: case OP_NE:
		if (p->no_accents)
			return keep_folded(t, col, &pp->finder, p->op == OP_EQ, src, n, dst);
		break;
	default: break;
	}
	switch (col->type) {
	case COLUMN_INTEGER: case COLUMN_DATE:
		return filter_integers(col, p, src, n, dst);
	case COLUMN_NUMBER: return filter_numbers(col, p, src, n, dst);
	case COLUMN_BOOLEAN:
		return keep_booleans(col, src, n, dst,
		                     p->operand.as.boolean != (p->op == OP_NE));
	default: return keep_strings(t, col, p, src, n, dst);
	}
}

/* Whether a null cell passes the predicate. */
static bool null_passes(const prepared_predicate *pp)
{
	return (pp->p.op == OP_NULL && pp->p.operand.as.boolean) ||
	       (pp->p.op == OP_IN && pp->members.has_null);
}

/* A view's rows (a join's column) filtered by the loops above: the rows
** turned into their source rows, those with none (null) set aside, the
** rest filtered as the source column's, and the kept source rows matched
** back in order. A source row's cell passes or fails wherever it appears,
** so the first place at or after the last match holding the next kept
** source row is the one kept. */
static size_t filter_mapped(const table *t, prepared_predicate *pp,
                            const row_id *src, size_t n, row_id *dst)
{
	row_id from[WHERE_CHUNK], kept[WHERE_CHUNK];
	column plain = *pp->col;
	bool lone = null_passes(pp);
	size_t start, m, i, j, k = 0, kept_count;
	plain.map = NULL;
	for (start = 0; start < n; start += m) {
		m = n - start < WHERE_CHUNK ? n - start : WHERE_CHUNK;
		for (i = 0, j = 0; i < m; i++) {
			row_id s = pp->col->map[src[start + i]];
			from[j] = s;
			j += s != TABLE_NO_ROW;
		}
		kept_count = j > 0 ? filter_plain(t, pp, &plain, from, j, kept) : 0;
		if (kept_count == (size_t)-1)
			return kept_count;
		for (i = 0, j = 0; i < m; i++) {
			row_id r = src[start + i], s = pp->col->map[r];
			bool keep = s == TABLE_NO_ROW ? lone
			            : j < kept_count && kept[j] == s;
			j += s != TABLE_NO_ROW && keep;
			dst[k] = r; /* dst may be src: r is read first */
			k += keep;
		}
	}
	return k;
}

static size_t filter_rows(const table *t, prepared_predicate *pp,
                          const row_id *src, size_t n, row_id *dst)
{
	if (pp->col->map != NULL)
		return filter_mapped(t, pp, src, n, dst);
	return filter_plain(t, pp, pp->col, src, n, dst);
}

/* Rows are filtered a chunk at a time through a buffer on the stack, every
** predicate in turn, so the result grows only by the rows kept: a filter of
** a million rows touches memory in proportion to what it keeps. */

/* Every predicate over src[0 .. n-1], the kept rows left in chunk. */
static size_t filter_chunk(const table *t, prepared_predicate *pp, size_t count,
                           const row_id *src, size_t n, row_id *chunk)
{
	size_t i;
	for (i = 0; i < count && n > 0 && n != (size_t)-1; i++) {
		n = filter_rows(t, &pp[i], src, n, chunk);
		src = chunk;
	}
	return n;
}

/* Every predicate over src[0 .. n-1] a chunk at a time, the kept rows
** written to dst, or only counted (dst NULL: through a chunk on the stack,
** which stays in cache). The count kept, or (size_t)-1 when out of memory. */
static size_t filter_range(const table *t, prepared_predicate *pp, size_t count,
                           const row_id *src, size_t n, row_id *dst)
{
	row_id chunk[WHERE_CHUNK];
	size_t start, m, kept = 0;
	for (start = 0; start < n; start += WHERE_CHUNK) {
		m = n - start < WHERE_CHUNK ? n - start : WHERE_CHUNK;
		m = filter_chunk(t, pp, count, src + start, m,
		                 dst != NULL ? dst + kept : chunk);
		if (m == (size_t)-1)
			return m;
		kept += m;
	}
	return kept;
}

/* {====== On both cores ======
** Many rows are filtered in two halves at once. The second half's thread
** has predicates of its own: an `in` set is only read, so the copy shares
** it, but a finder folds each cell into a buffer of its own. */

typedef struct where_half {
	const table *t;
	prepared_predicate *pp;
	size_t count;
	const row_id *src;
	size_t n;
	row_id *dst;  /* NULL: count only */
	size_t kept;  /* or (size_t)-1 when out of memory */
} where_half;

static void *filter_half(void *context)
{
	where_half *h = context;
	h->kept = filter_range(h->t, h->pp, h->count, h->src, h->n, h->dst);
	return NULL;
}

/* The predicates again, each finder opened anew; NULL when out of memory. */
static prepared_predicate *twin_predicates(const prepared_predicate *pp,
                                           size_t count)
{
	prepared_predicate *twin = reel_malloc((count + 1) * sizeof *twin);
	size_t i;
	for (i = 0; twin != NULL && i < count; i++) {
		const value *text = &pp[i].p.operand;
		twin[i] = pp[i];
		if (uses_finder(&pp[i].p) &&
		    text_finder_open_as(&twin[i].finder, text->as.string.text,
		                        text->as.string.length, !pp[i].p.no_accents) != 0)
			break;
	}
	if (twin != NULL && i < count) {
		while (i-- > 0)
			if (uses_finder(&twin[i].p))
				text_finder_close(&twin[i].finder);
		reel_free(twin);
		twin = NULL;
	}
	return twin;
}

static void release_twin(prepared_predicate *twin, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		if (uses_finder(&twin[i].p))
			text_finder_close(&twin[i].finder);
	reel_free(twin);
}

/* filter_range over src[0 .. n-1], on two threads when the rows are many
** and the second thread's predicates can be had. The second half's kept
** rows are moved down after the first's. */
static size_t filter_both(const table *t, prepared_predicate *pp, size_t count,
                          const row_id *src, size_t n, row_id *dst)
{
	size_t middle = n / 2;
	prepared_predicate *twin;
	where_half h[2];
	if (n < PARALLEL_ROWS || (twin = twin_predicates(pp, count)) == NULL)
		return filter_range(t, pp, count, src, n, dst);
	h[0] = (where_half){t, pp, count, src, middle, dst, 0};
	h[1] = (where_half){t, twin, count, src + middle, n - middle,
	                    dst != NULL ? dst + middle : NULL, 0};
	parallel_both(filter_half, &h[0], &h[1]);
	release_twin(twin, count);
	if (h[0].kept == (size_t)-1 || h[1].kept == (size_t)-1)
		return (size_t)-1;
	if (dst != NULL)
		memmove(dst + h[0].kept, dst + middle, h[1].kept * sizeof *dst);
	return h[0].kept + h[1].kept;
}
/* }====== */

/* Filters straight into room for every row of `in`: no chunk to copy, no
** growth. The pages of rows never kept are never touched, and query_where
** gives back the unused tail. NULL, with *tried false, when the room
** cannot be had. */
static selection *filter_into_room(const table *t, const selection *in,
                                   prepared_predicate *pp, size_t count,
                                   bool *tried)
{
	selection *out = selection_new(in->count);
	*tried = out != NULL;
	if (out == NULL)
		return NULL;
	out->count = filter_both(t, pp, count, in->rows, in->count, out->rows);
	if (out->count == (size_t)-1) {
		selection_free(out);
		return NULL;
	}
	return out;
}

static selection *filter_selection(const table *t, const selection *in,
                                   prepared_predicate *pp, size_t count)
{
	row_id chunk[WHERE_CHUNK];
	size_t room = in->count < WHERE_CHUNK ? in->count : WHERE_CHUNK;
	selection *out;
	size_t start, n;
	bool tried;
	out = filter_into_room(t, in, pp, count, &tried);
	if (tried)
		return out;
	out = selection_new(room); /* short of memory: a chunk at a time */
	for (start = 0; out != NULL && start < in->count; start += WHERE_CHUNK) {
		n = in->count - start < WHERE_CHUNK ? in->count - start : WHERE_CHUNK;
		n = filter_chunk(t, pp, count, in->rows + start, n, chunk);
		if (n == (size_t)-1 || selection_append(out, chunk, n) != 0) {
			selection_free(out);
			out = NULL;
		}
	}
	return out;
}

/* Predicates prepared for a table, run over any of its selections. */
struct where_filter {
	const table *t;
	prepared_predicate *pp;
	size_t count;
};

static void release_predicates(prepared_predicate *pp, size_t count)
{
	while (count-- > 0)
		release_predicate(&pp[count]);
	reel_free(pp);
}

where_filter *where_prepare(const table *t, const predicate *predicates,
                            size_t count, reel_error *err)
{
	where_filter *w = reel_malloc(sizeof *w);
	size_t i;
	if (w == NULL || (w->pp = reel_malloc((count + 1) * sizeof *w->pp)) == NULL) {
		reel_free(w);
		error_memory(err, NULL);
		return NULL;
	}
	w->t = t;
	w->count = 0;
	for (i = 0; i < count; i++) {
		if (prepare_predicate(t, &predicates[i], &w->pp[i], err) != 0) {
			where_free(w);
			return NULL;
		}
		w->count++;
	}
	return w;
}

void where_free(where_filter *w)
{
	if (w == NULL)
		return;
	release_predicates(w->pp, w->count);
	reel_free(w);
}

/* The checks where_prepare makes, without building anything. */
int where_check(const table *t, const predicate *predicates, size_t count,
                reel_error *err)
{
	size_t i;
	for (i = 0; i < count; i++) {
		predicate p = normalise_predicate(&predicates[i]);
		if (check_predicate(t, &p, err) != 0)
			return -1;
	}
	return 0;
}

selection *where_rows(where_filter *w, const selection *in, reel_error *err)
{
	selection *out = w->count == 0 ? selection_copy(in)
	                               : filter_selection(w->t, in, w->pp, w->count);
	if (out == NULL) {
		error_memory(err, NULL);
		return NULL;
	}
	selection_trim(out);
	return out;
}
/* }====== */

/* {====== Where without a selection: counting and picking ====== */

size_t where_chunk(where_filter *w, const selection *in, size_t start,
                   row_id *chunk)
{
	size_t n = in->count - start < WHERE_CHUNK ? in->count - start : WHERE_CHUNK;
	if (w->count == 0)
		return copy_rows(in->rows + start, n, chunk);
	return filter_chunk(w->t, w->pp, w->count, in->rows + start, n, chunk);
}

/* Runs the predicates over `in` a chunk at a time through a buffer on the
** stack, which stays in cache: nothing the size of the input is written.
** It stops at the kept row numbered `wanted` (from 0) and puts it in *row.
** Returns the rows kept up to there, or (size_t)-1 when out of memory. */
static size_t scan_kept(where_filter *w, const selection *in, size_t wanted,
                        row_id *row, reel_error *err)
{
	row_id chunk[WHERE_CHUNK];
	size_t start, n, kept = 0;
	for (start = 0; start < in->count; start += WHERE_CHUNK) {
		n = where_chunk(w, in, start, chunk);
		if (n == (size_t)-1) {
			error_memory(err, NULL);
			return n;
		}
		if (wanted != SIZE_MAX && wanted - kept < n) {
			*row = chunk[wanted - kept];
			return wanted + 1;
		}
		kept += n;
	}
	return kept;
}

size_t where_count(where_filter *w, const selection *in, reel_error *err)
{
	size_t kept;
	if (w->count == 0)
		return in->count;
	kept = filter_both(w->t, w->pp, w->count, in->rows, in->count, NULL);
	if (kept == (size_t)-1)
		error_memory(err, NULL);
	return kept;
}

int where_nth(where_filter *w, const selection *in, size_t n, row_id *row,
              reel_error *err)
{
	size_t kept = scan_kept(w, in, n, row, err);
	if (kept == (size_t)-1)
		return -1;
	return kept == n + 1 && n != SIZE_MAX ? 1 : 0;
}
/* }====== */
