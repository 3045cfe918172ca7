using Npgsql;

namespace OfflineCirc.Tests.Processing;

/// <summary>
/// The keys the replay's loans, item status changes and results name, and those of imported items, patrons and cards, are
/// checked once per statement by triggers rather than by row-level foreign keys (docs/adr-018). The database must still refuse what the keys refused, and deleting a
/// parent must still do what the keys did.
/// </summary>
public class KeysPerStatementTests
{
    [Fact]
    public async Task A_loan_cannot_name_a_library_desk_or_policy_that_does_not_exist()
    {
        await using var world = await ProcessedAsync();
        var loan = await world.ScalarAsync<long>("SELECT min(id) FROM circulations WHERE checkout_workstation_id IS NOT NULL AND policy_id IS NOT NULL");
        Assert.True(loan > 0, "the processed sample opened a loan at a desk, under a policy");

        // A closed copy of the loan a year earlier, with one key made up.
        foreach (var column in new[] { "checkout_org_id", "checkout_workstation_id", "checkin_workstation_id", "policy_id" })
        {
            string Key(string name, string value) => name == column ? "-7" : value;
            await AssertRefusedAsync(world, $"""
                INSERT INTO circulations (patron_id, item_id, checkout_time, due_time, checkout_org_id, checkout_workstation_id,
                    renewal_count, checkin_time, checkin_org_id, checkin_workstation_id, stop_fines, policy_id, processed_by)
                SELECT patron_id, item_id, checkout_time - interval '1 year', due_time - interval '1 year',
                    {Key("checkout_org_id", "checkout_org_id")}, {Key("checkout_workstation_id", "checkout_workstation_id")}, 0,
                    checkout_time - interval '11 months', checkout_org_id, {Key("checkin_workstation_id", "checkout_workstation_id")},
                    stop_fines, {Key("policy_id", "policy_id")}, processed_by
                FROM circulations WHERE id = {loan}
                """);
        }
        await AssertRefusedAsync(world, $"UPDATE circulations SET checkin_time = now(), checkin_org_id = -7 WHERE id = {loan}");
        await AssertRefusedAsync(world, $"UPDATE circulations SET checkin_time = now(), checkin_org_id = checkout_org_id, checkin_workstation_id = -7 WHERE id = {loan}");
    }

    [Fact]
    public async Task A_library_or_desk_named_by_loans_cannot_be_deleted_and_a_deleted_policy_leaves_its_loans()
    {
        await using var world = await ProcessedAsync();
        var loan = await world.ScalarAsync<long>("SELECT min(id) FROM circulations WHERE checkout_workstation_id IS NOT NULL AND policy_id IS NOT NULL");

        await AssertRefusedAsync(world, $"DELETE FROM workstations WHERE id = (SELECT checkout_workstation_id FROM circulations WHERE id = {loan})");
        await AssertRefusedAsync(world, $"DELETE FROM org_units WHERE id = (SELECT checkout_org_id FROM circulations WHERE id = {loan})");
        await AssertRefusedAsync(world, $"UPDATE org_units SET id = -7 WHERE id = (SELECT checkout_org_id FROM circulations WHERE id = {loan})");

        // A desk no loan names can go, as before.
        await world.ExecAsync("INSERT INTO workstations (name, org_unit_id, registered_at, service_worker_installed) SELECT 'BR1-SPARE', org_unit_id, now(), false FROM workstations LIMIT 1");
        await world.ExecAsync("DELETE FROM workstations WHERE name = 'BR1-SPARE'");

        var policy = await world.ScalarAsync<long>($"SELECT policy_id::bigint FROM circulations WHERE id = {loan}");
        var named = await world.ScalarAsync<long>($"SELECT count(*) FROM circulations WHERE policy_id = {policy}");
        Assert.True(named > 0);
        await world.ExecAsync($"DELETE FROM circulation_policies WHERE id = {policy}");
        Assert.Equal(0L, await world.ScalarAsync<long>($"SELECT count(*) FROM circulations WHERE policy_id = {policy}"));
        Assert.Equal(1L, await world.ScalarAsync<long>($"SELECT count(*) FROM circulations WHERE id = {loan} AND policy_id IS NULL"));
    }

