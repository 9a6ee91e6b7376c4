"""The TextEE event tables of a whole corpus at once: `event_keys` + `add_events` on arrays.

Each side's triggers and arguments become columns (pair index, trigger extent, event type,
argument extent, role; an argument's `ref` resolved through the entity and timex extents as
`argument_extents` does, an unresolved one left out), each metric's key a row of them. A
key's true positives are min(gold count, pred count), credited to the label and unit of
the last prediction with that key, as `add_events` does; every key also counts as a
prediction or a gold item at its trigger's unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from khabar.document import Document, Entity, Timex
from khabar.eval.goldarrays import Arrays, coded, derived, label_columns
from khabar.eval.layers import ALL, EVENT_METRICS, GOLD, PRED, TP, Accumulator
from khabar.eval.results import CountTable
from khabar.eval.spancounts import LocateMany, Pairs, Part, count_tables
from khabar.eval.spankeys import exact_matches, nested_key_codes


@dataclass(frozen=True)
class EventColumns:
    """One side's triggers (one row per event) and arguments (one row per resolved argument,
    `event` the row of its event)."""

    pair: np.ndarray
    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray  # event type code
    unit: np.ndarray  # the unit of the trigger's start
    event: np.ndarray
    arg_start: np.ndarray
    arg_end: np.ndarray
    role: np.ndarray  # role code


def event_columns(documents: Sequence[Document], locate_many: LocateMany, names: dict[str, int]) -> EventColumns:
    """The columns of `documents` (document i of pair i); labels coded into `names`."""
    found = derived(documents, "events", _event_arrays)
    pairs, starts = found["pair"], found["start"]
    return EventColumns(
        pairs,
        starts,
        found["end"],
        coded(found, "kind", names),
        locate_many(pairs, starts),
        found["event"],
        found["arg_start"],
        found["arg_end"],
        coded(found, "role", names),
    )


def _event_arrays(documents: Sequence[Document]) -> Arrays:
    pair: list[int] = []
    start: list[int] = []
    end: list[int] = []
    kinds: list[str] = []
    event: list[int] = []
    arg_start: list[int] = []
    arg_end: list[int] = []
    roles: list[str] = []
    # One pass of plain appends: most of a large corpus's counting time is walking its objects.
    row = 0
    for index, document in enumerate(documents):
        events = document.events
        if not events:
            continue
        mentions = None
        for item in events:
            trigger = item.trigger
            start.append(trigger.start)
            end.append(trigger.end)
            kinds.append(item.type)
            for argument in item.arguments:
                if argument.ref is not None:
                    if mentions is None:
                        mentions = mention_objects(document)
                    target = mentions.get(argument.ref)  # unresolved: left out, as `argument_extents` does
                else:
                    target = argument.span
                if target is not None:
                    event.append(row)
                    arg_start.append(target.start)
                    arg_end.append(target.end)
                    roles.append(argument.role)
            row += 1
        pair += [index] * len(events)
    return {
        "pair": _ints(pair),
        "start": _ints(start),
        "end": _ints(end),
        **label_columns("kind", kinds),
        "event": _ints(event),
        "arg_start": _ints(arg_start),
        "arg_end": _ints(arg_end),
        **label_columns("role", roles),
    }


def mention_objects(document: Document) -> dict[str, Entity | Timex]:
    """`mention_extents` with the mentions themselves (a timex over an entity of the same id),
    their extents read only for the refs that point at them."""
    mentions: dict[str, Entity | Timex] = {entity.id: entity for entity in document.entities}
    mentions.update({timex.id: timex for timex in document.timex})
    return mentions


def _ints(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def count_events(pairs: Pairs, locate_many: LocateMany, declared: Accumulator) -> dict[str, CountTable]:
    """The tables `add_events` gives for `pairs` (spans unmapped)."""
    names = {ALL: 0}
    gold = event_columns([gold for gold, _ in pairs], locate_many, names)
    pred = event_columns([pred for _, pred in pairs], locate_many, names)
    n_gold, n_args = len(gold.pair), len(gold.event)

    def both(column: str, per_argument: bool = False) -> np.ndarray:
        """Both sides' `column`, gold first; an event column repeated for each argument."""
        gold_column, pred_column = getattr(gold, column), getattr(pred, column)
        if per_argument:
            gold_column, pred_column = gold_column[gold.event], pred_column[pred.event]
        return np.concatenate([gold_column, pred_column])

    # Each class key is its identification key and one column more (type or role), so the
    # two are coded from one sort.
    trig_c, trig_i = nested_key_codes([both("pair"), both("start"), both("end"), both("kind")], n_gold)
    arg_extent = [both("arg_start"), both("arg_end")]
    arg_c, arg_i = nested_key_codes([both("pair", True), both("kind", True), *arg_extent, both("role")], n_args)
    trig_c_of_argument = np.concatenate([trig_c[0][gold.event], trig_c[1][pred.event]])
    arg_c_plus, arg_i_plus = nested_key_codes([trig_c_of_argument, *arg_extent, both("role")], n_args)
    keys = {  # metric: (codes, rows, label column)
        "Trig-I": (trig_i, "event", None),
        "Trig-C": (trig_c, "event", "kind"),
        "Arg-I": (arg_i, "argument", None),
        "Arg-C": (arg_c, "argument", "role"),
        "Arg-I+": (arg_i_plus, "argument", None),
        "Arg-C+": (arg_c_plus, "argument", "role"),
    }
    parts: dict[str, list[Part]] = {}
    for metric in EVENT_METRICS:
        (gold_codes, pred_codes, n_keys), rows, label = keys[metric]
        gold_label, gold_unit = _labels_units(gold, rows, label)
        pred_label, pred_unit = _labels_units(pred, rows, label)
        matches = exact_matches(gold_codes, pred_codes, n_keys)
        parts[metric] = [
            Part(GOLD, gold_label, gold_unit),
            Part(PRED, pred_label, pred_unit),
            Part(TP, pred_label[matches.last_pred], pred_unit[matches.last_pred], matches.count),
        ]
    return count_tables(declared, list(names), parts)


def _labels_units(side: EventColumns, rows: str, label: str | None) -> tuple[np.ndarray, np.ndarray]:
    """The label code and unit of each key of one side, a key per event or per argument; every
    key sits at its trigger's unit."""
    unit = side.unit[side.event] if rows == "argument" else side.unit
    if label is None:
        return np.zeros(len(unit), dtype=np.int64), unit  # ALL is code 0
    return getattr(side, label), unit  # the event type of a trigger key, the role of an argument key
