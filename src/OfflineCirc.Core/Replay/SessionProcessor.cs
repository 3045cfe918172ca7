using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Transactions;

namespace OfflineCirc.Core.Replay;

/// <summary>A session that another worker is processing right now.</summary>
public sealed class SessionBusyException(long sessionId)
    : InvalidOperationException($"Session {sessionId} is already processing.")
{
    public long SessionId { get; } = sessionId;
}

/// <summary>A closed session, which takes no further runs.</summary>
public sealed class SessionClosedException(long sessionId)
    : InvalidOperationException($"Session {sessionId} is closed.")
{
    public long SessionId { get; } = sessionId;
}

/// <summary>What one committed batch did (for progress reporting and tests).</summary>
public sealed record BatchReport(long SessionId, int Run, int Batch, int Transactions, int Done, int Total, TimeSpan Elapsed);

/// <summary>
/// Replays a session's captured transactions against the circulation model (docs/replay-rules.md). A run takes the
/// session's transactions that no run has processed yet (and, for a retry, the failed and forced ones) in replay order, batch by batch;
/// each batch is loaded, applied in memory and written with its results and progress in one database transaction,
/// so a crash loses at most the batch in flight and a restart of the same run resumes exactly where it stopped.
/// </summary>
public sealed partial class SessionProcessor
{
    // Key space of the session advisory locks: one worker per session at a time.
    public const int LockClass = 0x0FC1;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<SessionProcessor> _logger;
    private readonly DbContextOptions<CircDbContext> _dbOptions;
    private readonly TimeProvider _time;

    public SessionProcessor(NpgsqlDataSource dataSource, ILogger<SessionProcessor> logger, TimeProvider? time = null)
    {
        _dataSource = dataSource;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        var options = new DbContextOptionsBuilder<CircDbContext>();
        options.UseCirculationDatabase(dataSource);
        _dbOptions = options.Options;
    }

    /// <summary>
    /// Transactions per batch unless configured (Replay:BatchSize). On a 100,000-transaction consortium session 2,000
    /// took 26.0 s, 5,000 22.7 s and 10,000 18.4 s (fewer statements, and an item or loan used in neighbouring batches
    /// written fewer times). At a million, in one hour of one machine: 20,000 took 50.6 s (363 MiB at most), 50,000
    /// 48.5 s (472 MiB), 100,000 45.2 s (555 MiB) and 200,000 46.9 s (834 MiB). A larger batch reads a patron or item
    /// named in several batches fewer times and rewrites fewer of the loans and items it changed in an earlier one
    /// (docs/adr-018, finding 69); a node holds one batch per replay it runs at once (Jobs:Workers). A run that is one
    /// transaction (the default) reads each row once whatever the batch's size, and at 50,000 holds less than at 100,000
    /// (docs/adr-024).
    /// </summary>
    public const int DefaultBatchSize = 50_000;

    /// <summary>Transactions per batch (and per database transaction, when a run is not one).</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>
    /// The most transactions of a run's first batch unless set otherwise. Nothing is read ahead of the first batch, and
    /// its rows come cold from the database to code not yet compiled: at 50,000 its lines took 0.6 s to read before
    /// anything else could start, and the batch about three times as long as each after it (docs/adr-018, finding 78).
    /// A smaller first batch has the next one read beside it sooner.
    /// </summary>
    public const int DefaultFirstBatchSize = 10_000;

    /// <summary>The most transactions of a run's first batch; the batches after it take <see cref="BatchSize"/>.</summary>
    public int FirstBatchSize { get; set; } = DefaultFirstBatchSize;

    /// <summary>
    /// Whether a run is one database transaction (Replay:OneTransaction, docs/adr-024): each row the run reads is read
    /// once and each row it changes written once, at its end, as the write floor does; a crash starts the run again
    /// from its last commit (<see cref="LinesPerTransaction"/>). Otherwise each batch commits with its results.
    /// </summary>
    public bool OneTransactionPerRun { get; set; } = true;

