"""Correct answers to lab04_databases written differently from the worked solution (see autograder.catalogue).

Each must keep full marks: the lab's tests check what a client or an operator can observe,
not how the answer is built.
"""

from autograder.catalogue import Alternative

LAB = "lab04_databases"

_MODELS_OLD_STYLE_CONSTRAINTS = '''
class Product(Base):
    """Constraints declared at table level, defaults on the server, relationships loaded with selectin."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("sku"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        sa.Index(None, "name"),
        sa.Index(None, "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(40), server_default=text("'general'"))
    price_cents: Mapped[int] = mapped_column(sa.Integer)
    stock: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(100))

    orders: Mapped[list["Order"]] = relationship(back_populates="customer", lazy="selectin")


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey(Customer.id), index=True)
    status: Mapped[str] = mapped_column(String(20), server_default="placed")

    customer: Mapped[Customer] = relationship(back_populates="orders", lazy="selectin")
    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by=lambda: OrderLine.id, lazy="selectin"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "product_id"), sa.Index(None, "product_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey(Order.id, ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey(Product.id))
    quantity: Mapped[int]
    unit_price_cents: Mapped[int]

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(lazy="selectin")
'''

_SESSION_AS_A_CLASS = '''
def make_engine(url: str) -> AsyncEngine:
    """The app's engine: the default pool, with limits and a liveness check on checkout."""
    return create_async_engine(url, pool_size=5, max_overflow=5, pool_timeout=10, pool_pre_ping=True)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.engine = make_engine(settings.database_url)
    app.state.sessionmaker = async_sessionmaker(bind=app.state.engine, class_=AsyncSession, expire_on_commit=False)
    try:
        yield
    finally:
        await app.state.engine.dispose()


class SessionPerRequest:
    """A dependency class: a new session for each request, closed in a finally."""

    async def __call__(self, request: Request) -> AsyncIterator[AsyncSession]:
        session = request.app.state.sessionmaker()
        try:
            yield session
        finally:
            await session.close()


get_session = SessionPerRequest()
SessionDep = Annotated[AsyncSession, Depends(get_session)]

app = FastAPI(title="Shop API", version="4.0.0", lifespan=lifespan)
install_error_handlers(app)
for router in (products, customers, orders):
    app.include_router(router)
'''

_FILTERS_ESCAPED_IN_PYTHON = r'''
def escape_like(text: str, escape: str = "\\") -> str:
    """text with LIKE's wildcards (and the escape character itself) escaped, to match literally."""
    return text.replace(escape, escape * 2).replace("%", escape + "%").replace("_", escape + "_")


def product_filters(category: str | None = None, q: str | None = None) -> list[sa.ColumnElement[bool]]:
    """The pattern is built and escaped in Python; it still travels as a bound parameter."""
    conditions = []
    if category is not None:
        conditions.append(Product.category.in_([category]))
    if q is not None:
        conditions.append(func.lower(Product.name).like(f"%{escape_like(q.lower())}%", escape="\\"))
    return conditions
'''

_LIST_WITH_A_QUERY_MODEL = '''
class ProductQuery(BaseModel):
    """The list's query parameters as one model (FastAPI reads a Query() model from the query string)."""

    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)
    category: str | None = Field(None, min_length=1, max_length=40)
    q: str | None = Field(None, min_length=1, max_length=100)
    sort: Literal["id", "name", "price", "stock"] = "id"
    order: Literal["asc", "desc"] = "asc"


SORTABLE = {"id": "id", "name": "name", "price": "price_cents", "stock": "stock"}


@products.get("", response_model=Envelope[Page[ProductOut]], summary="List products")
async def list_products(params: Annotated[ProductQuery, Query()], session: SessionDep) -> Envelope[Page[ProductOut]]:
    matching = select(Product.id).where(*product_filters(params.category, params.q)).subquery()
    total = (await session.execute(select(func.count()).select_from(matching))).scalar_one()
    column = getattr(Product, SORTABLE[params.sort])
    direction = sa.desc if params.order == "desc" else sa.asc
    rows = await session.scalars(
        select(Product)
        .where(*product_filters(params.category, params.q))
        .order_by(direction(column), Product.id.asc())
        .offset(params.offset)
        .limit(params.limit)
    )
    items = [ProductOut.model_validate(row) for row in rows]
    return Envelope(data=Page(items=items, total=total, limit=params.limit, offset=params.offset), message="Products")
'''

