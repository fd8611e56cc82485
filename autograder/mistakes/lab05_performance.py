"""Realistic wrong answers for lab05_performance (see autograder.catalogue)."""

from autograder.catalogue import Mistake

MISTAKES = [
    Mistake(
        "lab05_performance",
        "performance",
        "answer-server-timing",
        "elapsed_ms = (self.clock() - started) * 1000",
        "elapsed_ms = self.clock() - started",
        "Server-Timing reports seconds where the header's unit is milliseconds",
    ),
    Mistake(
        "lab05_performance",
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
    ),
    Mistake(
        "lab05_performance",
        "performance",
        "answer-product-cache",
        '    cache.invalidate(("product", product_id))\n',
        "",
        "a price change does not invalidate the cached product, so reads serve the old price",
    ),
    Mistake(
        "lab05_performance",
        "performance",
        "answer-compression",
        "app.add_middleware(GZipMiddleware, minimum_size=COMPRESSION_MINIMUM_BYTES, compresslevel=6)",
        "app.add_middleware(GZipMiddleware)",
        "relies on GZipMiddleware's default minimum size (500 bytes), so small responses are compressed",
    ),
    Mistake(
        "lab05_performance",
        "performance",
        "answer-export",
        "    return StreamingResponse(\n        csv_chunks(rows),\n",
        '    body = "".join([chunk async for chunk in csv_chunks(rows)])\n'
        "    return StreamingResponse(\n        iter([body]),\n",
        "the export builds the whole CSV in memory before sending it",
    ),
    Mistake(
        "lab05_performance",
        "injection",
        "answer-csv-line",
        "if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):",
        'if isinstance(value, str) and value.startswith("="):',
        "only '=' is neutralised; '+', '-', '@' still start formulas",
    ),
    Mistake(
        "lab05_performance",
        "async",
        "answer-tax",
        "rate = await run_in_threadpool(legacy_tax_rate, order.country)",
        "rate = legacy_tax_rate(order.country)",
        "the blocking tax SDK is called directly in the async handler and freezes the event loop",
    ),
    Mistake(
        "lab05_performance",
        "async",
        "answer-quote",
        "lines = await asyncio.gather(*(priced(line) for line in order.lines))",
        "lines = [await priced(line) for line in order.lines]",
        "the pricing calls are awaited one after the other instead of concurrently",
    ),
]
