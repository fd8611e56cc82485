"""Correct answers to lab01_api_design written differently from the worked solution (see autograder.catalogue).

Each keeps full marks: the lab's checks test what a client or an operator observes, not how
the code is written.
"""

from autograder.catalogue import Alternative

LAB = "lab01_api_design"

SYNC_WITH_DEPENDENCY = {
    "answer-get": '''from fastapi import Depends

ProductId = Annotated[int, Path(gt=0, lt=MAX_ID + 1, description="The product's id")]
NOT_FOUND = {status.HTTP_404_NOT_FOUND: {"model": ErrorDetail, "description": "No such product"}}


def existing_product(product_id: ProductId) -> dict[str, Any]:
    """A dependency: the stored product named by the path, or the 404."""
    row = store.get(product_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Product {product_id} not found")
    return row


Existing = Annotated[dict[str, Any], Depends(existing_product)]


@router.get("/{product_id}", responses=NOT_FOUND)
def get_product(row: Existing) -> Envelope[ProductOut]:
    """One product, found by the dependency."""
    return Envelope[ProductOut](data=ProductOut.model_validate(row), message=f"Product {row['id']}")
''',
    "answer-create": '''@router.post("", status_code=201)
def create_product(product: ProductCreate, response: Response) -> Envelope[ProductOut]:
    """Store a new product; Location is a relative URL."""
    row = store.add(product.model_dump())
    response.headers["Location"] = f"{router.prefix}/{row['id']}"
    return Envelope[ProductOut](data=ProductOut.model_validate(row), message="Created")
''',
    "answer-replace": '''@router.put("/{product_id}", responses=NOT_FOUND)
def replace_product(row: Existing, product: ProductCreate) -> Envelope[ProductOut]:
    """Make the product equal to the body."""
    replaced = store.replace(row["id"], product.model_dump())
    return Envelope[ProductOut](data=ProductOut.model_validate(replaced), message="Replaced")
''',
    "answer-update": '''@router.patch("/{product_id}", responses=NOT_FOUND)
def update_product(row: Existing, changes: ProductUpdate) -> Envelope[ProductOut]:
    """Apply the fields sent (MISSING fields are never dumped)."""
    merged = {key: value for key, value in row.items() if key != "id"} | changes.model_dump()
    updated = store.replace(row["id"], merged)
    return Envelope[ProductOut](data=ProductOut.model_validate(updated), message="Updated")
''',
    "answer-delete": '''@router.delete("/{product_id}", status_code=204, response_class=Response, responses=NOT_FOUND)
def delete_product(row: Existing) -> Response:
    """Remove the product; nothing to return."""
    store.delete(row["id"])
    return Response(status_code=204)
''',
    "answer-v2": '''class Money(BaseModel):
    """Minor units and a currency."""

    amount: int
    currency: str = Field(default="EUR", pattern="^EUR$")


class ProductOutV2(BaseModel):
    """v2: price as Money."""

    id: int
    name: str
    description: str | None
    stock: int
    price: Money


router_v2 = APIRouter(prefix="/api/v2/products", tags=["products v2"])


@router_v2.get("/{product_id}", responses=NOT_FOUND)
def get_product_v2(row: Existing) -> Envelope[ProductOutV2]:
    """One product, its price in cents (scaleb(2) moves the decimal point: exact)."""
    fields = {key: row[key] for key in ("id", "name", "description", "stock")}
    price = Money(amount=int(row["price"].scaleb(2)))
    return Envelope[ProductOutV2](data=ProductOutV2(**fields, price=price), message="Found")
''',
}

NULL_VALIDATOR_AND_RESPONSE_MODEL = {
    "answer-models": '''from pydantic import field_validator


class ProductCreate(BaseModel):
    name: str = Field(..., min_length=1, max_length=100)
    price: Decimal = Field(..., gt=Decimal("0"), le=Decimal("1000000"), decimal_places=2)
    description: str | None = Field(None, max_length=500)
    stock: int = Field(0, ge=0, le=1_000_000)


class ProductUpdate(BaseModel):
    """None defaults, as in many tutorials, with the explicit nulls refused by a validator."""

    name: str | None = Field(None, min_length=1, max_length=100)
    price: Decimal | None = Field(None, gt=0, le=1_000_000, decimal_places=2)
    description: str | None = Field(None, max_length=500)
    stock: int | None = Field(None, ge=0, le=1_000_000)

    @field_validator("name", "price", "stock")
    @classmethod
    def not_null(cls, value: Any) -> Any:
        """Runs only for fields that were sent: a default is not validated."""
        if value is None:
            raise ValueError("may be left out, but not null")
        return value


class ProductOut(ProductCreate):
    """What the API answers: the create fields, then the id."""

    id: int
''',
    "answer-envelope": """T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    status: Literal["success"] = Field("success", description="Always success; errors have their own shape")
    message: str = Field(description="What happened, for a person")
    data: T


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(ge=0)
    limit: int = Field(ge=1, le=100)
    offset: int = Field(ge=0)
""",
    "answer-list": '''router = APIRouter(prefix="/api/v1/products", tags=["products"])


@router.get("", response_model=Envelope[Page[ProductOut]])
async def list_products(limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0, le=MAX_ID)):
    """Products by id, a page at a time; response_model validates the dict returned."""
    rows = store.page(limit, offset)
    page = {"items": rows, "total": store.count(), "limit": limit, "offset": offset}
    return {"data": page, "message": "Products"}
''',
    "answer-get": '''ProductId = Annotated[int, Path(ge=1, le=MAX_ID)]
NOT_FOUND = {404: {"model": ErrorDetail, "description": "Unknown product"}}


def find_product(product_id: int) -> dict[str, Any]:
    """The stored row, or the 404."""
    if (row := store.get(product_id)) is None:
        raise HTTPException(status_code=404, detail=f"Product {product_id} not found")
    return row


@router.get("/{product_id}", response_model=Envelope[ProductOut], responses=NOT_FOUND)
async def get_product(product_id: int = Path(ge=1, le=MAX_ID)):
    """One product as a dict, validated by response_model."""
    return {"data": find_product(product_id), "message": "Here it is"}
''',
    "answer-update": '''@router.patch("/{product_id}", response_model=Envelope[ProductOut], responses=NOT_FOUND)
async def update_product(changes: ProductUpdate, product_id: int = Path(ge=1, le=MAX_ID)):
    """model_copy(update=...) applies exactly the fields that were set."""
    current = ProductOut.model_validate(find_product(product_id))
    updated = current.model_copy(update=changes.model_dump(exclude_unset=True))
    store.replace(product_id, updated.model_dump(exclude={"id"}))
    return {"data": updated, "message": "Updated"}
''',
}

