"""Realistic wrong answers for lab08_capstone (see autograder.catalogue): one or more per requirement.

Each names the requirement it breaks (the ``# REQ`` lines in the lab source's hidden tests) and
must lose points on its rubric key only, in the cell that pins that requirement.
"""

from autograder.catalogue import Mistake

LAB = "lab08_capstone"

# ---- Task 1: models ---------------------------------------------------------------------------
MODELS = [
    Mistake(
        LAB,
        "models",
        "answer-models",
        "product_id: int = Field(ge=1, le=MAX_ID, examples=[1])",
        "product_id: int = Field(gt=0, examples=[1])",
        "product ids are bounded below only, so an id of 2**63 reaches the database driver",
        requirement="line-product-id",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "quantity: int = Field(ge=1, le=100, examples=[2])",
        "quantity: int = Field(ge=1, le=1000, examples=[2])",
        "quantities are capped at 1000 instead of 100",
        requirement="line-quantity",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        '    """One line of a new order."""\n\n    model_config = ConfigDict(extra="forbid")',
        '    """One line of a new order."""\n\n    model_config = ConfigDict(extra="ignore")',
        "an order line silently ignores extra fields such as unit_price_cents",
        requirement="line-extra-forbidden",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "lines: list[OrderLineIn] = Field(min_length=1, max_length=20)",
        "lines: list[OrderLineIn] = Field(min_length=1, max_length=50)",
        "an order may have up to 50 lines",
        requirement="create-lines-count",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "if len({line.product_id for line in lines}) != len(lines):",
        "if len({(line.product_id, line.quantity) for line in lines}) != len(lines):",
        "only identical lines count as duplicates: the same product twice with different quantities passes",
        requirement="create-one-line-per-product",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'note: str | None = Field(default=None, max_length=200, examples=["Please ring twice"])',
        'note: str | None = Field(default=None, max_length=255, examples=["Please ring twice"])',
        "the note may be 255 characters long, like a VARCHAR(255), not 200",
        requirement="create-note",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        '    """What a customer sends to place an order. Customer, prices and status are the server\'s to decide."""\n\n'
        '    model_config = ConfigDict(extra="forbid")',
        '    """What a customer sends to place an order. Customer, prices and status are the server\'s to decide."""\n\n'
        '    model_config = ConfigDict(extra="ignore")',
        "an order body that sets customer_id or status is silently accepted instead of rejected",
        requirement="create-extra-forbidden",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "    note: str | None\n    lines: list[OrderLineOut]\n",
        "    note: str | None\n    risk_score: float\n    internal_note: str | None\n    lines: list[OrderLineOut]\n",
        "the response model copies every column, leaking the fraud score and the staff's notes",
        requirement="out-fields",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "    @computed_field\n    @property\n    def total_cents(self) -> int:",
        "    @property\n    def total_cents(self) -> int:",
        "total_cents is a plain property, which pydantic never serialises: the total is missing from the JSON",
        requirement="out-total",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "    product_id: int\n    product_name: str\n    quantity: int\n    unit_price_cents: int\n",
        "    order_id: int\n    product_id: int\n    product_name: str\n    quantity: int\n    unit_price_cents: int\n",
        "each order line also shows its order_id, a column the contract does not list",
        requirement="out-line-fields",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "    customer_id: int\n    status: OrderStatus\n    note: str | None",
        "    customer_id: int\n    status: str\n    note: str | None",
        "OrderOut.status is any string, so a corrupt status is shown to clients",
        requirement="out-status-enum",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        '    """The body of a status change (staff only)."""\n\n    model_config = ConfigDict(extra="forbid")',
        '    """The body of a status change (staff only)."""\n\n    model_config = ConfigDict(extra="ignore")',
        "a status change silently ignores extra fields",
        requirement="status-change-body",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'limit: int = Field(default=20, ge=1, le=100, description="Page size, at most 100")',
        'limit: int = Field(default=20, ge=1, le=1000, description="Page size, at most 1000")',
        "pages of up to 1000 orders",
        requirement="query-limit",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'offset: int = Field(default=0, ge=0, le=MAX_ID, description="How many orders to skip")',
        'offset: int = Field(default=0, ge=0, description="How many orders to skip")',
        "the offset has no upper bound, so offset=2**63 reaches the driver",
        requirement="query-offset",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'status: OrderStatus | None = Field(default=None, description="Only orders with this status")',
        'status: str | None = Field(default=None, description="Only orders with this status")',
        "the status filter takes any text, so status=lost is an empty page instead of a 422",
        requirement="query-status",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'q: str | None = Field(default=None, min_length=1, max_length=50, description="Part of a product name")',
        'q: str | None = Field(default=None, max_length=50, description="Part of a product name")',
        "an empty search text is accepted (and matches every order)",
        requirement="query-q",
    ),
]

