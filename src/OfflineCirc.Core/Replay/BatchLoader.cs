using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay.Rules;
using OfflineCirc.Core.Transactions;
using OfflineCirc.Core.Transactions.Kinds;

namespace OfflineCirc.Core.Replay;

/// <summary>
/// Reads the next batch of a run and everything its rules need, in a handful of set queries (no per-transaction
/// round trips), inside the batch's database transaction.
/// </summary>
internal static class BatchLoader
{
    // What a rule reads of a transaction, built from the table's column map. Lines stored before intake kept its
    // parse are read from the line as received (their kinds know how).
    private static readonly Projection Batch = new Projection()
        .Columns(TransactionColumns.Map, "t", "id", "file_id", "line_number", "type", "workstation", "org", "recorded_at",
            "effective_at", "patron_barcode", "item_barcode", "noncat_type", "noncat_count", "due_date", "count", "amount", "forced")
        .Expression("parsed", "t.parsed::text")
        .Expression("payload", "CASE WHEN t.parsed IS NULL AND t.type = ANY($3) THEN t.payload END");

    // A batch's lines are read by the runs of consecutive ids they form ($1 to $2), not one id at a time: intake stores
    // each file's lines in order, so a batch of 20,000 is a few hundred runs, each one walk along the key instead of a
    // descent per line (docs/adr-018, finding 29). Each run is a lateral subquery that cannot be merged into the join
    // (OFFSET 0), so it is always a walk per run: as a plain range join, with statistics taken while the results were
    // few, PostgreSQL compared every run with every result instead (2 s a batch at 40,000 results).
    private static readonly string NextBatchSql = $"""
        SELECT {Batch.Sql}
        FROM unnest($1::bigint[], $2::bigint[]) AS q(lo, hi)
        CROSS JOIN LATERAL (SELECT * FROM offline_transactions t WHERE t.id BETWEEN q.lo AND q.hi OFFSET 0) t
        """;

    // The current results of the same runs of lines, for which run processed each (ReplayOrder.Pending).
    private const string CurrentResultsSql = """
        SELECT cr.transaction_id, cr.run
        FROM unnest($1::bigint[], $2::bigint[]) AS q(lo, hi)
        CROSS JOIN LATERAL (SELECT transaction_id, run FROM transaction_results
                            WHERE transaction_id BETWEEN q.lo AND q.hi AND is_current OFFSET 0) cr
        """;

