"""Words of similar meaning, for a need worded differently from the documents.

The vectors are natasha's navec news embeddings (shipped inside the natasha
package, loaded once, about 0.6 s). They are used narrowly, because news
vectors put the school subjects close together: measured cos(физика,
математика) 0.76 and cos(биология, химия) 0.66 against cos(педагог, учитель)
0.58, cos(одарённый, талантливый) 0.64, cos(директор, руководитель) 0.68.
So only a need word that no practice uses is looked up, only words the
catalogue does use are offered in its place, a pair counts from
``THRESHOLD`` on, and subject words and names of people and places are
never matched this way (``matching`` passes them in ``excluded``).
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import as_file, files

import numpy as np
from navec import Navec

NAVEC = "data/emb/navec_news_v1_1B_250K_300d_100q.tar"
THRESHOLD = 0.55
NEIGHBOURS = 2  # at most this many catalogue words stand in for one need word


@lru_cache(maxsize=1)
def embeddings() -> Navec:
    with as_file(files("natasha").joinpath(NAVEC)) as path:
        return Navec.load(path)


def _key(word: str) -> str:
    return word.replace("ё", "е")  # navec's vocabulary writes е for ё


class Neighbours:
    """Nearest catalogue words by cosine similarity, for words the catalogue lacks."""

    def __init__(self, words: list[str]) -> None:
        navec = embeddings()
        self.words = [w for w in words if _key(w) in navec]
        matrix = np.zeros((len(self.words), navec.pq.dim), dtype=np.float32)
        for row, word in enumerate(self.words):
            matrix[row] = navec[_key(word)]
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.matrix = matrix / np.where(norms == 0, 1, norms)

    def of(self, word: str, excluded: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
        """Up to ``NEIGHBOURS`` catalogue words at least ``THRESHOLD`` similar to ``word``, most similar first."""
        navec = embeddings()
        if word in excluded or _key(word) not in navec or not self.words:
            return []
        vector = np.asarray(navec[_key(word)], dtype=np.float32)
        similarity = self.matrix @ (vector / (np.linalg.norm(vector) or 1.0))
        candidates = np.nonzero(similarity >= THRESHOLD)[0]
        near = sorted(((self.words[n], round(float(similarity[n]), 3)) for n in candidates
                       if self.words[n] not in excluded and self.words[n] != word), key=lambda pair: -pair[1])
        return near[:NEIGHBOURS]
