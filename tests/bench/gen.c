/*
** gen.c: a synthetic film catalogue for the benchmark, written to stdout.
** usage: gen ROWS [SEED]
** Columns id,title,year,duration,description; titles of two to four words,
** years 1920..2025, durations 60..210 minutes, descriptions of 8 to 25 words,
** one in eight quoted with a comma inside (and one in sixty-four with a
** doubled quote). The same ROWS and SEED always give the same bytes.
** Relies on the C library only.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const words[] = {
	"love", "night", "river", "prison", "winter", "ghost", "city", "father",
	"mother", "daughter", "son", "war", "dream", "secret", "summer", "home",
	"road", "train", "island", "memory", "heart", "storm", "garden", "letter",
	"stranger", "friend", "village", "mountain", "sea", "wedding", "detective",
	"school", "song", "fire", "shadow", "promise", "journey", "silence",
	"crown", "mirror", "harbour", "bridge", "soldier", "teacher", "thief",
	"queen", "king", "doctor", "farmer", "painter", "dancer", "moon", "sun",
	"rain", "snow", "forest", "desert", "kitchen", "market", "station",
	"Seoul", "Busan", "Paris", "Tokyo", "Lagos", "Lima", "Oslo", "Cairo",
	"brave", "quiet", "lost", "last", "first", "broken", "golden", "hidden",
	"little", "long", "old", "young", "wild", "cold", "red", "blue"
};
#define WORD_COUNT (sizeof words / sizeof words[0])

static uint64_t state;

/* splitmix64: small, fast and the same everywhere */
static uint64_t next_random(void)
{
	uint64_t z = (state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(next_random() % n);
}

static char *put_word(char *p, int capital)
{
	const char *w = words[below(WORD_COUNT)];
	size_t n = strlen(w);
	memcpy(p, w, n);
	if (capital && *p >= 'a' && *p <= 'z')
		*p = (char)(*p - 32);
	return p + n;
}

static char *put_title(char *p)
{
	unsigned n = 2 + below(3), i;
	for (i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ' ';
		p = put_word(p, 1);
	}
	return p;
}

static char *put_description(char *p)
{
	unsigned n = 8 + below(18), roll = below(64), i;
	int quoted = roll < 8;
	if (quoted)
		*p++ = '"';
	for (i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ' ';
		p = put_word(p, i == 0);
		if (quoted && i == n / 2)
			*p++ = ',';
		if (roll == 0 && i == 1) {
			memcpy(p, " \"\"so\"\"", 7);
			p += 7;
		}
	}
	*p++ = '.';
	if (quoted)
		*p++ = '"';
	return p;
}

int main(int argc, char **argv)
{
	unsigned long rows, r;
	static char buffer[1 << 16];
	size_t used = 0;
	if (argc < 2) {
		fputs("usage: gen ROWS [SEED]\n", stderr);
		return 2;
	}
	rows = strtoul(argv[1], NULL, 10);
	state = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	fputs("id,title,year,duration,description\n", stdout);
	for (r = 1; r <= rows; r++) {
		char *p = buffer + used;
		p += sprintf(p, "%lu,", r);
		p = put_title(p);
		p += sprintf(p, ",%u,%u,", 1920 + below(106), 60 + below(151));
		p = put_description(p);
		*p++ = '\n';
		used = (size_t)(p - buffer);
		if (used > sizeof buffer - 1024) {
			fwrite(buffer, 1, used, stdout);
			used = 0;
		}
	}
	fwrite(buffer, 1, used, stdout);
	return ferror(stdout) ? 1 : 0;
}
