"""Bad inputs for the CLI corpus (tests/test_bad_inputs.py): the files, worlds and stores a new
user gets wrong, built once per session in a temporary folder.

`build(root)` returns {placeholder: path}; the corpus's arguments name them as `{placeholder}`.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd

from fentflow.world import default_world_path

SCENARIO_HEAD = 'name = "{name}"\ntitle = "t"\n'
LEVER = '[[interventions]]\nkind = "{kind}"\nstart = "{start}"\nend = "{end}"\nstrength = {strength}\n{extra}'
A_LEVER = {"kind": "port_inspection", "start": "2025-01-01", "end": "2030-12-31", "strength": 1.5, "extra": ""}


def one_lever(**change) -> str:
    """Scenario "x" with one port-inspection lever, changed where a case says."""
    return SCENARIO_HEAD.format(name="x") + LEVER.format(**(A_LEVER | change))


SCENARIOS: dict[str, bytes | str] = {
    "scen_latin1": 'name = "caf\xe9"\n'.encode("latin-1"),
    "scen_binary": bytes(range(256)),
    "scen_bad_toml": "name = \n",
    "scen_name_int": "name = 5\n",
    "scen_name_caps": 'name = "Port Surge"\n',
    "scen_unknown_key": 'name = "x"\ncolour = "red"\n',
    "scen_interventions_not_list": 'name = "x"\ninterventions = 5\n',
    "scen_empty_places": one_lever(extra="places = []\n"),
    "scen_unknown_place": one_lever(extra='places = ["Atlantis"]\n'),
    "scen_places_not_list": one_lever(extra="places = 7\n"),
    "scen_unknown_kind": one_lever(kind="teleport"),
    "scen_bad_date": one_lever(start="2025-13-01"),
    "scen_end_before_start": one_lever(start="2028-01-01", end="2026-12-31"),
    "scen_strength_text": one_lever(strength='"lots"'),
    "scen_outside_span": one_lever(start="2040-01-01", end="2041-12-31"),
    "scen_missing_kind": SCENARIO_HEAD.format(name="x") + '[[interventions]]\nstart = "2025-01-01"\n',
    "scen_unknown_lever_key": one_lever(extra="speed = 3\n"),
}

# Parameter tables (Parquet) and what is wrong with each.
PARAMETER_FILES: dict[str, pd.DataFrame | bytes] = {
    "par_text": pd.DataFrame({"supply_growth_to_2019": ["0.3", "abc", "0.5"]}),
    "par_unknown": pd.DataFrame({"nonsense": [1.0, 2.0]}),
    "par_empty": pd.DataFrame({"supply_growth_to_2019": pd.Series([], dtype=float)}),
    "par_weight_negative": pd.DataFrame({"supply_growth_to_2019": [0.3, 0.5], "weight": [1.0, -1.0]}),
    "par_weight_text": pd.DataFrame({"supply_growth_to_2019": [0.3, 0.5], "weight": ["1", "heavy"]}),
    "par_out_of_bounds": pd.DataFrame({"supply_growth_to_2019": [3000.0]}),
    "par_only_weight": pd.DataFrame({"weight": [1.0]}),
    "par_not_parquet": b"supply_growth_to_2019\n0.3\n",
}


def _world_edits() -> dict[str, tuple[str, str, str] | str]:
    """world name -> (file, column, value of its first data row), or a special kind."""
    return {
        "world_overflow": ("states.csv", "population", "9" * 40),
        "world_zero_population": ("markets.csv", "population", "0"),
        "world_text_population": ("states.csv", "population", "many"),
        "world_negative_homicides": ("states.csv", "homicides_2023", "-3"),
        "world_float_count": ("states.csv", "population", "1.5"),
        "world_nan_latitude": ("markets.csv", "lat", "nan"),
        "world_inf_risk": ("routes.csv", "base_risk", "inf"),
        "world_latin1": "latin1",
        "world_folder_csv": "folder",
        "world_symlink_loop": "loop",
        "world_missing_file": "missing",
        "world_binary_toml": "binary_toml",
    }


def build(root: Path) -> dict[str, str]:
    paths: dict[str, str] = {"tmp": str(root), "missing": str(root / "does-not-exist")}
    for name, content in SCENARIOS.items():
        path = root / f"{name}.toml"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        paths[name] = str(path)
    folder_toml = root / "scen_is_folder.toml"
    folder_toml.mkdir()
    paths["scen_is_folder"] = str(folder_toml)
    for name, content in PARAMETER_FILES.items():
        path = root / f"{name}.parquet"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            content.to_parquet(path)
        paths[name] = str(path)
    for name, edit in _world_edits().items():
        paths[name] = str(_world(root / name, edit))
    a_file = root / "a_file.txt"
    a_file.write_text("not a folder\n")
    paths["a_file"] = str(a_file)
    loop = root / "link_loop"
    os.symlink("link_loop", loop)
    paths["link_loop"] = str(loop)
    paths.update(_run_folders(root))
    return paths


def _world(folder: Path, edit) -> Path:
    shutil.copytree(default_world_path(), folder)
    if isinstance(edit, tuple):
        file, column, value = edit
        frame = pd.read_csv(folder / file, dtype=str, keep_default_na=False)
        frame.loc[0, column] = value
        frame.to_csv(folder / file, index=False)
    elif edit == "latin1":
        text = (folder / "states.csv").read_text(encoding="utf-8")
        (folder / "states.csv").write_bytes(text.replace("Aguascalientes", "Aguascalient\xe9s").encode("latin-1"))
    elif edit == "folder":
        (folder / "routes.csv").unlink()
        (folder / "routes.csv").mkdir()
    elif edit == "loop":
        (folder / "states.csv").unlink()
        os.symlink("states.csv", folder / "states.csv")
    elif edit == "missing":
        (folder / "crossings.csv").unlink()
    elif edit == "binary_toml":
        (folder / "world.toml").write_bytes(b"\xff\xfe\x00junk")
    return folder


def _run_folders(root: Path) -> dict[str, str]:
    """`fentflow run --out` folders with a damaged summary.json (what `report` reads first)."""
    junk = root / "run_junk_summary"
    junk.mkdir()
    (junk / "summary.json").write_text("{ this is not json")
    binary = root / "run_binary_summary"
    binary.mkdir()
    (binary / "summary.json").write_bytes(b"\xff\xfe\xfd")
    listed = root / "run_list_summary"
    listed.mkdir()
    (listed / "summary.json").write_text("[1, 2, 3]")
    calibration = root / "calibration_damaged_history"
    calibration.mkdir()
    (calibration / "history.db").write_bytes(b"this was a database once" * 10)
    return {"run_junk_summary": str(junk), "run_binary_summary": str(binary), "run_list_summary": str(listed),
            "calibration_damaged_history": str(calibration)}
