"""Text analysis shared by both search backends.

Search runs either on Elasticsearch 8.19 or on the database (SQLite FTS5 / PostgreSQL
full-text), and both must answer a query the same way.  So text analysis is defined
once, here, as data: each *step* has a Python implementation and the Elasticsearch
token filter it corresponds to, and each *analyzer* is a list of step names.
:func:`elasticsearch_analysis` turns the same data into index settings, and
:func:`analyze` runs it in Python to produce the tokens the database backend stores
and queries with.  docs/search-analysis.md documents every analyzer.

Analyzers (names are part of the index mapping; keep them stable):

``kb_<lang>``         standard tokenizer -> lowercase -> stem_<lang> -> asciifolding
``kb_<lang>_folded``  standard tokenizer -> lowercase -> asciifolding -> stem_<lang>
``kb_plain``          standard tokenizer -> lowercase -> asciifolding

Python equivalents of Elasticsearch's pieces:

* ``standard`` tokenizer (Lucene ``StandardTokenizer``, UAX#29 word boundaries,
  ``max_token_length`` 255): one regular expression built from Unicode properties,
  following Lucene's grammar (``StandardTokenizerImpl.jflex``); see :func:`tokenize`.
* ``lowercase`` (Lucene ``LowerCaseFilter``: ``Character.toLowerCase`` per code
  point): :meth:`str.lower` with the two places where Python's full case mapping differs
  from Java's simple one corrected (``İ`` and final ``Σ``).
* ``asciifolding`` (Lucene ``ASCIIFoldingFilter``): Lucene's own mapping table,
  carried below as data (:data:`_ASCII_FOLDING`); see :func:`fold`.
* ``stemmer`` filters: PyStemmer (libstemmer, the Snowball algorithms Lucene also
  generates its stemmers from) and ``LatvianStemmer`` (a port of Lucene's
  ``LatvianStemmer``).

Nothing here imports Django: the module can be used (and tested) on its own.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import LatvianStemmer
import Stemmer

__all__ = [
    "ANALYZERS",
    "LOCALES",
    "MAX_TOKEN_LENGTH",
    "STEPS",
    "VARIANTS",
    "Step",
    "analyze",
    "analyzer_name",
    "elasticsearch_analysis",
    "fold",
    "lowercase",
    "tokenize",
]

#: The site's languages, in the order the site lists them.
LOCALES = ("en", "lv", "fi", "et", "da", "sv")

#: Analyzer variants: ``stemmed`` -> ``kb_<lang>``, ``folded`` -> ``kb_<lang>_folded``,
#: ``plain`` -> ``kb_plain`` (the same for every language).
VARIANTS = ("stemmed", "folded", "plain")

#: Elasticsearch's ``standard`` tokenizer default: longer tokens are split into pieces
#: of at most this many UTF-16 code units.
MAX_TOKEN_LENGTH = 255

PLAIN_ANALYZER = "kb_plain"


# ---------------------------------------------------------------------------
# lowercase  <->  Elasticsearch "lowercase" (Lucene LowerCaseFilter)
# ---------------------------------------------------------------------------

# Java's Character.toLowerCase maps code point to code point.  Python's str.lower()
# uses Unicode's full mapping, which differs in exactly two places: U+0130 (İ) becomes
# "i" + U+0307 and a word-final Σ becomes ς.  Replacing both first gives Java's result.
_JAVA_LOWER_FIXES = str.maketrans({"\u0130": "i", "\u03a3": "\u03c3"})


def lowercase(text: str) -> str:
    """Lower-case *text* the way Lucene's ``LowerCaseFilter`` does."""
    if "\u0130" in text or "\u03a3" in text:
        text = text.translate(_JAVA_LOWER_FIXES)
    return text.lower()


# ---------------------------------------------------------------------------
# asciifolding  <->  Elasticsearch "asciifolding" (Lucene ASCIIFoldingFilter)
# ---------------------------------------------------------------------------

