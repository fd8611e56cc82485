"""Outside checks for lab 01.

Verified over HTTP: every route task (list, pagination, get, create, replace, update,
delete, the v2 representation), the assembled app (with the v2 task), and the published OpenAPI contract. Not
verified from outside: the two model tasks (``models-product-schemas``, ``models-envelope``),
which test Python classes rather than HTTP behaviour; they are graded in the kernel only.

Each check re-checks over HTTP what its test cell checks in the kernel, and no more than the
task text asks. As in the test cells, route tasks are served from a fresh app holding only the
learner's routers; the assembly and OpenAPI tasks use the learner's ``app`` too. Every target
can always be served (a router or ``app`` the learner has not written yet is left out), so a
task the learner has not reached never costs the tasks they did. The ``seed`` target is the
grader's own: it sets and reads ``store`` (the given in-memory table), so that every check
starts from a known state without depending on another task's route.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

PRELUDE = """
def _routers_app(*names):
    from fastapi import FastAPI

    bare = FastAPI()
    for name in names:
        try:
            bare.include_router(globals()[name])
        except Exception:
            pass
    return bare


def _learner_app():
    from fastapi import FastAPI

    found = globals().get("app")
    return found if found is not None else FastAPI()


def _seed_app():
    from decimal import Decimal

    from fastapi import FastAPI

    seeder = FastAPI()

    @seeder.put("/seed/{count}")
    def _seed(count: int) -> None:
        seed(count)

    @seeder.put("/rows")
    def _put_rows(rows: list[dict]) -> None:
        store.rows.clear()
        for row in rows:
            store.rows[row["id"]] = {**row, "price": Decimal(row["price"])}
        store.next_id = max(store.rows, default=0) + 1

    @seeder.get("/rows")
    def _get_rows() -> dict:
        return {str(key): {**row, "price": str(row.get("price"))} for key, row in store.rows.items()}

    return seeder
"""
TARGETS = {
    "seed": "_seed_app()",
    "router": '_routers_app("router")',
    "v2": '_routers_app("router_v2")',
    "both": '_routers_app("router", "router_v2")',
    "app": "_learner_app()",
}
UNVERIFIED = ("models-product-schemas", "models-envelope")
BASE = "/api/v1/products"
MAX_ID = 2_147_483_647


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _seed(clients: dict[str, Any], count: int) -> None:
    _expect(clients["seed"].put(f"/seed/{count}").status_code == 200, "the grader could not seed the store")


def _put_rows(clients: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    _expect(clients["seed"].put("/rows", json=rows).status_code == 200, "the grader could not set the store")


def _rows(clients: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The store as the grader reads it, prices as Decimals (so 24.0 and 24.00 compare equal)."""
    rows = clients["seed"].get("/rows").json()
    return {int(key): {**row, "price": _decimal(row["price"])} for key, row in rows.items()}


def _decimal(text: Any) -> Any:
    try:
        return Decimal(str(text))
    except ArithmeticError:
        return text


def _row(n: int, name: str, price: str, description: str | None = None, stock: int = 0) -> dict[str, Any]:
    return {"id": n, "name": name, "price": price, "description": description, "stock": stock}


def _stored(n: int, name: str, price: str, description: str | None = None, stock: int = 0) -> dict[str, Any]:
    return {**_row(n, name, price, description, stock), "price": Decimal(price)}


def _refused(client: Any, method: str, url: str, **kwargs: Any) -> None:
    answered = client.request(method, url, **kwargs).status_code
    _expect(answered == 422, f"{method} {url} {kwargs.get('json', '')} answered {answered}, expected 422")


def _bounds(client: Any, method: str, path: str, **kwargs: Any) -> None:
    for bad in ("0", str(MAX_ID + 1), "abc"):
        _refused(client, method, f"{path}/{bad}", **kwargs)


def list_products(clients: dict[str, Any]) -> None:
    client = clients["router"]
    _put_rows(clients, [_row(n, f"Product {n}", "1.00", stock=n) for n in (12, 3, 7, 1, 10, 2)])
    response = client.get(BASE)
    _expect(response.status_code == 200, f"GET {BASE} answered {response.status_code}, expected 200 at that URL")
    body = response.json()
    _expect(body.get("status") == "success" and isinstance(body.get("message"), str), f"GET {BASE} gave {body}")
    ids = [item["id"] for item in body["data"]["items"]]
    _expect(ids == [1, 2, 3, 7, 10, 12], f"GET {BASE} listed {ids}, expected id order")
    _seed(clients, 0)
    empty = client.get(BASE)
    _expect(empty.status_code == 200 and empty.json()["data"]["items"] == [], "an empty store must be 200, no items")


