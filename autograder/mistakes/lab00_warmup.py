"""Wrong variants of lab00_warmup (see autograder/mistakes/__init__.py)."""

from autograder.mistakes import Mutant

MUTANTS = [
    Mutant(
        "lab00_warmup",
        "status-codes",
        "answer-create-note",
        "status_code=status.HTTP_201_CREATED",
        "status_code=status.HTTP_200_OK",
        "creating a note answers 200 instead of 201 Created",
    ),
]
