"""Realistic wrong answers for lab01_api_design (see autograder.catalogue)."""

from autograder.catalogue import Mistake

MISTAKES = [
    Mistake(
        "lab01_api_design",
        "status-codes",
        "answer-delete",
        "return Response(status_code=status.HTTP_204_NO_CONTENT)",
        'return Response(status_code=status.HTTP_200_OK, content="deleted")',
        "delete answers 200 with a body instead of 204 No Content",
    ),
    Mistake(
        "lab01_api_design",
        "status-codes",
        "answer-create",
        'response.headers["Location"] = f"{router.prefix}/{row[\'id\']}"',
        "pass",
        "create forgets the Location header",
    ),
    Mistake(
        "lab01_api_design",
        "models",
        "answer-models",
        "price: Decimal = Field(gt=0,",
        "price: Decimal = Field(ge=0,",
        "a free (zero-price) product passes validation",
    ),
    Mistake(
        "lab01_api_design",
        "models",
        "answer-list",
        "Query(20, ge=1, le=100,",
        "Query(20, ge=1, le=1000,",
        "the page size is not bounded at 100",
    ),
    Mistake(
        "lab01_api_design",
        "openapi",
        "answer-get",
        'response_model=Envelope[ProductOut], responses=NOT_FOUND, summary="Get a product"',
        'response_model=Envelope[ProductOut], summary="Get a product"',
        "the 404 of GET /products/{id} is raised but not documented",
    ),
]
