/*
** sample.h: one seeded generator (xoshiro256**) behind random, sample and
** shuffle, and draws of rows without replacement. Pure C: no Lua here.
*/
#ifndef REEL_SAMPLE_H
#define REEL_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "selection.h"

typedef struct film_random {
	uint64_t state[4];
} film_random;

void sample_seed(film_random *r, uint64_t seed);
/* Uniform in [0, n); n > 0. */
uint64_t sample_below(film_random *r, uint64_t n);
/* n rows of s drawn without replacement, in random order (all when n is
** larger than s). NULL when memory runs out. */
selection *sample_rows(const selection *s, size_t n, film_random *r);
selection *sample_shuffle(const selection *s, film_random *r);

#endif