# ---- Task 2: identity ---------------------------------------------------------------------------
IDENTITY = [
    Mistake(
        LAB,
        "auth",
        "answer-identity",
        "    if credentials is None:\n        raise unauthorized\n",
        '    if credentials is None:\n        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="Not authenticated")\n',
        "a request without a token gets a 401 without its WWW-Authenticate challenge",
        requirement="identity-missing-401",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-identity",
        "    except (InvalidAccessToken, KeyError, ValueError, ValidationError):",
        "    except (jwt.ExpiredSignatureError, KeyError, ValueError, ValidationError):",
        "only PyJWT's ExpiredSignatureError is caught: every other refused token is a 500",
        requirement="identity-invalid-token-401",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-identity",
        "    except (InvalidAccessToken, KeyError, ValueError, ValidationError):",
        "    except InvalidAccessToken:",
        "a signed token without email, or with an unknown role, crashes with a 500 instead of a 401",
        requirement="identity-claims-401",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-identity",
        'claims = verify_token(credentials.credentials, settings.jwt_public_key, now=clock, expected_type="access")',
        'claims = jwt.decode(credentials.credentials, settings.jwt_public_key, algorithms=["EdDSA"])',
        "the token is decoded with PyJWT directly: a refresh token passes for an access token, and the app's clock is ignored",
        requirement="identity-token-type",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-identity",
        'verify_token(credentials.credentials, settings.jwt_public_key, now=clock, expected_type="access")',
        'verify_token(credentials.credentials, settings.jwt_public_key, now=time.time, expected_type="access")',
        "tokens are checked against the wall clock, not the app's clock, so an injected clock is ignored",
        requirement="identity-app-clock",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-identity",
        'verify_token(credentials.credentials, settings.jwt_public_key, now=clock, expected_type="access")',
        'verify_token(credentials.credentials, os.environ["SHOP_JWT_PUBLIC_KEY"], now=clock, expected_type="access")',
        "the key is read from the environment on each request instead of from the app's settings",
        requirement="identity-settings-key",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-identity",
        'raise HTTPException(status.HTTP_403_FORBIDDEN, detail="Only staff may do this")',
        'raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="Only staff may do this")',
        "a signed-in customer asking for a staff action gets 401 instead of 403",
        requirement="staff-only-403",
    ),
]

