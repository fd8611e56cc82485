"""nbgrader's exchange, with the two permissions its default classes leave to chance.

Learners and the instructor pass files through one folder that every user of the machine
can write (``Exchange.root``: ``COURSE_EXCHANGE`` in ``nbgrader_config.py``). nbgrader's own
classes (``nbgrader/exchange/default/``) set the modes of what they create: the course
folder and ``outbound/`` 0755, ``inbound/`` 0733 with set-gid (learners can drop a submission
in but not list the others), released files 0644, each submission 0777 under a name with a
random part. Two things they leave to chance, and the course sets itself, on the
instructor's side only (learners run nbgrader's stock classes, configured in their own
``nbgrader_config.py``):

- **The root keeps its sticky bit.** ``release_assignment`` creates a missing root, or
  repairs one, as 0777: without the sticky bit (as on ``/tmp``) any learner may rename the
  course's folder in it and put a forged ``outbound/`` in its place. :class:`ReleaseAssignment`
  makes the root 1777.
- **Collected submissions are not world-writable.** ``collect`` copies each submission with
  the 0777 mode it had in ``inbound/``, so any user of the machine who can reach the course
  could change a collected notebook before it is graded. :class:`Collect` takes the write
  bits of others (and of the group, unless the course is group-shared) off what it collected.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_assignment import ExchangeReleaseAssignment


class ReleaseAssignment(ExchangeReleaseAssignment):
    """``nbgrader release_assignment``, leaving the exchange root world-writable and sticky."""

    def ensure_root(self) -> None:
        super().ensure_root()
        mode = os.stat(self.root).st_mode
        if mode & stat.S_ISVTX:
            return
        self.log.warning("Setting the sticky bit on the exchange directory %s (chmod +t)", self.root)
        try:
            os.chmod(self.root, stat.S_IMODE(mode) | stat.S_ISVTX)
        except PermissionError:
            self.fail(f"Could not set the sticky bit on {self.root}: ask its owner to run `chmod 1777 {self.root}`.")


class Collect(ExchangeCollect):
    """``nbgrader collect``, leaving what it collected writable by the instructor only."""

    def copy_files(self) -> None:
        super().copy_files()
        others_write = stat.S_IWOTH | (0 if self.coursedir.groupshared else stat.S_IWGRP)
        for record in self.src_records:
            folder = self.coursedir.format_path(
                self.coursedir.submitted_directory, record["username"], self.coursedir.assignment_id
            )
            for path in [Path(folder), *Path(folder).rglob("*")]:
                mode = stat.S_IMODE(path.lstat().st_mode)
                if mode & others_write and not path.is_symlink():
                    path.chmod(mode & ~others_write)
