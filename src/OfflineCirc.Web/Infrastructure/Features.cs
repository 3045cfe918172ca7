using OfflineCirc.Web.Audit;
using OfflineCirc.Web.Demo;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>Each feature wires itself; this is the table of contents.</summary>
public static class Features
{
    public static IServiceCollection AddFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AuditLog>();
        services.AddScoped<DemoSeeder>();
        People.PeopleFeature.Add(services, configuration);
        Import.ImportFeature.Add(services, configuration);
        Sessions.SessionsFeature.Add(services, configuration);
        Offline.OfflineFeature.Add(services, configuration);
        Reports.ReportsFeature.Add(services, configuration);
        return services;
    }

    public static void MapFeatures(this WebApplication app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .DisableAntiforgery()
            .AddEndpointFilter<Api.ApiAntiforgeryFilter>()
            .RefuseNulInBodies();
        Api.AuthEndpoints.Map(api);
        People.PeopleFeature.Map(api);
        Import.ImportFeature.Map(api);
        Sessions.SessionsFeature.Map(api);
        Offline.OfflineFeature.Map(api);
        Reports.ReportsFeature.Map(api);
        Offline.OfflineFeature.MapPage(app);
    }
}
