namespace OfflineCirc.Web.Reports;

/// <summary>Wiring of this feature: its services and its API endpoints.</summary>
public static class ReportsFeature
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ResultQueries>();
        services.AddScoped<SessionHeaders>();
        services.AddScoped<FollowUpQueries>();
        services.AddScoped<SessionSummary>();
        services.AddScoped<ConsortiumOverview>();
        services.AddScoped<AuditQueries>();
        services.AddScoped<ExceptionCommands>();
        services.AddScoped<Lookup.LibraryZones>();
        services.AddScoped<TransactionQueries>();
    }

    public static void Map(RouteGroupBuilder api) => ReportEndpoints.Map(api);
}