    [Fact]
    public async Task An_item_names_a_session_that_exists_and_a_result_a_line_that_exists()
    {
        await using var world = await ProcessedAsync();
        var item = await world.ScalarAsync<long>("SELECT min(id) FROM items WHERE status_change_session_id IS NOT NULL");
        Assert.True(item > 0, "the processed sample changed an item's status");
        await AssertRefusedAsync(world, $"UPDATE items SET status_change_session_id = -7 WHERE id = {item}");

        var line = await world.ScalarAsync<long>("SELECT min(transaction_id) FROM transaction_results");
        await AssertRefusedAsync(world, $"""
            INSERT INTO transaction_results
            SELECT (json_populate_record(r, json_build_object('transaction_id', -7, 'is_current', false))).*
            FROM transaction_results r WHERE transaction_id = {line} AND is_current
            """);
        await AssertRefusedAsync(world, $"UPDATE transaction_results SET transaction_id = transaction_id + 1 WHERE transaction_id = {line}");
    }

    [Fact]
    public async Task Deleting_a_session_deletes_its_lines_and_results_and_clears_the_items_it_changed()
    {
        await using var world = await ProcessedAsync();
        var session = await world.ScalarAsync<long>("SELECT max(status_change_session_id) FROM items");
        Assert.True(await world.ScalarAsync<long>($"SELECT count(*) FROM transaction_results WHERE session_id = {session}") > 0);

        await world.ExecAsync($"DELETE FROM uploaded_files WHERE session_id = {session}");
        Assert.Equal(0L, await world.ScalarAsync<long>($"SELECT count(*) FROM offline_transactions WHERE session_id = {session}"));
        Assert.Equal(0L, await world.ScalarAsync<long>($"SELECT count(*) FROM transaction_results WHERE session_id = {session}"));

        await world.ExecAsync($"DELETE FROM session_runs WHERE session_id = {session}; DELETE FROM session_counts WHERE session_id = {session}; DELETE FROM sessions WHERE id = {session}");
        Assert.Equal(0L, await world.ScalarAsync<long>($"SELECT count(*) FROM items WHERE status_change_session_id = {session}"));
    }

    [Fact]
    public async Task An_item_patron_card_or_loan_cannot_name_a_parent_that_does_not_exist()
    {
        await using var world = await ProcessedAsync();
        var loan = await world.ScalarAsync<long>("SELECT min(id) FROM circulations");
        var item = await world.ScalarAsync<long>($"SELECT item_id FROM circulations WHERE id = {loan}");
        var patron = await world.ScalarAsync<long>($"SELECT patron_id FROM circulations WHERE id = {loan}");

        foreach (var (column, value) in new[] { ("record_id", "-7"), ("owning_org_id", "-7") })
        {
            await AssertRefusedAsync(world, $"""
                INSERT INTO items (barcode, record_id, owning_org_id, status, holdable)
                SELECT 'NEW-' || barcode, {(column == "record_id" ? value : "record_id")}, {(column == "owning_org_id" ? value : "owning_org_id")}, 'available', true
                FROM items WHERE id = {item}
                """);
            await AssertRefusedAsync(world, $"UPDATE items SET {column} = {value} WHERE id = {item}");
        }
        foreach (var column in new[] { "home_org_id", "profile_id" })
        {
            await AssertRefusedAsync(world, $"""
                INSERT INTO patrons (family_name, first_given_name, home_org_id, profile_id, active, barred, created_at)
                SELECT 'New', 'Patron', {(column == "home_org_id" ? "-7" : "home_org_id")}, {(column == "profile_id" ? "-7" : "profile_id")}, true, false, now()
                FROM patrons WHERE id = {patron}
                """);
            await AssertRefusedAsync(world, $"UPDATE patrons SET {column} = -7 WHERE id = {patron}");
        }
        await AssertRefusedAsync(world, "INSERT INTO cards (barcode, patron_id, active, \"primary\") VALUES ('NEW-CARD', -7, true, false)");
        await AssertRefusedAsync(world, $"UPDATE cards SET patron_id = -7 WHERE patron_id = {patron}");
        foreach (var column in new[] { "patron_id", "item_id" })
        {
            await AssertRefusedAsync(world, $"""
                INSERT INTO circulations (patron_id, item_id, checkout_time, due_time, checkout_org_id, renewal_count, checkin_time, checkin_org_id)
                SELECT {(column == "patron_id" ? "-7" : "patron_id")}, {(column == "item_id" ? "-7" : "item_id")},
                    checkout_time - interval '1 year', due_time - interval '1 year', checkout_org_id, 0, checkout_time - interval '11 months', checkout_org_id
                FROM circulations WHERE id = {loan}
                """);
            await AssertRefusedAsync(world, $"UPDATE circulations SET {column} = -7 WHERE id = {loan}");
        }

        // An update that keeps its parents, or moves a row to another that exists, is not refused.
        await world.ExecAsync($"UPDATE items SET record_id = record_id, owning_org_id = (SELECT min(id) FROM org_units) WHERE id = {item}");
        await world.ExecAsync($"UPDATE circulations SET renewal_count = renewal_count WHERE id = {loan}");
    }