# Lucene's ASCIIFoldingFilter mapping (org.apache.lucene.analysis.miscellaneous,
# unchanged since Lucene 4, the same in Lucene 9.12 which Elasticsearch 8.19 runs),
# grouped by replacement: every character in the second string becomes the first.
# Characters not listed are left alone, as Lucene does (so Cyrillic й or Greek ά are not
# folded, unlike a Unicode NFKD decomposition would).  Lucene's quirks are kept on
# purpose: ǥ ǧ fold to upper-case "G", small capitals such as ᴀ to upper-case letters.
_ASCII_FOLDING = (
    ("A", "ÀÁÂÃÄÅĀĂĄƏǍǞǠǺȀȂȦȺᴀḀẠẢẤẦẨẪẬẮẰẲẴẶⒶＡ"),
    ("a", "àáâãäåāăąǎǟǡǻȁȃȧɐəɚᶏᶕḁẚạảấầẩẫậắằẳẵặₐₔⓐⱥⱯａ"),
    ("AA", "Ꜳ"),
    ("AE", "ÆǢǼᴁ"),
    ("AO", "Ꜵ"),
    ("AU", "Ꜷ"),
    ("AV", "ꜸꜺ"),
    ("AY", "Ꜽ"),
    ("(a)", "⒜"),
    ("aa", "ꜳ"),
    ("ae", "æǣǽᴂ"),
    ("ao", "ꜵ"),
    ("au", "ꜷ"),
    ("av", "ꜹꜻ"),
    ("ay", "ꜽ"),
    ("B", "ƁƂɃʙᴃḂḄḆⒷＢ"),
    ("b", "ƀƃɓᵬᶀḃḅḇⓑｂ"),
    ("(b)", "⒝"),
    ("C", "ÇĆĈĊČƇȻʗᴄḈⒸＣ"),
    ("c", "çćĉċčƈȼɕḉↄⓒꜾꜿｃ"),
    ("(c)", "⒞"),
    ("D", "ÐĎĐƉƊƋᴅᴆḊḌḎḐḒⒹꝹＤ"),
    ("d", "ðďđƌȡɖɗᵭᶁᶑḋḍḏḑḓⓓꝺｄ"),
    ("DZ", "ǄǱ"),
    ("Dz", "ǅǲ"),
    ("(d)", "⒟"),
    ("db", "ȸ"),
    ("dz", "ǆǳʣʥ"),
    ("E", "ÈÉÊËĒĔĖĘĚƎƐȄȆȨɆᴇḔḖḘḚḜẸẺẼẾỀỂỄỆⒺⱻＥ"),
    ("e", "èéêëēĕėęěǝȅȇȩɇɘɛɜɝɞʚᴈᶒᶓᶔḕḗḙḛḝẹẻẽếềểễệₑⓔⱸｅ"),
    ("(e)", "⒠"),
    ("F", "ƑḞⒻꜰꝻꟻＦ"),
    ("f", "ƒᵮᶂḟẛⓕꝼｆ"),
    ("(f)", "⒡"),
    ("ff", "ﬀ"),
    ("ffi", "ﬃ"),
    ("ffl", "ﬄ"),
    ("fi", "ﬁ"),
    ("fl", "ﬂ"),
    ("G", "ĜĞĠĢƓǤǥǦǧǴɢʛḠⒼꝽꝾＧ"),
    ("g", "ĝğġģǵɠɡᵷᵹᶃḡⓖꝿｇ"),
    ("(g)", "⒢"),
    ("H", "ĤĦȞʜḢḤḦḨḪⒽⱧⱵＨ"),
    ("h", "ĥħȟɥɦʮʯḣḥḧḩḫẖⓗⱨⱶｈ"),
    ("HV", "Ƕ"),
    ("(h)", "⒣"),
    ("hv", "ƕ"),
    ("I", "ÌÍÎÏĨĪĬĮİƖƗǏȈȊɪᵻḬḮỈỊⒾꟾＩ"),
    ("i", "ìíîïĩīĭįıǐȉȋɨᴉᵢᵼᶖḭḯỉịⁱⓘｉ"),
    ("IJ", "Ĳ"),
    ("(i)", "⒤"),
    ("ij", "ĳ"),
    ("J", "ĴɈᴊⒿＪ"),
    ("j", "ĵǰȷɉɟʄʝⓙⱼｊ"),
    ("(j)", "⒥"),
    ("K", "ĶƘǨᴋḰḲḴⓀⱩꝀꝂꝄＫ"),
    ("k", "ķƙǩʞᶄḱḳḵⓚⱪꝁꝃꝅｋ"),
    ("(k)", "⒦"),
    ("L", "ĹĻĽĿŁȽʟᴌḶḸḺḼⓁⱠⱢꝆꝈꞀＬ"),
    ("l", "ĺļľŀłƚȴɫɬɭᶅḷḹḻḽⓛⱡꝇꝉꞁｌ"),
    ("LJ", "Ǉ"),
    ("LL", "Ỻ"),
    ("Lj", "ǈ"),
    ("(l)", "⒧"),
    ("lj", "ǉ"),
    ("ll", "ỻ"),
    ("ls", "ʪ"),
    ("lz", "ʫ"),
    ("M", "ƜᴍḾṀṂⓂⱮꟽꟿＭ"),
    ("m", "ɯɰɱᵯᶆḿṁṃⓜｍ"),
    ("(m)", "⒨"),
    ("N", "ÑŃŅŇŊƝǸȠɴᴎṄṆṈṊⓃＮ"),
    ("n", "ñńņňŉŋƞǹȵɲɳᵰᶇṅṇṉṋⁿⓝｎ"),
    ("NJ", "Ǌ"),
    ("Nj", "ǋ"),
    ("(n)", "⒩"),
    ("nj", "ǌ"),
    ("O", "ÒÓÔÕÖØŌŎŐƆƟƠǑǪǬǾȌȎȪȬȮȰᴏᴐṌṎṐṒỌỎỐỒỔỖỘỚỜỞỠỢⓄꝊꝌＯ"),
    ("o", "òóôõöøōŏőơǒǫǭǿȍȏȫȭȯȱɔɵᴖᴗᶗṍṏṑṓọỏốồổỗộớờởỡợₒⓞⱺꝋꝍｏ"),
    ("OE", "Œɶ"),
    ("OO", "Ꝏ"),
    ("OU", "Ȣᴕ"),
    ("(o)", "⒪"),
    ("oe", "œᴔ"),
    ("oo", "ꝏ"),
    ("ou", "ȣ"),
    ("P", "ƤᴘṔṖⓅⱣꝐꝒꝔＰ"),
    ("p", "ƥᵱᵽᶈṕṗⓟꝑꝓꝕꟼｐ"),
    ("(p)", "⒫"),
    ("Q", "ɊⓆꝖꝘＱ"),
    ("q", "ĸɋʠⓠꝗꝙｑ"),
    ("(q)", "⒬"),
    ("qp", "ȹ"),
    ("R", "ŔŖŘȐȒɌʀʁᴙᴚṘṚṜṞⓇⱤꝚꞂＲ"),
    ("r", "ŕŗřȑȓɍɼɽɾɿᵣᵲᵳᶉṙṛṝṟⓡꝛꞃｒ"),
    ("(r)", "⒭"),
    ("S", "ŚŜŞŠȘṠṢṤṦṨⓈꜱꞅＳ"),
    ("s", "śŝşšſșȿʂᵴᶊṡṣṥṧṩẜẝⓢꞄｓ"),
    ("SS", "ẞ"),
    ("(s)", "⒮"),
    ("ss", "ß"),
    ("st", "ﬆ"),
    ("T", "ŢŤŦƬƮȚȾᴛṪṬṮṰⓉꞆＴ"),
    ("t", "ţťŧƫƭțȶʇʈᵵṫṭṯṱẗⓣⱦｔ"),
    ("TH", "ÞꝦ"),
    ("TZ", "Ꜩ"),
    ("(t)", "⒯"),
    ("tc", "ʨ"),
    ("th", "þᵺꝧ"),
    ("ts", "ʦ"),
    ("tz", "ꜩ"),
    ("U", "ÙÚÛÜŨŪŬŮŰŲƯǓǕǗǙǛȔȖɄᴜᵾṲṴṶṸṺỤỦỨỪỬỮỰⓊＵ"),
    ("u", "ùúûüũūŭůűųưǔǖǘǚǜȕȗʉᵤᶙṳṵṷṹṻụủứừửữựⓤｕ"),
    ("(u)", "⒰"),
    ("ue", "ᵫ"),
    ("V", "ƲɅᴠṼṾỼⓋꝞꝨＶ"),
    ("v", "ʋʌᵥᶌṽṿⓥⱱⱴꝟｖ"),
    ("VY", "Ꝡ"),
    ("(v)", "⒱"),
    ("vy", "ꝡ"),
    ("W", "ŴǷᴡẀẂẄẆẈⓌⱲＷ"),
    ("w", "ŵƿʍẁẃẅẇẉẘⓦⱳｗ"),
    ("(w)", "⒲"),
    ("X", "ẊẌⓍＸ"),
    ("x", "ᶍẋẍₓⓧｘ"),
    ("(x)", "⒳"),
    ("Y", "ÝŶŸƳȲɎʏẎỲỴỶỸỾⓎＹ"),
    ("y", "ýÿŷƴȳɏʎẏẙỳỵỷỹỿⓨｙ"),
    ("(y)", "⒴"),
    ("Z", "ŹŻŽƵȜȤᴢẐẒẔⓏⱫꝢＺ"),
    ("z", "źżžƶȝȥɀʐʑᵶᶎẑẓẕⓩⱬꝣｚ"),
    ("(z)", "⒵"),
    ("0", "⁰₀⓪⓿０"),
    ("1", "¹₁①⓵❶➀➊１"),
    ("1.", "⒈"),
    ("(1)", "⑴"),
    ("2", "²₂②⓶❷➁➋２"),
    ("2.", "⒉"),
    ("(2)", "⑵"),
    ("3", "³₃③⓷❸➂➌３"),
    ("3.", "⒊"),
    ("(3)", "⑶"),
    ("4", "⁴₄④⓸❹➃➍４"),
    ("4.", "⒋"),
    ("(4)", "⑷"),
    ("5", "⁵₅⑤⓹❺➄➎５"),
    ("5.", "⒌"),
    ("(5)", "⑸"),
    ("6", "⁶₆⑥⓺❻➅➏６"),
    ("6.", "⒍"),
    ("(6)", "⑹"),
    ("7", "⁷₇⑦⓻❼➆➐７"),
    ("7.", "⒎"),
    ("(7)", "⑺"),
    ("8", "⁸₈⑧⓼❽➇➑８"),
    ("8.", "⒏"),
    ("(8)", "⑻"),
    ("9", "⁹₉⑨⓽❾➈➒９"),
    ("9.", "⒐"),
    ("(9)", "⑼"),
    ("10", "⑩⓾❿➉➓"),
    ("10.", "⒑"),
    ("(10)", "⑽"),
    ("11", "⑪⓫"),
    ("11.", "⒒"),
    ("(11)", "⑾"),
    ("12", "⑫⓬"),
    ("12.", "⒓"),
    ("(12)", "⑿"),
    ("13", "⑬⓭"),
    ("13.", "⒔"),
    ("(13)", "⒀"),
    ("14", "⑭⓮"),
    ("14.", "⒕"),
    ("(14)", "⒁"),
    ("15", "⑮⓯"),
    ("15.", "⒖"),
    ("(15)", "⒂"),
    ("16", "⑯⓰"),
    ("16.", "⒗"),
    ("(16)", "⒃"),
    ("17", "⑰⓱"),
    ("17.", "⒘"),
    ("(17)", "⒄"),
    ("18", "⑱⓲"),
    ("18.", "⒙"),
    ("(18)", "⒅"),
    ("19", "⑲⓳"),
    ("19.", "⒚"),
    ("(19)", "⒆"),
    ("20", "⑳⓴"),
    ("20.", "⒛"),
    ("(20)", "⒇"),
    ('"', "«»“”„″‶❝❞❮❯＂"),
    ("'", "‘’‚‛′‵‹›❛❜＇"),
    ("-", "‐‑‒–—⁻₋－"),
    ("[", "⁅❲［"),
    ("]", "⁆❳］"),
    ("(", "⁽₍❨❪（"),
    ("((", "⸨"),
    (")", "⁾₎❩❫）"),
    ("))", "⸩"),
    ("<", "❬❰＜"),
    (">", "❭❱＞"),
    ("{", "❴｛"),
    ("}", "❵｝"),
    ("+", "⁺₊＋"),
    ("=", "⁼₌＝"),
    ("!", "！"),
    ("!!", "‼"),
    ("!?", "⁉"),
    ("#", "＃"),
    ("$", "＄"),
    ("%", "⁒％"),
    ("&", "＆"),
    ("*", "⁎＊"),
    (",", "，"),
    (".", "．"),
    ("/", "⁄／"),
    (":", "："),
    (";", "⁏；"),
    ("?", "？"),
    ("??", "⁇"),
    ("?!", "⁈"),
    ("@", "＠"),
    ("\\", "＼"),
    ("^", "‸＾"),
    ("_", "＿"),
    ("~", "⁓～"),
)

