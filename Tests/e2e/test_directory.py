"""The business directory: coordinates, the verified mark only tenant admins set, and search by words
in the name, city, address or description."""
from conftest import problem
from test_catalog import setup_catalog


def test_directory_verified_flag_coordinates_and_search(server):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    r = s.api("POST", "/businesses", owner, json={"name": "Ліки Захід", "type": "wholesaler", "city": "Львів", "latitude": 49.8397,
                                                 "longitude": 24.0297, "description": "Оптовий склад ліків і вітамінів"})
    assert r.status_code == 201, r.text
    west = r.json()
    assert (west["latitude"], west["longitude"], west["verified"]) == (49.8397, 24.0297, False)
    for body, field in (({"latitude": 91, "longitude": 0}, "latitude"), ({"latitude": 10}, "latitude"),
                        ({"latitude": 1, "longitude": 181}, "longitude"), ({"verified": True}, "verified")):
        p = problem(s.api("PATCH", f"/businesses/{west['id']}", owner, json=body), 400)
        assert field in {e["field"] for e in p.get("errors", [])}, p
    assert s.api("GET", f"/businesses/{west['id']}", buyer).json()["latitude"] == 49.8397

    # Only tenant admins verify; it is audited and filterable.
    problem(s.api("PUT", f"/businesses/{biz['id']}/verification", seller, json={"verified": True}), 403, "forbidden")
    problem(s.api("PUT", f"/businesses/{west['id']}/verification", owner, json={"verified": "yes"}), 400)
    r = s.api("PUT", f"/businesses/{west['id']}/verification", owner, json={"verified": True})
    assert r.status_code == 200 and r.json()["verified"] is True
    assert [b["id"] for b in s.api("GET", "/businesses?verified=true", buyer).json()["items"]] == [west["id"]]
    assert west["id"] not in [b["id"] for b in s.api("GET", "/businesses?verified=false", buyer).json()["items"]]
    problem(s.api("GET", "/businesses?verified=maybe", buyer), 400)

    # Search: every word, folded, in the name, city, address or description.
    assert [b["id"] for b in s.api("GET", "/businesses", buyer, params={"q": "склад ВІТАМІНІВ"}).json()["items"]] == [west["id"]]
    assert [b["id"] for b in s.api("GET", "/businesses", buyer, params={"q": "львів"}).json()["items"]] == [west["id"]]
    assert s.api("GET", "/businesses", buyer, params={"q": "склад Kyiv"}).json()["items"] == []


def test_directory_search_stems_forgives_typos_completes_and_ranks(server):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    made = {}
    for key, body in {
        "west": {"name": "Ліки Захід", "type": "wholesaler", "city": "Львів", "description": "Оптовий склад ліків і вітамінів"},
        "vita": {"name": "Вітаміни Опт", "type": "supplier", "city": "Одеса"},
        "medline": {"name": "Medline Distribution", "type": "wholesaler", "city": "Kyiv", "description": "Pharmaceuticals wholesale"},
    }.items():
        r = s.api("POST", "/businesses", owner, json=body)
        assert r.status_code == 201, r.text
        made[r.json()["id"]] = key

    def found(q, **params):
        r = s.api("GET", "/businesses", buyer, params={"q": q, **params})
        assert r.status_code == 200, r.text
        return [made.get(b["id"], b["name"]) for b in r.json()["items"]]

    assert found("вітамінами") == ["vita", "west"], "stemmed; the name match before the description match"
    assert found("Medlnie") == ["medline"], "one typo (a swap)"
    assert found("distrib") == ["medline"], "the last word is completed"
    assert found("pharmaceutical wholesale", type="wholesaler") == ["medline"]
    page = s.api("GET", "/businesses", buyer, params={"q": "вітамін", "limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = s.api("GET", "/businesses", buyer, params={"q": "вітамін", "limit": 1, "cursor": page["next_cursor"]}).json()
    assert [b["id"] for b in rest["items"]] != [b["id"] for b in page["items"]] and not rest["next_cursor"]
    problem(s.api("GET", "/businesses", buyer, params={"q": "x" * 201}), 400)
    problem(s.api("GET", "/businesses", buyer, params={"q": "вітамін", "cursor": "nonsense"}), 400)

    # A rename is found by the next search; another tenant never sees these businesses.
    [medline] = [i for i, k in made.items() if k == "medline"]
    assert s.api("PATCH", f"/businesses/{medline}", owner, json={"name": "Medline Ukraine"}).status_code == 200
    assert found("ukraine") == ["medline"]
    admin = s.admin_token()
    s.create_tenant("rival", owner_email="owner@rival.test", token=admin)
    rival = s.login("owner@rival.test", "owner-password-1", tenant="rival")
    assert s.api("GET", "/businesses", rival, params={"q": "medline"}).json()["items"] == []
