"""The Label Studio labeling config, generated from the label inventories.

One `Text` object (`text`) shown right to left. Label Studio's `Text` tag has no `dir`
attribute, so the direction comes from the wrapping `View`'s style and a `Style` block.

Controls (their `name` is the `from_name` of every result; `tasks` and `annotations`
use the constants below, so the config and the converters cannot drift apart):

| control          | kind                | holds                                                   |
| ---------------- | ------------------- | ------------------------------------------------------- |
| `entity`         | Labels              | entity mentions, one label per entity type              |
| `timex`          | Labels              | TIMEX3 extents, one label per TIMEX3 type               |
| `timex_value`    | TextArea, perRegion | the TIMEX3 value of a `timex` region                    |
| `timex_mod`      | Choices, perRegion  | its optional TIMEX3 mod                                 |
| `timex_anchor`   | TextArea, perRegion | its optional anchor (`DCT` or a timex id)               |
| `trigger`        | Labels              | event triggers (one label, `TRIGGER`)                   |
| `event_type`     | Choices, perRegion  | the ACE type of a `trigger` region                      |
| `realis`         | Choices, perRegion  | its optional realis                                     |
| `argument`       | Labels              | an argument span that is not an entity or timex         |
| `quote`          | Labels              | quote content, one label per kind                       |
| `cue`            | Labels              | an attribution cue                                      |
| `source`         | Labels              | a speaker span that is not an entity                    |
| `relations`      | Relations           | argument roles (trigger → argument), `cue` and `speaker` (quote → region) |
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from khabar.inventories import (
    ENTITY_TYPES,
    EVENT_REALIS,
    EVENT_ROLES,
    EVENT_TYPES,
    PART_COLOURS,
    QUOTE_KINDS,
    ROLE_COLOURS,
    TIMEX_MODS,
    TIMEX_TYPES,
    label_colour,
)

TEXT = "text"
ENTITY = "entity"
TIMEX = "timex"
TIMEX_VALUE = "timex_value"
TIMEX_MOD = "timex_mod"
TIMEX_ANCHOR = "timex_anchor"
TRIGGER = "trigger"
EVENT_TYPE = "event_type"
REALIS = "realis"
ARGUMENT = "argument"
QUOTE = "quote"
CUE = "cue"
SOURCE = "source"

TRIGGER_LABEL = "TRIGGER"
ARGUMENT_LABEL = "ARGUMENT"
CUE_LABEL = "CUE"
SOURCE_LABEL = "SPEAKER"
# Relation labels besides the event roles: quote content → cue region, quote content → speaker.
CUE_RELATION = "cue"
SPEAKER_RELATION = "speaker"
RELATION_LABELS: tuple[str, ...] = (*EVENT_ROLES, CUE_RELATION, SPEAKER_RELATION)

# The span-labelling controls and the labels each allows.
SPAN_CONTROLS: dict[str, tuple[str, ...]] = {
    ENTITY: tuple(ENTITY_TYPES),
    TIMEX: tuple(TIMEX_TYPES),
    TRIGGER: (TRIGGER_LABEL,),
    ARGUMENT: (ARGUMENT_LABEL,),
    QUOTE: tuple(QUOTE_KINDS),
    CUE: (CUE_LABEL,),
    SOURCE: (SOURCE_LABEL,),
}
# Per-region controls: which span control they describe.
PER_REGION_CONTROLS: dict[str, str] = {
    TIMEX_VALUE: TIMEX,
    TIMEX_MOD: TIMEX,
    TIMEX_ANCHOR: TIMEX,
    EVENT_TYPE: TRIGGER,
    REALIS: TRIGGER,
}

# One colour per label, the palette of `khabar.inventories` that the HTML report also draws
# with: a label of a layer (entity type, TIMEX3 type, quote kind) has its own colour; a
# control with one label (trigger, argument, cue, speaker) has the colour of that part;
# a relation has its role's colour, or the colour of its part (cue, speaker).
_LAYERS = {ENTITY: "entities", TIMEX: "timex", QUOTE: "quotes"}
_PARTS = {TRIGGER: "trigger", ARGUMENT: "argument", CUE: "cue", SOURCE: "speaker"}


def label_background(control: str, value: str) -> str:
    """The colour of a label `value` of a span control."""
    if control in _LAYERS:
        return label_colour(_LAYERS[control], value)
    return PART_COLOURS[_PARTS[control]]


def relation_background(value: str) -> str:
    """The colour of a relation label: an event role's colour, else its part's (cue, speaker)."""
    return ROLE_COLOURS[value] if value in ROLE_COLOURS else PART_COLOURS[value]


_STYLE = """
    .khabar-rtl { direction: rtl; text-align: right; unicode-bidi: plaintext; }
    .khabar-rtl .lsf-htx-richtext, .khabar-rtl .htx-richtext { direction: rtl; text-align: right; }
    .khabar-rtl { font-size: 1.25em; line-height: 2.2; }