_ORDER_WITH_ROWCOUNT = '''
@orders.post("", response_model=Envelope[OrderOut], status_code=201, responses={**NOT_FOUND, **CONFLICT})
async def place_order(body: OrderCreate, session: SessionDep, response: Response) -> Envelope[OrderOut]:
    """The customer checked first, the stock taken by a conditional UPDATE checked by its row count."""
    async with session.begin():
        if await session.get(Customer, body.customer_id) is None:
            raise HTTPException(404, f"Customer {body.customer_id} not found")
        order = Order(customer_id=body.customer_id, status="placed")
        for item in sorted(body.lines, key=lambda line: line.product_id):
            result = await session.execute(
                sa.update(Product.__table__)
                .where(Product.__table__.c.id == item.product_id, Product.__table__.c.stock >= item.quantity)
                .values(stock=Product.__table__.c.stock - item.quantity)
            )
            if result.rowcount != 1:
                stock = await session.scalar(select(Product.stock).where(Product.id == item.product_id))
                if stock is None:
                    raise HTTPException(404, f"Product {item.product_id} not found")
                raise HTTPException(409, f"Only {stock} left of Product {item.product_id}")
            price = await session.scalar(select(Product.price_cents).where(Product.id == item.product_id))
            order.lines.append(OrderLine(product_id=item.product_id, quantity=item.quantity, unit_price_cents=price))
        session.add(order)
        try:
            await session.flush()
        except IntegrityError as exc:  # the customer was deleted since the check
            if constraint_violated(exc) == "foreign_key":
                raise HTTPException(404, f"Customer {body.customer_id} not found") from None
            raise
    response.headers["Location"] = f"/api/v1/orders/{order.id}"
    return Envelope(data=OrderOut.model_validate(order), message=f"Order {order.id} placed")
'''

_ORDER_DETAIL_JOINED = '''
from sqlalchemy.orm import joinedload


@orders.get("/{order_id}", response_model=Envelope[OrderDetail], responses=NOT_FOUND)
async def get_order(order_id: Annotated[int, Path(gt=0, le=MAX_ID)], session: SessionDep) -> Envelope[OrderDetail]:
    """One query with joins for the customer and the products, the lines by selectin."""
    result = await session.execute(
        select(Order)
        .options(joinedload(Order.customer), selectinload(Order.lines).joinedload(OrderLine.product))
        .filter_by(id=order_id)
    )
    order = result.unique().scalar_one_or_none()
    if not order:
        raise HTTPException(status_code=404, detail=f"Order {order_id} not found")
    return Envelope[OrderDetail](data=OrderDetail.model_validate(order, from_attributes=True), message="OK")
'''

_HEALTH_WITH_SELECT = """
@app.get("/api/health", tags=["health"], responses={503: {"model": ErrorEnvelope}})
async def health(session: SessionDep) -> Envelope[dict[str, str]]:
    try:
        await session.scalar(select(1))
    except (SQLAlchemyError, OSError):
        logger.error("database health check failed", exc_info=True)
        raise HTTPException(503, "The service is unavailable") from None
    return Envelope(data={"database": "ok"}, message="OK")
"""

_MIGRATION_IN_BATCH = """
def add_product_category() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("category", sa.String(length=40), server_default=sa.text("'general'"), nullable=False))
    op.create_index("ix_products_category", "products", ["category"], unique=False)


def drop_product_category() -> None:
    op.drop_index("ix_products_category", "products")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("category")


ADD_CATEGORY = Migration(revision="0002", down_revision=INITIAL_SCHEMA.revision,
                         upgrade=add_product_category, downgrade=drop_product_category)
MIGRATIONS = [INITIAL_SCHEMA] + [ADD_CATEGORY]
"""

ALTERNATIVES = [
    Alternative(
        LAB,
        "models-table-args",
        "constraints and indexes in __table_args__, server defaults, classes instead of strings, selectin loading",
        cells={"answer-models": _MODELS_OLD_STYLE_CONSTRAINTS},
    ),
    Alternative(
        LAB,
        "session-class",
        "a dependency class with try/finally instead of a generator function; an engine with explicit pool limits",
        cells={"answer-session": _SESSION_AS_A_CLASS},
    ),
    Alternative(
        LAB,
        "filters-python-escape",
        "the LIKE pattern escaped and lowered in Python (its own escape character), compared with lower(name)",
        cells={"answer-filters": _FILTERS_ESCAPED_IN_PYTHON},
    ),
    Alternative(
        LAB,
        "list-query-model",
        "the query parameters as one Pydantic model, the total counted over a subquery, sa.desc/sa.asc",
        cells={"answer-list": _LIST_WITH_A_QUERY_MODEL},
    ),
    Alternative(
        LAB,
        "order-rowcount",
        "Core UPDATE checked by rowcount, the customer checked first, prices read after, other messages",
        cells={"answer-orders": _ORDER_WITH_ROWCOUNT},
    ),
    Alternative(
        LAB,
        "detail-joinedload",
        "joinedload for the one-to-one relationships, the envelope built from the ORM object directly",
        cells={"answer-order-detail": _ORDER_DETAIL_JOINED},
    ),
    Alternative(
        LAB,
        "health-select",
        "select(1) instead of text, OSError caught too, logged at ERROR, another generic message",
        cells={"answer-health": _HEALTH_WITH_SELECT},
    ),
    Alternative(
        LAB,
        "migration-batch",
        "the column added and dropped in Alembic's batch mode, the index named in full",
        cells={"answer-migration": _MIGRATION_IN_BATCH},
    ),
]
