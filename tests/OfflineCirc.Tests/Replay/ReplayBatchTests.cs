using Microsoft.EntityFrameworkCore;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Tests.Infrastructure;
using static OfflineCirc.Tests.Replay.ReplayScenarios;

namespace OfflineCirc.Tests.Replay;

/// <summary>Batching must not change what a replay does, and a stopped run must resume to the same end state.</summary>
public class ReplayBatchTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    /// <summary>A mixed session where later transactions depend on earlier ones' effects.</summary>
    private static async Task<ReplayWorld> MixedSessionAsync(TestDatabase db)
    {
        var w = await ReplayWorld.CreateAsync(db);
        await w.NewItemAsync("I5");
        await w.NewItemAsync("I6");
        await w.NewItemAsync("CHG", changedAt: Monday.AddMinutes(-30));
        await w.HoldAsync("P2", w.Br2, Monday.AddDays(-3), recordId: 100);
        await w.BillAsync("P1", 2m, Monday.AddDays(-40));
        await w.OpenLoanAsync("I6", "P1", T("2026-02-02T10:00:00-05:00"), T("2026-02-13T23:59:59-05:00"));
        var h = Monday.AddHours(-2);
        await w.RegisterAsync(Ws1, h, new { card = "NEWA", family_name = "Able", first_given_name = "Ann", profile = "Adult", home_ou = "BR1" });
        await w.RegisterAsync(Ws2, h.AddMinutes(1), new { card = "NEWB", family_name = "Baker", first_given_name = "Bo", profile = "Adult", email = "P2@EXAMPLE.org" });
        await w.CheckoutAsync(Ws1, h.AddMinutes(2), "P1", "I1");
        await w.CheckoutAsync(Ws2, h.AddMinutes(3), "P2", "I2");
        await w.CheckoutAsync(Ws1, h.AddMinutes(4), "NEWA", "I3");
        await w.CheckoutAsync(Ws1, h.AddMinutes(5), "P1", "CHG");
        await w.CheckinAsync(Ws2, h.AddMinutes(95), "CHG"); // after the change: skipped only because the check-out was
        await w.CheckinAsync(Ws2, h.AddMinutes(60), "I1");
        await w.CheckoutAsync(WsBr2, h.AddMinutes(90), "P2", "I1");
        await w.RenewAsync(Ws2, h.AddMinutes(100), "I2", "P1");
        await w.CheckinAsync(Ws1, h.AddMinutes(110), "I4");
        await w.InHouseAsync(WsVan, h.AddMinutes(120), "I3", 3);
        await w.PaymentAsync(Ws1, h.AddMinutes(130), "P1", 1m);
        await w.CheckoutAsync(Ws1, h.AddMinutes(140), "NOPE", "I5");
        await w.CheckinAsync(Ws1, h.AddMinutes(150), "I6", backdate: T("2026-02-18T10:00:00-05:00"));
        await w.PaymentAsync(Ws1, h.AddMinutes(160), "P1", 5m);
        await w.CheckoutAsync(Ws1, h.AddMinutes(170), "P1", "I6", dueDate: "2026-03-14");
        await w.CheckinAsync(WsVan, h.AddMinutes(180), "I3");
        return w;
    }

    /// <summary>
    /// Small batches put dependent transactions in neighbouring batches: each batch must read the rows as the batches
    /// before it left them, and come to what one batch would.
    /// </summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(5, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(5, true)]
    [InlineData(2, true, 5)]
    [InlineData(3, true, 3)]
    public async Task Small_batches_and_one_of_two_thousand_leave_identical_state(int size, bool oneTransaction, int linesPerTransaction = 1_000_000)
    {
        var state = await SameInSmallBatchesAsync(MixedSessionAsync, size, oneTransaction, linesPerTransaction);
        Assert.Contains("skipped", state);
        Assert.Contains("warning", state);
    }

    /// <summary>
    /// Replays the session in batches of <paramref name="size"/> (committed one by one, or in transactions of up to
    /// <paramref name="linesPerTransaction"/> lines that carry their state from batch to batch), then afresh in one
    /// batch; asserts the two end states are the same and returns it.
    /// </summary>
    private async Task<string> SameInSmallBatchesAsync(Func<TestDatabase, Task<ReplayWorld>> session, int size, bool oneTransaction,
        int linesPerTransaction = 1_000_000)
    {
        var small = await session(db);
        await small.RunAsync(batchSize: size, oneTransaction: oneTransaction, linesPerTransaction: linesPerTransaction);
        var smallState = await SnapshotAsync(db);

        var whole = await session(db);
        await whole.RunAsync(batchSize: 2000);
        var wholeState = await SnapshotAsync(db);

        Assert.Equal(wholeState, smallState);
        return wholeState;
    }

    /// <summary>
    /// A patron's payment, a fine on a loan of an item the next batch returns, and holds on one record captured by
    /// copies in neighbouring batches: each batch must read what the one before it changed.
    /// </summary>
    private static async Task<ReplayWorld> MoneyAndHoldsSessionAsync(TestDatabase db)
    {
        var w = await ReplayWorld.CreateAsync(db);
        await w.NewPatronAsync("P3");
        foreach (var barcode in new[] { "J1", "J2", "J3" })
        {
            await w.NewItemAsync(barcode, recordId: 200);
        }
        await w.NewItemAsync("J4");
        var loan = await w.OpenLoanAsync("J1", "P3", T("2026-02-02T10:00:00-05:00"), T("2026-02-10T23:59:59-05:00"));
        await w.BillAsync("P3", 3m, T("2026-02-15T23:59:59-05:00"), loan.Id);
        await w.BillAsync("P3", 1m, T("2026-01-15T12:00:00-05:00"), type: "lost_card");
        await w.HoldAsync("P1", w.Br1, Monday.AddDays(-2), recordId: 200);
        await w.HoldAsync("P2", w.Br2, Monday.AddDays(-1), recordId: 200);
        var h = Monday.AddHours(-2);
        await w.CheckoutAsync(Ws1, h, "P3", "J4");
        await w.PaymentAsync(Ws1, h.AddMinutes(1), "P3", 2m);
        await w.CheckinAsync(Ws1, h.AddMinutes(2), "J2");
        await w.CheckinAsync(Ws1, h.AddMinutes(3), "J1", backdate: T("2026-02-12T10:00:00-05:00"));
        await w.CheckinAsync(Ws2, h.AddMinutes(4), "J3");
        await w.PaymentAsync(Ws1, h.AddMinutes(5), "P3", 5m);
        await w.CheckoutAsync(Ws1, h.AddMinutes(6), "P1", "J2");
        await w.CheckoutAsync(Ws1, h.AddMinutes(7), "P3", "J1");
        await w.CheckinAsync(Ws1, h.AddMinutes(8), "J4");
        return w;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(2, true, 4)]
    public async Task Payments_fines_and_holds_across_neighbouring_batches_come_out_as_in_one_batch(int size, bool oneTransaction, int linesPerTransaction = 1_000_000)
    {
        var state = await SameInSmallBatchesAsync(MoneyAndHoldsSessionAsync, size, oneTransaction, linesPerTransaction);
        // The first copy in fills the older hold and the second copy the other one; the backdated check-in voids a
        // fine the patron had partly paid in an earlier batch.
        Assert.Contains("HOLD_SHELF", state);
        Assert.Contains("HOLD_TRANSIT", state);
        Assert.Contains("| fulfilled |", state);
        Assert.Contains("3.00 | overdue_fine | 02/16/2026 04:59:59 | True | 1.00", state);
    }

    /// <summary>
    /// Two sessions over the same items, replayed at once in small batches: each batch waits for the items the other
    /// run's batch holds. Both runs must end with every line processed once and every item lent at most once at a time.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_sessions_over_the_same_items_replayed_at_once_both_process_every_line(bool oneTransaction)
    {
        var w = await ReplayWorld.CreateAsync(db);
        var barcodes = Enumerable.Range(1, 40).Select(i => $"S{i:00}").ToArray();
        foreach (var barcode in barcodes)
        {
            await w.NewItemAsync(barcode);
        }
        var h = Monday.AddHours(-2);
        var first = w.Session;
        for (var i = 0; i < barcodes.Length; i++)
        {
            await w.CheckoutAsync(Ws1, h.AddMinutes(i), i % 2 == 0 ? "P1" : "P2", barcodes[i]);
            await w.InHouseAsync(Ws1, h.AddMinutes(i), barcodes[(i + 7) % barcodes.Length], 1);
        }
        var second = await w.NewSessionAsync("The other desk");
        for (var i = 0; i < barcodes.Length; i++)
        {
            await w.CheckinAsync(Ws2, h.AddMinutes(i), barcodes[^(i + 1)]);
            await w.InHouseAsync(Ws2, h.AddMinutes(i), barcodes[(i + 13) % barcodes.Length], 1);
        }

        var processed = await Task.WhenAll(w.RunAsync(first, 3, oneTransaction), w.RunAsync(second, 3, oneTransaction));

        Assert.Equal([80, 80], processed);
        await using var c = w.Context();
        foreach (var session in new[] { first.Id, second.Id })
        {
            var lines = await c.Transactions.Where(t => t.SessionId == session).Select(t => t.Id).ToListAsync();
            var results = await c.Results.Where(r => r.SessionId == session && r.IsCurrent).Select(r => r.TransactionId).ToListAsync();
            Assert.Equal(lines.Order(), results.Order());
        }
        var open = await c.Circulations.Where(l => l.CheckinTime == null).GroupBy(l => l.ItemId).Select(g => g.Count()).ToListAsync();
        Assert.All(open, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_run_by_batch_stopped_after_some_batches_resumes_to_the_same_end_state()
    {
        var expected = await UninterruptedAsync();

        var w = await MixedSessionAsync(db);
        var processor = w.Processor(batchSize: 3, oneTransaction: false);
        var (run, _) = await StopAfterAsync(w, processor, 2, (_, _) => 0);
        await using (var c = w.Context())
        {
            Assert.Equal(6, await c.Results.CountAsync(r => r.Run == run && r.IsCurrent));
            Assert.Equal(6, await c.Results.CountAsync());
            Assert.Null((await c.SessionRuns.SingleAsync()).FinishedAt);
        }

        var resumed = await ResumeAsync(w, processor, run);

        Assert.Equal(12, resumed);
        var state = await SnapshotAsync(db);
        Assert.Equal(expected, state);
        Assert.Equal(2, state.Split('\n').Count(line => line.Contains(ResultCodes.SkipAssetChanged)));
        await AssertAllProcessedAsync(w);
    }

    /// <summary>
    /// A run that is one transaction commits nothing until its end: stopped after two batches it leaves no result and no
    /// effect, while its progress was visible outside it; resumed, it starts again and comes to the same end state as a
    /// run committed batch by batch.
    /// </summary>
    [Fact]
    public async Task A_run_in_one_transaction_stopped_leaves_nothing_and_resumes_from_its_start_to_the_same_end_state()
    {
        var expected = await UninterruptedAsync();

        var w = await MixedSessionAsync(db);
        var processor = w.Processor(batchSize: 3, oneTransaction: true);
        // What another connection sees while the run goes: its progress, and none of its results.
        var (run, seen) = await StopAfterAsync(w, processor, 2, (report, c) => (report.Done, c.SessionRuns.Single().Done, c.Results.Count()));
        Assert.Equal([(3, 3, 0), (6, 6, 0)], seen);
        await using (var c = w.Context())
        {
            Assert.Equal(0, await c.Results.CountAsync());
            Assert.Equal(0, await c.Circulations.CountAsync(l => l.OriginSessionId == w.Session.Id));
            Assert.Null((await c.SessionRuns.SingleAsync()).FinishedAt);
        }

        var resumed = await ResumeAsync(w, processor, run);

        Assert.Equal(18, resumed);
        Assert.Equal(expected, await SnapshotAsync(db));
        Assert.Equal(18, (await AssertAllProcessedAsync(w)).Done);
    }

    /// <summary>
    /// A run in transactions of six lines commits each of them: stopped in its second, it keeps the first six results
    /// and their effects and nothing of the second; resumed, it goes on from the seventh line to the same end state.
    /// </summary>
    [Fact]
    public async Task A_run_in_transactions_of_six_lines_stopped_in_its_second_keeps_the_first_and_resumes_from_there()
    {
        var expected = await UninterruptedAsync();

        var w = await MixedSessionAsync(db);
        var processor = w.Processor(batchSize: 3, linesPerTransaction: 6);
        var (run, seen) = await StopAfterAsync(w, processor, 3, (report, c) => (report.Done, c.Results.Count()));
        Assert.Equal([(3, 0), (6, 0), (9, 6)], seen);
        await using (var c = w.Context())
        {
            Assert.Equal(6, await c.Results.CountAsync());
            Assert.Equal(6, (await c.Sessions.SingleAsync()).ProgressDone);
            Assert.Null((await c.SessionRuns.SingleAsync()).FinishedAt);
        }

        var resumed = await ResumeAsync(w, processor, run);

        Assert.Equal(12, resumed);
        Assert.Equal(expected, await SnapshotAsync(db));
        await AssertAllProcessedAsync(w);
    }

    /// <summary>
    /// A run's first batch is smaller, so the next is read beside it sooner; the batches after it are full, and the
    /// end state is what batches of one size leave.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_run_s_first_batch_takes_at_most_the_first_batch_size_and_the_rest_the_batch_size(bool oneTransaction)
    {
        var expected = await UninterruptedAsync();
        var w = await MixedSessionAsync(db);
        var processor = w.Processor(batchSize: 5, oneTransaction: oneTransaction);
        processor.FirstBatchSize = 2;
        var sizes = new List<int>();
        processor.BatchCommitted = report => sizes.Add(report.Transactions);
        var run = await processor.StartRunAsync(w.Session.Id, RunKind.Process, "admin@test");

        Assert.Equal(18, await processor.RunAsync(w.Session.Id, run, "admin@test", CancellationToken.None));

        Assert.Equal([2, 5, 5, 5, 1], sizes);
        Assert.Equal(expected, await SnapshotAsync(db));
        await AssertAllProcessedAsync(w);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Lines_stored_while_a_run_goes_are_processed_by_that_run(bool oneTransaction)
    {
        var w = await MixedSessionAsync(db);
        var processor = w.Processor(batchSize: 3, oneTransaction: oneTransaction);
        var run = await processor.StartRunAsync(w.Session.Id, RunKind.Process, "admin@test");
        var late = new List<long>();
        processor.BatchCommitted = report =>
        {
            // A file that arrives after the run has read its list: one line after the first batch, one after the last
            // of the list, when the run looks for more.
            if (report.Batch == 1 || report.Done == 18)
            {
                late.Add(w.InHouseAsync(Ws1, Monday.AddHours(9), "I5", 1).GetAwaiter().GetResult());
            }
        };

        var processed = await processor.RunAsync(w.Session.Id, run, "admin@test", CancellationToken.None);

        Assert.Equal(2, late.Count);
        Assert.Equal(20, processed);
        foreach (var id in late)
        {
            Assert.Equal(run, (await w.ResultAsync(id)).Run);
        }
        await using var ctx = w.Context();
        Assert.Equal(0, await ctx.Transactions.CountAsync(t => t.SessionId == w.Session.Id && !ctx.Results.Any(r => r.TransactionId == t.Id && r.IsCurrent)));
        Assert.Equal(SessionState.Processed, (await ctx.Sessions.SingleAsync()).State);
    }

    /// <summary>The end state of the mixed session replayed without a stop.</summary>
    private async Task<string> UninterruptedAsync()
    {
        var whole = await MixedSessionAsync(db);
        await whole.RunAsync(batchSize: 3);
        return await SnapshotAsync(db);
    }

    /// <summary>Asserts the mixed session's 18 lines are processed and its run finished; returns the run.</summary>
    private static async Task<SessionRun> AssertAllProcessedAsync(ReplayWorld w)
    {
        await using var ctx = w.Context();
        var session = await ctx.Sessions.SingleAsync();
        Assert.Equal((SessionState.Processed, 18, 18), (session.State, session.ProgressDone, session.ProgressTotal));
        var finished = await ctx.SessionRuns.SingleAsync();
        Assert.NotNull(finished.FinishedAt);
        return finished;
    }

    /// <summary>
    /// Starts a processing run and stops it after batch <paramref name="stopAfter"/>, recording after each batch what
    /// <paramref name="observe"/> sees from a connection of its own.
    /// </summary>
    private static async Task<(int Run, List<T> Seen)> StopAfterAsync<T>(ReplayWorld w, SessionProcessor processor, int stopAfter,
        Func<BatchReport, CircDbContext, T> observe)
    {
        var run = await processor.StartRunAsync(w.Session.Id, RunKind.Process, "admin@test");
        using var stop = new CancellationTokenSource();
        var seen = new List<T>();
        processor.BatchCommitted = report =>
        {
            using var c = w.Context();
            seen.Add(observe(report, c));
            if (report.Batch == stopAfter)
            {
                stop.Cancel();
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => processor.RunAsync(w.Session.Id, run, "admin@test", stop.Token));
        return (run, seen);
    }

    /// <summary>Resumes a run stopped by <see cref="StopAfterAsync"/> and lets it end.</summary>
    private static Task<int> ResumeAsync(ReplayWorld w, SessionProcessor processor, int run)
    {
        processor.BatchCommitted = null;
        return processor.RunAsync(w.Session.Id, run, "admin@test", CancellationToken.None);
    }

    /// <summary>The replay's effects by natural keys (new rows' ids depend on how ids were reserved, so they are left out).</summary>
    private static async Task<string> SnapshotAsync(TestDatabase db)
    {
        string[] queries =
        [
            "SELECT i.barcode, i.status, i.status_changed_at, i.status_change_session_id FROM items i ORDER BY i.barcode",
            """
            SELECT i.barcode, (SELECT min(barcode) FROM cards WHERE patron_id = c.patron_id), c.checkout_time, c.due_time,
                   c.renewal_count, c.checkin_time, c.checkin_org_id, c.checkin_workstation_id, c.checkout_workstation_id, c.policy_id
            FROM circulations c JOIN items i ON i.id = c.item_id ORDER BY i.barcode, c.checkout_time
            """,
            "SELECT id, status, capture_time, shelf_expiry_time, captured_item_id, fulfilled_time FROM holds ORDER BY id",
            "SELECT item_id, from_org_id, to_org_id, sent_time, received_time, hold_id FROM transits ORDER BY item_id, sent_time",
            "SELECT patron_id, amount, billing_type, billed_at, voided, amount_paid FROM billings ORDER BY billed_at, amount",
            "SELECT patron_id, amount, paid_at FROM payments ORDER BY paid_at",
            "SELECT item_id, count, use_time, org_id FROM in_house_uses ORDER BY use_time",
            "SELECT family_name, expire_date, username, (SELECT count(*) FROM patron_blocks b WHERE b.patron_id = p.id) FROM patrons p ORDER BY family_name",
            """
            SELECT r.transaction_id, r.status, r.codes, r.message, r.item_id, r.billed_amount, r.due_time, r.checkin_time, r.follow_ups,
                   r.patron_id IS NULL, r.circulation_id IS NULL, r.hold_id, r.transit_id IS NULL, r.is_current
            FROM transaction_results r ORDER BY r.transaction_id
            """,
        ];
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var lines = new List<string>();
        foreach (var sql in queries)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var cells = new object[r.FieldCount];
                r.GetValues(cells);
                lines.Add(string.Join(" | ", cells.Select(c => c is Array a ? string.Join(",", a.Cast<object>()) : Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture))));
            }
            lines.Add("--");
        }
        return string.Join("\n", lines);
    }

    /// <summary>
    /// A run writes its loans, transits, billings and new patrons beside its items, in a second transaction it prepares
    /// and commits just after its own (the default, docs/adr-026): it ends as a run that writes them all on its own
    /// connection, the two halves are two transactions, and nothing stays prepared.
    /// </summary>
    [Fact]
    public async Task A_run_writing_its_loans_beside_its_items_ends_as_one_writing_them_after_and_leaves_nothing_prepared()
    {
        Assert.True(await ScalarAsync<int>("SELECT current_setting('max_prepared_transactions')::int") > 0,
            "The test server must take prepared transactions (scripts/lib.sh sets max_prepared_transactions).");
        var beside = await MixedSessionAsync(db);
        var processor = beside.Processor(batchSize: 3);
        Assert.True(processor.WritesBeside);
        await beside.RunAsync(processor);
        var besideState = await SnapshotAsync(db);
        // The loans it opened were written by another transaction than its results, and nothing is left prepared.
        Assert.Equal(2L, await ScalarAsync<long>($"""
            SELECT count(DISTINCT x) FROM (
                SELECT xmin::text AS x FROM transaction_results WHERE session_id = {beside.Session.Id}
                UNION ALL SELECT xmin::text FROM circulations WHERE origin_session_id = {beside.Session.Id}) w
            """));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"));

        var after = await MixedSessionAsync(db);
        var alone = after.Processor(batchSize: 3);
        alone.WritesBeside = false;
        await after.RunAsync(alone);

        Assert.Equal(await SnapshotAsync(db), besideState);
    }

    /// <summary>
    /// A node stopped between a run's two commits, or before its run's, leaves the second half prepared; the next run to
    /// start, of any session, commits the half of a run that committed and rolls back the half of one that did not, and
    /// leaves alone the half of a run still going.
    /// </summary>
    [Fact]
    public async Task What_a_stopped_run_left_prepared_is_committed_or_rolled_back_as_its_run_ended_by_the_next_run()
    {
        var w = await MixedSessionAsync(db);
        var patron = await w.PatronIdAsync("P2");
        var committed = await EndedTransactionAsync(commit: true);
        var aborted = await EndedTransactionAsync(commit: false);
        await using var going = await db.DataSource.OpenConnectionAsync();
        await using var goingTx = await going.BeginTransactionAsync();
        var inProgress = await ScalarAsync<string>("SELECT pg_current_xact_id()::text", goingTx);
        try
        {
            foreach (var (xid, name) in new[] { (committed, "kept"), (aborted, "dropped"), (inProgress, "waiting") })
            {
                await PrepareAsync(xid, $"INSERT INTO patron_blocks (patron_id, name, created_at) VALUES ({patron}, '{name}', now())");
            }

            await w.RunAsync(batchSize: 3);

            await AssertAllProcessedAsync(w);
            await using var c = w.Context();
            Assert.Equal(["kept"], await c.PatronBlocks.Where(b => b.PatronId == patron).Select(b => b.Name).ToListAsync());
            Assert.Equal(SessionProcessor.PreparedPrefix + inProgress,
                await ScalarAsync<string>("SELECT string_agg(gid, ',') FROM pg_prepared_xacts WHERE database = current_database()"));
        }
        finally
        {
            await goingTx.RollbackAsync();
            await ExecAsync($"ROLLBACK PREPARED '{SessionProcessor.PreparedPrefix}{inProgress}'");
        }
    }

    /// <summary>
    /// Either half of a run's final writes refused (the in-house uses on the run's own connection, the loans on the
    /// second) ends the run with nothing of it committed and nothing left prepared; run again, it comes to the state of
    /// a run never stopped.
    /// </summary>
    [Theory]
    [InlineData("in_house_uses")]
    [InlineData("circulations")]
    public async Task A_run_whose_final_writes_fail_on_either_connection_commits_nothing_and_runs_again_to_the_same_end(string table)
    {
        var expected = await UninterruptedAsync();
        var w = await MixedSessionAsync(db);
        var processor = w.Processor(batchSize: 3);
        var run = await processor.StartRunAsync(w.Session.Id, RunKind.Process, "admin@test");
        await ExecAsync($"""
            CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
            CREATE TRIGGER refuse_for_test BEFORE INSERT ON {table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_for_test();
            """);
        try
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => processor.RunAsync(w.Session.Id, run, "admin@test", CancellationToken.None));
            Assert.Equal("refused for the test", refused.MessageText);
        }
        finally
        {
            await ExecAsync($"DROP TRIGGER refuse_for_test ON {table}; DROP FUNCTION refuse_for_test();");
        }
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"));
        await using (var c = w.Context())
        {
            Assert.Equal(0, await c.Results.CountAsync());
            Assert.Equal(0, await c.Circulations.CountAsync(l => l.OriginSessionId == w.Session.Id));
            Assert.Equal(0, await c.InHouseUses.CountAsync());
        }

        await ResumeAsync(w, processor, run);

        Assert.Equal(expected, await SnapshotAsync(db));
        await AssertAllProcessedAsync(w);
    }

    private async Task ExecAsync(string sql)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A run waiting for an item another run holds gets it when that run's own transaction commits, a moment before that
    /// run commits the transaction holding its loans: it ends that one itself before it reads the item's loans, and so
    /// checks in the loan the other run opened.
    /// </summary>
    [Fact]
    public async Task A_run_given_an_item_between_another_runs_two_commits_sees_the_loan_that_run_opened()
    {
        var w = await ReplayWorld.CreateAsync(db);
        await w.NewItemAsync("X1", status: ItemStatus.CheckedOut);
        var patron = await w.PatronIdAsync("P1");
        var checkin = await w.CheckinAsync(Ws1, Monday.AddHours(-1), "X1");
        // The other run: its own transaction holds the item; its second, prepared, opened the loan.
        await using var other = await db.DataSource.OpenConnectionAsync();
        await using var otherTx = await other.BeginTransactionAsync();
        var xid = await ScalarAsync<string>("SELECT pg_current_xact_id()::text FROM items WHERE barcode = 'X1' FOR NO KEY UPDATE", otherTx);
        var gid = SessionProcessor.PreparedPrefix + xid;
        await PrepareAsync(xid, $"""
            INSERT INTO circulations (patron_id, item_id, checkout_time, due_time, checkout_org_id, renewal_count)
            SELECT {patron}, id, '{Monday.AddDays(-3):O}', '{Monday.AddDays(11):O}', {w.Br1.Id}, 0 FROM items WHERE barcode = 'X1'
            """);
        try
        {
            var run = w.RunAsync(batchSize: 3);
            for (var i = 0; i < 300 && await ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0; i++)
            {
                await Task.Delay(20);
            }
            await otherTx.CommitAsync();

            Assert.Equal(1, await run);
            var loan = Assert.Single(await w.CirculationsAsync("X1"));
            Assert.NotNull(loan.CheckinTime);
            Assert.Equal(loan.Id, (await w.ResultAsync(checkin)).CirculationId);
            Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"));
        }
        finally
        {
            if (await ScalarAsync<long>($"SELECT count(*) FROM pg_prepared_xacts WHERE gid = '{gid}'") > 0)
            {
                await ExecAsync($"ROLLBACK PREPARED '{gid}'");
            }
        }
    }

    /// <summary>The id of a transaction that has ended, committed or rolled back.</summary>
    private async Task<string> EndedTransactionAsync(bool commit)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var xid = await ScalarAsync<string>("SELECT pg_current_xact_id()::text", tx);
        if (commit)
        {
            await tx.CommitAsync();
        }
        else
        {
            await tx.RollbackAsync();
        }
        return xid;
    }

    /// <summary>Leaves <paramref name="sql"/> prepared, named as a run's second half whose run's own transaction is <paramref name="xid"/>.</summary>
    private Task PrepareAsync(string xid, string sql) =>
        ExecAsync($"BEGIN; {sql}; PREPARE TRANSACTION '{SessionProcessor.PreparedPrefix}{xid}';");

    /// <summary>One value, read on a connection of its own or inside <paramref name="tx"/>.</summary>
    private async Task<T> ScalarAsync<T>(string sql, NpgsqlTransaction? tx = null)
    {
        await using var own = tx is null ? await db.DataSource.OpenConnectionAsync() : null;
        await using var cmd = new NpgsqlCommand(sql, tx?.Connection ?? own, tx);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A batch's lines are read by runs of consecutive ids, whatever order the batch holds them in.</summary>
    [Fact]
    public void A_batchs_ids_are_read_as_their_runs_of_consecutive_values()
    {
        var (lo, hi) = BatchLoader.ConsecutiveRuns([12, 3, 4, 10, 5, 11, 20, 2]);
        Assert.Equal(new long[] { 2, 10, 20 }, lo);
        Assert.Equal(new long[] { 5, 12, 20 }, hi);
        var single = BatchLoader.ConsecutiveRuns([7]);
        Assert.Equal([7L], single.Lo);
        Assert.Equal([7L], single.Hi);
        Assert.Empty(BatchLoader.ConsecutiveRuns([]).Lo);
    }
}
