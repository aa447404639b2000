"""BM25F over the lexical index's five fields (names, file name, folders, doc comment, code).

Why our own and not FTS5's `bm25()`: FTS5 fixes k1 = 1.2 and b = 0.75 and normalises every field
by the unit's *whole* length, so a name or file-name match in a long function is worth little and
a long body drowns its own name. BM25F (Robertson & Zaragoza) normalises each field by its own
length with its own b, weights the fields, then saturates once per word with one k1. FTS5 still
does what it is fast at: finding the candidates (units holding any query word, by its bm25, once
over all fields and once over the name and path fields so a file-name match is never cut off) and
counting documents per word (fts5vocab); the candidates' stored words are counted here.

A question's word and its usual abbreviations ("configuration" and `config`, `cfg`, `conf`) are one term,
their counts summed, so code that says only `cfg` scores as if it said the word, and code that says both is
not counted twice (own words each with its own idf lost on the tuning half: benchmarks/results/abbreviations.md).
"""

from __future__ import annotations

import functools
import math
import re
import sys
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from codesearch.parse.lexical import FIELDS
from codesearch.query import QueryTerms, abbreviations, looks_non_english, stem
from codesearch.store.catalog import Catalog


@dataclass(frozen=True)
class Bm25:
    """The weights: per field (FIELDS order) a weight and a length normalisation b, one k1 (tuning half's pick)."""

    k1: float = 0.9
    weights: tuple[float, ...] = (3.0, 3.0, 1.0, 1.5, 1.0)
    b: tuple[float, ...] = (0.3, 0.2, 0.3, 0.6, 0.4)
    candidates: int = 300  # units FTS5 proposes (each of its two passes) for every n asked
    # A question's words' usual abbreviations (QueryTerms.abbreviations: `cfg` for "configuration"): each
    # occurrence counts as this share of one of the word's own; 0 leaves them out (benchmarks/results/abbreviations.md).
    abbreviation_weight: float = 1.0
    abbreviation_synonyms: bool = True  # True: one term with its word (counts summed); False: words of their own
    # An abbreviation held by more than this share of the index's units is left out: a keyword or an idiom
    # (`var`, `err`, `fmt`) there, not the word; as a synonym it would also take the word's idf down with it.
    abbreviation_max_share: float = 1.0
    # (A field's length weighed against the mean over the units whose field holds a word, as Lucene does, not over
    # every unit (hashie's long docs, where few units have one: probe 157), lost on the tuning half: hybrid tune
    # 0.9481 -> 0.9471, fresh2 0.8934 -> 0.8859; lexical 0.9270 -> 0.9196, 0.8712 -> 0.8615.)


_BRITISH = re.compile(r"is(ation|er)?$")
_AMERICAN = re.compile(r"iz(ation|er)?$")
# the other endings, on stems (centre: centr, catalogue: catalogu, licence: licenc, analyse: analys, travelling:
# travell, one vowel after a consonant so that "trailling" stays a slip), both ways where the American stem is no other
# word's (integer is no British "integr"): probe 185's "centre a string" met no `Center`, "dump catalog to xliff" no
# `catalogue`
_TO_AMERICAN = tuple((re.compile(a), b) for a, b in (
    (r"(?<=^[a-z]{2})([a-z]*[bgt])r$", r"\1er"), (r"(?<=[a-z]{3})ogu$", "og"), (r"(?<=[a-z]{3})enc$", "ens"),
    (r"(?<=[a-z]{3})ys$", "yz"), (r"(?<=[a-z]{2}[b-df-hj-np-tv-z][aeiou])ll$", "l"), (r"(?<=[a-z]{4})mm$", "m"),
    (r"^grey$", "gray"), (r"dgement$", "dgment")))
_TO_BRITISH = tuple((re.compile(a), b) for a, b in (
    (r"(?<=^[a-z])([a-z]*(?:[aeioun]t|ib))er$", r"\1r"), (r"(?<=[a-z]{3})og$", "ogu"), (r"(?<=[a-z]{3})ens$", "enc"),
    (r"(?<=[a-z]{3})yz$", "ys"), (r"(?<=[a-z]{2}[b-df-hj-np-tv-z][aeiou])l$", "ll"), (r"^gray$", "grey"),
    (r"dgment$", "dgement")))
