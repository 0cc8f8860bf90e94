"""Text analysis shared by both search backends.

Search runs either on Elasticsearch 8.19 or on the database (SQLite FTS5 / PostgreSQL
full-text), and both must answer a query the same way.  So text analysis is defined
once, here, as data: each *step* has a Python implementation and the Elasticsearch
token filter it corresponds to, and each *analyzer* is a list of step names.
:func:`elasticsearch_analysis` turns that data into index settings; :func:`analyze`
runs it in Python to produce the tokens the database backend stores and searches.
docs/search-analysis.md documents every analyzer.

Analyzers (their names are part of the index mapping; keep them stable):

``kb_<lang>``         standard tokenizer -> lowercase -> stem_<lang> -> asciifolding
``kb_<lang>_folded``  standard tokenizer -> lowercase -> asciifolding -> stem_<lang>
``kb_plain``          standard tokenizer -> lowercase -> asciifolding

Python equivalents of Elasticsearch's pieces:

* ``standard`` tokenizer (Lucene ``StandardTokenizer``: UAX#29 word boundaries,
  ``max_token_length`` 255): regular expressions that follow Lucene's grammar rule by
  rule; see :func:`tokenize`.
* ``lowercase`` (Lucene ``LowerCaseFilter``, Java ``Character.toLowerCase`` per code
  point): :meth:`str.lower`, corrected where Python's full case mapping differs from
  Java's simple one (``İ``, final ``Σ``); see :func:`lowercase`.
* ``asciifolding`` (Lucene ``ASCIIFoldingFilter``): Lucene's own mapping table, carried
  here as data; see :func:`fold`.
* ``stemmer`` filters: PyStemmer (libstemmer: the Snowball algorithms Lucene also
  generates its stemmers from) and ``LatvianStemmer`` (a port of Lucene's
  ``LatvianStemmer``).

Nothing here imports Django: the module can be used and tested on its own.
"""

from __future__ import annotations

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
    "PLAIN_ANALYZER",
    "STEPS",
    "VARIANTS",
    "Step",
    "analyze",
    "analyze_tokens",
    "analyzer_name",
    "elasticsearch_analysis",
    "fold",
    "lowercase",
    "tokenize",
    "tokenize_cached",
]

#: The site's languages.
LOCALES = ("en", "lv", "fi", "et", "da", "sv")

#: Analyzer variants: ``stemmed`` -> ``kb_<lang>``, ``folded`` -> ``kb_<lang>_folded``,
#: ``plain`` -> ``kb_plain`` (one analyzer for every language).
VARIANTS = ("stemmed", "folded", "plain")

#: The analyzer without stemming (exact and phrase matching, typo tolerance,
#: autocomplete, tags).
PLAIN_ANALYZER = "kb_plain"
# Pre-analysed token strings (`search.tokens`): split on spaces, nothing else. A token may be
# longer than the whitespace tokenizer's default 255 characters (hex-encoded scripts).
TOKENS_ANALYZER = "kb_tokens"
TOKENS_MAX_LENGTH = 2048

#: Elasticsearch's ``standard`` tokenizer default ``max_token_length``: longer tokens
#: are cut into pieces of at most this many UTF-16 code units.
MAX_TOKEN_LENGTH = 255


# ---------------------------------------------------------------------------
# lowercase  <->  Elasticsearch "lowercase" (Lucene LowerCaseFilter)
# ---------------------------------------------------------------------------

# Java's Character.toLowerCase maps one code point to one code point.  Python's
# str.lower() uses Unicode's full mapping, which differs in exactly two places:
# U+0130 (İ) becomes "i" + U+0307, and a word-final Σ becomes ς.  Replacing both first
# gives Java's result.
_JAVA_LOWER_FIXES = str.maketrans({"\u0130": "i", "\u03a3": "\u03c3"})


def lowercase(text: str) -> str:
    """Lower-case *text* the way Lucene's ``LowerCaseFilter`` does."""
    if "\u0130" in text or "\u03a3" in text:
        text = text.translate(_JAVA_LOWER_FIXES)
    return text.lower()


# ---------------------------------------------------------------------------
# asciifolding  <->  Elasticsearch "asciifolding" (Lucene ASCIIFoldingFilter)
# ---------------------------------------------------------------------------

