"""Frameworks in the browser: a city acknowledges an adopted framework and the national admin
sees it among those that acknowledged; a city comments on a framework in consultation."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from playwright.sync_api import Locator, Page, expect

from nlc.registry.v1 import frameworks_pb2 as pb
from nlc.registry.v1 import registry_pb2_grpc
from services.common.demo_ids import CENTRE
from services.registry.demo_data import place_id
from tests.browser.steps import (
    choose,
    expect_settled,
    log_in,
    log_out,
    main_area,
    open_titled,
    screenshot,
)
from tests.e2e.platform import Platform, access_token, bearer

# services/registry/demo_data.py: Ardenia is the first demo place; the `city` user works for
# Riverton City Hall, one of the verified local governments an adopted framework goes to.
ARDENIA = f"jurisdictions/{place_id(1)}"
CITY_HALL = "Riverton City Hall"


def _framework(title: str) -> pb.Framework:
    return pb.Framework(
        title=title,
        kind=pb.FRAMEWORK_KIND_GUIDANCE,
        issuing_organisation=f"organisations/{CENTRE}",
        jurisdiction=ARDENIA,
        summary="How local prevention networks share referrals with schools.",
        pillars=[pb.Pillar(code="P1", title="Refer", description="Refer people early.")],
        indicators=[
            pb.StandardIndicator(
                code="P1.OUT.1",
                title="Teachers trained to refer",
                pillar_code="P1",
                level=pb.INDICATOR_LEVEL_OUTPUT,
                unit="people",
                direction=pb.INDICATOR_DIRECTION_UP,
            )
        ],
    )


def _issue(platform: Platform, title: str, *, adopt: bool) -> None:
    """What the demo lacks: a fresh framework of the national centre, adopted or in consultation."""
    admin = bearer(access_token(platform, "admin"))
    with grpc.insecure_channel(platform.registry_target) as channel:
        registry = registry_pb2_grpc.RegistryServiceStub(channel)
        request = pb.CreateFrameworkRequest(framework=_framework(title))
        draft = registry.CreateFramework(request, metadata=admin, timeout=10)
        if adopt:
            adoption = pb.AdoptFrameworkRequest(name=draft.name)
            registry.AdoptFramework(adoption, metadata=admin, timeout=10)
            return
        closes = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
        opening = pb.OpenConsultationRequest(name=draft.name, closes_on=closes)
        registry.OpenConsultation(opening, metadata=admin, timeout=10)


def _table_row(page: Page, text: str) -> Locator:
    """The row of the page's grid that holds text (the grid's screen-reader table)."""
    return main_area(page).get_by_test_id("stDataFrame").locator("tr").filter(has_text=text)


def test_a_city_acknowledges_an_adopted_framework_and_the_admin_sees_it(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    title = f"Referral guidance {uuid.uuid4().hex[:6]}"
    _issue(platform, title, adopt=True)
    main = main_area(page)

    log_in(page, platform, "city")
    open_titled(page, "Frameworks", "Framework", title)
    expect(main.get_by_text("Teachers trained to refer")).to_be_visible()
    expect(main.get_by_text(re.compile("^Not yet acknowledged"))).to_be_visible()
    main.get_by_role("button", name="Acknowledge receipt").click()
    expect(main.get_by_text(f"{CITY_HALL} acknowledged “{title}”.")).to_be_visible()
    expect_settled(page)
    page.reload()
    expect(main.get_by_role("heading", name=title)).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Acknowledged on .* by city\.$"))).to_be_visible()
    expect(main.get_by_role("button", name="Acknowledge receipt")).to_have_count(0)
    expect_settled(page)
    screenshot(page, request, "city")
    log_out(page)

    log_in(page, platform, "admin")
    open_titled(page, "Frameworks", "Framework", title)
    expect(_table_row(page, CITY_HALL)).to_contain_text("Acknowledged")
    expect(_table_row(page, "Lakeside County Council")).to_contain_text("Waiting")
    acknowledged = main.get_by_test_id("stMetric").filter(has_text="Acknowledged")
    expect(acknowledged).to_contain_text("1")
    expect_settled(page)


def test_a_city_comments_on_a_framework_in_consultation(page: Page, platform: Platform) -> None:
    title = f"Schools guidance {uuid.uuid4().hex[:6]}"
    _issue(platform, title, adopt=False)
    main = main_area(page)
    text = f"Count school counsellors too ({uuid.uuid4().hex[:6]})."

    log_in(page, platform, "city")
    open_titled(page, "Frameworks", "Framework", title)
    expect(main.get_by_text("No comment yet.")).to_be_visible()
    form = page.get_by_test_id("stForm")
    form.get_by_role("button", name="Send comment").click()
    expect(main.get_by_test_id("stAlert").filter(has_text="Comment: is required")).to_be_visible()
    expect_settled(page)
    choose(page, "About", "P1.OUT.1 Teachers trained to refer")
    form.get_by_role("textbox", name="Comment").fill(text)
    form.get_by_role("button", name="Send comment").click()
    expect(main.get_by_text("Your comment is recorded.")).to_be_visible()
    expect(main.get_by_test_id("stTable").filter(has_text=text)).to_contain_text("P1.OUT.1")
    expect_settled(page)
