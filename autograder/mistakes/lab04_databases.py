"""Realistic wrong answers for lab04_databases (see autograder.catalogue)."""

from autograder.catalogue import Mistake

LAB = "lab04_databases"

# The order placed in one transaction block, as the solution writes it ...
_ORDER_IN_ONE_TRANSACTION = (
    "    async with session.begin():\n"
    "        order = Order(customer_id=body.customer_id)\n"
    "        for item in body.lines:\n"
    "            product = await session.get(Product, item.product_id, with_for_update=True)\n"
    "            if product is None:\n"
    '                raise HTTPException(status.HTTP_404_NOT_FOUND, f"Product {item.product_id} not found")\n'
    "            if product.stock < item.quantity:\n"
    "                raise HTTPException(\n"
    "                    status.HTTP_409_CONFLICT,\n"
    '                    f"Product {product.id} has {product.stock} in stock, {item.quantity} were ordered",\n'
    "                )\n"
    "            product.stock -= item.quantity\n"
    "            order.lines.append(OrderLine(product=product, quantity=item.quantity,"
    " unit_price_cents=product.price_cents))\n"
    "        session.add(order)\n"
    "        try:\n"
    "            await session.flush()\n"
    "        except IntegrityError as exc:\n"
    '            if constraint_violated(exc) != "foreign_key":\n'
    "                raise\n"
    '            raise HTTPException(status.HTTP_404_NOT_FOUND, f"Customer {body.customer_id} not found") from None\n'
)

# ... and "saving progress" with a commit per line: every status code stays right, the data does not.
_ORDER_COMMITTED_AS_IT_GOES = (
    "    order = Order(customer_id=body.customer_id)\n"
    "    for item in body.lines:\n"
    "        product = await session.get(Product, item.product_id)\n"
    "        if product is None:\n"
    '            raise HTTPException(status.HTTP_404_NOT_FOUND, f"Product {item.product_id} not found")\n'
    "        if product.stock < item.quantity:\n"
    '            raise HTTPException(status.HTTP_409_CONFLICT, f"Product {product.id} has {product.stock} in stock")\n'
    "        product.stock -= item.quantity\n"
    "        await session.commit()  # save each reservation as soon as it is made\n"
    "        order.lines.append(OrderLine(product=product, quantity=item.quantity,"
    " unit_price_cents=product.price_cents))\n"
    "    session.add(order)\n"
    "    try:\n"
    "        await session.commit()\n"
    "    except IntegrityError as exc:\n"
    "        await session.rollback()\n"
    '        if constraint_violated(exc) != "foreign_key":\n'
    "            raise\n"
    '        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Customer {body.customer_id} not found") from None\n'
)

MISTAKES = [
    Mistake(
        LAB,
        "models",
        "answer-models",
        'product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)',
        'product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))',
        "the foreign key order_lines.product_id has no index",
    ),
    Mistake(
        LAB,
        "models",
        "answer-list",
        "total = await session.scalar(select(func.count()).select_from(Product).where(*conditions)) or 0",
        "total = len((await session.scalars(select(Product).where(*conditions))).all())",
        "the total is counted in Python by loading every matching row",
    ),
    Mistake(
        LAB,
        "models",
        "answer-order-detail",
        "        .options(selectinload(Order.customer), selectinload(Order.lines).selectinload(OrderLine.product))\n",
        "",
        "the order is loaded without its relationships, so reading them raises MissingGreenlet",
    ),
    Mistake(
        LAB,
        "models",
        "answer-migration",
        '    op.create_index(op.f("ix_products_category"), "products", ["category"])\n',
        "",
        "the migration adds the column but forgets its index",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-orders",
        _ORDER_IN_ONE_TRANSACTION,
        _ORDER_COMMITTED_AS_IT_GOES,
        "each line's stock decrement is committed as soon as it is made, so a later failure leaves it behind",
    ),
    Mistake(
        LAB,
        "transactions",
        "answer-session",
        "    try:\n        yield\n    finally:\n        await engine.dispose()\n",
        "    yield\n",
        "the lifespan never disposes of the engine, so its connections outlive the app",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-products",
        "response_model=Envelope[ProductOut], status_code=status.HTTP_201_CREATED, responses=CONFLICT,",
        "response_model=Envelope[ProductOut], responses=CONFLICT,",
        "creating a product answers 200 instead of 201 Created",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-products",
        "    except IntegrityError as exc:",
        "    except ValueError as exc:",
        "the wrong exception is caught, so a duplicate SKU's IntegrityError becomes a 500",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-orders",
        'if constraint_violated(exc) != "foreign_key":',
        'if constraint_violated(exc) != "unique":',
        "only duplicates are mapped, so an order for a missing customer answers 500 instead of 404",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-health",
        '    try:\n        await session.execute(text("SELECT 1"))\n    except SQLAlchemyError as exc:\n'
        '        logger.warning("Health check failed: the database is unreachable (%s)", type(exc).__name__)\n'
        '        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Database unavailable") from None\n',
        '    await session.execute(text("SELECT 1"))\n',
        "the health check does not catch a database failure, so it answers 500 instead of 503",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-filters",
        "conditions.append(Product.name.icontains(q, autoescape=True))",
        "conditions.append(text(f\"lower(products.name) LIKE lower('%{q}%')\"))",
        "the search text is pasted into the SQL with an f-string instead of bound",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-list",
        'SortField = Literal["id", "name", "price", "stock"]',
        "SortField = str",
        "any sort field is accepted and looked up blindly, so an unknown one crashes instead of 422",
    ),
]
