"""The recipe of the bundled tiny model (`toolgym/models/tiny/`): data, copying circuit, SFT stages, probes.

Retrain it with `python -m toolgym.train.tiny [--out DIR]` (`recipe.py`; about an hour on two CPU
cores). The weights and their loader stay in `toolgym.models.tiny`, which imports nothing from here;
this recipe builds on the trainers' shared pieces: `train.chat` (reference answer, refusal),
`train.runtime.common_args` (TRL arguments, each stage an `SFTRunConfig`) and `toolgym.run.evaluate`
(the test figures in `training.json`). Importing this package loads nothing heavy; its modules need
`toolgym[train]`.
"""