# ---- Task 3: place_order ----------------------------------------------------------------------
TAKE_STOCK = (
    "            taken = await session.execute(\n"
    "                update(Product)\n"
    "                .where(Product.id == item.product_id, Product.stock >= item.quantity)\n"
    "                .values(stock=Product.stock - item.quantity)\n"
    "            )\n"
    "            product = await session.get(Product, item.product_id)\n"
    "            if product is None:\n"
    '                raise NotFoundError(f"Product {item.product_id} not found")\n'
    "            if taken.rowcount != 1:\n"
    "                raise ConflictError(\n"
    '                    f"Product {product.id} ({product.name}) has {product.stock} in stock; {item.quantity} ordered"\n'
    "                )\n"
)
PLACE_ORDER_BODY = (
    "    async with session.begin():\n"
    "        order = Order(customer_id=customer.user_id, status=OrderStatus.PLACED, note=body.note)\n"
    "        for item in body.lines:\n" + TAKE_STOCK + "            order.lines.append(\n"
    "                OrderLine(\n"
    "                    product_id=product.id,\n"
    "                    product_name=product.name,\n"
    "                    quantity=item.quantity,\n"
    "                    unit_price_cents=product.price_cents,\n"
    "                )\n"
    "            )\n"
    "        session.add(order)\n"
    "    return order"
)
PLACE_ORDER = [
    Mistake(
        LAB,
        "transactions",
        "answer-place-order",
        "                    product_name=product.name,\n",
        "                    product_name=product.sku,\n",
        "the order line copies the product's SKU where its name belongs",
        requirement="place-writes-order",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-place-order",
        PLACE_ORDER_BODY,
        "    order = Order(customer_id=customer.user_id, status=OrderStatus.PLACED, note=body.note)\n"
        "    for item in body.lines:\n"
        "        async with session.begin():  # take this line's stock right away\n"
        "            taken = await session.execute(\n"
        "                update(Product)\n"
        "                .where(Product.id == item.product_id, Product.stock >= item.quantity)\n"
        "                .values(stock=Product.stock - item.quantity)\n"
        "            )\n"
        "            product = await session.get(Product, item.product_id)\n"
        "            if product is None:\n"
        '                raise NotFoundError(f"Product {item.product_id} not found")\n'
        "            if taken.rowcount != 1:\n"
        '                raise ConflictError(f"Product {product.id} ({product.name}) has {product.stock} in stock; {item.quantity} ordered")\n'
        "        order.lines.append(OrderLine(product_id=product.id, product_name=product.name, quantity=item.quantity,\n"
        "                                     unit_price_cents=product.price_cents))\n"
        "    async with session.begin():\n"
        "        session.add(order)\n"
        "    return order",
        "each line's stock is committed on its own, so a failing later line leaves the earlier ones taken",
        requirement="place-all-or-nothing",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-place-order",
        "            )\n        session.add(order)\n    return order",
        "            )\n    async with session.begin():  # the stock is ours: now write the order\n"
        "        session.add(order)\n    return order",
        "the stock is committed in one transaction and the order written in a second: a failure in between keeps the stock",
        requirement="place-one-transaction",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-place-order",
        TAKE_STOCK,
        "            product = await session.get(Product, item.product_id, with_for_update=True)\n"
        "            if product is None:\n"
        '                raise NotFoundError(f"Product {item.product_id} not found")\n'
        "            if product.stock < item.quantity:\n"
        "                raise ConflictError(\n"
        '                    f"Product {product.id} ({product.name}) has {product.stock} in stock; {item.quantity} ordered"\n'
        "                )\n"
        "            product.stock -= item.quantity\n",
        "read the stock, check it in Python, write it back (with_for_update, which SQLite ignores): simultaneous orders oversell",
        requirement="place-last-units-race",
    ),
]

# ---- Task 4: the read services ----------------------------------------------------------------
QUERIES = [
    Mistake(
        LAB,
        "injection",
        "answer-queries",
        "OrderLine.product_name.icontains(query.q, autoescape=True)",
        "OrderLine.product_name.icontains(query.q)",
        "the search text is bound but not escaped: % and _ act as LIKE wildcards",
        requirement="search-literal",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-queries",
        "OrderLine.product_name.icontains(query.q, autoescape=True)",
        "text(f\"lower(order_lines.product_name) LIKE lower('%{query.q}%')\")",
        "the search text is pasted into the SQL with an f-string",
        requirement="search-bound-parameter",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-queries",
        "OrderLine.product_name.icontains(query.q, autoescape=True)",
        "OrderLine.product_name.contains(query.q, autoescape=True)",
        "contains for icontains: case-sensitive on PostgreSQL (SQLite's lenient LIKE hides it)",
        requirement="search-ignores-case",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-queries",
        "statement = statement.where(Order.lines.any(OrderLine.product_name.icontains(query.q, autoescape=True)))",
        "statement = statement.join(Order.lines).where(OrderLine.product_name.icontains(query.q, autoescape=True))",
        "a join instead of EXISTS: an order with two matching lines is found, and counted, twice",
        requirement="search-each-order-once",
    ),
]