# Lucene's ASCIIFoldingFilter table (org.apache.lucene.analysis.miscellaneous; the
# same since Lucene 4, so also in the Lucene 9.12 that Elasticsearch 8.19 runs),
# grouped by replacement: every character of the second string becomes the first.
# Characters not listed stay as they are, as in Lucene: Cyrillic й or Greek ά are not
# folded (a Unicode NFKD decomposition would fold them, and would miss ø, æ, ß, ł, đ,
# þ ...).  Lucene's quirks are kept on purpose: ǥ and ǧ fold to upper-case "G", small
# capitals such as ᴀ to upper-case letters.
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
    tokenized: ``fold("Dzīvā bibliotēka") == "Dziva biblioteka"``.
    """
    if text.isascii():
        return text
    return text.translate(_FOLD_TABLE)


# ---------------------------------------------------------------------------
# standard tokenizer  <->  Elasticsearch "standard" (Lucene StandardTokenizer)
# ---------------------------------------------------------------------------
#
# Lucene's StandardTokenizer implements the word-boundary rules of Unicode UAX#29
# (with Unicode 9 character tables and emoji data 11) and emits the segments that hold
# letters, digits, ideographs or emoji.  The expressions below follow its grammar
# (StandardTokenizerImpl.jflex) rule by rule:
#
#   WORD   letters and digits, joined across MidLetter (' . : · ’) between letters,
#          MidNum (, ; . ’) between digits and ExtendNumLet (_) anywhere: "don't",
#          "e.g", "3.14", "1,000", "snake_case", "v1.2" stay whole, while "e-mail" and
#          "AND-NEAR" split at the hyphen.
#   KATAKANA and HANGUL runs, SOUTHEAST_ASIAN runs (Thai, Lao, Myanmar, Khmer ...,
#          kept whole), and one token per Han ideograph and per hiragana character.
#   EMOJI  emoji and emoji sequences (ZWJ sequences, skin tones, flags, keycaps).
#
# Everything else (spaces, punctuation, symbols, controls such as NUL) separates tokens
# and is dropped.  Combining marks and format characters (UAX#29 Extend/Format: U+0301,
# U+00AD soft hyphen, U+200C ...) stay with the character before them (rule WB4).  A
# token longer than 255 UTF-16 code units is cut into pieces, as Lucene does.
#
# The text is first mapped, character by character, to the one-letter name of each
# character's class (str.translate with a table of all code points); the grammar then
# runs as a small regular expression over those letters, and its spans are the tokens'
# spans in the text.
#
# Python's unicodedata stands in for Lucene's tables; the character sets it cannot name
# are listed below as inclusive hexadecimal ranges.  The result was compared with
# Lucene 9's StandardTokenizer for every assigned code point up to U+323FF (alone and
# between letters, digits, katakana, marks), and on random mixed text.


def _ranges(spec: str) -> tuple[tuple[int, int], ...]:
    """Parse ``"0041-005A 00AA"`` into ``((0x41, 0x5A), (0xAA, 0xAA))``."""
    out = []
    for item in spec.split():
        lo, _, hi = item.partition("-")
        out.append((int(lo, 16), int(hi or lo, 16)))
    return tuple(out)


_KATAKANA = _ranges(
    "3031-3035 309B-309C 30A0-30FA 30FC-30FF 31F0-31FF 32D0-32FE 3300-3357"
    " FF66-FF9D 1B000 1B164-1B167"
)
# Han and hiragana: one token per character.
_HAN = _ranges(
    "2E80-2E99 2E9B-2EF3 2F00-2FD5 3007 3021-3029 3038-303A 3400-4DB5 4E00-9FEF"
    " F900-FA6D FA70-FAD9 20000-2A6D6 2A700-2B734 2B740-2B81D 2B820-2CEA1"
    " 2CEB0-2EBE0 2F800-2FA1D"
)
_HIRAGANA = _ranges("3041-3096 309D-309F 1B001-1B11E 1B150-1B152 1F200")
# Line_Break=Complex_Context (Thai, Lao, Myanmar, Khmer, Tai Le, New Tai Lue, Tai Tham,
# Tai Viet, Ahom): their letters, marks and the signs listed form one token per run.
_SOUTHEAST_ASIAN = _ranges(
    "0E00-0EFF 1000-109F 1780-17FF 1950-19DF 1A20-1A7E 1A80-1AAF A9E0-A9FF AA60-AADF 11700-1174F"
)
_SOUTHEAST_ASIAN_SIGNS = _ranges(
    "109E-109F 19DA 19DE-19DF 1AA0-1AA6 1AA8-1AAD AA77-AA79 AADE-AADF 1173A-1173B 1173F"
)
# Letters Lucene emits nothing for: ideographs of other scripts (Tangut, Nüshu ...).
_IGNORED = _ranges("3006 17000-18AFF 1B170-1B2FF")
# ALetter beyond \w: modifier symbols, Armenian marks, circled and squared Latin letters.
_EXTRA_LETTERS = _ranges(
    "02C2-02C5 02D2-02D7 02DE-02DF 02ED 02EF-02FF 055B-055C 055E 05F3"
    " A720-A721 A789-A78A AB5B 24B6-24E9 1F130-1F149 1F150-1F169"
    " 1F170-1F189"
)
_HEBREW_LETTERS = _ranges("05D0-05EA 05EF-05F2 FB1D FB1F-FB28 FB2A-FB4F")
_MID_LETTER = "'.:\u00b7\u0387\u05f4\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a"
_MID_NUM = (
    "',.;\u037e\u0589\u060c\u060d\u066c\u07f8\u2018\u2019\u2024\u2044"
    "\ufe10\ufe14\ufe50\ufe52\ufe54\uff07\uff0c\uff0e\uff1b"
)
_EXTEND_NUM_LET = "_\u202f\u203f\u2040\u2054\ufe33\ufe34\ufe4d\ufe4e\ufe4f\uff3f"
# Emoji: Extended_Pictographic of emoji data 11, as Lucene's grammar uses it (with its
# reserved ranges, which is why the segmented digits U+1FBF0-1FBF9 are emoji here).
_PICTOGRAPHIC = _ranges(
    "00A9 00AE 203C 2049 2122 2139 2194-2199 21A9-21AA 231A-231B 2328 2388 23CF 23E9-23F3"
    " 23F8-23FA 24C2 25AA-25AB 25B6 25C0 25FB-25FE 2600-2605 2607-2612 2614-2685 2690-2705"
    " 2708-2712 2714 2716 271D 2721 2728 2733-2734 2744 2747 274C 274E 2753-2755 2757"
    " 2763-2767 2795-2797 27A1 27B0 27BF 2934-2935 2B05-2B07 2B1B-2B1C 2B50 2B55 3030 303D"
    " 3297 3299 1F000-1F0FF 1F10D-1F10F 1F12F 1F16C-1F171 1F17E-1F17F 1F18E 1F191-1F19A"
    " 1F1AD-1F1E5 1F201-1F20F 1F21A 1F22F 1F232-1F23A 1F23C-1F23F 1F249-1F3FA 1F400-1F53D"
    " 1F546-1F64F 1F680-1F6FF 1F774-1F77F 1F7D5-1F7FF 1F80C-1F80F 1F848-1F84F 1F85A-1F85F"
    " 1F888-1F88F 1F8AE-1F8FF 1F90C-1F93A 1F93C-1F945 1F947-1FFFD"
)
_EMOJI_MODIFIERS = _ranges("1F3FB-1F3FF")
_REGIONAL_INDICATORS = _ranges("1F1E6-1F1FF")
# Assigned in Unicode 10 to 14, which Python 3.11 knows and Lucene's Unicode 9 tables do
# not: Lucene treats them as unassigned, that is as separators.
_NEWER_THAN_UNICODE_9 = _ranges(
    "0870-0887 0889-088E 0890-0891 0898-089F 08B5 08BE-08D2 0B55 0C3C 0C5D 0CDD 0D04 0D81"
    " 170D 1715 171F 180F 1ABF-1ACE 1B4C 1DFA 2C2F 2C5F 31BB-31BF 4DB6-4DBF 9FF0-9FFF"
    " A7C0-A7C1 A7C7-A7CA A7D0-A7D1 A7D3 A7D5-A7D9 A7F2-A7F6 A82C AB68-AB69 10570-1057A"
    " 1057C-1058A 1058C-10592 10594-10595 10597-105A1 105A3-105B1 105B3-105B9 105BB-105BC"
    " 10780-10785 10787-107B0 107B2-107BA 10E80-10EA9 10EAB-10EAC 10EB0-10EB1 10F70-10F85"
    " 10FB0-10FC4 11070-11075 110C2 11147 111CE-111CF 11460-11461 11740-11746 11900-11906"
    " 11909 1190C-11913 11915-11916 11918-11935 11937-11938 1193B-11943 11950-11959"
    " 11AB0-11ABF 11FB0 12F90-12FF0 16A70-16ABE 16AC0-16AC9 16FE4 16FF0-16FF1 18B00-18CD5"
    " 18D00-18D08 1AFF0-1AFF3 1AFF5-1AFFB 1AFFD-1AFFE 1B11F-1B122 1CF00-1CF2D 1CF30-1CF46"
    " 1DF00-1DF1E 1E290-1E2AE 1E7E0-1E7E6 1E7E8-1E7EB 1E7ED-1E7EE 1E7F0-1E7FE 2A6D7-2A6DF"
    " 2B735-2B738 30000-3134A"
)


def _members(ranges: Sequence[tuple[int, int]]) -> frozenset[int]:
    return frozenset(cp for lo, hi in ranges for cp in range(lo, hi + 1))


def _class_table() -> str:
    """Map every code point to the one-letter name of its class in Lucene's grammar.

    L letter (ALetter)     H Hebrew letter       Q letter that is also an emoji (ℹ Ⓜ)
    d digit 0-9            D other digit         k keycap base # *
    K katakana             I Han ideograph       R hiragana
    S Southeast Asian      M Southeast Asian mark (also Extend)
    X Extend/Format        Z ZWJ                 V U+FE0F   v U+FE0E   C U+20E3 keycap
    T tag                  U tag terminator      (all of these are Extend/Format)
    P emoji                O emoji modifier      G regional indicator
    E ExtendNumLet (_)     m MidLetter (:)       n MidNum (,)   b MidNumLet (.)
    q single quote         w double quote        . anything else: a separator
    """
    table = bytearray(b"." * 0x110000)

    def mark(ranges: Sequence[tuple[int, int]], code: bytes) -> None:
        for lo, hi in ranges:
            table[lo : hi + 1] = code * (hi - lo + 1)

    # One pass over the first two planes for what needs Python's Unicode database.
    category = unicodedata.category
    for cp in range(0x20000):
        cat = category(chr(cp))
        if cat[0] == "L" or cat == "Nl":
            table[cp] = ord("L")
        elif cat == "Nd":
            table[cp] = ord("D")
        elif cat in ("Mn", "Me", "Mc") or (cat == "Cf" and cp != 0x200B):
            table[cp] = ord("X")
    mark(_EXTRA_LETTERS, b"L")
    mark(_HEBREW_LETTERS, b"H")
    mark(_ranges("066B"), b"D")  # ARABIC DECIMAL SEPARATOR counts as a digit
    mark(_ranges("FF9E-FF9F E0001 E0100-E01EF"), b"X")  # halfwidth sound marks, selectors
    mark(_ranges("E0020-E007E"), b"T")  # tag characters (emoji tag sequences) ...
    mark(_ranges("E007F"), b"U")  # ... and their terminator
    mark(_KATAKANA, b"K")
    mark(_HAN, b"I")
    mark(_HIRAGANA, b"R")
    signs = _members(_SOUTHEAST_ASIAN_SIGNS)
    for cp in _members(_SOUTHEAST_ASIAN):
        cat = category(chr(cp))
        if cat[0] == "L" or cp in signs:
            table[cp] = ord("S")
        elif cat[0] == "M":
            table[cp] = ord("M")
    mark(_IGNORED, b".")
    for lo, hi in _PICTOGRAPHIC:
        for cp in range(lo, hi + 1):
            table[cp] = ord("Q") if table[cp] == ord("L") else ord("P")
    mark(_EMOJI_MODIFIERS, b"O")
    mark(_REGIONAL_INDICATORS, b"G")
    mark(_ranges("0030-0039"), b"d")
    for chars, code in (
        ("#*", "k"),
        ("\u200d", "Z"),
        ("\ufe0f", "V"),
        ("\ufe0e", "v"),
        ("\u20e3", "C"),
        (_EXTEND_NUM_LET, "E"),
        (set(_MID_LETTER) - set(_MID_NUM), "m"),
        (set(_MID_NUM) - set(_MID_LETTER), "n"),
        (set(_MID_LETTER) & set(_MID_NUM), "b"),
        ("'", "q"),
        ('"', "w"),
    ):
        for char in chars:
            table[ord(char)] = ord(code)
    mark(_NEWER_THAN_UNICODE_9, b".")
    return table.decode("latin-1")


# The grammar, over class letters (see _class_table).  "x" is UAX#29 rule WB4: Extend,
# Format and ZWJ characters belong to the character before them.
_X = "[XZVvCOMTU]*"
_AHL = f"[LHQ]{_X}"  # ALetter or Hebrew_Letter
_NUM = f"[dD]{_X}"
_ENL = f"E{_X}"
_HEBREW_UNIT = f"H{_X}(?:q{_X}|w{_X}H{_X})"  # WB7a-c: Hebrew ' and Hebrew " Hebrew
# A letter run leaves a Hebrew unit to the rule that makes it a unit of its own.
_LETTER_RUN = f"{_AHL}(?:(?:{_ENL})*(?!{_HEBREW_UNIT}){_AHL}|[mbq]{_X}{_AHL})*"
_NUMBER_RUN = f"{_NUM}(?:(?:{_ENL})*{_NUM}|[nbq]{_X}{_NUM})*"
_KATAKANA_RUN = f"K{_X}(?:(?:{_ENL})*K{_X})*"
_UNIT = f"(?:{_KATAKANA_RUN}|(?:{_HEBREW_UNIT}|{_NUMBER_RUN}|{_LETTER_RUN})+)"
_WORD = f"(?:{_ENL})*{_UNIT}(?:(?:{_ENL})+{_UNIT})*(?:{_ENL})*"
# Emoji: after an emoji come Extend characters (skin-tone modifiers among them) but the
# presentation selectors, and a ZWJ only where it does not join the next emoji; nothing
# comes after U+FE0F.
_EMOJI_EXT = "(?:[XCOMTU]|Z(?!Z*[PQ]))*"
_EMOJI_ELEMENT = f"(?:Z*[PQ]{_EMOJI_EXT}V?|O{_EMOJI_EXT})"
_EMOJI = f"{_EMOJI_ELEMENT}(?:T+U|(?:Z{_EMOJI_ELEMENT})*)"  # tag sequence or ZWJ sequence
_KEYCAP = "[dk][XZCOMTU]*V?C[XZCOMTU]*"
_FLAG = f"G{_X}G{_X}"
_SOUTHEAST_ASIAN_RUN = f"(?:[SM]{_X})+"
_TOKEN = "|".join((_WORD, _KEYCAP, _FLAG, _EMOJI, _SOUTHEAST_ASIAN_RUN, f"I{_X}", f"R{_X}"))


@functools.cache
def _tokenizer() -> tuple[str, re.Pattern[str], re.Pattern[str]]:
    """The class table and the patterns, built once (about 0.1 s, on first use)."""
    return _class_table(), re.compile(_TOKEN), re.compile(_EMOJI)


def _next_token(classes: str, pos: int, end: int) -> tuple[int, int] | None:
    """Span of the first token in classes[pos:end], matched as Lucene does: longest first."""
    _, pattern, emoji = _tokenizer()
    match = pattern.search(classes, pos, end)
    if match is None:
        return None
    start, stop = match.span()
    if classes[start] == "Q":
        # A letter that is also an emoji (Ⓜ ℹ) may start a longer emoji sequence.
        longer = emoji.match(classes, start, end)
        if longer is not None and longer.end() > stop:
            stop = longer.end()
    return start, stop


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _utf16_limit(text: str, start: int) -> int:
    """Index in *text* where ``max_token_length`` UTF-16 units from *start* run out."""
    limit, units = start, 0
    while limit < len(text):
        units += 2 if ord(text[limit]) > 0xFFFF else 1
        if units > MAX_TOKEN_LENGTH:
            break
        limit += 1
    return limit


def _tokenize_with_cuts(text: str, classes: str) -> list[str]:
    """Tokenize like Lucene when the text holds tokens longer than ``max_token_length``.

    Lucene's scanner sees at most 255 UTF-16 units from the start of the token it is
    matching: the token ends at the longest match inside that window, and scanning
    resumes right after it.
    """
    tokens = []
    pos = 0
    while span := _next_token(classes, pos, len(classes)):
        start, end = span
        if (
            end - start > MAX_TOKEN_LENGTH // 2
            and _utf16_length(text[start:end]) > MAX_TOKEN_LENGTH
        ):
            span = _next_token(classes, start, _utf16_limit(text, start))
            if span is None or span[0] != start:  # e.g. 300 ZWJs before an emoji
                pos = start + 1
                continue
            end = span[1]
        tokens.append(text[start:end])
        pos = end
    return tokens


def tokenize(text: str) -> list[str]:
    """Split *text* into tokens like Elasticsearch's ``standard`` tokenizer.

    Case and accents are kept; punctuation, symbols and control characters are dropped.
    Never raises on odd input (NUL bytes, lone surrogates, emoji, query syntax such as
    ``AND NEAR * - :``); ``""`` and ``None`` give ``[]``.
    """
    if text is None:
        return []
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    table, _, _ = _tokenizer()
    # Match on the text's class letters, one per character, so that spans carry over.
    # Tokens never cross a separator ("."), so each run between separators is matched
    # on its own, and the usual run, letters and digits only, needs no matching at all.
    classes = text.translate(table)
    tokens: list[str] = []
    start = 0
    for run in classes.split("."):
        end = start + len(run)
        if run:
            if run[0] in "Ld" and not run.strip("LdX"):
                tokens.append(text[start:end])
            else:
                pos = start
                while span := _next_token(classes, pos, end):
                    tokens.append(text[span[0] : span[1]])
                    pos = span[1]
        start = end + 1
    if tokens and max(map(len, tokens)) > MAX_TOKEN_LENGTH // 2:
        return _tokenize_with_cuts(text, classes)
    return tokens


# ---------------------------------------------------------------------------
# Stemmers  <->  Elasticsearch {"type": "stemmer", "language": ...}
# ---------------------------------------------------------------------------

# PyStemmer's Stemmer objects keep per-call state in C and must not be shared between
# threads.  Each thread gets its own (threading.local) rather than one behind a lock:
# indexing workers and request threads never wait on each other, each stemmer keeps its
# own cache of stemmed words warm, and a stemmer costs a few kilobytes.
_thread_local = threading.local()


def _snowball(algorithm: str) -> Stemmer.Stemmer:
    stemmers = getattr(_thread_local, "stemmers", None)
    if stemmers is None:
        stemmers = _thread_local.stemmers = {}
    stemmer = stemmers.get(algorithm)
    if stemmer is None:
        stemmer = stemmers[algorithm] = Stemmer.Stemmer(algorithm)
    return stemmer


# Lucene's stemmers work on UTF-16 units, so a character beyond U+FFFF (an emoji, say)
# counts twice towards their length and region checks.  Two private-use characters,
# which never occur in tokens and which no stemmer rule touches, stand in for it.
_STAND_IN = "\ue000\ue001"


def _utf16_stand_ins(token: str) -> tuple[str, list[str]]:
    astral = [char for char in token if ord(char) > 0xFFFF]
    if not astral:
        return token, astral
    return "".join(_STAND_IN if ord(char) > 0xFFFF else char for char in token), astral


def _restore_stand_ins(stem: str, astral: list[str]) -> str:
    parts = stem.split(_STAND_IN)
    if len(parts) != len(astral) + 1:  # cannot happen with these stemmers; stay safe
        return stem.replace("\ue000", "").replace("\ue001", "")
    return "".join(part + char for part, char in zip(parts, [*astral, ""], strict=True))


def _snowball_step(algorithm: str) -> Callable[[list[str]], list[str]]:
    def stem(tokens: list[str]) -> list[str]:
        if not tokens:
            return tokens
        stemmer = _snowball(algorithm)
        if max(map(max, tokens)) <= "\uffff":
            return stemmer.stemWords(tokens)
        stemmed = []
        for token in tokens:
            java_token, astral = _utf16_stand_ins(token)
            stemmed.append(_restore_stand_ins(stemmer.stemWord(java_token), astral))
        return stemmed

    return stem


# LatvianStemmer.stem also counts upper-case vowels (Lucene's counts lower-case ones
# only; upper case reaches the stemmer only when asciifolding made it, as in ᴀ -> A):
# private-use stand-ins hide them from the count.
_LATVIAN_UPPER_VOWELS = "AĀEĒIĪOUŪ"
_HIDE_UPPER_VOWELS = str.maketrans(
    {vowel: chr(0xE010 + i) for i, vowel in enumerate(_LATVIAN_UPPER_VOWELS)}
)
_SHOW_UPPER_VOWELS = {0xE010 + i: vowel for i, vowel in enumerate(_LATVIAN_UPPER_VOWELS)}


# A pure function of its argument (no shared state), so one process-wide cache serves
# every thread; functools.lru_cache is itself thread-safe.
@functools.lru_cache(maxsize=65536)
def _latvian_stem(token: str) -> str:
    if token.isascii() and token.islower():
        return LatvianStemmer.stem(token)
    java_token, astral = _utf16_stand_ins(token.translate(_HIDE_UPPER_VOWELS))
    stem = LatvianStemmer.stem(java_token)
    return _restore_stand_ins(stem, astral).translate(_SHOW_UPPER_VOWELS)


def _latvian_step(tokens: list[str]) -> list[str]:
    return [_latvian_stem(token) for token in tokens]


def _lowercase_step(tokens: list[str]) -> list[str]:
    if not tokens:
        return tokens
    # One call for all tokens; "\x00" never occurs in a token (controls separate them).
    return lowercase("\x00".join(tokens)).split("\x00")


def _fold_step(tokens: list[str]) -> list[str]:
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

    ``name`` is also the token filter's name in Elasticsearch.  ``es_filter`` is the
    filter definition for the index settings, or ``None`` for a filter Elasticsearch
    has built in under that name.  ``python`` maps a token list to the tokens the
    Elasticsearch filter produces (one for one: none of these filters drops a token).
    """

    name: str
    es_filter: MappingProxyType | None
    python: Callable[[list[str]], list[str]]
    description: str


