"""Realistic wrong answers for lab04_databases (see autograder.catalogue).

One or more for every requirement of the lab's inventory (the ``# REQ`` lines of its source),
each written the way a learner or a code assistant gets it wrong, and each breaking that
requirement only.
"""

from autograder.catalogue import Mistake

LAB = "lab04_databases"


def mistake(key: str, cell: str, old: str, new: str, why: str, requirement: str) -> Mistake:
    return Mistake(LAB, key, cell, old, new, why, requirement=requirement)


# Task 1: the models ---------------------------------------------------------------------------

MODELS = [
    mistake(
        "models",
        "answer-models",
        "    name: Mapped[str] = mapped_column(String(100))\n\n    orders:",
        "    name: Mapped[str | None] = mapped_column(String(100))\n\n    orders:",
        "the customer's name is declared Optional, so the column allows NULL",
        "models-not-null",
    ),
    mistake(
        "models",
        "answer-models",
        "email: Mapped[str] = mapped_column(String(254), unique=True)",
        "email: Mapped[str] = mapped_column(String(255), unique=True)",
        "the email column is String(255) out of habit instead of the 254 the table asks for",
        "models-lengths",
    ),
    mistake(
        "models",
        "answer-models",
        "email: Mapped[str] = mapped_column(String(254), unique=True)",
        "email: Mapped[str] = mapped_column(String(254), index=True)",
        "the email gets an index instead of a unique constraint, so duplicates are stored",
        "models-unique-keys",
    ),
    mistake(
        "models",
        "answer-models",
        '__table_args__ = (UniqueConstraint("order_id", "product_id"),)',
        '__table_args__ = (sa.Index(None, "order_id", "product_id"),)',
        "an index on (order_id, product_id) instead of a unique constraint: an order can list a product twice",
        "models-line-unique",
    ),
    mistake(
        "models",
        "answer-models",
        'product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)',
        'product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))',
        "the foreign key order_lines.product_id has no index",
        "models-indexes",
    ),
    mistake(
        "models",
        "answer-models",
        '    __table_args__ = (CheckConstraint("stock >= 0", name="stock_not_negative"),)\n',
        '    @sa.orm.validates("stock")\n'
        "    def stock_not_negative(self, key: str, value: int) -> int:\n"
        "        if value < 0:\n"
        '            raise ValueError("stock cannot be negative")\n'
        "        return value\n",
        "negative stock is refused in Python (@validates) instead of by a CHECK constraint in the database",
        "models-stock-check",
    ),
    mistake(
        "models",
        "answer-models",
        '    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))\n'
        '    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)\n',
        '    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))\n'
        '    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)\n',
        "ondelete='CASCADE' is put on the product's foreign key instead of the order's",
        "models-cascade",
    ),
    mistake(
        "models",
        "answer-models",
        'cascade="all, delete-orphan"',
        'cascade="all"',
        "Order.lines cascades 'all' without delete-orphan, so a removed line is kept with a NULL order",
        "models-delete-orphan",
    ),
    mistake(
        "models",
        "answer-models",
        '    orders: Mapped[list["Order"]] = relationship(back_populates="customer")\n',
        '    orders: Mapped[list["Order"]] = relationship(viewonly=True)\n',
        "Customer.orders is a separate view-only relationship instead of Order.customer's other side",
        "models-back-populates",
    ),
    mistake(
        "models",
        "answer-models",
        'status: Mapped[str] = mapped_column(String(20), default="placed")',
        'status: Mapped[str] = mapped_column(String(20), default="new")',
        "a new order's status defaults to 'new' instead of 'placed'",
        "models-defaults",
    ),
    mistake(
        "models",
        "answer-models",
        'mapped_column(String(40), index=True, server_default="general")',
        'mapped_column(String(40), index=True, default="general")',
        "category uses default= (applied by SQLAlchemy's own INSERTs only) instead of server_default=",
        "models-category-default",
    ),
    mistake(
        "models",
        "answer-models",
        '        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"\n',
        '        back_populates="order", cascade="all, delete-orphan"\n',
        "Order.lines has no order_by, so the lines come back in whatever order the database finds them",
        "models-lines-order",
    ),
]