_FOLD_TABLE: dict[int, str] = {
    ord(char): replacement for replacement, chars in _ASCII_FOLDING for char in chars
}


def fold(text: str) -> str:
    """Fold *text* to ASCII the way Lucene's ``ASCIIFoldingFilter`` does.

    Only characters in Lucene's table change (``ā`` -> ``a``, ``æ`` -> ``ae``,
    ``ø`` -> ``o``, ``ß`` -> ``ss``, ``þ`` -> ``th`` ...); case is kept and nothing is
    tokenized.  ``fold("Dzīvā bibliotēka") == "Dziva biblioteka"``.
    """
    if text.isascii():
        return text
    return text.translate(_FOLD_TABLE)


# ---------------------------------------------------------------------------
# standard tokenizer  <->  Elasticsearch "standard" (Lucene StandardTokenizer)
# ---------------------------------------------------------------------------
#
# Lucene's StandardTokenizer implements the word-boundary rules of Unicode UAX#29
# (Unicode 9 character tables, emoji data 11) and emits the segments that contain
# letters, digits, ideographs or emoji.  The regular expression below follows its
# grammar (StandardTokenizerImpl.jflex) rule by rule:
#
#   WORD   letters and digits, joined across MidLetter (' . : · ’) between letters,
#          MidNum (, ; . ’) between digits and ExtendNumLet (_) anywhere; so
#          "don't", "e.g", "3.14", "1,000", "snake_case", "v1.2" stay whole while
#          "e-mail" and "AND-NEAR" split at the hyphen.
#   KATAKANA and HANGUL runs, SOUTHEAST_ASIAN runs (Thai, Lao, Myanmar, Khmer ...
#          kept whole), one token per Han ideograph and per hiragana character.
#   EMOJI  emoji and emoji sequences (ZWJ sequences, skin tones, flags, keycaps).
#
# Everything else (spaces, punctuation, symbols, controls such as NUL) separates tokens
# and is dropped.  Combining marks and format characters (UAX#29 Extend/Format: U+0301,
# U+00AD soft hyphen ...) belong to the character before them (rule WB4): they are
# taken out before matching and put back into the token they follow.  Tokens longer
# than 255 UTF-16 code units are cut into pieces, as Lucene does (max_token_length).
#
# Python's unicodedata stands in for Lucene's tables; the few character sets it cannot
# name are listed here.  Ranges are inclusive.  All of it was checked against Lucene 9's
# StandardTokenizer for every assigned code point below U+32400.

