using Npgsql;

namespace OfflineCirc.Core.Data;

/// <summary>A table and the columns a binary COPY fills, in the order its rows are written.</summary>
public sealed class CopyTarget(string table, params string[] columns)
{
    public string Table { get; } = table;
    public IReadOnlyList<string> Columns { get; } = columns;
    public short Count => (short)Columns.Count;
    public string Command => $"COPY {Table} ({string.Join(", ", Columns)}) FROM STDIN (FORMAT BINARY)";
}

/// <summary>Binary COPY through <see cref="CopyRowWriter"/>: bulk writes that EF would send row by row.</summary>
public static class BinaryCopy
{
    /// <summary>
    /// One binary COPY whose rows <paramref name="write"/> produces. When it returns false or throws, the COPY is
    /// cancelled; otherwise it is completed, and an error the server found (a repeated key, say) is thrown here.
    /// </summary>
    public static async Task<bool> RunAsync(NpgsqlConnection conn, string command, Func<CopyRowWriter, Task<bool>> write, CancellationToken ct)
    {
        await using var copy = await conn.BeginRawBinaryCopyAsync(command, ct);
        copy.ReadTimeout = copy.WriteTimeout = 30 * 60 * 1000;
        var rows = new CopyRowWriter(copy);
        var complete = false;
        try
        {
            if (await write(rows))
            {
                await rows.CompleteAsync(ct);
                complete = true;
            }
            return complete;
        }
        finally
        {
            if (!complete)
            {
                await copy.CancelAsync();
            }
        }
    }

    /// <summary>Copies every row into <paramref name="target"/>; <paramref name="write"/> writes one row's values in the target's column order.</summary>
    public static async Task InsertAsync<T>(NpgsqlConnection conn, CopyTarget target, IEnumerable<T> rows, Action<CopyRowWriter, T> write, CancellationToken ct)
    {
        using var each = rows.GetEnumerator();
        if (!each.MoveNext())
        {
            return;
        }
        await RunAsync(conn, target.Command, async w =>
        {
            do
            {
                w.StartRow(target.Count);
                write(w, each.Current);
                await w.EndRowAsync(ct);
            }
            while (each.MoveNext());
            return true;
        }, ct);
    }
}
