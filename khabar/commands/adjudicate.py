"""`khabar adjudicate`: merge what two passes agree on; list every disagreement for a decision."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_format


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "adjudicate",
        help="merge two passes: what agrees is kept, each disagreement is listed for a decision",
        description=(
            "Write the pass OUT with what PASS_A and PASS_B agree on (A's ids) and OUT/disagreements.jsonl with "
            "every disagreement (layer, offsets, text, each side's label or value). The adjudicator decides them, "
            "e.g. in Label Studio: `khabar ls push --blind --pass OUT --pass PASS_A --pass PASS_B` shows the three "
            "versions as pre-annotations of each task; the decided pass becomes gold only through `khabar promote`."
        ),
    )
    parser.add_argument("pass_a", type=Path, metavar="PASS_A", help="a pass folder")
    parser.add_argument("pass_b", type=Path, metavar="PASS_B", help="another pass of the same documents")
    parser.add_argument("--out", type=Path, required=True, help="the adjudication pass folder to write")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)")
    add_format(parser)
    # OUT is a pass folder, checked by the pass writer (never the gold), not a plain output.
    parser.set_defaults(run=run, output_options=())


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.eval.render import render_disagreements
    from khabar.runs.annotate import DISAGREEMENTS_FILE, adjudicate

    result = adjudicate(args.pass_a, args.pass_b, args.out, args.corpus)
    status.note(result.notes)
    sys.stdout.write(render_disagreements(result.disagreements, args.format))
    status.status(
        f"wrote {len(result.documents)} document(s) to {args.out}; {len(result.disagreements)} disagreement(s) "
        f"to decide are in {args.out / DISAGREEMENTS_FILE}"
    )
    return 0
