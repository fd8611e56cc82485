"""``course build``: regenerate labs/ (the release) and solutions/ from autograder/source/.

The release is made by nbgrader's own GenerateAssignment with the course's configuration,
so it is exactly what ``nbgrader generate_assignment`` would release; it is generated into
a scratch folder and then copied, which keeps the gradebook untouched and makes this the
only command that writes into labs/. Both outputs are written deterministically.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path

from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from autograder.config import load_config
from autograder.errors import CourseError
from autograder.layout import Lab
from autograder.nbgrader_log import error_collecting_logger
from labkit.notebooks import clear_outputs, read_notebook, solution_view, write_notebook


def generate_release(lab: Lab, out_dir: Path, course_config: Config | None = None) -> None:
    """Run nbgrader's GenerateAssignment for one lab into ``out_dir/release/<lab>/``.

    ``course_config``: the course's configuration, if the caller has loaded it already.
    """
    config = copy.deepcopy(course_config) if course_config is not None else load_config(lab.root)
    config.merge(
        Config(
            {
                "CourseDirectory": {
                    "release_directory": str(out_dir / "release"),
                    "assignment_id": lab.name,
                    # a throwaway gradebook: building must not touch the instructor's
                    "db_url": f"sqlite:///{out_dir / 'gradebook.db'}",
                },
                "GenerateAssignment": {"force": True},
                # nbgrader logs to .nbgrader.log in the working folder; build output goes to the console.
                "NbGrader": {"logfile": ""},
            }
        )
    )
    coursedir = CourseDirectory(config=config)
    log, errors = error_collecting_logger(f"course.build.{lab.name}")
    converter = GenerateAssignment(coursedir=coursedir, config=config, log=log)
    try:
        converter.start()
    except Exception as exc:  # nbgrader raises a generic error and logs the real cause
        causes = [e for e in errors if "Please see" not in e and "There was an error" not in e] or [str(exc)]
        raise CourseError(f"nbgrader could not generate {lab.name} from {lab.source}: {causes[-1][-1500:]}") from exc


def build_labs(labs: list[Lab], dest_root: Path | None = None) -> list[Path]:
    """Write the release and the solution of each lab under ``dest_root`` (default: the course).

    All labs share one scratch gradebook: creating a gradebook makes nbgrader run ``alembic``
    in a subprocess, which costs seconds, so it is done once per build rather than per lab.
    """
    written: list[Path] = []
    config = load_config(labs[0].root) if labs else None
    with tempfile.TemporaryDirectory(prefix="course-build-") as scratch:
        for lab in labs:
            written += _build_one(lab, dest_root or lab.root, Path(scratch), config)
    return written


def build_lab(lab: Lab, dest_root: Path | None = None) -> list[Path]:
    """Write the release and the solution of one lab (see :func:`build_labs`)."""
    return build_labs([lab], dest_root)


def _build_one(lab: Lab, dest_root: Path, scratch: Path, config: Config | None) -> list[Path]:
    read_notebook(lab.source)  # clear error for a broken source before nbgrader's own
    written: list[Path] = []
    generate_release(lab, scratch, config)
    generated = scratch / "release" / lab.name
    release_dir = dest_root / lab.layout.release / lab.name
    if release_dir.exists():
        shutil.rmtree(release_dir)
    release_dir.mkdir(parents=True)
    for item in sorted(generated.rglob("*")):
        target = release_dir / item.relative_to(generated)
        if item.is_dir():
            target.mkdir(exist_ok=True)
        elif item.suffix == ".ipynb":
            nb = read_notebook(item)
            clear_outputs(nb)
            write_notebook(nb, target)
            written.append(target)
        else:
            shutil.copy2(item, target)
            written.append(target)

    solution = solution_view(read_notebook(lab.source))
    solution_path = dest_root / lab.layout.solutions / lab.name / f"{lab.name}.ipynb"
    write_notebook(solution, solution_path)
    written.append(solution_path)
    return written
