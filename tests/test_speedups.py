"""What the grading process does once instead of per submission changes no verdict (autograder.grading.speedups)."""

from __future__ import annotations

import copy
import subprocess
import sys

import jsonschema
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from autograder.grading.speedups import _CachedJsonschema
from labkit.notebooks import read_notebook
from tests.conftest import REPO

SOURCE = REPO / "autograder" / "source" / "lab01_api_design" / "lab01_api_design.ipynb"


def _metadata() -> list[dict]:
    return [dict(c.metadata["nbgrader"]) for c in read_notebook(SOURCE).cells if "nbgrader" in c.metadata]


BROKEN = {
    "points as text": lambda m: m.update(points="three"),
    "unknown grade flag": lambda m: m.update(grade="yes"),
    "locked as text": lambda m: m.update(locked="no"),
    "schema as text": lambda m: m.update(schema_version="3"),
}


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_the_cached_validator_refuses_what_jsonschema_refuses(change):
    schema = MetadataValidator().schema
    cached = _CachedJsonschema(jsonschema)
    for metadata in _metadata():
        broken = copy.deepcopy(metadata)
        change(broken)
        with pytest.raises(jsonschema.ValidationError) as original:
            jsonschema.validate(broken, schema)
        with pytest.raises(jsonschema.ValidationError) as ours:
            cached.validate(broken, copy.deepcopy(schema))  # nbgrader reads the schema anew each time
        assert ours.value.message == original.value.message


def test_the_cached_validator_accepts_what_jsonschema_accepts():
    schema = MetadataValidator().schema
    cached = _CachedJsonschema(jsonschema)
    for metadata in _metadata():
        jsonschema.validate(metadata, schema)
        cached.validate(metadata, schema)


def test_fast_notebook_validation_refuses_a_broken_notebook(tmp_path):
    """nbformat with fastjsonschema (what graders and course check use) still refuses an invalid notebook."""
    broken = tmp_path / "broken.ipynb"
    broken.write_text(SOURCE.read_text().replace('"cell_type": "code"', '"cell_type": "cod"', 1))
    code = (
        "import sys, nbformat\nfrom labkit.kernel import fast_notebook_validation\nfast_notebook_validation()\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "try:\n    nbformat.validate(nb)\nexcept nbformat.ValidationError:\n    print('refused')\n"
        "from nbformat.json_compat import get_current_validator\nprint(get_current_validator().name)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(broken)], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["refused", "fastjsonschema"], result.stdout + result.stderr
