"""Orthographic normalization of Arabic text, with offsets kept on the raw text.

`normalize(text)` returns a `NormalizedText`: the normalized string plus exact offset maps
raw → normalized and normalized → raw (it is an `EditMap`, see `khabar.edits`). Gold text
is never changed in place: the raw text stays the source of truth, and a span compared
"after normalization" is a raw span mapped through these maps.

Every rule rewrites one character into at most one character and never looks at its
neighbours. That keeps the maps simple and makes normalization commute with slicing:
`normalize(raw)[map(s, e)] == normalize(raw[s:e])` for every raw span.

Rules (all on by default unless said otherwise; `RULES_VERSION` goes into score signatures):

1. Harakat removed: U+064B–U+0652 (tanwin fath/damm/kasr, fatha, damma, kasra, shadda,
   sukun) and U+0670 superscript (dagger) alef — CAMeL Tools' `dediac_ar` set. News text
   is mostly undiacritized, so a vowel mark on a name is noise, not a different name.
2. Other Arabic combining vowel and Quranic marks removed: U+0610–U+061A, U+0656–U+065F,
   U+06D6–U+06DC, U+06DF–U+06E4, U+06E7–U+06E8, U+06EA–U+06ED (all category Mn). They carry
   no lexical distinction in news prose. Kept: U+0653–U+0655 (maddah, hamza above/below),
   which spell hamza rather than a vowel; NFC is not applied because composing would merge
   characters and break the one-character rule (news text is precomposed in practice).
3. Tatweel U+0640 removed: a justification stretch, never a letter (CAMeL Tools removes
   it in some versions of `dediac_ar`).
4. Invisible format marks removed: U+200B–U+200F (zero-width space, ZWNJ, ZWJ, LRM, RLM),
   U+061C (Arabic letter mark), U+202A–U+202E (embeddings and overrides), U+2066–U+2069
   (isolates), U+FEFF (BOM / zero-width no-break space). They change rendering or
   direction only; copy-paste from the web sprinkles them into Arabic news text.
5. Alef variants unified: أ إ آ ٱ (U+0623, U+0625, U+0622, U+0671) → ا — CAMeL Tools'
   `normalize_alef_ar`. Writers drop or vary hamza on alef freely.
6. Alef maqsura ى (U+0649) → ي (U+064A) — CAMeL Tools' `normalize_alef_maksura_ar`.
   Final ي is written ى in Egyptian and much web text (`علي`/`على`); the pair is
   ambiguous in a few words, which is accepted here as in Arabic IR practice.
7. Not done: ta marbuta ة → ه (CAMeL's `normalize_teh_marbuta_ar`): ة and the pronoun
   suffix ه are different words' endings (`مدرسة`, `مدرسه`), and news text writes ة
   reliably, so folding them would merge more than it repairs.
8. Optional (`digits=True`, off by default): Eastern Arabic-Indic digits U+0660–U+0669 and
   extended (Persian) digits U+06F0–U+06F9 → ASCII 0–9. Off by default because a digit's
   script is visible in the output and scoring on raw offsets does not need it; the
   perturbation tests turn it on to compare a span whose digits were rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from khabar.document import Document, Span
from khabar.edits import EditMap, map_document

RULES_VERSION = "ar-ortho.1"

HARAKAT = frozenset(chr(code) for code in range(0x064B, 0x0653)) | {"\u0670"}
OTHER_MARKS = frozenset(
    chr(code)
    for first, last in (
        (0x0610, 0x061A),
        (0x0656, 0x065F),
        (0x06D6, 0x06DC),
        (0x06DF, 0x06E4),
        (0x06E7, 0x06E8),
        (0x06EA, 0x06ED),
    )
    for code in range(first, last + 1)
)
TATWEEL = "\u0640"
FORMAT_MARKS = frozenset(
    [chr(code) for code in range(0x200B, 0x2010)]
    + ["\u061c", "\ufeff"]
    + [chr(code) for code in range(0x202A, 0x202F)]
    + [chr(code) for code in range(0x2066, 0x206A)]
)
ALEF_VARIANTS = frozenset("\u0623\u0625\u0622\u0671")
ALEF = "\u0627"
ALEF_MAQSURA = "\u0649"
YA = "\u064a"
EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩"
EXTENDED_DIGITS = "۰۱۲۳۴۵۶۷۸۹"

REMOVED = HARAKAT | OTHER_MARKS | {TATWEEL} | FORMAT_MARKS
_BASE_TABLE: dict[str, str] = {char: "" for char in REMOVED}
_BASE_TABLE.update({char: ALEF for char in ALEF_VARIANTS})
_BASE_TABLE[ALEF_MAQSURA] = YA
_DIGIT_TABLE: dict[str, str] = {
    char: str(value) for digits in (EASTERN_DIGITS, EXTENDED_DIGITS) for value, char in enumerate(digits)
}


class NormalizedText(EditMap):
    """A raw text, its normalized form and the offset maps between them (see `EditMap`)."""

    @property
    def raw(self) -> str:
        return self.source

    def to_normalized(self, start: int, end: int) -> tuple[int, int]:
        """The normalized span of the raw span `[start, end)`."""
        return self.span_forward(start, end)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """The smallest raw span whose characters normalize to the normalized `[start, end)`."""
        return self.span_backward(start, end)


@dataclass(frozen=True)
class Rules:
    """Which optional rules apply; `name` is the signature value (`norm:<name>`)."""

    digits: bool = False

    @property
    def name(self) -> str:
        return RULES_VERSION + ("+digits" if self.digits else "")

    def table(self) -> dict[str, str]:
        return {**_BASE_TABLE, **_DIGIT_TABLE} if self.digits else _BASE_TABLE


DEFAULT_RULES = Rules()


def normalize_char(char: str, rules: Rules = DEFAULT_RULES) -> str:
    """The normalized form of one character: itself, another character or ``""``."""
    return rules.table().get(char, char)


def normalize(text: str, rules: Rules = DEFAULT_RULES) -> NormalizedText:
    """Normalize `text` and keep the offset maps (a pure function; `text` is untouched)."""
    table = rules.table()
    subs = [table.get(char, char) for char in text]
    built = EditMap.build(text, subs)
    return NormalizedText(built.source, built.text, built.starts, built.ends, built.origin)


def normalized_string(text: str, rules: Rules = DEFAULT_RULES) -> str:
    """Only the normalized string, for comparisons that need no offsets."""
    return text.translate(str.maketrans(rules.table()))


def map_span_to_normalized(normalized: NormalizedText, span: Span) -> Span:
    """A raw span carried to the normalized text, with the normalized text it covers."""
    return normalized.map_span(span)


def map_span_to_raw(normalized: NormalizedText, span: Span) -> Span:
    """A normalized span carried back to the raw text, with the raw text it covers."""
    start, end = normalized.to_raw(span.start, span.end)
    return Span(start, end, normalized.raw[start:end])


def normalize_document(document: Document, rules: Rules = DEFAULT_RULES) -> tuple[Document, NormalizedText]:
    """A copy of `document` over its normalized text with every span mapped, and the map.

    The copy is for comparison only: a span made only of removed characters (a lone
    bidi mark, say) becomes empty there. The input document is not modified.
    """
    normalized = normalize(document.text, rules)
    return map_document(document, normalized), normalized
