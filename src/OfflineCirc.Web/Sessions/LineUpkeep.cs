using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;

namespace OfflineCirc.Web.Sessions;

/// <summary>
/// Vacuums and analyzes the uploaded lines (offline_transactions) once uploads to this node pause for
/// <see cref="Pause"/>, when autovacuum's own thresholds say it would soon come to them. Left to autovacuum, that pass
/// began up to a minute after the upload and, when someone pressed Process at once, shared the cores with the replay
/// for 2 to 12 s (docs/adr-027). Done here it runs unthrottled, once per burst of uploads, and autovacuum finds nothing
/// left to do. Nothing waits for it and nothing depends on it: what is not done here autovacuum still does. A node
/// asked to stop does what is owed first, within the host's shutdown time.
/// </summary>
public sealed partial class LineUpkeep(NpgsqlDataSource dataSource, ILogger<LineUpkeep> logger) : BackgroundService
{
    /// <summary>How long uploads must pause before the upkeep: the files of one outage arrive one after another.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether each pass is due, by autovacuum's own rules (inserted rows since the last vacuum, changed rows since
    /// the last analysis, against a base plus a share of the table), so the node never does more than the server would.
    /// </summary>
    private const string DueSql = """
        SELECT current_setting('autovacuum_vacuum_insert_threshold')::float8 >= 0
                 AND s.n_ins_since_vacuum > current_setting('autovacuum_vacuum_insert_threshold')::float8
                   + current_setting('autovacuum_vacuum_insert_scale_factor')::float8 * greatest(c.reltuples, 0),
               s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
                   + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)
        FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
        WHERE s.relid = 'offline_transactions'::regclass
        """;

    private readonly Channel<bool> _uploads = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _owed;

    /// <summary>
    /// Called on an upload's own connection once its transaction has committed. The upload's counts of inserted rows
    /// reach the server's statistics when its process next reports them, which can be 10 s after it is idle; an
    /// upkeep before that would be counted as done and then undone by them, and autovacuum would come all the same
    /// (docs/adr-018, finding 79). So the connection is asked to report them as soon as it is idle.
    /// </summary>
    public async Task UploadedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        try
        {
            await using var report = new NpgsqlCommand("SELECT pg_stat_force_next_flush()", connection);
            await report.ExecuteNonQueryAsync(ct);
        }
#pragma warning disable CA1031 // The upload has committed: nothing here may turn it into an error.
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
#pragma warning restore CA1031
        {
            // Before PostgreSQL 15 there is no such request, and the counts arrive on their own a little later.
        }
        Volatile.Write(ref _owed, 1);
        _uploads.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _uploads.Reader.WaitToReadAsync(stoppingToken))
            {
                // Wait for the uploads to pause: every upload in the meantime starts the pause again.
                do
                {
                    _uploads.Reader.TryRead(out _);
                    await Task.Delay(Pause, stoppingToken);
                }
                while (_uploads.Reader.TryPeek(out _));
                // Not cut short by a stop: StopAsync waits for it, within the host's shutdown time.
                await UpkeepOwedAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await UpkeepOwedAsync(cancellationToken);
    }

    /// <summary>Does the upkeep if an upload came since the last one; never throws.</summary>
    private async Task UpkeepOwedAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _owed, 0) == 0)
        {
            return;
        }
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            bool vacuum = false, analyze = false;
            await using (var due = new NpgsqlCommand(DueSql, connection))
            await using (var reader = await due.ExecuteReaderAsync(ct))
            {
                if (await reader.ReadAsync(ct))
                {
                    (vacuum, analyze) = (reader.GetBoolean(0), reader.GetBoolean(1));
                }
            }
            if (!vacuum && !analyze)
            {
                return;
            }
            var watch = Stopwatch.StartNew();
            // SKIP_LOCKED: another node's upkeep, or autovacuum, already at it is left to finish.
            var sql = vacuum ? $"VACUUM ({(analyze ? "ANALYZE, " : "")}SKIP_LOCKED) offline_transactions" : "ANALYZE (SKIP_LOCKED) offline_transactions";
            await using (var upkeep = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 })
            {
                await upkeep.ExecuteNonQueryAsync(ct);
            }
            LogDone(sql, watch.Elapsed.TotalSeconds);
        }
#pragma warning disable CA1031 // The lines are stored; what is not done now autovacuum does later.
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
#pragma warning restore CA1031
        {
            LogNotDone(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Uploaded lines looked after once uploads paused: {Sql} in {Seconds:0.0} s")]
    private partial void LogDone(string sql, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Uploaded lines not vacuumed or analyzed after the uploads; autovacuum will")]
    private partial void LogNotDone(Exception ex);
}
