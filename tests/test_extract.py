"""Extraction on real text: small fixture documents for the hard cases, and the sample corpus when present."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from opyt.ingest import vocabulary
from opyt.ingest.extract import extract
from opyt.ingest.names import find_persons, key_of
from opyt.ingest.organisations import abbreviations, find_organisations, most_common_territory, nominative
from opyt.ingest.readers import read_document
from opyt.ingest.segment import layout, sentences

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "gold" / "seeds.json"
EVAL = SHARED / "tools" / "eval.py"


@pytest.fixture(scope="module")
def passport():
    return extract(read_document(FIXTURES / "passport.txt"))


@pytest.fixture(scope="module")
def events():
    return extract(read_document(FIXTURES / "events.txt"))


# ---------------------------------------------------------------- persons

@pytest.mark.parametrize("written", ["Таженова У.С.", "У.С. Таженова", "Таженова У. С.", "У. С. Таженова"])
def test_name_orders_give_one_key(written):
    found = find_persons(f"Мастер-класс провела {written} в феврале.")
    assert [m.key for m in found] == ["Таженова У.С."]
    assert key_of(written) == "Таженова У.С."


def test_a_full_name_after_a_capitalised_word_is_found():
    """Broke: «Учитель Серов Пётр Ильич» was read as the run «Учитель Серов Пётр», and the name was lost."""
    assert [m.key for m in find_persons("Учитель Серов Пётр Ильич провёл мастер-класс.")] == ["Серов П.И."]


@pytest.mark.parametrize("text, keys", [
    ("Опыт Ларионовой Галины Николаевны представлен. Ларионова Г.Н. провела урок.",
     ["Ларионова Г.Н.", "Ларионова Г.Н."]),
    ("Носитель — Ким Сергей Вячеславович. Вебинар С.В. Кима для учителей.", ["Ким С.В.", "Ким С.В."]),
    ("Опыт Овчинниковой Л.С. используется.", ["Овчинникова Л.С."]),
    ("Урок дал учитель физики Гребенщиковым П.Н.", ["Гребенщиков П.Н."]),
    ("Стажировка у Зарецкой И.А. и у Белинского О.Д.", ["Зарецкая И.А.", "Белинский О.Д."]),
])
def test_a_name_in_an_oblique_case_is_one_person_in_the_nominative(text, keys):
    """Broke: «Ларионовой Г.Н.» and «Ларионова Г.Н.» were two persons, and holders were named in the genitive."""
    assert [m.key for m in find_persons(text)] == keys


def test_a_surname_ending_like_an_oblique_case_stays_without_a_nominative_mention():
    """«Петрова А.В.» may be a man in the genitive; without «Петров А.В.» in the document it is kept as written."""
    assert [m.key for m in find_persons("Мастер-класс провела Петрова А.В., учитель.")] == ["Петрова А.В."]
    assert find_persons("Опыт Ларионовой Галины Николаевны.")[0].full_name == "Ларионова Галина Николаевна"


@pytest.mark.parametrize("text, key", [("Вебинар С.В. Кима для учителей", "Кима С.В."),
                                       ("Стажировка М.С. Тупицыной прошла", "Тупицына М.С."),
                                       ("в г. Сызрани А.В. Мещерякова", "Мещерякова А.В.")])
def test_a_common_word_before_initials_is_not_a_surname(text, key):
    """Broke: «Стажировка М.С.» was a person and «М.С. Тупицыной» was lost."""
    assert [m.key for m in find_persons(text)] == [key]


def test_full_name_is_one_person_with_initials():
    found = find_persons("Давыденко Светлана Викторовна, директор МБУ «ЦРО» МО Новокубанский район")
    assert len(found) == 1
    assert found[0].key == "Давыденко С.В."
    assert found[0].full_name == "Давыденко Светлана Викторовна"
    assert key_of("Светлана Викторовна Давыденко") == "Давыденко С.В."


def test_eponym_signature_blank_and_law_signatory_are_not_persons(passport):
    keys = {p.key for p in passport.persons}
    assert keys == {"Петрова А.С.", "Сидоров П.И."}  # not Лобытов (eponym), not «И.О. Фамилия», not Кравцов
    assert not find_persons("МБОУ «Школа имени М.Г. Лобытова»")
    assert not find_persons("_______________ /И.О. Фамилия/")
    assert not find_persons("приказ, утвержденный заместителем Председателя Правительства Д.А. Медведевым")


def test_person_role_and_organisation(passport):
    petrova = next(p for p in passport.persons if p.key == "Петрова А.С.")
    assert petrova.full_name == "Петрова Анна Сергеевна"
    assert petrova.roles == ["учитель математики"]
    assert petrova.organisation == "МБОУ Богородицкая СШ"


# ---------------------------------------------------------------- organisations

def test_oblique_case_organisation_in_the_nominative():
    names = [o.name for o in find_organisations("Опыт МБОУ Богородицкой СШ обобщён.")]
    assert names == ["МБОУ Богородицкая СШ"]
    assert nominative("Кубанским государственным университетом") == "Кубанский государственный университет"
    assert nominative("Крымским техническим колледжем") == "Крымский технический колледж"
    assert nominative("гимназии № 7") == "гимназия № 7"


def test_closing_quote_and_short_sentence_organisation():
    names = [o.name for o in find_organisations("Практика МАОУ «Кваркенская СОШ» включена в банк.")]
    assert names == ["МАОУ «Кваркенская СОШ»"]
    org = find_organisations("директор МБОУ ДПО «ИМЦ\nНовокузнецкого района»")[0]
    assert org.name == "МБОУ ДПО «ИМЦ Новокузнецкого района»"
    assert org.kind == "methodological_service"


def test_abbreviation_becomes_an_alias(passport):
    assert abbreviations("Районный методический кабинет (РМК) ведёт банк.") == {"РМК": "Районный методический кабинет"}
    assert abbreviations("РОО – районный отдел образования\n") == {"РОО": "районный отдел образования"}
    rmk = next(o for o in passport.organisations if "РМК" in o.aliases)
    assert rmk.kind == "methodological_service"
    assert rmk.name == "Районный методический кабинет Ясногорского района"


def test_document_territory(passport):
    assert (passport.municipality, passport.region) == ("Ясногорский район", "Тульская область")
    assert most_common_territory("в Кваркенском районе … Кваркенского района Оренбургской области") == (
        "Кваркенский район", "Оренбургская область")
    assert most_common_territory("Предметная область «Технология»; МБОУ СОШ № 5 г. Армавира") == ("город Армавир", None)


# ---------------------------------------------------------------- vocabulary

@pytest.mark.parametrize("written", [
    "Графический метод решения задания 18 ЕГЭ по математике профильного уровня",
    "подготовка по заданию № 18 ЕГЭ по математике профильного уровня",
    "разбор восемнадцатого задания профильного ЕГЭ по математике",
    "18 задание ЕГЭ по профильной математике",
])
def test_exam_task_in_any_wording(written):
    assert "egeMathProfileTask18" in vocabulary.topics(written)


def test_forms_in_any_case():
    assert vocabulary.forms("семинары-практикумы, педагогические мастерские, деловые игры, вебинаров") == [
        "seminarPracticum", "pedagogicalWorkshop", "businessGame", "webinar"]


# ---------------------------------------------------------------- segmentation

def test_passport_fields_and_sentences():
    doc = read_document(FIXTURES / "passport.txt")
    lay = layout(doc)
    assert lay.genre == "passport"
    labels = [f.label for f in lay.fields]
    assert labels[:2] == ["Наименование инновационного проекта (тема)", "Авторы представляемого опыта"]
    for f in lay.fields:
        assert doc.text[f.value_start:f.end] == f.value
    text = "Первое предложение. Второе, с инициалами У.С. Таженовой, кончается здесь."
    assert [s.text for s in sentences(text)] == ["Первое предложение.",
                                                   "Второе, с инициалами У.С. Таженовой, кончается здесь."]


# ---------------------------------------------------------------- practices

def test_passport_practice_holders_model_and_level(passport):
    main = passport.practices[0]
    assert main.title.startswith("Наставничество как ресурс")
    assert main.kind == "project"
    assert main.holders == ["Петрова А.С.", "Сидоров П.И."]
    assert "egeMathProfileTask18" in main.topics
    assert main.model == "network" and "сетевое взаимодействие" in main.model_span.quote
    assert main.level == "municipal" and "Муниципальная инновационная площадка" in main.level_span.quote
    text = read_document(FIXTURES / "passport.txt").text
    for s in (main.model_span, main.level_span):
        assert text[s.start:s.end] == s.quote


def test_product_from_the_list_of_developments(passport):
    product = next(p for p in passport.practices if p.kind == "product")
    assert product.title == "Задачи с параметром: решаем графически"
    assert product.holders == ["Петрова А.С."]
    assert "methodicalManual" in product.forms


def test_event_rows_written_with_tabs_pipes_and_numbers(events):
    by_title = {p.title: p for p in events.practices}
    assert set(by_title) == {
        "Решение задания 18 ЕГЭ графическим методом", "Сочинение-рассуждение на лингвистическую тему",
        "Смысловое чтение на уроках истории", "Восемнадцатое задание без страха",
        "Формирующее оценивание на уроках химии"}  # not «Итоги года»: nobody holds it
    mc = by_title["Решение задания 18 ЕГЭ графическим методом"]
    assert mc.holders == ["Орлова Н.П."] and mc.organisation == "МАОУ «Ясногорская СОШ № 2»"
    assert mc.forms == ["masterClass"] and mc.when == "Февраль"
    assert mc.model == "direct" and "Мастер-класс" in mc.model_span.quote
    assert by_title["Смысловое чтение на уроках истории"].holders == ["Громова Т.Т."]
    assert by_title["Восемнадцатое задание без страха"].when == "май"
    assert by_title["Формирующее оценивание на уроках химии"].forms == ["seminar"]


def test_authors_in_a_list_of_literature_are_not_persons(events):
    assert {p.key for p in events.persons} == {"Орлова Н.П.", "Васильева Е.Е.", "Громова Т.Т."}


# ---------------------------------------------------------------- the sample corpus

def _eval_module():
    spec = importlib.util.spec_from_file_location("opyt_eval", EVAL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (CORPUS.is_dir() and SEEDS.is_file() and EVAL.is_file()), reason="no sample corpus")
def test_corpus_gold_facts_are_found():
    ev = _eval_module()
    gold = json.loads(SEEDS.read_text(encoding="utf-8"))
    for doc in gold["documents"]:
        facts = extract(read_document(CORPUS / doc["doc"]))
        assert facts.region == doc["region"] and facts.municipality == doc["municipality"], doc["doc"]
        for person in doc["persons"]:
            assert any(ev.person_match(p.key, person) for p in facts.persons), person["name"]
        for org in doc["organisations"]:
            assert any(ev.org_match(o.name, org) or any(ev.org_match(a, org) for a in o.aliases)
                       for o in facts.organisations), org["name"]
        for practice in doc["practices"]:
            found = [p for p in facts.practices if ev.practice_match({"title": p.title}, practice)]
            assert found, practice["title"]
            for holder in practice["holders"]:
                assert any(ev.holder_match(h, holder, doc["organisations"]) for h in found[0].holders), holder
            for field in ("model", "level"):
                if practice.get(field):
                    value = getattr(found[0], field)
                    assert value == practice[field], (practice["title"], field)
                    justification = getattr(found[0], f"{field}_span")
                    assert justification is not None and justification.quote
        # no more than a few facts beyond the gold ones
        assert len(facts.practices) <= len(doc["practices"]) + 2, doc["doc"]
        assert len(facts.persons) <= len(doc["persons"]) + 2, doc["doc"]


@pytest.mark.parametrize("name", ["passport.docx", "passport.odt", "passport.md", "passport.pdf", "passport-cp1251.txt"])
def test_the_same_passport_in_every_format(name):
    facts = extract(read_document(Path(__file__).parent / "fixtures" / "documents" / name))
    main = facts.practices[0]
    assert main.title.startswith("Наставничество как ресурс подготовки к ЕГЭ по математике")
    assert main.holders == ["Таженова У.С."]
    assert all(p.holders for p in facts.practices)


# ---------------------------------------------------------------- a passport written as «Label: value» lines

@pytest.fixture(scope="module")
def inline_passport():
    return extract(read_document(FIXTURES / "inline-passport.txt"))


def test_inline_passport_forms_come_from_its_forms_line(inline_passport):
    [practice] = inline_passport.practices
    assert set(practice.forms) == {"masterClass", "seminarPracticum", "publication"}


def test_inline_passport_model_from_the_dissemination_sentence(inline_passport):
    [practice] = inline_passport.practices
    assert (practice.model, practice.level) == ("network", "municipal")
    assert "по сетевой модели" in practice.model_span.quote


def test_inline_passport_authors_work_for_the_applicant(inline_passport):
    people = {p.key: p for p in inline_passport.persons}
    [practice] = inline_passport.practices
    applicant = practice.organisation
    assert applicant is not None and "№ 3" in applicant
    assert {people[h].organisation for h in practice.holders} == {applicant}
    assert people["Котова Е.А."].organisation != applicant  # the supervisor's university is named next to her


def test_spelled_out_name_with_its_legal_abbreviation_in_brackets_is_one_organisation(inline_passport):
    schools = [o for o in inline_passport.organisations if "№ 3" in o.name or any("№ 3" in a for a in o.aliases)]
    assert len(schools) == 1
    assert schools[0].name == "МБОУ СОШ № 3 г. Курганинска"
    assert "Средняя общеобразовательная школа № 3" in schools[0].aliases


def test_a_site_report_is_held_by_the_organisation_under_its_heading():
    facts = extract(read_document(FIXTURES / "site-report.txt"))
    project = next(p for p in facts.practices if p.title.startswith("Смысловое чтение как основа"))
    assert project.holders == ["МБОУ «Лицей № 4» г. Тихорецка"]
    assert (project.model, project.level) == ("mediated", "municipal")
    events = {p.title: p.holders for p in facts.practices if p is not project}
    assert events["Решение задач с параметром: подготовка к заданию 18 ЕГЭ"] == ["Гусев И.О."]


def test_a_practice_passport_with_short_labels():
    """«Название практики:» and «Авторы:» are the title and the authors, as «Название проекта:» is."""
    facts = extract(read_document(FIXTURES / "practice-passport.txt"))
    [practice] = facts.practices
    assert practice.title == "Лабораторный практикум как средство подготовки к ОГЭ по химии"
    assert sorted(practice.holders) == ["Ким А.В.", "Смирнова И.П."]
    assert "ogeChemistry" in practice.topics and practice.model == "direct"


def test_hyphenated_place_names_are_whole():
    text = "Школы Усть-Лабинского района Краснодарского края. В Усть-Лабинском районе работают РМО."
    assert most_common_territory(text) == ("Усть-Лабинский район", "Краснодарский край")


def test_an_authority_named_with_the_instrumental_is_found_and_a_plural_is_not():
    names = [m.name for m in find_organisations(
        "Управление образованием администрации муниципального образования Усть-Лабинский район. "
        "Опыт передан управлениям образованием Краснодарского края и управлений образованием края.")]
    assert names == ["Управление образованием администрации муниципального образования Усть-Лабинский район"]


def test_a_programme_without_a_title_field_is_titled_by_its_heading():
    facts = extract(read_document(FIXTURES / "programme-heading.txt"))
    programme = next(p for p in facts.practices if p.kind == "programme")
    assert programme.title.startswith("Программа распространения педагогического опыта")
    assert programme.holders == ["Управление образованием администрации муниципального образования Усть-Лабинский район"]
    assert (programme.model, programme.level) == ("network", "municipal")
    assert {p.title for p in facts.practices if p is not programme} == {
        "Подготовка к итоговому собеседованию по русскому языку", "Наставничество молодых педагогов",
        "Финансовая грамотность на уроках математики"}


def test_a_passport_with_a_table_of_authors_under_its_own_heading():
    facts = extract(read_document(FIXTURES / "authors-table-passport.docx"))
    [project] = facts.practices
    assert sorted(project.holders) == ["Волкова С.И.", "Романов П.А."]
    assert set(project.forms) == {"internshipSite", "webinar"}  # from the «Форма распространения» row
    assert (project.model, project.level) == ("mediated", "regional")


def test_a_word_in_capitals_for_emphasis_is_lemmatised_and_an_abbreviation_is_not():
    assert vocabulary.lemma("РАЗВИТИЯ") == "развитие"
    assert [vocabulary.lemma(w) for w in ("МБОУ", "ФГБОУ", "ЕГЭ", "ДПО")] == ["мбоу", "фгбоу", "егэ", "дпо"]
    assert vocabulary.topics("Метод перевода ОУ в режим РАЗВИТИЯ") == ["schoolDevelopment"]


def test_practice_cards_under_numbered_headings():
    """A card: a heading, a holder line («Носитель опыта: …», «… – организация; автор – …») or the
    holder in brackets after the heading, and «Тема», «Формы», «Модель», «Уровень» lines."""
    facts = extract(read_document(FIXTURES / "practice-cards.txt"))
    practices = {p.title: p for p in facts.practices}
    tasks = practices["Решение текстовых задач на движение: подготовка к заданию 21 ОГЭ по математике"]
    assert tasks.holders == ["Лаптева И.В."] and set(tasks.forms) == {"masterClass", "openLesson"}
    assert (tasks.model, tasks.level) == ("direct", "municipal")
    school = practices["Школа молодого учителя «Первые шаги»"]
    assert school.holders == ["МБУ «Центр развития образования» Заречного района"]
    finance = practices["«Семейная финансовая азбука»: финансовая грамотность дошкольников"]
    assert finance.holders == ["МБДОУ «Детский сад № 4 «Радуга»»", "Соколова М.П."]
    assert set(finance.forms) == {"pedagogicalWorkshop", "webinar"}
    technopark = practices["Школьный технопарк как ресурс ранней профориентации"]
    assert technopark.holders == ["МБОУ «Заречная СОШ № 1»"]
    assert (technopark.model, technopark.level) == ("network", "regional")


def test_tables_with_a_column_of_holders_and_a_column_of_practices():
    """One practice per row of a bank table, a plan of events and a table written one cell per line;
    the same practice in two tables is one practice with what both say."""
    facts = extract(read_document(FIXTURES / "practice-tables.txt"))
    practices = {p.title: p for p in facts.practices}
    chemistry = practices["Решение расчётных задач ЕГЭ по химии"]
    assert chemistry.holders == ["Карпова Е.И."] and chemistry.forms == ["masterClass"]
    assert (chemistry.model, chemistry.level) == ("direct", "municipal")
    assert {p.key: p.organisation for p in facts.persons}["Карпова Е.И."] == "МБОУ «Речная СОШ № 1»"
    assert practices["Экологическое воспитание дошкольников"].holders == ["МБДОУ «Детский сад № 2 «Ромашка»»"]
    assessment = practices["Формирующее оценивание на уроках математики"]
    assert assessment.holders == ["Зуева А.П."] and assessment.level == "regional"


def test_a_site_report_with_a_table_of_modules_and_events_that_spread_them():
    """Broke: the «Тема: «…»» line was read as the label of the next line («I. Паспортная информация»
    became the title), a «Модуль стажировки» column was no column of practices, the authority above
    the school held the site, and an event by a module's author was one more practice."""
    facts = extract(read_document(FIXTURES / "site-report-modules.txt"))
    site, history, diaries, conferences = facts.practices
    assert site.title == "Стажировочная площадка как ресурс развития читательской грамотности в сельских школах"
    assert site.holders == ["МБОУ «Ключевская СОШ № 2»"] and site.model == "network"
    assert (history.title, history.holders) == ("Смысловое чтение на уроках истории в 6–7 классах", ["Горелова А.П."])
    assert (diaries.title, diaries.holders) == ("Читательские дневники в начальной школе", ["Лыкова И.С."])
    assert set(diaries.forms) == {"masterClass", "webinar"}  # the webinar spreads the practice
    # a holder of two practices: the seminar spreads the one whose title shares its words
    assert conferences.title == "Читательские конференции в 8 классе"
    assert "seminar" in conferences.forms and "seminar" not in history.forms