    [Fact]
    public async Task Parents_named_by_items_patrons_cards_or_loans_stay_and_a_deleted_patron_takes_its_cards()
    {
        await using var world = await ProcessedAsync();
        var loan = await world.ScalarAsync<long>("SELECT min(id) FROM circulations");
        await AssertRefusedAsync(world, $"DELETE FROM items WHERE id = (SELECT item_id FROM circulations WHERE id = {loan})");
        await AssertRefusedAsync(world, $"DELETE FROM records WHERE id = (SELECT i.record_id FROM circulations c JOIN items i ON i.id = c.item_id WHERE c.id = {loan})");
        await AssertRefusedAsync(world, $"UPDATE records SET id = -7 WHERE id = (SELECT i.record_id FROM circulations c JOIN items i ON i.id = c.item_id WHERE c.id = {loan})");
        await AssertRefusedAsync(world, $"DELETE FROM patron_profiles WHERE id = (SELECT p.profile_id FROM circulations c JOIN patrons p ON p.id = c.patron_id WHERE c.id = {loan})");
        await AssertRefusedAsync(world, "DELETE FROM org_units WHERE id = (SELECT max(owning_org_id) FROM items)");

        // A patron with loans stays, and so do the patron's cards.
        var patron = await world.ScalarAsync<long>($"SELECT patron_id FROM circulations WHERE id = {loan}");
        var cards = await world.ScalarAsync<long>($"SELECT count(*) FROM cards WHERE patron_id = {patron}");
        Assert.True(cards > 0);
        await AssertRefusedAsync(world, $"DELETE FROM patrons WHERE id = {patron}");
        Assert.Equal(cards, await world.ScalarAsync<long>($"SELECT count(*) FROM cards WHERE patron_id = {patron}"));

        // A new patron's card, written but not committed, holds the patron: deleting the patron waits for it, then
        // takes the card along, as the cascade did.
        var fresh = await world.ScalarAsync<long>($"""
            INSERT INTO patrons (family_name, first_given_name, home_org_id, profile_id, active, barred, created_at)
            SELECT 'Gone', 'Soon', home_org_id, profile_id, true, false, now() FROM patrons WHERE id = {patron} RETURNING id
            """);
        await using var writer = await world.Data.OpenConnectionAsync();
        await using var open = await writer.BeginTransactionAsync();
        await using (var card = new NpgsqlCommand($"INSERT INTO cards (barcode, patron_id, active, \"primary\") VALUES ('GONE-SOON', {fresh}, true, true)", writer))
        {
            await card.ExecuteNonQueryAsync();
        }
        var deleting = world.ExecAsync($"DELETE FROM patrons WHERE id = {fresh}");
        await Task.Delay(500);
        Assert.False(deleting.IsCompleted, "deleting the patron waits for the card that names it");
        await open.CommitAsync();
        await deleting;
        Assert.Equal(0L, await world.ScalarAsync<long>("SELECT count(*) FROM cards WHERE barcode = 'GONE-SOON'"));
        Assert.Equal(0L, await world.ScalarAsync<long>($"SELECT count(*) FROM patrons WHERE id = {fresh}"));
    }

