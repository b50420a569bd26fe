import pytest

from kb_tools.numerals import article_label, cn_to_int, cn_to_number, int_to_cn, parse_article_label


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21), ("一百", 100),
        ("一百零三", 103), ("一百一十", 110), ("一百二十", 120), ("二百零五", 205),
        ("一千零一", 1001), ("一千二百六十", 1260), ("两百", 200), ("64", 64), ("６４", 64),
        ("二〇一九", 2019), ("一万零一", 10001),
    ],
)
def test_cn_to_int(text, number):
    assert cn_to_int(text) == number


@pytest.mark.parametrize("number", [*range(0, 1300), 10000, 10001, 12345])
def test_round_trip(number):
    assert cn_to_int(int_to_cn(number)) == number


@pytest.mark.parametrize(
    ("number", "text"), [(10, "十"), (12, "十二"), (103, "一百零三"), (110, "一百一十"), (1001, "一千零一")]
)
def test_int_to_cn_statute_form(number, text):
    assert int_to_cn(number) == text


@pytest.mark.parametrize("bad", ["", "abc", "第十", "十x"])
def test_cn_to_int_rejects(bad):
    with pytest.raises(ValueError):
        cn_to_int(bad)


@pytest.mark.parametrize(
    ("label", "key"),
    [("第八条", (8, 0)), ("第十条之一", (10, 1)), ("第64条", (64, 0)), ("第一百零三条 本法", (103, 0))],
)
def test_parse_article_label(label, key):
    assert parse_article_label(label) == key


def test_article_label():
    assert article_label(10, 1) == "第十条之一"
    assert article_label(64) == "第六十四条"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("二十万", 200000), ("一百万", 1000000), ("十", 10), ("1000", 1000), ("0.5", 0.5),
        ("零点五", 0.5), ("２.５", 2.5), ("一点二五", 1.25), ("10.0", 10), ("五千", 5000),
    ],
)
def test_cn_to_number(text, number):
    value = cn_to_number(text)
    assert value == number
    assert isinstance(value, type(number))


@pytest.mark.parametrize("bad", ["", "点五", "一.", "1.x", "abc"])
def test_cn_to_number_rejects(bad):
    with pytest.raises(ValueError):
        cn_to_number(bad)
