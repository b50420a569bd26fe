"""How regulations are named and looked up: the lookup form of a title and the page name.

Pure string functions, used by the corpus (name lookups), the citation resolver and importers.
"""

from __future__ import annotations

_PREFIX = "中华人民共和国"
_INNER_MARKS = str.maketrans("〈〉<>＜＞", "《》《》《》")


def normalise_title(name: str) -> str:
    """The lookup form of a title: no outer 《》, no 中华人民共和国 prefix, no spaces.

    A title inside a title is written 〈…〉, <…> or 《…》 depending on who typed it; all
    three spellings look up the same regulation.

    >>> normalise_title("《中华人民共和国建筑法》")
    '建筑法'
    >>> normalise_title("浙江省实施〈中华人民共和国人民防空法〉办法")
    '浙江省实施《中华人民共和国人民防空法》办法'
    """
    name = name.strip().strip("《》〈〉<> \u3000")
    name = name.replace(" ", "").replace("\u3000", "").translate(_INNER_MARKS)
    if name.startswith(_PREFIX) and len(name) > len(_PREFIX):
        name = name[len(_PREFIX):]
    return name.replace("（", "(").replace("）", ")")


def slug_for_title(title: str) -> str:
    """The page name of a regulation: its title without 中华人民共和国 and punctuation.

    >>> slug_for_title("中华人民共和国建筑法")
    '建筑法'
    >>> slug_for_title("最高人民法院关于适用《中华人民共和国行政诉讼法》的解释")
    '最高人民法院关于适用行政诉讼法的解释'
    """
    slug = title.replace(_PREFIX, "") if title != _PREFIX else title
    for ch in "《》〈〉<>\"'“”‘’/\\?？#%:：*|（）() \u3000,，、":
        slug = slug.replace(ch, "")
    return slug or title
