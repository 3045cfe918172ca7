using Npgsql;
using NpgsqlTypes;

namespace OfflineCirc.Web.Import;

/// <summary>Runs the import's SQL on its connection and transaction, with @scope (subtree path or null) and @user bound.</summary>
public sealed class ImportCommands(NpgsqlConnection connection, NpgsqlTransaction transaction, ImportActor actor)
{
    public NpgsqlConnection Connection => connection;

    public async Task<int> ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var cmd = Command(sql);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A statement whose single row is (inserted, updated).</summary>
    public async Task<(long Inserted, long Updated)> CountsAsync(string sql, CancellationToken ct)
    {
        await using var cmd = Command(sql);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Runs a check query of (row_no, message) rows into <paramref name="errors"/>; boundary refusals silence later checks of their row.</summary>
    public async Task CollectAsync(string sql, RowErrors errors, CancellationToken ct, bool boundary = false)
    {
        await using var cmd = Command(sql + $" LIMIT {RowErrors.Limit + 1}");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (boundary)
            {
                errors.AddOutside(reader.GetInt32(0), reader.GetString(1));
            }
            else
            {
                errors.Add(reader.GetInt32(0), reader.GetString(1));
            }
        }
    }

    private NpgsqlCommand Command(string sql)
    {
        var cmd = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        if (sql.Contains("@scope", StringComparison.Ordinal))
        {
            cmd.Parameters.Add(new NpgsqlParameter("scope", NpgsqlDbType.Text) { Value = (object?)actor.ScopePath ?? DBNull.Value });
        }
        if (sql.Contains("@user", StringComparison.Ordinal))
        {
            cmd.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Text) { Value = actor.UserName });
        }
        return cmd;
    }
}
