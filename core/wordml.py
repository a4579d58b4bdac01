"""WordprocessingML that python-docx has no API for, written the way Word reads it: elements in
the schema's order, fonts named in every slot (python-docx's `font.name` sets only the Latin one,
and Chinese text takes its face from the East Asian slot), indents in characters, fields, rules."""

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from lxml import etree

# What may follow an element in a run's properties, and in a paragraph's (the schema's order).
AFTER = {
    "w:spacing": ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                  "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout"),
    "w:pBdr": ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:outlineLvl", "w:rPr", "w:sectPr", "w:pPrChange"),
    "w:snapToGrid": ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                     "w:textDirection", "w:textAlignment", "w:outlineLvl", "w:rPr", "w:sectPr", "w:pPrChange"),
}  # fmt: skip


def element(tag: str, **attributes):
    """A w: element with w: attributes: element("w:spacing", val=-5)."""
    made = OxmlElement(tag)
    for name, value in attributes.items():
        made.set(qn(f"w:{name}"), str(value))
    return made


def put(parent, child):
    """Insert `child` before the elements the schema puts after it (Word refuses them out of order)."""
    tag = child.tag.replace(f"{{{child.nsmap['w']}}}", "w:")
    parent.insert_element_before(child, *AFTER[tag])
    return child


def set_fonts(owner, east_asia: str, latin: str) -> None:
    """Name the faces of a run, a style or docDefaults' rPrDefault in every slot. Theme fonts are
    removed, or they would win over the names."""
    if hasattr(owner, "get_or_add_rPr"):
        fonts = owner.get_or_add_rPr().get_or_add_rFonts()
    else:  # rPrDefault: a plain element whose rPr has its rFonts already
        fonts = owner.find(qn("w:rPr")).find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def indent(paragraph_format, char: Emu, *, first=None, left=None, right=None) -> None:
    """Indents in characters (w:firstLineChars…, which Word and LibreOffice size by the text), with
    the same in points (`char` a character) for readers that ignore them. None leaves an indent as
    the style has it; 0 sets none."""
    ind = paragraph_format.element.get_or_add_pPr().get_or_add_ind()
    for chars, attribute, points in (
        (first, "w:firstLineChars", "first_line_indent"),
        (left, "w:leftChars", "left_indent"),
        (right, "w:rightChars", "right_indent"),
    ):
        if chars is not None:
            setattr(paragraph_format, points, Emu(round(char * chars)))
            ind.set(qn(attribute), str(round(chars * 100)))


def field(paragraph, instruction: str, shown: str) -> list:
    """A field (PAGE…) as Word writes it, with a cached result for readers that do not update
    fields; returns its runs (to name their fonts)."""
    runs = []
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        elif kind == "text":
            run.text = shown
        else:
            run._r.append(element("w:fldChar", fldCharType=kind))
        runs.append(run)
    return runs


def bottom_rule(paragraph, color: str, eighths: int, space: int) -> None:
    """A horizontal rule under the paragraph (its bottom border): `eighths` of a point thick,
    `space` points below the text."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = put(ppr, OxmlElement("w:pBdr"))
    borders.append(element("w:bottom", val="single", sz=eighths, space=space, color=color))


def no_grid_snap(paragraph_format) -> None:
    """Let a paragraph keep its own line height instead of the document grid's."""
    put(paragraph_format.element.get_or_add_pPr(), element("w:snapToGrid", val=0))


def tracking(style, twips: int) -> None:
    """Draw a style's characters `twips` (1/20 pt) closer (negative) or further apart."""
    put(style.element.get_or_add_rPr(), element("w:spacing", val=twips))


def declare_fonts(document, fonts: dict, charset: str) -> None:
    """Declare faces in the font table, {name: (alternative name, panose, family)}, so that Word
    on a machine without one substitutes its alternative, or a face of that kind and charset."""
    part = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for name, (alternative, panose, family) in fonts.items():
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        for tag, value in (("altName", alternative), ("panose1", panose), ("charset", charset), ("family", family)):
            etree.SubElement(font, qn(f"w:{tag}"), {qn("w:val"): value})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
