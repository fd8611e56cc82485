"""Correct answers to lab05_performance written differently from the worked solution (see autograder.catalogue).

Each must keep full marks: the lab's tests check what a client or an operator can observe,
not how the code is built.
"""

from autograder.catalogue import Alternative

LAB = "lab05_performance"

SERVER_TIMING_HTTP_MIDDLEWARE = '''
def add_server_timing(app: FastAPI, clock: Callable[[], float] = time.perf_counter) -> None:
    """The short way: a function middleware that sets the header on the response call_next returns."""

    @app.middleware("http")
    async def server_timing(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        arrived = clock()
        response = await call_next(request)
        response.headers["Server-Timing"] = "app;dur=%.3f" % ((clock() - arrived) * 1000)
        return response
'''

TTL_CACHE_GENERATIONS = '''
class TTLCache(Generic[TypeVar("V")]):
    """Recency kept by re-inserting into a plain dict; loads in flight checked against per-key versions."""

    def __init__(self, ttl_seconds: float, *, max_entries: int = 1024, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[Hashable, tuple[float, Any]] = {}  # dicts keep insertion order: oldest use first
        self._epoch = 0  # moved on by clear()
        self._versions: dict[Hashable, int] = {}  # moved on by invalidate(key), kept only while key loads
        self._loads: dict[Hashable, int] = {}  # loads in flight per key

    async def get_or_load(self, key: Hashable, loader: Callable[[], Awaitable[Any]]) -> Any:
        now = self.clock()
        if key in self._entries:
            stored_at, value = self._entries.pop(key)
            if now - stored_at < self.ttl_seconds:
                self._entries[key] = (stored_at, value)  # back at the end: the most recently used
                return value
        seen = (self._epoch, self._versions.get(key, 0))
        self._loads[key] = self._loads.get(key, 0) + 1
        try:
            value = await loader()
            unchanged = (self._epoch, self._versions.get(key, 0)) == seen
        finally:
            self._loads[key] -= 1
            if not self._loads[key]:
                del self._loads[key]
                self._versions.pop(key, None)
        if unchanged:
            self._entries.pop(key, None)
            self._entries[key] = (now, value)
            while len(self._entries) > self.max_entries:
                del self._entries[next(iter(self._entries))]
        return value

    def invalidate(self, key: Hashable) -> None:
        self._entries.pop(key, None)
        if key in self._loads:
            self._versions[key] = self._versions.get(key, 0) + 1

    def clear(self) -> None:
        self._entries.clear()
        self._epoch += 1
'''

ORDERS_JOINEDLOAD = '''
from sqlalchemy.orm import joinedload


@orders_router.get("", responses=INVALID)
async def list_orders(
    session: SessionDep,
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=10_000),
) -> Envelope[Page[OrderOut]]:
    """One JOIN for the page (SQLAlchemy wraps the LIMIT in a subquery), one count."""
    total = (await session.execute(select(func.count(Order.id)))).scalar_one()
    result = await session.execute(
        select(Order).options(joinedload(Order.lines)).order_by(Order.id.asc()).offset(offset).limit(limit)
    )
    orders = [OrderOut.model_validate(order) for order in result.unique().scalars()]
    return Envelope[Page[OrderOut]](data=Page[OrderOut](items=orders, total=total, limit=limit, offset=offset), message="Orders")
'''

