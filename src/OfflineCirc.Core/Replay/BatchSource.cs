using Npgsql;

namespace OfflineCirc.Core.Replay;

/// <summary>A batch's lines in replay order, with the ids reserved for the rows their rules may create.</summary>
internal sealed record Batch(List<TxRow> Lines, IdPool Ids);

/// <summary>
/// Hands out a run's batches in replay order and reads the next batch's lines while the current one is applied and
/// written (docs/adr-018): only once the current batch's rows are loaded, so the two reads do not share the cores.
/// Only lines no open batch can touch are read ahead: the ids come from the list already read
/// (<see cref="ReplayOrder.TakeBuffered"/>), the lines are the run's own and not yet processed by it, and the rows they
/// change are still loaded inside each batch's transaction. When the list is used up, the next batch waits for the
/// current one's commit, so a fresh read of the list never sees a batch half done.
/// </summary>
internal sealed class BatchSource(NpgsqlDataSource dataSource, ReplayOrder order, int size, int firstSize) : IAsyncDisposable
{
    private Task<Batch>? _ahead;

    // The words the run's lines repeat, shared by every batch it reads.
    private readonly SharedWords _words = new();

    // What the next read of the list takes: the first batch's most, then the batch size.
    private int _take = Math.Min(size, firstSize);

    /// <summary>The next batch (its lines empty when another run took them all), or null when none are left.</summary>
    public async Task<Batch?> NextAsync(CancellationToken ct)
    {
        if (_ahead is { } ahead)
        {
            _ahead = null;
            return await ahead;
        }
        var ids = await order.NextAsync(dataSource, _take, ct);
        _take = size;
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

    /// <summary>
    /// Reads a batch's lines and reserves the ids their rules may need. A sequence hands out its values outside any
    /// transaction, so the ids of the batch after the current one are taken here, beside the current one's work,
    /// instead of in the batch's own load; a batch never processed leaves only a gap in each sequence.
    /// </summary>
    private async Task<Batch> ReadAsync(long[] ids, CancellationToken ct)
    {
        await using var conn = await BatchLoader.OpenAsync(dataSource, ct);
        var lines = await BatchLoader.NextBatchAsync(conn, ids, order.Run, _words, ct);
        return new Batch(lines, await BatchLoader.ReserveIdsAsync(conn, lines, ct));
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
