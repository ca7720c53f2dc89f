"""``clew resolve`` end to end on a real embedded server: full and incremental runs, explain,
decide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cli import main
from graph.embedded import EmbeddedServer
from graph.store import GraphStore
from tests.algorithms.er.test_resolve import region_records, write
from tests.conftest import connect_falkor


@pytest.fixture
def graph(data_dir: Path) -> Iterator[GraphStore]:
    server = EmbeddedServer(data_dir)
    server.start()
    store = connect_falkor(server, "cli")
    try:
        yield store
    finally:
        store.close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_resolve_full_then_incremental_explain_and_decide(
    graph: GraphStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "migrate")[0] == 0
    records, data = region_records()
    late = {s.id for s in data["subscribers"][30:]}
    write(graph, [r for r in records if r[0].id not in late])

    code, out, err = run(capsys, "resolve")
    assert code == 0, err
    assert "full resolution" in out
    assert "people" in out
    assert "41" in out

    write(graph, [r for r in records if r[0].id in late])
    code, out, err = run(capsys, "resolve", "--incremental")
    assert code == 0, err
    assert "incremental resolution" in out
    joined = next(line for line in out.splitlines() if "joined existing people" in line)
    assert joined.split()[-1] == "10"

    nominal, subscriber = data["nominals"][35].id, data["subscribers"][35].id
    (pid,) = graph.read(
        "MATCH (:Record {id: $r})-[:RESOLVES_TO]->(p:Person) RETURN p.id", {"r": subscriber}
    ).rows[0]
    code, out, err = run(capsys, "resolve", "explain", str(pid))
    assert code == 0, err
    assert nominal in out
    assert subscriber in out
    assert "surname" in out

    code, out, err = run(
        capsys, "resolve", "decide", nominal, subscriber, "different", "--by", "U", "--reason", "R"
    )
    assert code == 0, err
    assert "recorded negative" in out
    code, out, err = run(capsys, "resolve", "--incremental")
    assert code == 0, err
    deferred = next(line for line in out.splitlines() if "deferred to a full run" in line)
    assert deferred.split()[-1] == "1"
    code, out, err = run(capsys, "resolve", "--full")
    assert code == 0, err
    assert "full resolution" in out
    people = graph.read(
        "MATCH (r:Record)-[:RESOLVES_TO]->(p:Person) WHERE r.id IN $ids RETURN DISTINCT p.id",
        {"ids": [nominal, subscriber]},
    ).rows
    assert len(people) == 2

    code, _, err = run(capsys, "resolve", "decide", nominal, "rec_nothing", "same", "--by", "U")
    assert code != 0
    code, _, err = run(
        capsys, "resolve", "decide", nominal, "rec_nothing", "same", "--by", "U", "--reason", "R"
    )
    assert code == 1
    assert "no person mention" in err
    assert "Traceback" not in err
