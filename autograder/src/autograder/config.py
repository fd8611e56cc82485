"""The course's nbgrader configuration, loaded as nbgrader loads it, once per command.

``nbgrader_config.py`` at the course root is the one place the course's settings live
(folders, the gradebook, the plug-ins). Every ``course`` command reads it through
:meth:`Course.at`, so nbgrader and the command agree. Loading it imports nbgrader and the
plug-ins (about a second), so a command loads it once and passes the :class:`Course` on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

from autograder.layout import CONFIG_FILE, Lab, Layout, find_root, get_lab, list_labs


def load_config(root: Path) -> Config:
    """The configuration in ``root/nbgrader_config.py``, as nbgrader itself would load it."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()


@dataclass(frozen=True)
class Course:
    """A course root with its configuration loaded: its folders, gradebook and labs."""

    root: Path
    config: Config
    layout: Layout

    @classmethod
    def at(cls, root: Path) -> Course:
        config = load_config(root)
        return cls(root, config, Layout.from_config(config))

    @classmethod
    def find(cls, start: Path | None = None) -> Course:
        """The course at or above ``start`` (default: the working folder)."""
        return cls.at(find_root(start))

    @property
    def db_url(self) -> str:
        """The gradebook's SQLAlchemy URL, as nbgrader will use it (``COURSE_DB_URL`` or the SQLite file)."""
        return str(self.config.CourseDirectory.db_url)

    def lab(self, name: str) -> Lab:
        return get_lab(self.root, name, self.layout)

    def labs(self) -> list[Lab]:
        return list_labs(self.root, self.layout)