# ---- Task 5: the lifecycle --------------------------------------------------------------------
CHECKS_IN_ORDER = (
    "        if new_status == current:\n"
    "            return order\n"
    "        if new_status not in TRANSITIONS[current]:\n"
    '            raise ConflictError(f"Order {order_id} is {current}; it cannot become {new_status}")\n'
)
STATUS_UPDATE = (
    "        moved = await session.execute(\n"
    "            update(Order).where(Order.id == order_id, Order.status == current).values(status=new_status)\n"
    "        )\n"
    "        if moved.rowcount != 1:\n"
    '            raise ConflictError(f"Order {order_id} was changed by another request; read it again")\n'
)
RESTOCK = (
    "        if new_status == OrderStatus.CANCELLED:\n"
    "            for line in order.lines:\n"
    "                await session.execute(\n"
    "                    update(Product).where(Product.id == line.product_id).values(stock=Product.stock + line.quantity)\n"
    "                )\n"
    "    return order"
)
LIFECYCLE = [
    Mistake(
        LAB,
        "transactions",
        "answer-lifecycle",
        "    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),",
        "    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED, OrderStatus.CANCELLED}),",
        "staff may cancel a shipped order (as the first version of the brief said), against the lifecycle",
        requirement="status-transitions",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-lifecycle",
        CHECKS_IN_ORDER,
        "        if new_status not in TRANSITIONS[current]:\n"
        '            raise ConflictError(f"Order {order_id} is {current}; it cannot become {new_status}")\n'
        "        if new_status == current:\n"
        "            return order\n",
        "the lifecycle is checked before the no-op: cancelling a cancelled order is a 409, not harmless",
        requirement="status-same-is-noop",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-lifecycle",
        ".values(stock=Product.stock + line.quantity)",
        ".values(stock=Product.stock + 1)",
        "cancelling puts one unit back per line instead of the line's quantity",
        requirement="status-cancel-restocks",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-lifecycle",
        RESTOCK,
        "    if new_status == OrderStatus.CANCELLED:\n"
        "        async with session.begin():  # the status is saved: now put the stock back\n"
        "            for line in order.lines:\n"
        "                await session.execute(\n"
        "                    update(Product).where(Product.id == line.product_id).values(stock=Product.stock + line.quantity)\n"
        "                )\n"
        "    return order",
        "the status is committed first and the stock put back in a second transaction: a failure between loses stock",
        requirement="status-one-transaction",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-lifecycle",
        STATUS_UPDATE,
        "        order.status = new_status\n",
        "the status is read, checked, then written unconditionally: two simultaneous cancels both put the stock back",
        requirement="status-simultaneous-cancel",
    ),
]

