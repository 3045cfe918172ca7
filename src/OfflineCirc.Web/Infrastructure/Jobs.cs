using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.Server;
using Microsoft.AspNetCore.Authentication;
using Npgsql;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>Timings of the job server and the run watchdog; short in tests, minutes-scale defaults in production.</summary>
public sealed record JobTimings(TimeSpan Poll, TimeSpan Invisibility, TimeSpan Heartbeat, TimeSpan ServerTimeout, TimeSpan Watchdog)
{
    public static JobTimings FromConfiguration(IConfiguration configuration) => new(
        Seconds(configuration, "Jobs:PollSeconds", 2),
        Seconds(configuration, "Jobs:InvisibilitySeconds", 60),
        Seconds(configuration, "Jobs:HeartbeatSeconds", 10),
        Seconds(configuration, "Jobs:ServerTimeoutSeconds", 60),
        Seconds(configuration, "Jobs:WatchdogSeconds", 10));

    private static TimeSpan Seconds(IConfiguration configuration, string key, double fallback) =>
        TimeSpan.FromSeconds(configuration.GetValue(key, fallback));
}

public static class Jobs
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var node = Node.FromConfiguration(configuration);
        var timings = JobTimings.FromConfiguration(configuration);
        services.AddSingleton(node);
        services.AddSingleton(timings);
        // Hangfire would hand its storage and job activator to the container from process-wide statics; two apps in one
        // process (the tests, a host with two databases) would then run one app's jobs in the other's services. Each
        // container gets its own, and Hangfire's defaults only fill what is not registered.
        services.AddSingleton<JobStorage>(sp => new PostgreSqlStorage(
            new DataSourceConnectionFactory(sp.GetRequiredService<NpgsqlDataSource>()),
            new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = timings.Poll,
                // A live worker keeps extending its job's invisibility, so a long replay is not taken twice;
                // a dead worker's job comes back after a minute, and the watchdog resumes its run sooner (docs/adr-008).
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = timings.Invisibility,
            }));
        services.AddSingleton<JobActivator>(sp => new ScopedJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>())
            .UseActivator(sp.GetRequiredService<JobActivator>()));
        services.AddSingleton<JobServerIdentity>();
        if (node.RunsJobs)
        {
            // Hangfire runs every IBackgroundProcess in DI inside this node's server.
            services.AddSingleton<IBackgroundProcess, RunWatchdog>();
            services.AddHangfireServer(o =>
            {
                o.ServerName = node.Name;
                o.WorkerCount = configuration.GetValue("Jobs:Workers", 2);
                o.SchedulePollingInterval = timings.Poll;
                o.HeartbeatInterval = timings.Heartbeat;
                o.ServerTimeout = timings.ServerTimeout;
                o.ServerCheckInterval = timings.ServerTimeout / 2;
                // How soon a job deleted in the dashboard stops; its run is then resumed by the watchdog.
                o.CancellationCheckInterval = TimeSpan.FromSeconds(configuration.GetValue("Jobs:CancellationCheckSeconds", 5.0));
                // Runs resume from their last committed batch, so a quick stop loses nothing.
                o.ShutdownTimeout = TimeSpan.FromSeconds(5);
            });
        }
        return services;
    }

    /// <summary>
    /// The job dashboard shows every library's runs, so it is for Consortium Administrators only; others are sent to
    /// the sign-in page or the portal's access-denied page rather than shown a bare status code.
    /// </summary>
    public static void MapJobsDashboard(this WebApplication app)
    {
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/hangfire"), dashboard => dashboard.Use(async (ctx, next) =>
        {
            if (ctx.User.Identity?.IsAuthenticated != true)
            {
                await ctx.ChallengeAsync();
                return;
            }
            if (!ctx.User.IsInRole(Roles.ConsortiumAdministrator))
            {
                await ctx.ForbidAsync();
                return;
            }
            await next();
        }));
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new ConsortiumAdministratorsOnly()],
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });
    }

    private sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }

    /// <summary>Each job runs in a service scope of the app that fetched it.</summary>
    private sealed class ScopedJobActivator(IServiceScopeFactory scopes) : JobActivator
    {
        public override JobActivatorScope BeginScope(JobActivatorContext context) => new Scope(scopes.CreateAsyncScope());

        private sealed class Scope(AsyncServiceScope scope) : JobActivatorScope
        {
            public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);

            public override void DisposeScope() => scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The dashboard's own check, behind the redirecting gate above, so the rule holds even if the gate moves.</summary>
    private sealed class ConsortiumAdministratorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().User.IsInRole(Roles.ConsortiumAdministrator);
    }
}

/// <summary>The id under which this node's Hangfire server registered, once it has; readiness looks for it.</summary>
public sealed class JobServerIdentity
{
    public string? ServerId { get; set; }
}
