"""Page weight: what a browser downloads to show the board, the first time and the next.

The first load is the HTML and everything it pulls in: stylesheets, scripts, icons, preloads
(`<link rel=stylesheet|icon|modulepreload|preload>`, `<script src>`), the modules that module
scripts import (`import ... from "..."`, followed transitively), and the url()s of CSS rules
the page uses (a rule counts when one of its selectors names only classes the HTML has; a font
counts when its family is used). Each is asked for twice: plainly, for its raw size, and with
`Accept-Encoding: br, gzip`, for what crosses the wire.

The second load counts the requests that must reach the server again: the HTML itself, and
every file a browser may not reuse without asking (reuse needs `Cache-Control` with
`immutable` or a positive `max-age`, and neither `no-cache` nor `no-store`).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

IMPORT = re.compile(
    r"""(?:^|[;\s])(?:import|export)\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']""",
    re.MULTILINE,
)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']([^"']+)["']""")
CSS_STATEMENT = re.compile(r"@[\w-]+[^{};]*;")  # @import, @charset: no block of their own
SELECTOR_CLASS = re.compile(r"\.([A-Za-z_][\w-]*)")
FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;]+)")


@dataclass
class Resource:
    url: str
    kind: str  # html, stylesheet, script, module, icon, preload, css-url
    status: int = 200
    raw_bytes: int = 0
    wire_bytes: int = 0
    encoding: str = ""
    cache_control: str = ""

    @property
    def reusable(self) -> bool:
        return reusable_without_asking(self.cache_control)


class PageLinks(HTMLParser):
    """The subresources a page's HTML names, its class names, and its inline module code."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self.classes: set[str] = set()
        self.inline_modules: list[str] = []
        self._in_module = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.classes.update(attributes.get("class", "").split())
        rel = attributes.get("rel", "").lower().split()
        if tag == "link" and attributes.get("href"):
            if "stylesheet" in rel:
                self.found.append(("stylesheet", attributes["href"]))
            elif "icon" in rel or "apple-touch-icon" in rel:
                self.found.append(("icon", attributes["href"]))
            elif "modulepreload" in rel:
                self.found.append(("module", attributes["href"]))
            elif "preload" in rel:  # fetched now, whether or not the page ends up using it
                self.found.append(("preload", attributes["href"]))
        elif tag == "script":
            module = attributes.get("type", "") == "module"
            if attributes.get("src"):
                self.found.append(("module" if module else "script", attributes["src"]))
            else:
                self._in_module = module

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_module = False

    def handle_data(self, data: str) -> None:
        if self._in_module:
            self.inline_modules.append(data)


def module_imports(source: str) -> list[str]:
    """The specifiers a module statically imports (or re-exports from)."""
    return IMPORT.findall(source)


def css_references(css: str, page_classes: set[str]) -> list[str]:
    """The @imports of a stylesheet, and the url()s of its rules that the page uses."""
    css = CSS_COMMENT.sub("", css)
    used: list[str] = CSS_IMPORT.findall(css)
    css = CSS_STATEMENT.sub("", css)
    rules = [(selector.strip(), body) for selector, body in CSS_RULE.findall(css)]
    faces = [body for selector, body in rules if selector.endswith("@font-face")]
    families_used = {
        family.strip().strip("\"'").lower()
        for selector, body in rules
        if not selector.endswith("@font-face")
        for declaration in FONT_FAMILY.findall(body)
        for family in declaration.split(",")
    }
    for body in faces:
        urls = CSS_URL.findall(body)
        family = FONT_FAMILY.search(body)
        name = family.group(1).strip().strip("\"'").lower() if family else ""
        # A browser downloads one format of a face, and only for text that uses it.
        if urls and name in families_used:
            used.append(urls[0])
    for selector, body in rules:
        if selector.endswith("@font-face") or not selector_used(selector, page_classes):
            continue
        used += [url for url in CSS_URL.findall(body) if not url.startswith("data:")]
    return list(dict.fromkeys(used))


def selector_used(selector: str, page_classes: set[str]) -> bool:
    """Whether one of a rule's comma-separated selectors names only classes the page has."""
    for part in selector.split(","):
        classes = SELECTOR_CLASS.findall(part)
        if all(name in page_classes for name in classes):
            return True
    return False


def reusable_without_asking(cache_control: str) -> bool:
    directives = {
        item.strip().split("=")[0].lower(): item.strip().partition("=")[2]
        for item in cache_control.split(",")
        if item.strip()
    }
    if "no-cache" in directives or "no-store" in directives:
        return False
    if "immutable" in directives:
        return True
    max_age = directives.get("max-age", "0").strip('"')
    return max_age.isdigit() and int(max_age) > 0


