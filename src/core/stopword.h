/*
** stopword.h: the common words of the languages films are described in
** (English, French, Spanish, German, Italian, Portuguese), which say
** nothing about a film ("the", "with", "dans"), folded as word.h folds
** them. A description's language is the one whose words it uses most.
** Pure C: no Lua here.
*/
#ifndef REEL_STOPWORD_H
#define REEL_STOPWORD_H

#include <stddef.h>

typedef enum stopword_language {
	STOPWORD_ENGLISH,
	STOPWORD_FRENCH,
	STOPWORD_SPANISH,
	STOPWORD_GERMAN,
	STOPWORD_ITALIAN,
	STOPWORD_PORTUGUESE,
	STOPWORD_LANGUAGES
} stopword_language;

/* The languages whose common words hold the folded `word`, one bit a
** language (1 << STOPWORD_ENGLISH, ...): 0 for a word that tells. */
unsigned stopword_languages(const char *word, size_t length);

#endif
