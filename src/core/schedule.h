/*
** schedule.h: which films fill a span of minutes best, for a back-to-back
** schedule: the largest total that fits, then the most films. Films of one
** length are alike to it, so it takes how many of each length, and the
** caller picks which (its best ranked). Pure C: no Lua here.
*/
#ifndef REEL_SCHEDULE_H
#define REEL_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The most the bit table of one fill may take (a length's films are split
** into bundles of 1, 2, 4, ... films, one row of budget + 1 bits a bundle). */
#define SCHEDULE_MEMORY_MAX ((size_t)256 << 20)

/* taken[i] films of lengths[i] minutes (of counts[i] available; lengths
** above 0) that fill at most `budget` minutes with the largest total, then
** the most films; among equals, lengths earlier in the array are taken
** first. Returns the total, or -1 with err filled (REEL_ERROR_MEMORY, or
** REEL_ERROR_ARGUMENT when the table would pass SCHEDULE_MEMORY_MAX). */
int64_t schedule_fill(const uint32_t *lengths, const uint32_t *counts, size_t n,
                      uint32_t budget, uint32_t *taken, reel_error *err);

#endif
