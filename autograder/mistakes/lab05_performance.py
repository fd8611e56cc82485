"""Realistic wrong answers for lab05_performance (see autograder.catalogue).

One at least for every requirement of the lab source's inventory (its ``# REQ`` lines), each
the way a learner or a code assistant plausibly gets it wrong, each losing points in the test
cell that pins its requirement and nowhere else.
"""

from autograder.catalogue import Mistake

LAB = "lab05_performance"

# A hand-written gzip middleware, as code assistants write it: it collects the body to measure it.
_BUFFERING_GZIP = """import gzip as gzip_module

    @app.middleware("http")
    async def gzip_large_responses(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        body = b"".join([chunk async for chunk in response.body_iterator])
        headers = {key: value for key, value in response.headers.items() if key != "content-length"}
        if {accepts} and len(body) >= COMPRESSION_MINIMUM_BYTES:
            body = gzip_module.compress(body, compresslevel=6)
            headers["content-encoding"] = "gzip"
            headers["vary"] = "Accept-Encoding"
        return Response(body, status_code=response.status_code, headers=headers)"""

# The worked answer's task group, and the same request handled by other means (for Task 9's mistakes).
_TASK_GROUP = (
    "    try:\n"
    "        async with asyncio.TaskGroup() as group:\n"
    "            tasks = [group.create_task(priced(line)) for line in order.lines]\n"
    "    except* Exception as failures:\n"
    '        logger.warning("pricing failed for order %s: %r", order_id, failures.exceptions[0])\n'
    '        raise HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail="Pricing service unavailable") from None\n'
    "    lines = [task.result() for task in tasks]"
)
_HANDLED = (
    "    try:\n"
    "        lines = {call}\n"
    "    except Exception as failure:\n"
    '        logger.warning("pricing failed for order %s: %r", order_id, failure)\n'
    '        raise HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail="Pricing service unavailable") from None'
)

