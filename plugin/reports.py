"""How readers reach the editors: a prefilled error report, and the editors' contact.

Site settings (``pelicanconf.py``), checked when the build starts; a mistake stops it with a
message naming ``pelicanconf.py`` and the setting:

``REPOSITORY_URL``    the project's repository, ``https://github.com/<owner>/<repository>``:
                      :func:`repository_url` reads it from the environment variable
                      REPOSITORY_URL or, failing that, from the GitHub remote ``origin``
``ERROR_REPORT_URL``  where "Report an error" leads: a template in which ``{repository}`` is
                      REPOSITORY_URL and ``{title}`` and ``{body}`` the report's title and
                      text, URL-encoded (by default GitHub's new-issue page); when it needs a
                      repository and there is none, the link goes to the About page's section
                      on reporting an error instead (``CHARTS_CONTACT_PAGE``)
``EDITORS_CONTACT``   how About says to reach the editors (``{{contact editors}}``): an e-mail
                      address or a web address; empty, the repository's issues

The words of a report (its title, its prompts) are the theme's, in
``partials/report_error.html``; this module only fills the address.
"""
from __future__ import annotations

import os
import re
import string
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from dataset.errors import BuildError, Problem

#: The environment variable that names the repository (the publish workflow sets it).
ENVIRONMENT = "REPOSITORY_URL"
#: GitHub's new-issue page, prefilled.
DEFAULT_REPORT_URL = "{repository}/issues/new?title={title}&body={body}"
PLACEHOLDERS = ("repository", "title", "body")
#: The id of the About page's section on reporting an error, where reports go without a repository.
CONTACT_ANCHOR = "report-an-error"
#: What ``{{contact ...}}`` can name.
CONTACTS = ("editors",)

_GITHUB = re.compile(
    r"(?:https?://(?:[^@/\s]+@)?github\.com/|git@github\.com:|ssh://git@github\.com(?::\d+)?/)"
    r"(?P<owner>[A-Za-z0-9_.-]+)/(?P<name>[A-Za-z0-9_.-]+?)(?:\.git)?/?"
)
_EMAIL = re.compile(r"(?:mailto:)?(?P<address>[^@\s/:]+@[^@\s/:]+\.[^@\s/:]+)")


def github_url(remote: str) -> str | None:
    """A GitHub remote (https or ssh form) as ``https://github.com/<owner>/<repository>``, or None."""
    match = _GITHUB.fullmatch(remote.strip())
    return f"https://github.com/{match['owner']}/{match['name']}" if match else None


def repository_url(folder: Path | str, environ: dict | None = None) -> str:
    """The repository's address: $REPOSITORY_URL, else ``origin`` when it is on GitHub, else ""."""
    given = (os.environ if environ is None else environ).get(ENVIRONMENT, "").strip()
    if given:
        return github_url(given) or given.rstrip("/")
    try:
        remote = subprocess.run(["git", "remote", "get-url", "origin"], cwd=folder, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (github_url(remote.stdout) or "") if remote.returncode == 0 else ""


@dataclass(frozen=True)
class Reports:
    """Where a reader's report goes, and how About says to reach the editors."""

    template: str = DEFAULT_REPORT_URL
    repository: str = ""
    contact: str = ""

    @classmethod
    def from_settings(cls, settings) -> Reports:
        reports = cls(settings.get("ERROR_REPORT_URL", DEFAULT_REPORT_URL), settings.get("REPOSITORY_URL") or "", settings.get("EDITORS_CONTACT") or "")
        problems = reports.problems()
        if problems:
            raise BuildError([Problem("pelicanconf.py", message) for message in problems])
        return reports

    def problems(self) -> list[str]:
        found = []
        if not isinstance(self.template, str):
            return [f"ERROR_REPORT_URL {self.template!r} must be a text: a web address with {{title}} and {{body}} in it"]
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(self.template) if name is not None]
        except ValueError as exc:
            return [f"ERROR_REPORT_URL {self.template!r} is not a valid template ({exc}); write a brace as {{{{ or }}}}"]
        for name, spec, conversion in fields:
            if name not in PLACEHOLDERS:
                found.append(f"ERROR_REPORT_URL {self.template!r} has the placeholder {{{name}}}; it may use only {', '.join('{' + p + '}' for p in PLACEHOLDERS)}")
            elif spec or conversion:
                found.append(f"ERROR_REPORT_URL {self.template!r}: write {{{name}}} alone, without a format or conversion")
        if not found and not self.template.startswith(("{repository}", "https://", "http://")):
            found.append(f"ERROR_REPORT_URL {self.template!r} must be a web address (https://...) or start with {{repository}}")
        if self.repository and not self.repository.startswith(("https://", "http://")):
            found.append(f"REPOSITORY_URL {self.repository!r} must be the repository's web address, such as https://github.com/<owner>/<repository>")
        if self.contact and not (_EMAIL.fullmatch(self.contact) or self.contact.startswith(("https://", "http://"))):
            found.append(f"EDITORS_CONTACT {self.contact!r} must be an e-mail address or a web address (https://...)")
        return found

    @property
    def prefilled(self) -> bool:
        """Whether a report can be opened prefilled (the template has every address it needs)."""
        return bool(self.repository) or "{repository}" not in self.template

    def url(self, title: str, body: str, fallback: str) -> str:
        """The address of a report with this title and text, or ``fallback`` when there is none."""
        if not self.prefilled:
            return fallback
        return self.template.format(repository=self.repository, title=quote(title, safe=""), body=quote(body, safe=""))

    def editors(self) -> dict:
        """How to reach the editors, for ``partials/contact_ref.html``: ``kind`` is email, web,
        issues (the repository's) or none."""
        email = _EMAIL.fullmatch(self.contact)
        if email:
            return {"kind": "email", "address": email["address"], "href": f"mailto:{email['address']}"}
        if self.contact:
            return {"kind": "web", "address": self.contact, "href": self.contact}
        if self.repository:
            return {"kind": "issues", "address": self.repository, "href": f"{self.repository}/issues"}
        return {"kind": "none", "address": "", "href": ""}


def contact_page_url(pages, settings, lang: str | None = None) -> str:
    """The address of the contact page's section on reporting an error (``CHARTS_CONTACT_PAGE``),
    where a report goes when it cannot be prefilled, for the pages drawn from templates: in the
    edition of ``lang`` (the contact page's translation), by default the site's language."""
    wanted = settings["CHARTS_CONTACT_PAGE"]
    page = next((page for page in pages if page.relative_source_path == wanted), None)
    if page is not None and lang and lang != page.lang:
        page = next((translation for translation in page.translations if translation.lang == lang), page)
    if page is None and pages:
        raise BuildError(Problem("pelicanconf.py", f"CHARTS_CONTACT_PAGE names no published page: {wanted!r}"))
    if page is None:
        return ""  # no page at all: the build refuses the site as incomplete
    return f"{settings.get('SITEURL', '')}/{page.url}#{CONTACT_ANCHOR}"