_KATAKANA = (
    (0x3031, 0x3035),
    (0x309B, 0x309C),
    (0x30A0, 0x30FA),
    (0x30FC, 0x30FF),
    (0x31F0, 0x31FF),
    (0x32D0, 0x32FE),
    (0x3300, 0x3357),
    (0xFF66, 0xFF9D),
    (0x1B000, 0x1B000),
    (0x1B164, 0x1B167),
)
# Han and hiragana: one token per character.
_HAN = (
    (0x2E80, 0x2E99),
    (0x2E9B, 0x2EF3),
    (0x2F00, 0x2FD5),
    (0x3007, 0x3007),
    (0x3021, 0x3029),
    (0x3038, 0x303A),
    (0x3400, 0x4DB5),
    (0x4E00, 0x9FEF),
    (0xF900, 0xFA6D),
    (0xFA70, 0xFAD9),
    (0x20000, 0x2A6D6),
    (0x2A700, 0x2B734),
    (0x2B740, 0x2B81D),
    (0x2B820, 0x2CEA1),
    (0x2CEB0, 0x2EBE0),
    (0x2F800, 0x2FA1D),
)
_HIRAGANA = (
    (0x3041, 0x3096),
    (0x309D, 0x309F),
    (0x1B001, 0x1B11E),
    (0x1B150, 0x1B152),
    (0x1F200, 0x1F200),
)
# Line_Break=Complex_Context: Thai, Lao, Myanmar, Khmer, Tai Le, New Tai Lue, Tai Tham,
# Tai Viet, Ahom.  Their letters and the signs below form one token per run.
_SOUTHEAST_ASIAN = (
    (0x0E00, 0x0EFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
    (0x1950, 0x19DF),
    (0x1A20, 0x1A7E),
    (0x1A80, 0x1AAF),
    (0xA9E0, 0xA9FF),
    (0xAA60, 0xAADF),
    (0x11700, 0x1174F),
)
_SOUTHEAST_ASIAN_SIGNS = (
    (0x109E, 0x109F),
    (0x19DA, 0x19DA),
    (0x19DE, 0x19DF),
    (0x1AA0, 0x1AA6),
    (0x1AA8, 0x1AAD),
    (0xAA77, 0xAA79),
    (0xAADE, 0xAADF),
    (0x1173A, 0x1173B),
    (0x1173F, 0x1173F),
)
# Letters Lucene emits nothing for: ideographs of other scripts (Tangut, Nüshu ...).
_IGNORED = ((0x3006, 0x3006), (0x17000, 0x18AFF), (0x1B170, 0x1B2FF))
# ALetter beyond \w: modifier symbols, Armenian marks, circled and squared Latin letters.
_EXTRA_LETTERS = (
    (0x02C2, 0x02C5),
    (0x02D2, 0x02D7),
    (0x02DE, 0x02DF),
    (0x02ED, 0x02ED),
    (0x02EF, 0x02FF),
    (0x055B, 0x055C),
    (0x055E, 0x055E),
    (0x05F3, 0x05F3),
    (0xA720, 0xA721),
    (0xA789, 0xA78A),
    (0xAB5B, 0xAB5B),
    (0x24B6, 0x24E9),
    (0x1F130, 0x1F149),
    (0x1F150, 0x1F169),
    (0x1F170, 0x1F189),
)
_HEBREW_LETTERS = (
    (0x05D0, 0x05EA),
    (0x05EF, 0x05F2),
    (0xFB1D, 0xFB1D),
    (0xFB1F, 0xFB28),
    (0xFB2A, 0xFB4F),
)
# Digits that Lucene's emoji data claims (segmented digits).
_NOT_NUMERIC = ((0x1FBF0, 0x1FBF9),)
_MID_LETTER = "'.:\u00b7\u0387\u05f4\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a"
_MID_NUM = (
    "',.;\u037e\u0589\u060c\u060d\u066c\u07f8\u2018\u2019\u2024\u2044"
    "\ufe10\ufe14\ufe50\ufe52\ufe54\uff07\uff0c\uff0e\uff1b"
)
_EXTEND_NUM_LET = "_\u202f\u203f\u2040\u2054\ufe33\ufe34\ufe4d\ufe4e\ufe4f\uff3f"

# Emoji: Extended_Pictographic of emoji data 11, as Lucene's grammar uses it.
_PICTOGRAPHIC = (
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x2199),
    (0x21A9, 0x21AA),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x2388, 0x2388),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25AB),
    (0x25B6, 0x25B6),
    (0x25C0, 0x25C0),
    (0x25FB, 0x25FE),
    (0x2600, 0x2605),
    (0x2607, 0x2612),
    (0x2614, 0x2685),
    (0x2690, 0x2705),
    (0x2708, 0x2712),
    (0x2714, 0x2714),
    (0x2716, 0x2716),
    (0x271D, 0x271D),
    (0x2721, 0x2721),
    (0x2728, 0x2728),
    (0x2733, 0x2734),
    (0x2744, 0x2744),
    (0x2747, 0x2747),
    (0x274C, 0x274C),
    (0x274E, 0x274E),
    (0x2753, 0x2755),
    (0x2757, 0x2757),
    (0x2763, 0x2767),
    (0x2795, 0x2797),
    (0x27A1, 0x27A1),
    (0x27B0, 0x27B0),
    (0x27BF, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1F000, 0x1F0FF),
    (0x1F10D, 0x1F10F),
    (0x1F12F, 0x1F12F),
    (0x1F16C, 0x1F171),
    (0x1F17E, 0x1F17F),
    (0x1F18E, 0x1F18E),
    (0x1F191, 0x1F19A),
    (0x1F1AD, 0x1F1E5),
    (0x1F201, 0x1F20F),
    (0x1F21A, 0x1F21A),
    (0x1F22F, 0x1F22F),
    (0x1F232, 0x1F23A),
    (0x1F23C, 0x1F23F),
    (0x1F249, 0x1F3FA),
    (0x1F400, 0x1F53D),
    (0x1F546, 0x1F64F),
    (0x1F680, 0x1F6FF),
    (0x1F774, 0x1F77F),
    (0x1F7D5, 0x1F7FF),
    (0x1F80C, 0x1F80F),
    (0x1F848, 0x1F84F),
    (0x1F85A, 0x1F85F),
    (0x1F888, 0x1F88F),
    (0x1F8AE, 0x1F8FF),
    (0x1F90C, 0x1F93A),
    (0x1F93C, 0x1F945),
    (0x1F947, 0x1FFFD),
)
_EMOJI_MODIFIERS = ((0x1F3FB, 0x1F3FF),)
_REGIONAL_INDICATORS = ((0x1F1E6, 0x1F1FF),)
# Extend characters with a part in the grammar beyond WB4, kept while matching: ZWJ, the
# variation selectors-15/16, the keycap mark, the skin-tone modifiers (emoji) and, added
# below, the Southeast Asian marks.
_GRAMMAR_EXTEND = "\u200d\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff"

