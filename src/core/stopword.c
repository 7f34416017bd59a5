/*
** stopword.c: the common words of six languages (see stopword.h), kept as
** one space-separated list a language and looked up in a table made the
** first time it is asked, in static storage: nothing is allocated. Pure C.
*/
#include "stopword.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "hash.h"

/* {====== The lists ======
** Folded as word.h folds (lower case, no accents). Words that are common in
** one language and telling in another ("son", "war", "die") are told apart
** by the language of the description they are in. */
static const char *const stopword_lists[STOPWORD_LANGUAGES] = {
	/* English */
	"a about above across after again against all almost along also although "
	"always am among an and another any anyone anything are around as at away "
	"back based be became because become becomes been before begins behind being "
	"below beside besides between beyond both but by can cannot could did do "
	"does doing done down during each either else even ever every everyone "
	"few film films finds for from further get gets getting give gives go goes going got "
	"had has have having he her here hers herself him himself his how however "
	"i if in inside into is it its itself just last later least less let like "
	"made make makes many may me meanwhile might more most movie movies much must my "
	"myself near nearly never new next no none nor not nothing now of off "
	"often on once one only onto or other others our ours ourselves out "
	"outside over own per perhaps quite rather really same see seems several "
	"she should since so some someone something soon still such take takes "
	"than that the their theirs them themselves then there these they thing "
	"things this those though three through throughout thus till to together "
	"too toward towards two under until up upon us very via was way we well "
	"were what whatever when where whether which while who whom whose why "
	"will with within without would yet you your yours yourself yourselves",
	/* French */
	"a afin ai ainsi alors apres au aucun aupres aussi autre autres aux avait "
	"avant avec c ce ceci cela celle celles celui ces cet cette chez comme "
	"comment d dans de depuis des deux donc dont du elle elles en encore "
	"entre est et etait ete etre eux fait faire il ils j jamais je jusqu l la "
	"le les leur leurs lors lui m ma mais me meme mes moi mon n ne ni nos "
	"notre nous on ont ou par parce pas pendant peu peut plus pour pourquoi "
	"qu quand que quel quelle quelque qui s sa sans se ses si sien soi son "
	"sont sous sur t ta te tes toi ton tous tout toute toutes tres tu un une "
	"va vers vos votre vous y",
	/* Spanish */
	"a al algo algun alguna algunas alguno algunos ante antes aqui asi aun "
	"cada como con contra cual cuando de del desde donde durante e el ella "
	"ellas ellos en entre era eran eres es esa esas ese eso esos esta estaba "
	"estan estas este esto estos fue fueron ha hace hacia han hasta hay la "
	"las le les lo los mas me mi mientras mis mucho muy nada ni no nos "
	"nosotros nuestra nuestro o os otra otras otro otros para pero poco por "
	"porque que quien se sea ser si siempre sin sobre solo su sus tambien "
	"tan te tiene tienen todo todos tras tu tus un una uno unos y ya",
	/* German */
	"aber alle allem allen aller als also am an ander andere anderen auch auf "
	"aus bei beim bin bis bist da damit dann das dass dem den denn der des "
	"dessen die dies diese diesem diesen dieser doch dort du durch ein eine "
	"einem einen einer eines er es etwas fur gegen hat hatte ich ihm ihn ihr "
	"ihre ihrem ihren ihrer im in ist ja jede jeder jetzt kann kein keine man "
	"mein meine mit nach nachdem nicht noch nun nur ob oder ohne sehr sein "
	"seine seinem seinen seiner sich sie sind so soll um und uns unter uber "
	"vom von vor wahrend war waren was weil welche wenn wer wie wieder wird "
	"wir wo zu zum zur zwei zwischen",
	/* Italian */
	"a ad agli al alla alle allo anche ancora che chi ci come con cosi cui da "
	"dal dalla dalle degli dei del della delle dello di dopo dove e ed era "
	"essere fra gli ha hanno i il in io la le lei li lo loro lui ma mentre mi "
	"mia mio ne negli nei nel nella nelle noi non o ogni per perche piu poi "
	"quando quella quelle quello questa queste questo se sei si sono sua sue "
	"sui sul sulla suo suoi tra tu tutti tutto un una uno",
	/* Portuguese */
	"a ao aos apos as ate com como da das de dela dele deles depois do dos e "
	"ela elas ele eles em entre era essa esse esta este eu foi foram ha isso "
	"isto ja lhe mais mas me mesmo muito na nas nao nem no nos o os ou para "
	"pela pelas pelo pelos por quando que quem se sem ser seu seus sua suas "
	"tambem te tem tinha todo todos tu um uma umas uns"
};
/* }====== */

/* {====== The table ====== */

#define SLOTS 2048  /* a power of two, well above the words of every list */

typedef struct stopword_slot {
	const char *word; /* into a list; NULL: empty */
	unsigned char length;
	unsigned char languages;
} stopword_slot;

static stopword_slot slots[SLOTS];
/* A quick no for most words: the bit of the last letter is set in
** ends[length][first letter] when a common word of that length starts and
** ends so (ASCII letters only; other words are looked up). */
#define LONGEST 16
static uint32_t ends[LONGEST + 1][26];
static bool made;

static bool ascii_letter(char c)
{
	return c >= 'a' && c <= 'z';
}

static stopword_slot *slot_of(const char *word, size_t length)
{
	size_t i = (size_t)hash_bytes(word, length) & (SLOTS - 1);
	while (slots[i].word != NULL &&
	       (slots[i].length != length || memcmp(slots[i].word, word, length) != 0))
		i = (i + 1) & (SLOTS - 1);
	return &slots[i];
}

static void add_list(const char *list, unsigned language)
{
	while (*list != '\0') {
		size_t length = strcspn(list, " ");
		stopword_slot *s = slot_of(list, length);
		if (ascii_letter(list[0]) && ascii_letter(list[length - 1]))
			ends[length][list[0] - 'a'] |= (uint32_t)1 << (list[length - 1] - 'a');
		s->word = list;
		s->length = (unsigned char)length;
		s->languages |= (unsigned char)(1u << language);
		list += length;
		list += *list == ' ';
	}
}

static void make_table(void)
{
	unsigned language;
	for (language = 0; language < STOPWORD_LANGUAGES; language++)
		add_list(stopword_lists[language], language);
	made = true;
}

unsigned stopword_languages(const char *word, size_t length)
{
	if (length > LONGEST || length == 0)
		return 0; /* longer than any common word */
	if (!made)
		make_table();
	if (ascii_letter(word[0]) && ascii_letter(word[length - 1]) &&
	    !((ends[length][word[0] - 'a'] >> (word[length - 1] - 'a')) & 1))
		return 0;
	return slot_of(word, length)->languages;
}
/* }====== */
