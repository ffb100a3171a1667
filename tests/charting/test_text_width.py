"""Text measured for its room in every language: a Korean character takes about two Latin
characters' room (theme.text_units), lines wrap by it, map labels are measured by it, and
images with Korean in them are set in the Korean fonts (charting/theme.py, geo.py, render.py)."""
from __future__ import annotations

import textwrap

import pytest

from charting import geo, plotting, render, theme
from dataset.errors import ChartError

ENGLISH = [
    "Flour sales grew far faster than Russia's farm exports as a whole",
    "Undernourished, share of all people: ~41.2% (our calculation)",
    "Khasan–Tumangang rail bridge over the Tumen River, well-known",
]


def test_a_korean_character_counts_as_two():
    assert theme.text_units("Novokuznetsk") == len("Novokuznetsk")
    assert theme.text_units("북한") == 4
    assert theme.text_units("북한 2025년") == 2 * 2 + 1 + 4 + 2
    assert theme.text_units("Северная Корея") == len("Северная Корея")


@pytest.mark.parametrize("text", ENGLISH)
@pytest.mark.parametrize("width", [8, 18, 34, 60])
def test_english_wraps_as_textwrap_wraps_it(text, width):
    assert theme.wrap(text, width) == textwrap.wrap(text, width)
    assert theme.wrap(text, width, break_on_hyphens=False, break_long_words=False) == textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)


@pytest.mark.parametrize("width", [10, 18, 34])
def test_korean_wraps_at_spaces_by_its_width(width):
    text = "밀가루 판매는 러시아의 농산물 수출 전체보다 훨씬 빠르게 늘었다 (2025년 1~7월)"
    lines = theme.wrap(text, width)
    assert " ".join(lines) == text
    assert all(theme.text_units(line) <= width for line in lines)
    # Half as many characters to a line as English would take, near enough.
    assert len(lines) > len(textwrap.wrap(text, width))


def test_bar_labels_get_room_for_korean():
    assert plotting.label_room(["~$6.5m"], 300) == pytest.approx((6 * theme.CHAR_WIDTH + 12) / 300)
    assert plotting.label_room(["650만 달러"], 300) == pytest.approx((10 * theme.CHAR_WIDTH + 12) / 300)
    assert plotting.wrap("러시아 농산물 수출 전체", 10) == "러시아\n농산물\n수출 전체"


def test_map_labels_measure_hangul_and_cyrillic_near_what_chromium_draws():
    # Widths Chromium measured (Noto Sans CJK KR for Hangul, Liberation Sans for Cyrillic):
    # the estimate may err wide, never narrow by more than a pixel or two.
    for text, size, bold, measured in [("가나다라마바사아자차카타파하", 13, False, 167.4), ("북한 러시아 두만강 철교", 13, False, 130.4), ("Ленинградская область", 13, False, 142.7), ("Пхеньян", 13, True, 54.8), ("Нампхо", 13, True, 48.9)]:
        assert measured - 2 <= geo.text_width(text, size, bold) <= measured * 1.1, text


def test_a_label_with_no_room_on_one_line_is_tried_on_two():
    one_line = geo.text_width("Leningrad region", 12)
    label = geo.Label("a", "Leningrad region", 40, 30, 12)
    placed = geo.place_labels([label], [], one_line - 10, 60, "small map")
    assert placed["a"].label.text == "Leningrad\nregion"
    # A label that fits keeps its line, and a word alone still stops the build.
    assert geo.place_labels([label], [], 200, 60, "small map")["a"].label == label
    with pytest.raises(ChartError, match="no room for the label 'Novokuznetsk'"):
        geo.place_labels([geo.Label("b", "Novokuznetsk", 20, 10, 13, 5)], [], 60, 24, "small map")


def test_two_lines_breaks_at_the_most_even_space():
    assert geo.two_lines("Hasan–Rajin railway") == "Hasan–Rajin\nrailway"
    assert geo.two_lines("Железная дорога Хасан–Раджин") == "Железная дорога\nХасан–Раджин"
    assert geo.two_lines("Novokuznetsk") == "Novokuznetsk"


def test_scale_bar_says_its_length_in_the_maps_words():
    projection = geo.fit([(84.98, 56.5), (130.28, 42.26)], 500, 300, (40.0, 60.0), padding=20)
    english, russian = geo.scale_bar(projection), geo.scale_bar(projection, words=lambda km: f"{km:,} км".replace(",", "\u00a0"))
    assert russian.kilometres == english.kilometres and russian.text.endswith(" км")
    assert english.text == f"{english.kilometres:,} km"


def test_images_with_korean_name_the_korean_fonts_first():
    drawing = f'<svg><text font-family="{theme.FONT.replace(chr(34), "&quot;")}">Wheat flour</text></svg>'
    assert render.drawing_font(drawing, "Flour sales grew") == (theme.FONT, drawing)
    font, korean = render.drawing_font(drawing, "밀가루 판매")
    assert font == theme.WIDE_TEXT_FONT and "&quot;Noto Sans CJK KR&quot;, &quot;Noto Sans KR&quot;, Arial" in korean
    # The Korean edition's charts are set in those fonts; English and Russian keep the house font.
    assert theme.font("ko") == theme.WIDE_TEXT_FONT and theme.font("ru") == theme.font("en") == theme.FONT


def test_download_headlines_wrap_korean_by_its_width():
    english = "Flour sales grew far faster than Russia's farm exports as a whole"
    assert render.standalone_title(english, "")["text"] == textwrap.wrap(english, theme.TITLE_WRAP)
    korean = "밀가루 판매는 러시아 농산물 수출 전체보다 훨씬 빠르게 늘었다, 2024년과 2025년 1~7월"
    lines = render.standalone_title(korean, "")["text"]
    assert len(lines) == 2 and all(theme.text_units(line) <= theme.TITLE_WRAP for line in lines)
