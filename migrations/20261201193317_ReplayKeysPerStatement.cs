using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// Every loan the replay wrote paid five row-level foreign-key lookups (checkout and check-in library and desk,
    /// policy) and five index entries that no query reads. Every item status change paid one more for the session that
    /// made it, and moved the row off its page. Every result locked its line's row, a second write of each line. These
    /// keys are now checked once per statement by triggers over the rows written; the loan and item checks lock the
    /// parents they name, as a foreign key would. Guards on the parents refuse to delete what loans still name, clear a
    /// deleted policy or session as ON DELETE SET NULL did, and delete a deleted line's results as the cascade did.
    /// Items leave a tenth of each page free, so a status change can stay on its page (docs/adr-018).
    /// </summary>
    public partial class ReplayKeysPerStatement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_circulations_circulation_policies_policy_id",
                table: "circulations");

            migrationBuilder.DropForeignKey(
                name: "fk_circulations_org_units_checkin_org_id",
                table: "circulations");

            migrationBuilder.DropForeignKey(
                name: "fk_circulations_org_units_checkout_org_id",
                table: "circulations");

            migrationBuilder.DropForeignKey(
                name: "fk_circulations_workstations_checkin_workstation_id",
                table: "circulations");

            migrationBuilder.DropForeignKey(
                name: "fk_circulations_workstations_checkout_workstation_id",
                table: "circulations");

            migrationBuilder.DropForeignKey(
                name: "fk_items_sessions_status_change_session_id",
                table: "items");

            migrationBuilder.DropForeignKey(
                name: "fk_transaction_results_offline_transactions_transaction_id",
                table: "transaction_results");

            migrationBuilder.DropIndex(
                name: "ix_items_status_change_session_id",
                table: "items");

            migrationBuilder.DropIndex(
                name: "ix_circulations_checkin_org_id",
                table: "circulations");

            migrationBuilder.DropIndex(
                name: "ix_circulations_checkin_workstation_id",
                table: "circulations");

            migrationBuilder.DropIndex(
                name: "ix_circulations_checkout_org_id",
                table: "circulations");

            migrationBuilder.DropIndex(
                name: "ix_circulations_checkout_workstation_id",
                table: "circulations");

            migrationBuilder.DropIndex(
                name: "ix_circulations_policy_id",
                table: "circulations");

            migrationBuilder.Sql(KeysPerStatementUp);
        }

        private const string KeysPerStatementUp = """
            CREATE FUNCTION circulations_check_keys() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- The parents named stay until this transaction ends, as a foreign key's lock keeps them.
                PERFORM 1 FROM org_units WHERE id IN (SELECT checkout_org_id FROM written UNION SELECT checkin_org_id FROM written)
                    FOR KEY SHARE;
                PERFORM 1 FROM workstations
                    WHERE id IN (SELECT checkout_workstation_id FROM written UNION SELECT checkin_workstation_id FROM written)
                    FOR KEY SHARE;
                PERFORM 1 FROM circulation_policies WHERE id IN (SELECT policy_id FROM written) FOR KEY SHARE;
                IF EXISTS (
                    SELECT 1 FROM (SELECT checkout_org_id AS id FROM written UNION SELECT checkin_org_id FROM written) k
                    WHERE k.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_units o WHERE o.id = k.id))
                OR EXISTS (
                    SELECT 1 FROM (SELECT checkout_workstation_id AS id FROM written UNION SELECT checkin_workstation_id FROM written) k
                    WHERE k.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM workstations w WHERE w.id = k.id))
                OR EXISTS (
                    SELECT 1 FROM (SELECT DISTINCT policy_id AS id FROM written) k
                    WHERE k.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM circulation_policies p WHERE p.id = k.id))
                THEN
                    RAISE EXCEPTION 'a loan names a library, workstation or circulation policy that does not exist'
                        USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NULL;
            END $$;

            CREATE TRIGGER circulations_keys_on_insert AFTER INSERT ON circulations
                REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION circulations_check_keys();
            CREATE TRIGGER circulations_keys_on_update AFTER UPDATE ON circulations
                REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION circulations_check_keys();

            CREATE FUNCTION org_units_guard_circulations() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' OR NEW.id <> OLD.id THEN
                    IF EXISTS (SELECT 1 FROM circulations WHERE checkout_org_id = OLD.id OR checkin_org_id = OLD.id) THEN
                        RAISE EXCEPTION 'library % is still named by loans', OLD.id USING ERRCODE = 'foreign_key_violation';
                    END IF;
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$;

            CREATE TRIGGER org_units_guard_circulations BEFORE DELETE OR UPDATE OF id ON org_units
                FOR EACH ROW EXECUTE FUNCTION org_units_guard_circulations();

            CREATE FUNCTION workstations_guard_circulations() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' OR NEW.id <> OLD.id THEN
                    IF EXISTS (SELECT 1 FROM circulations WHERE checkout_workstation_id = OLD.id OR checkin_workstation_id = OLD.id) THEN
                        RAISE EXCEPTION 'workstation % is still named by loans', OLD.id USING ERRCODE = 'foreign_key_violation';
                    END IF;
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$;

            CREATE TRIGGER workstations_guard_circulations BEFORE DELETE OR UPDATE OF id ON workstations
                FOR EACH ROW EXECUTE FUNCTION workstations_guard_circulations();

            CREATE FUNCTION circulation_policies_guard_circulations() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    UPDATE circulations SET policy_id = NULL WHERE policy_id = OLD.id;
                    RETURN OLD;
                END IF;
                IF NEW.id <> OLD.id AND EXISTS (SELECT 1 FROM circulations WHERE policy_id = OLD.id) THEN
                    RAISE EXCEPTION 'circulation policy % is still named by loans', OLD.id USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NEW;
            END $$;

            CREATE TRIGGER circulation_policies_guard_circulations BEFORE DELETE OR UPDATE OF id ON circulation_policies
                FOR EACH ROW EXECUTE FUNCTION circulation_policies_guard_circulations();

            CREATE FUNCTION items_check_status_session() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM 1 FROM sessions WHERE id IN (SELECT status_change_session_id FROM written) FOR KEY SHARE;
                IF EXISTS (
                    SELECT 1 FROM (SELECT DISTINCT status_change_session_id AS id FROM written) k
                    WHERE k.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = k.id))
                THEN
                    RAISE EXCEPTION 'an item names a session that does not exist' USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NULL;
            END $$;

            CREATE TRIGGER items_status_session_on_insert AFTER INSERT ON items
                REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION items_check_status_session();
            CREATE TRIGGER items_status_session_on_update AFTER UPDATE ON items
                REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION items_check_status_session();

            CREATE FUNCTION sessions_guard_items() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    UPDATE items SET status_change_session_id = NULL WHERE status_change_session_id = OLD.id;
                    RETURN OLD;
                END IF;
                IF NEW.id <> OLD.id AND EXISTS (SELECT 1 FROM items WHERE status_change_session_id = OLD.id) THEN
                    RAISE EXCEPTION 'session % is still named by items', OLD.id USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NEW;
            END $$;

            CREATE TRIGGER sessions_guard_items BEFORE DELETE OR UPDATE OF id ON sessions
                FOR EACH ROW EXECUTE FUNCTION sessions_guard_items();

            CREATE FUNCTION transaction_results_check_transactions() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- No lock is taken: the replay updates each line (processed_run) before it writes the line's result,
                -- and so holds the row until its batch commits; a line deleted before that fails this check.
                IF EXISTS (
                    SELECT 1 FROM (SELECT DISTINCT transaction_id AS id FROM written) k
                    WHERE NOT EXISTS (SELECT 1 FROM offline_transactions t WHERE t.id = k.id))
                THEN
                    RAISE EXCEPTION 'a result names an offline transaction that does not exist'
                        USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NULL;
            END $$;

            CREATE TRIGGER transaction_results_transactions_on_insert AFTER INSERT ON transaction_results
                REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION transaction_results_check_transactions();

            CREATE FUNCTION transaction_results_keep_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.transaction_id <> OLD.transaction_id THEN
                    RAISE EXCEPTION 'a result cannot move to another offline transaction' USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NEW;
            END $$;

            CREATE TRIGGER transaction_results_keep_transaction BEFORE UPDATE OF transaction_id ON transaction_results
                FOR EACH ROW EXECUTE FUNCTION transaction_results_keep_transaction();

            CREATE FUNCTION offline_transactions_delete_results() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM transaction_results WHERE transaction_id IN (SELECT id FROM gone);
                RETURN NULL;
            END $$;

            CREATE TRIGGER offline_transactions_delete_results AFTER DELETE ON offline_transactions
                REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION offline_transactions_delete_results();

            ALTER TABLE items SET (fillfactor = 90);
            """;

        private const string KeysPerStatementDown = """
            ALTER TABLE items RESET (fillfactor);
            DROP TRIGGER IF EXISTS offline_transactions_delete_results ON offline_transactions;
            DROP FUNCTION IF EXISTS offline_transactions_delete_results();
            DROP TRIGGER IF EXISTS transaction_results_keep_transaction ON transaction_results;
            DROP FUNCTION IF EXISTS transaction_results_keep_transaction();
            DROP TRIGGER IF EXISTS transaction_results_transactions_on_insert ON transaction_results;
            DROP FUNCTION IF EXISTS transaction_results_check_transactions();
            DROP TRIGGER IF EXISTS sessions_guard_items ON sessions;
            DROP FUNCTION IF EXISTS sessions_guard_items();
            DROP TRIGGER IF EXISTS items_status_session_on_update ON items;
            DROP TRIGGER IF EXISTS items_status_session_on_insert ON items;
            DROP FUNCTION IF EXISTS items_check_status_session();
            DROP TRIGGER IF EXISTS circulation_policies_guard_circulations ON circulation_policies;
            DROP FUNCTION IF EXISTS circulation_policies_guard_circulations();
            DROP TRIGGER IF EXISTS workstations_guard_circulations ON workstations;
            DROP FUNCTION IF EXISTS workstations_guard_circulations();
            DROP TRIGGER IF EXISTS org_units_guard_circulations ON org_units;
            DROP FUNCTION IF EXISTS org_units_guard_circulations();
            DROP TRIGGER IF EXISTS circulations_keys_on_update ON circulations;
            DROP TRIGGER IF EXISTS circulations_keys_on_insert ON circulations;
            DROP FUNCTION IF EXISTS circulations_check_keys();
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(KeysPerStatementDown);

            migrationBuilder.CreateIndex(
                name: "ix_items_status_change_session_id",
                table: "items",
                column: "status_change_session_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_checkin_org_id",
                table: "circulations",
                column: "checkin_org_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_checkin_workstation_id",
                table: "circulations",
                column: "checkin_workstation_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_checkout_org_id",
                table: "circulations",
                column: "checkout_org_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_checkout_workstation_id",
                table: "circulations",
                column: "checkout_workstation_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_policy_id",
                table: "circulations",
                column: "policy_id");

            migrationBuilder.AddForeignKey(
                name: "fk_circulations_circulation_policies_policy_id",
                table: "circulations",
                column: "policy_id",
                principalTable: "circulation_policies",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "fk_circulations_org_units_checkin_org_id",
                table: "circulations",
                column: "checkin_org_id",
                principalTable: "org_units",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_circulations_org_units_checkout_org_id",
                table: "circulations",
                column: "checkout_org_id",
                principalTable: "org_units",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_circulations_workstations_checkin_workstation_id",
                table: "circulations",
                column: "checkin_workstation_id",
                principalTable: "workstations",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_circulations_workstations_checkout_workstation_id",
                table: "circulations",
                column: "checkout_workstation_id",
                principalTable: "workstations",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_items_sessions_status_change_session_id",
                table: "items",
                column: "status_change_session_id",
                principalTable: "sessions",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "fk_transaction_results_offline_transactions_transaction_id",
                table: "transaction_results",
                column: "transaction_id",
                principalTable: "offline_transactions",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
