"""Duplicates across the partitions of a folder (issue 23): the Dask engine finds identical rows and repeated
ids among all posts, as the local engine does with the same files, from per-row hashes only: the same counts,
with --drop-duplicates the same posts removed (first occurrence kept) and excluded with the same reasons,
without it nothing removed and every repeated id made unique with the same ~N suffix."""
import json

import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.test_dask import assert_same_posts, dask_posts, run, scheduler  # noqa: F401 (the cluster fixture)

SAMPLE = ROOT / "sample_data" / "gamerfuel.csv"


def planted(folder):
    """Three CSV files of 60 posts each with duplicates planted across files: rows copied from an earlier file
    (one without an id), ids of earlier files on other texts, and a copy within one file."""
    rows = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).iloc[:180]
    rows.loc[rows.index[3], "id"] = ""  # no id: generated from its content, as locally
    a, b, c = rows.iloc[:60], rows.iloc[60:120], rows.iloc[120:]
    other = b.iloc[:3].assign(id=a["id"].iloc[10:13].to_numpy())  # a's ids on b's texts
    b = pd.concat([b.iloc[:20], a.iloc[[3, 5, 6]], other, b.iloc[20:], b.iloc[[30]]])
    again = c.iloc[:2].assign(id=[a["id"].iloc[10], b["id"].iloc[40]])  # an id seen twice before, one of b's
    c = pd.concat([c.iloc[:10], b.iloc[[7, 22]], again, c.iloc[10:], a.iloc[[5]]])
    folder.mkdir()
    paths = []
    for name, frame in (("a.csv", a), ("b.csv", b), ("c.csv", c)):
        frame.to_csv(folder / name, index=False)
        paths.append(folder / name)
    return paths


def test_the_resolution_from_hashes_is_the_local_import(tmp_path):
    """In process, no cluster: each file imported alone with nothing resolved, resolved from its row keys, is
    the local import of all three files (posts, ids, excluded rows, counts and warnings)."""
    from lib.distributed.duplicates import resolve, resolved, row_keys
    from lib.ingest.build import ImportOptions, build_posts, open_sources

    paths = planted(tmp_path / "parts")
    for drop in (True, False):
        options = ImportOptions(drop_duplicates=drop)
        local = build_posts(open_sources(paths), options)
        alone = [build_posts(open_sources([p]), options, resolve_duplicates=False) for p in paths]
        found = resolve([row_keys(r.posts) for r in alone], drop)
        parts = [resolved(r, res) for r, res in zip(alone, found.resolutions)]
        assert found.info == local.report["duplicates"]
        assert found.info == {"identical_rows": 7, "same_id": 5, "removed": drop}
        assert local.report["warnings"][-len(found.warnings):] == found.warnings and len(found.warnings) >= 2
        posts = pd.concat([p.posts for p in parts], ignore_index=True)
        pd.testing.assert_frame_equal(posts, local.posts)
        assert len(posts) == (180 if drop else 192)
        excluded = pd.concat([p.excluded for p in parts]).sort_values(["source_file", "source_row"])
        pd.testing.assert_frame_equal(excluded.reset_index(drop=True),
                                      local.excluded.sort_values(["source_file", "source_row"]).reset_index(drop=True))
        assert sum(p.report["rows_kept"] for p in parts) == local.report["rows_kept"]
    assert local.posts["post_id"].str.contains("~").sum() == 12  # kept, each copy's and repeat's id suffixed
    assert local.posts["post_id"].str.endswith("~3").sum() == 3  # ids in all three files


def test_a_post_dated_far_apart_is_found_across_the_folder_as_locally(tmp_path):
    """A post dated 1970 in the third file, 60 days of posts in all three: the folder's resolution leaves it out
    (or keeps it) as the local import of the three files does, with the same note and excluded row; the first
    file alone has none."""
    from lib.distributed.duplicates import resolve, resolved, row_keys
    from lib.ingest.build import ImportOptions, build_posts, open_sources

    paths = planted(tmp_path / "parts")
    c = pd.read_csv(paths[2], dtype=str, keep_default_na=False)
    c.loc[c.index[40], "date"] = "01/01/1970 00:00"
    c.to_csv(paths[2], index=False)
    for drop, keep in ((True, False), (False, False), (False, True)):
        options = ImportOptions(drop_duplicates=drop, keep_dates_apart=keep)
        local = build_posts(open_sources(paths), options)
        alone = [build_posts(open_sources([p]), options, resolve_duplicates=False) for p in paths]
        found = resolve([row_keys(r.posts) for r in alone], drop, keep)
        parts = [resolved(r, res) for r, res in zip(alone, found.resolutions)]
        assert local.report["warnings"][-len(found.warnings):] == found.warnings
        assert ("Kept 1 post dated far apart" if keep else "Left out 1 post dated far apart") in found.warnings[-1]
        pd.testing.assert_frame_equal(pd.concat([p.posts for p in parts], ignore_index=True), local.posts)
        excluded = pd.concat([p.excluded for p in parts]).sort_values(["source_file", "source_row"])
        pd.testing.assert_frame_equal(excluded.reset_index(drop=True),
                                      local.excluded.sort_values(["source_file", "source_row"]).reset_index(drop=True))
        assert (local.excluded["reason"] == "dated apart from the other posts").sum() == (0 if keep else 1)


@pytest.mark.parametrize("drop", [True, False], ids=["drop", "keep"])
def test_the_same_duplicates_as_the_local_engine(scheduler, tmp_path, drop):  # noqa: F811
    paths = planted(tmp_path / "parts")
    flag = ("--drop-duplicates",) if drop else ()
    local, out = tmp_path / "local", tmp_path / "dask"
    done = run("analyze", *paths, "--out", local, "--steps", "sentiment", "--no-cache", *flag)
    assert done.returncode == 0, done.stderr
    done = run("analyze", tmp_path / "parts", "--out", out, "--steps", "sentiment", "--engine", "dask",
               "--scheduler", scheduler, *flag)
    assert done.returncode == 0, done.stderr
    mine, theirs = (json.loads((d / "summary.json").read_text())["import"] for d in (out, local))
    assert mine["duplicates"] == theirs["duplicates"] == {"identical_rows": 7, "same_id": 5, "removed": drop}
    assert mine == theirs  # the whole import report: rows, exclusions, warnings (the same words), analyses
    local_posts = pd.read_csv(local / "posts.csv", encoding="utf-8-sig", dtype={"post_id": str})
    posts = dask_posts(out)
    assert len(posts) == (180 if drop else 192)
    assert set(posts["post_id"]) == set(local_posts["post_id"])
    assert_same_posts(local_posts, posts)  # every kept post's sentiment, emotion, intent, language, scores
    if drop:
        cols = ["source_file", "source_row", "reason"]
        ours, local_excluded = (pd.read_csv(d / "excluded.csv", encoding="utf-8-sig")[cols]
                                .sort_values(cols[:2]).reset_index(drop=True) for d in (out, local))
        pd.testing.assert_frame_equal(ours, local_excluded)
        assert ours["reason"].value_counts().to_dict() == {"duplicate row": 7, "duplicate id": 5}
    else:
        assert not (out / "excluded.csv").exists() and not (local / "excluded.csv").exists()
