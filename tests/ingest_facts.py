"""Hand-built ``DocumentFacts`` for the graph builder and pipeline tests: what the
extractor would read from two documents of one district and one of another."""
from __future__ import annotations

import hashlib

from opyt.ingest.model import DocumentFacts, Organisation, Person, Practice, Span

KVARKEN_SHA = "9a582dd47cfa7b8c8c480d30bb0d2465d1de8228d8fe75902c82704de0ac40ab"
KVARKEN_TEXT = (
    "Программа «Диссеминация инновационного опыта в системе образования Кваркенского района».\n"
    "Мастер-класс «Графический метод решения задания 18 ЕГЭ по математике профильного уровня» "
    "(МАОУ «Кваркенская СОШ», У.С. Таженова), февраль.\n"
    "Опыт распространяется по модели «прямого» действия; уровень — муниципальный.\n"
    "Директор МАОУ «Кваркенская СОШ» Кравченко О.А.\n"
)


def span(text: str, quote: str) -> Span:
    start = text.index(quote)
    return Span(start, start + len(quote), quote)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def kvarken_facts(file_name: str = "kvarkensky-dissemination-program.txt", sha256: str = KVARKEN_SHA,
                  text: str = KVARKEN_TEXT) -> DocumentFacts:
    line = text.splitlines()[1]
    model_line = text.splitlines()[2]
    head_line = text.splitlines()[3]
    school = Organisation(
        key="МАОУ «Кваркенская СОШ»", name="МАОУ «Кваркенская СОШ»", kind="school", legal_form="МАОУ",
        aliases=["Кваркенская СОШ"], municipality="Кваркенский район", region="Оренбургская область",
        spans=[span(text, line)],
    )
    rmk = Organisation(
        key="РМК", name="Районный методический кабинет Кваркенского района", kind="methodological_service",
        aliases=["РМК"], municipality="Кваркенский район", region="Оренбургская область",
    )
    other = Organisation(key="Совет ветеранов", name="Совет ветеранов", kind="other")
    tazhenova = Person(
        key="Таженова У.С.", family_name="Таженова", initials="У.С.", organisation=school.key,
        roles=["учитель математики"], spans=[span(text, line)],
    )
    kravchenko = Person(
        key="Кравченко О.А.", family_name="Кравченко", initials="О.А.", organisation=school.key,
        roles=["директор"], spans=[span(text, head_line)],
    )
    practice = Practice(
        title="Графический метод решения задания 18 ЕГЭ по математике профильного уровня", kind="method",
        holders=[tazhenova.key], organisation=school.key, forms=["masterClass", "noSuchForm"],
        topics=["egeMathProfileTask18", "noSuchTopic"], keywords=["графический метод"],
        model="direct", model_span=span(text, model_line), level="municipal", level_span=span(text, model_line),
        when="февраль", spans=[span(text, line)],
    )
    school_practice = Practice(
        title="Программа «Диссеминация инновационного опыта»", kind="programme", holders=[rmk.key, school.key],
        organisation=rmk.key, forms=["seminar"], level="municipal",
    )
    return DocumentFacts(
        file_name=file_name, sha256=sha256,
        title="Программа «Диссеминация инновационного опыта в системе образования Кваркенского района»",
        genre="dissemination programme", region="Оренбургская область", municipality="Кваркенский район",
        organisations=[school, rmk, other], persons=[tazhenova, kravchenko], practices=[practice, school_practice],
    )


def passport_facts(file_name: str, sha256: str, *, municipality: str = "Кваркенский район",
                   region: str = "Оренбургская область", full_name: bool = True,
                   title: str = "Наставничество как ресурс подготовки к ЕГЭ по математике профильного уровня",
                   holders: bool = True) -> DocumentFacts:
    """A project passport naming Таженова by her full name, in ``municipality``."""
    school = Organisation(
        key="МАОУ «Кваркенская СОШ»", name="МАОУ «Кваркенская СОШ»", kind="school", legal_form="МАОУ",
        municipality=municipality, region=region,
    )
    institute = Organisation(
        key="ГБОУ ИРО Краснодарского края", name="ГБОУ ИРО Краснодарского края", kind="institute",
        legal_form="ГБОУ", region="Краснодарский край", municipality=municipality,
    )
    person = Person(
        key="Таженова У.С.", family_name="Таженова", initials="У.С." if not full_name else "",
        full_name="Таженова Улбосын Сагындыковна" if full_name else None,
        given_name="Улбосын" if full_name else None, patronymic="Сагындыковна" if full_name else None,
        organisation=school.key, roles=["учитель математики", "научный руководитель"],
    )
    practice = Practice(
        title=title, kind="project", holders=[person.key] if holders else [], organisation=school.key,
        forms=["mentoring", "openLesson"], topics=["egeMathProfileTask18"], model="direct", level="municipal",
    )
    return DocumentFacts(
        file_name=file_name, sha256=sha256, title="Паспорт инновационного проекта", genre="passport",
        region=region, municipality=municipality, organisations=[school, institute], persons=[person],
        practices=[practice],
    )
