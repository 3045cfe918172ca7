using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// The keys that imports and the replay write most are checked once per statement instead of row by row
    /// (docs/adr-018, finding 24): an imported item's record and library, a patron's library and profile, a card's
    /// patron, and what the replay's loans, fines, in-house uses, non-catalogued lendings and transits name. A row-level
    /// foreign key runs a lookup and a lock for each row written: inserting a million items spent 16.9 of its 36.4 s in
    /// them, and 200,000 loans 5.8 of 10.4 s. One trigger function, given (column, parent table) pairs, checks and locks
    /// the distinct parents a statement names, as the keys did; an update checks only the parents its rows name anew.
    /// One guard function refuses to delete or renumber a parent still named, and a patron's cards go with the patron,
    /// as the cascade did. Where EF joins through a relationship (items, patrons, cards, loans) it keeps it in its
    /// model; the others are only indexes there now.
    /// </summary>
    public partial class ParentKeysPerStatement : Migration
    {
        // The row-level keys replaced: (table, key, column, parent). All refused deleting a parent still named, but a
        // patron's cards, which went with the patron.
        private static readonly (string Table, string Name, string Column, string Parent)[] Keys =
        [
            ("items", "fk_items_records_record_id", "record_id", "records"),
            ("items", "fk_items_org_units_owning_org_id", "owning_org_id", "org_units"),
            ("patrons", "fk_patrons_org_units_home_org_id", "home_org_id", "org_units"),
            ("patrons", "fk_patrons_patron_profiles_profile_id", "profile_id", "patron_profiles"),
            ("cards", "fk_cards_patrons_patron_id", "patron_id", "patrons"),
            ("circulations", "fk_circulations_patrons_patron_id", "patron_id", "patrons"),
            ("circulations", "fk_circulations_items_item_id", "item_id", "items"),
            ("billings", "fk_billings_patrons_patron_id", "patron_id", "patrons"),
            ("billings", "fk_billings_circulations_circulation_id", "circulation_id", "circulations"),
            ("in_house_uses", "fk_in_house_uses_items_item_id", "item_id", "items"),
            ("in_house_uses", "fk_in_house_uses_org_units_org_id", "org_id", "org_units"),
            ("in_house_uses", "fk_in_house_uses_workstations_workstation_id", "workstation_id", "workstations"),
            ("noncat_circulations", "fk_noncat_circulations_noncat_types_noncat_type_id", "noncat_type_id", "noncat_types"),
            ("noncat_circulations", "fk_noncat_circulations_org_units_org_id", "org_id", "org_units"),
            ("noncat_circulations", "fk_noncat_circulations_patrons_patron_id", "patron_id", "patrons"),
            ("noncat_circulations", "fk_noncat_circulations_workstations_workstation_id", "workstation_id", "workstations"),
            ("transits", "fk_transits_holds_hold_id", "hold_id", "holds"),
            ("transits", "fk_transits_items_item_id", "item_id", "items"),
            ("transits", "fk_transits_org_units_from_org_id", "from_org_id", "org_units"),
            ("transits", "fk_transits_org_units_to_org_id", "to_org_id", "org_units"),
            ("transits", "fk_transits_workstations_workstation_id", "workstation_id", "workstations"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, name, _, _) in Keys)
            {
                migrationBuilder.DropForeignKey(name: name, table: table);
            }
            migrationBuilder.Sql(ParentKeysUp);
            foreach (var child in Keys.GroupBy(k => k.Table))
            {
                var pairs = string.Join(", ", child.Select(k => $"'{k.Column}', '{k.Parent}'"));
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {child.Key}_parents_on_insert AFTER INSERT ON {child.Key} REFERENCING NEW TABLE AS written
                        FOR EACH STATEMENT EXECUTE FUNCTION check_named_parents({pairs});
                    CREATE TRIGGER {child.Key}_parents_on_update AFTER UPDATE ON {child.Key} REFERENCING OLD TABLE AS before NEW TABLE AS written
                        FOR EACH STATEMENT EXECUTE FUNCTION check_named_parents({pairs});
                    """);
            }
            foreach (var parent in Keys.GroupBy(k => k.Parent))
            {
                var pairs = string.Join(", ", parent.Select(k => $"'{k.Table}', '{k.Column}'"));
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {parent.Key}_still_named BEFORE DELETE OR UPDATE OF id ON {parent.Key}
                        FOR EACH ROW EXECUTE FUNCTION refuse_while_named({pairs});
                    """);
            }
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

            -- A deleted patron's cards go first (triggers fire by name: "cards" before "still"), then the patron's
            -- guard refuses if anything else still names the patron, which undoes the cards' deletion with the rest.
            CREATE FUNCTION patrons_delete_cards() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM cards WHERE patron_id = OLD.id;
                RETURN OLD;
            END $$;

            CREATE TRIGGER patrons_cards_go_with_them BEFORE DELETE ON patrons
                FOR EACH ROW EXECUTE FUNCTION patrons_delete_cards();
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Keys.Select(k => k.Table).Distinct())
            {
                migrationBuilder.Sql($"DROP TRIGGER {table}_parents_on_insert ON {table}; DROP TRIGGER {table}_parents_on_update ON {table};");
            }
            foreach (var parent in Keys.Select(k => k.Parent).Distinct())
            {
                migrationBuilder.Sql($"DROP TRIGGER {parent}_still_named ON {parent};");
            }
            migrationBuilder.Sql("""
                DROP TRIGGER patrons_cards_go_with_them ON patrons;
                DROP FUNCTION patrons_delete_cards();
                DROP FUNCTION refuse_while_named();
                DROP FUNCTION check_named_parents();
                """);
            foreach (var (table, name, column, parent) in Keys)
            {
                migrationBuilder.AddForeignKey(name: name, table: table, column: column, principalTable: parent, principalColumn: "id",
                    onDelete: table == "cards" ? ReferentialAction.Cascade : ReferentialAction.Restrict);
            }
        }
    }
}
