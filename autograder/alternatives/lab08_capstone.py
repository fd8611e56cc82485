"""Correct answers to lab08_capstone written differently from the worked solution (see autograder.catalogue).

Each must keep full marks: the checks grade what a client or an operator can observe, not how
the code is built.
"""

from autograder.catalogue import Alternative

LAB = "lab08_capstone"

PLACE_ORDER_IN_SQL = '''\
TAKE_STOCK = text(
    "UPDATE products SET stock = stock - :quantity WHERE id = :id AND stock >= :quantity RETURNING name, price_cents"
)


async def place_order(session: AsyncSession, customer: Identity, body: OrderCreate) -> Order:
    """Take each line's stock with one SQL statement that checks and writes at once; commit once, or roll back."""
    order = Order(customer_id=customer.user_id, status=OrderStatus.PLACED, note=body.note)
    try:
        for item in body.lines:
            taken = (await session.execute(TAKE_STOCK, {"quantity": item.quantity, "id": item.product_id})).first()
            if taken is None:
                left = await session.scalar(select(Product.stock).where(Product.id == item.product_id))
                if left is None:
                    raise NotFoundError(f"Product {item.product_id} not found")
                name = await session.scalar(select(Product.name).where(Product.id == item.product_id))
                raise ConflictError(f"Product {item.product_id} ({name}) has {left} in stock; {item.quantity} ordered")
            order.lines.append(
                OrderLine(product_id=item.product_id, product_name=taken.name, quantity=item.quantity,
                          unit_price_cents=taken.price_cents)
            )
        session.add(order)
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return order
'''

QUERIES_WITH_EXISTS = '''\
def escape_like(text_: str) -> str:
    """`text_` with LIKE's wildcards and the escape character itself escaped (escape character: backslash)."""
    return text_.replace("\\\\", "\\\\\\\\").replace("%", "\\\\%").replace("_", "\\\\_")


def for_user(user: Identity) -> list[Any]:
    """The WHERE conditions that keep a customer to their own orders (none for staff)."""
    return [] if user.role == Role.STAFF else [Order.customer_id == user.user_id]


async def get_order(session: AsyncSession, user: Identity, order_id: int) -> Order:
    found = await session.scalars(
        select(Order).where(Order.id == order_id, *for_user(user)).options(selectinload(Order.lines))
    )
    order = found.first()
    if order is None:
        raise NotFoundError(f"Order {order_id} not found")
    return order


async def list_orders(session: AsyncSession, user: Identity, query: OrderQuery) -> tuple[list[Order], int]:
    conditions = for_user(user)
    if query.status:
        conditions.append(Order.status == query.status.value)
    if query.q:
        pattern = "%" + escape_like(query.q.lower()) + "%"
        line_matches = (
            select(OrderLine.id)
            .where(OrderLine.order_id == Order.id, func.lower(OrderLine.product_name).like(pattern, escape="\\\\"))
            .exists()
        )
        conditions.append(line_matches)
    total = await session.scalar(select(func.count(Order.id)).where(*conditions))
    orders = await session.scalars(
        select(Order)
        .where(*conditions)
        .order_by(Order.id.desc())
        .offset(query.offset)
        .limit(query.limit)
        .options(selectinload(Order.lines))
    )
    return orders.all(), total
'''

IDENTITY_AS_A_CLASS = '''\
bearer = HTTPBearer()  # auto_error: FastAPI itself answers 401 with WWW-Authenticate: Bearer


class BearerIdentity:
    """A dependency object: the caller's Identity from a Bearer token, or 401."""

    async def __call__(
        self,
        credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)],
        request: Request,
        clock: Annotated[Callable[[], float], Depends(get_clock)],
    ) -> Identity:
        try:
            claims = verify_token(credentials.credentials, get_settings(request).jwt_public_key, now=clock)
            return Identity.model_validate({"user_id": claims["sub"], "email": claims["email"], "role": claims["role"]})
        except (jwt.InvalidTokenError, LookupError, ValueError) as exc:
            raise HTTPException(401, detail="Invalid access token", headers={"WWW-Authenticate": "Bearer"}) from exc


current_user = BearerIdentity()
CurrentUser = Annotated[Identity, Depends(current_user)]


def require_staff(user: CurrentUser) -> Identity:
    if user.role is not Role.STAFF:
        raise HTTPException(403, detail="Staff only")
    return user


StaffUser = Annotated[Identity, Depends(require_staff)]
'''

