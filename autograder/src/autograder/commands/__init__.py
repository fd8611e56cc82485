"""The ``course`` command's subcommands, one module each; this table lists them.

The table names each command's module and one line of help, so ``course --help`` imports
nothing heavy. A command module defines ``add_arguments(parser)`` and ``run(args) -> int``,
and imports only the operations it runs (never another command).
"""

from __future__ import annotations

COMMANDS: dict[str, str] = {
    "check": "run a notebook as the grader would, with the visible tests",
    "build": "regenerate labs/ and solutions/ from autograder/source/",
    "lint": "check every lab source against the course's rules",
    "prove": "grade a lab's solution, mistakes and alternatives for real; judge each result",
    "labs": "list the labs",
    "collect": "import an LMS bulk download (Canvas, Moodle) into autograder/submitted/",
    "grade": "grade every submission of a lab in parallel, resumably",
    "feedback": "per-student HTML feedback by rubric item, hidden tests concealed",
    "report": "the class by rubric item and task, in the terminal and as HTML",
    "export": "CSV: nbgrader's columns, points per rubric item, and flags",
    "demo": "the instructor's whole job, end to end, on a bundled sample class",
    "publish": "write the learner edition: lessons, released labs, the learner's tools; nothing hidden",
    "benchmark": "time course grade against plain nbgrader and bare execution",
}
