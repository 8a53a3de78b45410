"""Autocomplete against how people really type into a slash option: prefixes cut mid-word,
gym abbreviations, plurals, capitals, typos and city names instead of zone ids."""

from __future__ import annotations

from core.choices import fixed_choices, suggestions
from core.commands import Option, find
from core.library import default_library

LIBRARY = default_library()

# (what was typed so far, the value the person wanted)
EXERCISES = [
    ("hip thr", "Barbell hip thrust"),
    ("hip thrust", "Barbell hip thrust"),
    ("Hip Thrusts", "Barbell hip thrust"),
    ("ht", "Barbell hip thrust"),
    ("hipthrust", "Barbell hip thrust"),
    ("barbell hip", "Barbell hip thrust"),
    ("hip thurst", "Barbell hip thrust"),
    ("single leg hip", "Single-leg hip thrust"),
    ("glute drive", "Hip thrust machine"),
    ("smith hip", "Smith machine hip thrust"),
    ("banded hip", "Banded hip thrust"),
    ("glute br", "Glute bridge"),
    ("bridges", "Glute bridge"),
    ("sl bridge", "Single-leg glute bridge"),
    ("frog", "Frog pump"),
    ("bss", "Bulgarian split squat"),
    ("bulgarian", "Bulgarian split squat"),
    ("bulg", "Bulgarian split squat"),
    ("bulgarain split", "Bulgarian split squat"),
    ("split sq", "Split squat"),
    ("rdl", "Romanian deadlift"),
    ("romanian", "Romanian deadlift"),
    ("romainian deadlift", "Romanian deadlift"),
    ("sl rdl", "Single-leg Romanian deadlift"),
    ("deadl", "Deadlift"),
    ("sumo dl", "Sumo deadlift"),
    ("sumo dead", "Sumo deadlift"),
    ("squat", "Back squat"),
    ("back sq", "Back squat"),
    ("front sq", "Front squat"),
    ("goblet", "Goblet squat"),
    ("box squat", "Box squat"),
    ("sumo squat", "Sumo squat"),
    ("air squat", "Bodyweight squat"),
    ("jump sq", "Jump squat"),
    ("leg press", "Leg press, wide stance"),
    ("lunges", "Walking lunge"),
    ("reverse lun", "Reverse lunge"),
    ("side lunge", "Lateral lunge"),
    ("curtsy", "Curtsy lunge"),
    ("step up", "Step-up"),
    ("stepups", "Step-up"),
    ("clam", "Clamshell"),
    ("banded walk", "Banded lateral walk"),
    ("monster walk", "Banded lateral walk"),
    ("side lying", "Side-lying hip abduction"),
    ("abduction machine", "Machine hip abduction"),
    ("hip abduct", "Machine hip abduction"),
    ("adduction", "Machine hip adduction"),
    ("cable abd", "Standing cable hip abduction"),
    ("seated abd", "Seated banded abduction"),
    ("fire hyd", "Fire hydrant"),
    ("kickback", "Cable kickback"),
    ("cable kick", "Cable kickback"),
    ("donkey kick", "Quadruped hip extension"),
    ("45 degree", "45-degree hip extension"),
    ("back extension", "45-degree hip extension"),
    ("reverse hyper", "Reverse hyperextension"),
    ("pull through", "Cable pull-through"),
    ("kb swing", "Kettlebell swing"),
    ("kettlebell", "Kettlebell swing"),
    ("good morn", "Good morning"),
    ("nordic", "Nordic hamstring curl"),
    ("couch", "Couch stretch"),
    ("pigeon", "Pigeon stretch"),
    ("hip flexor stretch", "Half-kneeling hip-flexor stretch"),
    ("figure 4", "Figure-four stretch"),
    ("cat cow", "Cat-camel"),
    ("deadbug", "Dead bug"),
    ("bird dog", "Bird dog"),
    ("plank", "Plank"),
    ("side plank", "Side plank"),
    ("copenhagen", "Copenhagen plank"),
    ("wall sit", "Wall sit"),
    ("airplane", "Hip airplane"),
]

ZONES = [
    ("berlin", "Europe/Berlin"),
    ("Berl", "Europe/Berlin"),
    ("europe/ber", "Europe/Berlin"),
    ("london", "Europe/London"),
    ("new york", "America/New_York"),
    ("new_york", "America/New_York"),
    ("America/New", "America/New_York"),
    ("los ang", "America/Los_Angeles"),
    ("kolkata", "Asia/Kolkata"),
    ("tokyo", "Asia/Tokyo"),
    ("sydney", "Australia/Sydney"),
    ("madrid", "Europe/Madrid"),
    ("paris", "Europe/Paris"),
    ("sao paulo", "America/Sao_Paulo"),
    ("mexico", "America/Mexico_City"),
    ("toronto", "America/Toronto"),
    ("chicago", "America/Chicago"),
    ("utc", "UTC"),
    ("UTC", "UTC"),
    ("dubai", "Asia/Dubai"),
    ("singapore", "Asia/Singapore"),
    ("warsaw", "Europe/Warsaw"),
    ("kyiv", "Europe/Kyiv"),
    ("istanbul", "Europe/Istanbul"),
    ("johannesburg", "Africa/Johannesburg"),
    ("lagos", "Africa/Lagos"),
    ("auckland", "Pacific/Auckland"),
    ("buenos", "America/Argentina/Buenos_Aires"),
    ("denver", "America/Denver"),
    ("amsterdam", "Europe/Amsterdam"),
]

