"""The README's module table states each lab's points per rubric item: they must be the lab's.

Labs change their points as their tests grow; a table that drifts tells instructors the wrong
weights. Each row's last column is compared with the lab source's graded cells.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from labkit.notebooks import read_notebook
from labkit.rubric import rubric_key
from tests.conftest import REPO, labs_under_test


def points_by_item(lab) -> tuple[Counter, float]:
    """Autograded points per rubric key, and the manually graded points, from the lab's source."""
    auto: Counter = Counter()
    manual = 0.0
    for cell in read_notebook(lab.source).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade"):
            continue
        key = rubric_key(meta["grade_id"])
        if key:
            auto[key] += meta.get("points", 0)
        else:
            manual += meta.get("points", 0)
    return auto, manual


def readme_row(lab_number: str) -> str:
    rows = [line for line in (REPO / "README.md").read_text().splitlines() if line.startswith(f"| {lab_number} |")]
    assert len(rows) == 1, f"the README's module table needs exactly one row for lab {lab_number}"
    return rows[0].split("|")[-2].strip()


@pytest.mark.parametrize("lab", labs_under_test(), ids=lambda lab: lab.name)
def test_readme_states_the_labs_points(lab):
    auto, manual = points_by_item(lab)
    stated = readme_row(lab.name[3:5])
    claimed_manual = re.search(r"manual (\d+(?:\.\d+)?)", stated)
    stated_manual = float(claimed_manual.group(1)) if claimed_manual else 0.0
    assert stated_manual == manual, f"README says {stated!r}; the lab has {manual:g} manually graded points"
    everything = re.fullmatch(r"all eleven items (\d+)(?:, manual \d+)?", stated)
    if everything:  # the capstone: one total over every rubric item
        assert len(auto) == 11 and sum(auto.values()) == int(everything.group(1)), (stated, dict(auto))
        return
    claimed = {
        key: float(points) for key, points in re.findall(r"([a-z-]+) (\d+(?:\.\d+)?)", stated) if key != "manual"
    }
    assert claimed == dict(auto), f"README row of {lab.name} says {stated!r}; the lab has {dict(auto)}"
