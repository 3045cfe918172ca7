using Microsoft.EntityFrameworkCore;
using Npgsql;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.People;

public class MigrationsTests
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_build_the_model()
    {
        var name = "oc_empty_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin).ExecuteNonQueryAsync();
        }
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(TestDatabase.ForDatabase(name)) { Pooling = false }.ConnectionString;
            await using var app = new AppFactory(cs);
            using var client = app.CreateClient();
            // Readiness also waits for the job server to register, which a busy machine can take a moment over; an
            // orchestrator asks again, and so does this test, for up to 30 s.
            await MultiNode.Nodes.WaitUntilAsync(async () => (await client.GetAsync("/healthz")).IsSuccessStatusCode,
                TimeSpan.FromSeconds(30), "the app reports itself ready");
            var health = await client.GetAsync("/healthz");
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
            await using var db = app.CreateContext();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var tables = await db.Database.SqlQueryRaw<string>(
                "SELECT tablename AS \"Value\" FROM pg_tables WHERE schemaname = 'public'").ToListAsync();
            foreach (var table in new[] { "org_units", "items", "circulations", "billings", "holds", "transits", "offline_transactions", "transaction_results", "audit_log" })
            {
                Assert.Contains(table, tables);
            }
            // The first administrator came from configuration.
            Assert.True(await db.Users.AnyAsync(u => u.Email == AppFactory.AdminEmail));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }
}
