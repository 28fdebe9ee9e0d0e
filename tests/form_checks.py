"""What every form test checks on a refused submission, in the NHS.UK error pattern: the message
next to its field (and in the summary above the form), what was typed kept, and the page title
saying there is an error."""

import re

from django.utils.html import escape


def html_of(response) -> str:
    return response.content.decode()


def page_title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", html_of(response), re.DOTALL)
    assert match, "the page has no title"
    return match.group(1).strip()


def assert_field_error(response, field: str, message: str) -> None:
    """The message sits next to the field, in the NHS.UK error markup, the error summary links
    to it, the page title says there is an error, and the answer is 400."""
    assert response.status_code == 400
    html = html_of(response)
    marker = (
        f'<span class="nhsuk-error-message" id="id_{field}-error">'
        f'<span class="nhsuk-u-visually-hidden">Error: </span>{escape(message)}'
    )
    assert marker in html, f"no error “{message}” next to {field}"
    assert 'class="nhsuk-error-summary"' in html
    assert page_title(response).startswith("Error:")


def assert_form_error(response, message: str) -> None:
    """A refusal about the form as a whole, in the error summary."""
    assert response.status_code == 400
    html = html_of(response)
    assert 'class="nhsuk-error-summary"' in html
    assert f"<li>{escape(message)}" in html, f"no error “{message}” above the form"
    assert page_title(response).startswith("Error:")


def assert_typed(response, *fragments: str) -> None:
    html = html_of(response)
    for fragment in fragments:
        assert fragment in html, f"the form lost “{fragment}”"


def assert_checked(response, name: str, value: str) -> None:
    pattern = rf'<input[^>]*name="{name}"[^>]*value="{re.escape(value)}"[^>]*\bchecked\b'
    assert re.search(pattern, html_of(response)), f"{name}={value} is no longer chosen"


def assert_message_after_redirect(response, to: str, message: str) -> None:
    assert response.redirect_chain == [(to, 302)]
    assert response.status_code == 200
    assert escape(message) in html_of(response)
