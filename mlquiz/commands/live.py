"""`mlquiz live ...`: peer instruction in a room from the command line.

    mlquiz live plan week2.yaml --db room.db   # validate a session plan and queue it in the room
    mlquiz live plan --db room.db              # the queued plan, asked and still to ask
    mlquiz live next --db room.db              # open the plan's next question
    mlquiz live open ml-technical-debt q-debt-meaning --timer 90s --db room.db
    mlquiz live close|histogram|pair|revote|reveal --db room.db
    mlquiz live status --db room.db            # the phase, votes out of present, the result
    mlquiz live vote B --confidence 2 --db room.db --learner ada   # a learner's vote, plainly

Exit 0 done, 1 the room's phase refused the action (the reason on one line),
2 bad usage or unreadable input.

A vote opened with --timer (or the plan's `vote_timer`) closes by itself at
zero: whichever process follows the room looks first after zero (a learner's
app, the console, any `mlquiz live` command) records the close, by "timer".
"""
from __future__ import annotations

from argparse import Namespace

from mlquiz.errors import MlquizError

INSTRUCTOR = "instructor"


def run(args: Namespace) -> int:
    from mlquiz.content import load_course
    from mlquiz.progress import ProgressStore
    from mlquiz.workshop.peer import PeerError
    from mlquiz.workshop.peer_room import RoomPolls

    course = load_course(args.course)
    from mlquiz.progress.location import is_missing_file

    if args.action != "plan" and is_missing_file(args.db):
        raise MlquizError(f"{args.db} is not a room's database yet; pass the --db that "
                          "`mlquiz serve` or the learners use", exit_code=2)
    if args.action == "plan" and args.check:
        if args.file is None:
            raise MlquizError("--check needs the plan FILE to check", exit_code=2)
        plan = _load_plan(args, course)
        print(f"{args.file}: {len(plan.polls)} questions, no problems")
        return 0
    timer = _timer(args)
    with ProgressStore.open(args.db) as store:
        polls = RoomPolls(store, course)
        by = args.learner or INSTRUCTOR
        try:
            closed_by_timer = polls.close_if_due()  # looking at the room closes a due vote
            if args.action == "plan":
                return _plan(args, store, polls, course)
            if args.action == "status":
                _print_status(polls)
                return 0
            if args.action == "vote":
                if not args.learner:
                    raise MlquizError("say who votes: --learner NAME (or MLQUIZ_LEARNER)",
                                      exit_code=2)
                poll = polls.vote(args.learner, args.option, confidence=args.confidence)
                print(f"{args.learner} voted {args.option.upper()} on {poll.item} "
                      f"(round {poll.round}); voting again replaces it")
                return 0
            if args.action == "open":
                polls.open(args.module, args.item, by=by,
                           timer=_plan_timer(store) if timer is False else timer)
            elif args.action == "next":
                _open_next(store, polls, by, timer)
            elif args.action == "close" and closed_by_timer is None:
                polls.close(by=by)
            elif args.action == "histogram":
                polls.show_histogram(not args.hide, by=by)
            elif args.action == "pair":
                polls.pair(by=by, minutes=_plan_setting(store, "discussion_minutes",
                                                        args.minutes))
            elif args.action == "revote":
                polls.revote(by=by)
            elif args.action == "reveal":
                polls.reveal(by=by)
        except PeerError as error:
            raise MlquizError(str(error), exit_code=1) from None
        _print_status(polls)
    return 0


def _timer(args: Namespace) -> int | None | bool:
    """--timer in seconds; None for 'off'; False when not given (the plan decides)."""
    from mlquiz.workshop.peer import PeerError, timer_seconds

    given = getattr(args, "timer", None)
    if given is None:
        return False
    try:
        return timer_seconds(given)
    except PeerError as error:
        raise MlquizError(f"--timer: {error}", exit_code=2) from None


def _load_plan(args: Namespace, course):
    from mlquiz.content import ContentError
    from mlquiz.workshop.peer_plan import load_plan

    try:
        return load_plan(args.file, course)
    except ContentError as error:  # the plan's problems, not the course's
        count = len(error.problems)
        raise MlquizError(f"{error}\nmlquiz: {args.file} has {count} problem"
                          f"{'s' * (count != 1)} (above); nothing was queued", exit_code=1) from None


def _plan(args: Namespace, store, polls, course) -> int:
    from mlquiz.workshop.peer import ROOM_LEARNER
    from mlquiz.workshop.peer_plan import PLAN_SETTING, Plan

    if args.file is not None:
        plan = _load_plan(args, course)
        store.set_setting(ROOM_LEARNER, PLAN_SETTING, plan.as_dict())
        print(f"{args.file}: {len(plan.polls)} questions, queued in {args.db}")
        return 0
    saved = store.setting(ROOM_LEARNER, PLAN_SETTING)
    if not saved:
        print(f"no plan is queued in {args.db}; write one (see `mlquiz live --help`) and run "
              "`mlquiz live plan FILE`")
        return 0
    plan = Plan.from_dict(saved)
    asked = {(p.module, p.item) for p in polls.refresh().polls}
    timer = f"{plan.vote_timer} s to vote" if plan.vote_timer else "no vote timer"
    print(f"{plan.title}: {len(plan.polls)} questions; thresholds {plan.low:.0%} / "
          f"{plan.high:.0%}; {timer}; {plan.discussion_minutes:g} minutes of discussion")
    for n, planned in enumerate(plan.polls, 1):
        mark = "asked" if (planned.module, planned.item) in asked else "to ask"
        print(f"  {n}. {planned.module} {planned.item} ({mark})")
    return 0


