"""Wrong variants of lab01_api_design (see autograder/mistakes/__init__.py)."""

from autograder.mistakes import Mutant

MUTANTS = [
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
