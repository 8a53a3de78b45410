"""A fan-out reads per chunk, not per person, and everyone still gets their own plan (issue 20).

People are written straight into the tables (as the bench does) and delivered by the real
postman through the console adapter; statements are counted with SQLAlchemy's event listener.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert, update

from bot.adapters.console import ConsoleChat
from bot.scheduling import ReminderScheduler
from bot.storage import models
from core.context import Context
from core.domain import Incoming
from core.features.reminders import PLAIN_FIELDS, compose
from tests.integration.test_statement_counts import counting
from tests.seed import log_sets, report_pain
from tests.support import ChatDriver

MONDAY_7 = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TRAIN = "Time to train!"


class Inbox(ConsoleChat):
    """The console adapter, remembering what each private chat received."""

    def __init__(self, coach):
        super().__init__(coach)
        self.texts: dict[str, list[str]] = {}

    async def push(self, chat_id, replies):
        self.texts.setdefault(chat_id, []).extend(reply.text for reply in replies)
        await super().push(chat_id, replies)


async def add_people(app, first: int, count: int, due: datetime, **profile) -> list[str]:
    """`count` people on the same program day with a workout reminder due at `due` (UTC)."""
    chats = []
    async with app.engine.begin() as conn:
        for n in range(first, first + count):
            chat = str(7000 + n)
            user_id = (
                await conn.execute(
                    insert(models.User)
                    .values(
                        platform="test",
                        platform_user_id=chat,
                        chat_id=chat,
                        display_name="",
                        created_at=due - timedelta(days=30),
                    )
                    .returning(models.User.id)
                )
            ).scalar_one()
            await conn.execute(
                insert(models.Profile).values(
                    **{
                        "user_id": user_id,
                        "timezone": "UTC",
                        "units": "kg",
                        "completed_sessions": 0,
                        "weekdays": ALL_DAYS,
                        "program_id": "gym_2x",
                        "reminder_time": f"{due:%H:%M}",
                        "experience": "intermediate",
                        **profile,
                    }
                )
            )
            await conn.execute(
                insert(models.Reminder).values(
                    user_id=user_id,
                    kind="workout",
                    enabled=True,
                    local_time=f"{due:%H:%M}",
                    weekdays=ALL_DAYS,
                    next_due_at=due,
                )
            )
            chats.append(chat)
    return chats


def postman(app, clock, adapter) -> ReminderScheduler:
    return ReminderScheduler(app.store, app.coach.library, {"test": adapter}, clock=clock)


def reads(tally) -> list[str]:
    return [s for s in tally.statements if s.upper().startswith(("SELECT", "WITH"))]


async def test_a_round_for_20_people_reads_no_more_than_a_round_for_5(app, clock):
    """Before: user, profile, pain and today's session were read per person (4 x 20 = 80 reads)."""
    inbox = Inbox(app.coach)
    worker = postman(app, clock, inbox)
    few = await add_people(app, 0, 5, MONDAY_7)
    many = await add_people(app, 100, 20, MONDAY_7 + timedelta(hours=1))
    clock.now = MONDAY_7
    with counting(app.engine) as first:
        assert await worker.tick() == 5
    clock.now = MONDAY_7 + timedelta(hours=1)
    with counting(app.engine) as second:
        assert await worker.tick() == 20
    print(f"\nreads in a round: 5 people {len(reads(first))}, 20 people {len(reads(second))}")
    assert len(reads(second)) == len(reads(first)), "\n".join(reads(second))
    assert all(TRAIN in inbox.texts[chat][0] for chat in few + many)
    assert len({inbox.texts[chat][0] for chat in few + many}) == 1  # one program day, one text


async def test_people_with_pain_or_history_read_only_their_history(app, clock):
    """Their profile, pain and today's session come with the chunk's read; their plan reads one
    more thing, the sets of the last months (for next loads and rungs)."""
    inbox = Inbox(app.coach)
    worker = postman(app, clock, inbox)
    await add_people(app, 0, 4, MONDAY_7)
    personal = await add_people(app, 100, 4, MONDAY_7 + timedelta(hours=1))
    for chat in personal:  # a finished session with hip thrusts (the seed leaves the counter: Monday is day A)
        person = ChatDriver(app.coach, user_id=chat)
        await log_sets(
            app, person, "hip_thrust", [(10, 60.0)] * 3, on=date(2026, 11, 20), session=("gym_2x", 0), completed=True
        )
        if chat == personal[0]:
            await report_pain(app, person, "knee", "moderate", MONDAY_7 - timedelta(days=1))
    clock.now = MONDAY_7
    with counting(app.engine) as plain:
        assert await worker.tick() == 4
    clock.now = MONDAY_7 + timedelta(hours=1)
    with counting(app.engine) as own:
        assert await worker.tick() == 4
    print(f"\nreads in a round of 4: plain {len(reads(plain))}, with history {len(reads(own))}")
    assert len(reads(own)) <= len(reads(plain)) + len(personal), "\n".join(reads(own))
    assert all("@ " in inbox.texts[chat][0] for chat in personal[1:])


