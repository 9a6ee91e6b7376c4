"""Edit maps: a text rewritten character by character, with exact offsets both ways.

An `EditMap` describes a new text built from a source text by (a) replacing every source
character with a string of its own (itself, another character, several characters, or
nothing) and (b) inserting strings into the gaps between source characters:

    new = inserts[0] + subs[0] + inserts[1] + subs[1] + … + subs[n-1] + inserts[n]

Normalization (characters deleted or replaced one for one) and perturbation (harakat added
after a letter, tatweel or a zero-width mark inserted between two letters) are both edit
maps, so one piece of code carries every span over.

A source span `[start, end)` maps to `[image_start(start), image_end(end - 1))`: the
images of its characters, together with the gap insertions strictly inside it. Insertions
in the gaps at its two boundaries stay outside, so a mark inserted between a clitic and a
name never joins the name. Mapping back, a new span maps to the smallest source span whose
images cover its characters; characters that came from insertions map to nothing.

Offsets are Python code points, ends exclusive, as everywhere in khabar.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace

from khabar.document import Argument, Document, Quote, Span, Speaker


@dataclass(frozen=True)
class EditMap:
    """A source text, the text it became, and the offset maps between the two."""

    source: str
    text: str
    # Offset maps as compact integer arrays (8 bytes an entry, not a Python int each):
    # starts[i] = offset in `text` where the image of source character i begins;
    # starts[n] = len(text) minus the length of inserts[n] (the end of the last image).
    starts: array
    # ends[i] = offset in `text` where the image of source character i ends.
    ends: array
    # origin[j] = source index whose image holds text[j], or -1 for inserted characters.
    origin: array

    @classmethod
    def build(cls, source: str, subs: Sequence[str], inserts: Sequence[str] | None = None) -> EditMap:
        """Build the map from one replacement per source character and one insertion per gap."""
        if len(subs) != len(source):
            raise ValueError(f"need one replacement per character: {len(subs)} for {len(source)}")
        gaps = list(inserts) if inserts is not None else [""] * (len(source) + 1)
        if len(gaps) != len(source) + 1:
            raise ValueError(f"need one insertion per gap: {len(gaps)} for {len(source) + 1}")
        pieces: list[str] = []
        starts = array("q")
        ends = array("q")
        origin = array("q")
        position = 0
        for index, sub in enumerate(subs):
            pieces.append(gaps[index])
            origin.extend([-1] * len(gaps[index]))
            position += len(gaps[index])
            starts.append(position)
            pieces.append(sub)
            origin.extend([index] * len(sub))
            position += len(sub)
            ends.append(position)
        starts.append(position)
        pieces.append(gaps[-1])
        origin.extend([-1] * len(gaps[-1]))
        return cls(source, "".join(pieces), starts, ends, origin)

    @property
    def is_identity(self) -> bool:
        return self.source == self.text

    def span_forward(self, start: int, end: int) -> tuple[int, int]:
        """The new-text span of the source span `[start, end)`."""
        if not 0 <= start <= end <= len(self.source):
            raise ValueError(f"span ({start}, {end}) outside a text of length {len(self.source)}")
        if start == end:
            return self.starts[start], self.starts[start]
        return self.starts[start], self.ends[end - 1]

    def span_backward(self, start: int, end: int) -> tuple[int, int]:
        """The smallest source span whose images cover the new-text span `[start, end)`.

        A span made only of inserted characters has no source: it maps to the empty span
        at the next source character.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) outside a text of length {len(self.text)}")
        first = next((self.origin[j] for j in range(start, end) if self.origin[j] >= 0), None)
        if first is not None:
            last = next(self.origin[j] for j in range(end - 1, start - 1, -1) if self.origin[j] >= 0)
            return first, last + 1
        following = next(
            (self.origin[j] for j in range(end, len(self.origin)) if self.origin[j] >= 0), len(self.source)
        )
        return following, following

    def map_span(self, span: Span) -> Span:
        """`span` (of the source text) carried over to the new text, with its new text."""
        start, end = self.span_forward(span.start, span.end)
        return Span(start, end, self.text[start:end])


def map_document(document: Document, edits: EditMap) -> Document:
    """`document` with its text replaced by `edits.text` and every span carried over.

    Ids, types, values and references are kept; only offsets and span texts change.
    The input document is not modified (documents are frozen).
    """
    if document.text != edits.source:
        raise ValueError(f"{document.id}: the edit map was built for another text")

    def carry(start: int, end: int) -> tuple[int, int, str]:
        new_start, new_end = edits.span_forward(start, end)
        return new_start, new_end, edits.text[new_start:new_end]

    def carry_span(span: Span | None) -> Span | None:
        return None if span is None else edits.map_span(span)

    def carry_argument(argument: Argument) -> Argument:
        return replace(argument, span=carry_span(argument.span))

    def carry_speaker(speaker: Speaker | None) -> Speaker | None:
        return None if speaker is None else replace(speaker, span=carry_span(speaker.span))

    def carry_quote(quote: Quote) -> Quote:
        return replace(
            quote,
            content=edits.map_span(quote.content),
            cue=carry_span(quote.cue),
            speaker=carry_speaker(quote.speaker),
        )

    entities = []
    for entity in document.entities:
        start, end, text = carry(entity.start, entity.end)
        entities.append(replace(entity, start=start, end=end, text=text))
    timexes = []
    for timex in document.timex:
        start, end, text = carry(timex.start, timex.end)
        timexes.append(replace(timex, start=start, end=end, text=text))
    events = [
        replace(
            event, trigger=edits.map_span(event.trigger), arguments=tuple(carry_argument(a) for a in event.arguments)
        )
        for event in document.events
    ]
    return replace(
        document,
        text=edits.text,
        entities=tuple(entities),
        timex=tuple(timexes),
        events=tuple(events),
        quotes=tuple(carry_quote(quote) for quote in document.quotes),
    )