# Task 2: engine and sessions ------------------------------------------------------------------

SESSION = [
    mistake(
        "transactions",
        "answer-session",
        "async def lifespan(app: FastAPI) -> AsyncIterator[None]:",
        "async def lifespan(_: FastAPI) -> AsyncIterator[None]:",
        "the lifespan ignores the app it receives and stores the engine on the global app",
        "session-engine-at-startup",
    ),
    mistake(
        "transactions",
        "answer-session",
        "async_sessionmaker(engine, expire_on_commit=False)",
        "async_sessionmaker(engine)",
        "the session factory keeps expire_on_commit=True, so reading an object after its commit needs a query",
        "session-sessionmaker",
    ),
    mistake(
        "transactions",
        "answer-session",
        "        await engine.dispose()\n",
        "        engine.dispose()\n",
        "engine.dispose() is called without await, so it never runs",
        "session-dispose",
    ),
    mistake(
        "transactions",
        "answer-session",
        "    app.state.engine = engine\n",
        "    async with engine.connect() as connection:  # fail fast if the database is down\n"
        '        await connection.execute(text("SELECT 1"))\n'
        "    app.state.engine = engine\n",
        "the lifespan connects to check the database, so an app whose database is down cannot start",
        "session-no-connect",
    ),
    mistake(
        "transactions",
        "answer-session",
        "    async with request.app.state.sessionmaker() as session:\n        yield session\n",
        "    session = request.app.state.sessionmaker()\n    yield session\n    await session.close()\n",
        "the session is closed after the yield without try/finally, so it stays open when the handler raised",
        "session-closed",
    ),
    mistake(
        "transactions",
        "answer-session",
        "    engine = create_async_engine(settings.database_url)\n",
        "    engine = create_async_engine(\n"
        '        settings.database_url, poolclass=StaticPool, connect_args={"check_same_thread": False}\n'
        "    )\n",
        "the app's engine uses StaticPool, so every session shares one connection and one transaction",
        "session-own-connection",
    ),
    mistake(
        "transactions",
        "answer-session",
        "    async with request.app.state.sessionmaker() as session:\n        yield session\n",
        '    if not hasattr(request.app.state, "session"):  # one session, made once and reused\n'
        "        request.app.state.session = request.app.state.sessionmaker()\n"
        "    yield request.app.state.session\n",
        "one session is made on the first request and shared by every request after it",
        "session-per-request",
    ),
]


# Task 3: create and read products ---------------------------------------------------------------

PRODUCTS = [
    mistake(
        "status-codes",
        "answer-products",
        "response_model=Envelope[ProductOut], status_code=status.HTTP_201_CREATED, responses=CONFLICT,",
        "response_model=Envelope[ProductOut], responses=CONFLICT,",
        "creating a product answers 200 instead of 201 Created",
        "product-create-201",
    ),
    mistake(
        "status-codes",
        "answer-products",
        'response.headers["Location"] = f"{products.prefix}/{product.id}"',
        'response.headers["Location"] = f"/products/{product.id}"',
        "the Location header leaves out the /api/v1 prefix, so it names a route that does not exist",
        "product-location",
    ),
    mistake(
        "status-codes",
        "answer-products",
        "        await session.commit()\n",
        "        await session.flush()  # sends the INSERT and gives the product its id\n",
        "the product is flushed (it gets an id) but never committed, so closing the session rolls it back",
        "product-committed",
    ),
    mistake(
        "status-codes",
        "answer-products",
        '@products.get("/{product_id}", response_model=Envelope[ProductOut], responses=NOT_FOUND, summary="Get a product")',
        '@products.get("/{product_id}", response_model=Envelope[ProductOut], status_code=status.HTTP_201_CREATED,\n'
        '              responses=NOT_FOUND, summary="Get a product")',
        "the GET route was copied from the POST one and kept status_code=201",
        "product-read",
    ),
    mistake(
        "status-codes",
        "answer-products",
        'f"Product {product_id} not found"',
        'f"Product with id {product_id} not found"',
        "the 404 says 'Product with id 42 not found' instead of the message the task fixes",
        "product-not-found",
    ),
    mistake(
        "status-codes",
        "answer-products",
        'product_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The product\'s id")]',
        'product_id: Annotated[int, Path(gt=0, description="The product\'s id")]',
        "the product id has a lower bound but no upper one, so 2**63 reaches SQLite and overflows",
        "product-id-range",
    ),
]

