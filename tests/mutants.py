"""Deliberately wrong submissions: each must lose points on exactly one rubric item.

A mutant takes a lab's worked solution and changes one answer cell the way a learner
plausibly would get it wrong. The grading tests autograde every mutant with real nbgrader
and assert that the rubric items losing points are exactly ``{mutant.key}``: proof that the
lab's checks can fail, and fail on the concept they claim to grade.

Every rubric item that a lab grades needs at least one mutant here (a test enforces it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    lab: str
    key: str  # the rubric item that must lose points, and the only one
    cell: str  # grade id of the answer cell to change
    old: str  # text that must occur in that cell of the solution
    new: str  # what replaces it
    why: str  # the mistake, in a learner's terms

    @property
    def student(self) -> str:
        return f"mutant-{self.key}-{self.cell}"


MUTANTS: list[Mutant] = [
    Mutant(
        "lab00_warmup",
        "status-codes",
        "answer-create-note",
        "status_code=status.HTTP_201_CREATED",
        "status_code=status.HTTP_200_OK",
        "creating a note answers 200 instead of 201 Created",
    ),
    Mutant(
        "lab01_api_design",
        "status-codes",
        "answer-delete",
        "return Response(status_code=status.HTTP_204_NO_CONTENT)",
        'return Response(status_code=status.HTTP_200_OK, content="deleted")',
        "delete answers 200 with a body instead of 204 No Content",
    ),
    Mutant(
        "lab01_api_design",
        "status-codes",
        "answer-create",
        'response.headers["Location"] = f"{router.prefix}/{row[\'id\']}"',
        "pass",
        "create forgets the Location header",
    ),
    Mutant(
        "lab01_api_design",
        "models",
        "answer-models",
        "price: Decimal = Field(gt=0,",
        "price: Decimal = Field(ge=0,",
        "a free (zero-price) product passes validation",
    ),
    Mutant(
        "lab01_api_design",
        "models",
        "answer-list",
        "Query(20, ge=1, le=100,",
        "Query(20, ge=1, le=1000,",
        "the page size is not bounded at 100",
    ),
    Mutant(
        "lab01_api_design",
        "openapi",
        "answer-get",
        'response_model=Envelope[ProductOut], responses=NOT_FOUND, summary="Get a product"',
        'response_model=Envelope[ProductOut], summary="Get a product"',
        "the 404 of GET /products/{id} is raised but not documented",
    ),
]