LIFECYCLE_WITH_GUARDED_UPDATE = """\
TRANSITIONS = {
    OrderStatus.PLACED: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: set(),
    OrderStatus.CANCELLED: set(),
}


async def change_status(session: AsyncSession, user: Identity, order_id: int, new_status: OrderStatus) -> Order:
    async with session.begin():
        order = await get_order(session, user, order_id)
        if order.status == new_status:
            return order
        if new_status not in TRANSITIONS[OrderStatus(order.status)]:
            raise ConflictError(f"Cannot move order {order_id} from {order.status} to {new_status}")
        moved = await session.scalar(
            update(Order)
            .where(Order.id == order_id, Order.status == order.status)
            .values(status=new_status)
            .returning(Order.id)
            .execution_options(synchronize_session=False)
        )
        if moved is None:
            raise ConflictError(f"Order {order_id} changed while we looked at it; try again")
        if new_status is OrderStatus.CANCELLED:
            for line in order.lines:
                await session.execute(
                    text("UPDATE products SET stock = stock + :quantity WHERE id = :id"),
                    {"quantity": line.quantity, "id": line.product_id},
                )
    await session.refresh(order, ["status"])
    return order
"""

SYNC_MAIL_JOB_AND_ROUTE = '''\
def send_order_confirmation(order_id: int, email: str, total_cents: int) -> None:
    """A plain def: Starlette runs it in its threadpool after the response, so the blocking SDK never holds the loop."""
    euros, cents = divmod(total_cents, 100)
    mailer.send(email, f"Order {order_id} confirmed", f"Your order {order_id} is confirmed. Total: {euros}.{cents:02d} EUR")


@orders_router.post(
    "",
    status_code=201,
    response_model=Envelope[OrderOut],
    responses=documented(401, 404, 409, 422),
    summary="Place an order",
)
async def create_order(
    body: OrderCreate, user: CurrentUser, session: SessionDep, tasks: BackgroundTasks, response: Response
) -> Envelope[OrderOut]:
    """Place an order: 201 with the order and its Location; 404 for an unknown product, 409 for too little stock."""
    placed = OrderOut.model_validate(await place_order(session, user, body))
    logging.getLogger("shop.orders").info(
        "order placed", extra={"order_id": placed.id, "customer_id": placed.customer_id, "total_cents": placed.total_cents}
    )
    tasks.add_task(send_order_confirmation, placed.id, user.email, placed.total_cents)
    response.headers["location"] = f"/api/v1/orders/{placed.id}"
    return Envelope(data=placed, message="Order placed")
'''

ROUTES_WITH_DEPENDS = '''\
from sqlalchemy.exc import SQLAlchemyError

ValidOrderId = Annotated[int, Path(gt=0, lt=2**31)]


@orders_router.get("", responses=documented(401, 422), summary="Order history")
async def read_orders(
    user: CurrentUser, session: SessionDep, query: Annotated[OrderQuery, Depends()]
) -> Envelope[Page[OrderOut]]:
    """Newest first, `limit` at a time from `offset`; filter by status and by part of a product name."""
    orders, total = await list_orders(session, user, query)
    items = [OrderOut.model_validate(order) for order in orders]
    return Envelope(data=Page(items=items, total=total, limit=query.limit, offset=query.offset), message="Orders")


@orders_router.get("/{order_id}", responses=documented(401, 404, 422), summary="One order")
async def read_order(order_id: ValidOrderId, user: CurrentUser, session: SessionDep) -> Envelope[OrderOut]:
    """The order with its lines; 404 when it does not exist or belongs to someone else."""
    return Envelope(data=OrderOut.model_validate(await get_order(session, user, order_id)), message="Order")


@orders_router.patch("/{order_id}/status", responses=documented(401, 403, 404, 409, 422), summary="Move an order")
async def update_order_status(
    order_id: ValidOrderId, change: StatusChange, staff: StaffUser, session: SessionDep
) -> Envelope[OrderOut]:
    """Staff only: ship, deliver or cancel an order; 409 when its lifecycle forbids the change."""
    moved = await change_status(session, staff, order_id, change.status)
    return Envelope(data=OrderOut.model_validate(moved), message="Status changed")


@orders_router.post(
    "/{order_id}/cancel", status_code=204, response_class=Response, responses=documented(401, 404, 409, 422),
    summary="Cancel an order",
)
async def cancel_order(order_id: ValidOrderId, user: CurrentUser, session: SessionDep) -> None:
    """Cancel an order that has not shipped and restock it; cancelling twice is harmless; 409 once shipped."""
    await change_status(session, user, order_id, OrderStatus.CANCELLED)


@ops_router.get("/health", responses=documented(503), summary="Is the database up?")
async def health(session: SessionDep) -> Envelope[dict[str, str]]:
    """For the load balancer: 200 when the database answers SELECT 1, else 503 (and an error in the log)."""
    try:
        await session.scalar(select(1))
    except (SQLAlchemyError, OSError) as exc:
        logger.error("health check failed", exc_info=exc)
        return error_response(503, "The database is not available")
    return Envelope(data={"status": "ok", "database": "ok"}, message="ok")
'''