    /// <summary>
    /// Lines unless configured (Replay:LinesPerTransaction) after which a run that is one transaction commits what it
    /// has done and goes on in a new one. What such a run holds grows with its lines (at a million over the benchmark's
    /// consortium, 543 MiB of managed heap, docs/adr-024), so this bounds a node's memory whatever a session's size.
    /// </summary>
    public const int DefaultLinesPerTransaction = 1_000_000;

    /// <summary>The most lines one transaction of a run processes (<see cref="OneTransactionPerRun"/>).</summary>
    public int LinesPerTransaction { get; set; } = DefaultLinesPerTransaction;

    /// <summary>Called after each batch commits (or, in a run that is one transaction, after each batch is applied).</summary>
    public Action<BatchReport>? BatchCommitted { get; set; }

    /// <summary>
    /// Raised with the session's id after this processor commits a change to a session's figures: a run's start, each
    /// batch and a run's end. The database notifies every node too; this tells the node it runs on at once.
    /// </summary>
    public event Action<long>? SessionChanged;

    private CircDbContext NewContext() => new(_dbOptions);

    /// <summary>
    /// Processes run <paramref name="run"/> of a session to its end and returns how many transactions this call
    /// processed. Starting the run row is <see cref="StartRunAsync"/>'s job, but a run not started yet is started here
    /// as a plain processing run. A finished run returns 0. Cancellation stops between batches; calling again resumes.
    /// </summary>
    public async Task<int> RunAsync(long sessionId, int run, string processedBy, CancellationToken ct)
    {
        await using var lockConn = await _dataSource.OpenConnectionAsync(ct);
        if (!await TryLockAsync(lockConn, sessionId, ct))
        {
            throw new SessionBusyException(sessionId);
        }
        // Statistics of the tables only the batches read are taken beside the run's count and list (finding 48), and
        // the run's context (libraries, calendars, policies, desks) is read beside all three: a node's first run
        // compiles its queries, up to a second before the statistics could start.
        var statistics = Task.CompletedTask;
        Task<RunContext>? context = null;
        try
        {
            await ResolvePreparedAsync(ct);
            var (startedAt, retry) = await EnsureRunAsync(sessionId, run, processedBy, ct);
            if (startedAt is null)
            {
                return 0;
            }
            // On a thread of its own: compiling a query runs before the query's first wait.
            context = Task.Run(() => LoadContextAsync(sessionId, run, processedBy, startedAt.Value, ct), ct);
            var stale = await StaleTablesAsync(ct);
            await AnalyzeAsync([.. stale.Where(ListTables.ContainsKey).Select(t => ListTables[t])], ListSample, ct);
            statistics = AnalyzeAsync([.. stale.Where(t => !ListTables.ContainsKey(t))], null, ct);
            RunContext? ctx = null;
            int processed;
            for (var attempt = 1; ; attempt++)
            {
                var order = new ReplayOrder(sessionId, run, retry, OneTransactionPerRun);
                var (done, total) = await CountProgressAsync(sessionId, run, order, ct);
                ctx ??= await context;
                SessionChanged?.Invoke(sessionId);
                LogRunStarting(sessionId, run, total - done, total);
                await using var batches = new BatchSource(_dataSource, order, BatchSize, FirstBatchSize);
                try
                {
                    processed = OneTransactionPerRun
                        ? await RunInOneTransactionAsync(ctx, batches, statistics, done, total, ct)
                        : await RunBatchesAsync(ctx, batches, statistics, done, total, ct);
                    break;
                }
                catch (PostgresException e) when (OneTransactionPerRun && e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < DeadlockAttempts)
                {
                    // Another run that is one transaction holds items this one needs and waits for some this one holds;
                    // the database stopped this one, which committed nothing, so it starts again and waits its turn.
                    LogDeadlock(sessionId, run, attempt);
                    ctx = await LoadContextAsync(sessionId, run, processedBy, startedAt.Value, ct);
                }
            }
            await FinishRunAsync(sessionId, run, ct);
            SessionChanged?.Invoke(sessionId);
            LogRunFinished(sessionId, run, processed);
            return processed;
        }
        finally
        {
            await ObserveAsync(context ?? Task.CompletedTask);
            await ObserveAsync(statistics);
            ReplayMetrics.RunEnded(sessionId);
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", lockConn)
            {
                Parameters = { new() { Value = LockClass }, new() { Value = (int)sessionId } },
            };
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Times a run that is one transaction starts again after the database stopped it in a deadlock.</summary>
    private const int DeadlockAttempts = 5;

    private async Task<RunContext> LoadContextAsync(long sessionId, int run, string processedBy, DateTimeOffset startedAt, CancellationToken ct)
    {
        await using var db = NewContext();
        return await RunContext.LoadAsync(db, sessionId, run, processedBy, startedAt, ct);
    }

    /// <summary>Processes the rest of a run batch by batch, each committed with its results; returns how many it processed.</summary>
    private async Task<int> RunBatchesAsync(RunContext ctx, BatchSource batches, Task statistics, int done, int total, CancellationToken ct)
    {
        var processed = 0;
        for (var batchNo = 1; ; batchNo++)
        {
            ct.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            var count = await ProcessBatchAsync(ctx, batches, statistics, ct);
            if (count == 0)
            {
                return processed;
            }
            processed += count;
            done += count;
            Report(new BatchReport(ctx.SessionId, ctx.Run, batchNo, count, done, Math.Max(total, done), watch.Elapsed));
        }
    }

    /// <summary>Tells the metrics, this node's statuses and the caller that a batch is done.</summary>
    private void Report(BatchReport report)
    {
        ReplayMetrics.BatchCommitted(report);
        SessionChanged?.Invoke(report.SessionId);
        BatchCommitted?.Invoke(report);
    }

    /// <summary>
    /// Processes the next batch in replay order; 0 when the session has nothing left to process. Its rows are loaded
    /// once <paramref name="statistics"/> are taken, so the batch's statements are planned for the tables as they are.
    /// </summary>
    private async Task<int> ProcessBatchAsync(RunContext ctx, BatchSource batches, Task statistics, CancellationToken ct) =>
        await NextBatchAsync(batches, statistics, ct) is { } batch ? await ProcessBatchAsync(ctx, batches, batch, ct) : 0;

    /// <summary>The next batch with lines to process, once the statistics are taken; null at the run's end.</summary>
    private static async Task<Batch?> NextBatchAsync(BatchSource batches, Task statistics, CancellationToken ct)
    {
        while (await batches.NextAsync(ct) is { } batch)
        {
            if (batch.Lines.Count > 0)
            {
                await statistics;
                return batch;
            }
        }
        return null;
    }

    private static Outcome Apply(TxRow t, ReplayState state, RunContext ctx) =>
        TransactionKinds.Find(t.Type)?.Apply(t, state, ctx) ?? new Outcome().Fail($"Unknown transaction type '{t.Type}'.");

    /// <summary>
    /// Processes the rest of a run in one database transaction (docs/adr-024), or one per
    /// <see cref="LinesPerTransaction"/> lines: batch by batch, each batch reads only what the transaction has not read
    /// yet and its results stream out as its rules produce them, while the rows the rules change stay in memory until
    /// the transaction's end, where each is written once. The session's row is held shared from the start, so its lines
    /// cannot be deleted under the run while uploads go on; progress is written beside the transaction, for the session
    /// page, and a resumed run counts it afresh from the results.
    /// </summary>
    private async Task<int> RunInOneTransactionAsync(RunContext ctx, BatchSource batches, Task statistics, int done, int total, CancellationToken ct)
    {
        var processed = 0;
        var batchNo = 0;
        while (true)
        {
            var (count, more) = await RunTransactionAsync(ctx, batches, statistics, done + processed, total, () => ++batchNo, ct);
            processed += count;
            if (!more)
            {
                return processed;
            }
        }
    }

    /// <summary>
    /// One transaction of a run: batches until the run's lines are used up or the transaction holds
    /// <see cref="LinesPerTransaction"/>; returns how many it processed and whether lines may be left.
    /// </summary>
    private async Task<(int Count, bool More)> RunTransactionAsync(RunContext ctx, BatchSource batches, Task statistics, int done, int total,
        Func<int> nextBatchNo, CancellationToken ct)
    {
        await using var conn = await BatchLoader.OpenAsync(_dataSource, ct);
        await using var side = await BatchLoader.OpenAsync(_dataSource, ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await BatchWriter.ExecAsync(conn, "SELECT FROM sessions WHERE id = $1 FOR SHARE", ct, ctx.SessionId);
        ReplayState? state = null;
        var counts = new ResultCounts();
        var more = true;
        while (counts.Processed < LinesPerTransaction)
        {
            ct.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            if (await NextBatchAsync(batches, statistics, ct) is not { } batch)
            {
                more = false;
                break;
            }
            state = await BatchLoader.LoadAsync(conn, side, batch, state, ResolvePreparedAsync, ct);
            batches.ReadAhead(ct);
            var loaded = watch.Elapsed;
            var s = state;
            await BatchWriter.ApplyAsync(conn, batch.Lines, s, ctx, _time.GetUtcNow(), t => Apply(t, s, ctx), counts, ct);
            done += batch.Lines.Count;
            await BatchWriter.ExecAsync(side, """
                WITH run AS (UPDATE session_runs SET done = $3 WHERE session_id = $1 AND run = $2 RETURNING 1)
                SELECT pg_notify('session_changes', $1::text)
                """, ct, ctx.SessionId, ctx.Run, done);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                BatchTimed(_logger, ctx.SessionId, batch.Lines.Count, loaded.TotalMilliseconds, (watch.Elapsed - loaded).TotalMilliseconds, 0, 0, null);
                LogMemory(ctx.SessionId);
            }
            Report(new BatchReport(ctx.SessionId, ctx.Run, nextBatchNo(), batch.Lines.Count, done, Math.Max(total, done), watch.Elapsed));
        }
        var clock = Stopwatch.StartNew();
        var prepared = state is null ? null : await WriteRunEffectsAsync(conn, state, ct);
        try
        {
            await counts.WriteAsync(conn, ctx, ct);
            // The run's own progress is already this far: the last batch's figure was written beside the transaction.
            await BatchWriter.ExecAsync(conn, "UPDATE sessions SET progress_done = progress_done + $2 WHERE id = $1", ct, ctx.SessionId, counts.Processed);
        }
        catch when (prepared is not null)
        {
            await FinishPreparedAsync(prepared, commit: false, CancellationToken.None);
            throw;
        }
        var written = clock.Elapsed;
        try
        {
            await tx.CommitAsync(ct);
        }
        catch when (prepared is not null)
        {
            // Whether the commit reached the server is not known here: the run's transaction's status decides.
            await ResolvePreparedAsync(CancellationToken.None);
            throw;
        }
        if (prepared is not null)
        {
            await FinishPreparedAsync(prepared, commit: true, CancellationToken.None);
        }
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            BatchTimed(_logger, ctx.SessionId, counts.Processed, 0, 0, written.TotalMilliseconds, (clock.Elapsed - written).TotalMilliseconds, null);
            LogMemory(ctx.SessionId);
        }
        return (counts.Processed, more);
    }

    private async Task<int> ProcessBatchAsync(RunContext ctx, BatchSource batches, Batch batch, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var conn = await BatchLoader.OpenAsync(_dataSource, ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        ReplayState state;
        await using (var side = await BatchLoader.OpenAsync(_dataSource, ct))
        {
            state = await BatchLoader.LoadAsync(conn, side, batch, null, ResolvePreparedAsync, ct);
        }
        batches.ReadAhead(ct);
        var loaded = clock.Elapsed;
        var applied = loaded;
        await BatchWriter.ApplyAndWriteAsync(conn, batch.Lines, state, ctx, _time.GetUtcNow(),
            t => Apply(t, state, ctx),
            () => applied = clock.Elapsed, ct);
        var written = clock.Elapsed;
        await tx.CommitAsync(ct);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            BatchTimed(_logger, ctx.SessionId, batch.Lines.Count, loaded.TotalMilliseconds, (applied - loaded).TotalMilliseconds,
                (written - applied).TotalMilliseconds, (clock.Elapsed - written).TotalMilliseconds, null);
        }
        return batch.Lines.Count;
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection conn, long sessionId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", conn)
        {
            Parameters = { new() { Value = LockClass }, new() { Value = (int)sessionId } },
        };
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Returns the run's start time (null when it has already finished) and whether it is a retry.</summary>
    private async Task<(DateTimeOffset? StartedAt, bool Retry)> EnsureRunAsync(long sessionId, int run, string processedBy, CancellationToken ct)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        try
        {
            await BatchWriter.ExecAsync(conn, """
                INSERT INTO session_runs (session_id, run, kind, started_by, started_at, total, done)
                VALUES ($1, $2, $5, $3, $4, 0, 0)
                ON CONFLICT (session_id, run) DO NOTHING
                """, ct, sessionId, run, processedBy, _time.GetUtcNow(), SnakeCaseEnum.ToSnake(RunKind.Process));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new SessionBusyException(sessionId);
        }
        DateTimeOffset? startedAt = null;
        var (finished, retry) = (false, false);
        await BatchLoader.ReadAsync(conn, "SELECT started_at, finished_at IS NOT NULL, kind FROM session_runs WHERE session_id = $1 AND run = $2",
            [sessionId, run], r => (startedAt, finished, retry) = (r.GetFieldValue<DateTimeOffset>(0), r.GetBoolean(1), SnakeCaseEnum.Parse<RunKind>(r.GetString(2)) == RunKind.Retry), ct);
        if (finished)
        {
            return (null, retry);
        }
        await BatchWriter.ExecAsync(conn, """
            UPDATE sessions SET state = 'processing', run_count = GREATEST(run_count, $2) WHERE id = $1
            """, ct, sessionId, run);
        return (startedAt, retry);
    }

    /// <summary>
    /// Sets the run's progress and counts the session's running counts afresh (docs/adr-016), once per run start or
    /// resume; the batches then keep them. The session row is held first: uploads hold it shared until they commit, so
    /// none is half counted. The run's list is read here too (<see cref="ReplayOrder.ReadFirstAsync"/>): that read is
    /// the only one of the session's lines a run's start makes, and the lines' count follows from it and the current
    /// results (docs/adr-018, finding 48).
    /// </summary>
    private async Task<(int Done, int Total)> CountProgressAsync(long sessionId, int run, ReplayOrder order, CancellationToken ct)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await BatchWriter.ExecAsync(conn, "SELECT FROM sessions WHERE id = $1 FOR NO KEY UPDATE", ct, sessionId);
        var clock = Stopwatch.StartNew();
        var unprocessed = await order.ReadFirstAsync(conn, ct);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            ListRead(_logger, sessionId, order.Count, clock.Elapsed.TotalMilliseconds, null);
        }
        var (done, current) = (0, 0L);
        // Every line has at most one current result, and the list holds every line without one.
        await BatchLoader.ReadAsync(conn, """
            SELECT count(*) FILTER (WHERE run = $2)::int, count(*) FROM transaction_results WHERE session_id = $1 AND is_current
            """, [sessionId, run], r => (done, current) = (r.GetInt32(0), r.GetInt64(1)), ct);
        await BatchWriter.ExecAsync(conn, SessionCounts.ClearSql, ct, sessionId);
        await BatchWriter.ExecAsync(conn, SessionCounts.RecountSql, ct, sessionId, unprocessed + current);
        var total = done + order.Count;
        await BatchWriter.ExecAsync(conn, "UPDATE session_runs SET total = $3, done = $4 WHERE session_id = $1 AND run = $2", ct, sessionId, run, total, done);
        await BatchWriter.ExecAsync(conn, "UPDATE sessions SET progress_total = $2, progress_done = $3 WHERE id = $1", ct, sessionId, total, done);
        await tx.CommitAsync(ct);
        return (done, total);
    }

    /// <summary>The tables a run reads and writes, whose statistics steer the plans of its batch statements.</summary>
    private static readonly string[] ReplayTables =
        ["offline_transactions", "transaction_results", "items", "circulations", "patrons", "cards", "holds", "transits", "billings"];

    /// <summary>
    /// The tables the run's count and its list read, each with what is analyzed of it before the list; the others only
    /// the batches read. Of the lines, only the columns that plan the list and the batches' reads are taken, from a
    /// sample a tenth of the usual size (<see cref="ListSample"/>): a session just uploaded waited 0.7 to 1.9 s for the
    /// usual sample of its lines, the first read of their pages since the upload (docs/adr-018, finding 62). Analyzing
    /// some columns leaves the table's count of changes as it was, so autovacuum still takes every column from a full
    /// sample later.
    /// </summary>
    private static readonly Dictionary<string, string> ListTables = new()
    {
        ["offline_transactions"] = "offline_transactions (id, session_id, type)",
        ["transaction_results"] = "transaction_results",
    };

    /// <summary>The statistics target of the list's tables' analysis before a run: 3,000 rows sampled instead of 30,000.</summary>
    private const int ListSample = 10;

    /// <summary>
    /// The tables a run uses whose statistics lag their contents: grown by a quarter since last analyzed (or never
    /// analyzed), or a fifth of their rows changed since (a session just uploaded, a catalogue just imported). Left to
    /// autovacuum, a replay started at once plans its first batches for tables a fraction of their size
    /// (docs/adr-018); analyzing samples a fixed number of rows, well under a second per table.
    /// </summary>
    private async Task<List<string>> StaleTablesAsync(CancellationToken ct)
    {
        var stale = new List<string>();
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        // Growth is read from the table's size on disk against the pages its last analysis saw, which is exact at
        // once; the activity counters can lag a just-committed upload by a second or more.
        await BatchLoader.ReadAsync(conn, """
            SELECT c.relname FROM pg_class c
            JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1)
              AND (pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.25
                   OR s.n_mod_since_analyze > greatest(1000, s.n_live_tup / 5))
            ORDER BY c.relname
            """, [ReplayTables], r => stale.Add(r.GetString(0)), ct);
        return stale;
    }

    /// <summary>Analyzes the tables, from a sample of the given statistics target or of the server's default.</summary>
    private async Task AnalyzeAsync(string[] tables, int? target, CancellationToken ct)
    {
        if (tables.Length == 0)
        {
            return;
        }
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var names = string.Join(", ", tables);
        var watch = Stopwatch.StartNew();
        if (target is { } sample)
        {
            await BatchWriter.ExecAsync(conn, "SELECT set_config('default_statistics_target', $1, true)", ct, sample.ToString(CultureInfo.InvariantCulture));
        }
        await BatchWriter.ExecAsync(conn, $"ANALYZE {names}", ct);
        await tx.CommitAsync(ct);
        LogAnalyzed(names, watch.ElapsedMilliseconds);
    }

    /// <summary>Waits for work started beside the run, whose failure the run has already met or will not need.</summary>
    private static async Task ObserveAsync(Task task)
    {
        try
        {
            await task;
        }
#pragma warning disable CA1031 // Statistics not taken only leave the next run to take them.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task FinishRunAsync(long sessionId, int run, CancellationToken ct)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        var now = _time.GetUtcNow();
        await BatchWriter.ExecAsync(conn, "UPDATE session_runs SET finished_at = $3 WHERE session_id = $1 AND run = $2", ct, sessionId, run, now);
        await BatchWriter.ExecAsync(conn, "UPDATE sessions SET state = 'processed', processed_at = $2 WHERE id = $1 AND state <> 'closed'", ct, sessionId, now);
    }

    private static readonly Action<ILogger, long, int, int, int, Exception?> RunStarting = LoggerMessage.Define<long, int, int, int>(
        LogLevel.Information, new EventId(1, "ReplayStarting"), "Replay of session {SessionId} run {Run}: {Pending} of {Total} transactions to process");

    private static readonly Action<ILogger, long, int, int, Exception?> RunFinished = LoggerMessage.Define<long, int, int>(
        LogLevel.Information, new EventId(2, "ReplayFinished"), "Replay of session {SessionId} run {Run} finished: {Processed} transactions processed");

    private static readonly Action<ILogger, string, long, Exception?> Analyzed = LoggerMessage.Define<string, long>(
        LogLevel.Information, new EventId(3, "ReplayAnalyzed"), "Replay: statistics of {Tables} lagged their contents; analyzed in {Milliseconds} ms");

    private static readonly Action<ILogger, long, int, double, double, double, double, Exception?> BatchTimed =
        LoggerMessage.Define<long, int, double, double, double, double>(LogLevel.Debug, new EventId(4, "ReplayBatchTimed"),
            "Replay of session {SessionId}: batch of {Count} loaded in {LoadMs:0} ms, applied in {ApplyMs:0} ms (its results streamed meanwhile), written in {WriteMs:0} ms, committed in {CommitMs:0} ms");

    private static readonly Action<ILogger, long, int, double, Exception?> ListRead =
        LoggerMessage.Define<long, int, double>(LogLevel.Debug, new EventId(7, "ReplayListRead"),
            "Replay of session {SessionId}: its list of {Count} lines read and put in replay order in {Milliseconds:0} ms");

    private static readonly Action<ILogger, long, long, long, long, long, int, Exception?> MemoryHeld =
        LoggerMessage.Define<long, long, long, long, long, int>(LogLevel.Debug, new EventId(6, "ReplayMemory"),
            "Replay of session {SessionId}: the process holds {WorkingSetMiB} MiB, its managed heap {HeapMiB} MiB after the last collection, {FragmentedMiB} MiB of it free gaps; the last full collection kept {LiveMiB} MiB; {FullCollections} full collections so far");

    /// <summary>
    /// What the process holds after a batch, in the batch log: a run that is one transaction keeps its state to its end.
    /// The heap after a young collection also holds whatever died since the last full one; what that full collection kept
    /// is the state itself.
    /// </summary>
    private void LogMemory(long sessionId)
    {
        var gc = GC.GetGCMemoryInfo();
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var full = background.Index > blocking.Index ? background : blocking;
        MemoryHeld(_logger, sessionId, Environment.WorkingSet >> 20, gc.HeapSizeBytes >> 20, gc.FragmentedBytes >> 20,
            full.PromotedBytes >> 20, GC.CollectionCount(2), null);
    }

    private static readonly Action<ILogger, long, int, int, Exception?> Deadlocked = LoggerMessage.Define<long, int, int>(
        LogLevel.Warning, new EventId(5, "ReplayDeadlocked"),
        "Replay of session {SessionId} run {Run} met another run over the same items (attempt {Attempt}) and starts again");

    private void LogDeadlock(long sessionId, int run, int attempt) => Deadlocked(_logger, sessionId, run, attempt, null);

    private void LogAnalyzed(string tables, long milliseconds) => Analyzed(_logger, tables, milliseconds, null);

    private void LogRunStarting(long sessionId, int run, int pending, int total) => RunStarting(_logger, sessionId, run, pending, total, null);

    private void LogRunFinished(long sessionId, int run, int processed) => RunFinished(_logger, sessionId, run, processed, null);
}