def _page(response: Any) -> dict[str, Any]:
    body = response.json()
    return body["data"] if isinstance(body, dict) and "data" in body else body


def pagination(clients: dict[str, Any]) -> None:
    client = clients["router"]
    _put_rows(clients, [_row(n, f"Product {n:02d}", "1.00", stock=n) for n in range(1, 46)])

    def get(**params: Any) -> Any:
        # Task 3 grades the collection's exact path: here a route declared at "/" is followed there,
        # by its redirect or (once POST is declared at "") past the 405 the redirect turns into.
        response = client.get(BASE, params=params, follow_redirects=True)
        return client.get(f"{BASE}/", params=params) if response.status_code == 405 else response

    default = _page(get())
    ids = [item["id"] for item in default["items"]]
    _expect((default["limit"], default["offset"], ids) == (20, 0, list(range(1, 21))), f"the default page: {default}")
    page = _page(get(limit=10, offset=40))
    ids = [item["id"] for item in page["items"]]
    _expect(ids == [41, 42, 43, 44, 45] and (page["limit"], page["offset"]) == (10, 40), f"limit=10&offset=40: {page}")
    _expect(page["total"] == 45, f"total is {page['total']}, expected 45: the collection, not the page")
    _expect(len(_page(get(limit=100))["items"]) == 45, "limit=100 must be accepted")
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": MAX_ID + 1}, {"limit": "ten"}):
        answered = get(**params).status_code
        _expect(answered == 422, f"GET {BASE} with {params} answered {answered}, expected 422")


def get_product(clients: dict[str, Any]) -> None:
    client = clients["router"]
    _seed(clients, 2)
    response = client.get(f"{BASE}/2")
    _expect(response.status_code == 200, f"GET {BASE}/2 answered {response.status_code}, expected 200")
    body = response.json()
    _expect(body.get("status") == "success" and body["data"]["id"] == 2, f"GET {BASE}/2 gave {body}")
    missing = client.get(f"{BASE}/999999")
    _expect(missing.status_code == 404, f"GET {BASE}/999999 answered {missing.status_code}, expected 404")
    _expect(missing.json().get("detail") == "Product 999999 not found", f"the 404 detail is {missing.text[:100]}")
    _bounds(client, "GET", BASE)


def create_product(clients: dict[str, Any]) -> None:
    client = clients["router"]
    _put_rows(clients, [_row(1, "One", "1.00"), _row(3, "Three", "3.00")])
    response = client.post(BASE, json={"name": "Teapot", "price": "24.00", "stock": 5})
    _expect(response.status_code == 201, f"POST {BASE} answered {response.status_code}, expected 201 at that URL")
    body = response.json()
    created = body["data"]
    _expect(body.get("status") == "success" and created["name"] == "Teapot", f"POST {BASE} gave {body}")
    _expect(created["id"] not in (1, 2, 3), f"the new product got the id {created['id']}, which was already used")
    rows = _rows(clients)
    _expect(rows.get(created["id"]) == _stored(created["id"], "Teapot", "24.00", stock=5), f"the store holds {rows}")
    _expect(rows.get(1) == _stored(1, "One", "1.00") and rows.get(3) == _stored(3, "Three", "3.00"), "others changed")
    location = response.headers.get("location", "")
    parts = urlsplit(location)
    _expect(parts.path == f"{BASE}/{created['id']}", f"Location is {location!r}")
    _expect(parts.netloc in ("", "submission"), f"Location {location!r} names another host")
    _expect(client.get(location).json()["data"]["id"] == created["id"], "Location does not lead to the product")
    for bad in ({"stock": 2}, {"name": "Cup", "price": "cheap"}):
        _refused(client, "POST", BASE, json=bad)
    _expect(len(_rows(clients)) == 3, "a refused creation stored something")


