using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// The keys an import of a million items, two hundred thousand patrons and their cards names, and the patron and
    /// item every loan names, are checked once per statement instead of row by row (docs/adr-018, finding 24). A
    /// row-level foreign key runs a lookup and a lock for each row written: inserting a million items spent 16.9 of its
    /// 36.4 s in them, and 200,000 loans 5.8 of 10.4 s. One trigger function, given (column, parent table) pairs, checks
    /// and locks the distinct parents a statement names, as the keys did; an update checks only the parents its rows
    /// name anew. One guard function refuses to delete or renumber a parent still named, and a patron's cards go with
    /// the patron, as the cascade did. EF keeps the relationships for its joins; the database checks them here.
    /// </summary>
    public partial class ParentKeysPerStatement : Migration
    {
        // The row-level keys replaced: (table, key, column, parent).
        private static readonly (string Table, string Name, string Column, string Parent)[] Keys =
        [
            ("items", "fk_items_records_record_id", "record_id", "records"),
            ("items", "fk_items_org_units_owning_org_id", "owning_org_id", "org_units"),
            ("patrons", "fk_patrons_org_units_home_org_id", "home_org_id", "org_units"),
            ("patrons", "fk_patrons_patron_profiles_profile_id", "profile_id", "patron_profiles"),
            ("cards", "fk_cards_patrons_patron_id", "patron_id", "patrons"),
            ("circulations", "fk_circulations_patrons_patron_id", "patron_id", "patrons"),
            ("circulations", "fk_circulations_items_item_id", "item_id", "items"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, name, _, _) in Keys)
            {
                migrationBuilder.DropForeignKey(name: name, table: table);
            }
            migrationBuilder.Sql(ParentKeysUp);
        }

        private const string ParentKeysUp = """
            -- The rows a statement wrote name their parents by id; TG_ARGV holds (column, parent table) pairs.
            CREATE FUNCTION check_named_parents() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                i int := 0;
                missing bigint;
            BEGIN
                WHILE i < TG_NARGS LOOP
                    -- The parents named stay until this transaction ends, as a foreign key's lock keeps them. An update
                    -- checks only the parents its rows name anew: the ones they named before are held by those rows.
                    EXECUTE format($q$
                        WITH named AS MATERIALIZED (%s),
                             held AS (SELECT p.id FROM %I p WHERE p.id IN (SELECT id FROM named) FOR KEY SHARE)
                        SELECT min(id) FROM named WHERE id NOT IN (SELECT id FROM held)
                        $q$,
                        CASE WHEN TG_OP = 'INSERT'
                            THEN format('SELECT DISTINCT %1$I AS id FROM written WHERE %1$I IS NOT NULL', TG_ARGV[i])
                            ELSE format('SELECT %1$I AS id FROM written WHERE %1$I IS NOT NULL EXCEPT SELECT %1$I FROM before', TG_ARGV[i])
                        END,
                        TG_ARGV[i + 1]) INTO missing;
                    IF missing IS NOT NULL THEN
                        RAISE EXCEPTION '%.% names % %, which does not exist', TG_TABLE_NAME, TG_ARGV[i], TG_ARGV[i + 1], missing
                            USING ERRCODE = 'foreign_key_violation';
                    END IF;
                    i := i + 2;
                END LOOP;
                RETURN NULL;
            END $$;

            -- A row still named cannot be deleted or renumbered; TG_ARGV holds (child table, column) pairs.
            CREATE FUNCTION refuse_while_named() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                i int := 0;
                named boolean;
            BEGIN
                IF TG_OP = 'DELETE' OR NEW.id <> OLD.id THEN
                    WHILE i < TG_NARGS LOOP
                        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', TG_ARGV[i], TG_ARGV[i + 1]) INTO named USING OLD.id;
                        IF named THEN
                            RAISE EXCEPTION '% % is still named by %', TG_TABLE_NAME, OLD.id, TG_ARGV[i]
                                USING ERRCODE = 'foreign_key_violation';
                        END IF;
                        i := i + 2;
                    END LOOP;
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$;

            CREATE TRIGGER items_parents_on_insert AFTER INSERT ON items REFERENCING NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION check_named_parents('record_id', 'records', 'owning_org_id', 'org_units');
            CREATE TRIGGER items_parents_on_update AFTER UPDATE ON items REFERENCING OLD TABLE AS before NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION check_named_parents('record_id', 'records', 'owning_org_id', 'org_units');
            CREATE TRIGGER patrons_parents_on_insert AFTER INSERT ON patrons REFERENCING NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION check_named_parents('home_org_id', 'org_units', 'profile_id', 'patron_profiles');
            CREATE TRIGGER patrons_parents_on_update AFTER UPDATE ON patrons REFERENCING OLD TABLE AS before NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION check_named_parents('home_org_id', 'org_units', 'profile_id', 'patron_profiles');
            CREATE TRIGGER cards_parents_on_insert AFTER INSERT ON cards REFERENCING NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION check_named_parents('patron_id', 'patrons');
            CREATE TRIGGER cards_parents_on_update AFTER UPDATE ON cards REFERENCING OLD TABLE AS before NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION check_named_parents('patron_id', 'patrons');
            CREATE TRIGGER circulations_parents_on_insert AFTER INSERT ON circulations REFERENCING NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION check_named_parents('patron_id', 'patrons', 'item_id', 'items');
            CREATE TRIGGER circulations_parents_on_update AFTER UPDATE ON circulations REFERENCING OLD TABLE AS before NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION check_named_parents('patron_id', 'patrons', 'item_id', 'items');

            CREATE TRIGGER records_guard_items BEFORE DELETE OR UPDATE OF id ON records
                FOR EACH ROW EXECUTE FUNCTION refuse_while_named('items', 'record_id');
            CREATE TRIGGER org_units_guard_items_and_patrons BEFORE DELETE OR UPDATE OF id ON org_units
                FOR EACH ROW EXECUTE FUNCTION refuse_while_named('items', 'owning_org_id', 'patrons', 'home_org_id');
            CREATE TRIGGER patron_profiles_guard_patrons BEFORE DELETE OR UPDATE OF id ON patron_profiles
                FOR EACH ROW EXECUTE FUNCTION refuse_while_named('patrons', 'profile_id');
            CREATE TRIGGER items_guard_circulations BEFORE DELETE OR UPDATE OF id ON items
                FOR EACH ROW EXECUTE FUNCTION refuse_while_named('circulations', 'item_id');

            -- A deleted patron's cards go first (triggers fire by name), then the guard refuses if loans still name
            -- the patron, which undoes the cards' deletion with the rest of the statement.
            CREATE FUNCTION patrons_delete_cards() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM cards WHERE patron_id = OLD.id;
                RETURN OLD;
            END $$;

            CREATE TRIGGER patrons_cards_go_with_them BEFORE DELETE ON patrons
                FOR EACH ROW EXECUTE FUNCTION patrons_delete_cards();
            CREATE TRIGGER patrons_guard_cards_and_circulations BEFORE DELETE OR UPDATE OF id ON patrons
                FOR EACH ROW EXECUTE FUNCTION refuse_while_named('cards', 'patron_id', 'circulations', 'patron_id');
            """;

        private const string ParentKeysDown = """
            DROP TRIGGER IF EXISTS patrons_guard_cards_and_circulations ON patrons;
            DROP TRIGGER IF EXISTS patrons_cards_go_with_them ON patrons;
            DROP FUNCTION IF EXISTS patrons_delete_cards();
            DROP TRIGGER IF EXISTS items_guard_circulations ON items;
            DROP TRIGGER IF EXISTS patron_profiles_guard_patrons ON patron_profiles;
            DROP TRIGGER IF EXISTS org_units_guard_items_and_patrons ON org_units;
            DROP TRIGGER IF EXISTS records_guard_items ON records;
            DROP TRIGGER IF EXISTS circulations_parents_on_update ON circulations;
            DROP TRIGGER IF EXISTS circulations_parents_on_insert ON circulations;
            DROP TRIGGER IF EXISTS cards_parents_on_update ON cards;
            DROP TRIGGER IF EXISTS cards_parents_on_insert ON cards;
            DROP TRIGGER IF EXISTS patrons_parents_on_update ON patrons;
            DROP TRIGGER IF EXISTS patrons_parents_on_insert ON patrons;
            DROP TRIGGER IF EXISTS items_parents_on_update ON items;
            DROP TRIGGER IF EXISTS items_parents_on_insert ON items;
            DROP FUNCTION IF EXISTS refuse_while_named();
            DROP FUNCTION IF EXISTS check_named_parents();
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ParentKeysDown);
            foreach (var (table, name, column, parent) in Keys)
            {
                migrationBuilder.AddForeignKey(name: name, table: table, column: column, principalTable: parent, principalColumn: "id",
                    onDelete: table == "cards" ? ReferentialAction.Cascade : ReferentialAction.Restrict);
            }
        }
    }
}