async def test_people_on_the_same_day_get_their_own_texts(app, clock):
    """Pain, history in each unit and missing equipment change the plan; the plain text is shared
    only by people whose plans are the same."""
    plain_kg, plain_lb, knee, history_kg, history_lb, bands = await add_people(app, 0, 6, MONDAY_7)
    async with app.engine.begin() as conn:
        for chat, values in (
            (plain_lb, {"units": "lb"}),
            (history_lb, {"units": "lb"}),
            (bands, {"equipment": ("band",)}),
        ):
            user_id = (
                (await conn.execute(models.User.__table__.select().where(models.User.platform_user_id == chat)))
                .first()
                .id
            )
            await conn.execute(update(models.Profile).where(models.Profile.user_id == user_id).values(**values))
    people = {chat: ChatDriver(app.coach, user_id=chat) for chat in (knee, history_kg, history_lb)}
    await report_pain(app, people[knee], "knee", "moderate", MONDAY_7 - timedelta(days=1))
    for chat in (history_kg, history_lb):
        await log_sets(
            app,
            people[chat],
            "hip_thrust",
            [(10, 60.0)] * 3,
            on=date(2026, 11, 20),
            session=("gym_2x", 0),
            completed=True,
        )
    inbox = Inbox(app.coach)
    clock.now = MONDAY_7
    assert await postman(app, clock, inbox).tick() == 6
    got = {chat: inbox.texts[chat][0] for chat in inbox.texts}
    assert TRAIN in got[plain_kg] and "hip thrust" in got[plain_kg] and "@" not in got[plain_kg]
    assert got[plain_lb] == got[plain_kg]  # no loads to show yet: the same plan in either unit
    assert got[knee] != got[plain_kg]
    assert "@ " in got[history_kg] and "kg" in got[history_kg].split("@ ")[1].split("\n")[0]
    assert "@ " in got[history_lb] and "lb" in got[history_lb].split("@ ")[1].split("\n")[0]
    assert got[bands] != got[plain_kg] and "Barbell" not in got[bands]
    for chat in (knee, history_kg, bands):  # the reminder names what /today plans for them
        today = (await (people.get(chat) or ChatDriver(app.coach, user_id=chat)).send("/today"))[0].text
        for line in got[chat].split("\n"):
            if line.startswith("• "):
                name = re.match(r"(.+?) \d+ x ", line[2:])[1]
                assert f"• {name}: " in today, (line, today)


async def test_the_shared_text_is_what_each_person_would_get_alone(app, clock):
    """The postman reuses a plain workout reminder for everyone with the same PLAIN_FIELDS. Every
    program day, with each equipment, experience, unit and form note, is rendered for people who
    differ in everything else (zone, days, reminder time, quiet hours, place, an open question)
    and by the full path that reads their (empty) history: all the same."""
    chat = (await add_people(app, 0, 1, MONDAY_7))[0]
    library = app.coach.library
    variants = [
        {"equipment": equipment, "experience": experience, "units": units, "form_notes": notes}
        for equipment in ((), ("band",), ("dumbbell", "band"), ("barbell", "dumbbell", "machine", "band"))
        for experience in ("novice", "intermediate")
        for units in ("kg", "lb")
        for notes in ((), ("thrust_quads",))
    ]
    others = [
        {},
        {
            "timezone": "America/Los_Angeles",
            "weekdays": ("mon", "thu"),
            "reminder_time": "18:30",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
            "setting": "home",
            "pending": {"kind": "checkin", "report": 1},
        },
    ]
    checked = 0
    for program in library.programs.values():
        for day in range(len(program.days)):
            for variant in variants:
                texts = []
                for other in others:
                    async with app.store.unit_of_work() as uow:
                        user = await uow.users.get_or_create("test", chat, chat, "", MONDAY_7)
                        profile = await uow.profiles.get(user.id)
                        values = {**variant, **other, "program_id": program.id, "completed_sessions": day}
                        for name, value in values.items():
                            setattr(profile, name, value)
                        ctx = Context(uow, user, profile, MONDAY_7, library, Incoming("test", chat, chat, ""))
                        texts.append((await compose(ctx, "workout", MONDAY_7, plain=True))[0].text)
                        texts.append((await compose(ctx, "workout", MONDAY_7))[0].text)
                assert len(set(texts)) == 1, (program.id, day, variant, texts)
                checked += 1
    assert set(PLAIN_FIELDS) == {"program_id", "completed_sessions", *variants[0]}
    assert checked >= 100
