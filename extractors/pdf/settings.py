"""Every tolerance of the PDF reader in one frozen object, in the style of pdfplumber's ``TableSettings``.

Lengths are in points unless the name says ``_em`` or the comment says "× size" (a share of the font
size); shares are fractions. ``SETTINGS`` is the one instance the reader uses; ``extract_pdf`` still
takes ``time_limit`` and ``max_pages`` per call.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PdfSettings:
    """The PDF reader's tolerances (see the module's docstring for units)."""

    # Cost bounds.
    max_pages: int = 2000  # pages beyond this are not read (status partial)
    time_limit: float = 45.0  # seconds per document; checked between pages (status partial)
    ocr_dpi: int = 300  # Tesseract's models are trained on ~300 dpi text; less loses small print
    ocr_psm: int = 3  # Tesseract page segmentation: 3 = automatic layout (columns, headings; as good as
    #                   6 = one uniform block on plan pages, and it keeps columns apart)
    ocr_budget: float = 30.0  # seconds of OCR per document; image-only pages left after it are recorded
    ocr_workers: int = 2  # Tesseract subprocesses at once (capped by the cores; $PLANSCOPE_OCR_WORKERS)
    ocr_text_layer_share: float = 0.5  # more of the pages than this carry text: the document has a text
    #                                    layer, and its image-only pages (maps, photos) get no OCR

    # Glyphs and words (pdfplumber's extract_words, and the pdfium path that imitates it).
    x_tolerance: float = 3.0  # pdfplumber extract_words: a wider gap between glyphs starts a new word
    y_tolerance: float = 3.0  # ... and a glyph whose top is this far off starts a new line
    page_margin: float = 1.0  # a glyph whose middle lies this far outside the page box still counts
    dedupe_tol: float = 1.0  # overprinted copies (shadow, fake bold) stand within this of the original
    skew_deg: float = 5.0  # text within this angle of a right angle is read at that angle
    min_chars_per_page: int = 20  # fewer characters on a page with images → scanned
    cid_unreadable: float = 0.3  # share of the text made of (cid:N) placeholders that makes it unreadable
    word_gap_em: float = 0.15  # a wider gap between two glyphs is a word space even without a space glyph:
    #                            kerning never opens a letter pair that far, while tightly set words sit
    #                            ~0.2 em apart (and pdfium starts generating a space from ~0.14 em)
    glue_gap_em: float = 0.1  # two words closer than this are one word cut by a font change
    space_lookahead: int = 8  # glyphs (in content order) searched between two fragments for a space glyph

    # Letter-spaced and small-caps text.
    letter_spaced_fragment: int = 3  # a fragment this short (characters) may be spaced-out letters
    letter_spaced_min_words: int = 3  # ... counted in segments of at least this many words
    letter_spaced_short: float = 0.6  # share of such fragments that makes a line look letter-spaced
    letter_spaced_all_short: float = 0.8  # ... or this share without two single letters side by side
    letter_spaced_near_em: float = 0.6  # two fragments closer than this may belong to one letter-spaced word
    letter_spaced_word: float = 2.0  # in a letter-spaced line a word gap is at least this × the letter gap
    overlap_break_em: float = -0.5  # glyphs of two fragments overlapping more than this start a new piece
    small_caps_ratio: float = 1.08  # an initial this much larger than the letters after it is a small-caps initial

    # Rows and segments.
    row_baseline_tol: float = 0.3  # × size: words whose bottoms differ less sit on one row
    row_baseline_min: float = 1.5  # ... and never less than this
    row_lookback: int = 6  # rows back a word may join (rows are sorted by baseline)
    segment_gap: float = 2.0  # × size: a wider horizontal gap splits a row into segments (columns)
    marker_gap: float = 6.0  # × size: a list marker keeps its text up to this far
    bullet_reach: float = 6.0  # × size: a lone bullet glyph this far left of a line's start is its marker
    bullet_overlap: float = 0.5  # ... when their boxes share this much of the smaller height
    bullet_rows: int = 3  # rows above and below searched for the line a lone marker belongs to
    bullet_slack: float = 0.5  # a marker's text may start this far inside the marker's box
    number_column_gap: float = 1.0  # × size: an outline number this far left of its text stands in a column
    number_min_ratio: float = 0.85  # × text size: a smaller number is a superscript or subscript
    number_reach: float = 6.0  # × size: ... up to this far (further, it belongs to a table column)
    column_align_tol: float = 0.3  # × size: runs of text starting this close in x stand in one column
    big_numeral_ratio: float = 1.6  # × body size: a standalone number this large is an item number

    # Decorative titles printed one letter per line.
    vertical_chain_min: int = 4  # one-letter lines stacked this many times are decorative
    vertical_chain_letters: int = 3  # ... with at least this many letters (not figures)
    vertical_lonely_gap: float = 2.5  # × size: a letter with no word this close on its row stands alone
    vertical_dx: float = 0.6  # × size: stacked letters are centred this close
    vertical_dy_min: float = 0.5  # × size: ... one below the other, this far at least
    vertical_dy_max: float = 2.2  # × size: ... and this far at most

    # Blocks.
    para_gap: float = 0.9  # × size: a wider vertical gap between lines starts a new block
    para_overlap: float = 0.4  # × size: a line may rise this far into the one above and still follow it
    same_size: float = 0.6  # points: sizes closer than this are one style
    hanging_indent: float = 0.4  # × size: a list item's wrapped line is indented this much
    first_line_indent: float = 1.2  # × size: a line indented this much after a finished sentence opens a paragraph
    indent_slack: float = 2.0  # points a paragraph's line may run past the block's right edge
    block_lookback: int = 12  # blocks back a line may join
    body_size_step: float = 0.5  # body text size measured to this step
    default_body_size: float = 10.0  # body size of a page without text

    # Headings.
    heading_size_ratio: float = 1.15  # a block this much larger than body text is a heading
    heading_max_chars: int = 200
    heading_long_factor: float = 1.5  # a large-type block may be this × heading_max_chars
    heading_min_size: float = 0.95  # × body: a bold or coloured heading is at least body size
    colour_heading_lines: int = 2  # a coloured heading has at most this many lines
    numbered_heading_chars: int = 120  # a plain "1.2 Titre" line longer than this is text
    colour_distance: float = 0.15  # colour channels further apart than this are another ink
    max_heading_level: int = 6

    # Big numerals and section letters beside a title.
    numeral_reach_size: float = 3.0  # × numeral size: the title starts within this ...
    numeral_reach_width: float = 4.0  # ... or this × the numeral's width
    numeral_slack: float = 2.0  # points the title may start left of the numeral's right edge
    letter_title_lines: int = 2  # a lettered section's title: at most this many lines ...
    letter_title_words: int = 2  # ... at least this many words ...
    letter_title_chars: int = 120  # ... and at most this many characters

    # Reading order.
    min_gutter: float = 8.0  # a column gutter is at least this wide
    column_min_width: float = 0.2  # × page width: each side of a column cut holds text this wide
    band_slack: float = 0.5  # items overlapping less than this are in separate bands
    column_edge_tolerance: float = 6.0  # a row on a column's left edge (within this) goes on that column
    column_line_gap: float = 12.0  # ... when it starts at most a line (or its own height) below it

    # Running headers/footers and contents pages.
    furniture_band: float = 0.1  # top/bottom share of the page where running headers/footers live
    furniture_min_pages: int = 3
    furniture_share: float = 0.4  # share of pages a running header must appear on
    furniture_min_repeat: int = 2  # ... and at least this many pages
    max_running_context: int = 4  # running headers kept as publisher context (title, body, period)
    toc_min_lines: int = 3
    toc_page_share: float = 0.5

    # Ruled tables (pdfplumber's TableFinder): a table worth keeping.
    table_min_rows: int = 2
    table_min_cols: int = 2
    table_min_filled: int = 3  # non-empty cells, over at least two rows and two columns
    table_near: float = 2.0  # points around a candidate table whose words are read for it (pdfium path)
    edge_tol: float = 1.0  # points a word may overhang its table cell and still be read as a whole

    # Tables printed without a grid: a header row of short texts above text aligned on its columns.
    aligned_header_chars: int = 40  # a column header is short ...
    aligned_header_words: int = 4  # ... and has few words
    align_tol: float = 1.5  # × header size: a cell's text may start this far left of its column header
    aligned_max_size: float = 1.3  # × header size: larger text below ends the table
    cell_line_gap: float = 0.6  # × size: wrapped lines of one cell are closer than this
    table_end_gap: float = 4.0  # × size: a vertical gap this wide below the last row ends the table
    row_top_tol: float = 0.5  # × size: cells whose first lines' tops differ less start the same row
    cell_max_lines: int = 5  # more lines in one cell: columns of running text, not a table
    aligned_min_rows: int = 2
    aligned_share: float = 0.8  # share of a column's lines that start on the column's start
    aligned_min_columns: int = 3  # two aligned columns are as often a label/value list or cards side by side
    aligned_slack: float = 1.0  # points a word may run into the next column, or a ruled fragment lie outside

    # Bookmarks.
    outline_max_entries: int = 5000
    outline_max_text: int = 300  # a longer block is never a bookmarked heading
    outline_prefix_min: int = 4  # an entry this long may be the start of a block's text ...
    outline_prefix_extra: int = 12  # ... that runs at most this much longer
    outline_partial_min: int = 8  # a block this long may be the start of an entry ...
    outline_partial_share: float = 0.6  # ... covering this share of it
    outline_page_slack: int = 1  # pages an entry may point away from its heading

    # pdfium geometry.
    form_depth: int = 8  # nested form XObjects walked
    point_digits: int = 3  # path points rounded so float32 does not slant a rule
    point_eps: float = 1e-3  # path points this close are one point
    box_eps: float = 0.01  # page boxes this close are equal
    pdfium_reopen_pages: int = 50  # the pdfium document is reopened after this many pages (its caches grow)


SETTINGS = PdfSettings()
