"""Recreate Wagtail's FTS5 table on SQLite so that Indic words stay whole, and refill it.

FTS5's default ``unicode61`` tokenizer counts only letters and digits as parts of a word, so the
vowel signs, virama and anusvara of Devanagari and Bengali split words: "प्रेस" (press) was
indexed as "प", "र", "स" and matched "प्रिंस" (prince). The new table keeps combining marks in words
(``categories 'L* N* Co M*'``, SQLite's own documented setting for this), stems English words
(``porter``, as PostgreSQL's ``english`` configuration does) and gains a ``boosted`` column: the
part of an index entry's body before U+001E, where pressclub's indexer writes fields with a boost
(the dek), so that search can weigh them between the headline and the rest (search.backend).

The table is refilled from ``wagtailsearch_indexentry`` (the source of truth, which keeps every
entry's text). Entries written before this migration have no boosted part until their page is
indexed again: run ``manage.py update_index`` once after upgrading to rank deks above bodies.
Nothing is done on PostgreSQL, or on SQLite without FTS5.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
FTS = f"{TABLE}_fts"
# The part of the body before U+001E, or "" when it has none.
BOOSTED = "CASE WHEN instr({row}.body, char(30)) > 0 THEN substr({row}.body, 1, instr({row}.body, char(30)) - 1) ELSE '' END"
TRIGGERS = ("insert_wagtailsearch_indexentry_fts", "update_wagtailsearch_indexentry_fts",
            "delete_wagtailsearch_indexentry_fts")


def _rebuild(schema_editor, tokenize: str, boosted: bool):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS])
        if cursor.fetchone() is None:  # no FTS5: Wagtail searches without it
            return
        for trigger in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        cursor.execute(f"DROP TABLE {FTS}")
        columns = "autocomplete, body, title" + (", boosted" if boosted else "")
        cursor.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5({columns}{tokenize})")

        def values(row):
            extra = ", " + BOOSTED.format(row=row) if boosted else ""
            return f"{row}.id, {row}.autocomplete, {row}.body, {row}.title{extra}"

        cursor.execute(f"INSERT INTO {FTS}(rowid, {columns}) SELECT {values(TABLE)} FROM {TABLE}")
        cursor.execute(
            f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {TABLE} BEGIN "
            f"INSERT INTO {FTS}(rowid, {columns}) VALUES ({values('NEW')}); END"
        )
        sets = "title = NEW.title, body = NEW.body, autocomplete = NEW.autocomplete"
        if boosted:
            sets += ", boosted = " + BOOSTED.format(row="NEW")
        cursor.execute(
            f"CREATE TRIGGER {TRIGGERS[1]} AFTER UPDATE ON {TABLE} BEGIN "
            f"UPDATE {FTS} SET {sets} WHERE rowid = NEW.id; END"
        )
        cursor.execute(
            f"CREATE TRIGGER {TRIGGERS[2]} AFTER DELETE ON {TABLE} BEGIN "
            f"DELETE FROM {FTS} WHERE rowid = OLD.id; END"
        )


def words_whole(apps, schema_editor):
    _rebuild(schema_editor, ", tokenize = \"porter unicode61 categories 'L* N* Co M*'\"", boosted=True)


def words_split(apps, schema_editor):
    """Go back to Wagtail's own table (default tokenizer, three columns)."""
    _rebuild(schema_editor, "", boosted=False)


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(words_whole, words_split, elidable=False)]