# Task 4: customers, and duplicates as conflicts -------------------------------------------------

_CUSTOMER_INSERT = (
    "    customer = Customer(**body.model_dump())\n"
    "    session.add(customer)\n"
    "    try:\n"
    "        await session.commit()\n"
    "    except IntegrityError as exc:\n"
    "        await session.rollback()\n"
    '        if constraint_violated(exc) != "unique":\n'
    "            raise\n"
    '        raise HTTPException(status.HTTP_409_CONFLICT, f"A customer with email {body.email} already exists") from None\n'
)

CUSTOMERS = [
    mistake(
        "errors",
        "answer-customers",
        'response.headers["Location"] = f"{customers.prefix}/{customer.id}"',
        'response.headers["Location"] = f"{customers.prefix}{customer.id}"',
        "the Location header misses the slash: /api/v1/customers7",
        "customer-create",
    ),
    mistake(
        "errors",
        "answer-customers",
        'f"Customer {customer_id} not found"',
        '"Customer not found"',
        "the customer's 404 does not say which customer, unlike the message the task fixes",
        "customer-read",
    ),
    mistake(
        "errors",
        "answer-customers",
        'customer_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The customer\'s id")]',
        "customer_id: int",
        "the customer id is an unbounded int, so 0 is a 404 and 2**63 a 500",
        "customer-read",
    ),
    mistake(
        "errors",
        "answer-customers",
        'raise HTTPException(status.HTTP_409_CONFLICT, f"A customer with email',
        'raise HTTPException(status.HTTP_400_BAD_REQUEST, f"A customer with email',
        "a duplicate email answers 400 Bad Request instead of 409 Conflict",
        "duplicate-email",
    ),
    mistake(
        "errors",
        "answer-products",
        "    except IntegrityError as exc:",
        "    except ValueError as exc:",
        "the wrong exception is caught, so a duplicate SKU's IntegrityError becomes a 500",
        "duplicate-sku",
    ),
    mistake(
        "errors",
        "answer-customers",
        "    except IntegrityError as exc:\n"
        "        await session.rollback()\n"
        '        if constraint_violated(exc) != "unique":\n'
        "            raise\n"
        '        raise HTTPException(status.HTTP_409_CONFLICT, f"A customer with email',
        "    except IntegrityError:\n"
        "        await session.rollback()\n"
        '        raise HTTPException(status.HTTP_409_CONFLICT, f"A customer with email',
        "every IntegrityError is answered as a duplicate email, whatever the database refused",
        "duplicate-only-unique",
    ),
    mistake(
        "errors",
        "answer-customers",
        _CUSTOMER_INSERT,
        "    taken = await session.scalar(select(Customer.id).where(Customer.email == body.email))\n"
        "    if taken is not None:  # check first, then insert\n"
        '        raise HTTPException(status.HTTP_409_CONFLICT, f"A customer with email {body.email} already exists")\n'
        "    customer = Customer(**body.model_dump())\n"
        "    session.add(customer)\n"
        "    await session.commit()\n",
        "the email is checked with a SELECT before the INSERT, and the IntegrityError of a lost race is not caught",
        "duplicate-race",
    ),
    mistake(
        "errors",
        "answer-customers",
        "async def create_customer(body: CustomerCreate, session: SessionDep, response: Response) -> Envelope[CustomerOut]:\n"
        '    """Register a customer; 409 if the email is already registered."""\n',
        "async def create_customer(body: CustomerCreate, request: Request, response: Response) -> Envelope[CustomerOut]:\n"
        '    """Register a customer; 409 if the email is already registered."""\n'
        "    session = request.app.state.sessionmaker()  # straight from the app, no dependency needed\n",
        "the handler makes its own session from app.state instead of taking SessionDep, so overriding get_session misses it",
        "uses-get-session",
    ),
]