def _plan_setting(store, name: str, given):
    from mlquiz.workshop.peer import ROOM_LEARNER
    from mlquiz.workshop.peer_plan import PLAN_SETTING
    from mlquiz.workshop.peer_room import DISCUSSION_MINUTES

    if given is not None:
        return given
    return (store.setting(ROOM_LEARNER, PLAN_SETTING) or {}).get(name, DISCUSSION_MINUTES)


def _plan_timer(store) -> int | None:
    """The queued plan's vote timer (seconds), None without a plan or a timer."""
    from mlquiz.workshop.peer import ROOM_LEARNER
    from mlquiz.workshop.peer_plan import PLAN_SETTING, Plan

    saved = store.setting(ROOM_LEARNER, PLAN_SETTING)
    return Plan.from_dict(saved).vote_timer if saved else None


def _open_next(store, polls, by: str, timer: int | None | bool = False) -> None:
    from mlquiz.workshop.peer import ROOM_LEARNER, PeerError
    from mlquiz.workshop.peer_plan import PLAN_SETTING, Plan

    saved = store.setting(ROOM_LEARNER, PLAN_SETTING)
    if not saved:
        raise PeerError("no plan is queued; run `mlquiz live plan FILE` first")
    plan = Plan.from_dict(saved)
    asked = {(p.module, p.item) for p in polls.refresh().polls}
    planned = plan.next_after(asked)
    if planned is None:
        raise PeerError(f"every question of the plan has been asked ({len(plan.polls)})")
    polls.open(planned.module, planned.item, by=by, low=plan.low, high=plan.high,
               timer=plan.vote_timer if timer is False else timer)


def _print_status(polls) -> None:
    from mlquiz.content.summaries import summary
    from mlquiz.workshop.peer import (
        SUGGESTIONS, TIMER, countdown, histogram_lines, poll_result, sequence,
    )

    room = polls.refresh()
    poll = room.current
    if poll is None:
        print("no vote has been opened in this room yet")
        return
    present = polls.present()
    item = polls.item(poll)
    print(f"{poll.id} · {poll.module} · {poll.item} · {poll.phase}"
          f"{' (revote)' if poll.round == 2 else ''}")
    print(f"  {summary(item.prompt)}")
    print(f"  voted: {poll.voted()} of {len(present)} present")
    if poll.phase == "voting":
        if poll.vote_ends_at is not None:
            print(f"  time left: {countdown(poll.vote_ends_at, polls.clock())}; the vote "
                  "closes by itself at 0:00")
        return
    if poll.phase == "closed" and poll.closed_by == TIMER:
        print("  closed by the timer at 0:00")
    for round_ in (1, 2) if poll.round == 2 else (1,):
        label = "first vote" if round_ == 1 else "revote"
        share = poll.share_right(round_)
        print(f"  {label}: {'no votes' if share is None else f'{share:.0%} right'}")
        for line in histogram_lines(poll.counts(round_), answer=poll.answer, width=20):
            print(f"    {line}")
    suggested = poll.suggestion()
    if suggested and poll.round == 1:
        print(f"  suggestion: {suggested} — {SUGGESTIONS[suggested]}")
    if poll.phase == "revealed":
        print(f"  answer: {poll.answer} — {summary(item.choices[ord(poll.answer) - 65])}")
    if poll.groups:
        print("  groups: " + "; ".join(sequence(list(g)) for g in poll.groups))
    if poll.round == 2 and poll.phase != "voting":
        result = poll_result(poll)
        gain = "n/a (everyone was right)" if result.gain is None else f"{result.gain:.2f}"
        print(f"  normalised gain: {gain}; switches: "
              + ", ".join(f"{k} {v}" for k, v in result.switches.items()))


def add_parser(sub, common) -> None:
    """The `live` command and its actions (called by mlquiz.cli.build_parser)."""
    from pathlib import Path

    p = sub.add_parser("live", parents=[common],
                       help="peer instruction in a room: plan, open, close, pair, revote, reveal")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("plan", parents=[common], help="validate and queue a session plan, "
                           "or show the queued one")
    a.add_argument("file", nargs="?", type=Path, help="the plan (YAML); omit to show the queue")
    a.add_argument("--check", action="store_true", help="only validate the file")
    timer_help = ("close the vote by itself after this long: 90, 90s, 2m, 1m30s or 1:30; "
                  "off for none (default: the plan's vote_timer, else none)")
    a = actions.add_parser("next", parents=[common], help="open the plan's next question")
    a.add_argument("--timer", metavar="TIME", help=timer_help)
    a = actions.add_parser("open", parents=[common], help="open a vote on a question or prediction")
    a.add_argument("module", help="module id")
    a.add_argument("item", help="question id, or a step id (its prediction)")
    a.add_argument("--timer", metavar="TIME", help=timer_help)
    actions.add_parser("close", parents=[common], help="close the vote; show the share right")
    a = actions.add_parser("histogram", parents=[common], help="show the room's answers")
    a.add_argument("--hide", action="store_true", help="hide them again")
    a = actions.add_parser("pair", parents=[common],
                           help="pair learners who disagreed and start the discussion")
    a.add_argument("--minutes", type=float, help="discussion time (default: the plan's, or 2)")
    actions.add_parser("revote", parents=[common], help="open the second vote")
    actions.add_parser("reveal", parents=[common], help="show the answer and worked solution")
    actions.add_parser("status", parents=[common], help="the current vote and its result")
    a = actions.add_parser("vote", parents=[common], help="a learner's vote (--learner NAME)")
    a.add_argument("option", help="the letter you choose")
    a.add_argument("--confidence", type=int, choices=[1, 2, 3],
                   help="1 guessing, 2 fairly sure, 3 sure")