FORBID_EXTRA_FIELDS = {
    "answer-models": '''from pydantic import ConfigDict

Name = Annotated[str, Field(min_length=1, max_length=100)]
Price = Annotated[Decimal, Field(gt=0, le=1_000_000, decimal_places=2)]
Description = Annotated[str, Field(max_length=500)]
Stock = Annotated[int, Field(ge=0, le=1_000_000)]


class ProductCreate(BaseModel):
    """Unknown fields are refused (lab 02's rule, accepted here)."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    price: Price
    description: Description | None = None
    stock: Stock = 0


class ProductUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | MISSING = MISSING
    price: Price | MISSING = MISSING
    description: Description | None | MISSING = MISSING
    stock: Stock | MISSING = MISSING


class ProductOut(BaseModel):
    id: int
    name: str
    price: Decimal
    description: str | None
    stock: int
''',
    "answer-create": '''@router.post("", status_code=status.HTTP_201_CREATED)
async def create_product(body: ProductCreate, request: Request, response: Response) -> Envelope[ProductOut]:
    """Create; Location is the absolute URL of the new product, its path taken from the route."""
    row = store.add(body.model_dump())
    response.headers["Location"] = str(request.url_for("get_product", product_id=str(row["id"])))
    return Envelope(data=ProductOut(**row), message=f"Product {row['id']} created")
''',
}

OWN_HANDLER = {
    "answer-app": '''from fastapi.responses import JSONResponse


async def refused(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 saying where and why, never what was sent."""
    errors = [{"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
    return JSONResponse({"detail": errors}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


app = FastAPI(title="Shop API", version="1.0.0", exception_handlers={RequestValidationError: refused})
for part in (router, router_v2):
    app.include_router(part)
''',
    "answer-v2": '''from decimal import Context, Inexact

EXACT = Context(traps=[Inexact])


class Money(BaseModel):
    amount: int = Field(description="Cents")
    currency: Literal["EUR"] = "EUR"


class ProductOutV2(BaseModel):
    id: int
    name: str
    description: str | None
    stock: int
    price: Money


def cents(price: Decimal) -> int:
    """Exact cents: with Inexact trapped, quantize raises instead of rounding (a valid price never makes it)."""
    return int((price * 100).quantize(Decimal(1), context=EXACT))


router_v2 = APIRouter(prefix="/api/v2/products", tags=["products v2"])


@router_v2.get("/{product_id}", response_model=Envelope[ProductOutV2], responses=NOT_FOUND)
async def get_product_v2(product_id: ProductId):
    """v2 of one product."""
    row = find_product(product_id)
    data = {**{k: v for k, v in row.items() if k != "price"}, "price": {"amount": cents(row["price"])}}
    return {"data": data, "message": "ok"}
''',
}

ALTERNATIVES = [
    Alternative(
        LAB,
        "sync-and-dependency",
        "plain def handlers, the product found by a Depends() dependency, bounds written gt/lt, "
        "a relative Location, summaries left to FastAPI, v2 cents with scaleb",
        cells=SYNC_WITH_DEPENDENCY,
    ),
    Alternative(
        LAB,
        "null-validator-response-model",
        "ProductUpdate with None defaults and a validator refusing explicit nulls, ProductOut inheriting "
        "from ProductCreate (id last), response_model= with dicts returned, PATCH through model_copy",
        cells=NULL_VALIDATOR_AND_RESPONSE_MODEL,
    ),
    Alternative(
        LAB,
        "forbid-extra-fields",
        'models built from Annotated types, unknown fields refused with extra="forbid", other messages',
        cells=FORBID_EXTRA_FIELDS,
    ),
    Alternative(
        LAB,
        "own-validation-handler",
        "a 422 handler of the learner's own (JSONResponse) passed to FastAPI(exception_handlers=...), "
        "v2 cents with quantize() and Inexact trapped, and a dict validated by response_model",
        cells=OWN_HANDLER,
    ),
]