# Elasticsearch stemmer "language" per locale, chosen to run the same algorithm as the
# Python stemmer.  English is "porter2" (Lucene's Snowball EnglishStemmer, which is what
# PyStemmer calls "english"): Elasticsearch's "english" is the original Porter stemmer
# and disagrees with Porter2 on many words.
_STEMMERS = {
    "en": ("porter2", _snowball_step("english"), "Snowball English (Porter2), PyStemmer"),
    "lv": ("latvian", _latvian_step, "Lucene's light Latvian stemmer, LatvianStemmer.stem"),
    "fi": ("finnish", _snowball_step("finnish"), "Snowball Finnish, PyStemmer"),
    "et": ("estonian", _snowball_step("estonian"), "Snowball Estonian, PyStemmer"),
    "da": ("danish", _snowball_step("danish"), "Snowball Danish, PyStemmer"),
    "sv": ("swedish", _snowball_step("swedish"), "Snowball Swedish, PyStemmer"),
}

STEPS: MappingProxyType[str, Step] = MappingProxyType(
    {
        "lowercase": Step(
            "lowercase",
            None,
            _lowercase_step,
            "Lower-case each token (Java's Character.toLowerCase per code point).",
        ),
        "asciifolding": Step(
            "asciifolding",
            None,
            _fold_step,
            "Replace accented and other non-ASCII Latin letters, digits and punctuation "
            "with ASCII (Lucene's ASCIIFoldingFilter table).",
        ),
        **{
            f"stem_{locale}": Step(
                f"stem_{locale}",
                MappingProxyType({"type": "stemmer", "language": es_language}),
                python,
                f"Stem each token: {description}.",
            )
            for locale, (es_language, python, description) in _STEMMERS.items()
        },
    }
)


