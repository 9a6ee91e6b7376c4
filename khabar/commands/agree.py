"""`khabar agree`: inter-annotator agreement between two annotation folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_bootstrap, add_format, add_layers, add_seed


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "agree",
        help="inter-annotator agreement between two annotation folders",
        description=(
            "Agreement between two annotations of the same documents: span F1 per layer and label (with "
            "95% bootstrap intervals), quote cues, timex value and quote speaker agreement, Cohen's kappa on "
            "the token view, then every disagreement (layer, offsets, text, each side's label or value)."
        ),
    )
    parser.add_argument("annotations_a", type=Path, metavar="ANNOTATIONS_A", help="corpus or annotation folder")
    parser.add_argument("annotations_b", type=Path, metavar="ANNOTATIONS_B", help="corpus or annotation folder")
    add_layers(parser, help="layers to compare")
    add_bootstrap(parser)
    add_seed(parser)
    add_format(parser, ("table", "json"))
    parser.set_defaults(run=run)


def render(result) -> str:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.eval.render import count, interval, percent
    from khabar.eval.signature import render as render_signature

    header = ["layer", "measure", "label", "value", "95% CI", "A", "B"]
    rows = []
    for row in result.rows:
        value = percent(row.value) if "kappa" not in row.measure else ("–" if row.value is None else f"{row.value:.3f}")
        counts = ["" if item is None else count(item) for item in (row.support_a, row.support_b)]
        rows.append([row.layer, row.measure, row.label, value, interval(row.ci) if row.ci else "", *counts])
    widths = [max(len(line[index]) for line in [header, *rows]) for index in range(len(header))]
    lines = []
    for line in [header, *rows]:
        cells = [cell.ljust(widths[i]) if i < 3 else cell.rjust(widths[i]) for i, cell in enumerate(line)]
        lines.append("  ".join(cells).rstrip())
    lines.append(render_signature(result.signature))
    lines.append("")
    lines.append(f"disagreements: {len(result.disagreements)}")
    lines += [f"  {item.describe()}" for item in result.disagreements]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.eval.render import to_json
    from khabar.runs.agree import agree_folders

    result, notes = agree_folders(
        args.annotations_a, args.annotations_b, layers=args.layers, bootstrap=args.bootstrap, seed=args.seed
    )
    status.note(notes)
    sys.stdout.write(to_json(result.to_dict()) if args.format == "json" else render(result))
    return 0