# Characters Python's Unicode database knows but Lucene's Unicode 9 tables do not
# (assigned in Unicode 10 to 14): Lucene treats them as unassigned, that is as
# separators.
_NEWER_THAN_UNICODE_9 = (
    (0x0870, 0x0887),
    (0x0889, 0x088E),
    (0x0890, 0x0891),
    (0x0898, 0x089F),
    (0x08B5, 0x08B5),
    (0x08BE, 0x08D2),
    (0x0B55, 0x0B55),
    (0x0C3C, 0x0C3C),
    (0x0C5D, 0x0C5D),
    (0x0CDD, 0x0CDD),
    (0x0D04, 0x0D04),
    (0x0D81, 0x0D81),
    (0x170D, 0x170D),
    (0x1715, 0x1715),
    (0x171F, 0x171F),
    (0x180F, 0x180F),
    (0x1ABF, 0x1ACE),
    (0x1B4C, 0x1B4C),
    (0x1DFA, 0x1DFA),
    (0x2C2F, 0x2C2F),
    (0x2C5F, 0x2C5F),
    (0x31BB, 0x31BF),
    (0x4DB6, 0x4DBF),
    (0x9FF0, 0x9FFF),
    (0xA7C0, 0xA7C1),
    (0xA7C7, 0xA7CA),
    (0xA7D0, 0xA7D1),
    (0xA7D3, 0xA7D3),
    (0xA7D5, 0xA7D9),
    (0xA7F2, 0xA7F6),
    (0xA82C, 0xA82C),
    (0xAB68, 0xAB69),
    (0x10570, 0x1057A),
    (0x1057C, 0x1058A),
    (0x1058C, 0x10592),
    (0x10594, 0x10595),
    (0x10597, 0x105A1),
    (0x105A3, 0x105B1),
    (0x105B3, 0x105B9),
    (0x105BB, 0x105BC),
    (0x10780, 0x10785),
    (0x10787, 0x107B0),
    (0x107B2, 0x107BA),
    (0x10E80, 0x10EA9),
    (0x10EAB, 0x10EAC),
    (0x10EB0, 0x10EB1),
    (0x10F70, 0x10F85),
    (0x10FB0, 0x10FC4),
    (0x11070, 0x11075),
    (0x110C2, 0x110C2),
    (0x11147, 0x11147),
    (0x111CE, 0x111CF),
    (0x11460, 0x11461),
    (0x11740, 0x11746),
    (0x11900, 0x11906),
    (0x11909, 0x11909),
    (0x1190C, 0x11913),
    (0x11915, 0x11916),
    (0x11918, 0x11935),
    (0x11937, 0x11938),
    (0x1193B, 0x11943),
    (0x11950, 0x11959),
    (0x11AB0, 0x11ABF),
    (0x11FB0, 0x11FB0),
    (0x12F90, 0x12FF0),
    (0x16A70, 0x16ABE),
    (0x16AC0, 0x16AC9),
    (0x16FE4, 0x16FE4),
    (0x16FF0, 0x16FF1),
    (0x18B00, 0x18CD5),
    (0x18D00, 0x18D08),
    (0x1AFF0, 0x1AFF3),
    (0x1AFF5, 0x1AFFB),
    (0x1AFFD, 0x1AFFE),
    (0x1B11F, 0x1B122),
    (0x1CF00, 0x1CF2D),
    (0x1CF30, 0x1CF46),
    (0x1DF00, 0x1DF1E),
    (0x1E290, 0x1E2AE),
    (0x1E7E0, 0x1E7E6),
    (0x1E7E8, 0x1E7EB),
    (0x1E7ED, 0x1E7EE),
    (0x1E7F0, 0x1E7FE),
    (0x2A6D7, 0x2A6DF),
    (0x2B735, 0x2B738),
    (0x30000, 0x3134A),
)