# Task 5: filters bound as parameters ------------------------------------------------------------

FILTERS = [
    mistake(
        "injection",
        "answer-filters",
        "conditions.append(Product.name.icontains(q, autoescape=True))",
        "conditions.append(text(f\"lower(products.name) LIKE lower('%{q}%')\"))",
        "the search text is pasted into the SQL with an f-string instead of bound",
        "filters-bound",
    ),
    mistake(
        "injection",
        "answer-filters",
        "conditions.append(Product.category == category)",
        "conditions.append(Product.category.icontains(category, autoescape=True))",
        "the category filter is a case-insensitive search, so 'mug' finds 'mugs' and 'Mugs'",
        "filters-category-exact",
    ),
    mistake(
        "injection",
        "answer-filters",
        "Product.name.icontains(q, autoescape=True)",
        "Product.name.contains(q, autoescape=True)",
        "contains (LIKE) instead of icontains: case-insensitive on SQLite for A to Z only, case-sensitive elsewhere",
        "filters-q-case-insensitive",
    ),
    mistake(
        "injection",
        "answer-filters",
        "Product.name.icontains(q, autoescape=True)",
        "Product.name.icontains(q)",
        "the search text is bound but not escaped, so % and _ in it are LIKE wildcards",
        "filters-q-literal",
    ),
    mistake(
        "injection",
        "answer-filters",
        "    if q is not None:\n",
        "    elif q is not None:\n",
        "elif instead of if: with a category given, the search text is ignored",
        "filters-both",
    ),
    mistake(
        "injection",
        "answer-filters",
        "def product_filters(category: str | None = None, q: str | None = None)",
        'def product_filters(category: str | None = "", q: str | None = None)',
        "the category defaults to an empty string instead of None, so product_filters() filters on category = ''",
        "filters-not-given",
    ),
    mistake(
        "injection",
        "answer-filters",
        "    if category is not None:\n",
        "    if category:\n",
        "'if category:' treats an empty category as no filter at all",
        "filters-empty-string",
    ),
]

# Tasks 6 and 7: the product list ----------------------------------------------------------------

