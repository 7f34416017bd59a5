/*
** sample.c: random draws (see sample.h): one seeded generator,
** xoshiro256**, behind random, sample and shuffle. Pure C.
*/
#include "sample.h"

/* {====== Randomness ====== */

/* splitmix64 spreads one seed over the four words of state. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rotate_left(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void sample_seed(film_random *r, uint64_t seed)
{
	int i;
	for (i = 0; i < 4; i++)
		r->state[i] = splitmix64(&seed);
}

/* xoshiro256**: the next 64 random bits. */
static uint64_t next_bits(film_random *r)
{
	uint64_t *s = r->state;
	uint64_t result = rotate_left(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotate_left(s[3], 45);
	return result;
}

/* Rejection: draws below 2^64 mod n would favour the small remainders. */
uint64_t sample_below(film_random *r, uint64_t n)
{
	uint64_t threshold, x;
	if (n == 0)
		return 0;
	threshold = (0 - n) % n;
	do
		x = next_bits(r);
	while (x < threshold);
	return x % n;
}

/* A partial Fisher-Yates shuffle: the first n places get a uniform draw
** from the rows not yet placed. */
selection *sample_rows(const selection *s, size_t n, film_random *r)
{
	selection *out = selection_copy(s);
	size_t i;
	if (out == NULL)
		return NULL;
	if (n > out->count)
		n = out->count;
	for (i = 0; i < n && i + 1 < out->count; i++) {
		size_t j = i + (size_t)sample_below(r, out->count - i);
		row_id swap = out->rows[i];
		out->rows[i] = out->rows[j];
		out->rows[j] = swap;
	}
	out->count = n;
	selection_trim(out);
	return out;
}

selection *sample_shuffle(const selection *s, film_random *r)
{
	return sample_rows(s, s->count, r);
}
/* }====== */
