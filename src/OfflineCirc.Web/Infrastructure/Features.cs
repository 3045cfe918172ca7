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
        return services;
    }

    public static void MapFeatures(this WebApplication app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().DisableAntiforgery().AddEndpointFilter<Api.ApiAntiforgeryFilter>();
        Api.AuthEndpoints.Map(app.MapGroup("/api"));
        _ = api;
    }
}
