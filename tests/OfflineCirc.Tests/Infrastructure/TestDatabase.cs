using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OfflineCirc.Core.Data;

namespace OfflineCirc.Tests.Infrastructure;

/// <summary>
/// A fresh database per test class, copied from a template that the real migrations built once per test run.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _templateName;

    public string Name { get; } = "oc_test_" + Guid.NewGuid().ToString("N")[..16];
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("OFFLINECIRC_TEST_PG")
        ?? throw new InvalidOperationException("OFFLINECIRC_TEST_PG is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");

    public async Task InitializeAsync()
    {
        var template = await EnsureTemplateAsync();
        await ExecuteAdminAsync($"CREATE DATABASE \"{Name}\" TEMPLATE \"{template}\"");
        ConnectionString = ForDatabase(Name);
        DataSource = OfflineCirc.Web.Infrastructure.Database.BuildDataSource(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    public CircDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<CircDbContext>();
        builder.UseCirculationDatabase(DataSource);
        return new CircDbContext(builder.Options);
    }

    /// <summary>Empties every table of the circulation model and of the jobs, keeping the schema.</summary>
    public async Task ResetAsync()
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        await using var list = new NpgsqlCommand(
            "SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') FROM pg_tables " +
            "WHERE schemaname IN ('public', 'hangfire') AND tablename NOT IN ('__EFMigrationsHistory', 'schema')", conn);
        var tables = (string?)await list.ExecuteScalarAsync();
        if (tables is not null)
        {
            await using var truncate = new NpgsqlCommand($"TRUNCATE {tables} RESTART IDENTITY CASCADE", conn);
            await truncate.ExecuteNonQueryAsync();
        }
    }

    public static string ForDatabase(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, MaxPoolSize = 40 }.ConnectionString;

    private static async Task<string> EnsureTemplateAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_templateName is not null)
            {
                return _templateName;
            }
            var name = "oc_template_" + Guid.NewGuid().ToString("N")[..12];
            await ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
            var cs = new NpgsqlConnectionStringBuilder(ForDatabase(name)) { Pooling = false }.ConnectionString;
            await using (var dataSource = OfflineCirc.Web.Infrastructure.Database.BuildDataSource(cs))
            {
                var builder = new DbContextOptionsBuilder<CircDbContext>();
                builder.UseCirculationDatabase(dataSource);
                await using (var db = new CircDbContext(builder.Options))
                {
                    await db.Database.MigrateAsync();
                }
                await using var conn = await dataSource.OpenConnectionAsync();
                PostgreSqlObjectsInstaller.Install(conn, "hangfire");
            }
            _templateName = name;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DropQuietly(name);
            return name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static void DropQuietly(string name)
    {
        try
        {
            ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").GetAwaiter().GetResult();
        }
        catch (NpgsqlException)
        {
            // The server may already be gone at process exit; the next run makes its own template.
        }
    }

    private static async Task ExecuteAdminAsync(string sql)
    {
        var cs = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