MISTAKES = [
    # ---- Task 1: Server-Timing ---------------------------------------------------------------
    Mistake(
        LAB,
        "performance",
        "answer-server-timing",
        'f"app;dur={elapsed_ms:.1f}"',
        'f"app;dur={elapsed_ms:.1f}ms"',
        "writes the unit after the number (app;dur=12.5ms), which the header's syntax does not allow",
        requirement="timing-header",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-server-timing",
        "elapsed_ms = (self.clock() - started) * 1000",
        "elapsed_ms = self.clock() - started",
        "Server-Timing reports seconds where the header's unit is milliseconds",
        requirement="timing-milliseconds",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-server-timing",
        'if message["type"] == "http.response.start":',
        'if message["type"] == "http.response.start" and message["status"] < 400:',
        "times only successful responses, so 404s, 422s and crashes carry no Server-Timing",
        requirement="timing-every-response",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-server-timing",
        "def add_server_timing(app: FastAPI, clock: Callable[[], float] = time.perf_counter) -> None:",
        "def add_server_timing(app: FastAPI, clock: Callable[[], float] = time.perf_counter_ns) -> None:",
        "defaults to time.perf_counter_ns for precision, so real requests report durations a million times too long",
        requirement="timing-default-clock",
    ),
    # ---- Task 2: orders without N+1 ----------------------------------------------------------
    Mistake(
        LAB,
        "performance",
        "answer-orders-list",
        "statement = select(Order).options(selectinload(Order.lines)).order_by(Order.id)"
        ".limit(limit).offset(offset)\n"
        "    orders = (await session.scalars(statement)).all()\n",
        "statement = select(Order).order_by(Order.id).limit(limit).offset(offset)\n"
        "    orders = (await session.scalars(statement)).all()\n"
        "    for order in orders:\n"
        "        await order.awaitable_attrs.lines  # one query per order: N+1\n",
        "the orders list loads each order's lines with its own query (N+1)",
        requirement="orders-no-n-plus-one",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-orders-list",
        ".order_by(Order.id).limit(limit)",
        ".order_by(Order.id.desc()).limit(limit)",
        "lists the newest orders first instead of in id order",
        requirement="orders-id-order",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-orders-list",
        'Query(ge=1, le=100, description="Page size (1-100).")',
        'Query(ge=0, le=100, description="Page size (1-100).")',
        "accepts limit=0 (an empty page) instead of answering 422",
        requirement="orders-limit",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-orders-list",
        "Query(ge=0, le=MAX_OFFSET,",
        "Query(ge=0,",
        "gives offset no upper bound, so a huge offset reaches the driver and crashes into a 500",
        requirement="orders-offset",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-orders-list",
        "total=total, limit=limit",
        "total=len(orders), limit=limit",
        "total counts the orders on the page instead of every order",
        requirement="orders-page",
    ),
    # ---- Task 3: the TTL cache ---------------------------------------------------------------
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "self.clock() - entry[0] < self.ttl_seconds",
        "self.clock() - entry[0] <= self.ttl_seconds",
        "serves an entry that is exactly ttl_seconds old (<= for <)",
        requirement="cache-ttl",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "            self._entries.move_to_end(key)  # a hit counts as a use\n",
        "            self._entries[key] = (self.clock(), entry[1])  # a hit refreshes the entry\n"
        "            self._entries.move_to_end(key)\n",
        "refreshes the entry's time on every hit, so a popular entry never expires",
        requirement="cache-ttl",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "self._store(key, started, value)",
        "self._store(key, self.clock(), value)",
        "stores the value with the time the load finished, so a slow load serves older data for longer",
        requirement="cache-load-start",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "        self._entries.pop(key, None)\n        self._loading.pop(key, None)\n",
        "        self._entries.pop(key, None)\n        self._loading.clear()  # loads in flight have read old data\n",
        "invalidate(key) spoils the loads in flight of every key, not only that key's",
        requirement="cache-keys-independent",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "        self._entries.pop(key, None)\n        self._loading.pop(key, None)\n",
        "        self._entries.clear()\n        self._loading.pop(key, None)\n",
        "invalidate(key) forgets every entry instead of that key's",
        requirement="cache-keys-independent",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "            self._entries.move_to_end(key)  # a hit counts as a use\n            return entry[1]\n",
        "            return entry[1]\n",
        "evicts the oldest stored entry (first in, first out) instead of the least recently used",
        requirement="cache-bound-lru",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "        self._entries[key] = (stored_at, value)\n"
        "        self._entries.move_to_end(key)\n"
        "        while len(self._entries) > self.max_entries:\n"
        "            self._entries.popitem(last=False)  # the least recently used\n",
        "        if len(self._entries) > self.max_entries:\n"
        "            self._entries.popitem(last=False)  # make room\n"
        "        self._entries[key] = (stored_at, value)\n"
        "        self._entries.move_to_end(key)\n",
        "checks the size before storing with >, so the cache holds max_entries + 1 entries",
        requirement="cache-bound-lru",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "        self._entries[key] = (stored_at, value)\n"
        "        self._entries.move_to_end(key)\n"
        "        while len(self._entries) > self.max_entries:\n"
        "            self._entries.popitem(last=False)  # the least recently used\n",
        "        if len(self._entries) >= self.max_entries:\n"
        "            self._entries.popitem(last=False)  # make room\n"
        "        self._entries[key] = (stored_at, value)\n"
        "        self._entries.move_to_end(key)\n",
        "makes room before every store, so reloading a key already in a full cache evicts another entry",
        requirement="cache-bound-lru",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "            value = await loader()\n",
        "            try:\n"
        "                value = await loader()\n"
        "            except Exception:\n"
        '                logger.warning("loading %r failed", key)\n'
        "                value = None\n",
        "catches the loader's exception and caches None instead of letting the error reach the caller",
        requirement="cache-failure",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "        self._entries.pop(key, None)\n        self._loading.pop(key, None)\n",
        "        self._entries.pop(key, None)\n",
        "invalidate(key) forgets the stored entry but not the loads in flight, which store the old value afterwards",
        requirement="cache-inflight-invalidate",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-ttl-cache",
        "        self._entries.clear()\n        self._loading.clear()",
        "        self._entries.clear()",
        "clear() forgets the entries but not the loads in flight, which store old values afterwards",
        requirement="cache-inflight-clear",
    ),
    # ---- Task 4: cached product routes -------------------------------------------------------
    Mistake(
        LAB,
        "performance",
        "answer-product-cache",
        "    cache.invalidate(product_key(product_id))  # after the commit, never before\n"
        '    return Envelope[ProductOut](data=ProductOut.model_validate(product), message="Price changed")',
        "    cache.invalidate(product_id)  # after the commit, never before\n"
        '    return Envelope[ProductOut](data=ProductOut.model_validate(product), message="Price changed")',
        "the PATCH invalidates the key product_id while reads store under ('product', product_id): a stale price",
        requirement="product-patch-fresh",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-product-cache",
        'detail=f"Product {product_id} not found")\n    return ProductOut.model_validate(product)',
        'detail="Product not found")\n    return ProductOut.model_validate(product)',
        "the GET's 404 does not name the product ('Product not found')",
        requirement="product-404",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-product-cache",
        'Path(ge=1, le=MAX_ID, description="The product\'s id.")',
        'Path(ge=1, description="The product\'s id.")',
        "product_id has no upper bound, so 2**63 reaches the driver and crashes into a 500",
        requirement="product-id-bounds",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-product-cache",
        "    cache.invalidate(product_key(product_id))  # after the commit, never before\n"
        '    return Envelope[ProductOut](data=ProductOut.model_validate(product), message="Price changed")',
        "    cache.clear()  # after the commit, never before\n"
        '    return Envelope[ProductOut](data=ProductOut.model_validate(product), message="Price changed")',
        "a price change empties the whole cache instead of that product's entry",
        requirement="product-invalidate-one",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-product-cache",
        "    return product_cache\n",
        "    return TTLCache(ttl_seconds=60)  # a fresh cache\n",
        "get_product_cache() makes a new cache for every request, so nothing is ever served from it",
        requirement="product-cache-dependency",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-product-cache",
        "        product.price_cents = change.price_cents\n"
        "    cache.invalidate(product_key(product_id))  # after the commit, never before\n",
        "        product.price_cents = change.price_cents\n        cache.invalidate(product_key(product_id))\n",
        "the PATCH invalidates inside the transaction, before the commit: a read in between re-caches the old price",
        requirement="product-patch-after-commit",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-product-cache",
        "        await session.delete(product)\n    cache.invalidate(product_key(product_id))",
        "        await session.delete(product)\n    cache.invalidate(product_id)",
        "the DELETE invalidates the wrong key, so the deleted product is still served from the cache",
        requirement="product-delete",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-product-cache",
        "        await session.delete(product)\n    cache.invalidate(product_key(product_id))",
        "        await session.delete(product)\n        cache.invalidate(product_key(product_id))",
        "the DELETE invalidates inside the transaction, before the commit",
        requirement="product-delete-after-commit",
    ),
    # ---- Task 5: compression -----------------------------------------------------------------
    Mistake(
        LAB,
        "performance",
        "answer-compression",
        "app.add_middleware(GZipMiddleware, minimum_size=COMPRESSION_MINIMUM_BYTES, compresslevel=6)",
        "app.add_middleware(GZipMiddleware)",
        "relies on GZipMiddleware's default minimum size (500 bytes), so small responses are compressed",
        requirement="gzip-threshold",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-compression",
        "app.add_middleware(GZipMiddleware, minimum_size=COMPRESSION_MINIMUM_BYTES, compresslevel=6)",
        _BUFFERING_GZIP.replace("{accepts}", "True"),
        "a hand-written gzip middleware that never reads Accept-Encoding: clients that cannot decode gzip get it",
        requirement="gzip-negotiated",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-compression",
        "app.add_middleware(GZipMiddleware, minimum_size=COMPRESSION_MINIMUM_BYTES, compresslevel=6)",
        _BUFFERING_GZIP.replace("{accepts}", '"gzip" in request.headers.get("accept-encoding", "")'),
        "a hand-written gzip middleware that collects a streamed body before compressing it: no longer a stream",
        requirement="gzip-stream",
    ),
    # ---- Task 6: CSV safe for spreadsheets ---------------------------------------------------
    Mistake(
        LAB,
        "injection",
        "answer-csv-line",
        "if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):",
        'if isinstance(value, str) and value.startswith("="):',
        "only '=' is neutralised; '+', '-', '@' still start formulas",
        requirement="csv-formula-triggers",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-csv-line",
        'FORMULA_TRIGGERS = ("=", "+", "-", "@", "\\t", "\\r")',
        'FORMULA_TRIGGERS = ("=", "+", "-", "@")',
        "forgets the tab and carriage return that spreadsheets skip before a formula",
        requirement="csv-formula-triggers",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-csv-line",
        "writerow([neutralise(value) for value in values])",
        "writerow([neutralise(str(value)) for value in values])",
        "turns every value into text before neutralising, so the refund -5 becomes '-5",
        requirement="csv-numbers",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-csv-line",
        "csv.writer(buffer).writerow(",
        'csv.writer(buffer, lineterminator="\\n").writerow(',
        "ends records with \\n instead of RFC 4180's \\r\\n",
        requirement="csv-rfc4180",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-csv-line",
        "    buffer = io.StringIO()\n"
        "    csv.writer(buffer).writerow([neutralise(value) for value in values])\n"
        "    return buffer.getvalue()",
        '    return ",".join(str(neutralise(value)) for value in values) + "\\r\\n"',
        "joins the fields with commas by hand: no quoting of commas, quotes or line breaks",
        requirement="csv-rfc4180",
    ),
    # ---- Task 7: the streamed export ---------------------------------------------------------
    Mistake(
        LAB,
        "performance",
        "answer-export",
        "    async for row in rows:\n",
        "    for row in [row async for row in rows]:  # read everything, then write\n",
        "reads every row into a list before writing the first line",
        requirement="export-flat-memory",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-export",
        "EXPORT_CHUNK_ROWS = 100\n",
        "EXPORT_CHUNK_ROWS = 1000\n",
        "sends chunks of 1000 rows, far more than the 100 the task allows",
        requirement="export-chunks",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-export",
        "    return StreamingResponse(\n        csv_chunks(rows),\n",
        '    body = "".join([chunk async for chunk in csv_chunks(rows)])\n'
        "    return StreamingResponse(\n        iter([body]),\n",
        "the export builds the whole CSV in memory before sending it",
        requirement="export-chunks",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-export",
        "chunk.append(csv_line(astuple(row)))",
        'chunk.append(",".join(str(value) for value in astuple(row)) + "\\r\\n")',
        "writes the rows with ','.join instead of csv_line: 'Smith, Jane' splits into two columns",
        requirement="export-csv-body",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-export",
        """'attachment; filename="orders.csv"'""",
        '"attachment; filename=orders.csv"',
        "leaves the quotes out of Content-Disposition's filename",
        requirement="export-headers",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-export",
        "async def export_orders(rows: RowSourceDep) -> StreamingResponse:\n",
        "async def export_orders(session: SessionDep) -> StreamingResponse:\n"
        "    rows = OrderRowSource(session)  # straight from the database\n",
        "builds its own row source instead of taking the one the RowSourceDep dependency gives",
        requirement="export-from-dependency",
    ),
    # ---- Task 8: the blocking SDK ------------------------------------------------------------
    Mistake(
        LAB,
        "async",
        "answer-tax",
        "rate = await run_in_threadpool(legacy_tax_rate, order.country)",
        "rate = legacy_tax_rate(order.country)",
        "the blocking tax SDK is called directly in the async handler and freezes the event loop",
        requirement="tax-in-thread",
    ),
    Mistake(
        LAB,
        "async",
        "answer-tax",
        "tax_cents=tax_cents(subtotal, rate)",
        "tax_cents=int(subtotal * rate)",
        "truncates the tax with int() instead of rounding half up with tax_cents",
        requirement="tax-values",
    ),
    Mistake(
        LAB,
        "async",
        "answer-tax",
        "    order = await load_order(session, order_id)\n    rate = ",
        "    order = await session.get(Order, order_id, options=[selectinload(Order.lines)])\n"
        "    if order is None:\n"
        '        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Order not found")\n'
        "    rate = ",
        "the tax route's 404 does not name the order ('Order not found')",
        requirement="tax-404",
    ),
    Mistake(
        LAB,
        "async",
        "answer-tax",
        "async def order_tax(order_id: OrderId,",
        "async def order_tax(order_id: int,",
        "the tax route's order_id has no bounds: 0 is a 404 and 2**63 crashes into a 500",
        requirement="tax-id-bounds",
    ),
    # ---- Task 9: the bounded fan-out ---------------------------------------------------------
    Mistake(
        LAB,
        "async",
        "answer-quote",
        _TASK_GROUP,
        _HANDLED.format(call="[await priced(line) for line in order.lines]"),
        "the pricing calls are awaited one after the other instead of concurrently",
        requirement="quote-concurrent",
    ),
    Mistake(
        LAB,
        "async",
        "answer-quote",
        "        async with limit:\n",
        "        async with asyncio.Semaphore(MAX_PRICING_CALLS):\n",
        "creates a semaphore per call, which bounds nothing: all 12 calls run at once",
        requirement="quote-bounded",
    ),
    Mistake(
        LAB,
        "async",
        "answer-quote",
        "        return OrderLineOut(sku=line.sku, quantity=line.quantity, unit_price_cents=price)\n\n" + _TASK_GROUP,
        "        priced_lines.append(OrderLineOut(sku=line.sku, quantity=line.quantity, unit_price_cents=price))\n\n"
        "    priced_lines: list[OrderLineOut] = []\n"
        + _TASK_GROUP.replace(
            "    lines = [task.result() for task in tasks]", "    lines = priced_lines  # in the order they were priced"
        ),
        "collects the priced lines as their answers arrive, so the quote's lines come in finishing order",
        requirement="quote-line-order",
    ),
    Mistake(
        LAB,
        "async",
        "answer-quote",
        "    order = await load_order(session, order_id)\n    limit = ",
        "    order = await session.get(Order, order_id, options=[selectinload(Order.lines)])\n    limit = ",
        "the quote loads the order itself and never answers 404: a missing order crashes into a 500",
        requirement="quote-404",
    ),
    Mistake(
        LAB,
        "async",
        "answer-quote",
        "    order_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: SessionDep, pricing: PricingDep\n",
        "    order_id: int, session: SessionDep, pricing: PricingDep\n",
        "the quote route's order_id has no bounds: 0 is a 404 and 2**63 crashes into a 500",
        requirement="quote-id-bounds",
    ),
    Mistake(
        LAB,
        "async",
        "answer-quote",
        "    except* Exception as failures:\n",
        "    except* (ConnectionError, TimeoutError) as failures:\n",
        "turns only network errors into the 503: a malformed answer crashes into a 500",
        requirement="quote-failure-503",
    ),
    Mistake(
        LAB,
        "async",
        "answer-quote",
        _TASK_GROUP,
        _HANDLED.format(call="await asyncio.gather(*(priced(line) for line in order.lines))"),
        "answers the 503 as soon as asyncio.gather raises, leaving the other pricing calls running",
        requirement="quote-cancel",
    ),
    Mistake(
        LAB,
        "async",
        "answer-quote",
        'logger.warning("pricing failed for order %s: %r"',
        'logger.info("pricing failed for order %s: %r"',
        "logs the pricing failure at INFO, below what an operator is alerted on",
        requirement="quote-failure-logged",
    ),
    # ---- Task 10: the assembled app ----------------------------------------------------------
    Mistake(
        LAB,
        "performance",
        "answer-app",
        'FastAPI(title="Shop API", version="5.0.0", lifespan=lifespan)',
        'FastAPI(title="Shop API", lifespan=lifespan)',
        "leaves the app's version at FastAPI's default 0.1.0",
        requirement="app-metadata",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-app",
        "app.include_router(products_router)",
        'app.include_router(products_router, prefix="/api/v1/products")',
        "includes products_router with its prefix a second time: /api/v1/products/api/v1/products/1",
        requirement="app-routers",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-app",
        "add_compression(app)",
        "app.add_middleware(GZipMiddleware)",
        "switches on GZipMiddleware directly, with its default minimum size of 500 bytes",
        requirement="app-middleware",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-app",
        "install_error_handlers(app)\n"
        "app.include_router(orders_router)\n"
        "app.include_router(products_router)\n"
        "add_compression(app)\n"
        "add_server_timing(app)",
        "app.include_router(orders_router)\n"
        "app.include_router(products_router)\n"
        "add_compression(app)\n"
        "add_server_timing(app)\n"
        "install_error_handlers(app)",
        "installs the error envelope last: its crash middleware is outermost, so a crash's 500 has no Server-Timing",
        requirement="app-crash-envelope",
    ),
]
