"""Realistic wrong answers for lab01_api_design (see autograder.catalogue): one or more per requirement.

Each one is what a learner or a code assistant plausibly writes, and each breaks the one
requirement it names, in the cell that pins it, and nothing graded under another rubric key.
"""

from autograder.catalogue import Mistake

LAB = "lab01_api_design"

# The worked solution's list endpoint, in parts, for the mistakes that rewrite several of its lines.
LIST_SIGNATURE = (
    '    limit: Annotated[int, Query(ge=1, le=100, description="Page size, 1 to 100")] = 20,\n'
    '    offset: Annotated[int, Query(ge=0, le=MAX_ID, description="How many products to skip")] = 0,\n'
)
LIST_RETURN = 'return Envelope[Page[ProductOut]](data=page, message=f"{len(rows)} of {page.total} products")'
LIST_BODY = (
    ") -> Envelope[Page[ProductOut]]:\n"
    '    """List products in id order, one page at a time, with the total count."""\n'
    "    rows = store.page(limit, offset)\n"
    "    page = Page[ProductOut](items=[ProductOut(**row) for row in rows], total=store.count(), limit=limit, "
    "offset=offset)\n"
    "    " + LIST_RETURN
)

# The first mistake is the sample class's typical one (autograder.sample_class).
MISTAKES = [
    # --------------------------------------------------------------------- Task 9: DELETE
    Mistake(
        LAB,
        "status-codes",
        "answer-delete",
        "return Response(status_code=status.HTTP_204_NO_CONTENT)",
        'return Response(status_code=status.HTTP_200_OK, content="deleted")',
        "delete answers 200 with a body instead of 204 No Content",
        requirement="delete-204-empty",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-delete",
        "    find_product(product_id)\n    store.delete(product_id)",
        '    find_product(product_id)["stock"] = 0',
        "delete only marks the product out of stock (a soft delete) instead of removing it",
        requirement="delete-removes-only-it",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-delete",
        "    find_product(product_id)\n    store.delete(product_id)",
        "    store.rows.pop(product_id, None)",
        "delete answers 204 whether or not the product exists, so a second delete is not 404",
        requirement="delete-twice-404",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-delete",
        "async def delete_product(product_id: ProductId)",
        "async def delete_product(product_id: int)",
        "the delete route's id is an unbounded int: 0 and ids past MAX_ID reach the handler",
        requirement="delete-id-bounds",
    ),
    # --------------------------------------------------------------------- Task 1: models
    Mistake(
        LAB,
        "models",
        "answer-models",
        'name: str = Field(min_length=1, max_length=100, examples=["Espresso cup"])',
        'name: str = Field(min_length=1, max_length=255, examples=["Espresso cup"])',
        "the name's limit is the database habit of 255 characters instead of the 100 the task sets",
        requirement="create-name",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "price: Decimal = Field(gt=0,",
        "price: Decimal = Field(ge=0,",
        "a free (zero-price) product passes validation",
        requirement="create-price-range",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "price: Decimal = Field(gt=0, le=1_000_000, decimal_places=2,",
        "price: Decimal = Field(gt=0, le=1_000_000, max_digits=8, decimal_places=2,",
        "max_digits=8 silently refuses the stated maximum price, 1,000,000.00 (nine digits)",
        requirement="create-price-range",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'price: Decimal = Field(gt=0, le=1_000_000, decimal_places=2, examples=["4.50"])',
        'price: Decimal = Field(gt=0, le=1_000_000, examples=["4.50"])',
        "the price has no limit on decimal places, so 4.505 is accepted",
        requirement="create-price-places",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'price: Decimal = Field(gt=0, le=1_000_000, decimal_places=2, examples=["4.50"])',
        "price: float = Field(gt=0, le=1_000_000, examples=[4.5])",
        "money is a float in ProductCreate, so 0.10 is not held exactly",
        requirement="create-price-decimal",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "description: str | None = Field(default=None, max_length=500)",
        "description: str | None = None",
        "the description has no length limit",
        requirement="create-description",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "stock: int = Field(default=0, ge=0, le=1_000_000)",
        "stock: int = Field(default=0, ge=0)",
        "the stock has no upper bound, so any integer reaches the store",
        requirement="create-stock",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "price: Decimal | MISSING = Field(MISSING, gt=0, le=1_000_000, decimal_places=2)",
        "price: Decimal | MISSING = MISSING",
        "the optional price of ProductUpdate lost its constraints, so PATCH accepts a price of 0",
        requirement="update-rules",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "name: str | MISSING = Field(MISSING, min_length=1, max_length=100)",
        "name: str | None = Field(None, min_length=1, max_length=100)",
        'ProductUpdate\'s name defaults to None, so {"name": null} is accepted and would erase the name',
        requirement="update-no-null",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "description: str | None | MISSING = Field(MISSING, max_length=500)",
        "description: str | MISSING = Field(MISSING, max_length=500)",
        "ProductUpdate refuses a null description, so a description can never be cleared",
        requirement="update-null-description",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "    price: Decimal\n    description: str | None\n    stock: int",
        "    price: Decimal\n    stock: int",
        "ProductOut forgets the description, so answers never show it",
        requirement="out-fields",
    ),
    # --------------------------------------------------------------------- Task 2: envelope
    Mistake(
        LAB,
        "models",
        "answer-envelope",
        '    status: Literal["success"] = "success"',
        '    status: Literal["success", "error"] = "success"',
        "the success envelope also accepts status 'error', which only the error envelope may carry",
        requirement="envelope-status",
    ),
    Mistake(
        LAB,
        "models",
        "answer-envelope",
        '    status: Literal["success"] = "success"',
        '    status: str = "success"',
        "the envelope's status is any string",
        requirement="envelope-status",
    ),
    Mistake(
        LAB,
        "models",
        "answer-envelope",
        "    data: T\n    message: str\n",
        '    data: T\n    message: str = "OK"\n',
        "the envelope's message defaults to 'OK', so a route can leave it out",
        requirement="envelope-message",
    ),
    Mistake(
        LAB,
        "models",
        "answer-envelope",
        "    data: T\n",
        "    data: Any\n",
        "the envelope's data is Any, so Envelope[ProductOut] accepts anything",
        requirement="envelope-generic",
    ),
    Mistake(
        LAB,
        "models",
        "answer-envelope",
        "    data: T\n    message: str\n",
        "    data: T\n    message: str\n    code: int = 200\n",
        "the envelope carries the status code as a fourth field",
        requirement="envelope-fields",
    ),
    Mistake(
        LAB,
        "models",
        "answer-envelope",
        "    items: list[T]\n",
        "    items: list[Any]\n",
        "the page's items are list[Any], so Page[ProductOut] accepts anything",
        requirement="page-fields",
    ),
    # --------------------------------------------------------------------- Task 3: list
    Mistake(
        LAB,
        "status-codes",
        "answer-list",
        LIST_BODY,
        LIST_BODY.replace(") -> Envelope[Page[ProductOut]]:", ") -> Page[ProductOut]:").replace(
            LIST_RETURN, "return page"
        ),
        "the list answers the page without the envelope",
        requirement="list-envelope",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-list",
        "rows = store.page(limit, offset)",
        'rows = sorted(store.rows.values(), key=lambda row: row["name"])[offset : offset + limit]',
        "the list is sorted by name, so 'Product 10' comes before 'Product 2'",
        requirement="list-id-order",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-list",
        "    rows = store.page(limit, offset)\n",
        '    if not store.count():\n        raise HTTPException(status_code=404, detail="No products yet")\n'
        "    rows = store.page(limit, offset)\n",
        "an empty collection is answered 404 instead of an empty page",
        requirement="list-empty",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-list",
        '@router.get("", summary="List products")',
        '@router.get("/", summary="List products")',
        "the collection is declared at '/', so /api/v1/products answers with a 307 redirect",
        requirement="list-no-redirect",
    ),
    # --------------------------------------------------------------------- Task 4: pagination
    Mistake(
        LAB,
        "models",
        "answer-list",
        'Query(ge=1, le=100, description="Page size, 1 to 100")] = 20',
        'Query(ge=1, le=100, description="Page size, 1 to 100")] = 10',
        "the default page size is 10 instead of 20",
        requirement="page-defaults",
    ),
    Mistake(
        LAB,
        "models",
        "answer-list",
        "rows = store.page(limit, offset)",
        "rows = store.page(limit, offset * limit)",
        "offset is read as a page number, not as the number of products to skip",
        requirement="page-window",
    ),
    Mistake(
        LAB,
        "models",
        "answer-list",
        "total=store.count()",
        "total=len(rows)",
        "total counts the page, not the collection",
        requirement="page-total",
    ),
    Mistake(
        LAB,
        "models",
        "answer-list",
        LIST_SIGNATURE + LIST_BODY,
        LIST_SIGNATURE.replace("Query(ge=1, le=100,", "Query(ge=1,")
        + LIST_BODY.replace("    rows = store.page", "    limit = min(limit, 100)\n    rows = store.page"),
        "a limit over 100 is clamped silently instead of refused with 422",
        requirement="page-limit-bounds",
    ),
    Mistake(
        LAB,
        "models",
        "answer-list",
        "Query(ge=1, le=100,",
        "Query(ge=1, le=1000,",
        "the page size is bounded at 1000 instead of 100",
        requirement="page-limit-bounds",
    ),
    Mistake(
        LAB,
        "models",
        "answer-list",
        'Query(ge=0, le=MAX_ID, description="How many products to skip")',
        'Query(ge=0, description="How many products to skip")',
        "the offset has no upper bound, so a huge number would reach the database driver",
        requirement="page-offset-bounds",
    ),
    # --------------------------------------------------------------------- Task 5: get one
    Mistake(
        LAB,
        "status-codes",
        "answer-get",
        ") -> Envelope[ProductOut]:\n"
        '    """Return one product by id; 404 if it does not exist."""\n'
        '    return Envelope[ProductOut](data=ProductOut(**find_product(product_id)), message="Product found")',
        ") -> ProductOut:\n"
        '    """Return one product by id; 404 if it does not exist."""\n'
        "    return ProductOut(**find_product(product_id))",
        "reading one product answers the bare product, without the envelope",
        requirement="get-found",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-get",
        "data=ProductOut(**find_product(product_id))",
        "data=ProductOut(**(store.get(product_id) or {}))",
        "a missing product is looked up without the 404 check, so the handler fails on it",
        requirement="get-404",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-get",
        'detail=f"Product {product_id} not found"',
        'detail="Product not found"',
        "the 404 does not name the missing product",
        requirement="get-404-detail",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-get",
        "async def get_product(product_id: ProductId)",
        "async def get_product(product_id: int)",
        "the read route's id is an unbounded int: 0 and ids past MAX_ID reach the handler",
        requirement="get-id-bounds",
    ),
    # --------------------------------------------------------------------- Task 6: create
    Mistake(
        LAB,
        "status-codes",
        "answer-create",
        '    response.headers["Location"] = str(request.url_for("get_product", product_id=row["id"]))\n'
        '    return Envelope[ProductOut](data=ProductOut(**row), message="Product created")',
        "    from fastapi.responses import JSONResponse\n\n"
        '    location = str(request.url_for("get_product", product_id=row["id"]))\n'
        '    envelope = Envelope[ProductOut](data=ProductOut(**row), message="Product created")\n'
        '    return JSONResponse(envelope.model_dump(mode="json"), headers={"Location": location})',
        "the handler builds its own JSONResponse to set Location, and it answers 200, not 201",
        requirement="create-201",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-create",
        'str(request.url_for("get_product", product_id=row["id"]))',
        "str(request.url)",
        "Location points at the collection, not at the new product",
        requirement="create-location",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-create",
        'str(request.url_for("get_product", product_id=row["id"]))',
        "f\"/products/{row['id']}\"",
        "Location forgets the /api/v1 prefix",
        requirement="create-location",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-create",
        "row = store.add(product.model_dump())",
        "row = store.replace(store.count() + 1, product.model_dump())",
        "the new id is the number of products plus one, which overwrites a product after a delete",
        requirement="create-stores-new",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-create",
        "async def create_product(product: ProductCreate,",
        "async def create_product(product: ProductUpdate,",
        "create takes the PATCH model as its body, so an incomplete product is accepted",
        requirement="create-422",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-create",
        '@router.post("", status_code',
        '@router.post("/", status_code',
        "the collection is declared at '/', so POST /api/v1/products answers with a 307 redirect",
        requirement="create-no-redirect",
    ),
    # --------------------------------------------------------------------- Task 7: PUT
    Mistake(
        LAB,
        "status-codes",
        "answer-replace",
        "    find_product(product_id)\n    row = store.replace(product_id, product.model_dump())",
        "    current = find_product(product_id)\n"
        "    row = store.replace(product_id, {**current, **product.model_dump(exclude_unset=True)})",
        "PUT keeps the stored values of the fields the body left out, as a PATCH would",
        requirement="put-replaces",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-replace",
        "    find_product(product_id)\n    row = store.replace(product_id, product.model_dump())",
        "    row = store.replace(product_id, product.model_dump())",
        "PUT on a missing product creates it (an upsert) instead of answering 404",
        requirement="put-404",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-replace",
        "    find_product(product_id)\n    row = store.replace(product_id, product.model_dump())",
        "    find_product(product_id)\n    store.delete(product_id)\n    row = store.add(product.model_dump())",
        "PUT deletes and re-adds the product, so it moves to a new id and a second PUT finds nothing",
        requirement="put-idempotent",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-replace",
        "product: ProductCreate) -> Envelope[ProductOut]:",
        "product: ProductUpdate) -> Envelope[ProductOut]:",
        "PUT takes the PATCH model as its body, so an incomplete replacement is accepted",
        requirement="put-422",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-replace",
        "async def replace_product(product_id: ProductId,",
        "async def replace_product(product_id: int,",
        "the replace route's id is an unbounded int: 0 and ids past MAX_ID reach the handler",
        requirement="put-id-bounds",
    ),
    # --------------------------------------------------------------------- Task 8: PATCH
    Mistake(
        LAB,
        "models",
        "answer-update",
        "row = store.replace(product_id, {**fields, **changes.model_dump(exclude_unset=True)})",
        "row = store.replace(product_id, changes.model_dump(exclude_unset=True))",
        "PATCH stores only the fields sent and loses the others",
        requirement="patch-only-sent",
    ),
    Mistake(
        LAB,
        "models",
        "answer-update",
        "changes.model_dump(exclude_unset=True)",
        "changes.model_dump(exclude_none=True)",
        "exclude_none instead of exclude_unset: a description sent as null is dropped, never cleared",
        requirement="patch-clears-description",
    ),
    Mistake(
        LAB,
        "models",
        "answer-update",
        "current = find_product(product_id)",
        "current = store.get(product_id) or {}",
        "PATCH of a missing product is not 404: the lookup has no check",
        requirement="patch-404",
    ),
    Mistake(
        LAB,
        "models",
        "answer-update",
        "changes: ProductUpdate) -> Envelope[ProductOut]:\n"
        '    """Change only the fields sent; 404 if the product does not exist."""\n'
        "    current = find_product(product_id)\n"
        '    fields = {key: value for key, value in current.items() if key != "id"}\n'
        "    row = store.replace(product_id, {**fields, **changes.model_dump(exclude_unset=True)})",
        "changes: dict[str, Any]) -> Envelope[ProductOut]:\n"
        '    """Change only the fields sent; 404 if the product does not exist."""\n'
        "    current = find_product(product_id)\n"
        '    fields = {key: value for key, value in current.items() if key != "id"}\n'
        "    row = store.replace(product_id, {**fields, **changes})",
        "PATCH takes the body as a plain dict, so nothing validates the values before they are stored",
        requirement="patch-422",
    ),
    Mistake(
        LAB,
        "models",
        "answer-update",
        "async def update_product(product_id: ProductId,",
        "async def update_product(product_id: int,",
        "the update route's id is an unbounded int: 0 and ids past MAX_ID reach the handler",
        requirement="patch-id-bounds",
    ),
    # --------------------------------------------------------------------- Task 10: v2
    Mistake(
        LAB,
        "models",
        "answer-v2",
        'cents = int(row["price"] * 100)',
        'cents = int(float(row["price"]) * 100)',
        "the cents go through a float, so 0.29 becomes 28",
        requirement="v2-money-exact",
    ),
    Mistake(
        LAB,
        "models",
        "answer-v2",
        'cents = int(row["price"] * 100)',
        'cents = int(row["price"]) * 100',
        "the cents are the whole euros times 100: the cents of the price are lost",
        requirement="v2-money-exact",
    ),
    Mistake(
        LAB,
        "models",
        "answer-v2",
        "    description: str | None\n    stock: int\n    price: Money",
        "    stock: int\n    price: Money",
        "ProductOutV2 forgets the description",
        requirement="v2-fields",
    ),
    Mistake(
        LAB,
        "models",
        "answer-v2",
        "data=to_v2(find_product(product_id))",
        "data=to_v2(store.get(product_id))",
        "v2 looks the product up without the 404 check, so the handler fails on a missing one",
        requirement="v2-404",
    ),
    Mistake(
        LAB,
        "models",
        "answer-v2",
        "async def get_product_v2(product_id: ProductId)",
        "async def get_product_v2(product_id: int)",
        "the v2 route's id is an unbounded int: 0 and ids past MAX_ID reach the handler",
        requirement="v2-id-bounds",
    ),
    Mistake(
        LAB,
        "models",
        "answer-v2",
        '    cents = int(row["price"] * 100)\n'
        "    return ProductOutV2(\n"
        '        id=row["id"], name=row["name"], description=row["description"], stock=row["stock"], '
        "price=Money(amount=cents)\n"
        "    )",
        '    row["price"] = Money(amount=int(row["price"] * 100))\n    return ProductOutV2(**row)',
        "v2 converts the stored row's price in place, so v1 then reads a Money instead of a Decimal",
        requirement="v2-leaves-v1",
    ),
    # --------------------------------------------------------------------- Task 10: the app
    Mistake(
        LAB,
        "models",
        "answer-app",
        "app.include_router(router)\n",
        'app.include_router(router, prefix="/api/v1")\n',
        "the v1 router is included with its prefix again, so v1 lives at /api/v1/api/v1/products",
        requirement="app-includes-routers",
    ),
    Mistake(
        LAB,
        "models",
        "answer-app",
        "app.add_exception_handler(RequestValidationError, validation_failed)",
        "app.add_exception_handler(ValidationError, validation_failed)",
        "the handler is registered for Pydantic's ValidationError, so FastAPI's own 422 handler still answers",
        requirement="app-422-no-echo",
    ),
    # --------------------------------------------------------------------- Task 11: OpenAPI
    Mistake(
        LAB,
        "openapi",
        "answer-app",
        'app = FastAPI(title="Shop API", version="1.0.0")',
        'app = FastAPI(title="Shop API", version="1.0")',
        "the document's version is 1.0, not the 1.0.0 the task sets",
        requirement="openapi-info",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-list",
        'router = APIRouter(prefix="/api/v1/products", tags=["products"])',
        'router = APIRouter(prefix="/api/v1/products", tags=["Products"])',
        "the v1 routes are tagged 'Products' instead of 'products'",
        requirement="openapi-tags",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-replace",
        '    """Replace every field of a product with the body; 404 if it does not exist."""\n',
        "    # Replace every field of a product with the body; 404 if it does not exist.\n",
        "the PUT handler's docstring is a comment, so the operation has no description",
        requirement="openapi-descriptions",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-create",
        '@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a product")\n'
        "async def create_product(product: ProductCreate, request: Request, response: Response)"
        " -> Envelope[ProductOut]:\n"
        '    """Create a product; the Location header holds its URL."""\n',
        '@router.post("", summary="Create a product")\n'
        "async def create_product(product: ProductCreate, request: Request, response: Response)"
        " -> Envelope[ProductOut]:\n"
        '    """Create a product; the Location header holds its URL."""\n'
        "    response.status_code = status.HTTP_201_CREATED\n",
        "create sets 201 inside the handler, so it answers 201 but documents 200",
        requirement="openapi-create-201",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-delete",
        "    status_code=status.HTTP_204_NO_CONTENT,\n    response_class=Response,\n",
        "    response_class=Response,\n",
        "delete returns a 204 response but its decorator declares none, so the docs promise 200",
        requirement="openapi-delete-204",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-get",
        '@router.get("/{product_id}", responses=NOT_FOUND, summary="Get a product")',
        '@router.get("/{product_id}", summary="Get a product")',
        "the 404 of GET /products/{id} is raised but not documented",
        requirement="openapi-404s",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-get",
        'NOT_FOUND = {404: {"model": ErrorDetail, "description": "No product has this id"}}',
        'NOT_FOUND = {404: {"description": "No product has this id"}}',
        "the 404s are documented without the model of their body",
        requirement="openapi-404s",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v2",
        '@router_v2.get("/{product_id}", responses=NOT_FOUND, summary="Get a product (v2)")',
        '@router_v2.get("/{product_id}", summary="Get a product (v2)")',
        "the v2 route's 404 is raised but not documented",
        requirement="openapi-404s",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-list",
        LIST_BODY,
        LIST_BODY.replace(") -> Envelope[Page[ProductOut]]:", ") -> dict[str, Any]:").replace(
            LIST_RETURN, LIST_RETURN + '.model_dump(mode="json")'
        ),
        "the list handler is annotated as returning a dict, so its success body is documented as a bare object",
        requirement="openapi-success-models",
    ),
]