APP_WITH_PURE_ASGI_MIDDLEWARE = '''\
from pydantic import AfterValidator


def _public_key(pem: str) -> str:
    public_key_from_pem(pem)
    return pem


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="shop_", case_sensitive=False)

    jwt_public_key: Annotated[str, AfterValidator(_public_key)]
    gzip_minimum_size: Annotated[int, Field(ge=0)] = 1000


ALLOWED = re.compile(r"[\\w.-]{1,64}\\Z", re.ASCII)


class RequestIdMiddleware:
    """A pure ASGI middleware: the request id in a context variable and on the response's headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = sent if ALLOWED.match(sent) else uuid.uuid4().hex

        async def with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        token = request_id_var.set(request_id)
        try:
            await self.app(scope, receive, with_id)
        finally:
            request_id_var.reset(token)


def create_app(settings: Settings | None = None) -> FastAPI:
    config = settings or Settings()
    app = FastAPI(title="Orders", version="1", lifespan=lifespan)
    app.state.settings = config
    install_error_handlers(app)
    for router in (orders_router, ops_router):
        app.include_router(router)
    for middleware, options in (
        (CatchUnhandledErrors, {"logger": logger}),
        (GZipMiddleware, {"minimum_size": config.gzip_minimum_size}),
        (RequestIdMiddleware, {}),
    ):
        app.add_middleware(middleware, **options)
    return app
'''

ALTERNATIVES = [
    Alternative(
        LAB,
        "place-order-in-sql",
        "one UPDATE ... RETURNING in SQL per line (bound parameters), try/commit/rollback instead of session.begin()",
        {"answer-place-order": PLACE_ORDER_IN_SQL},
    ),
    Alternative(
        LAB,
        "queries-with-exists",
        "an EXISTS subquery with lower() LIKE and the pattern escaped in Python; conditions as a list; count(Order.id)",
        {"answer-queries": QUERIES_WITH_EXISTS},
    ),
    Alternative(
        LAB,
        "identity-as-a-class",
        "a dependency object, HTTPBearer with auto_error (FastAPI's own 401), Identity.model_validate, sync require_staff",
        {"answer-identity": IDENTITY_AS_A_CLASS},
    ),
    Alternative(
        LAB,
        "lifecycle-guarded-update",
        "a guarded UPDATE ... RETURNING without session sync, a refresh after the commit, restock in SQL, other messages",
        {"answer-lifecycle": LIFECYCLE_WITH_GUARDED_UPDATE},
    ),
    Alternative(
        LAB,
        "sync-mail-job",
        "the mail job is a plain def (Starlette runs it in a thread), the total formatted with divmod, a child logger",
        {"answer-place-route": SYNC_MAIL_JOB_AND_ROUTE},
    ),
    Alternative(
        LAB,
        "routes-with-depends",
        "OrderQuery through Depends(), return annotations instead of response_model, 204 returning None, "
        "health via select(1) and except (SQLAlchemyError, OSError)",
        {"answer-routes": ROUTES_WITH_DEPENDS},
    ),
    Alternative(
        LAB,
        "pure-asgi-request-ids",
        "a pure ASGI request-id middleware, an Annotated AfterValidator for the key, the middleware added in a loop",
        {"answer-app": APP_WITH_PURE_ASGI_MIDDLEWARE},
    ),
]