LIST = [
    mistake(
        "models",
        "answer-list",
        "page = Page[ProductOut](items=items, total=total, limit=limit, offset=offset)",
        "page = Page[ProductOut](items=items, total=total, limit=len(items), offset=offset)",
        "the page reports how many items it holds as its limit instead of the limit asked for",
        "list-page",
    ),
    mistake(
        "models",
        "answer-list",
        'limit: Annotated[int, Query(ge=1, le=100, description="Page size, at most 100")] = 20,',
        'limit: Annotated[int, Query(ge=0, le=100, description="Page size, at most 100")] = 20,',
        "limit=0 is accepted (ge=0 instead of ge=1)",
        "list-limit",
    ),
    mistake(
        "models",
        "answer-list",
        'offset: Annotated[int, Query(ge=0, le=10_000, description="How many products to skip, at most 10 000")] = 0,',
        'offset: Annotated[int, Query(ge=0, description="How many products to skip")] = 0,',
        "the offset has no upper bound, so 2**63 reaches SQLite and overflows",
        "list-offset",
    ),
    mistake(
        "models",
        "answer-list",
        'q: Annotated[str | None, Query(min_length=1, max_length=100, description="Text the name contains")] = None,',
        'q: Annotated[str | None, Query(max_length=100, description="Text the name contains")] = None,',
        "an empty q is accepted instead of refused with 422",
        "list-filter-params",
    ),
    mistake(
        "models",
        "answer-list",
        "total = await session.scalar(select(func.count()).select_from(Product).where(*conditions)) or 0",
        "total = len((await session.scalars(select(Product).where(*conditions))).all())",
        "the total is counted in Python by loading every matching row",
        "list-total-count",
    ),
    mistake(
        "models",
        "answer-list",
        "total = await session.scalar(select(func.count()).select_from(Product).where(*conditions)) or 0",
        "total = await session.scalar(select(func.count()).select_from(Product)) or 0",
        "the total counts the whole table, not the products that match the filters",
        "list-total-filtered",
    ),
    mistake(
        "models",
        "answer-list",
        "        .limit(limit)\n"
        "        .offset(offset)\n"
        "    )\n"
        "    items = [ProductOut.model_validate(product) for product in await session.scalars(statement)]\n",
        "    )\n"
        "    rows = (await session.scalars(statement)).all()\n"
        "    items = [ProductOut.model_validate(product) for product in rows[offset : offset + limit]]\n",
        "the page is cut in Python from every matching row instead of with LIMIT/OFFSET",
        "list-page-in-sql",
    ),
    mistake(
        "injection",
        "answer-list",
        'SortField = Literal["id", "name", "price", "stock"]\n'
        'SORT_COLUMNS = {"id": Product.id, "name": Product.name, "price": Product.price_cents, "stock": Product.stock}\n',
        'SortField = Literal["id", "name", "price_cents", "stock"]\n'
        'SORT_COLUMNS = {"id": Product.id, "name": Product.name, "price_cents": Product.price_cents, "stock": Product.stock}\n',
        "the whitelist uses the column name price_cents instead of the API's field name price",
        "sort-fields",
    ),
    mistake(
        "injection",
        "answer-list",
        'SortField = Literal["id", "name", "price", "stock"]',
        "SortField = str",
        "any sort field is accepted and looked up blindly, so an unknown one crashes instead of 422",
        "sort-whitelist",
    ),
    mistake(
        "injection",
        "answer-list",
        'order: Annotated[Literal["asc", "desc"], Query(description="Sort direction")] = "asc",',
        'order: Annotated[str, Query(description="Sort direction")] = "asc",',
        "order is any string, and anything but 'desc' quietly sorts ascending",
        "sort-order",
    ),
    mistake(
        "injection",
        "answer-list",
        '.order_by(column.desc() if order == "desc" else column.asc(), Product.id)',
        '.order_by(column.desc() if order == "desc" else column.asc())',
        "no second sort key, so products with equal values come in whatever order the database finds them",
        "sort-ties",
    ),
    mistake(
        "injection",
        "answer-list",
        "    conditions = product_filters(category, q)\n",
        "    conditions = product_filters(category)\n"
        "    if q is not None:\n"
        "        conditions.append(text(f\"products.name LIKE '%{q}%'\"))\n",
        "the list endpoint builds its own search condition with an f-string instead of using product_filters",
        "list-hostile-filters",
    ),
]

# Tasks 8 and 9: placing an order ----------------------------------------------------------------

# The stock taken line by line in one transaction, as the worked solution does it ...
_TAKE_STOCK = (
    "        for item in body.lines:\n"
    "            # Check and take the stock in one statement: no other order can slip in between.\n"
    "            taken = await session.execute(\n"
    "                update(Product)\n"
    "                .where(Product.id == item.product_id, Product.stock >= item.quantity)\n"
    "                .values(stock=Product.stock - item.quantity)\n"
    "                .returning(Product.price_cents)\n"
    "            )\n"
    "            price = taken.scalar_one_or_none()\n"
    "            if price is None:  # no row qualified: find out why\n"
    "                product = await session.get(Product, item.product_id)\n"
    "                if product is None:\n"
    '                    raise HTTPException(status.HTTP_404_NOT_FOUND, f"Product {item.product_id} not found")\n'
    "                raise HTTPException(\n"
    "                    status.HTTP_409_CONFLICT,\n"
    '                    f"Product {item.product_id} has {product.stock} in stock, {item.quantity} were ordered",\n'
    "                )\n"
    "            lines.append(OrderLine(product_id=item.product_id, quantity=item.quantity, unit_price_cents=price))\n"
)

