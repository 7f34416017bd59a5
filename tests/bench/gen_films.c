/*
** gen_films.c: a synthetic catalogue shaped like IMDb's title.basics with
** ratings, crew and a plot, for the similarity, recommend and marathon
** benchmark (tests/bench/similar.sh), written to stdout as TSV.
** usage: gen_films ROWS [SEED]
** Columns tconst, titleType, primaryTitle, startYear, runtimeMinutes,
** genres, directors, cast, averageRating, numVotes, description. Words,
** names and genres are drawn with a skew (a few common, most rare), as in
** real catalogues: 20,000 words, 50,000 directors, 200,000 actors, 24
** genres; a tenth of the titles are TV episodes and series, and a fifth
** of the films have no description. The same ROWS and SEED always give the
** same bytes. Relies on the C library only.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

/* splitmix64 */
static uint64_t next_random(void)
{
	uint64_t z = (state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static double uniform(void)
{
	return (double)(next_random() >> 11) / 9007199254740992.0;
}

static unsigned below(unsigned n)
{
	return (unsigned)(next_random() % n);
}

/* Skewed towards 0: about a power law over [0, n). */
static unsigned skewed(unsigned n)
{
	double u = uniform();
	return (unsigned)((double)n * u * u * u) % n;
}

static const char *const syllables[] = {
	"ka", "ri", "mo", "ta", "ne", "so", "lu", "vi", "da", "re", "shi", "po",
	"an", "el", "or", "um", "ba", "ge", "lo", "mi", "ra", "tu", "ve", "zo"
};
#define SYLLABLES (sizeof syllables / sizeof *syllables)

/* A made-up word for number i: its syllables spell i in base 24. */
static void word(char *out, unsigned i)
{
	*out = '\0';
	do {
		strcat(out, syllables[i % SYLLABLES]);
		i /= SYLLABLES;
	} while (i > 0);
}

static void name(char *out, unsigned i)
{
	char first[32], last[32];
	word(first, i % 997);
	word(last, i / 997 + 1);
	first[0] = (char)(first[0] - 32);
	last[0] = (char)(last[0] - 32);
	sprintf(out, "%s %s", first, last);
}

static const char *const genres[] = {
	"Drama", "Comedy", "Documentary", "Romance", "Action", "Thriller",
	"Crime", "Horror", "Adventure", "Family", "Mystery", "Fantasy",
	"Biography", "History", "Animation", "Music", "War", "Sci-Fi", "Musical",
	"Sport", "Western", "Film-Noir", "Adult", "News"
};
#define GENRES (sizeof genres / sizeof *genres)

static const char *title_type(void)
{
	unsigned roll = below(100);
	if (roll < 72)
		return "movie";
	if (roll < 82)
		return "short";
	if (roll < 90)
		return "tvEpisode";
	if (roll < 95)
		return "tvSeries";
	return "video";
}

static void put_genres(void)
{
	unsigned n = 1 + below(3), chosen[3], i, j;
	for (i = 0; i < n; i++) {
		chosen[i] = skewed(GENRES);
		for (j = 0; j < i; j++)
			if (chosen[j] == chosen[i])
				chosen[i] = (chosen[i] + 1 + j) % GENRES;
		printf("%s%s", i > 0 ? "," : "", genres[chosen[i]]);
	}
}

static void put_names(unsigned n, unsigned pool)
{
	char text[80];
	unsigned i;
	for (i = 0; i < n; i++) {
		name(text, skewed(pool));
		printf("%s%s", i > 0 ? ", " : "", text);
	}
}

static void put_description(void)
{
	unsigned n = 8 + below(23), i;
	char text[40];
	for (i = 0; i < n; i++) {
		if (i % 3 == 1) /* common words between the telling ones */
			printf(" %s", i % 2 ? "the" : "and");
		word(text, skewed(20000));
		printf("%s%s", i > 0 ? " " : "", text);
	}
	printf(".");
}

static unsigned runtime(const char *type)
{
	if (strcmp(type, "short") == 0)
		return 1 + below(40);
	if (type[0] == 't')
		return 20 + below(41);
	return 60 + below(70) + below(71);
}

static void put_film(unsigned long i)
{
	const char *type = title_type();
	char first[40], second[40];
	word(first, skewed(20000));
	word(second, skewed(20000));
	first[0] = (char)(first[0] - 32);
	second[0] = (char)(second[0] - 32);
	printf("tt%07lu\t%s\t%s %s\t%u\t", i + 1, type, first, second,
	       2025 - skewed(106)); /* recent years are the commonest */
	if (below(50) == 0)
		printf("\\N\t");
	else
		printf("%u\t", runtime(type));
	put_genres();
	printf("\t");
	put_names(1 + (below(10) == 0), 50000);
	printf("\t");
	put_names(2 + below(4), 200000);
	printf("\t%.1f\t%u\t", 10.0 - 9.0 * uniform() * uniform(),
	       (unsigned)exp(uniform() * 13.0));
	if (below(5) == 0)
		printf("\\N");
	else
		put_description();
	printf("\n");
}

int main(int argc, char **argv)
{
	unsigned long rows, i;
	if (argc < 2) {
		fprintf(stderr, "usage: gen_films ROWS [SEED]\n");
		return 2;
	}
	rows = strtoul(argv[1], NULL, 10);
	state = argc > 2 ? strtoull(argv[2], NULL, 10) : 20240901u;
	printf("tconst\ttitleType\tprimaryTitle\tstartYear\truntimeMinutes\tgenres\t"
	       "directors\tcast\taverageRating\tnumVotes\tdescription\n");
	for (i = 0; i < rows; i++)
		put_film(i);
	return 0;
}
