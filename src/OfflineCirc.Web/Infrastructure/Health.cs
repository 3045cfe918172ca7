using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OfflineCirc.Core.Data;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>Probes as orchestrators expect: live (the process answers) and ready (it can do its node's work).</summary>
public static class Health
{
    private const string Ready = "ready";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready], timeout: CheckTimeout)
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [Ready], timeout: CheckTimeout)
            .AddCheck<JobServerHealthCheck>("job-server", tags: [Ready], timeout: CheckTimeout);
        return services;
    }

    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        var ready = new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync };
        app.MapHealthChecks("/healthz/ready", ready).AllowAnonymous();
        // The one probe of earlier versions, kept for scripts and compose files that use it.
        app.MapHealthChecks("/healthz", ready).AllowAnonymous();
    }

    /// <summary>Each check's verdict and sentence, without exception details (the log has those).</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}

public sealed class MigrationsHealthCheck(CircDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("Every migration is applied.")
                : HealthCheckResult.Unhealthy($"{pending.Count} migrations are not applied yet, first {pending[0]}.");
        }
        catch (NpgsqlException ex)
        {
            return HealthCheckResult.Unhealthy("The migrations could not be checked: the database does not answer.", ex);
        }
    }
}

/// <summary>On a worker, its Hangfire server has registered and its heartbeat is recent; a web node runs no jobs.</summary>
public sealed class JobServerHealthCheck(Node node, JobServerIdentity identity, JobTimings timings, NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!node.RunsJobs)
        {
            return HealthCheckResult.Healthy("A web node runs no jobs.");
        }
        if (identity.ServerId is not { } serverId)
        {
            return HealthCheckResult.Unhealthy("The job server has not started yet.");
        }
        try
        {
            await using var cmd = dataSource.CreateCommand("SELECT now() - lastheartbeat < $2 FROM hangfire.server WHERE id = $1");
            cmd.Parameters.Add(new NpgsqlParameter { Value = serverId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = timings.ServerTimeout });
            return await cmd.ExecuteScalarAsync(ct) is true
                ? HealthCheckResult.Healthy($"Job server {serverId} is registered.")
                : HealthCheckResult.Unhealthy($"Job server {serverId} is not registered or its heartbeat is old.");
        }
        catch (NpgsqlException ex)
        {
            return HealthCheckResult.Unhealthy("The job server could not be checked: the database does not answer.", ex);
        }
    }
}
