def test_healthz_reports_a_reachable_database(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_security_headers_on_every_page(client, geography):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles(client, geography, soup):
    page = soup(client.get("/"))

    assert all(script.get("src") for script in page.select("script"))
    assert not page.select("[style]") and not page.select("style")
    assert not [tag for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)]


def test_static_files_are_served_before_the_policy_is_built(client, db):
    """A policy governs documents; building its header for every file made static files about a
    quarter dearer in CPU (issue #19, benchmarks/RESULTS.md). The pages keep it (above)."""
    from django.templatetags.static import static

    response = client.get(static("mineralstrategi/css/site.css"))
    response.close()  # the file WhiteNoise opened

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