# ---- Task 6: POST /api/v1/orders ----------------------------------------------------------------
# The whole route, from its decorator's response model to its answer: the mistakes below rewrite it.
CREATE_ORDER = (
    "@orders_router.post(\n"
    '    "",\n'
    "    status_code=status.HTTP_201_CREATED,\n"
    "    response_model=Envelope[OrderOut],\n"
    "    responses=documented(401, 404, 409, 422),\n"
    '    summary="Place an order",\n'
    ")\n"
    "async def create_order(\n"
    "    body: OrderCreate,\n"
    "    user: CurrentUser,\n"
    "    session: SessionDep,\n"
    "    background_tasks: BackgroundTasks,\n"
    "    response: Response,\n"
    ") -> Envelope[OrderOut]:\n"
    '    """Place an order for the caller; the stock is taken at once and a confirmation email follows.\n'
    "\n"
    "    404 if a product does not exist, 409 if one has too little stock (nothing is ordered then).\n"
    '    """\n'
    "    order = OrderOut.model_validate(await place_order(session, user, body))\n"
    "    logger.info(\n"
    '        "order placed",\n'
    '        extra={"order_id": order.id, "customer_id": user.user_id, "total_cents": order.total_cents},\n'
    "    )\n"
    "    background_tasks.add_task(send_order_confirmation, order.id, user.email, order.total_cents)\n"
    '    response.headers["Location"] = f"{orders_router.prefix}/{order.id}"\n'
    '    return Envelope[OrderOut](data=order, message=f"Order {order.id} placed")'
)
PLACE_ROUTE = [
    Mistake(
        LAB,
        "status-codes",
        "answer-place-route",
        CREATE_ORDER,
        CREATE_ORDER.replace("response_model=Envelope[OrderOut],", "response_model=Envelope[dict[str, int]],")
        .replace(") -> Envelope[OrderOut]:", ") -> Envelope[dict[str, int]]:")
        .replace("return Envelope[OrderOut](data=order,", 'return Envelope[dict[str, int]](data={"id": order.id},'),
        "the 201 carries only the new order's id; the client has to GET the order it just placed",
        requirement="post-201-envelope",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-place-route",
        'response.headers["Location"] = f"{orders_router.prefix}/{order.id}"',
        'response.headers["Location"] = f"/orders/{order.id}"',
        "the Location header leaves out the /api/v1 prefix",
        requirement="post-location",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-place-route",
        CREATE_ORDER,
        CREATE_ORDER.replace("    body: OrderCreate,\n", "    body: dict[str, Any],\n").replace(
            "await place_order(session, user, body)",
            "await place_order(session, user, OrderCreate.model_validate(body))",
        ),
        "the body is read as a plain dict and validated inside the route: a bad body is a 500, not a 422",
        requirement="post-validates-body",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-place-route",
        "    logger.info(\n"
        '        "order placed",\n'
        '        extra={"order_id": order.id, "customer_id": user.user_id, "total_cents": order.total_cents},\n'
        "    )\n",
        '    logger.info(f"order placed: {order.id} for customer {user.user_id}, {order.total_cents} cents")\n',
        "the order's ids are formatted into the message instead of logged as fields ops can search by",
        requirement="order-placed-log",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-route",
        "    background_tasks.add_task(send_order_confirmation, order.id, user.email, order.total_cents)",
        "    await send_order_confirmation(order.id, user.email, order.total_cents)",
        "the confirmation is sent before answering, so the customer waits for the mail provider",
        requirement="email-after-response",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-route",
        "    await run_in_threadpool(\n        mailer.send,\n",
        "    mailer.send(\n",
        "the blocking mail SDK is called inside an async def, on the event loop",
        requirement="email-off-loop",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-route",
        "Total: {total_cents / 100:.2f} EUR.",
        "Total: {total_cents / 100} EUR.",
        "the total is printed as a float: 18.0 EUR",
        requirement="email-content",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-place-route",
        "responses=documented(401, 404, 409, 422),",
        "responses=documented(422),",
        "placing an order answers 401, 404 and 409 but the OpenAPI document does not say so",
        requirement="openapi-error-codes",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-place-route",
        '    """Place an order for the caller; the stock is taken at once and a confirmation email follows.\n'
        "\n"
        "    404 if a product does not exist, 409 if one has too little stock (nothing is ordered then).\n"
        '    """\n',
        "    # Place an order for the caller; the stock is taken at once and a confirmation email follows.\n"
        "    # 404 if a product does not exist, 409 if one has too little stock (nothing is ordered then).\n",
        "the route is explained in a comment, which OpenAPI never sees, instead of a docstring",
        requirement="openapi-descriptions",
    ),
]