# ... read, checked in Python, then written: what the lab's first worked solution did. SQLite ignores
# FOR UPDATE, and its driver starts the transaction at the first write, so every simultaneous order
# reads the same stock.
_READ_CHECK_WRITE = (
    "        for item in body.lines:\n"
    "            product = await session.get(Product, item.product_id, with_for_update=True)\n"
    "            if product is None:\n"
    '                raise HTTPException(status.HTTP_404_NOT_FOUND, f"Product {item.product_id} not found")\n'
    "            if product.stock < item.quantity:\n"
    "                raise HTTPException(\n"
    "                    status.HTTP_409_CONFLICT,\n"
    '                    f"Product {item.product_id} has {product.stock} in stock, {item.quantity} were ordered",\n'
    "                )\n"
    "            product.stock -= item.quantity\n"
    "            lines.append(\n"
    "                OrderLine(product_id=item.product_id, quantity=item.quantity, unit_price_cents=product.price_cents)\n"
    "            )\n"
)

# ... checked by a read, then decremented atomically: the decrement is right, the check is stale.
_CHECK_THEN_DECREMENT = (
    "        for item in body.lines:\n"
    "            product = await session.get(Product, item.product_id)\n"
    "            if product is None:\n"
    '                raise HTTPException(status.HTTP_404_NOT_FOUND, f"Product {item.product_id} not found")\n'
    "            if product.stock < item.quantity:\n"
    "                raise HTTPException(\n"
    "                    status.HTTP_409_CONFLICT,\n"
    '                    f"Product {item.product_id} has {product.stock} in stock, {item.quantity} were ordered",\n'
    "                )\n"
    "            await session.execute(\n"
    "                update(Product).where(Product.id == item.product_id).values(stock=Product.stock - item.quantity)\n"
    "            )\n"
    "            lines.append(\n"
    "                OrderLine(product_id=item.product_id, quantity=item.quantity, unit_price_cents=product.price_cents)\n"
    "            )\n"
)

_WRITE_ORDER = (
    "        order = Order(customer_id=body.customer_id, lines=lines)\n"
    "        session.add(order)\n"
    "        try:\n"
    "            await session.flush()  # the INSERTs run here: this is where the foreign key fails\n"
    "        except IntegrityError as exc:\n"
    '            if constraint_violated(exc) != "foreign_key":\n'
    "                raise\n"
    '            raise HTTPException(status.HTTP_404_NOT_FOUND, f"Customer {body.customer_id} not found") from None\n'
)

_ONE_TRANSACTION = "    async with session.begin():\n        lines = []\n" + _TAKE_STOCK + _WRITE_ORDER

# ... and "saving progress": a commit for each line, then one for the order.
_COMMITTED_AS_IT_GOES = (
    "    lines = []\n"
    "    for item in body.lines:\n"
    "        taken = await session.execute(\n"
    "            update(Product)\n"
    "            .where(Product.id == item.product_id, Product.stock >= item.quantity)\n"
    "            .values(stock=Product.stock - item.quantity)\n"
    "            .returning(Product.price_cents)\n"
    "        )\n"
    "        price = taken.scalar_one_or_none()\n"
    "        if price is None:\n"
    "            product = await session.get(Product, item.product_id)\n"
    "            if product is None:\n"
    '                raise HTTPException(status.HTTP_404_NOT_FOUND, f"Product {item.product_id} not found")\n'
    "            raise HTTPException(\n"
    "                status.HTTP_409_CONFLICT,\n"
    '                f"Product {item.product_id} has {product.stock} in stock, {item.quantity} were ordered",\n'
    "            )\n"
    "        await session.commit()  # keep each reservation as soon as it is made\n"
    "        lines.append(OrderLine(product_id=item.product_id, quantity=item.quantity, unit_price_cents=price))\n"
    "    order = Order(customer_id=body.customer_id, lines=lines)\n"
    "    session.add(order)\n"
    "    try:\n"
    "        await session.commit()\n"
    "    except IntegrityError as exc:\n"
    "        await session.rollback()\n"
    '        if constraint_violated(exc) != "foreign_key":\n'
    "            raise\n"
    '        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Customer {body.customer_id} not found") from None\n'
)