PRODUCT_CACHE_STATEMENTS = '''
from sqlalchemy import delete, update

product_cache = TTLCache(ttl_seconds=60)


def get_product_cache() -> TTLCache:
    return product_cache


Cache = Annotated[TTLCache, Depends(get_product_cache)]


def not_found(product_id: int) -> HTTPException:
    return HTTPException(404, f"Product {product_id} not found")


@products_router.get("/{product_id}", responses={**NOT_FOUND, **INVALID})
async def get_product(product_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: SessionDep, cache: Cache) -> Envelope[ProductOut]:
    async def load() -> ProductOut:
        row = (await session.execute(select(Product).where(Product.id == product_id))).scalar_one_or_none()
        if row is None:
            raise not_found(product_id)
        return ProductOut.model_validate(row)

    return Envelope(data=await cache.get_or_load(f"product-{product_id}", load), message="OK")


@products_router.patch("/{product_id}", responses={**NOT_FOUND, **INVALID})
async def change_price(
    product_id: Annotated[int, Path(ge=1, le=MAX_ID)], change: PriceChange, session: SessionDep, cache: Cache
) -> Envelope[ProductOut]:
    """An UPDATE ... RETURNING checked by what it returned, committed explicitly, then the invalidation."""
    statement = update(Product).where(Product.id == product_id).values(price_cents=change.price_cents).returning(Product)
    product = (await session.execute(statement)).scalar_one_or_none()
    if product is None:
        await session.rollback()
        raise not_found(product_id)
    changed = ProductOut.model_validate(product)
    await session.commit()
    cache.invalidate(f"product-{product_id}")
    return Envelope(data=changed, message=f"Product {product_id} now costs {changed.price_cents} cents")


@products_router.delete("/{product_id}", status_code=204, response_class=Response, responses={**NOT_FOUND, **INVALID})
async def delete_product(product_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: SessionDep, cache: Cache) -> Response:
    """A DELETE statement checked by its row count."""
    result = await session.execute(delete(Product).where(Product.id == product_id))
    if result.rowcount != 1:
        await session.rollback()
        raise not_found(product_id)
    await session.commit()
    cache.invalidate(f"product-{product_id}")
    return Response(status_code=204)
'''

COMPRESSION_KEYWORDS = """
from starlette.middleware.gzip import GZipMiddleware


def add_compression(app: FastAPI) -> None:
    app.add_middleware(GZipMiddleware, minimum_size=1_000, compresslevel=5)
"""

CSV_LINE_REGEX = '''
import csv
import io
import re as regex

FORMULA = regex.compile(r"[=+\\-@\\t\\r]")


def csv_line(values: Sequence[object]) -> str:
    """Neutralise with a regular expression; the csv module's settings spelled out."""
    safe = ["'" + value if isinstance(value, str) and FORMULA.match(value) else value for value in values]
    out = io.StringIO(newline="")
    csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\\r\\n").writerow(safe)
    return out.getvalue()
'''

EXPORT_LINE_PER_CHUNK = '''
from fastapi.responses import StreamingResponse


@orders_router.get("/export.csv", response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}})
async def export_orders(rows: RowSourceDep) -> StreamingResponse:
    """One line per chunk, from an inner generator."""

    async def lines() -> AsyncIterator[bytes]:
        yield csv_line(EXPORT_COLUMNS).encode()
        async for row in rows:
            yield csv_line(astuple(row)).encode()

    response = StreamingResponse(lines(), media_type="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
'''

TAX_TO_THREAD = '''
async def load_order(session: AsyncSession, order_id: int) -> Order:
    statement = select(Order).where(Order.id == order_id).options(selectinload(Order.lines))
    order = (await session.scalars(statement)).one_or_none()
    if order is None:
        raise HTTPException(404, f"Order {order_id} not found")
    return order


@orders_router.get("/{order_id}/tax", responses={**NOT_FOUND, **INVALID})
async def order_tax(order_id: int = Path(ge=1, le=MAX_ID), session: AsyncSession = Depends(get_session)) -> Envelope[TaxOut]:
    """The standard library's thread pool this time."""
    order = await load_order(session, order_id)
    rate = await asyncio.to_thread(legacy_tax_rate, order.country)
    subtotal = sum(line.unit_price_cents * line.quantity for line in order.lines)
    return Envelope(
        data=TaxOut(order_id=order_id, country=order.country, rate=rate, subtotal_cents=subtotal, tax_cents=tax_cents(subtotal, rate)),
        message="Tax computed",
    )
'''

