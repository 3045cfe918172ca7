using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Npgsql;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Infrastructure;

public static class Jobs
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var pollSeconds = configuration.GetValue("Jobs:PollSeconds", 2.0);
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                o => o.UseConnectionFactory(new DataSourceConnectionFactory(sp.GetRequiredService<NpgsqlDataSource>())),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = TimeSpan.FromSeconds(pollSeconds),
                    InvisibilityTimeout = TimeSpan.FromMinutes(30),
                }));
        if (configuration.GetValue("Jobs:Server", true))
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = configuration.GetValue("Jobs:Workers", 2);
                o.SchedulePollingInterval = TimeSpan.FromSeconds(pollSeconds);
                // Runs resume from their last committed batch, so a quick stop loses nothing.
                o.ShutdownTimeout = TimeSpan.FromSeconds(5);
            });
        }
        return services;
    }

    public static void MapJobsDashboard(this WebApplication app) =>
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdministratorsOnly()],
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });

    private sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }

    // Jobs name every library's sessions and can stop any run: only the consortium's administrators see them.
    private sealed class AdministratorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.IsInRole(Roles.ConsortiumAdministrator);
        }
    }
}