# ... and two transactions: the stock first, then the order.
_STOCK_THEN_ORDER = (
    "    async with session.begin():\n        lines = []\n"
    + _TAKE_STOCK
    + "    async with session.begin():  # the stock is ours: now write the order\n"
    + _WRITE_ORDER
)

ORDERS = [
    mistake(
        "transactions",
        "answer-orders",
        "OrderLine(product_id=item.product_id, quantity=item.quantity, unit_price_cents=price)",
        "OrderLine(product_id=item.product_id, quantity=item.quantity, unit_price_cents=price * item.quantity)",
        "the line stores its total (price times quantity) as its unit price",
        "order-placed",
    ),
    mistake(
        "transactions",
        "answer-orders",
        _ONE_TRANSACTION,
        _COMMITTED_AS_IT_GOES,
        "each line's stock is committed as soon as it is taken, so a later failure leaves it behind",
        "order-all-or-nothing",
    ),
    mistake(
        "transactions",
        "answer-orders",
        _ONE_TRANSACTION,
        _STOCK_THEN_ORDER,
        "the stock is committed before the order and its lines are written, so a failure writing them keeps it",
        "order-halfway-failure",
    ),
    mistake(
        "transactions",
        "answer-orders",
        _TAKE_STOCK,
        _READ_CHECK_WRITE,
        "the stock is read (with_for_update, which SQLite ignores), checked in Python and written back: simultaneous orders oversell",
        "order-concurrent",
    ),
    mistake(
        "transactions",
        "answer-orders",
        _TAKE_STOCK,
        _CHECK_THEN_DECREMENT,
        "the stock is checked by a read, then decremented with stock - n: the decrement is atomic, the check is stale",
        "order-concurrent",
    ),
    mistake(
        "errors",
        "answer-orders",
        'raise HTTPException(status.HTTP_404_NOT_FOUND, f"Product {item.product_id} not found")',
        'raise HTTPException(status.HTTP_404_NOT_FOUND, f"Product {item.product_id} does not exist")',
        "the unknown product's 404 says 'does not exist' instead of the message the task fixes",
        "order-product-404",
    ),
    mistake(
        "errors",
        "answer-orders",
        'if constraint_violated(exc) != "foreign_key":',
        'if constraint_violated(exc) != "unique":',
        "only duplicates are mapped, so an order for a missing customer answers 500 instead of 404",
        "order-customer-404",
    ),
    mistake(
        "errors",
        "answer-orders",
        'f"Product {item.product_id} has {product.stock} in stock, {item.quantity} were ordered",',
        'f"Not enough stock: {product.stock} left, {item.quantity} ordered",',
        "the 409 says there is not enough stock without naming the product",
        "order-stock-409",
    ),
    mistake(
        "errors",
        "answer-orders",
        "        except IntegrityError as exc:\n"
        '            if constraint_violated(exc) != "foreign_key":\n'
        "                raise\n"
        "            raise HTTPException(",
        "        except IntegrityError:  # the only constraint an order can break is its customer's\n"
        "            raise HTTPException(",
        "every IntegrityError while writing the order is answered as a missing customer",
        "order-other-errors-500",
    ),
]

# Task 10: an order with its relationships -------------------------------------------------------

DETAIL = [
    mistake(
        "models",
        "answer-order-detail",
        'response_model=Envelope[OrderDetail], responses=NOT_FOUND, summary="Get an order")',
        'response_model=Envelope[OrderOut], responses=NOT_FOUND, summary="Get an order")',
        "the route answers with Task 8's OrderOut, which has no customer and no products",
        "detail-read",
    ),
    mistake(
        "models",
        "answer-order-detail",
        'f"Order {order_id} not found"',
        'f"No order with id {order_id}"',
        "the order's 404 message is not the one the task fixes",
        "detail-not-found",
    ),
    mistake(
        "models",
        "answer-order-detail",
        'order_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The order\'s id")]',
        "order_id: int",
        "the order id is an unbounded int, so 0 is a 404 and 2**63 a 500",
        "detail-id-range",
    ),
    mistake(
        "models",
        "answer-order-detail",
        "        .options(selectinload(Order.customer), selectinload(Order.lines).selectinload(OrderLine.product))\n"
        "    )\n"
        "    order = await session.scalar(statement)\n"
        "    if order is None:\n"
        '        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Order {order_id} not found")\n',
        "        .options(selectinload(Order.customer), selectinload(Order.lines))\n"
        "    )\n"
        "    order = await session.scalar(statement)\n"
        "    if order is None:\n"
        '        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Order {order_id} not found")\n'
        "    for line in order.lines:  # the products, one query per line\n"
        '        await session.refresh(line, ["product"])\n',
        "each line's product is loaded by a query of its own (N+1) instead of eagerly",
        "detail-eager",
    ),
]

