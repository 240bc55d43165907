"""What changed since the last approved version: scripts, manifest (hosts first), icons, samples."""

import io

from PIL import Image

from connectors.bundle.reader import read_bundle
from connectors.bundle.types import Bundle
from review.pages.version_diff import line_origins, script_diff, version_diff

OLD = "\n".join(f"var a{i} = {i};" for i in range(1, 21)) + "\n"


def _png(color):
    buffer = io.BytesIO()
    Image.new("RGBA", (512, 512), color).save(buffer, "PNG")
    return buffer.getvalue()


def _changed(bundle, manifest=None, files=None, drop=()):
    new_files = {p: d for p, d in bundle.files.items() if p not in drop}
    new_files.update(files or {})
    return Bundle(manifest={**bundle.manifest, **(manifest or {})}, files=new_files)


def test_it_folds_unchanged_lines_and_shows_three_of_context():
    new = OLD.replace("var a10 = 10;", "var a10 = httprequest.get(url);")
    diff = script_diff("processdata.js", OLD, new)
    assert diff.status == "changed" and (diff.added, diff.removed) == (1, 1)
    [hunk] = diff.hunks
    assert hunk.folded_before == 6 and diff.folded_after == 7
    kinds = [(line.kind, line.old_no, line.new_no) for line in hunk.lines]
    assert kinds == [("same", 7, 7), ("same", 8, 8), ("same", 9, 9), ("del", 10, None), ("add", None, 10),
                     ("same", 11, 11), ("same", 12, 12), ("same", 13, 13)]
    assert "httprequest" in hunk.lines[4].html and "<span" in hunk.lines[4].html  # highlighted


def test_it_pairs_removed_and_added_lines_side_by_side():
    new = OLD.replace("var a10 = 10;", "var b = 1;\nvar c = 2;")
    [hunk] = script_diff("processdata.js", OLD, new).hunks
    rows = hunk.split_rows()
    changed = [(left and left.kind, right and right.kind) for left, right in rows if not (left and left.kind == "same")]
    assert changed == [("del", "add"), (None, "add")]


def test_it_says_a_script_was_added_or_is_unchanged():
    assert script_diff("discovery/w.js", None, "x();\n").status == "added"
    assert script_diff("discovery/w.js", "x();\n", None).status == "removed"
    assert script_diff("processdata.js", OLD, OLD).status == "unchanged"


def test_it_knows_which_new_lines_were_already_there():
    new = "var added = 0;\n" + OLD
    origins = line_origins(OLD, new)
    assert 1 not in origins and origins[2] == 1 and origins[21] == 20


def test_it_calls_out_hosts_first_and_the_manifest_by_key(bundles_dir):
    old = read_bundle(bundles_dir / "sales-crm")
    new = _changed(old, manifest={"hosts": ["collector.example.net"], "reports": ["Other"]})
    diff = version_diff(old, new, 1, 2)
    assert diff.hosts_added == ("collector.example.net",)
    assert diff.hosts_removed == tuple(old.manifest["hosts"])
    assert [change.key for change in diff.manifest] == ["reports"]
    assert diff.has_changes and not diff.changed_scripts


def test_it_says_whether_icons_and_samples_changed(bundles_dir):
    old = read_bundle(bundles_dir / "sales-crm")
    sample = next(p for p in old.files if p.startswith("samples/"))
    new = _changed(old, files={"icons/icon_with_background.png": _png((255, 0, 0, 255)), sample: b"id\n1\n"})
    diff = version_diff(old, new, 1, 2)
    assert dict(diff.icons) == {"icon_with_background": True, "icon_without_background": False,
                                "logo_with_background": False, "logo_without_background": False}
    assert diff.samples_changed and diff.sample_files == ((sample, "changed"),)
    same = version_diff(old, old, 1, 2)
    assert not same.has_changes and not same.samples_changed


def test_it_caches_the_diff_by_the_two_content_hashes(empty_cache):
    from review.pages.version_diff import cached_version_diff

    calls = []

    def build():
        calls.append(1)
        return version_diff(Bundle(manifest={}, files={}), Bundle(manifest={}, files={}), 1, 2)

    first = cached_version_diff("a" * 64, "b" * 64, build)
    assert cached_version_diff("a" * 64, "b" * 64, build) == first and len(calls) == 1
    cached_version_diff("a" * 64, "c" * 64, build)
    assert len(calls) == 2


def test_a_diff_of_long_scripts_with_repeated_lines_is_bounded():
    """difflib alone took 38 s on two 1,000-line scripts of alternating repeated lines (issue 18)."""
    import time

    from review.pages.version_diff import line_origins, script_diff

    old = "\n".join("}" if i % 2 else f"x{i}" for i in range(20_000))
    new = "\n".join("}" if i % 3 else f"y{i}" for i in range(20_000))
    started = time.process_time()
    diff = script_diff("processdata.js", old, new)
    origins = line_origins(old, new)
    assert time.process_time() - started < 10
    assert diff.status == "changed" and diff.hunks
    assert all(old.splitlines()[o - 1] == new.splitlines()[n - 1] for n, o in origins.items())


def test_a_bounded_diff_still_matches_moved_and_unchanged_lines():
    from review.pages.version_diff import line_origins

    body = [f"var line{i} = {i};" for i in range(3000)]
    old = "\n".join(["// v1", *body, "}"])
    new = "\n".join(["// v2", *body[:1500], "var inserted = 1;", *body[1500:], "}"])
    origins = line_origins(old, new)
    assert origins[2] == 2 and 1502 not in origins and origins[1503] == 1502
    assert len(origins) == len(body) + 1  # every old line found again, the two new ones not


def test_a_change_of_line_endings_alone_is_no_change():
    """Issue 20, item 2: "authentication.js changed: +0 -0" was CRLF against LF."""
    assert script_diff("authentication.js", OLD, OLD.replace("\n", "\r\n")).status == "unchanged"
    assert script_diff("authentication.js", OLD, OLD.replace("\n", "\r")).status == "unchanged"
    edited = OLD.replace("\n", "\r\n").replace("var a3 = 3;", "var a3 = 4;")
    diff = script_diff("authentication.js", OLD, edited)
    assert diff.status == "changed" and (diff.added, diff.removed) == (1, 1)
