"""Hidden tests: the customer-value pipeline must be pure and composable."""
import ast
import copy
import json

import pytest

from mlquiz.grading.judge import Remote, SubjectError

ORDERS = [
    {"order_id": "1", "customer": " Ana ", "amount": "120.00", "currency": "eur", "status": "paid"},
    {"order_id": "2", "customer": "Ben", "amount": "80.00", "currency": "USD", "status": "paid"},
    {"order_id": "3", "customer": "ana", "amount": "35.50", "currency": "EUR", "status": "refunded"},
    {"order_id": "4", "customer": "Cleo", "amount": "300.00", "currency": "gbp", "status": "paid"},
    {"order_id": "5", "customer": "dev ", "amount": "42.10", "currency": "usd", "status": "paid"},
    {"order_id": "6", "customer": "Ben", "amount": "19.99", "currency": "EUR", "status": "pending"},
    {"order_id": "7", "customer": "Eli", "amount": "64.00", "currency": "GBP", "status": "paid"},
    {"order_id": "8", "customer": "ANA", "amount": "15.25", "currency": "eur", "status": "paid"},
    {"order_id": "9", "customer": "Dev", "amount": "210.40", "currency": "USD", "status": "paid"},
    {"order_id": "10", "customer": "Fay", "amount": "9.90", "currency": "EUR", "status": "paid"},
    {"order_id": "11", "customer": " ben", "amount": "60.00", "currency": "gbp", "status": "paid"},
    {"order_id": "12", "customer": "Gus", "amount": "500.00", "currency": "USD", "status": "cancelled"},
]

# The report production printed before the clean-up.
GOLDEN = [
    {"customer": "cleo", "orders": 1, "total_eur": 345.0, "z": 1.761, "vip": True},
    {"customer": "dev", "orders": 2, "total_eur": 227.25, "z": 0.668, "vip": False},
    {"customer": "ben", "orders": 2, "total_eur": 141.0, "z": -0.133, "vip": False},
    {"customer": "ana", "orders": 2, "total_eur": 135.25, "z": -0.186, "vip": False},
    {"customer": "eli", "orders": 1, "total_eur": 73.6, "z": -0.759, "vip": False},
    {"customer": "fay", "orders": 1, "total_eur": 9.9, "z": -1.35, "vip": False},
]


@pytest.fixture
def pipeline(subject):
    """A freshly imported pipeline module, run in the check folder."""
    return subject.module("pipeline")


def new_files(subject, before):
    """Names that appeared in the check folder since `before` (a set of names)."""
    return sorted(set(subject.listdir()) - before)


def test_report_matches_golden_output(pipeline):
    report = pipeline.run_pipeline(copy.deepcopy(ORDERS))
    assert report == GOLDEN, (
        "run_pipeline(orders) no longer gives the report production had; "
        f"expected {GOLDEN}, got {report}"
    )


def test_no_files_are_written(subject, pipeline):
    before = set(subject.listdir())
    pipeline.run_pipeline(copy.deepcopy(ORDERS))
    created = new_files(subject, before)
    assert created == [], (
        f"run_pipeline wrote {created} into the working directory; "
        "pass data from step to step as return values, not through tmp files"
    )


def test_input_is_not_mutated(subject, pipeline):
    orders = subject.put(copy.deepcopy(ORDERS))
    pipeline.run_pipeline(orders)
    assert subject.get(orders) == ORDERS, (
        "run_pipeline changed the order dicts it was given (for example it "
        "stripped the customer names in place); build new rows instead"
    )


def test_two_runs_give_identical_reports(pipeline):
    first = pipeline.run_pipeline(copy.deepcopy(ORDERS))
    second = pipeline.run_pipeline(copy.deepcopy(ORDERS))
    assert second == first, (
        "running the pipeline twice in one process gave a different second report; "
        "some state (totals, stats) survives between runs in a global"
    )


def test_steps_compose(subject, pipeline):
    before = set(subject.listdir())
    steps = pipeline.STEPS if "STEPS" in subject.snapshot("pipeline") else None
    if steps is None:
        pytest.fail("pipeline.py must offer STEPS, the tuple of step functions run_pipeline applies in order")
    assert (type(steps) in (tuple, list) and len(steps) == 6
            and all(type(step) is Remote and subject.type_of(step) == "function" for step in steps)), (
        "STEPS must hold the six step functions, in order"
    )
    orders = subject.put(copy.deepcopy(ORDERS))
    try:
        paid_in_eur = pipeline.run_pipeline(orders, steps=steps[:3])
    except SubjectError as error:
        if not error.is_a("TypeError"):
            raise
        pytest.fail(f"run_pipeline(rows, steps=...) must accept the steps to run ({error.message})")
    assert subject.get(orders) == ORDERS, "running the first three steps changed the input rows"
    assert len(paid_in_eur) == 9 and all(row["status"] == "paid" for row in paid_in_eur), (
        "the first three steps (clean, keep paid, convert) should return the 9 paid orders"
    )
    first = paid_in_eur[0]
    assert first["customer"] == "ana" and first["amount_eur"] == pytest.approx(120.0), (
        "after the first three steps each order should carry a cleaned customer name "
        f"and its amount_eur; got {first}"
    )
    assert new_files(subject, before) == [], (
        "running only some of the steps still wrote files into the working directory"
    )