def _build_analyzers() -> dict[str, tuple[str, ...]]:
    analyzers = {PLAIN_ANALYZER: ("lowercase", "asciifolding")}
    for locale in LOCALES:
        # Stem the word as written, then fold: a query typed without diacritics meets
        # the stem of the word written with them.
        analyzers[f"kb_{locale}"] = ("lowercase", f"stem_{locale}", "asciifolding")
        # Fold, then stem: the stemmer sees what someone without the right keyboard
        # types, which matters where the stem depends on the diacritics (Finnish vowel
        # harmony: "käytäntöjä" keeps its "j", "kaytantoja" loses "ja").
        analyzers[f"kb_{locale}_folded"] = ("lowercase", "asciifolding", f"stem_{locale}")
    return analyzers


#: Analyzer name -> its step names, in order (every analyzer uses the standard tokenizer).
ANALYZERS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(_build_analyzers())

_PIPELINES = {
    name: tuple(STEPS[step].python for step in steps) for name, steps in ANALYZERS.items()
}


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def analyzer_name(locale: str | None, variant: str = "stemmed") -> str:
    """Name of the analyzer for *locale* and *variant*.

    ``analyzer_name("fi") == "kb_fi"``, ``analyzer_name("fi", "folded") ==
    "kb_fi_folded"``; ``"plain"`` gives ``"kb_plain"`` for every locale and for ``None``.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}")
    if locale is None:
        if variant != "plain":
            raise ValueError(f"the {variant!r} variant needs a locale; only 'plain' works without")
        return PLAIN_ANALYZER
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {LOCALES}")
    if variant == "plain":
        return PLAIN_ANALYZER
    return f"kb_{locale}" if variant == "stemmed" else f"kb_{locale}_folded"


def analyze(text: str, locale: str | None, variant: str = "stemmed") -> list[str]:
    """The tokens of *text*, in order, as Elasticsearch's analyzer
    ``analyzer_name(locale, variant)`` produces them.

    ``analyze("Dzīvā bibliotēka", "lv") == ["dziv", "bibliotek"]``, and so is
    ``analyze("dziva biblioteka", "lv")``.
    """
    return analyze_tokens(tokenize_cached(text), locale, variant)


def analyze_tokens(
    tokens: Sequence[str], locale: str | None, variant: str = "stemmed"
) -> list[str]:
    """:func:`analyze` of a text that :func:`tokenize` has already split into *tokens*: one
    analysed token for each (no step drops or adds one)."""
    pipeline = _PIPELINES[analyzer_name(locale, variant)]
    if not tokens:
        return []
    # Every step maps each token on its own, so each distinct token is analysed once.
    distinct = list(dict.fromkeys(tokens))
    analyzed = distinct
    for step in pipeline:
        analyzed = step(analyzed)
    if len(distinct) == len(tokens):
        return analyzed
    by_token = dict(zip(distinct, analyzed, strict=True))
    return [by_token[token] for token in tokens]


# Indexing analyses the same text with several analyzers in a row (stemmed, folded, plain,
# then once more for the vocabulary); the tokenizer's work is done once for them. Enough
# texts for one document's title, summary, body, tags and labels.
@functools.lru_cache(maxsize=64)
def tokenize_cached(text: str) -> tuple[str, ...]:
    """:func:`tokenize`, remembered for the latest texts."""
    return tuple(tokenize(text))


def elasticsearch_analysis() -> dict:
    """The ``analysis`` section of the index settings: every analyzer, every locale.

    Built from :data:`ANALYZERS` and :data:`STEPS`, the data :func:`analyze` runs.
    Returns a new dict on each call, which the caller may change.
    """
    filters: dict[str, dict] = {}
    analyzers: dict[str, dict] = {}
    for name, steps in ANALYZERS.items():
        for step in steps:
            definition = STEPS[step].es_filter
            if definition is not None:
                filters[step] = dict(definition)
        analyzers[name] = {"type": "custom", "tokenizer": "standard", "filter": list(steps)}
    analyzers[TOKENS_ANALYZER] = {"type": "custom", "tokenizer": TOKENS_ANALYZER, "filter": []}
    tokenizers = {
        TOKENS_ANALYZER: {"type": "whitespace", "max_token_length": TOKENS_MAX_LENGTH},
    }
    return {"filter": filters, "tokenizer": tokenizers, "analyzer": analyzers}