# colour, behaviour, behavioural, favourite, colourise, neighbourhood, odour
_BRITISH_OUR = re.compile(r"(?<=[a-z]{2})our(?=(?:it|iz|is|isation|ization|abl|ful|less|al|hood|s)?$)")


def american(word: str) -> str | None:
    """A stemmed word's American spelling when it may be a British one (normalis: normaliz, localisation: localization,
    colour: color, behaviour: behavior),
    else None; search uses it only when the code holds that spelling and not the word (raise, promise stay)."""
    us = _BRITISH_OUR.sub("or", word)  # colourise: colorise, then colorize
    m = _BRITISH.search(us)
    if m and m.start() >= 3:
        us = us[: m.start()] + "iz" + (m.group(1) or "")
    return us if us != word else _respelt(word, _TO_AMERICAN)


def british(word: str) -> str | None:
    """A stemmed word's British spelling when it may be an American one (tokenizer: tokeniser, normaliz: normalis),
    else None: jsoup's `Tokeniser` was not found by "tokenizer"; used as american() is, only where the code holds
    that spelling and not the word."""
    m = _AMERICAN.search(word)
    return word[: m.start()] + "is" + (m.group(1) or "") if m and m.start() >= 3 else _respelt(word, _TO_BRITISH)


def _respelt(word: str, rules: tuple[tuple[re.Pattern[str], str], ...]) -> str | None:
    """word by the first of rules that changes it, else None."""
    for pattern, repl in rules:
        other = pattern.sub(repl, word)
        if other != word:
            return other
    return None


def other_spelling(word: str) -> str | None:
    """A stemmed word as the other side of the Atlantic spells it (normalis: normaliz, tokeniz: tokenis), else None."""
    return american(word) or british(word)


