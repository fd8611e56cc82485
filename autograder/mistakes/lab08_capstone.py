"""Realistic wrong answers for lab08_capstone (see autograder.catalogue)."""

from autograder.catalogue import Mistake

LAB = "lab08_capstone"

# The whole body of the place_order service in the solution: the transactions mutant rewrites it.
PLACE_ORDER_BODY = (
    "    async with session.begin():\n"
    "        order = Order(customer_id=customer.user_id, status=OrderStatus.PLACED, note=body.note)\n"
    "        for item in body.lines:\n"
    "            product = await session.get(Product, item.product_id, with_for_update=True)\n"
    "            if product is None:\n"
    '                raise NotFoundError(f"Product {item.product_id} not found")\n'
    "            if product.stock < item.quantity:\n"
    "                raise ConflictError(\n"
    '                    f"Product {product.id} ({product.name}) has {product.stock} in stock; {item.quantity} ordered"\n'
    "                )\n"
    "            product.stock -= item.quantity\n"
    "            order.lines.append(\n"
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

MISTAKES = [
    Mistake(
        LAB,
        "status-codes",
        "answer-place-route",
        '    response.headers["Location"] = f"{orders_router.prefix}/{order.id}"\n',
        "",
        "placing an order answers 201 but without the Location of the new order",
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
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "    note: str | None\n    lines: list[OrderLineOut]\n",
        "    note: str | None\n    risk_score: float\n    internal_note: str | None\n    lines: list[OrderLineOut]\n",
        "the response model copies every column, leaking the fraud score and the staff's notes",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        '    model_config = ConfigDict(extra="forbid")\n\n    lines: list[OrderLineIn]',
        "    lines: list[OrderLineIn]",
        "an order body that sets customer_id or status is silently accepted instead of rejected",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-identity",
        'options={"require": ["exp", "sub"]},',
        'options={"require": ["sub"], "verify_exp": False},',
        "expired tokens (and tokens without exp) are accepted",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-queries",
        "    statement = visible_orders(user)\n    if query.status is not None:",
        "    statement = select(Order)\n    if query.status is not None:",
        "the order history forgets the ownership rule: customers list everybody's orders",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-queries",
        'raise NotFoundError(f"Order {order_id} not found")',
        'raise NotFoundError("Not found")',
        "the 404 does not say which order was not found",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-lifecycle",
        'raise ConflictError(f"Order {order_id} is {current}; it cannot become {new_status}")',
        'raise ValueError(f"Order {order_id} is {current}; it cannot become {new_status}")',
        "a forbidden status change raises a plain ValueError, which answers 500 instead of 409",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-queries",
        "OrderLine.product_name.icontains(query.q, autoescape=True)",
        "OrderLine.product_name.icontains(query.q)",
        "the search text is bound but not escaped: % and _ act as LIKE wildcards",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-queries",
        "OrderLine.product_name.icontains(query.q, autoescape=True)",
        "text(f\"lower(order_lines.product_name) LIKE lower('%{query.q}%')\")",
        "the search text is pasted into the SQL with an f-string",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-place-order",
        PLACE_ORDER_BODY,
        "    order = Order(customer_id=customer.user_id, status=OrderStatus.PLACED, note=body.note)\n"
        "    for item in body.lines:\n"
        "        product = await session.get(Product, item.product_id)\n"
        "        if product is None:\n"
        '            raise NotFoundError(f"Product {item.product_id} not found")\n'
        "        if product.stock < item.quantity:\n"
        '            raise ConflictError(f"Product {product.id} has {product.stock} in stock; {item.quantity} ordered")\n'
        "        product.stock -= item.quantity\n"
        "        await session.commit()  # take this line's stock right away\n"
        "        order.lines.append(\n"
        "            OrderLine(product_id=product.id, product_name=product.name, quantity=item.quantity,\n"
        "                      unit_price_cents=product.price_cents)\n"
        "        )\n"
        "    session.add(order)\n"
        "    await session.commit()\n"
        "    return order",
        "each line's stock is committed on its own, so a failing later line leaves the earlier ones taken",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-lifecycle",
        "        if new_status == OrderStatus.CANCELLED:\n"
        "            for line in order.lines:\n"
        "                await session.execute(\n"
        "                    update(Product).where(Product.id == line.product_id)"
        ".values(stock=Product.stock + line.quantity)\n"
        "                )\n",
        "",
        "cancelling an order does not put its stock back",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-app",
        "    app.add_middleware(RequestIdMiddleware)\n",
        "",
        "the request-id middleware is written but never added to the app",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-place-route",
        "responses=documented(401, 404, 409, 422),",
        "responses=documented(422),",
        "placing an order answers 401, 404 and 409 but the OpenAPI document does not say so",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-app",
        "    jwt_secret: SecretStr = Field(min_length=32,",
        '    jwt_secret: SecretStr = Field(default=SecretStr("shop-local-development-signing-key-0001"), min_length=32,',
        "a development key as the default, so the app starts (and signs with a public key) without the secret",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-route",
        "    background_tasks.add_task(send_order_confirmation, order.id, user.email, order.total_cents)",
        "    await send_order_confirmation(order.id, user.email, order.total_cents)",
        "the confirmation is sent before answering, so the customer waits for the mail provider",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-route",
        "    await run_in_threadpool(\n        mailer.send,\n",
        "    mailer.send(\n",
        "the blocking mail SDK is called inside an async def, on the event loop",
    ),
    Mistake(
        LAB,
        "performance",
        "answer-app",
        "    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_minimum_size)\n",
        "",
        "large order histories go out uncompressed",
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
    ),
]