    [Fact]
    public async Task What_the_replay_writes_besides_loans_names_parents_that_exist_and_they_stay_while_named()
    {
        await using var world = await ProcessedAsync();
        (string Table, string Column, string Parent)[] keys =
        [
            ("billings", "patron_id", "patrons"), ("billings", "circulation_id", "circulations"),
            ("in_house_uses", "item_id", "items"), ("in_house_uses", "org_id", "org_units"), ("in_house_uses", "workstation_id", "workstations"),
            ("noncat_circulations", "noncat_type_id", "noncat_types"), ("noncat_circulations", "org_id", "org_units"),
            ("noncat_circulations", "patron_id", "patrons"), ("noncat_circulations", "workstation_id", "workstations"),
            ("transits", "hold_id", "holds"), ("transits", "item_id", "items"), ("transits", "from_org_id", "org_units"),
            ("transits", "to_org_id", "org_units"), ("transits", "workstation_id", "workstations"),
        ];
        // The sample sends nothing in transit and places no hold: a fulfilled hold on a lent item, and its received
        // transit, written as the replay would.
        await world.ExecAsync("""
            INSERT INTO holds (patron_id, target_item_id, pickup_org_id, request_time, status, frozen)
            SELECT patron_id, item_id, checkout_org_id, checkout_time, 'fulfilled', false FROM circulations ORDER BY id LIMIT 1;
            INSERT INTO transits (item_id, from_org_id, to_org_id, sent_time, received_time, hold_id)
            SELECT item_id, checkout_org_id, checkout_org_id, checkout_time, checkout_time, (SELECT max(id) FROM holds)
            FROM circulations ORDER BY id LIMIT 1
            """);
        foreach (var (table, column, parent) in keys)
        {
            var row = await world.ScalarAsync<long>($"SELECT coalesce(min(id), 0) FROM {table}");
            Assert.True(row > 0, $"the processed sample wrote {table}");
            // A parent that exists is accepted (the sample's fines name no loan).
            await world.ExecAsync($"UPDATE {table} SET {column} = coalesce({column}, (SELECT min(id) FROM {parent})) WHERE id = {row}");
            await AssertRefusedAsync(world, $"UPDATE {table} SET {column} = -7 WHERE id = {row}");
            await AssertRefusedAsync(world, $"DELETE FROM {parent} WHERE id = (SELECT {column} FROM {table} WHERE id = {row})");
        }
    }

    [Fact]
    public async Task Lines_deleted_while_a_batch_writes_their_results_take_those_results_with_them()
    {
        await using var world = await ProcessedAsync();
        var (session, line) = (0L, 0L);
        await using (var read = world.Data.CreateCommand("SELECT session_id, transaction_id FROM transaction_results ORDER BY transaction_id, run LIMIT 1"))
        await using (var r = await read.ExecuteReaderAsync())
        {
            Assert.True(await r.ReadAsync());
            (session, line) = (r.GetInt64(0), r.GetInt64(1));
        }
        // A batch as the replay writes one (BatchWriter): the session's row, then a new result of the line, uncommitted.
        await using var batch = await world.Data.OpenConnectionAsync();
        await using var open = await batch.BeginTransactionAsync();
        await Exec(batch, $"UPDATE sessions SET progress_done = progress_done + 1 WHERE id = {session}");
        await Exec(batch, $"""
            UPDATE transaction_results SET is_current = false WHERE transaction_id = {line} AND is_current;
            INSERT INTO transaction_results (transaction_id, session_id, run, is_current, status, codes, message, billed_amount,
                due_time, follow_ups, processed_at, processed_by, resolved)
            SELECT transaction_id, session_id, run + 1, true, status, codes, message, billed_amount, due_time, follow_ups,
                processed_at, processed_by, resolved
            FROM transaction_results WHERE transaction_id = {line} AND run = (SELECT max(run) FROM transaction_results WHERE transaction_id = {line})
            """);

        // Someone deletes the line meanwhile: the deletion waits for the batch, then removes its new result as well.
        var deleting = world.ExecAsync($"DELETE FROM offline_transactions WHERE id = {line}");
        await Task.Delay(500);
        Assert.False(deleting.IsCompleted, "the deletion waits for the batch that holds the session");
        await open.CommitAsync();
        await deleting;

        Assert.Equal(0L, await world.ScalarAsync<long>($"SELECT count(*) FROM transaction_results WHERE transaction_id = {line}"));
        Assert.Equal(0L, await world.ScalarAsync<long>("""
            SELECT count(*) FROM transaction_results r WHERE NOT EXISTS (SELECT 1 FROM offline_transactions t WHERE t.id = r.transaction_id)
            """));

        static async Task Exec(NpgsqlConnection conn, string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private static async Task<SampleWorld> ProcessedAsync()
    {
        var world = await SampleWorld.StartAsync();
        var session = await world.CreateSessionAsync();
        await world.UploadSampleAsync(session, "native.jsonl");
        await world.ProcessAsync(session);
        return world;
    }

    private static async Task AssertRefusedAsync(SampleWorld world, string sql)
    {
        var refused = await Record.ExceptionAsync(() => world.ExecAsync(sql));
        Assert.True(refused is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation }, $"refused as a missing or still named key: {sql}\n{refused}");
    }
}