# Task 11: the health check ----------------------------------------------------------------------

HEALTH = [
    mistake(
        "errors",
        "answer-health",
        'return Envelope(data={"database": "ok"}, message="Healthy")',
        'return Envelope(data={"status": "ok"}, message="Healthy")',
        "the health check answers data {'status': 'ok'} instead of {'database': 'ok'}",
        "health-ok",
    ),
    mistake(
        "errors",
        "answer-health",
        '    try:\n        await session.execute(text("SELECT 1"))\n    except SQLAlchemyError as exc:\n'
        '        logger.warning("Health check failed: the database is unreachable (%s)", type(exc).__name__, exc_info=True)\n'
        '        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Database unavailable") from None\n',
        '    await session.execute(text("SELECT 1"))\n',
        "the health check does not catch a database failure, so it answers 500 instead of 503",
        "health-503",
    ),
    mistake(
        "errors",
        "answer-health",
        '"Database unavailable") from None',
        'f"Database unavailable: {exc}") from None',
        "the 503 sends the database error's text (driver, file path) to the client",
        "health-503",
    ),
    mistake(
        "errors",
        "answer-health",
        'logger.warning("Health check failed: the database is unreachable (%s)", type(exc).__name__, exc_info=True)',
        'logger.debug("Health check failed: the database is unreachable (%s)", type(exc).__name__, exc_info=True)',
        "the failure is logged at DEBUG, below what production keeps",
        "health-logged",
    ),
]

# Task 12: the migration -------------------------------------------------------------------------

MIGRATION = [
    mistake(
        "models",
        "answer-migration",
        'sa.Column("category", sa.String(40), nullable=False, server_default="general")',
        'sa.Column("category", sa.String(40), nullable=True, server_default="general")',
        "the migration adds category as a nullable column, unlike the model",
        "migration-upgrade",
    ),
    mistake(
        "models",
        "answer-migration",
        'op.create_index(op.f("ix_products_category"), "products", ["category"])',
        'op.create_index("ix_category", "products", ["category"])',
        "the index is named by hand, not by the naming convention the models use",
        "migration-upgrade",
    ),
    mistake(
        "models",
        "answer-migration",
        'sa.Column("category", sa.String(40), nullable=False, server_default="general")',
        'sa.Column("category", sa.String(40), nullable=False, default="general")',
        "default= (Python side) instead of server_default=, so the rows already there get no value",
        "migration-existing-rows",
    ),
    mistake(
        "models",
        "answer-migration",
        '    op.drop_index(op.f("ix_products_category"), table_name="products")\n'
        '    op.drop_column("products", "category")\n',
        '    op.drop_column("products", "category")\n'
        '    op.drop_index(op.f("ix_products_category"), table_name="products")\n',
        "the downgrade drops the column before its index, in the same order as the upgrade",
        "migration-downgrade",
    ),
    mistake(
        "models",
        "answer-migration",
        "MIGRATIONS = [INITIAL_SCHEMA, ADD_CATEGORY]",
        "MIGRATIONS = [ADD_CATEGORY]",
        "MIGRATIONS holds only the new revision, without the one it follows",
        "migration-list",
    ),
]

MISTAKES = MODELS + SESSION + PRODUCTS + CUSTOMERS + FILTERS + LIST + ORDERS + DETAIL + HEALTH + MIGRATION
