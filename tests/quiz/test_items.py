from mlquiz.quiz.items import EVENT_KIND, catalogue

from .conftest import make_course, make_module, make_question, make_step


def test_catalogue_turns_every_kind_of_content_into_an_item():
    module = make_module(
        "m1", questions=(make_question("q1", answer="C"),),
        steps=(make_step("s1", prediction=True), make_step("s2")),
        myths=("myth-1",), cards=("card-1",), pitfalls=("pit-1",),
    )
    items = catalogue(make_course(module, make_module("m2", questions=(make_question("q2"),))))
    kinds = {i: items[i].kind for i in items}
    assert kinds == {"q1": "question", "myth-1": "myth", "s1": "prediction", "card-1": "card",
                     "pit-1": "pitfall", "q2": "question"}
    assert items["q2"].module == "m2"
    assert items["q1"].is_right("c") and not items["q1"].is_right("A")
    # a myth whose true answer is "no" is right on B (choices Yes, No)
    assert items["myth-1"].choices == ("Yes", "No") and items["myth-1"].is_right("B")
    assert items["s1"].is_right("A") and items["s1"].tags == ("s1",)
    assert items["card-1"].self_rated and items["card-1"].back == "Back card-1"
    assert items["pit-1"].context == "Wrong way pit-1" and items["pit-1"].right_choice == "cause b"
    assert {items[i].event_kind for i in items} == set(EVENT_KIND.values())