# --- every step on its own -------------------------------------------------------------------

STEP_NAMES = ("clean", "keep paid", "convert to EUR", "totals per customer", "z-scores", "report")


def steps_of(subject, pipeline):
    if "STEPS" not in subject.snapshot("pipeline"):
        pytest.fail("pipeline.py must offer STEPS, the tuple of step functions run_pipeline applies in order")
    steps = pipeline.STEPS
    if type(steps) not in (tuple, list) or len(steps) != 6 or not all(type(s) is Remote for s in steps):
        pytest.fail("STEPS must hold the six step functions, in order")
    return steps


NAMES_OF_STEPS = """
import json
import pipeline
print(json.dumps([getattr(step, "__name__", "?") for step in pipeline.STEPS]))
"""


def names_of_steps(subject):
    """The function names in STEPS, read by a small script run in the sandbox."""
    done = subject.run(["python", "-c", NAMES_OF_STEPS], timeout=5)
    if done.returncode != 0:
        pytest.fail(f"importing pipeline.py and reading STEPS failed: {done.stderr[-400:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def step_inputs(pipeline, steps):
    """What each step receives in a real run: the orders after the steps before it."""
    return [pipeline.run_pipeline(copy.deepcopy(ORDERS), steps=steps[:index]) for index in range(6)]


def changed_globals(before, after):
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def test_every_step_leaves_its_input_and_the_module_alone(subject, pipeline):
    steps = steps_of(subject, pipeline)
    names = names_of_steps(subject)
    for index, (step, rows) in enumerate(zip(steps, step_inputs(pipeline, steps))):
        name = f"step {index + 1} ({STEP_NAMES[index]}, {names[index]}())"
        given = subject.put(copy.deepcopy(rows))
        before = subject.snapshot("pipeline")
        first = step(given)
        assert subject.get(given) == rows, (
            f"{name} changed the rows it was given. Copying the rows once in run_pipeline does not "
            "make the steps pure: each step must build new rows and leave its input as it was"
        )
        changed = changed_globals(before, subject.snapshot("pipeline"))
        assert not changed, (
            f"{name} changed the module's globals {changed}. A step should only return its result; "
            "state kept in globals between calls is what made a second run count orders twice"
        )
        second = step(given)
        assert second == first, (
            f"calling {name} twice on the same rows gave two different results; a pure step gives "
            "the same answer every time it sees the same input"
        )


def test_a_run_leaves_the_module_as_it_found_it(subject, pipeline):
    before = subject.snapshot("pipeline")
    pipeline.run_pipeline(copy.deepcopy(ORDERS))
    changed = changed_globals(before, subject.snapshot("pipeline"))
    assert not changed, (
        f"after run_pipeline the module's globals {changed} are not what they were before. Keep "
        "totals and stats in local variables and return them (emptying the globals at the start of "
        "each run only hides the state)"
    )


# --- the glue to statlib ---------------------------------------------------------------------

def statlib_users(source):
    """{place: first line} for every function (or 'module level') that touches statlib."""
    tree = ast.parse(source, filename="pipeline.py")
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {alias.asname or alias.name for alias in node.names if alias.name == "statlib"}
        elif isinstance(node, ast.ImportFrom) and node.module == "statlib":
            aliases |= {alias.asname or alias.name for alias in node.names}
    users = {}

    def visit(node, place):
        if (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
                and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__"):
            return  # the demo
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            place = node.name
        if isinstance(node, ast.Name) and node.id in aliases:
            users.setdefault(place, node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, place)

    visit(tree, "module level")
    return users


def test_the_glue_to_statlib_is_one_adapter(subject, pipeline):
    steps_of(subject, pipeline)
    try:
        users = statlib_users(subject.source("pipeline.py"))
    except SyntaxError as error:
        pytest.fail(f"pipeline.py does not parse: {error}")
    step_names = set(names_of_steps(subject))
    in_steps = sorted(place for place in users if place in step_names)
    assert not in_steps, (
        f"the step {', '.join(in_steps)} calls statlib itself. Put the glue (turning rows into "
        "statlib's column tables and back) in one small adapter function, for instance z-scores of "
        "a list of numbers, and let the step call that"
    )
    assert len(users) <= 1, (
        f"statlib is used in {len(users)} places ({', '.join(sorted(users))}); keep all the glue to "
        "it in one adapter, so changing the library means changing one function"
    )