def download(url: str, compressed: bool) -> tuple[int, bytes, dict[str, str]]:
    """The status, the body as it crosses the wire (not decoded) and the headers. A missing
    file is reported, not raised: the page still asks for it."""
    headers = {"Accept-Encoding": "br, gzip" if compressed else "identity"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            body, status, received = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        body, status, received = error.read(), error.code, error.headers
    return status, body, {name.lower(): value for name, value in received.items()}


def first_load(page_url: str) -> list[Resource]:
    """The page and everything a browser downloads to show it, in discovery order."""
    resources: dict[str, Resource] = {}
    queue: list[tuple[str, str]] = [("html", page_url)]
    page_classes: set[str] = set()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page_url))
    while queue:
        kind, url = queue.pop(0)
        if url in resources or not url.startswith(origin):
            continue
        status, raw, _ = download(url, compressed=False)
        _, wire, headers = download(url, compressed=True)
        resource = Resource(
            url=url,
            kind=kind,
            status=status,
            raw_bytes=len(raw),
            wire_bytes=len(wire),
            encoding=headers.get("content-encoding", ""),
            cache_control=headers.get("cache-control", ""),
        )
        resources[url] = resource
        text = raw.decode("utf-8", errors="replace")
        if status != 200:
            continue
        if kind == "html":
            parser = PageLinks()
            parser.feed(text)
            page_classes = parser.classes
            queue += [(found, urljoin(url, href)) for found, href in parser.found]
            for source in parser.inline_modules:
                queue += [("module", urljoin(url, name)) for name in module_imports(source)]
        elif kind == "module":
            queue += [("module", urljoin(url, name)) for name in module_imports(text)]
        elif kind == "stylesheet":
            queue += [
                ("stylesheet" if reference.endswith(".css") else "css-url", urljoin(url, reference))
                for reference in css_references(text, page_classes)
            ]
    return list(resources.values())


@dataclass
class PageWeight:
    resources: list[Resource]

    @property
    def raw_bytes(self) -> int:
        return sum(resource.raw_bytes for resource in self.resources)

    @property
    def wire_bytes(self) -> int:
        return sum(resource.wire_bytes for resource in self.resources)

    @property
    def first_load_requests(self) -> int:
        return len(self.resources)

    @property
    def second_load_requests(self) -> int:
        # The page itself is always asked for again; its files only when not reusable.
        return sum(1 for r in self.resources if r.kind == "html" or not r.reusable)


FIRST_LOAD_TARGET_BYTES = 40 * 1024
SECOND_LOAD_TARGET_REQUESTS = 1


def render_weight(weight: PageWeight, path: str) -> str:
    def short(url: str) -> str:
        return urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")

    def missing(resource: Resource) -> str:
        return "" if resource.status == 200 else f" (answered {resource.status})"

    lines = [
        f"Page weight of `{path}`, as a visitor (no cookies) loads it",
        "",
        "| file | kind | raw bytes | on the wire | Cache-Control | second load |",
        "| --- | --- | ---: | ---: | --- | --- |",
    ]
    for resource in weight.resources:
        encoding = f" ({resource.encoding})" if resource.encoding else " (not compressed)"
        asked = "asked" if resource.kind == "html" or not resource.reusable else "reused"
        lines.append(
            f"| `{short(resource.url)}` | {resource.kind}{missing(resource)} | "
            f"{resource.raw_bytes:,} | "
            f"{resource.wire_bytes:,}{encoding} | `{resource.cache_control or '(none)'}` | "
            f"{asked} |"
        )
    first_met = weight.wire_bytes < FIRST_LOAD_TARGET_BYTES
    second_met = weight.second_load_requests <= SECOND_LOAD_TARGET_REQUESTS
    lines += [
        "",
        "| measure | value | target |",
        "| --- | ---: | --- |",
        f"| first load, requests | {weight.first_load_requests} |  |",
        f"| first load, raw bytes | {weight.raw_bytes:,} |  |",
        f"| first load, bytes on the wire (br, gzip asked) | {weight.wire_bytes:,} | "
        f"< {FIRST_LOAD_TARGET_BYTES:,}: {'met' if first_met else 'MISSED'} |",
        f"| second load, requests that reach the server | {weight.second_load_requests} | "
        f"{SECOND_LOAD_TARGET_REQUESTS}: {'met' if second_met else 'MISSED'} |",
    ]
    return "\n".join(lines)