def _ranges_class(ranges: Sequence[Sequence[int]]) -> str:
    """The body of a regex character class matching the inclusive *ranges*."""

    def char(cp: int) -> str:
        return "\\" + chr(cp) if chr(cp) in "\\]^-[" else chr(cp)

    return "".join(char(lo) if lo == hi else f"{char(lo)}-{char(hi)}" for lo, hi in ranges)


def _to_ranges(code_points: Sequence[int]) -> list[tuple[int, int]]:
    ranges: list[list[int]] = []
    for cp in code_points:  # ascending
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return [(lo, hi) for lo, hi in ranges]


@dataclass(frozen=True)
class _Tokenizer:
    token: re.Pattern[str]  # one token, on text without its WB4 Extend/Format characters
    extend: re.Pattern[str]  # a run of Extend/Format characters that WB4 folds away


@functools.cache
def _tokenizer() -> _Tokenizer:
    """Compile the tokenizer's expressions once, on first use (about 0.1 s)."""
    # One pass over the first two planes collects what Python's regex syntax cannot
    # name: Extend/Format characters, "other" numbers (No: ² ½ ①, which \w includes but
    # UAX#29 does not count as letters) and the Southeast Asian class.
    newer = frozenset(cp for lo, hi in _NEWER_THAN_UNICODE_9 for cp in range(lo, hi + 1))
    southeast_asian_block = frozenset(cp for lo, hi in _SOUTHEAST_ASIAN for cp in range(lo, hi + 1))
    southeast_asian_signs = frozenset(
        cp for lo, hi in _SOUTHEAST_ASIAN_SIGNS for cp in range(lo, hi + 1)
    )
    grammar_extend = {0x200D, 0xFE0E, 0xFE0F, 0x20E3}
    category = unicodedata.category
    extend, other_numbers, southeast_asian, southeast_asian_marks = [], [], [], []
    for cp in range(0x20000):
        cat = category(chr(cp))
        if cat == "Cn" or cp in newer:
            continue
        if cp in southeast_asian_block and (cat[0] in "LM" or cp in southeast_asian_signs):
            # Southeast Asian marks are Extend but also start a token of their own.
            southeast_asian.append(cp)
            if cat[0] == "M":
                southeast_asian_marks.append(cp)
        elif cat in ("Mn", "Me", "Mc") or (cat == "Cf" and cp != 0x200B):
            if cp not in grammar_extend:
                extend.append(cp)
        elif cat == "No":
            other_numbers.append(cp)
    extend_ranges = [
        *_to_ranges(extend),
        (0xFF9E, 0xFF9F),  # halfwidth sound marks
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
        (0xE0100, 0xE01EF),
    ]

    southeast_asian_marks_class = _ranges_class(_to_ranges(southeast_asian_marks))
    x = f"[{_GRAMMAR_EXTEND}{southeast_asian_marks_class}]*"
    extend_kept = f"\u20e3{_ranges_class(_EMOJI_MODIFIERS)}{southeast_asian_marks_class}"
    not_letters = _ranges_class(
        [
            *_to_ranges(other_numbers),
            (0xFF9E, 0xFF9F),
            *_KATAKANA,
            *_HAN,
            *_HIRAGANA,
            *_SOUTHEAST_ASIAN,
            *_IGNORED,
            *_NEWER_THAN_UNICODE_9,
        ]
    )
    # ALetter: \w without digits, "_", No, and the scripts that are tokenized separately.
    ahl = f"(?:[^\\W\\d_{not_letters}]|[{_ranges_class(_EXTRA_LETTERS)}]){x}"
    hebrew = _ranges_class(_HEBREW_LETTERS)
    hl = f"[{hebrew}]{x}"
    not_numeric = _ranges_class([*_NOT_NUMERIC, *_NEWER_THAN_UNICODE_9])
    num = f"(?:[^\\D{not_numeric}]|\u066b){x}"
    kat = f"[{_ranges_class(_KATAKANA)}]{x}"
    enl = f"[{re.escape(_EXTEND_NUM_LET)}]{x}"
    mid_letter = f"[{re.escape(_MID_LETTER)}]{x}"
    mid_num = f"[{re.escape(_MID_NUM)}]{x}"

    letter_run = (
        f"{ahl}(?:(?:{enl})*{ahl}|{mid_letter}{ahl}"
        f'|(?<=[{hebrew}])"{x}(?=[{hebrew}]){hl})*'  # WB7b/c: Hebrew " Hebrew
        f"(?:(?<=[{hebrew}])'{x})?"  # WB7a: Hebrew letter + single quote
    )
    number_run = f"{num}(?:(?:{enl})*{num}|{mid_num}{num})*"
    katakana_run = f"{kat}(?:(?:{enl})*{kat})*"
    unit = f"(?:{katakana_run}|(?:{number_run}|{letter_run})+)"
    word = f"(?:{enl})*{unit}(?:(?:{enl})+{unit})*(?:{enl})*"

    pict = f"[{_ranges_class(_PICTOGRAPHIC)}]"
    modifier = f"[{_ranges_class(_EMOJI_MODIFIERS)}]"
    # After an emoji, Extend but the presentation selectors; a ZWJ only where it does
    # not join a next emoji (the sequence rule takes that one).
    emoji_start = f"\u200d*(?:{pict}|{modifier})"
    emoji_ext = f"(?:[{extend_kept}]|\u200d(?!{emoji_start}))*"
    element = f"\u200d*(?:{pict}{emoji_ext}\ufe0f?|{modifier}{emoji_ext})"
    emoji = f"{element}(?:\u200d{element})*"
    keycap = "[0-9#*]\ufe0f?\u20e3"
    regional = f"[{_ranges_class(_REGIONAL_INDICATORS)}]{x}"
    southeast = f"(?:[{_ranges_class(_to_ranges(southeast_asian))}]{x})+"
    ideograph = f"[{_ranges_class(_HAN)}]{x}"
    kana = f"[{_ranges_class(_HIRAGANA)}]{x}"

    token = "|".join((word, keycap, regional + regional, emoji, southeast, ideograph, kana))
    return _Tokenizer(re.compile(token), re.compile(f"[{_ranges_class(extend_ranges)}]+"))


