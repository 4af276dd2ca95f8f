"""The site map in a browser: municipality names on it, zoom by its buttons, move by dragging,
back to the whole map; every site a link to its row in the table."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]


def view_box(page) -> list[float]:
    return [float(n) for n in page.get_attribute("svg.site-map", "viewBox").split()]


def test_the_map_zooms_moves_and_names_its_places(read_only_demo_site, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(read_only_demo_site + "/klustret/platser/")
    whole = view_box(page)
    assert "Kiruna" in page.locator("svg.site-map .place-names").text_content()

    page.get_by_role("button", name="Zooma in").click()
    zoomed = view_box(page)
    assert zoomed[2] == pytest.approx(whole[2] / 1.5, rel=1e-3)

    box = page.locator("svg.site-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 100, box["y"] + box["height"] / 2 + 50)
    page.mouse.up()
    moved = view_box(page)
    assert moved[0] < zoomed[0] and moved[1] < zoomed[1] and moved[2] == zoomed[2]

    page.get_by_role("button", name="Hela kartan").click()
    assert view_box(page) == whole

    page.locator("svg.site-map a[href='#site-aitik']").click()
    assert page.url.endswith("#site-aitik")
