"""Admin listings that stay usable on a phone: stacked rows, with each cell's label shown before it.

Wagtail's listings are wide tables; at 360 px their row buttons (Approve, Decline, Spam …) fell
off-screen. A view that sets ``table_classname = STACKED_LISTING`` gets ``core/css/admin_listings.css``:
under 50em each row becomes a block, each cell a line. The column headings are hidden then, so
cells whose meaning is not self-evident use :class:`LabelledColumn`, which names itself in a
``data-label`` attribute that the stylesheet shows before the value.
"""

from wagtail.admin.ui.tables import Column

STACKED_LISTING = "listing stacked-listing"


class LabelledColumn(Column):
    """A column whose cells carry ``data-label="<column label>"`` and hold nothing at all when the value
    is empty (not even spaces), so a phone's stacked row hides them instead of showing a bare label."""

    cell_template_name = "core/admin/labelled_cell.html"
