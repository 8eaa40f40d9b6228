"""Index each search entry's one weighted vector on PostgreSQL: a GIN index on
``pressclub_search_document(title, body)``, that is ``title || body``.

Search matches a query against the headline (weight A) and the rest of the text (dek B, body D)
together, as one vector, so one GIN lookup per query lexeme answers it (search.backend). The
vector comes from a function declared with its true cost: reading an entry's two vectors (stored
out of line, TOAST) costs far more than the planner assumes for ``||`` and ``@@``, and without it
the planner reads every entry (a sequential scan) to count a word in a third of the stories instead
of asking the index.

Entries written before this migration store Devanagari and Bengali words without their bases
(search.wordforms.index_bases), so inflected forms find them only once their page is indexed
again: run ``manage.py update_index`` once after upgrading. Nothing is done on SQLite.
"""

from django.db import migrations

FUNCTION = "pressclub_search_document"
INDEX = "pressclub_search_document_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # plpgsql: an SQL function would be inlined into "title || body" and lose its cost.
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}(title tsvector, body tsvector) RETURNS tsvector "
        f"LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$ BEGIN RETURN title || body; END $$"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON wagtailsearch_indexentry USING gin ({FUNCTION}(title, body))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(tsvector, tsvector)")


class Migration(migrations.Migration):
    dependencies = [("pressclub_search", "0001_fts5_words_whole"), ("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