def test_practices_in_prose_in_headingless_cards_and_in_a_plan_of_events():
    """Broke: a practice told in a paragraph («Практика «…» распространяется …») was not read; cards
    headed «Карточка 1» with «Label — value» lines, a «5.1. «Тема». Носитель опыта – …» line and a
    «Компонент 2.» paragraph were not cards; a programme titled on the line under «ПРОГРАММА» had no
    title; and every planned event (a meeting, a seminar of the ИМЦ's methodist) was a practice."""
    facts = extract(read_document(FIXTURES / "prose-and-plans.txt"))
    practices = {p.title: p for p in facts.practices}
    assert set(practices) == {
        "Распространение педагогического опыта Заозёрного района на 2025–2027 годы",
        "Экспериментальные задачи на уроках физики в 7–9 классах", "Школа наставника «Вместе»",
        "Робототехника в детском саду", "Смысловое чтение на уроках истории", "Игровые приёмы в обучении чтению",
        "Задачи на движение в 9 классе"}
    programme = practices["Распространение педагогического опыта Заозёрного района на 2025–2027 годы"]
    assert programme.holders == ["Отдел образования администрации Заозёрного района",
                                 "МКУ «Информационно-методический центр Заозёрного района»"]
    physics = practices["Экспериментальные задачи на уроках физики в 7–9 классах"]
    assert physics.holders == ["Коновалова М.И."]  # «Коноваловой Марины Игоревны» in the paragraph
    assert (physics.model, physics.level) == ("direct", "municipal")
    assert "masterClass" in physics.forms  # the plan's master class spreads it
    assert practices["Школа наставника «Вместе»"].holders == ["Дёмина О.И."]
    assert set(practices["Школа наставника «Вместе»"].forms) == {"mentoring", "pedagogicalWorkshop"}
    assert practices["Робототехника в детском саду"].holders == ["МБДОУ «Детский сад № 5 «Ёлочка»»", "Рыбина А.П."]
    assert practices["Смысловое чтение на уроках истории"].holders == ["Титов И.С."]
    assert practices["Игровые приёмы в обучении чтению"].holders == ["Сомова В.А."]
    # «Практика Е.Н. Лаптевой «…»»: the initials end no sentence
    assert practices["Задачи на движение в 9 классе"].holders == ["Лаптева Е.Н."]


