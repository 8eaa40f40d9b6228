"""The import ledger: what an entry recorded is forgotten when its savepoint rolls back."""

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from pressclub.importers.blogger.ledger import ImportLedger
from pressclub.importers.blogger.report import ImportReport
from pressclub.importers.models import ImportedItem
from pressclub.people.models import Author


def test_a_rolled_back_entry_leaves_no_record(article):
    ledger = ImportLedger(report=ImportReport())
    ledger.load(site=Site.objects.get())
    author = Author.objects.create(name="Mina Rai")
    with ledger.entry():
        ledger.remember("author:Mina Rai", "author", author)
    forgotten = []

    with pytest.raises(RuntimeError), ledger.entry():
        ledger.remember("post-1", "post", article, fingerprint="f1", old_path="/2013/02/a.html")
        ledger.redirect("/2013/02/a.html", article)
        ledger.on_rollback(lambda: forgotten.append("label cache"))
        raise RuntimeError("disk full")

    assert set(ledger.mapping) == {"author:Mina Rai"}
    assert ledger.redirects == {}
    assert forgotten == ["label cache"]
    assert list(ImportedItem.objects.values_list("source_id", flat=True)) == ["author:Mina Rai"]
    assert Redirect.objects.count() == 0


def test_page_of_prefers_this_run_then_earlier_mappings(article):
    ledger = ImportLedger(report=ImportReport())
    ledger.load(site=Site.objects.get())
    with ledger.entry():
        ledger.remember("post-1", "post", article)
        ledger.remember("author:x", "author", Author.objects.create(name="x"))
    ledger.page_written("post-2", 4242)

    assert (ledger.page_of("post-1"), ledger.page_of("post-2")) == (article.pk, 4242)
    assert (ledger.page_of("author:x"), ledger.page_of("post-3")) == (None, None)
    ledger.skip("post-3", "bad time")
    assert ledger.report.skipped == [("post-3", "bad time")]