TIMES = [
    ("7", "07:00"),
    ("07", "07:30"),
    ("7:3", "07:30"),
    ("18", "18:00"),
    ("18:0", "18:00"),
    ("6:30", "06:30"),
    ("21", "21:30"),
    ("of", "off"),
    ("off", "off"),
    ("12", "12:00"),
]

PAIN_AREAS = [
    ("back", "lower_back"),
    ("lower back", "lower_back"),
    ("knee", "knee"),
    ("kne", "knee"),
    ("hip flex", "hip_flexors"),
    ("sore", "doms"),
    ("doms", "doms"),
    ("thrust", "thrust_back"),
]


def option(command: str, name: str) -> Option:
    return next(o for o in find(command).options if o.name == name)


def shares(opt: Option, corpus: list[tuple[str, str]]) -> tuple[float, float, list[str]]:
    top1 = top5 = 0
    missed = []
    for typed, wanted in corpus:
        values = [value for _, value in suggestions(opt, typed, LIBRARY)]
        assert len(values) <= 25 and all(len(v) <= 100 for v in values)
        top1 += bool(values) and values[0] == wanted
        top5 += wanted in values[:5]
        if wanted not in values[:5]:
            missed.append(typed)
    return top1 / len(corpus), top5 / len(corpus), missed


def test_exercise_suggestions_find_what_people_type():
    top1, top5, missed = shares(option("log", "exercise"), EXERCISES)
    print(
        f"\nexercise autocomplete, {len(EXERCISES)} typed fragments: first {top1:.0%}, top 5 {top5:.0%}; missed {missed}"
    )
    assert top5 >= 0.9 and top1 >= 0.6


def test_zone_suggestions_find_cities_and_ids():
    top1, top5, missed = shares(option("tz", "zone"), ZONES)
    print(
        f"\ntime zone autocomplete, {len(ZONES)} typed fragments: first {top1:.0%}, top 5 {top5:.0%}; missed {missed}"
    )
    assert top5 >= 0.95 and top1 >= 0.8


def test_time_and_pain_area_suggestions():
    for opt, corpus, name in (
        (option("remind", "time"), TIMES, "time"),
        (option("pain", "area"), PAIN_AREAS, "pain area"),
    ):
        top1, top5, missed = shares(opt, corpus)
        print(
            f"\n{name} autocomplete, {len(corpus)} typed fragments: first {top1:.0%}, top 5 {top5:.0%}; missed {missed}"
        )
        assert top5 >= 0.9


def test_closed_lists_are_fixed_choices_and_open_ones_are_not():
    assert fixed_choices(option("units", "units"), LIBRARY) == [("Kilograms (kg)", "kg"), ("Pounds (lb)", "lb")]
    assert [v for _, v in fixed_choices(option("pain", "level"), LIBRARY)] == ["mild", "moderate", "severe"]
    assert fixed_choices(option("log", "exercise"), LIBRARY) is None
    assert fixed_choices(option("tz", "zone"), LIBRARY) is None


def test_typed_values_join_into_the_command_text():
    pain = find("pain")
    assert pain.text_for({"area": "knee", "level": "mild"}) == "/pain knee mild"
    assert pain.text_for({"clear": "clear", "area": "knee"}) == "/pain clear knee"
    assert (
        find("log").text_for({"exercise": "Barbell hip thrust", "sets": " 3x10 @ 60kg "})
        == "/log Barbell hip thrust 3x10 @ 60kg"
    )


def test_option_declarations_that_no_platform_could_take_are_refused(tmp_path):
    from core.commands import platform_data

    bad = {
        'name = "for"\nkind = "fixed"\nchoices = [["1 hour", "1h"]]': "keyword",
        'name = "Exercise"\nkind = "exercise"': "lowercase",
        'name = "zone"\nkind = "planet"': "unknown kind",
        'name = "answer"\nkind = "fixed"': "needs choices",
    }
    for number, (body, why) in enumerate(bad.items()):
        path = tmp_path / f"commands{number}.toml"
        path.write_text(f'[[option]]\ncommand = "log"\ndescription = "x"\n{body}\n')
        try:
            platform_data(path)
        except ValueError:
            continue
        raise AssertionError(f"accepted an option that should be refused ({why})")
