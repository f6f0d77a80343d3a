"""The sample dataset: a separate, clearly synthetic store that shows the whole job, made the same every time."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document

import cli
from geo.errors import InputDataError
from layers.settings import Settings
from layers.store import open_store
from services.clusters import measure_cluster
from services.sample import BANNER, build_sample, is_sample
from services.targets import build_report, targets_status


def test_the_sample_shows_the_job_and_never_replaces_a_real_store(store_copy: Path, tmp_path: Path) -> None:
    settings = Settings.from_env(store=store_copy)
    made = build_sample(tmp_path / "s.gpkg", settings)
    store = open_store(made.path)
    assert is_sample(store) and not is_sample(open_store(store_copy))
    measured = measure_cluster(store)  # one cluster boundary: no option needed
    assert measured.choice.cluster_id == "ccn_mau" and measured.result.basis == "leasable"
    assert 0 < measured.result.occupancy_pct < 100
    for layer in ("cluster_lots", "cluster_boundaries", "material_zones_mapped"):
        assert set(store.read_layer(layer)["geom_quality"]) == {"sample"}
    status = targets_status(store, as_of=__import__("datetime").date(2026, 1, 31))
    assert status.counts["no_data"] < 14  # recorded figures and the cluster make some targets measurable
    again = build_sample(tmp_path / "s.gpkg", settings)  # made anew, the same
    assert open_store(again.path).read_layer("cluster_lots")["leased_on"].tolist() == (
        store.read_layer("cluster_lots")["leased_on"].tolist()
    )
    with pytest.raises(InputDataError) as refused:
        build_sample(store_copy, settings)
    assert refused.value.code == "sample.onto_store"
    doc = Document(io.BytesIO(build_report(store, "2025").data))
    assert doc.sections[0].header.paragraphs[0].text == "DỮ LIỆU MẪU — KHÔNG PHẢI SỐ LIỆU THẬT"


def test_baoyen_sample_then_occupancy_with_no_other_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BAOYEN_LANG", raising=False)
    path = str(tmp_path / "demo.gpkg")
    assert cli.main(["sample", "--store", path]) == 0
    assert BANNER[0] in capsys.readouterr().err
    assert cli.main(["occupancy", "--store", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["basis"] == "leasable"