QUOTE_WAIT_FIRST_EXCEPTION = '''
@orders_router.get(
    "/{order_id}/quote",
    responses={**NOT_FOUND, **INVALID, 503: {"model": ErrorEnvelope, "description": "The pricing service failed"}},
)
async def quote_order(order_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: SessionDep, pricing: PricingDep) -> Envelope[QuoteOut]:
    """Tasks by hand: wait for the first failure, then cancel what is left and wait for it to go."""
    order = await load_order(session, order_id)
    permits = asyncio.BoundedSemaphore(MAX_PRICING_CALLS)

    async def price_of(sku: str) -> int:
        async with permits:
            return await pricing.current_price(sku)

    tasks = [asyncio.create_task(price_of(line.sku)) for line in order.lines]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION) if tasks else (set(), set())
    failed = [task for task in done if task.exception() is not None]
    if failed:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        logger.warning("quote of order %d failed: the pricing service raised %r", order_id, failed[0].exception())
        raise HTTPException(503, "Pricing service unavailable")
    lines = [
        OrderLineOut(sku=line.sku, quantity=line.quantity, unit_price_cents=task.result())
        for line, task in zip(order.lines, tasks, strict=True)
    ]
    return Envelope(data=QuoteOut(order_id=order_id, lines=lines), message=f"{len(lines)} lines re-priced")
'''

APP_TIMING_INSIDE = """
app = FastAPI(lifespan=lifespan, version="5.0.0", title="Shop API")
install_error_handlers(app)
for router in (orders_router, products_router):
    app.include_router(router)
add_server_timing(app)  # inside compression this time: dur leaves out the compressing
add_compression(app)
"""

ALTERNATIVES = [
    Alternative(
        LAB,
        "server-timing-http-middleware",
        "Server-Timing with @app.middleware('http') and call_next instead of a pure ASGI class, three decimals",
        {"answer-server-timing": SERVER_TIMING_HTTP_MIDDLEWARE},
    ),
    Alternative(
        LAB,
        "ttl-cache-versions",
        "the cache keeps recency by re-inserting into a plain dict and spots overtaken loads with per-key versions "
        "and an epoch for clear(), instead of an OrderedDict and tickets",
        {"answer-ttl-cache": TTL_CACHE_GENERATIONS},
    ),
    Alternative(
        LAB,
        "orders-joinedload",
        "the orders page with joinedload (one JOIN, .unique()) and count(Order.id), Query defaults, another message",
        {"answer-orders-list": ORDERS_JOINEDLOAD},
    ),
    Alternative(
        LAB,
        "product-cache-statements",
        "product writes as UPDATE ... RETURNING and DELETE statements with explicit commits, string keys, "
        "other messages, and the 204 as a Response",
        {"answer-product-cache": PRODUCT_CACHE_STATEMENTS},
    ),
    Alternative(
        LAB,
        "compression-level-5",
        "GZipMiddleware with literal keyword values and compression level 5",
        {"answer-compression": COMPRESSION_KEYWORDS},
    ),
    Alternative(
        LAB,
        "csv-line-regex",
        "formula triggers found with a regular expression, the csv writer's quoting and line ending spelled out",
        {"answer-csv-line": CSV_LINE_REGEX},
    ),
    Alternative(
        LAB,
        "export-line-per-chunk",
        "the export yields one encoded line per chunk and sets Content-Disposition on the response afterwards",
        {"answer-export": EXPORT_LINE_PER_CHUNK},
    ),
    Alternative(
        LAB,
        "tax-to-thread",
        "asyncio.to_thread instead of run_in_threadpool, the order loaded with a select, Path and Depends as defaults",
        {"answer-tax": TAX_TO_THREAD},
    ),
    Alternative(
        LAB,
        "quote-wait-first-exception",
        "the fan-out with create_task and asyncio.wait(FIRST_EXCEPTION), cancelling and awaiting what is left "
        "by hand instead of a TaskGroup, a BoundedSemaphore, and another log message",
        {"answer-quote": QUOTE_WAIT_FIRST_EXCEPTION},
    ),
    Alternative(
        LAB,
        "app-timing-inside-compression",
        "the app with its routers included in a loop and Server-Timing added before compression (either order works)",
        {"answer-app": APP_TIMING_INSIDE},
    ),
]