def replace_product(clients: dict[str, Any]) -> None:
    client = clients["router"]
    _put_rows(clients, [_row(1, "Old", "9.99", "Blue", 7)])
    response = client.put(f"{BASE}/1", json={"name": "Renamed", "price": "5.00"})
    _expect(response.status_code == 200 and response.json()["data"]["id"] == 1, f"PUT gave {response.text[:100]}")
    _expect(_rows(clients) == {1: _stored(1, "Renamed", "5.00")}, f"after PUT the store holds {_rows(clients)}")
    missing = client.put(f"{BASE}/77", json={"name": "X", "price": "1.00"})
    _expect(missing.status_code == 404, f"PUT of a missing product answered {missing.status_code}, expected 404")
    full = {"name": "Kettle", "price": "30.00", "description": "Steel", "stock": 4}
    first, second = client.put(f"{BASE}/1", json=full), client.put(f"{BASE}/1", json=full)
    _expect(first.status_code == second.status_code == 200 and first.json() == second.json(), "PUT twice differed")
    state = {1: _stored(1, "Kettle", "30.00", "Steel", 4)}
    _expect(_rows(clients) == state, f"after the same PUT twice the store holds {_rows(clients)}")
    for bad in ({"description": "only this"}, {"name": "Kettle", "price": "cheap"}):
        _refused(client, "PUT", f"{BASE}/1", json=bad)
    _expect(_rows(clients) == state, "a refused PUT changed the product")
    _bounds(client, "PUT", BASE, json=full)


def update_product(clients: dict[str, Any]) -> None:
    client = clients["router"]
    _seed(clients, 1)
    response = client.patch(f"{BASE}/1", json={"stock": 40})
    _expect(response.status_code == 200, f"PATCH {BASE}/1 answered {response.status_code}, expected 200")
    state = _stored(1, "Product 1", "1.99", stock=40)
    _expect(_rows(clients) == {1: state}, f"after PATCH {{'stock': 40}} the store holds {_rows(clients)}")
    changes = {"name": "Patched", "price": Decimal("2.50")}
    for body, change in (({"name": "Patched", "price": "2.50"}, changes), ({"description": "B"}, {"description": "B"})):
        answered = client.patch(f"{BASE}/1", json=body).status_code
        _expect(answered == 200, f"PATCH {body} answered {answered}, expected 200")
        state = {**state, **change}
        _expect(_rows(clients) == {1: state}, f"after PATCH {body} the store holds {_rows(clients)}, expected {state}")
    cleared = client.patch(f"{BASE}/1", json={"description": None})
    if cleared.status_code != 422:  # a model that refuses it is graded by Task 1, in the kernel
        state = {**state, "description": None}
        _expect(_rows(clients) == {1: state}, f"PATCH {{'description': null}} left {_rows(clients)}")
    _expect(client.patch(f"{BASE}/55", json={"stock": 1}).status_code == 404, "PATCH of a missing product: 404")
    for bad in ({"stock": "many"}, {"price": "cheap"}):
        _refused(client, "PATCH", f"{BASE}/1", json=bad)
    _expect(_rows(clients) == {1: state}, "a refused PATCH changed the product")
    _bounds(client, "PATCH", BASE, json={"stock": 1})


def delete_product(clients: dict[str, Any]) -> None:
    client = clients["router"]
    _seed(clients, 3)
    response = client.delete(f"{BASE}/1")
    _expect(response.status_code == 204 and response.content == b"", f"DELETE answered {response.status_code}")
    rows = _rows(clients)
    _expect(sorted(rows) == [2, 3] and rows[2]["name"] == "Product 2", f"after DELETE the store holds {rows}")
    _expect(client.delete(f"{BASE}/1").status_code == 404, "deleting twice should be 404")
    _bounds(client, "DELETE", BASE)


def v2_representation(clients: dict[str, Any]) -> None:
    client = clients["both"]
    prices = {"0.01": 1, "0.29": 29, "4.35": 435, "1.1": 110, "1000000.00": 100_000_000}
    _put_rows(clients, [_row(n, f"P{n}", text, "Blue", n) for n, text in enumerate(prices, start=1)])
    for n, cents in enumerate(prices.values(), start=1):
        v2 = client.get(f"/api/v2/products/{n}")
        _expect(v2.status_code == 200, f"GET /api/v2/products/{n} answered {v2.status_code}, expected 200")
        data = v2.json()["data"]
        _expect(data.get("price") == {"amount": cents, "currency": "EUR"}, f"v2 price is {data.get('price')}")
        fields = {"id": n, "name": f"P{n}", "description": "Blue", "stock": n}
        _expect(set(data) == {*fields, "price"} and all(data[k] == v for k, v in fields.items()), f"v2 gave {data}")
    _expect(client.get("/api/v2/products/99").status_code == 404, "a missing v2 product should be 404")
    _bounds(client, "GET", "/api/v2/products")
    _seed(clients, 4)
    before = client.get(f"{BASE}/2")
    client.get("/api/v2/products/2")
    after = client.get(f"{BASE}/2")
    _expect((before.status_code, before.text) == (after.status_code, after.text), "reading v2 changed what v1 answers")
    _assembled(clients)


