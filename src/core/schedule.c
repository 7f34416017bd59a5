/*
** schedule.c: the fill of a span of minutes (see schedule.h). A subset sum
** that counts films: most[s] is the most films whose lengths add up to
** exactly s. A length's films are alike, so they go in as bundles of 1, 2,
** 4, ... films (any number up to those available is a sum of bundles),
** which keeps the work at bundles x minutes however many films there are:
** a large catalogue has hundreds of lengths, not millions of choices. One
** row of bits a bundle says whether it belongs to a best fill of each sum
** from the bundles after it, preferring it on a tie, so a walk from the
** first bundle rebuilds the fill. Relies on memory.h. Pure C.
*/
#include "schedule.h"

#include <string.h>

#include "memory.h"

typedef struct bundle {
	size_t length_index;  /* which length it is of */
	uint32_t films;
	uint64_t minutes;
} bundle;

/* The bundles of every length, in the lengths' order, smallest first. */
static bundle *make_bundles(const uint32_t *lengths, const uint32_t *counts,
                            size_t n, uint32_t budget, size_t *count)
{
	size_t i, k = 0, room = 0;
	bundle *b;
	for (i = 0; i < n; i++)
		room += 33;
	b = reel_malloc((room + 1) * sizeof *b);
	if (b == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		uint32_t left = lengths[i] > budget ? 0 : counts[i], size = 1;
		if (lengths[i] > 0 && left > budget / lengths[i])
			left = budget / lengths[i];
		while (left > 0) {
			uint32_t films = size < left ? size : left;
			b[k++] = (bundle){i, films, (uint64_t)films * lengths[i]};
			left -= films;
			size = size < UINT32_MAX / 2 ? size * 2 : size;
		}
	}
	*count = k;
	return b;
}

/* most[] over the bundles from the last to the first, a row of take bits
** each (words_per_row 64-bit words). */
static void fill_table(const bundle *b, size_t count, uint32_t budget,
                       int64_t *most, uint64_t *take, size_t words_per_row)
{
	size_t i, s, reach = 0;
	for (s = 1; s <= budget; s++)
		most[s] = -1;
	most[0] = 0;
	for (i = count; i-- > 0;) {
		uint64_t *bits = take + i * words_per_row;
		size_t w = (size_t)b[i].minutes;
		reach = reach + w < budget ? reach + w : budget;
		for (s = reach; s >= w && s > 0; s--) {
			int64_t with = most[s - w];
			if (with >= 0 && with + b[i].films >= most[s]) {
				most[s] = with + b[i].films;
				bits[s >> 6] |= (uint64_t)1 << (s & 63);
			}
		}
	}
}

int64_t schedule_fill(const uint32_t *lengths, const uint32_t *counts, size_t n,
                      uint32_t budget, uint32_t *taken, reel_error *err)
{
	size_t count = 0, words = (size_t)budget / 64 + 1, i;
	bundle *b = make_bundles(lengths, counts, n, budget, &count);
	int64_t *most = NULL, total = budget, left;
	uint64_t *take = NULL;
	if (b != NULL && count > 0 && words > SCHEDULE_MEMORY_MAX / 8 / count) {
		reel_free(b);
		error_set(err, REEL_ERROR_ARGUMENT, "too many films could fill %lu minutes "
		          "(%zu lengths): choose fewer minutes or fewer films",
		          (unsigned long)budget, n);
		return -1;
	}
	if (b != NULL)
		most = reel_malloc(((size_t)budget + 1) * sizeof *most);
	if (most != NULL)
		take = reel_calloc(count * words + 1, sizeof *take);
	if (take == NULL) {
		reel_free(b);
		reel_free(most);
		error_memory(err, "a schedule");
		return -1;
	}
	fill_table(b, count, budget, most, take, words);
	while (most[total] < 0)
		total--;
	memset(taken, 0, n * sizeof *taken);
	for (i = 0, left = total; i < count; i++) {
		const uint64_t *bits = take + i * words;
		if (left >= (int64_t)b[i].minutes &&
		    (bits[left >> 6] >> (left & 63) & 1) != 0) {
			taken[b[i].length_index] += b[i].films;
			left -= (int64_t)b[i].minutes;
		}
	}
	reel_free(take);
	reel_free(most);
	reel_free(b);
	return total;
}
