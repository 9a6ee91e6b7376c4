"""Label inventories: the single source of truth for every label khabar knows.

Schema enums, Hugging Face ClassLabel names, the Label Studio config and the dataset
card's label tables are all generated from the definitions here.
"""

from __future__ import annotations

import colorsys

LAYERS: tuple[str, ...] = ("entities", "timex", "events", "quotes")

# WojoodNER types that apply to named mentions (PER is Wojood's PERS); ACE 2005
# semantics for metonymy. Descriptions are the short form; guidelines/entities.md
# holds the full definitions with examples.
ENTITY_TYPES: dict[str, str] = {
    "PER": "person named by name",
    "NORP": "nationality, religious or political group",
    "OCC": "occupation or title (e.g. وزير، الرئيس، قائد)",
    "ORG": "organisation: government body, company, armed group, coalition",
    "GPE": "geo-political entity: country, city, state, also as its government",
    "LOC": "location without government: region, body of water, area",
    "FAC": "facility: building, airport, road, base",
    "EVENT": "named event (e.g. a named war or conference)",
    "WEBSITE": "website, platform or online service",
}

# Projections of our entity types onto other tag sets, so that models trained on
# them can be scored. `None` means the type has no counterpart and becomes O.
WOJOOD_PROJECTION: dict[str, str | None] = {
    "PER": "PERS",
    "NORP": "NORP",
    "OCC": "OCC",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "FAC",
    "EVENT": "EVENT",
    "WEBSITE": "WEBSITE",
}
# CoNLL-2003 / ANERcorp: GPE, LOC and FAC collapse to LOC as in ANERcorp; NORP,
# EVENT and WEBSITE are MISC; titles (OCC) are not named entities there.
CONLL_PROJECTION: dict[str, str | None] = {
    "PER": "PER",
    "NORP": "MISC",
    "OCC": None,
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "EVENT": "MISC",
    "WEBSITE": "MISC",
}
TAGSET_PROJECTIONS: dict[str, dict[str, str | None]] = {
    "khabar": {label: label for label in ENTITY_TYPES},
    "wojood": WOJOOD_PROJECTION,
    "conll": CONLL_PROJECTION,
}

# TimeML TIMEX3.
TIMEX_TYPES: dict[str, str] = {
    "DATE": "calendar date or period at the granularity of a day or coarser",
    "TIME": "time of day, or a date with a time of day",
    "DURATION": "length of time (e.g. 10 سنوات → P10Y)",
    "SET": "recurring time (e.g. كل عام → P1Y with quant EVERY)",
}
TIMEX_MODS: tuple[str, ...] = (
    "BEFORE",
    "AFTER",
    "ON_OR_BEFORE",
    "ON_OR_AFTER",
    "LESS_THAN",
    "MORE_THAN",
    "EQUAL_OR_LESS",
    "EQUAL_OR_MORE",
    "START",
    "MID",
    "END",
    "APPROX",
)

# ACE 2005 event types (TYPE:Subtype), all 33 subtypes.
ACE_EVENT_TYPES: dict[str, str] = {
    "Life:Be-Born": "a person is born",
    "Life:Marry": "two people marry",
    "Life:Divorce": "two people divorce",
    "Life:Injure": "a person is physically harmed",
    "Life:Die": "a person dies",
    "Movement:Transport": "an agent moves an artifact or person from one place to another",
    "Transaction:Transfer-Ownership": "ownership of an artifact passes from one agent to another",
    "Transaction:Transfer-Money": "money is given, lent or paid",
    "Business:Start-Org": "an organisation is founded",
    "Business:Merge-Org": "organisations merge",
    "Business:Declare-Bankruptcy": "an organisation declares bankruptcy",
    "Business:End-Org": "an organisation ceases to exist",
    "Conflict:Attack": "a violent physical act causing harm or damage",
    "Conflict:Demonstrate": "a public demonstration or protest",
    "Contact:Meet": "two or more entities meet face to face",
    "Contact:Phone-Write": "communication not face to face (call, letter, post)",
    "Personnel:Start-Position": "a person starts working for an organisation",
    "Personnel:End-Position": "a person stops working for an organisation",
    "Personnel:Nominate": "a person is nominated for a position",
    "Personnel:Elect": "a person is elected",
    "Justice:Arrest-Jail": "a person is arrested or jailed",
    "Justice:Release-Parole": "a person is released from custody",
    "Justice:Trial-Hearing": "a trial or hearing takes place",
    "Justice:Charge-Indict": "a person or organisation is charged",
    "Justice:Sue": "a lawsuit is filed",
    "Justice:Convict": "a person or organisation is convicted",
    "Justice:Sentence": "a sentence is handed down",
    "Justice:Fine": "a fine is imposed",
    "Justice:Execute": "a person is executed",
    "Justice:Extradite": "a person is extradited",
    "Justice:Acquit": "a person is acquitted",
    "Justice:Appeal": "a decision is appealed",
    "Justice:Pardon": "a person is pardoned",
}
# Extensions beyond ACE 2005, each defined in guidelines/events.md.
EVENT_EXTENSIONS: dict[str, str] = {
    "Alliance:Join": "a state or organisation becomes a member or partner of a coalition or alliance",
    "Sanction:Delist": "an authority removes a person or organisation from a sanctions or terrorism list",
}
EVENT_TYPES: dict[str, str] = {**ACE_EVENT_TYPES, **EVENT_EXTENSIONS}