# ---- Task 7: the other routes and the health check --------------------------------------------
ROUTES = [
    Mistake(
        LAB,
        "status-codes",
        "answer-queries",
        "        .order_by(Order.id.desc())\n",
        "        .order_by(Order.id)\n",
        "the history comes oldest first",
        requirement="list-page",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-queries",
        "    return list(page), total or 0",
        "    orders = list(page)\n    return orders, len(orders)",
        "total counts the orders on the page, not every matching order",
        requirement="list-pagination",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-queries",
        "        statement = statement.where(Order.status == query.status)",
        "        statement.where(Order.status == query.status)",
        "the status filter is built but never kept (statements are immutable: the result must be assigned)",
        requirement="list-filters",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-routes",
        "    order_id: OrderId, change: StatusChange, staff: StaffUser, session: SessionDep",
        "    order_id: OrderId, change: Annotated[StatusChange, Query()], staff: StaffUser, session: SessionDep",
        "the new status is read from the query string, so the JSON body clients send is ignored (422)",
        requirement="patch-status",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-routes",
        "    await change_status(session, user, order_id, OrderStatus.CANCELLED)\n"
        "    return Response(status_code=status.HTTP_204_NO_CONTENT)",
        "    await change_status(session, user, order_id, OrderStatus.CANCELLED)\n"
        '    return Response(status_code=status.HTTP_200_OK, content="cancelled")',
        "cancel answers 200 with a body instead of 204 No Content",
        requirement="cancel-204",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-routes",
        "async def read_order(order_id: OrderId, user: CurrentUser,",
        "async def read_order(order_id: int, user: CurrentUser,",
        "GET /api/v1/orders/{order_id} takes any integer: 2**63 reaches the driver and answers 500",
        requirement="ids-bounded",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-routes",
        'data={"status": "ok", "database": "ok"}',
        'data={"status": "up", "database": "up"}',
        "the health check answers its own words instead of the documented ok/ok",
        requirement="health-ok",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-routes",
        '        await session.execute(text("SELECT 1"))\n    except Exception:',
        '        await session.execute(text("SELECT 1"))\n    except OperationalError:',
        "only OperationalError counts as an outage: an exhausted pool or a reset connection is a 500",
        requirement="health-503",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-routes",
        'logger.exception("health check: the database does not answer")',
        'logger.warning("health check: the database does not answer")',
        "the failed health check is logged as a warning without its traceback",
        requirement="health-logs-failure",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-routes",
        'responses=documented(401, 404, 422), summary="Get an order"',
        'responses=documented(401, 404), summary="Get an order"',
        "GET /api/v1/orders/{order_id} answers 422 for a bad id but documents only FastAPI's default validation schema",
        requirement="openapi-error-codes",
    ),
]