def _spans(text: str, tok: _Tokenizer) -> list[tuple[int, int]]:
    """(start, end) of every token in *text*, before the max_token_length cut."""
    runs = list(tok.extend.finditer(text))
    if not runs:
        return [match.span() for match in tok.token.finditer(text)]
    # Match on the text without its Extend/Format runs (UAX#29 WB4), then map each
    # token back to the original, with the runs that follow its characters.
    pieces, run_positions, removed_totals = [], [], []
    last = removed = 0
    for run in runs:
        start, end = run.span()
        pieces.append(text[last:start])
        run_positions.append(start - removed)  # where the run sat in the stripped text
        removed += end - start
        removed_totals.append(removed)
        last = end
    pieces.append(text[last:])

    def original(index: int) -> int:
        # index in the stripped text -> original index after any run that sits there
        k = bisect.bisect_right(run_positions, index)
        return index + (removed_totals[k - 1] if k else 0)

    return [(original(m.start()), original(m.end())) for m in tok.token.finditer("".join(pieces))]


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _cut_overlong(text: str, start: int, end: int, tok: _Tokenizer) -> list[str]:
    """Cut the token text[start:end] the way Lucene does past ``max_token_length``.

    Lucene's scanner looks at most 255 UTF-16 units ahead of the start of the token it
    is matching: the token ends at the longest match inside that window, and scanning
    resumes right after it.
    """
    pieces = []
    while start < end:
        limit, units = start, 0
        while limit < end:
            units += 2 if ord(text[limit]) > 0xFFFF else 1
            if units > MAX_TOKEN_LENGTH:
                break
            limit += 1
        spans = _spans(text[start:limit], tok)
        if not spans:
            break
        piece_start, piece_end = spans[0]
        pieces.append(text[start + piece_start : start + piece_end])
        start += piece_end
        # Scanning resumes after the piece: skip to the next token's start.
        following = _spans(text[start:end], tok)
        if not following:
            break
        start += following[0][0]
    return pieces


def tokenize(text: str) -> list[str]:
    """Split *text* into tokens like Elasticsearch's ``standard`` tokenizer.

    Case and accents are kept; punctuation, symbols and control characters are
    dropped.  Never raises on odd input (NUL bytes, lone surrogates, emoji, query
    syntax such as ``AND NEAR * - :``); returns ``[]`` for ``""`` and ``None``.
    """
    if text is None:
        return []
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    tok = _tokenizer()
    if tok.extend.search(text) is None:
        tokens = tok.token.findall(text)  # the common case: no combining marks
        if not tokens or max(map(len, tokens)) <= MAX_TOKEN_LENGTH // 2:
            return tokens
    tokens = []
    for start, end in _spans(text, tok):
        if (
            end - start > MAX_TOKEN_LENGTH // 2
            and _utf16_length(text[start:end]) > MAX_TOKEN_LENGTH
        ):
            tokens.extend(_cut_overlong(text, start, end, tok))
        else:
            tokens.append(text[start:end])
    return tokens


# ---------------------------------------------------------------------------
# Stemmers  <->  Elasticsearch {"type": "stemmer", "language": ...}
# ---------------------------------------------------------------------------

# PyStemmer's Stemmer objects keep per-call state in C and are not safe to share
# between threads.  Each thread gets its own (threading.local) instead of one guarded
# by a lock: indexing workers and request threads then never wait on each other, each
# stemmer keeps its own word cache warm, and a stemmer costs only a few kilobytes.
_thread_local = threading.local()


def _snowball(algorithm: str) -> Stemmer.Stemmer:
    stemmers = getattr(_thread_local, "stemmers", None)
    if stemmers is None:
        stemmers = _thread_local.stemmers = {}
    stemmer = stemmers.get(algorithm)
    if stemmer is None:
        stemmer = stemmers[algorithm] = Stemmer.Stemmer(algorithm)
    return stemmer


def _snowball_step(algorithm: str) -> Callable[[list[str]], list[str]]:
    def stem(tokens: list[str]) -> list[str]:
        return _snowball(algorithm).stemWords(tokens)

    return stem


# LatvianStemmer.stem is a pure function (no shared state), so one process-wide cache
# serves every thread; functools.lru_cache is itself thread-safe.
_latvian_stem = functools.lru_cache(maxsize=65536)(LatvianStemmer.stem)


def _latvian_step(tokens: list[str]) -> list[str]:
    return [_latvian_stem(token) for token in tokens]


def _lowercase_step(tokens: list[str]) -> list[str]:
    if not tokens:
        return tokens
    # One call for all tokens; "\x00" never occurs in a token (controls separate them).
    return lowercase("\x00".join(tokens)).split("\x00")


