using Npgsql;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>
/// Holds, in a transaction of its own, the rows of items a session's replay first reaches only after a given number of
/// its transactions. A run loads its batch's items <c>FOR NO KEY UPDATE</c>, so it cannot pass that point while the hold
/// lasts: a test that interrupts a run half-way (a kill, an outage, a deleted job) then interrupts it half-way however
/// quickly the machine replays, instead of racing the run to its end.
/// </summary>
public sealed class RunHold : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private NpgsqlTransaction? _transaction;

    private RunHold(NpgsqlConnection connection) => _connection = connection;

    /// <param name="after">
    /// The held items are first reached after this many transactions. Ranks are by recorded time over every line, and
    /// the replay takes registrations (which name no item) first, so an item's place in the replay is never earlier.
    /// </param>
    public static async Task<RunHold> AfterAsync(string connectionString, long sessionId, int after)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        var hold = new RunHold(connection);
        await connection.OpenAsync();
        hold._transaction = await connection.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*) FROM (
                SELECT i.id FROM items i
                JOIN (SELECT item_barcode, min(rank) AS first
                      FROM (SELECT item_barcode, row_number() OVER (ORDER BY recorded_at, file_id, line_number, id) AS rank
                            FROM offline_transactions WHERE session_id = @session) ranked
                      WHERE item_barcode IS NOT NULL GROUP BY item_barcode) f ON f.item_barcode = i.barcode
                WHERE f.first > @after ORDER BY f.first LIMIT 20
                FOR UPDATE OF i) held
            """, connection, hold._transaction);
        cmd.Parameters.AddWithValue("session", sessionId);
        cmd.Parameters.AddWithValue("after", (long)after);
        var held = (long)(await cmd.ExecuteScalarAsync())!;
        if (held == 0)
        {
            await hold.DisposeAsync();
            throw new InvalidOperationException($"No item of session {sessionId} is first reached after {after} transactions; nothing would hold the run.");
        }
        return hold;
    }

    /// <summary>Lets the run go on. A hold whose connection the test cut (an outage) has already let go.</summary>
    public async Task ReleaseAsync()
    {
        var transaction = _transaction;
        _transaction = null;
        try
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync();
            }
        }
        catch (NpgsqlException) when (_connection.FullState.HasFlag(System.Data.ConnectionState.Broken))
        {
            // The outage test cut this connection with the rest; the server dropped the locks with it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        await _connection.DisposeAsync();
    }
}