# ---- Task 8: settings, request ids, the app ---------------------------------------------------
APP = [
    Mistake(
        LAB,
        "secrets",
        "answer-app",
        '    jwt_public_key: str = Field(description="The login service\'s Ed25519 public key (PEM): verifies access tokens.")',
        '    jwt_public_key: str | None = Field(default=None, description="The login service\'s Ed25519 public key (PEM).")',
        "the key is optional: the app starts without it and every token check fails later",
        requirement="settings-key-required",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-app",
        "        public_key_from_pem(pem)  # ValueError for garbage, another kind of key, or a private key\n",
        '        if not pem.startswith("-----BEGIN"):\n            raise ValueError("SHOP_JWT_PUBLIC_KEY is not a PEM key")\n',
        "the key is checked to look like PEM only: a private key (or any other) is accepted",
        requirement="settings-key-validated",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-app",
        'gzip_minimum_size: int = Field(default=1000, ge=0, description="Compress responses from this many bytes.")',
        'gzip_minimum_size: int = Field(default=1000, description="Compress responses from this many bytes.")',
        "a negative gzip_minimum_size is accepted",
        requirement="settings-gzip-size",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-app",
        "    settings = settings if settings is not None else Settings()\n",
        "    settings = Settings()\n",
        "create_app always reads the environment, ignoring the settings it is given",
        requirement="create-app-settings",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-app",
        "    settings = settings if settings is not None else Settings()\n",
        '    os.environ.setdefault("SHOP_JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\\n'
        'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\\n-----END PUBLIC KEY-----\\n")\n'
        "    settings = settings if settings is not None else Settings()\n",
        "a development public key as a fallback in the code: whoever holds its private half can sign tokens",
        requirement="no-key-in-code",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-app",
        'VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")',
        'VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")',
        "request ids with a dot or an underscore are replaced instead of kept",
        requirement="request-id-echo",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-app",
        "VALID_REQUEST_ID.fullmatch(incoming)",
        "VALID_REQUEST_ID.match(incoming)",
        "re.match checks only the start of the header: 'abc<script>' and 65-character ids are kept",
        requirement="request-id-generated",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-app",
        "        token = request_id_var.set(request_id)\n"
        "        try:\n"
        "            response = await call_next(request)\n"
        "        finally:\n"
        "            request_id_var.reset(token)\n",
        "        request.state.request_id = request_id\n        response = await call_next(request)\n",
        "the id is kept on request.state, where no log record can see it, instead of in request_id_var",
        requirement="request-id-in-logs",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-app",
        "        token = request_id_var.set(request_id)\n"
        "        try:\n"
        "            response = await call_next(request)\n"
        "        finally:\n"
        "            request_id_var.reset(token)\n",
        "        request_id_var.set(request_id)\n        response = await call_next(request)\n",
        "the request id is set and never reset, so it outlives its request",
        requirement="request-id-reset",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-app",
        "    app.add_middleware(CatchUnhandledErrors, logger=logger)  # first added: innermost\n",
        "    # no middleware for crashes: FastAPI answers a 500 by itself\n",
        "no last-resort middleware: a crash answers Starlette's plain-text 500, logged nowhere the shop looks",
        requirement="crash-500",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-app",
        "    app.add_middleware(CatchUnhandledErrors, logger=logger)  # first added: innermost\n"
        "    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_minimum_size)\n"
        "    app.add_middleware(RequestIdMiddleware)  # last added: outermost, its id covers every answer\n",
        "    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_minimum_size)\n"
        "    app.add_middleware(RequestIdMiddleware)\n"
        "    app.add_middleware(CatchUnhandledErrors, logger=logger)  # added last, to catch everything\n",
        "the crash middleware is added last (outermost): its 500 loses the request id, in the answer and in the log",
        requirement="crash-keeps-request-id",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-app",
        "    app.add_middleware(CatchUnhandledErrors, logger=logger)  # first added: innermost\n",
        "    async def crashed(request: Request, exc: Exception) -> JSONResponse:\n"
        '        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)\n'
        '        return error_response(status.HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error")\n\n'
        "    app.add_exception_handler(Exception, crashed)\n",
        "a handler for Exception instead of the innermost middleware: Starlette serves it outside every middleware",
        requirement="crash-keeps-request-id",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-app",
        "app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_minimum_size)",
        "app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_minimum_size * 1000)",
        "the threshold is taken as kilobytes: large order histories go out uncompressed",
        requirement="history-gzip",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-app",
        "app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_minimum_size)",
        "app.add_middleware(GZipMiddleware, minimum_size=1000)",
        "the compression threshold is written in the code, not read from the settings",
        requirement="gzip-threshold-from-settings",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-queries",
        "    page = await session.scalars(\n"
        "        statement.options(selectinload(Order.lines))\n"
        "        .order_by(Order.id.desc())\n"
        "        .limit(query.limit)\n"
        "        .offset(query.offset)\n"
        "    )\n"
        "    return list(page), total or 0",
        "    page = list(await session.scalars(statement.order_by(Order.id.desc()).limit(query.limit).offset(query.offset)))\n"
        "    for order in page:\n"
        "        await order.awaitable_attrs.lines  # one more query per order: N+1\n"
        "    return page, total or 0",
        "the history loads each order's lines with a query of its own (N+1)",
        requirement="history-no-n-plus-one",
    ),
]

# ---- Task 2 again, as Check 4 sees it: the bearer scheme -----------------------------------------
OPENAPI_AUTH = [
    Mistake(
        LAB,
        "openapi",
        "answer-identity",
        'bearer_scheme = HTTPBearer(auto_error=False, description="An access token from the shop\'s login service")',
        "async def bearer_scheme(request: Request) -> HTTPAuthorizationCredentials | None:\n"
        '    """The Bearer credentials of the Authorization header, read by hand."""\n'
        '    scheme, _, token = request.headers.get("Authorization", "").partition(" ")\n'
        '    if scheme.lower() != "bearer" or not token:\n'
        "        return None\n"
        "    return HTTPAuthorizationCredentials(scheme=scheme, credentials=token)",
        "the Authorization header is parsed by hand: the routes work, but OpenAPI never learns they need a token",
        requirement="openapi-bearer",
    ),
]