def _fold_step(tokens: list[str]) -> list[str]:
    if not tokens:
        return tokens
    joined = "\x00".join(tokens)
    if joined.isascii():
        return tokens
    return joined.translate(_FOLD_TABLE).split("\x00")


# ---------------------------------------------------------------------------
# Steps and analyzers, as data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One analysis step, defined once for both backends.

    ``name`` is also the token filter name in Elasticsearch.  ``es_filter`` is the
    filter definition that goes into the index settings, or ``None`` for a filter that
    Elasticsearch has built in under that name.  ``python`` maps a token list to the
    token list the Elasticsearch filter would produce.
    """

    name: str
    es_filter: MappingProxyType | None
    python: Callable[[list[str]], list[str]]
    description: str


# Elasticsearch stemmer "language" for each locale, chosen to be the same algorithm as
# the Python stemmer.  For English that is "porter2" (Lucene's Snowball EnglishStemmer,
# the algorithm PyStemmer calls "english"); Elasticsearch's "english" is the original
# 1980 Porter stemmer and would disagree with Python on many words.
_STEMMERS: dict[str, tuple[str, Callable[[list[str]], list[str]], str]] = {
    "en": ("porter2", _snowball_step("english"), "Snowball English (Porter2), PyStemmer 'english'"),
    "lv": ("latvian", _latvian_step, "Lucene's light Latvian stemmer, LatvianStemmer.stem"),
    "fi": ("finnish", _snowball_step("finnish"), "Snowball Finnish, PyStemmer 'finnish'"),
    "et": ("estonian", _snowball_step("estonian"), "Snowball Estonian, PyStemmer 'estonian'"),
    "da": ("danish", _snowball_step("danish"), "Snowball Danish, PyStemmer 'danish'"),
    "sv": ("swedish", _snowball_step("swedish"), "Snowball Swedish, PyStemmer 'swedish'"),
}


def _stem_step_name(locale: str) -> str:
    return f"stem_{locale}"


STEPS: MappingProxyType[str, Step] = MappingProxyType(
    {
        "lowercase": Step(
            "lowercase",
            None,
            _lowercase_step,
            "Lower-case each token (Java Character.toLowerCase per code point).",
        ),
        "asciifolding": Step(
            "asciifolding",
            None,
            _fold_step,
            "Replace accented and other non-ASCII Latin letters, digits and punctuation "
            "with ASCII equivalents (Lucene ASCIIFoldingFilter table).",
        ),
        **{
            _stem_step_name(locale): Step(
                _stem_step_name(locale),
                MappingProxyType({"type": "stemmer", "language": es_language}),
                python,
                f"Stem each token: {description}.",
            )
            for locale, (es_language, python, description) in _STEMMERS.items()
        },
    }
)


def _build_analyzers() -> dict[str, tuple[str, ...]]:
    analyzers: dict[str, tuple[str, ...]] = {PLAIN_ANALYZER: ("lowercase", "asciifolding")}
    for locale in LOCALES:
        stem = _stem_step_name(locale)
        # Stem the real word, then fold, so that a query typed without diacritics meets
        # the stem of the word written with them.
        analyzers[f"kb_{locale}"] = ("lowercase", stem, "asciifolding")
        # Fold first, then stem: the stemmer sees what a user without the right keyboard
        # types, which matters where stemming depends on the diacritics (Finnish vowel
        # harmony: "äänestyksessä" vs "aanestyksessa").
        analyzers[f"kb_{locale}_folded"] = ("lowercase", "asciifolding", stem)
    return analyzers


#: Analyzer name -> step names, in order (all use the ``standard`` tokenizer).
ANALYZERS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(_build_analyzers())

_PIPELINES: dict[str, tuple[Callable[[list[str]], list[str]], ...]] = {
    name: tuple(STEPS[step].python for step in steps) for name, steps in ANALYZERS.items()
}


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def analyzer_name(locale: str | None, variant: str = "stemmed") -> str:
    """Name of the analyzer for *locale* and *variant*.

    ``analyzer_name("fi") == "kb_fi"``, ``analyzer_name("fi", "folded") ==
    "kb_fi_folded"``; every locale (and ``None``) gives ``"kb_plain"`` for ``"plain"``.
    """
    if variant == "plain":
        if locale is not None and locale not in LOCALES:
            raise ValueError(f"unknown locale {locale!r}; expected one of {LOCALES}")
        return PLAIN_ANALYZER
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}")
    if locale is None:
        raise ValueError(f"the {variant!r} variant needs a locale; only 'plain' works without")
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {LOCALES}")
    return f"kb_{locale}" if variant == "stemmed" else f"kb_{locale}_folded"


def analyze(text: str, locale: str | None, variant: str = "stemmed") -> list[str]:
    """Tokens of *text*, in order, as the Elasticsearch analyzer
    ``analyzer_name(locale, variant)`` produces them.

    ``analyze("Dzīvā bibliotēka", "lv") == ["dziv", "bibliotek"]`` — and so does
    ``analyze("dziva biblioteka", "lv")``.
    """
    pipeline = _PIPELINES[analyzer_name(locale, variant)]
    tokens = tokenize(text)
    for step in pipeline:
        if not tokens:
            break
        tokens = step(tokens)
    return tokens


def elasticsearch_analysis() -> dict:
    """The ``analysis`` section of the index settings, defining every analyzer.

    Built from :data:`ANALYZERS` and :data:`STEPS`, the same data :func:`analyze` runs.
    Returns a new dict each call (callers may modify it).
    """
    filters: dict[str, dict] = {}
    analyzers: dict[str, dict] = {}
    for name, steps in ANALYZERS.items():
        for step_name in steps:
            definition = STEPS[step_name].es_filter
            if definition is not None:
                filters[step_name] = dict(definition)
        analyzers[name] = {"type": "custom", "tokenizer": "standard", "filter": list(steps)}
    return {"filter": filters, "analyzer": analyzers}