EVENT_ROLES: tuple[str, ...] = (
    "Agent",
    "Victim",
    "Instrument",
    "Attacker",
    "Target",
    "Artifact",
    "Vehicle",
    "Origin",
    "Destination",
    "Buyer",
    "Seller",
    "Beneficiary",
    "Giver",
    "Recipient",
    "Money",
    "Org",
    "Person",
    "Entity",
    "Position",
    "Defendant",
    "Prosecutor",
    "Plaintiff",
    "Adjudicator",
    "Crime",
    "Sentence",
    "Price",
    "Place",
    "Time-Within",
    "Time-Holds",
    "Time-Starting",
    "Time-Ending",
    "Time-Before",
    "Time-After",
    "Time-At-Beginning",
    "Time-At-End",
)
EVENT_REALIS: tuple[str, ...] = ("actual", "generic", "other")

# PARC 3.0 attribution kinds.
QUOTE_KINDS: dict[str, str] = {
    "direct": "verbatim words of the source, inside quotation marks",
    "indirect": "paraphrase of the source's words, no quotation marks",
    "mixed": "paraphrase that contains a verbatim quoted part",
}

# What a `ref` may point to, per referring field.
REF_TARGETS: dict[str, tuple[str, ...]] = {
    "event_argument": ("entities", "timex"),
    "quote_speaker": ("entities",),
}


def layer_labels(layer: str) -> tuple[str, ...]:
    """The labels of a layer's flat token view (event triggers are tagged by type)."""
    labels = {
        "entities": ENTITY_TYPES,
        "timex": TIMEX_TYPES,
        "events": EVENT_TYPES,
        "quotes": QUOTE_KINDS,
    }[layer]
    return tuple(labels)


def iob2_tags(layer: str) -> tuple[str, ...]:
    """All IOB2 tags of a layer, `O` first: the ClassLabel names of its tag column."""
    tags = ["O"]
    for label in layer_labels(layer):
        tags += [f"B-{label}", f"I-{label}"]
    return tuple(tags)


TAG_COLUMNS: dict[str, str] = {
    "entities": "ner_tags",
    "timex": "timex_tags",
    "events": "trigger_tags",
    "quotes": "quote_tags",
}

# One colour per label, defined once here and shared by every view that draws labels (the
# HTML report, the Label Studio labeling config), so a label looks the same everywhere.
# The first nine are Tableau 10 without its grey (grey reads as "no label"); further
# labels take hues spaced by the golden angle, at a lightness dark enough for white text.
_TABLEAU = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf")
_GOLDEN_ANGLE = 0.381966


def _palette(size: int) -> tuple[str, ...]:
    """`size` distinct colours: Tableau's first, then golden-angle hues."""
    colours = list(_TABLEAU[:size])
    index = 0
    while len(colours) < size:
        red, green, blue = colorsys.hls_to_rgb((0.07 + index * _GOLDEN_ANGLE) % 1.0, 0.40, 0.62)
        candidate = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
        if candidate not in colours:
            colours.append(candidate)
        index += 1
    return tuple(colours)


def _assign(labels: tuple[str, ...]) -> dict[str, str]:
    return dict(zip(labels, _palette(len(labels)), strict=True))


LABEL_COLOURS: dict[str, dict[str, str]] = {layer: _assign(layer_labels(layer)) for layer in LAYERS}
ROLE_COLOURS: dict[str, str] = _assign(EVENT_ROLES)
# A control with one label in Label Studio (an event's trigger, an argument span, a quote's
# cue and speaker), and the fallback of an argument whose role has no colour.
PART_COLOURS: dict[str, str] = {"trigger": "#d62728", "argument": "#ff7f0e", "cue": "#8c564b", "speaker": "#e377c2"}


def label_colour(layer: str, label: str) -> str:
    """The colour of a label of a layer (`ValueError` for a label the layer does not have)."""
    try:
        return LABEL_COLOURS[layer][label]
    except KeyError:
        raise ValueError(f"no colour for {layer} label {label!r}") from None


def entity_labels_of(tagset: str) -> frozenset[str]:
    """Entity labels a prediction may use under `tagset`: khabar's, plus the target set's."""
    return frozenset(ENTITY_TYPES) | {label for label in TAGSET_PROJECTIONS[tagset].values() if label is not None}


def tagset_hint(label: str, tagset: str) -> str:
    """For a label unknown under `tagset`: which `--tagset` knows it (or ``""``)."""
    knowing = [name for name in TAGSET_PROJECTIONS if name != tagset and label in entity_labels_of(name)]
    if knowing:
        return f"{label} is a {knowing[0]} label: score with --tagset {knowing[0]}"
    if label in TIMEX_TYPES:
        return f"{label} is a TIMEX3 type: put it in the timex layer"
    return ""


def layer_of_label(label: str, tagset: str = "khabar") -> str | None:
    """The layer a bare label belongs to (entity type, TIMEX3 type, event type or quote kind).

    TIMEX3 types win over an entity tag set's `DATE`/`TIME` (as in Wojood and OntoNotes,
    whose dates are khabar's timex layer). None for a label no layer knows.
    """
    if label in TIMEX_TYPES:
        return "timex"
    if label in entity_labels_of(tagset) or any(label in entity_labels_of(name) for name in TAGSET_PROJECTIONS):
        return "entities"
    if label in EVENT_TYPES:
        return "events"
    if label in QUOTE_KINDS:
        return "quotes"
    return None