    /// <summary>
    /// Opens a connection for a batch's statements, planned without looking at the keys they are given. Each statement
    /// takes thousands of keys as one array; planned for the array's values, PostgreSQL estimates every key against its
    /// statistics (up to 25 ms for the patrons' figures alone) and then often chose to scan whole tables (docs/adr-018,
    /// finding 26). The setting lives until the pool resets the connection on its return.
    /// </summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            // Nor compiled: a generic plan's estimates (the runs of lines above reckon on a million rows) would start
            // the JIT compiler, about 8 ms a statement for statements that take 20.
            await BatchWriter.ExecAsync(conn, "SELECT set_config('plan_cache_mode', 'force_generic_plan', false), set_config('jit', 'off', false)", ct);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The lines of <paramref name="ids"/> in that order, without those run <paramref name="run"/> has already processed
    /// (another node's run of the same session may have taken them). A line's type, desk and library come from
    /// <paramref name="words"/>, one instance for every line that repeats them.
    /// </summary>
    public static async Task<List<TxRow>> NextBatchAsync(NpgsqlConnection conn, long[] ids, int run, SharedWords words, CancellationToken ct)
    {
        var (lo, hi) = ConsecutiveRuns(ids);
        var currentRun = new Dictionary<long, int>();
        await ReadAsync(conn, CurrentResultsSql, [lo, hi], r => currentRun[r.GetInt64(0)] = r.GetInt32(1), ct);

        // Each line goes straight to its place in the batch: the runs come back in key order, not replay order.
        var position = new Dictionary<long, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            position[ids[i]] = i;
        }
        var placed = new TxRow?[ids.Length];
        await using var cmd = new NpgsqlCommand(NextBatchSql, conn)
        {
            Parameters = { new() { Value = lo }, new() { Value = hi }, new() { Value = TransactionKinds.WithParsedPayload } },
        };
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var p = Batch;
        while (await r.ReadAsync(ct))
        {
            var id = p.Get<long>(r, "id");
            var processedBy = currentRun.TryGetValue(id, out var by) ? by : (int?)null;
            if (processedBy == run)
            {
                continue;
            }
            var tx = new TxRow
            {
                Id = id,
                FileId = p.Get<long>(r, "file_id"),
                LineNumber = p.Get<int>(r, "line_number"),
                Type = words.Of(p.Get<string>(r, "type")),
                Workstation = words.Of(p.Get<string>(r, "workstation")),
                Org = words.Of(p.Text(r, "org")),
                RecordedAt = p.Get<DateTimeOffset>(r, "recorded_at"),
                EffectiveAt = p.Get<DateTimeOffset>(r, "effective_at"),
                PatronBarcode = p.Text(r, "patron_barcode"),
                ItemBarcode = p.Text(r, "item_barcode"),
                NoncatType = p.Text(r, "noncat_type"),
                NoncatCount = p.Value<int>(r, "noncat_count"),
                DueDate = p.Text(r, "due_date"),
                Count = p.Value<int>(r, "count"),
                Amount = p.Value<decimal>(r, "amount"),
                Forced = p.Get<bool>(r, "forced"),
                HasCurrentResult = processedBy is not null,
            };
            var parsed = p.Text(r, "parsed");
            var payload = p.Text(r, "payload");
            if (parsed is not null || payload is not null)
            {
                TransactionKinds.Find(tx.Type)?.ReadParsed(tx, parsed, payload);
            }
            placed[position[id]] = tx;
        }
        return [.. placed.OfType<TxRow>()];
    }

    /// <summary>The runs of consecutive values among <paramref name="ids"/>, as their first and last values.</summary>
    internal static (long[] Lo, long[] Hi) ConsecutiveRuns(long[] ids)
    {
        var sorted = (long[])ids.Clone();
        Array.Sort(sorted);
        var lo = new List<long>();
        var hi = new List<long>();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i] > sorted[i - 1] + 1)
            {
                lo.Add(sorted[i]);
                hi.Add(sorted[i]);
            }
            else
            {
                hi[^1] = sorted[i];
            }
        }
        return ([.. lo], [.. hi]);
    }

    /// <summary>
    /// Reads what a batch needs in two chains at once: its items (locked), their open loans, holds and transits on the
    /// batch's own connection, and the patrons its cards and usernames name on <paramref name="side"/>. Nothing is
    /// written before both end, and each statement reads the latest committed rows on either connection (read
    /// committed), so the two see what one connection would; only the locks must be taken in the batch's transaction.
    /// With <paramref name="carried"/>, the state of a run that writes only at its end (docs/adr-024), the batch reads
    /// only what that state does not hold yet and adds it there: the database has none of the run's changes, and the
    /// state has them all. Once the items are locked, <paramref name="settle"/> (given the batch's connection) ends what
    /// another run that held them left prepared (docs/adr-026), before their loans, holds and transits are read.
    /// </summary>
    public static async Task<ReplayState> LoadAsync(NpgsqlConnection conn, NpgsqlConnection side, Batch batch,
        ReplayState? carried, Func<NpgsqlConnection, CancellationToken, Task<int>> settle, CancellationToken ct)
    {
        var needs = new BatchNeeds();
        foreach (var t in batch.Lines)
        {
            TransactionKinds.Find(t.Type)?.Needs(t, needs);
        }
        var state = carried ?? new ReplayState { Ids = batch.Ids };
        state.Ids = batch.Ids;
        var before = state.Circulations.Count;
        await Task.WhenAll(LoadPatronsByKeyAsync(side, state, needs, ct), LoadItemsAsync(conn, state, needs, settle, ct));
        var loansRead = state.Circulations.GetRange(before, state.Circulations.Count - before);

        // The patrons of loans the cards did not name, then the payers' and the loans' billings. No line of the batch
        // names these patrons, so no rule asks whether they may borrow: their rows are read without the figures, one
        // index descent each instead of five (docs/adr-018, finding 30).
        var more = loansRead.Select(c => c.PatronId).Where(id => !state.Patrons.ContainsKey(id)).Distinct().ToArray();
        if (more.Length > 0)
        {
            await ReadAsync(conn, $"SELECT {PatronColumns} FROM patrons p WHERE p.id = ANY($1)", [more], r =>
            {
                var patron = ReadPatron(r);
                patron.WithoutFigures = true;
                state.Patrons[patron.Id] = patron;
            }, ct);
        }
        var payers = needs.BillingCards.Select(c => state.Card(c)?.PatronId).OfType<long>()
            .Where(id => carried is null || state.Patrons.GetValueOrDefault(id)?.OpenBillings is null).Distinct().ToArray();
        var loans = loansRead.Select(c => c.Id).ToArray();
        await LoadBillingsAsync(conn, state, payers, loans, ct);
        return state;
    }

    private static async Task LoadPatronsByKeyAsync(NpgsqlConnection conn, ReplayState state, BatchNeeds needs, CancellationToken ct)
    {
        var cards = needs.PatronKeys.Where(k => !state.CardsByBarcode.ContainsKey(k)).ToArray();
        await ReadAsync(conn, "SELECT id, barcode, patron_id, active FROM cards WHERE barcode = ANY($1)", [cards], r =>
        {
            var card = new CardRow { Id = r.GetInt64(0), Barcode = r.GetString(1), PatronId = r.GetInt64(2), Active = r.GetBoolean(3) };
            state.CardsByBarcode[card.Barcode] = card;
        }, ct);
        // A key that is a card's barcode never names a patron by username (ReplayState.FindPatron looks at cards first),
        // so only the others are looked up: with most keys cards, that is a handful instead of one per line.
        var usernames = needs.Usernames.Where(k => !state.CardsByBarcode.ContainsKey(k)).Union(needs.NewUsernames)
            .Where(k => !state.PatronIdsByUsername.ContainsKey(k)).ToArray();
        await ReadAsync(conn, "SELECT id, username FROM patrons WHERE username = ANY($1)", [usernames], r =>
            state.PatronIdsByUsername[r.GetString(1)] = r.GetInt64(0), ct);
        // The batch's cards name patrons a carried state may hold already, with their figures or without them.
        var named = needs.PatronKeys.Select(k => state.CardsByBarcode.GetValueOrDefault(k)?.PatronId)
            .Concat(needs.Usernames.Concat(needs.NewUsernames).Select(k => state.PatronIdsByUsername.TryGetValue(k, out var id) ? id : (long?)null))
            .OfType<long>();
        var patronIds = named.Where(id => state.Patrons.GetValueOrDefault(id) is not { WithoutFigures: false }).Distinct().ToArray();
        await LoadPatronsAsync(conn, state, patronIds, ct);
        if (needs.NewPatrons.Count > 0)
        {
            await LoadIdentitiesAsync(conn, state, needs.NewPatrons, ct);
        }
    }

    private static async Task LoadItemsAsync(NpgsqlConnection conn, ReplayState state, BatchNeeds needs,
        Func<NpgsqlConnection, CancellationToken, Task<int>> settle, CancellationToken ct)
    {
        var itemBarcodes = needs.ItemBarcodes.Where(b => !state.ItemsByBarcode.ContainsKey(b)).ToArray();
        var read = new List<ItemRow>();
        await ReadAsync(conn, """
            SELECT id, barcode, record_id, owning_org_id, circ_modifier, status, alert_message, holdable, status_changed_at, status_change_session_id
            FROM items WHERE barcode = ANY($1) ORDER BY id FOR NO KEY UPDATE
            """, [itemBarcodes], r =>
        {
            var item = new ItemRow
            {
                Id = r.GetInt64(0),
                Barcode = r.GetString(1),
                RecordId = r.GetInt64(2),
                OwningOrgId = r.GetInt32(3),
                CircModifier = state.Shared(Str(r, 4)),
                Status = SnakeCaseEnum.Parse<ItemStatus>(r.GetString(5)),
                AlertMessage = Str(r, 6),
                Holdable = r.GetBoolean(7),
                StatusChangedAt = Time(r, 8),
                StatusChangeSessionId = Long(r, 9),
            };
            state.Items[item.Id] = item;
            state.ItemsByBarcode[item.Barcode] = item;
            read.Add(item);
        }, ct);
        var itemIds = read.Select(i => i.Id).ToArray();
        var recordIds = read.Select(i => i.RecordId).Distinct().ToArray();
        // Another run that held these items released them when its own transaction committed, and commits the
        // transaction holding its loans and transits just after (docs/adr-026): in between, those are not seen yet.
        // Its own transaction has ended, so its second one is ended here, as it will be, before they are read.
        await settle(conn, ct);

        await ReadAsync(conn, """
            SELECT id, patron_id, item_id, checkout_time, due_time, checkout_org_id, checkout_workstation_id, renewal_count,
                   stop_fines, policy_id, origin_session_id, origin_transaction_id, processed_by
            FROM circulations WHERE item_id = ANY($1) AND checkin_time IS NULL
            """, [itemIds], r => state.AddCirculation(new CirculationRow
        {
            Id = r.GetInt64(0),
            PatronId = r.GetInt64(1),
            ItemId = r.GetInt64(2),
            CheckoutTime = r.GetFieldValue<DateTimeOffset>(3),
            DueTime = r.GetFieldValue<DateTimeOffset>(4),
            CheckoutOrgId = r.GetInt32(5),
            CheckoutWorkstationId = Int(r, 6),
            RenewalCount = r.GetInt32(7),
            StopFines = state.Shared(Str(r, 8)),
            PolicyId = Int(r, 9),
            OriginSessionId = Long(r, 10),
            OriginTransactionId = Long(r, 11),
            ProcessedBy = state.Shared(Str(r, 12)),
        }), ct);

        await LoadHoldsAndTransitsAsync(conn, state, itemIds, recordIds, ct);
    }

    private const string PatronColumns = "p.id, p.profile_id, p.home_org_id, p.active, p.barred, p.expire_date";

    private static PatronRow ReadPatron(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        ProfileId = r.GetInt32(1),
        HomeOrgId = r.GetInt32(2),
        Active = r.GetBoolean(3),
        Barred = r.GetBoolean(4),
        ExpireDate = r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5),
    };

    // Each figure is summed once per batch over the batch's patrons, not once per patron: correlated subqueries cost a
    // plan per patron, and on tables whose statistics lag a bulk import each of them scanned its whole table (ADR 018).
    private static async Task LoadPatronsAsync(NpgsqlConnection conn, ReplayState state, long[] ids, CancellationToken ct) =>
        await ReadAsync(conn, $"""
            SELECT {PatronColumns},
                   COALESCE(k.blocks, 0)::int, COALESCE(f.billed, 0) - COALESCE(y.paid, 0), COALESCE(c.open, 0)::int
            FROM patrons p
            LEFT JOIN (SELECT patron_id, count(*) AS blocks FROM patron_blocks
                       WHERE patron_id = ANY($1) GROUP BY patron_id) k ON k.patron_id = p.id
            LEFT JOIN (SELECT patron_id, sum(amount) AS billed FROM billings
                       WHERE patron_id = ANY($1) AND NOT voided GROUP BY patron_id) f ON f.patron_id = p.id
            LEFT JOIN (SELECT patron_id, sum(amount) AS paid FROM payments
                       WHERE patron_id = ANY($1) GROUP BY patron_id) y ON y.patron_id = p.id
            LEFT JOIN (SELECT patron_id, count(*) AS open FROM circulations
                       WHERE patron_id = ANY($1) AND checkin_time IS NULL GROUP BY patron_id) c ON c.patron_id = p.id
            WHERE p.id = ANY($1)
            """, [ids], r =>
        {
            var patron = ReadPatron(r);
            patron.BlockCount = r.GetInt32(6);
            patron.Balance = r.GetDecimal(7);
            patron.OpenLoans = r.GetInt32(8);
            // A patron a carried state read without figures keeps its row, and what the run changed is added to them.
            if (state.Patrons.TryGetValue(patron.Id, out var held))
            {
                held.BlockCount += patron.BlockCount;
                held.Balance += patron.Balance;
                held.OpenLoans = Math.Max(0, held.OpenLoans + patron.OpenLoans);
                held.WithoutFigures = false;
                return;
            }
            state.Patrons[patron.Id] = patron;
        }, ct);

    /// <summary>
    /// The open billings of <paramref name="payers"/> and the fines of the open <paramref name="loans"/>. A billing a
    /// carried state has read before is taken from there as the run has left it, and a payer's open billings include
    /// those the run has billed them so far.
    /// </summary>
    private static async Task LoadBillingsAsync(NpgsqlConnection conn, ReplayState state, long[] payers, long[] loans, CancellationToken ct)
    {
        var payerSet = payers.ToHashSet();
        var loanSet = loans.ToHashSet();
        foreach (var id in payers)
        {
            if (state.Patrons.TryGetValue(id, out var p))
            {
                p.OpenBillings = [];
            }
        }
        await ReadAsync(conn, """
            SELECT id, patron_id, circulation_id, amount, billing_type, billed_at, amount_paid, origin_session_id, origin_transaction_id
            FROM billings
            WHERE NOT voided AND ((patron_id = ANY($1) AND amount_paid < amount) OR circulation_id = ANY($2))
            ORDER BY billed_at, id
            """, [payers, loans], r =>
        {
            var id = r.GetInt64(0);
            if (state.BillingsRead.TryGetValue(id, out var held))
            {
                // Read before as a loan's fine or a payer's billing: only its other list may still want it.
                if (!held.Voided && held.AmountPaid < held.Amount && state.Patrons.GetValueOrDefault(held.PatronId)?.OpenBillings is { } list
                    && payerSet.Contains(held.PatronId))
                {
                    list.Add(held);
                }
                if (held.CirculationId is { } heldCirc && loanSet.Contains(heldCirc))
                {
                    FineOf(state, heldCirc, held);
                }
                return;
            }
            var bill = new BillingRow
            {
                Id = id,
                PatronId = r.GetInt64(1),
                CirculationId = Long(r, 2),
                Amount = r.GetDecimal(3),
                BillingType = state.Shared(r.GetString(4)),
                BilledAt = r.GetFieldValue<DateTimeOffset>(5),
                AmountPaid = r.GetDecimal(6),
                OriginSessionId = Long(r, 7),
                OriginTransactionId = Long(r, 8),
            };
            state.BillingsRead[id] = bill;
            // Only the payers got an open-billings list above.
            if (bill.AmountPaid < bill.Amount && state.Patrons.GetValueOrDefault(bill.PatronId)?.OpenBillings is { } open)
            {
                open.Add(bill);
            }
            if (bill.CirculationId is { } circId)
            {
                FineOf(state, circId, bill);
            }
        }, ct);
        // What the run billed a payer whose billings it had not read: a carried state's fines, oldest first as read.
        if (state.Billings.Count > 0 && payers.Length > 0)
        {
            foreach (var group in state.Billings.Where(b => b.IsNew && !b.Voided && b.AmountPaid < b.Amount && payerSet.Contains(b.PatronId)).Distinct()
                .GroupBy(b => b.PatronId))
            {
                if (state.Patrons.GetValueOrDefault(group.Key)?.OpenBillings is { } open)
                {
                    open.AddRange(group);
                    open.Sort((x, y) => x.BilledAt != y.BilledAt ? x.BilledAt.CompareTo(y.BilledAt) : x.Id.CompareTo(y.Id));
                }
            }
        }
    }

    private static void FineOf(ReplayState state, long circId, BillingRow bill)
    {
        if (!state.FinesByCirculation.TryGetValue(circId, out var list))
        {
            state.FinesByCirculation[circId] = list = [];
        }
        if (!list.Contains(bill))
        {
            list.Add(bill);
        }
    }

    private static async Task LoadHoldsAndTransitsAsync(NpgsqlConnection conn, ReplayState state, long[] itemIds, long[] recordIds, CancellationToken ct)
    {
        await ReadAsync(conn, $"""
            SELECT id, patron_id, target_item_id, target_record_id, pickup_org_id, request_time, status, frozen,
                   capture_time, shelf_expiry_time, captured_item_id, fulfilled_time
            FROM holds
            WHERE {CircDbContext.OpenHolds}
              AND (target_item_id = ANY($1) OR target_record_id = ANY($2) OR captured_item_id = ANY($1))
            """, [itemIds, recordIds], r => state.AddHold(new HoldRow
        {
            Id = r.GetInt64(0),
            PatronId = r.GetInt64(1),
            TargetItemId = Long(r, 2),
            TargetRecordId = Long(r, 3),
            PickupOrgId = r.GetInt32(4),
            RequestTime = r.GetFieldValue<DateTimeOffset>(5),
            Status = SnakeCaseEnum.Parse<HoldStatus>(r.GetString(6)),
            Frozen = r.GetBoolean(7),
            CaptureTime = Time(r, 8),
            ShelfExpiryTime = Time(r, 9),
            CapturedItemId = Long(r, 10),
            FulfilledTime = Time(r, 11),
        }), ct);
        await ReadAsync(conn, """
            SELECT id, item_id, from_org_id, to_org_id, sent_time, hold_id, workstation_id, origin_session_id, origin_transaction_id
            FROM transits WHERE item_id = ANY($1) AND received_time IS NULL
            """, [itemIds], r => state.AddTransit(new TransitRow
        {
            Id = r.GetInt64(0),
            ItemId = r.GetInt64(1),
            FromOrgId = r.GetInt32(2),
            ToOrgId = r.GetInt32(3),
            SentTime = r.GetFieldValue<DateTimeOffset>(4),
            HoldId = Long(r, 5),
            WorkstationId = Int(r, 6),
            OriginSessionId = Long(r, 7),
            OriginTransactionId = Long(r, 8),
        }), ct);
    }

    private static async Task LoadIdentitiesAsync(NpgsqlConnection conn, ReplayState state, List<RegisteredPatron> forms, CancellationToken ct)
    {
        var families = forms.Select(f => f.FamilyName?.Trim().ToLowerInvariant()).OfType<string>().Distinct().ToArray();
        var emails = forms.Select(f => f.Email?.Trim().ToLowerInvariant()).OfType<string>().Distinct().ToArray();
        // Names compare case-insensitively, so this reads every patron by lower(); registrations are few and come first
        // in a run. The names are hashed once (IN a subquery): a generic plan compares each patron with every name of
        // an array (= ANY), which took 16 s a batch at 200,000 patrons (docs/adr-018, finding 26).
        await ReadAsync(conn, """
            SELECT id, family_name, first_given_name, dob, email FROM patrons
            WHERE (dob IS NOT NULL AND lower(family_name) IN (SELECT unnest($1::text[]))) OR lower(email) IN (SELECT unnest($2::text[]))
            """, [families, emails], r => state.Identities.Add(new PatronIdentity(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3), Str(r, 4))), ct);
    }

    /// <summary>Takes from the tables' sequences an id for every row the rules of <paramref name="batch"/> may create.</summary>
    public static async Task<IdPool> ReserveIdsAsync(NpgsqlConnection conn, List<TxRow> batch, CancellationToken ct)
    {
        var ids = new IdNeeds();
        foreach (var t in batch)
        {
            TransactionKinds.Find(t.Type)?.Reserve(t, ids);
        }
        var need = ids.Counts;
        var reserved = need.Keys.ToDictionary(k => k, _ => new Queue<long>());
        if (need.Count == 0)
        {
            return new IdPool(reserved);
        }
        var tables = need.Keys.ToArray();
        var counts = tables.Select(t => need[t]).ToArray();
        // Each table's sequence is looked up once, not once per id.
        await ReadAsync(conn, """
            WITH n AS MATERIALIZED (
                SELECT tbl, cnt, pg_get_serial_sequence(tbl, 'id')::regclass AS seq FROM unnest($1::text[], $2::int[]) AS u(tbl, cnt))
            SELECT n.tbl, nextval(n.seq) FROM n, generate_series(1, n.cnt)
            """, [tables, counts], r => reserved[r.GetString(0)].Enqueue(r.GetInt64(1)), ct);
        return new IdPool(reserved);
    }

    public static async Task ReadAsync(NpgsqlConnection conn, string sql, object[] args, Action<NpgsqlDataReader> row, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            row(r);
        }
    }

    private static string? Str(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static long? Long(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
    private static int? Int(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
    private static DateTimeOffset? Time(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
