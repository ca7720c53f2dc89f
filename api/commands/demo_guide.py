"""What ``clew demo`` prints last: where the API is, a development token, and a first query.

``make run`` serves the API right after the demo load; the guide tells the user how to ask it
something worth seeing, with a token they can paste (development mode only: in production,
tokens come from the identity provider).
"""

from __future__ import annotations

import json
import shlex
from datetime import UTC, datetime, timedelta
from typing import Final

from api.auth.identity import Role
from api.auth.keys import development_signing_key
from api.auth.tokens import issue_token
from api.settings import Settings
from graph.showcase import person_to_show
from graph.store import GraphStore
from schema.grading import Sensitivity

PURPOSE: Final = "OP-DEMO first look at the demo region"
CLEARANCE: Final = Sensitivity.OFFICIAL_SENSITIVE
"""The demo analyst's clearance: enough for the demo's communications data."""

EXAMPLE: Final = """query FirstLook($id: ID!, $name: String!) {
  search(text: $name, limit: 5) {
    ... on SearchHits { hits { entity { id kind name } score reason } }
  }
  expand(ids: [$id], hops: 2, limit: 40) {
    ... on Subgraph {
      nodes { id kind name }
      relationships { type start end records { kind source grading } }
      collapsed { entityId total byKind { kind count } }
    }
  }
}"""


def guide(store: GraphStore, settings: Settings) -> list[str]:
    """The lines to print (empty when the graph holds no person)."""
    url = f"http://{settings.api_host}:{settings.api_port}/graphql"
    lines = [f"The API will serve at {url} (GraphiQL in a browser)."]
    person = person_to_show(store, int(CLEARANCE))
    if settings.auth_mode != "development":
        lines.append("Tokens come from the identity provider (CLEW_AUTH_MODE=production).")
        return lines
    now = datetime.now(UTC)
    config = settings.auth_config()
    token = issue_token(
        development_signing_key(config),
        user="demo-analyst",
        roles=[Role.ANALYST],
        clearance=CLEARANCE,
        expires=now + timedelta(hours=12),
        now=now,
        issuer=config.issuer,
        audience=config.audience,
    )
    headers = {"Authorization": f"Bearer {token}", "X-Clew-Purpose": PURPOSE}
    lines += [
        f"A development token for demo-analyst (analyst, {CLEARANCE.name}, 12 hours):",
        f"  {token}",
        "Every request names its purpose in X-Clew-Purpose; in GraphiQL, paste these headers:",
        f"  {json.dumps(headers)}",
    ]
    if person is None:
        return lines
    reason = (
        f"named in {person['reports']} CSAE-tagged report(s)"
        if person["reports"]
        else "the best connected person"
    )
    variables = {"id": person["id"], "name": person["name"]}
    body = json.dumps({"query": EXAMPLE, "variables": variables})
    lines += [
        f"Worth a first look: {person['name']} ({person['id']}), {reason}. Who is around them:",
        "  curl -s "
        + shlex.quote(url)
        + " -H 'Content-Type: application/json'"
        + f" -H {shlex.quote('Authorization: Bearer ' + token)}"
        + f" -H {shlex.quote('X-Clew-Purpose: ' + PURPOSE)}"
        + f" -d {shlex.quote(body)}",
    ]
    return lines
