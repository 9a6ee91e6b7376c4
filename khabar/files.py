"""Writing output files whole or not at all, with one-line errors instead of tracebacks.

Every command that writes a file goes through `write_atomically`: the content goes to a
temporary file beside the target, which is then renamed over it, so a failure never
leaves a partial file. Any OS error (the target is a folder, a folder is not writable,
the disk is full) becomes an `InputError` naming the target, which the CLI prints as
`Error: <path>: cannot write: <reason>` with exit code 2.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from khabar.errors import InputError


def cannot_write(error: OSError, path: Path | str, what: str = "") -> InputError:
    """The one-line error for an OS error met while writing `path` (`what` names the content)."""
    reason = error.strerror or str(error)
    return InputError(f"cannot write{' ' + what if what else ''}: {reason}", where=str(path))


def write_atomically(path: Path, content: str | bytes, *, what: str = "") -> None:
    """Write `content` (text as UTF-8) to `path` through a temporary file and a rename;
    `what` names the content in the error message ("cannot write the report: …")."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp creates the file private (0600); give it the mode a plain write would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise cannot_write(error, path, what) from None
    except BaseException:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise
