"""lab05_performance's assembled shop app, fuzzed against its own OpenAPI document (see tests/fuzz.py).

The prelude gives the app a database with orders and products (each fuzzed request may change
or delete products: the routes answer 404 for them afterwards, which they document) and takes
the tax SDK's simulated network wait away, so that hundreds of requests stay quick.
"""

TARGETS = {"app": "app"}
PRELUDE = """
reset_database(orders=8, lines_per_order=3, products=5)
settings.legacy_tax_latency_seconds = 0
pricing_client.latency_seconds = 0
"""
