"""The lanes every analysis queues in (lib.ui.jobs): cheap steps never wait behind fits, fits take turns between
people, at most one of each at a time. Fake jobs in threads, no Streamlit server."""
from __future__ import annotations

import threading
import time

import pytest

from lib import pipeline
from lib.ui import jobs
from lib.ui.jobs import FairLane


def _queue(lane: FairLane, owner: str, body=lambda: None) -> threading.Thread:
    """Start a thread that asks `lane` for a place as `owner` and runs `body` there; return once it waits."""
    before = lane.waiting()
    t = threading.Thread(target=lambda: _hold(lane, owner, body), daemon=True)
    t.start()
    _until(lambda: lane.waiting() > before)
    return t


def _hold(lane: FairLane, owner: str, body) -> None:
    with lane.slot(owner):
        body()


def _until(cond, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_a_cheap_step_starts_before_other_peoples_queued_fits_finish():
    release = threading.Event()
    fits: list[str] = []
    fit = jobs.LANES["fit"]
    first = threading.Thread(target=lambda: _hold(fit, "alice", lambda: (release.wait(10), fits.append("alice"))))
    first.start()
    _until(lambda: fits == [] and not fit.waiting() and _busy(fit))
    others = [_queue(fit, who, lambda who=who: fits.append(who)) for who in ("bob", "carol", "dave")]
    assert fit.waiting() == 3
    cheap: list[str] = []  # Erin's Foresight model: the fast lane
    t = threading.Thread(target=lambda: _hold(jobs.LANES["fast"], "erin", lambda: cheap.append("erin")))
    t.start()
    t.join(5)
    assert cheap == ["erin"] and fits == []  # done while every fit still waits or runs
    release.set()
    for th in (first, *others):
        th.join(10)
    assert fits == ["alice", "bob", "carol", "dave"]


def _busy(lane: FairLane) -> bool:
    """Whether every place is taken."""
    with lane._cond:
        return lane._free == 0


def _served_in_order(lane: FairLane, requests: list[tuple[str, str]]) -> list[str]:
    """The order in which `requests` (owner, step), all queued one after another behind a holder, are served."""
    order: list[str] = []
    release = threading.Event()
    blocker = threading.Thread(target=lambda: _hold(lane, "someone", lambda: release.wait(10)))
    blocker.start()
    _until(lambda: _busy(lane))
    threads = [_queue(lane, owner, lambda step=step: order.append(step)) for owner, step in requests]
    release.set()
    for t in (blocker, *threads):
        t.join(10)
    return order


def test_fits_of_two_sessions_interleave_even_when_one_queued_all_of_its_own_first():
    # Alice's topics, segments and label vectors are all queued before Bob asks for anything
    order = _served_in_order(FairLane(1), [("alice", "A1"), ("alice", "A2"), ("alice", "A3"),
                                           ("bob", "B1"), ("bob", "B2"), ("bob", "B3")])
    assert order == ["A1", "B1", "A2", "B2", "A3", "B3"]


def test_sessions_running_their_steps_one_after_another_take_turns():
    """As the background job asks: one step at a time, the next as soon as the last is done."""
    lane = FairLane(1)
    order: list[str] = []
    finished: set[str] = set()
    go = threading.Event()

    def job(owner: str) -> None:
        go.wait(10)
        for step in ("topics", "segments", "vectors"):
            with lane.slot(owner):
                order.append(f"{owner} {step}")
                # a step lasts long enough for the other's next request to be waiting (a fit: minutes)
                _until(lambda: lane.waiting() or len(finished) == 1)
        finished.add(owner)

    threads = [threading.Thread(target=job, args=(who,)) for who in ("alice", "bob")]
    for t in threads:
        t.start()
    go.set()
    for t in threads:
        t.join(20)
    owners = [o.split()[0] for o in order]
    assert all(a != b for a, b in zip(owners, owners[1:])), order  # never the same person twice in a row
    assert [o.split()[1] for o in order if o.startswith("alice")] == ["topics", "segments", "vectors"]


def test_one_owner_is_served_first_come_first_served():
    assert _served_in_order(FairLane(1), [("me", str(i)) for i in range(5)]) == ["0", "1", "2", "3", "4"]


def test_a_newcomer_goes_before_the_second_turn_of_people_already_served():
    order = _served_in_order(FairLane(1), [("alice", "A1"), ("bob", "B1"), ("alice", "A2"), ("carol", "C1")])
    assert order == ["A1", "B1", "C1", "A2"]


@pytest.mark.parametrize("slots", [1, 2])
def test_never_more_holders_than_places(slots):
    lane = FairLane(slots)
    inside: list[int] = []
    most: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        with lock:
            inside.append(1)
            most.append(len(inside))
        time.sleep(0.05)
        with lock:
            inside.pop()

    threads = [threading.Thread(target=_hold, args=(lane, f"p{i % 3}", work)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(most) == 6 and max(most) == slots


def test_a_holder_asking_again_does_not_wait_for_itself_and_a_failure_frees_the_place():
    lane = FairLane(1)
    with lane.slot("me"):
        with lane.slot("me"):  # a cached wrapper calling another one
            pass
        assert _busy(lane)  # the outer place is still held
    with pytest.raises(RuntimeError):
        with lane.slot("me"):
            raise RuntimeError("the fit failed")
    assert not _busy(lane)
    done = threading.Thread(target=_hold, args=(lane, "you", lambda: None))
    done.start()
    done.join(5)
    assert not done.is_alive()


def test_the_apps_cheap_steps_take_the_fast_lane(monkeypatch):
    """Which lane each model of the app takes: Foresight's model, the KPI bundle and sentiment never wait for a
    topic fit (checked by the calls, with the pipeline's models replaced by fakes)."""
    from types import SimpleNamespace

    import pandas as pd

    from lib import pipeline
    from lib.ui import cache

    taken: list[tuple[str, str]] = []
    real_slot = jobs.slot

    def spy(lane: str, owner: str):
        taken.append((lane, owner))
        return real_slot(lane, owner)

    monkeypatch.setattr(cache, "slot", spy)
    monkeypatch.setattr(cache, "analysis_frame", lambda ds_id, path=None: pd.DataFrame())
    monkeypatch.setattr(cache, "listening_frame", lambda ds_id, path=None, show=None: pd.DataFrame())
    monkeypatch.setattr(cache, "_labels", lambda path, ds_id: ())

    class FakeWorkspace:
        def result_stamp(self, ds_id: str, family: str) -> str:
            return "now"

    monkeypatch.setattr(cache, "workspace", lambda path: FakeWorkspace())
    monkeypatch.setattr(pipeline, "fit_foresight", lambda frame, extra=(), stage=None: "model")
    monkeypatch.setattr(pipeline, "kpi_bundle", lambda frame, bots=None: "kpis")
    monkeypatch.setattr(cache, "load_posts", lambda path, ds_id: pd.DataFrame({"text": ["fine"]}))
    monkeypatch.setattr(pipeline, "listen", lambda *a, **k: SimpleNamespace(frame=pd.DataFrame({"x": [1]}),
                                                                            adaptation=None))
    path = "/tmp/lane-test.duckdb"
    assert cache.foresight_model(path, "ds-lanes") == "model"
    assert cache.kpi_bundle(path, "ds-lanes") == "kpis"
    assert list(cache.listening(path, "ds-lanes")["frame"]) == ["x"]
    assert taken == [("fast", path)] * 3


def test_a_background_analysis_cut_off_by_a_server_restart_starts_again_once(monkeypatch):
    """The workspace remembers a dataset's background analysis as pending from its start until it ends; a new
    server (no job in its memory) starts a pending one again when the dataset is opened, and only that one."""
    class FakeWorkspace:
        def __init__(self) -> None:
            self.settings: dict[str, str] = {}

        def get_setting(self, key: str) -> str | None:
            return self.settings.get(key)

        def set_setting(self, key: str, value: str) -> None:
            self.settings[key] = value

    w = FakeWorkspace()
    runs: list[str] = []
    finish = threading.Event()

    def fake_run(job, path, ds_id):  # what _run does around the pipeline: ends by clearing the mark
        runs.append(ds_id)
        finish.wait(10)
        w.set_setting(pipeline.AUTO_PENDING + ds_id, "0")
        job.done = True

    memory: dict = {}
    monkeypatch.setattr(jobs, "_jobs", lambda: memory)
    monkeypatch.setattr(jobs, "ws", lambda: w)
    monkeypatch.setattr(jobs, "ws_path", lambda: "/tmp/resume-test.duckdb")
    monkeypatch.setattr(jobs, "auto_enabled", lambda: True)
    monkeypatch.setattr(jobs, "_run", fake_run)
    assert jobs.resume_auto("never-started") is None and runs == []
    first = jobs.start_auto("ds1")
    _until(lambda: runs == ["ds1"])
    assert w.get_setting(pipeline.AUTO_PENDING + "ds1") == "1"
    assert jobs.resume_auto("ds1") is first and runs == ["ds1"]  # running here: not started twice
    memory.clear()  # the server stopped mid-run: its thread and its memory are gone, the mark is not
    again = jobs.resume_auto("ds1")
    assert again is not None and again is not first and again.resumed and not first.resumed
    _until(lambda: runs == ["ds1", "ds1"])
    finish.set()
    _until(lambda: again.done)
    memory.clear()  # another restart after it ended: nothing to resume
    assert jobs.resume_auto("ds1") is None and runs == ["ds1", "ds1"]
    assert w.get_setting(pipeline.AUTO_PENDING + "ds1") == "0"
    pipeline.mark_pending(w, "cli", "due")  # `python -m lib import`: due, never started
    imported = jobs.resume_auto("cli")
    assert imported is not None and imported.imported and not imported.resumed
    _until(lambda: imported.done and runs == ["ds1", "ds1", "cli"])
    assert pipeline.pending(w, "cli") is None and jobs.resume_auto("cli") is imported


def test_whoever_waits_for_a_listening_pass_is_told_its_progress_and_its_error(monkeypatch, tmp_path):
    """A first view of a file in a language only the multilingual model reads waits minutes for the listening
    pass: a page (or a fit) that waits for it, its own or the background job's, is told the pass's progress as
    it goes, the pass runs once for both, and what it raises reaches the caller."""
    from types import SimpleNamespace

    import pandas as pd

    from lib.ui import cache

    release, told = threading.Event(), []
    runs: list[str] = []

    def listen(posts, ws, thresholds, labels, stage=None, languages=None):
        runs.append("pass")
        stage("Sentiment in other languages (multilingual model): 256 of 2,021 distinct posts", 0.7)
        assert release.wait(10)
        if posts["text"].iloc[0] == "boom":
            raise ValueError("the pass failed")
        return SimpleNamespace(frame=pd.DataFrame({"x": [1]}), adaptation=None)

    texts = {"ds": "fine", "bad": "boom"}
    monkeypatch.setattr(cache, "_labels", lambda path, ds_id: ())
    monkeypatch.setattr(cache, "workspace", lambda path: None)
    monkeypatch.setattr(cache, "load_posts", lambda path, ds_id: pd.DataFrame({"text": [texts[ds_id]]}))
    monkeypatch.setattr(pipeline, "listen", listen)
    path = str(tmp_path / "progress.duckdb")
    job = threading.Thread(target=cache.listening, args=(path, "ds"))  # the background job's call: no watcher
    job.start()
    _until(lambda: runs == ["pass"])
    got: dict = {}
    page = threading.Thread(target=lambda: got.update(cache.listening(path, "ds", show=lambda m, f: told.append(m))))
    page.start()
    _until(lambda: bool(told))
    assert told == ["Sentiment in other languages (multilingual model): 256 of 2,021 distinct posts"]
    release.set()
    job.join(10)
    page.join(10)
    assert list(got["frame"]) == ["x"] and runs == ["pass"]  # one pass served both
    assert cache.listening_pass(path, "ds").finished.is_set() and runs == ["pass"]
    lock, passes = cache._passes()
    with lock:  # its entry dropped (the newest 24 are kept), its result still cached: nobody waits forever
        passes.clear()
    again = threading.Thread(target=cache.listening, args=(path, "ds"), kwargs={"show": lambda m, f: None})
    again.start()
    again.join(10)
    assert not again.is_alive() and runs == ["pass"]
    with pytest.raises(ValueError, match="the pass failed"):
        cache.listening(path, "bad", show=lambda m, f: None)