def _assembled(clients: dict[str, Any]) -> None:
    def answered(client: Any, method: str, url: str, **kwargs: Any) -> tuple[int, str]:
        _seed(clients, 4)
        response = client.request(method, url, **kwargs)
        return response.status_code, response.text

    for method, url, kwargs in (
        ("GET", f"{BASE}/3", {}),
        ("GET", "/api/v2/products/3", {}),
        ("GET", f"{BASE}?limit=2&offset=1", {}),
        ("POST", BASE, {"json": {"name": "Cup", "price": "3.00"}}),
        ("PATCH", f"{BASE}/2", {"json": {"stock": 9}}),
    ):
        from_app = answered(clients["app"], method, url, **kwargs)
        alone = answered(clients["both"], method, url, **kwargs)
        _expect(from_app == alone, f"{method} {url} answered {from_app[0]} from app, {alone[0]} from the routers")
    surrogate = '{"name": "\\ud800"}'
    for method, url, kwargs in (
        ("PATCH", f"{BASE}/1", {"content": surrogate, "headers": {"content-type": "application/json"}}),
        ("GET", f"{BASE}/abc", {}),
        ("GET", "/api/v2/products/abc", {}),
    ):
        response = clients["app"].request(method, url, **kwargs)
        _expect(response.status_code == 422, f"{method} {url} answered {response.status_code} from app, expected 422")
        errors = response.json().get("detail")
        _expect(
            isinstance(errors, list) and all({"loc", "msg", "type"} <= set(e) and "input" not in e for e in errors),
            f"{method} {url} answered 422 with {response.text[:150]}: no input echoed, loc, msg and type kept",
        )


def openapi_contract(clients: dict[str, Any]) -> None:
    info = clients["app"].get("/openapi.json").json()["info"]
    _expect((info.get("title"), info.get("version")) == ("Shop API", "1.0.0"), f"the document's info is {info}")
    paths = clients["both"].get("/openapi.json").json()["paths"]
    collection = {**paths.get(f"{BASE}/", {}), **paths.get(BASE, {})}
    item = paths.get(f"{BASE}/{{product_id}}", {})
    v2 = paths.get("/api/v2/products/{product_id}", {})
    post = collection.get("post", {}).get("responses", {})
    _expect("201" in post and "200" not in post, f"POST documents {sorted(post)}, expected 201")
    deleted = item.get("delete", {}).get("responses", {})
    _expect("204" in deleted and not deleted["204"].get("content"), f"DELETE documents {sorted(deleted)}")
    operations = {"GET list": collection.get("get"), "POST": collection.get("post"), "GET v2": v2.get("get")}
    operations.update({method.upper(): item.get(method) for method in ("get", "put", "patch", "delete")})
    for name, operation in operations.items():
        _expect(operation is not None, f"the document has no {name} operation")
        tag = "products v2" if name == "GET v2" else "products"
        _expect(tag in operation.get("tags", []) and operation.get("description"), f"{name}: tags or description")
        if name not in ("GET list", "POST"):
            _expect("content" in operation["responses"].get("404", {}), f"{name} does not document its 404's body")
        success = operation["responses"].get("201") or operation["responses"].get("200")
        if name != "DELETE":
            schema = (success or {}).get("content", {}).get("application/json", {}).get("schema", {})
            _expect("$ref" in schema, f"{name} documents its success body as {schema}")


CHECKS = {
    "status-codes-list-products": list_products,
    "models-pagination": pagination,
    "status-codes-get-product": get_product,
    "status-codes-create-product": create_product,
    "status-codes-replace-product": replace_product,
    "models-update-product": update_product,
    "status-codes-delete-product": delete_product,
    "models-v2-representation": v2_representation,
    "openapi-contract": openapi_contract,
}
