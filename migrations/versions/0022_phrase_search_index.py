"""PostgreSQL finds a phrase in its index: each study's words in pairs, as search_phrases

A phrase ("care at home", 'care' <2> 'home') is one tsquery to PostgreSQL, but its GIN index
knows only which words a study has, not where: it hands over every study with the words, and
each one's vector is read again for the phrase. At 100,000 studies "care" and "home" are
together in 21,624 of them and the phrase in none: a search for it read them all (300 ms), or,
as the planner took the phrase for as common as its words together, walked the whole table
newest first looking for 200 matches (0.9 to 1.8 s). SQLite's FTS5 keeps the words' places and
answers a phrase in a few ms.

``search_phrases`` is a tsvector column computed from ``search_vector``: its lexemes, without
their places, and every two of its lexemes one or two places apart, as one lexeme naming both
and the distance ('care 2 home' for "care at home", "care for home" or "care nursing home":
what 'care' <2> 'home' matches; no lexeme of a text holds a space). A GIN index holds it, and
its statistics keep more lexemes than the default (the pairs are many, and a pair they do not
hold is taken for as common as the rarest they do). ``search_phrase_query`` makes a phrase the
lexemes of its pairs (and of any word in no pair), which every study with the phrase has:
board/search.py lists the studies by them, then checks search_vector as before, so the same
studies match.

SQLite has no such column: its phrase search is unchanged.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-27 20:30:00

"""

from alembic import op

# Every name in the SQL below is a constant of this module: nothing comes from outside.
# ruff: noqa: S608

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

PHRASE_COLUMN = "search_phrases"
PHRASE_INDEX = "ix_case_studies_search_phrases"
# The farthest apart two lexemes of a pair are: "care at home" is 'care' <2> 'home'.
FARTHEST = 2
STATISTICS = 1000

# In PL/pgSQL, whose statements are planned once a connection: the words of a search are
# written into its SQL (board/search.py), so the planner runs search_phrase_query for each
# phrase of each search, and as SQL functions they had cost 10 to 15 ms of planning a search.
FUNCTIONS = {
    # Each two lexemes of a document at most FARTHEST places apart, as 'first distance second'.
    "search_phrase_pairs(document tsvector)": f"""
        RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        BEGIN
            RETURN ARRAY(
                WITH placed AS (
                    SELECT entry.lexeme, place
                    FROM unnest(document) AS entry, unnest(entry.positions) AS place
                )
                SELECT first.lexeme || ' ' || distance || ' ' || second.lexeme
                FROM placed AS first
                CROSS JOIN generate_series(1, {FARTHEST}) AS distance
                JOIN placed AS second ON second.place = first.place + distance
            );
        END
        $$""",
    # search_phrases: the lexemes, without places, and the pairs.
    "search_phrase_document(document tsvector)": """
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_to_tsvector(tsvector_to_array(document) || search_phrase_pairs(document))
        $$""",
    # A phrase as a query of search_phrases: every pair of its lexemes, and each lexeme that
    # is in no pair (quoted as tsquery's input wants); empty as phraseto_tsquery's when the
    # phrase has no lexeme.
    "search_phrase_query(config regconfig, phrase text)": r"""
        RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        DECLARE
            document tsvector := to_tsvector(config, phrase);
            terms text;
        BEGIN
            WITH placed AS (
                SELECT entry.lexeme, place
                FROM unnest(document) AS entry, unnest(entry.positions) AS place
            ),
            found AS (
                SELECT unnest(search_phrase_pairs(document)) AS term
                UNION
                SELECT lexeme FROM placed AS alone
                WHERE NOT EXISTS (
                    SELECT FROM placed AS other
                    WHERE abs(other.place - alone.place) BETWEEN 1 AND FARTHEST
                )
            )
            SELECT string_agg(
                '''' || replace(replace(term, '\', '\\'), '''', '''''') || '''',
                ' & ' ORDER BY term
            )
            INTO terms FROM found;
            IF terms IS NULL THEN
                RETURN phraseto_tsquery(config, phrase);
            END IF;
            RETURN terms::tsquery;
        END
        $$""".replace("FARTHEST", str(FARTHEST)),
}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for signature, body in FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {signature} {body}")
    # Computed after the BEFORE trigger that sets search_vector, on every insert and update.
    op.execute(
        f"ALTER TABLE case_studies ADD COLUMN {PHRASE_COLUMN} tsvector "
        "GENERATED ALWAYS AS (search_phrase_document(search_vector)) STORED"
    )
    op.execute(f"CREATE INDEX {PHRASE_INDEX} ON case_studies USING gin ({PHRASE_COLUMN})")
    # The planner chooses how to find a phrase by the pairs' statistics: at the default
    # target (100) they held 1,000 lexemes, each in at least 3% of the studies, and a pair
    # they lacked was taken for one in 1.5%; "sign in" (seven words, in none) walked the whole
    # table. At 1,000, a pair they lack is taken for one in 0.15%.
    op.execute(f"ALTER TABLE case_studies ALTER COLUMN {PHRASE_COLUMN} SET STATISTICS {STATISTICS}")
    op.execute(f"ANALYZE case_studies ({PHRASE_COLUMN})")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {PHRASE_INDEX}")
    op.execute(f"ALTER TABLE case_studies DROP COLUMN IF EXISTS {PHRASE_COLUMN}")
    for signature in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION IF EXISTS {signature.split('(')[0]}")