"""


def _labels(name: str, title: str, values: dict[str, str] | tuple[str, ...]) -> list[str]:
    hints = values if isinstance(values, dict) else {}
    lines = [f'  <Header value={quoteattr(title)} size="6"/>']
    lines.append(f'  <Labels name={quoteattr(name)} toName={quoteattr(TEXT)} showInline="true">')
    for value in values:
        hint = f" hint={quoteattr(hints[value])}" if value in hints else ""
        background = quoteattr(label_background(name, value))
        lines.append(f"    <Label value={quoteattr(value)} background={background}{hint}/>")
    lines.append("  </Labels>")
    return lines


def _per_region_choices(
    name: str, span_control: str, values: dict[str, str] | tuple[str, ...], required: bool
) -> list[str]:
    hints = values if isinstance(values, dict) else {}
    attributes = (
        f'name={quoteattr(name)} toName={quoteattr(TEXT)} perRegion="true" '
        f'whenTagName={quoteattr(span_control)} choice="single"'
    )
    if required:
        attributes += ' required="true"'
    lines = [f"    <Choices {attributes}>"]
    for value in values:
        hint = f" hint={quoteattr(hints[value])}" if value in hints else ""
        lines.append(f"      <Choice value={quoteattr(value)}{hint}/>")
    lines.append("    </Choices>")
    return lines


def _per_region_textarea(name: str, placeholder: str, required: bool) -> list[str]:
    attributes = (
        f'name={quoteattr(name)} toName={quoteattr(TEXT)} perRegion="true" editable="true" '
        f'maxSubmissions="1" rows="1" placeholder={quoteattr(placeholder)}'
    )
    if required:
        attributes += ' required="true"'
    return [f"    <TextArea {attributes}/>"]


GUIDELINES_POINTER = (
    "Guidelines: guidelines/README.md (general rules, workflow) and one file per layer: entities.md, timex.md, "
    "events.md, quotes.md. Hover a label for its one-line hint."
)


def label_config() -> str:
    """The labeling config XML (deterministic: the committed `config.xml` is compared to it)."""
    lines = ["<View>", f"  <Style>{_STYLE}  </Style>", '  <Header value="$doc_id"/>']
    # Where the rules are: each label below carries its one-line hint (hover it); the full text is the guidelines.
    lines.append(f'  <Header value={quoteattr(GUIDELINES_POINTER)} size="6"/>')
    lines.append('  <View className="khabar-rtl" style="direction: rtl; text-align: right;">')
    lines.append(f'    <Text name={quoteattr(TEXT)} value="$text" granularity="symbol"/>')
    lines.append("  </View>")
    lines += _labels(ENTITY, "Entities", ENTITY_TYPES)
    lines += _labels(TIMEX, "Dates and times (TIMEX3)", TIMEX_TYPES)
    lines += _labels(TRIGGER, "Event triggers", {TRIGGER_LABEL: "event trigger: choose its type below"})
    lines += _labels(ARGUMENT, "Event argument without an entity", {ARGUMENT_LABEL: "link it from its trigger"})
    lines += _labels(QUOTE, "Quote content", QUOTE_KINDS)
    lines += _labels(CUE, "Attribution cue", {CUE_LABEL: "link it from its quote with the relation 'cue'"})
    lines += _labels(SOURCE, "Speaker without an entity", {SOURCE_LABEL: "link it from its quote as 'speaker'"})
    lines.append(f'  <View visibleWhen="region-selected" whenTagName={quoteattr(TIMEX)}>')
    lines.append('    <Header value="TIMEX3 value, mod and anchor" size="6"/>')
    lines += _per_region_textarea(TIMEX_VALUE, "value, e.g. 2025-11-24, P10Y, PAST_REF", required=True)
    lines += _per_region_choices(TIMEX_MOD, TIMEX, TIMEX_MODS, required=False)
    lines += _per_region_textarea(TIMEX_ANCHOR, "anchor: DCT or a timex id", required=False)
    lines.append("  </View>")
    lines.append(f'  <View visibleWhen="region-selected" whenTagName={quoteattr(TRIGGER)}>')
    lines.append('    <Header value="Event type and realis" size="6"/>')
    lines += _per_region_choices(EVENT_TYPE, TRIGGER, EVENT_TYPES, required=True)
    lines += _per_region_choices(REALIS, TRIGGER, EVENT_REALIS, required=False)
    lines.append("  </View>")
    lines.append("  <Relations>")
    for value in RELATION_LABELS:
        lines.append(f"    <Relation value={quoteattr(value)} background={quoteattr(relation_background(value))}/>")
    lines.append("  </Relations>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"