# ---- Check 1: who may do what -----------------------------------------------------------------
ACCESS = [
    Mistake(
        LAB,
        "auth",
        "answer-queries",
        "    statement = visible_orders(user)\n    if query.status is not None:",
        "    statement = select(Order)\n    if query.status is not None:",
        "the order history forgets the ownership rule: customers list everybody's orders",
        requirement="customers-see-own-only",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-lifecycle",
        "        order = await get_order(session, user, order_id)\n",
        "        order = await session.get(Order, order_id, options=[selectinload(Order.lines)])\n"
        "        if order is None:\n"
        '            raise NotFoundError(f"Order {order_id} not found")\n',
        "change_status finds the order by id alone: a customer can cancel anybody's order",
        requirement="customers-cannot-cancel-others",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-routes",
        "    order_id: OrderId, change: StatusChange, staff: StaffUser, session: SessionDep",
        "    order_id: OrderId, change: StatusChange, staff: CurrentUser, session: SessionDep",
        "the status route takes any signed-in user: a customer can ship their own order",
        requirement="status-change-staff-only",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-routes",
        "async def cancel_order(order_id: OrderId, user: CurrentUser, session: SessionDep) -> Response:",
        "async def cancel_order(order_id: OrderId, user: StaffUser, session: SessionDep) -> Response:",
        "only staff may cancel: a customer cannot cancel their own order",
        requirement="customer-cancels-own",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-routes",
        "    order = await get_order(session, user, order_id)\n"
        '    return Envelope[OrderOut](data=OrderOut.model_validate(order), message="Order found")',
        "    order = await get_order(session, user, order_id)\n"
        "    if order.customer_id != user.user_id:  # belt and braces\n"
        '        raise NotFoundError(f"Order {order_id} not found")\n'
        '    return Envelope[OrderOut](data=OrderOut.model_validate(order), message="Order found")',
        "a second ownership check in the route forgets staff: the warehouse cannot open a customer's order",
        requirement="staff-see-all",
    ),
]

# ---- Check 2: failure answers -----------------------------------------------------------------
FAILURES = [
    Mistake(
        LAB,
        "errors",
        "answer-queries",
        'raise NotFoundError(f"Order {order_id} not found")',
        'raise NotFoundError("Not found")',
        "the 404 does not say which order was not found",
        requirement="not-found-names-order",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-place-order",
        '                    f"Product {product.id} ({product.name}) has {product.stock} in stock; {item.quantity} ordered"\n',
        '                    f"Not enough stock for product {product.id}"\n',
        "the 409 for too little stock names neither the product nor the quantities",
        requirement="stock-conflict-409",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-place-order",
        "            product = await session.get(Product, item.product_id)\n"
        "            if product is None:\n"
        '                raise NotFoundError(f"Product {item.product_id} not found")\n'
        "            if taken.rowcount != 1:\n",
        "            product = await session.get(Product, item.product_id)\n"
        "            if taken.rowcount != 1:  # the UPDATE found no row with enough stock\n"
        "                product = product or Product(id=item.product_id, name='?', stock=0)\n",
        "a missing product is reported as too little stock (409) because only the UPDATE's row count is checked",
        requirement="missing-product-404",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-lifecycle",
        'raise ConflictError(f"Order {order_id} is {current}; it cannot become {new_status}")',
        'raise ValueError(f"Order {order_id} is {current}; it cannot become {new_status}")',
        "a forbidden status change raises a plain ValueError, which answers 500 instead of 409",
        requirement="lifecycle-conflict-409",
    ),
]

MISTAKES = (
    MODELS
    + IDENTITY
    + PLACE_ORDER
    + QUERIES
    + LIFECYCLE
    + PLACE_ROUTE
    + ROUTES
    + APP
    + OPENAPI_AUTH
    + ACCESS
    + FAILURES
)