def slips(a: str, b: str, most: int) -> int:
    """Typing slips from a to b: letters left out or added, two neighbours swapped (a changed letter counts two: it
    is how one word differs from another, "decide" from `decode`); most + 1 once it is more than most."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        now = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            now[j] = min(row[j] + 1, now[j - 1] + 1, row[j - 1] + (0 if ca == cb else 2))
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                now[j] = min(now[j], before[j - 2] + 1)
        if min(now) > most:
            return most + 1
        before, row = row, now
    return min(row[-1], most + 1)


RARE_SLIP = 2  # a word the code says in at most this many units may still be a slip of a word it says ...
SLIP_COMMONER = 5  # ... in this many times as many
MISSPELT_FROM = 5  # letters a word needs, as typed, before a word the code never says is read as a slip of one it does
_ENDINGS = ("s", "es", "ed", "d", "ing", "ly", "er", "ize", "ise", "izes", "ises", "ized", "ised", "izing", "ising",
            "ization", "isation")  # "normalize": normal (the word list has few -ize verbs: probe 68)


@functools.cache
def english() -> frozenset[str]:
    """English words of five letters or more (english.txt): a question's word among them was meant as typed."""
    text = (Path(__file__).parent / "english.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.split("\n") if line and not line.startswith("#"))


def _a_word(typed: str) -> bool:
    """typed is an English word, as typed or less a usual ending ("recently", "decided"): no typing slip."""
    words = english()  # a `d` ends a word after an `e` only ("decided"): "mountd" is a slip of "mounted" (probe 195)
    return typed in words or any(typed.endswith(e) and typed[: -len(e)] in words and (e != "d" or typed[-2:-1] == "e")
                                 for e in _ENDINGS) \
        or typed.endswith("e") and typed + "s" in words  # a verb the list holds in its -s form: "halve" (probe 258;
    # not "acces", a slip whose -s form is `access`)


def misspelt(catalog: Catalog, word: str, typed: str) -> str | None:
    """The words list's word a question's word the code never says was probably meant to be (its stem; typed as typed):
    one slip away (two from eight letters) by a letter left out, added or two swapped ("durtion": duration,
    "pattren": pattern, "upgrde": upgrade), the most common of the nearest; None for an English word (the code does
    not say "refuse": it is no slip of `reuse`), a short word, or none near."""
    if len(typed) < MISSPELT_FROM or len(word) < MISSPELT_FROM - 1 or not _spelt(word):
        return None  # the typed word's length: "clened" stems to "clen" (probe 75)
    if _a_word(typed.lower()):  # an English word is meant as typed, but for a last letter doubled ("marshall")
        return word[:-1] if word[-1] == word[-2] and catalog.lexical_stats((word[:-1],))[1][word[:-1]] else None
    # as typed first: "compres" is one letter short of `compress`, its stem `compr` one from `compar` (probe 84)
    found = _nearest(catalog, typed.lower()) if typed.lower() != word else None
    found = found or _nearest(catalog, word)
    if found is None or len(found) < len(typed) - 1:
        return None  # one slip from the stem, three from the word typed: "nested" is no slip of `net` (probe 137)
    root = stem(found)  # as its stem, which the code's every form holds ("aliasses": `aliases` missed the units that
    return root if root != found and catalog.lexical_stats((root,))[1][root] else found  # say `alias`: probe 81)


def _spelt(word: str) -> bool:
    """A word a slip can be read in: letters, or letters and digits (noble's `xchacha20poly1305`: probe 235)."""
    return word.isalnum() and not word.isdigit() and word.isascii()


def _same_digits(typed: str, other: str) -> bool:
    """The same digits, in any order: a slip swaps them ("poly1350": poly1305) but never makes others (`chacha20` is
    no slip of `chacha8`, nor `sha256` of `sha512`... which differ by more than a swap anyway)."""
    return sorted(c for c in typed if c.isdigit()) == sorted(c for c in other if c.isdigit())


def _nearest(catalog: Catalog, word: str) -> str | None:
    """The most common of the words list's words nearest word, one slip away (two from eight letters); a word that
    only lengthens it is none ("normaliz" is no slip of `normal`, "unmarshall" one of `unmarshal`)."""
    most = 1 if len(word) < 8 else 2
    near = [(slips(word, other, most), -n, other) for other, n in catalog.words_like(word, most)
            if other != word and _spelt(other) and _same_digits(word, other)
            and (not word.startswith(other) or word == other + other[-1])]
    near = [t for t in near if t[0] <= most]
    return min(near)[2] if near else None


_NEAR: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # catalog -> (its version, {(rule, word): found})


def _remembered(catalog: Catalog, key: tuple[str, ...], compute: Callable[[], str | None]) -> str | None:
    """compute(), once per key and catalog version: a query asks for its words' near words up to three times (the
    words list, its coverage, the note), and the next query often for the same words."""
    stamp = catalog.version()
    seen = _NEAR.get(catalog)
    if seen is None or seen[0] != stamp:
        seen = _NEAR[catalog] = (stamp, {})
    if key not in seen[1]:
        seen[1][key] = compute()
    return seen[1][key]


def stand_ins(catalog: Catalog, terms: QueryTerms, df: dict[str, int]) -> dict[str, str]:
    """word -> the code's spelling of a search word it never says: its American or British spelling ("normalise" where
    the code says `normalize`, "tokenizer" where it says `Tokeniser`), else the word it was misspelt for; df holds the
    search words' and their spellings' counts."""
    typed = _typed(terms)
    text = terms.typed.lower() or terms.text.lower()
    english = not looks_non_english(terms.typed or terms.text)  # Spanish "recursos" is no slip of `recursion` (probe 95)

    def slip_of(word: str) -> str | None:
        """The word word was misspelt for, looked for once per catalog version (both branches below ask); none for a
        name's words joined as code writes them (`parse_url` as "parseurl", which is no slip of "parser"), nor for a
        word of a question in another language, whose words the English word list does not hold."""
        as_typed = typed.get(word, word)
        if as_typed not in text or not english:
            return None
        return _remembered(catalog, ("slip", word, as_typed), lambda: misspelt(catalog, word, as_typed))

    out: dict[str, str] = {}
    for word in terms.search_words:
        if df.get(word):  # said, but maybe only where the slip was copied (commons-csv's testDelimeterQuoted: probe 74)
            # (but a longer word of it is no slip: "decode" said in a unit or two, `decoder` in many: probe 100)
            if df[word] <= RARE_SLIP and (slip := slip_of(word)) and not slip.startswith(word):
                if catalog.lexical_stats((slip,))[1][slip] >= SLIP_COMMONER * df[word]:
                    out[word] = slip  # searched beside the word: both spellings' code is found
            continue
        whole = typed.get(word, word).lower()
        if whole != word and whole.isalpha() and _said(catalog, whole):  # "opcode": the code writes `OpCode`, whose
            out[word] = whole  # whole word the index keeps unstemmed (`opcod` is none of its words): no slip (probe 170)
            continue
        other = other_spelling(word)
        if other and other not in df:  # a caller that counted the search words alone (the words' coverage)
            df[other] = catalog.lexical_stats((other,))[1][other]
        if other and df.get(other):
            out[word] = other
        elif english and (verb := _remembered(catalog, ("agent", word), lambda w=word: agent_verb(catalog, w))):
            out[word] = verb
        elif english and _a_word(typed.get(word, word).lower()) and (noun := _remembered(
                catalog, ("noun", word), lambda w=word: action_noun(catalog, w))):
            out[word] = noun  # before a slip: "compress" where the code says compression is no slip of `compares`
        elif (slip := slip_of(word)) is not None:  # (probe 204); a word no English one is a slip first ("expird" of
            out[word] = slip  # `expired`, not `expiration`: probe 281), and its noun only where it is none
        elif english and (noun := _remembered(catalog, ("noun", word), lambda w=word: action_noun(catalog, w))):
            out[word] = noun
        elif not english and (same := _remembered(catalog, ("cognate", word),
                                                  lambda w=word: cognate(catalog, w, typed.get(w, w)))):
            out[word] = same
    return out


def read_as(catalog: Catalog, terms: QueryTerms) -> dict[str, str]:
    """word as typed -> the code's word the words list searched for too (a slip: "durtion" -> "duration"; a verb's
    noun: "coerce" -> "coercion"), what a note tells the user; a stem as the code's word it was cut from ("upgrde" ->
    "upgrade", not `upgrad`). Other spellings (colour, color) go unsaid."""
    if not terms.search_words:
        return {}
    typed = _typed(terms)
    _, df, _ = catalog.lexical_stats(terms.search_words)
    meant = stand_ins(catalog, terms, df)
    out = {typed.get(w, w): _as_written(catalog, o, typed.get(w, w).lower())
           for w, o in meant.items() if o not in (american(w), british(w)) and o != typed.get(w, w).lower()}
    cased = {token.lower(): token for token in terms.tokens}  # said as typed: `writeClassAndObjekt` (probe 204)
    return {cased.get(w, w): o for w, o in (out | _cut_short(catalog, terms, typed, df)).items()}


def _cut_short(catalog: Catalog, terms: QueryTerms, typed: dict[str, str], df: dict[str, int]) -> dict[str, str]:
    """word as typed -> the code's word, for a slip whose stem the code says: a word typed without its last letter that
    is that word's stem ("befor", "updat", "delet": probe 163), or one the code never writes whose stem it does, a slip
    from one of its forms ("recursivly": recursively, inside a question: probe 172). The words list finds the stem; the
    model read the slip. Not for an English word, an inflection of the code's word ("callbacks": `callback`), or a
    question in another language."""
    if looks_non_english(terms.typed or terms.text):
        return {}
    text = terms.typed.lower() or terms.text.lower()
    out: dict[str, str] = {}
    for word in terms.search_words:
        whole = typed.get(word, word).lower()
        if (len(word) < MISSPELT_FROM - 1 or not word.isalpha() or not df.get(word) or whole not in text
                or not whole.isalpha() or _a_word(whole)):
            continue
        if whole == word:
            written = _as_written(catalog, word)
            if written == word + "e":  # the stemmer's cut: "users" is no slip of "user"
                out[typed.get(word, word)] = written
        elif len(whole) >= MISSPELT_FROM and not _said(catalog, whole):
            written = _as_written(catalog, word, whole)
            if not (written.startswith(whole) or whole.startswith(written)) and slips(whole, written, 1) <= 1:
                out[typed.get(word, word)] = written
    return out


def _said(catalog: Catalog, word: str) -> bool:
    """Whether the index holds word as one of its words, asked once per catalog version."""
    return _remembered(catalog, ("said", word), lambda: bool(catalog.lexical_stats((word,))[1][word]))


def spelt_right(catalog: Catalog, terms: QueryTerms) -> str:
    """The question's text with each typing slip the code's word reads it as put right, what the model reads
    ("genrate a random uuid strng" put NewString 16th by meaning, 2nd spelt right: probe 91); a word meant as typed
    (English, or read as its noun or root) stays."""
    slips = {typed: meant for typed, meant in read_as(catalog, terms).items() if not _a_word(typed.lower())}
    text = terms.text
    for typed, meant in slips.items():
        text = re.sub(rf"(?<![\w$]){re.escape(typed)}(?![\w$])", meant, text, flags=re.IGNORECASE)
    return text


def _as_written(catalog: Catalog, word: str, typed: str = "") -> str:
    """A stem as the code writes its word, its shortest word of that stem: `upgrad` as upgrade, `pars` as parse,
    `alia` as alias (the note showed "upgrad…", and "delimiter…", "regexp…" for words the code writes so: probes 71,
    73, 74), unless the code writes the stem itself; an English stem the code never writes alone as the word it
    writes (`trail` as trailing: commons-csv's "trailling" was said as "trail", probe 113)."""
    counts = dict(catalog.words_with_prefix(word[:-1] if word.endswith("y") else word))  # `identity` with
    # `identities`, which does not begin with it (`ParseIdentites` was read as ParseIdentity: probe 276)
    written = {w: n for w, n in counts.items() if w != word and w.isalpha() and stem(w) == word}
    alone = counts.get(word, 0) > sum(written.values())  # more units hold the stem than write its other forms: some
    # write it as it is (`Wrap`, `Compress`; "wrapp" was said as "wraps": probe 97)
    if typed and written:  # the form nearest the word typed ("oldst": oldest, not `older`: probe 166; "descriptrs":
        # descriptors, not the `descriptor` more units say: probe 254), the stem among them only where the code writes
        # it so ("tabla" is no `tabl`: probe 258; "mountd" is `mounted`), then the usual
        forms = written | ({word: counts[word]} if alone else {})
        return min(forms, key=lambda w: (slips(typed, w, len(w)), -forms[w], len(w), w))
    if alone:
        return word
    return min(written, key=lambda w: (len(w), w)) if written else word


def _typed(terms: QueryTerms) -> dict[str, str]:
    """A question's search words (stems) -> the words as typed: what a misspelling is judged and said by."""
    return {stem(w): w for w in terms.words}


_ACTION_NOUN = re.compile(r"(?:ion|ions)$")


def action_noun(catalog: Catalog, word: str) -> str | None:
    """The code's noun of a verb it never says ("coerce": `simpleValueCoercion`, "extend": extension; probe 68), the
    most common word that begins as the verb's stem less its last letter and ends in -ion; None for a short word.
    (Nouns and verbs stay apart where the code says both: merged always, that cost the tuning half.)"""
    if len(word) < MISSPELT_FROM or not word.isalpha() or _ACTION_NOUN.search(word):
        return None
    root = word[:-1]
    found = [(-n, other) for other, n in catalog.words_with_prefix(root)
             if other[len(root):] in _NOUN_ENDINGS and other not in _MODULE_NAMES]  # `import collections` is no
    # noun of "collect" (environs' imports came first for "collect all validation errors": probe 154)
    return min(found)[1] if found else None


_DOER = re.compile(r"(?<=[a-z]{4})(?:or|er)$")  # a doer's ending, spelt -or or -er (convertor, converter; adaptor)


def doer_spelt_otherwise(word: str) -> str:
    """A word ending as a doer spelt with the other ending ("convertor": converter, "adapter": adaptor), both
    English; the word itself for any other."""
    return _DOER.sub(lambda m: "er" if m.group() == "or" else "or", word)


def agent_verb(catalog: Catalog, word: str) -> str | None:
    """The code's verb of a doer it never says ("autoloader" where the code says `autoload`, "serializer" for
    `serialize`, "validator" for `validate`: probe 146), the word's stem less -er or -or when the code says it; None
    for a short word or root, and for an English word (english.txt: counter, pointer, header are things)."""
    if len(word) < MISSPELT_FROM + 1 or not word.isalpha() or not word.endswith(("er", "or")) or _a_word(word):
        return None  # an English word is a thing of its own: a program "counter" is no `count` (probe 156)
    root = word[:-2]
    return root if len(root) >= AGENT_ROOT_MIN and catalog.lexical_stats((root,))[1][root] else None


AGENT_ROOT_MIN = 4  # "user" is no doer of `us`, "layer" none of `lay`

# how a European language spells a word the code writes in English: its ending (a noun of action, a verb's infinitive,
# a plain ending) and what the English word ends in instead
_COGNATE_ENDINGS = (("cion", "tion"), ("cion", "ction"), ("ierung", "ation"), ("isieren", "ize"), ("ieren", ""),
                    ("itat", "ity"), ("idad", "ity"), ("ar", "ate"), ("ar", ""), ("er", ""), ("ir", ""), ("en", ""),
                    ("a", ""), ("o", ""), ("e", ""))


# words spelt like an English word of code that mean another thing (Spanish "guardar" is save, not guard; "archivo" a
# file, not an archive; "largo" long, not large; German "Fabrik" a factory, "Marke" a brand: review; "Zeilen" lines,
# not `ceil`)
_FALSE_FRIENDS = frozenset({"guardar", "archivo", "archivos", "largo", "larga", "carpeta", "libreria", "actual",
                            "actualmente", "exito", "soportar", "realizar", "introducir", "contestar", "resumen",
                            "direccion", "sensible", "lectura", "recordar", "suceso", "fabrik", "marke", "aktuell",
                            "eventuell", "konsequent", "kontrollieren", "rente", "termin", "taste", "tasten", "zeile",
                            "zeilen", "muster", "musters", "mustern"})  # Muster: a pattern, no `must` (probe 284)


def cognate(catalog: Catalog, word: str, typed: str = "") -> str | None:
    """The code's English word a word of a question in another language is the same word as, spelt its way: German's
    k and z for c ("Transaktion": transaction, "Prozess": process, "Klasse": class), Spanish's -ción and -ar
    ("validación": validation, "serializar": serialize), a plain ending ("Methode", "mapa"); the most common the code
    says, None for a short word as typed (its stem may be shorter: "Zelle", `zell`) or none said (probe 205:
    "Transaktion" met nothing)."""
    typed = (typed or word).lower()
    if len(typed) < MISSPELT_FROM or not word.isalpha() or word in _FALSE_FRIENDS or typed in _FALSE_FRIENDS:
        return None
    spellings = {word, word.replace("k", "c")}
    spellings |= {w.replace("z", "c") for w in spellings}
    forms = {w[: len(w) - len(end)] + to for w in spellings for end, to in _COGNATE_ENDINGS
             if w.endswith(end) and len(w) - len(end) >= AGENT_ROOT_MIN} | spellings
    stems = tuple(sorted({stem(f) for f in forms} - {word}))
    said = catalog.lexical_stats(stems)[1] if stems else {}
    found = [(-said[w], w) for w in stems if said.get(w)]
    return min(found)[1] if found else None


_MODULE_NAMES = frozenset(sys.stdlib_module_names) | frozenset(stem(m) for m in sys.stdlib_module_names)


# what a verb's stem less its last letter becomes as its noun of action: coerc-e coer-cion, valida-t valida-tion,
# exten-d exten-sion; not an adjective's (positiv-e is no posit-ion, relativ-e no relat-ion)
_NOUN_ENDINGS = frozenset({"ion", "ions", "tion", "tions", "sion", "sions", "cion", "cions", "ation", "ations"})


def idf(units: int, holding: int) -> float:
    """Lucene's BM25 idf: never negative, high for rare words."""
    return math.log(1.0 + (units - holding + 0.5) / (holding + 0.5))


def count(words: str, word: str) -> int:
    """How often a word occurs in a field's space-separated words."""
    return f" {words} ".count(f" {word} ")


# A query term: its words, each with the share of a count it adds (a word alone: ((word, 1.0),)), and its idf.
Term = tuple[tuple[tuple[str, float], ...], float]


def score(fields: tuple[str, ...], terms: list[Term], means: tuple[float, ...], p: Bm25) -> float:
    """One unit's BM25F score for query terms weighted by idf."""
    lengths = [f.count(" ") + 1 if f else 0 for f in fields]
    norms = [1.0 - b + b * (n / m if m else 1.0) for n, m, b in zip(lengths, means, p.b)]
    total = 0.0
    for words, w in terms:
        tf = sum(fw * sum(share * count(f, word) for word, share in words) / norm
                 for f, fw, norm in zip(fields, p.weights, norms) if fw and f)
        if tf:
            total += w * tf / (p.k1 + tf)
    return total


def _short_forms(word: str) -> tuple[str, ...]:
    """The stems of a word's usual abbreviations (and of what it abbreviates): what a question spelling it meets."""
    return tuple(a for _, short in abbreviations((word,)) for a in short)


def usable_abbreviations(terms: QueryTerms, units: int, df: dict[str, int], p: Bm25) -> dict[str, tuple[str, ...]]:
    """word -> its abbreviations that may stand for it here (none when off; none held by more than
    abbreviation_max_share of the units)."""
    if p.abbreviation_weight <= 0:
        return {}
    kept = {word: tuple(a for a in short if _rare_enough(a, units, df, p)) for word, short in terms.abbreviations}
    return {word: short for word, short in kept.items() if short}


def _rare_enough(short: str, units: int, df: dict[str, int], p: Bm25) -> bool:
    """Whether an abbreviation is held by few enough units to stand for its word (abbreviation_max_share)."""
    return df.get(short, 0) <= p.abbreviation_max_share * units


def query_terms(terms: QueryTerms, units: int, df: dict[str, int], p: Bm25,
                short: dict[str, tuple[str, ...]] | None = None) -> list[Term]:
    """The search words as BM25 terms: a word with abbreviations (short; default usable_abbreviations) is one term
    with them (counts summed, each abbreviation's at abbreviation_weight; the idf of the group's most common word,
    as Lucene weighs synonyms)."""
    short = usable_abbreviations(terms, units, df, p) if short is None else short
    out: list[Term] = []
    for word in terms.search_words:
        group = ((word, 1.0),) + tuple((a, p.abbreviation_weight) for a in short.get(word, ()))
        if p.abbreviation_synonyms:
            out.append((group, idf(units, max(df.get(x, 0) for x, _ in group))))
        else:
            out.extend((((x, 1.0),), share * idf(units, df.get(x, 0))) for x, share in group)
    return out


def search(catalog: Catalog, terms: QueryTerms, n: int, languages: list[str] | None,
           allowed: set[int] | None, p: Bm25) -> list[tuple[int, float]]:
    """Top n (id, BM25F score) for the query's search words (and their abbreviations), under the language and id filters."""
    words = terms.search_words
    if not words:
        return []
    every = tuple(a for _, short in terms.abbreviations for a in short) if p.abbreviation_weight > 0 else ()
    spelled = {w: (other,) for w in words if (other := other_spelling(w))}
    negated = terms.negated  # "not handled": the code's `unhandled` joins "handled"
    alike = {w: spelled.get(w, ()) + negated.get(w, ()) for w in sorted({*spelled, *negated} & set(words))}
    units, df, means = catalog.lexical_stats(tuple(dict.fromkeys(words + every + sum(spelled.values(), ())
                                                                  + sum(negated.values(), ()))))
    short = usable_abbreviations(terms, units, df, p)
    for word, others in alike.items():  # the code's other spelling joins the word, whether or not the code says the
        for other in others:  # word too ("normalise" for `normalize`; jsoup writes both normalize and
            if df.get(other) and other not in short.get(word, ()) and other != word:  # normaliseWhitespace: probe 69)
                short[word] = short.get(word, ()) + (other,)
    for word, other in stand_ins(catalog, terms, df).items():  # a slip's word, a verb's noun stands in, with its
        more = (other, *(_short_forms(other) if p.abbreviation_weight > 0 else ()))  # abbreviations ("paramters":
        fresh = tuple(x for x in dict.fromkeys(more) if x not in short.get(word, ()) and x != word)  # param: probe 109)
        df.update(catalog.lexical_stats(tuple(x for x in fresh if x not in df))[1])
        short[word] = short.get(word, ()) + tuple(x for x in fresh if x == other or _rare_enough(x, units, df, p))
    own = tuple(f for w, forms in negated.items() if w not in words for f in forms if df.get(f))  # "not handled"
    words = tuple(dict.fromkeys(words + own + tuple(a for kept in short.values() for a in kept)))
    limit = max(p.candidates, 4 * n)
    while True:
        found = catalog.lexical(words, limit, languages)
        near = catalog.lexical(words, limit, languages, fields=FIELDS[:3])
        ids = [i for i in dict.fromkeys(found + near) if allowed is None or i in allowed]
        if len(ids) >= limit // 2 or (len(found) < limit and len(near) < limit):
            break
        limit *= 4  # a filter kept too few: ask FTS5 for more
    weighted = query_terms(terms, units, df, p, short)
    if own:  # the negation's forms the code says, one term (`unhandled` where "handled" is no search word)
        weighted.append((tuple((f, 1.0) for f in own), idf(units, max(df[f] for f in own))))
    texts = catalog.lexical_fields(ids)
    scored = [(i, score(texts[i], weighted, means, p)) for i in ids if i in texts]
    scored.sort(key=lambda t: (-t[1], t[0]))
    return [(i, round(s, 6)) for i, s in scored[:n] if s > 0]
