"""Pelican settings for the published site (`invoke publish`): development settings plus
the site's absolute address, so canonical URLs, social cards, oEmbed and embed snippets
point at the public site.
"""
import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *

# The public address, e.g. https://<user>.github.io/<repository>; publishing refuses without one.
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False
# A custom domain for GitHub Pages, written to CNAME when set: a bare host name such as
# fgs.example.org (publishing refuses a scheme, path, port or spaces).
CNAME = os.environ.get("CNAME", "")
# The branch a publish must be made from: `invoke publish` refuses any other branch, a
# detached HEAD, and a branch that lacks commits its remote has.
PUBLISH_BRANCH = "main"
