"""Every place that says when the next workout is (/done, a finished /today, a rest day, the set
log that completes a session) says it the same way, in the person's own week."""

import re

SENTENCE = re.compile(r"Your next workout(?: \((?P<title>[^)]+)\))? is (?P<when>[^.]+)\.")


async def test_done_today_and_rest_day_name_the_same_next_day(chat, app, clock):
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    clock.set_local("2026-11-23 09:00", "UTC")  # a Monday
    await chat.send("/today")
    await chat.send("/done")
    done = SENTENCE.search(chat.text)
    assert done is not None, chat.text
    assert done["when"] == "Thursday 26 Nov"
    assert done["title"] == app.coach.library.programs["gym_2x"].days[1].title
    await chat.send("/today")
    finished = SENTENCE.search(chat.text)
    assert finished is not None and finished["when"] == "Thursday 26 Nov", chat.text
    clock.set_local("2026-11-25 09:00", "UTC")  # Wednesday: a rest day, training tomorrow
    await chat.send("/today")
    rest = SENTENCE.search(chat.text)
    assert rest is not None and rest["when"] == "tomorrow (Thursday)", chat.text
