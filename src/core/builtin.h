/*
** builtin.h: the built-in catalogue, data/films.csv compiled into the
** binary at build time (the Makefile generates its definition).
*/
#ifndef REEL_BUILTIN_H
#define REEL_BUILTIN_H

#include <stddef.h>

extern const unsigned char reel_films_csv[];
extern const size_t reel_films_csv_size;

#endif
