using Npgsql;

namespace OfflineCirc.Core.Replay;

/// <summary>
/// Hands out a run's batches in replay order and reads the next batch's lines while the current one is applied and
/// written (docs/adr-018). Only lines no open batch can touch are read ahead: the ids come from the list already read
/// (<see cref="ReplayOrder.TakeBuffered"/>), the lines are the run's own and not yet processed by it, and the rows they change are
/// still loaded inside each batch's transaction. When the list is used up, the next batch waits for the current one's
/// commit, so a fresh read of the list never sees a batch half done.
/// </summary>
internal sealed class BatchSource(NpgsqlDataSource dataSource, ReplayOrder order, int size) : IAsyncDisposable
{
    private Task<List<TxRow>>? _ahead;

    /// <summary>The next batch's lines (empty when another run took them all), or null when none are left.</summary>
    public async Task<List<TxRow>?> NextAsync(CancellationToken ct)
    {
        if (_ahead is { } ahead)
        {
            _ahead = null;
            return await ahead;
        }
        var ids = await order.NextAsync(dataSource, size, ct);
        return ids.Length == 0 ? null : await ReadAsync(ids, ct);
    }

    /// <summary>Starts reading the batch after the one just handed out, when the list already holds its ids.</summary>
    public void ReadAhead(CancellationToken ct)
    {
        var ids = order.TakeBuffered(size);
        if (ids.Length > 0)
        {
            _ahead = ReadAsync(ids, ct);
        }
    }

    private async Task<List<TxRow>> ReadAsync(long[] ids, CancellationToken ct)
    {
        await using var conn = await BatchLoader.OpenAsync(dataSource, ct);
        return await BatchLoader.NextBatchAsync(conn, ids, order.Run, ct);
    }

    /// <summary>Waits for a read still under way, so no connection outlives the run and no failure goes unobserved.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ahead is { } ahead)
        {
            _ahead = null;
            try
            {
                await ahead;
            }
#pragma warning disable CA1031 // The run is over, perhaps by this very failure: a read ahead of it has nothing to add.
            catch (Exception)
#pragma warning restore CA1031
            {
                // The batch it read is read again by whichever run processes it.
            }
        }
    }
}
