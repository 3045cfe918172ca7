using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OfflineCirc.Core.Data;

namespace OfflineCirc.Web.Infrastructure;

public static class Database
{
    // Any fixed number: all instances agree on it, so only one migrates at a time.
    private const long MigrationLockKey = 0x0FF11_4EC1;

    /// <summary>The service key of the pool the pages' read-only queries use (<see cref="BuildReadsDataSource"/>).</summary>
    public const string Reads = "reads";

    // The reads pool's own limit, so that both pools together stay inside the server's connections.
    private const int ReadsPoolSize = 20;

    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var cs = configuration.GetConnectionString("Default")
            ?? throw new InvalidOperationException("ConnectionStrings:Default is not set. Start the app with scripts/run.sh, or set ConnectionStrings__Default.");
        var dataSource = BuildDataSource(cs);
        services.AddSingleton(dataSource);
        services.AddKeyedSingleton(Reads, (_, _) => BuildReadsDataSource(cs));
        // Pooled: a context is set up once and reused, instead of being built for every request and every sign-in check.
        // Saving a change to an account forgets this node's sign-in readings at once (docs/adr-019). Registered with
        // the database, since every process that saves through the context has it, the command-line verbs included.
        services.AddSingleton<People.AccountChecks>();
        services.AddSingleton<Sessions.SessionStatusCache>();
        services.AddSingleton<People.AccountChangeInterceptor>();
        services.AddDbContextPool<CircDbContext>((provider, o) => o.UseCirculationDatabase(dataSource)
            .AddInterceptors(provider.GetRequiredService<People.AccountChangeInterceptor>()));
        services.AddHealth();
        // Every node reads and writes the same key ring, so a cookie or token made by one is accepted by all (docs/adr-008).
        services.AddDataProtection()
            .SetApplicationName("OfflineCirc")
            .PersistKeysToDbContext<CircDbContext>();
        return services;
    }

    public static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // The app's queries are short or streamed; compiling them with JIT costs more than it saves.
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.Options))
        {
            builder.ConnectionStringBuilder.Options = "-c jit=off";
        }
        // Statements the app runs again and again (pages, lookups, the replay's batch queries) are prepared on the
        // server after their second use, so PostgreSQL plans them once per connection.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }
        // Bulk COPY at intake sends a file's rows in fewer, larger writes.
        if (builder.ConnectionStringBuilder.WriteBufferSize == 8192)
        {
            builder.ConnectionStringBuilder.WriteBufferSize = 64 * 1024;
        }
        builder.EnableDynamicJson();
        return builder.Build();
    }

    /// <summary>
    /// The pool of the pages' and the status's reads: single statements (or one transaction with <c>SET LOCAL</c>) that
    /// leave nothing on their connection, no session setting, lock or temporary table. So it skips the reset Npgsql
    /// otherwise sends each time a connection is taken from the pool, which an exceptions page paid three times: about
    /// a sixth of the machine's CPU per page (docs/adr-018, finding 23). Anything that writes, locks or sets keeps to
    /// the main pool.
    /// </summary>
    public static NpgsqlDataSource BuildReadsDataSource(string connectionString)
    {
        var reads = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        reads.MaxPoolSize = Math.Min(reads.MaxPoolSize, ReadsPoolSize);
        return BuildDataSource(reads.ConnectionString);
    }

    /// <summary>
    /// Applies migrations holding a PostgreSQL advisory lock so parallel instances do not race; <paramref name="thenUnderLock"/>
    /// (roles, first administrator, demo data) runs under the same lock, so nodes started together create them once.
    /// </summary>
    public static async Task MigrateWithLockAsync(IServiceProvider services, CancellationToken ct = default, Func<Task>? thenUnderLock = null)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", conn))
        {
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CircDbContext>();
            await db.Database.MigrateAsync(ct);
            // The first key is made here, under the lock, so nodes starting together on a new database share one key.
            scope.ServiceProvider.GetService<IDataProtectionProvider>()?.CreateProtector("OfflineCirc.Startup").Protect("ready");
            if (thenUnderLock is not null)
            {
                await thenUnderLock();
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", conn);
            await unlock.ExecuteNonQueryAsync(ct);
        }
    }
}
