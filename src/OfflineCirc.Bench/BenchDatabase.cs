using Npgsql;

namespace OfflineCirc.Bench;

/// <summary>A fresh, empty database on the private server for one benchmark run; dropped afterwards unless kept.</summary>
public sealed class BenchDatabase(string adminConnectionString, string name) : IAsyncDisposable
{
    public string Name => name;

    public bool Keep { get; set; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;

    public static async Task<BenchDatabase> CreateAsync(string adminConnectionString, string prefix)
    {
        var database = new BenchDatabase(adminConnectionString, $"{prefix}_{DateTime.UtcNow:yyyyMMddHHmmss}");
        await database.AdminAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Keep)
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
