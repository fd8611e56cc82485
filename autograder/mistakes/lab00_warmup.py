"""Realistic wrong answers for lab00_warmup (see autograder.catalogue)."""

from autograder.catalogue import Mistake

MISTAKES = [
    Mistake(
        "lab00_warmup",
        "status-codes",
        "answer-create-note",
        "status_code=status.HTTP_201_CREATED",
        "status_code=status.HTTP_200_OK",
        "creating a note answers 200 instead of 201 Created",
    ),
]