def test_a_passport_written_one_cell_per_line_with_numbered_practices():
    """Broke: a bare «Наименование» label titled nothing, the «Модель» row was not read, and a practice
    numbered «5.1» in a cell of its own over its quoted title, with «Носитель — …», was lost."""
    facts = extract(read_document(FIXTURES / "cell-passport.txt"))
    network, check = facts.practices
    assert network.title == "Сетевое объединение «Территория роста»: объективность оценивания"
    assert (network.holders, network.model, network.level) == (["Гусева М.В."], "network", "municipal")
    assert check.title == "Перекрёстная проверка ВПР по математике в 5–8 классах"
    assert check.holders == ["МБОУ «Заозёрный лицей»", "Лебедева А.В."]


def test_an_inner_quote_that_closes_the_name_ends_it():
    """Broke: «МБДОУ «Детский сад № 14 «Умка» выступает …» (the outer quote merged into the inner one)
    ran on to the end of the line."""
    found = [o.name for o in find_organisations("в которой МБДОУ «Детский сад № 14 «Умка» выступает ресурсным центром.")]
    assert found == ["МБДОУ «Детский сад № 14 «Умка»»"]
    found = [o.name for o in find_organisations("МБДОУ «Детский сад № 14 «Умка» комбинированного вида» (МБДОУ)")]
    assert found[0] == "МБДОУ «Детский сад № 14 «Умка» комбинированного вида»"
