#!/usr/bin/env python3
"""Checks on built sites as files on disk: links, feeds and HTML validity.

    python3 e2e/site_checks.py NAME=DIR[@N] [NAME=DIR[@N] ...]

For every site DIR (the output of `candor build`):

- links: every internal href/src of every HTML page resolves to a file of
  the site (a folder to its index.html), and every #fragment to an id (or
  <a name>) in the target page;
- feeds: every .atom and .rss file parses in feedparser with no bozo error;
- html: the Nu Html Checker (vnu.jar, from npm's vnu-jar) reports no errors
  on every page, or, with `@N`, on an evenly spread sample of N pages (the
  front page always among them). All pages go to one java process per site:
  the JVM's start costs more than the checks.

Each failure is printed as `FAIL [site] page: check: what (element)`; the
exit status is 1 when anything failed.
"""

import json
import os
import subprocess
import sys
import time
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
VNU = os.path.join(HERE, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")

# Attributes that point at another resource, per element.
LINK_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "form": ("action",),
}

failures = []


def fail(site, page, check, what):
    failures.append(f"FAIL [{site}] {page}: {check}: {what}")


class PageParser(HTMLParser):
    """Collects the ids of a page and the resources it points at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []  # (url, snippet)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for name in LINK_ATTRS.get(tag, ()):
            v = a.get(name)
            if v is None:
                continue
            snippet = self.get_starttag_text() or f"<{tag}>"
            if name == "srcset":
                for part in v.split(","):
                    url = part.strip().split(" ")[0]
                    if url:
                        self.links.append((url, snippet))
            else:
                self.links.append((v, snippet))

    handle_startendtag = handle_starttag


def html_pages(root):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".html"):
                out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def parse(root, rel, cache):
    if rel not in cache:
        p = PageParser()
        with open(os.path.join(root, rel), encoding="utf-8") as fh:
            p.feed(fh.read())
        p.close()
        cache[rel] = p
    return cache[rel]


def check_links(site, root):
    cache = {}
    pages = html_pages(root)
    checked = 0
    for rel in pages:
        page = parse(root, rel, cache)
        seen = set()
        for url, snippet in page.links:
            if url in seen:
                continue
            seen.add(url)
            u = urlsplit(url)
            if u.scheme or url.startswith("//"):
                continue  # external (http, https, mailto, data, ...)
            checked += 1
            path = unquote(u.path)
            if path.startswith("/"):
                fail(site, rel, "link", f"root-absolute URL {url!r} breaks when served from a subfolder or opened from disk ({snippet})")
                continue
            if path == "":
                target = rel
            else:
                target = os.path.normpath(os.path.join(os.path.dirname(rel), path))
                if target.startswith(".."):
                    fail(site, rel, "link", f"{url!r} points outside the site ({snippet})")
                    continue
                full = os.path.join(root, target)
                if path.endswith("/") or os.path.isdir(full):
                    target = os.path.join(target, "index.html")
                if not os.path.isfile(os.path.join(root, target)):
                    fail(site, rel, "link", f"{url!r} resolves to {target}, which is not in the site ({snippet})")
                    continue
            if u.fragment:
                frag = unquote(u.fragment)
                if not target.endswith(".html"):
                    continue
                if frag not in parse(root, target, cache).ids:
                    fail(site, rel, "fragment", f"{url!r}: no id {frag!r} in {target} ({snippet})")
    return len(pages), checked


def check_feeds(site, root):
    import feedparser

    n = 0
    for d, _, files in os.walk(root):
        for f in sorted(files):
            if not f.endswith((".atom", ".rss")):
                continue
            n += 1
            path = os.path.join(d, f)
            rel = os.path.relpath(path, root)
            with open(path, "rb") as fh:
                parsed = feedparser.parse(fh.read())
            if parsed.bozo:
                fail(site, rel, "feed", f"feedparser: {parsed.bozo_exception!r}")
            elif not parsed.feed.get("title"):
                fail(site, rel, "feed", "no feed title")
    return n


def sample(pages, n):
    """An evenly spread, deterministic sample of n pages, always with the front page."""
    if n <= 0 or len(pages) <= n:
        return pages
    step = len(pages) / n
    chosen = {pages[int(i * step)] for i in range(n)}
    if "index.html" in pages:
        chosen.add("index.html")
    return sorted(chosen)


def check_html(site, root, n):
    pages = sample(html_pages(root), n)
    # vnu reports on files by absolute file: URL.
    cmd = ["java", "-Xss8m", "-jar", VNU, "--errors-only", "--format", "json", "--exit-zero-always"]
    cmd += [os.path.join(root, p) for p in pages]
    r = subprocess.run(cmd, capture_output=True, text=True)
    try:
        messages = json.loads(r.stderr)["messages"]
    except (ValueError, KeyError):
        fail(site, "-", "html", f"vnu gave no JSON report (exit {r.returncode}): {r.stderr[:500]}")
        return len(pages)
    prefix = "file:" + os.path.abspath(root) + "/"
    for m in messages:
        if m.get("type") not in ("error", "non-document-error"):
            continue
        url = m.get("url", "")
        page = url[len(prefix):] if url.startswith(prefix) else url
        where = f"line {m.get('lastLine', '?')}" + (f" col {m['firstColumn']}" if "firstColumn" in m else "")
        extract = (m.get("extract") or "").strip().replace("\n", " ")
        fail(site, page, "html", f"{m.get('message')} at {where}: {extract[:160]!r}")
    return len(pages)


def main(argv):
    sample_n = 0
    sites = []
    for a in argv:
        if "=" not in a:
            sys.exit(f"usage: {sys.argv[0]} NAME=DIR[@SAMPLE] ...")
        name, d = a.split("=", 1)
        n = 0
        if "@" in d:
            d, n = d.rsplit("@", 1)
            n = int(n)
        sites.append((name, d, n))
    for name, root, n in sites:
        t = time.monotonic()
        pages, links = check_links(name, root)
        feeds = check_feeds(name, root)
        validated = check_html(name, root, n)
        print(f"[{name}] {pages} pages, {links} internal links, {feeds} feeds, "
              f"{validated} pages validated ({time.monotonic() - t:.1f} s)")
    for f in failures[:200]:
        print(f)
    if len(failures) > 200:
        print(f"... and {len(failures) - 200} more")
    print(f"site checks: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
